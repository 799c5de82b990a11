// Which rules a conversation triggers, as a pure function. Each firing carries a key built from
// the messages that made its conditions true, so the same message never fires the same rule
// twice (across reloads too: the caller stores the keys), while a new buying message does.
import type { Customer } from '../model';
import type { Understanding } from '../understand';
import type { Rule, RuleCondition } from './schema';

export interface RuleContext {
  site: string;
  threadKey: string;
  customer: Customer;
  understanding: Understanding;
}

export interface Firing {
  rule: Rule;
  /** `${rule.id}|…`: what the caller remembers to fire at most once. */
  key: string;
}

/** undefined: the condition does not hold; otherwise the evidence message id ('' for no evidence). */
function check(c: RuleCondition, ctx: RuleContext): string | undefined {
  const u = ctx.understanding;
  const lastIn = [...u.messages].reverse().find((m) => m.direction === 'in' && !m.noise)?.id ?? '';
  switch (c.type) {
    case 'signal':
      switch (c.signal) {
        case 'buying':
          return u.buying.present ? (u.buying.evidence.at(-1)?.messageId ?? '') : undefined;
        case 'complaint':
          return u.complaint.present ? (u.complaint.evidence.at(-1)?.messageId ?? '') : undefined;
        case 'nextFollowUp':
          return u.nextFollowUp ? u.nextFollowUp.messageId : undefined;
        case 'refused':
          return u.result === '已拒绝' ? ([...u.messages].reverse().find((m) => m.result === '已拒绝')?.id ?? '') : undefined;
      }
      return undefined;
    case 'intent':
      return u.intentLevel === c.level && u.intentReasons.length > 0 ? lastIn : undefined;
    case 'category':
      return u.category === c.category ? lastIn : undefined;
    case 'site':
      return ctx.site === c.site ? '' : undefined;
    case 'amount': {
      // The message that named the amount is the evidence: a new, larger amount fires again.
      const a = u.buying.amount;
      if (!a || (a.currency && a.currency !== 'CNY') || a.value < c.value) return undefined;
      return [...u.messages].reverse().find((m) => m.amount && m.amount.value === a.value)?.id ?? '';
    }
    case 'customer': {
      const v = ctx.customer[c.field];
      const is = v !== undefined && String(v) === c.value;
      return (c.op === 'is' ? is : !is) ? '' : undefined;
    }
  }
}

export function evaluateRules(rules: readonly Rule[], ctx: RuleContext): Firing[] {
  const out: Firing[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const evidence: string[] = [];
    let ok = true;
    for (const c of rule.when) {
      const e = check(c, ctx);
      if (e === undefined) {
        ok = false;
        break;
      }
      if (e) evidence.push(e);
    }
    if (!ok) continue;
    // Rules on site/customer fields alone fire once per conversation, not on every message.
    const key = evidence.length ? [...new Set(evidence)].sort().join(',') : `conv:${ctx.site}\u0000${ctx.threadKey}`;
    out.push({ rule, key: `${rule.id}|${key}` });
  }
  return out;
}
