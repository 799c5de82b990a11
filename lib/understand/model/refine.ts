// The learned classifier applied to an Understanding (issue 18): for the customer's messages,
// buying, complaint and noise are what the model says above its thresholds (chosen on the
// development part); the method is the rules' pick of the latest message that names one, where a
// customer's message counts only if the model's method gate confirms it (a phone bill, paying by
// WeChat); amounts, dates, products and negation stay as the rules found them.
// Evidence keeps the rule's term when the rules saw one, else the start of the message, so the
// sidebar still shows what was understood.
import type { ChatMessage } from '../../model';
import type { Evidence, Understanding } from '../understand';
import { DEFAULT_RULES, type Rules } from '../rules';
import { zhibangSort } from '../method';
import type { Classification, UnderstandModel } from './classify';

const TERM_MAX = 20;

function excerpt(text: string): string {
  const t = text.replace(/\s+/gu, ' ').trim();
  const cps = [...t];
  return cps.length <= TERM_MAX ? t : `${cps.slice(0, TERM_MAX - 1).join('')}…`;
}

export interface Refined extends Understanding {
  /** Calibrated probabilities per customer message id. */
  model: Record<string, Classification>;
}

export function refineWithModel(
  u: Understanding,
  messages: readonly Pick<ChatMessage, 'id' | 'direction' | 'text'>[],
  model: UnderstandModel,
  opts: { rules?: Rules; defaultMethod?: Understanding['method'] } = {},
): Refined {
  const byId = new Map(u.messages.map((s) => [s.id, s]));
  const scores: Record<string, Classification> = {};
  const buying: Evidence[] = [];
  const complaint: Evidence[] = [];
  const noise = { ...u.noise.byId };
  let kind: 'complaint' | 'after-sales' | undefined;
  let methodAt: { id: string; direction: 'in' | 'out'; hit: NonNullable<(typeof u.messages)[number]['method']> } | undefined;
  for (const m of messages) {
    const s = byId.get(m.id);
    if (!s) continue;
    if (m.direction !== 'in') {
      if (s.method) methodAt = { id: m.id, direction: 'out', hit: s.method };
      continue;
    }
    const c = model.classify(m.text, s);
    scores[m.id] = c;
    if (s.method && c.method.decision) methodAt = { id: m.id, direction: 'in', hit: s.method };
    noise[m.id] = c.noise.decision;
    if (c.buying.decision) buying.push({ messageId: m.id, direction: 'in', term: s.buying[0] ?? excerpt(m.text) });
    if (c.complaint.decision) {
      complaint.push({ messageId: m.id, direction: 'in', term: s.complaint[0] ?? excerpt(m.text) });
      // A model-only complaint is mostly a promise not kept or a fault described plainly.
      if (s.complaintKind !== 'after-sales') kind = 'complaint';
      else kind ??= 'after-sales';
    }
  }
  const rules = opts.rules ?? DEFAULT_RULES;
  // The rules' method stands unless the gate turned down every customer message that named one.
  const method = methodAt ? methodAt.hit.method : u.methodEvidence ? (opts.defaultMethod ?? '微信') : u.method;
  const { methodEvidence: _dropped, ...rest } = u;
  return {
    ...rest,
    method,
    ...(methodAt ? { methodEvidence: { messageId: methodAt.id, direction: methodAt.direction, term: methodAt.hit.term } } : {}),
    zhibangSort: methodAt ? methodAt.hit.zhibang : u.methodEvidence ? zhibangSort(method, rules) : u.zhibangSort,
    noise: { all: Object.values(noise).every(Boolean), byId: noise },
    buying: { ...u.buying, present: buying.length > 0, evidence: buying },
    complaint: { present: complaint.length > 0, ...(kind ? { kind } : {}), evidence: complaint },
    model: scores,
  };
}
