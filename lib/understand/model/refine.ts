// The learned classifier applied to an Understanding (issue 18): for the customer's messages,
// buying, complaint and noise are what the model says above its thresholds (chosen on the
// development part); methods, amounts, dates, products and negation stay as the rules found them.
// Evidence keeps the rule's term when the rules saw one, else the start of the message, so the
// sidebar still shows what was understood.
import type { ChatMessage } from '../../model';
import type { Evidence, Understanding } from '../understand';
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

export function refineWithModel(u: Understanding, messages: readonly Pick<ChatMessage, 'id' | 'direction' | 'text'>[], model: UnderstandModel): Refined {
  const byId = new Map(u.messages.map((s) => [s.id, s]));
  const scores: Record<string, Classification> = {};
  const buying: Evidence[] = [];
  const complaint: Evidence[] = [];
  const noise = { ...u.noise.byId };
  let kind: 'complaint' | 'after-sales' | undefined;
  for (const m of messages) {
    const s = byId.get(m.id);
    if (!s || m.direction !== 'in') continue;
    const c = model.classify(m.text, s);
    scores[m.id] = c;
    noise[m.id] = c.noise.decision;
    if (c.buying.decision) buying.push({ messageId: m.id, direction: 'in', term: s.buying[0] ?? excerpt(m.text) });
    if (c.complaint.decision) {
      complaint.push({ messageId: m.id, direction: 'in', term: s.complaint[0] ?? excerpt(m.text) });
      // A model-only complaint is mostly a promise not kept or a fault described plainly.
      if (s.complaintKind !== 'after-sales') kind = 'complaint';
      else kind ??= 'after-sales';
    }
  }
  return {
    ...u,
    noise: { all: Object.values(noise).every(Boolean), byId: noise },
    buying: { ...u.buying, present: buying.length > 0, evidence: buying },
    complaint: { present: complaint.length > 0, ...(kind ? { kind } : {}), evidence: complaint },
    model: scores,
  };
}
