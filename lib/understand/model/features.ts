// Features of one customer message for the learned classifier (issue 18), shared by the
// training script (scripts/understand/train.ts) and the runtime scorer, so both see exactly the
// same strings: character 1–3-grams of the normalized text (CJK and Latin alike, with ^ and $
// marking the ends), English word 1–2-grams, and the rule families' findings as features
// ("r:buying", "r:negated", "r:method", "r:amount"…). Pure, no browser APIs.
import { normalize } from '../normalize';
import type { MessageSignals } from '../understand';

/** What the features need from the rules: a MessageSignals (analyzeMessage's output). */
export type RuleView = Pick<MessageSignals, 'noise' | 'buying' | 'buyingNegated' | 'complaint' | 'complaintKind' | 'method' | 'amount' | 'time' | 'result' | 'products' | 'category' | 'urgent'>;

const SPACE = /\s+/gu;
const EMOJI = /\p{Extended_Pictographic}/u;
const DIGITS = /\d+/gu;

/** The message as the n-grams see it: normalized, digits folded to 0, spaces collapsed. */
export function featureText(text: string): string {
  return normalize(text).replace(DIGITS, '0').replace(SPACE, ' ').trim();
}

export function ruleFeatures(s: RuleView, text: string): string[] {
  const f: string[] = [];
  if (s.buying.length) f.push('r:buying');
  if (s.buyingNegated.length) f.push('r:negated');
  if (s.complaint.length) f.push(`r:complaint:${s.complaintKind ?? 'after-sales'}`);
  if (s.method) f.push('r:method', `r:method:${s.method.method}`);
  if (s.amount) f.push('r:amount');
  if (s.time) f.push('r:time', s.time.deadline ? 'r:deadline' : 'r:when');
  if (s.result) f.push(`r:result:${s.result}`);
  if (s.products.length) f.push('r:product');
  if (s.category) f.push(`r:cat:${s.category}`);
  if (s.urgent) f.push('r:urgent');
  if (s.noise) f.push('r:noise');
  const t = text.trim();
  if (/[?？]\s*$/u.test(t) || /[吗呢么]\s*[?？]?\s*$/u.test(t)) f.push('r:question');
  if (EMOJI.test(t)) f.push('r:emoji');
  const len = [...t].length;
  f.push(len <= 3 ? 'r:len:xs' : len <= 8 ? 'r:len:s' : len <= 20 ? 'r:len:m' : 'r:len:l');
  return f;
}

/** Sorted, de-duplicated feature strings of one message. */
export function features(text: string, s: RuleView): string[] {
  const t = featureText(text);
  const out = new Set<string>(ruleFeatures(s, text));
  const chars = [...`^${t}$`];
  for (let n = 1; n <= 3; n++)
    for (let i = 0; i + n <= chars.length; i++) {
      const g = chars.slice(i, i + n).join('');
      if (g.trim() && g !== '^' && g !== '$') out.add(`c:${g}`);
    }
  const words = t.match(/[a-z0-9']+/gu) ?? [];
  for (let i = 0; i < words.length; i++) {
    out.add(`w:${words[i]}`);
    if (i + 1 < words.length) out.add(`w:${words[i]} ${words[i + 1]}`);
  }
  return [...out].sort();
}
