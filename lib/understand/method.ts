// Follow-up method from what the conversation arranges or reports: 我明天给您打电话 → 电话,
// 邮件发我 → 邮件, 下周上门拜访 → 面谈 (seed 003's 上门/见面/拜访), 加个微信 → 微信; and 智邦's
// sort codes 481 电话, 482 邮件, 483 上门, 484 其他 (微信 is 484, the seed's default).
import type { FollowUpMethod } from '../model';
import type { Rules, ZhibangSort } from './rules';
import { TermMatcher, memo } from './match';
import { type Prepared, negatedBy } from './negation';
import { CLAUSE, sharesSpan } from './span';

export interface MethodHit {
  method: FollowUpMethod;
  zhibang: ZhibangSort;
  term: string;
}

const compile = memo((r) => ({
  methods: (r as Rules).methods.map((m) => ({
    rule: m,
    terms: new TermMatcher(m.terms),
    exclude: new TermMatcher(m.exclude),
    notIn: new TermMatcher(m.notInClauseWith ?? []),
    keptBy: new TermMatcher(m.keptInClauseBy ?? []),
  })),
  failed: new TermMatcher((r as Rules).negation.contactFailed),
  automatic: new TermMatcher((r as Rules).negation.automaticReply),
}));

/**
 * Every method a message points to, strongest first, one hit per method. Rules are tried in their
 * order (面谈, 其他, 电话, 邮件, 微信 by default): "微信说不清，我给您打个电话" is a call first, and a
 * visit outranks the call that set it up; "先电话聊，资料回头微信发你" arranges both. Negated
 * mentions (不方便接电话, 电话打不通) do not count.
 */
export function detectMethods(p: Prepared, rules: Rules): MethodHit[] {
  const c = compile(rules);
  // An out-of-office reply names channels ("for urgent matters call…") but arranges nothing.
  if (c.automatic.find(p.text).length) return [];
  const failed = c.failed.find(p.text);
  const out: MethodHit[] = [];
  const taken: { start: number; end: number }[] = [];
  for (const { rule, terms, exclude, notIn, keptBy } of c.methods) {
    if (out.some((h) => h.method === rule.method)) continue;
    const ex = exclude.find(p.text);
    const other = notIn.find(p.text);
    const kept = other.length > 0 ? keptBy.find(p.text) : [];
    for (const h of terms.find(p.text)) {
      if (ex.some((e) => e.start <= h.start && e.end >= h.end)) continue;
      if (negatedBy(h, p.scope, rules) !== undefined) continue;
      // 电话打了七八个都没人接 / you said you'd call back: a grievance, not a method (issue 18).
      if (sharesSpan(p.text, h, failed, CLAUSE)) continue;
      // 师傅明天上门 / 催收的一天打八个电话: the clause makes it a service call or a grievance.
      if (sharesSpan(p.text, h, other, CLAUSE) && !sharesSpan(p.text, h, kept, CLAUSE)) continue;
      // "a Teams call" is Teams: a word inside a stronger method's phrase adds no second method.
      if (taken.some((t) => t.start <= h.start && t.end >= h.end)) continue;
      taken.push(h);
      out.push({ method: rule.method, zhibang: rule.zhibang as ZhibangSort, term: h.term });
      break;
    }
  }
  return out;
}

/** 智邦 sort for a method: from the rules, else 484 (其他), as seed 003's default. */
export function zhibangSort(method: FollowUpMethod, rules: Rules): ZhibangSort {
  const r = rules.methods.find((m) => m.method === method);
  return (r?.zhibang ?? 484) as ZhibangSort;
}
