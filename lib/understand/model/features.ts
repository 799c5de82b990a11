// Features of one customer message for the learned classifier (issue 18), shared by the
// training script (scripts/understand/train.ts) and the runtime scorer, so both see exactly the
// same strings: character n-grams of the normalized text (CJK and Latin alike, with ^ and $
// marking the ends), English word 1–2-grams (lower case, digits → 0, letter runs squeezed,
// emoji as tokens), and the rule families' findings as features ("r:buying", "r:negated",
// "r:method:电话", "r:amount"…). Pure, no browser APIs.
//
// FeatureOptions exist so scripts/understand/cv.ts can compare feature sets by cross-validation;
// the shipped model records the options it was trained with (weights.json "features"), and the
// scorer uses those, so a model and its features can never disagree.
import { z } from 'zod';
import { normalize } from '../normalize';
import { cueFeatures } from './cues';
import type { MessageSignals } from '../understand';
import { lazySchema } from '../../model/lazy-schema';

/** What the features need from the rules: a MessageSignals (analyzeMessage's output). */
export type RuleView = Pick<MessageSignals, 'noise' | 'buying' | 'buyingNegated' | 'complaint' | 'complaintKind' | 'method' | 'amount' | 'time' | 'result' | 'products' | 'category' | 'urgent'>;

export const featureOptionsSchema = lazySchema(() => z.object({
  /** Character n-grams from 1 to charMax. */
  charMax: z.number().int().min(1).max(5),
  /** Word n-grams from 1 to wordMax (0: none). */
  wordMax: z.number().int().min(0).max(3),
  /** Squeeze runs of a letter (soooo → soo) and keep emoji as word tokens. */
  squeeze: z.boolean(),
  /** Rule features beyond presence: the rules' terms themselves ("t:报价"). */
  ruleTerms: z.boolean(),
  /** Cue families of the labelling guide's patterns (cues.ts): "q:fault", "q:promise+fault"… */
  cues: z.boolean().default(false),
}));
export type FeatureOptions = z.output<typeof featureOptionsSchema>;

/** The set chosen by cross-validation (scripts/understand/cv.ts); weights trained before options existed used 3/2/false/false. */
export const DEFAULT_FEATURES: FeatureOptions = { charMax: 3, wordMax: 2, squeeze: true, ruleTerms: true, cues: true };

const SPACE = /\s+/gu;
const EMOJI = /\p{Extended_Pictographic}/u;
const EMOJI_G = /\p{Extended_Pictographic}/gu;
const DIGITS = /\d+/gu;

/** The message as the n-grams see it: normalized, digits folded to 0, spaces collapsed. */
export function featureText(text: string): string {
  return normalize(text).replace(DIGITS, '0').replace(SPACE, ' ').trim();
}

export function ruleFeatures(s: RuleView, text: string, o: FeatureOptions = DEFAULT_FEATURES): string[] {
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
  if (o.ruleTerms) {
    for (const t of s.buying) f.push(`t:b:${t}`);
    for (const t of s.buyingNegated) f.push(`t:n:${t}`);
    for (const t of s.complaint) f.push(`t:c:${t}`);
    if (s.method) f.push(`t:m:${s.method.term}`);
    if (s.amount && s.time) f.push('r:amount+time');
  }
  const t = text.trim();
  if (/[?？]\s*$/u.test(t) || /[吗呢么]\s*[?？]?\s*$/u.test(t)) f.push('r:question');
  if (EMOJI.test(t)) f.push('r:emoji');
  const len = [...t].length;
  f.push(len <= 3 ? 'r:len:xs' : len <= 8 ? 'r:len:s' : len <= 20 ? 'r:len:m' : 'r:len:l');
  return f;
}

/** English words (and emoji, with `squeeze`) of the feature text. */
function wordsOf(t: string, o: FeatureOptions): string[] {
  if (!o.squeeze) return t.match(/[a-z0-9']+/gu) ?? [];
  const spaced = t.replace(EMOJI_G, (e) => ` ${e} `);
  const out: string[] = [];
  for (const m of spaced.matchAll(/[a-z0-9']+|\p{Extended_Pictographic}/gu)) out.push(m[0].replace(/([a-z])\1{2,}/gu, '$1$1'));
  return out;
}

/** Sorted, de-duplicated feature strings of one message. */
export function features(text: string, s: RuleView, o: FeatureOptions = DEFAULT_FEATURES): string[] {
  const t = featureText(text);
  const out = new Set<string>(ruleFeatures(s, text, o));
  if (o.cues) {
    const q = cueFeatures(normalize(text));
    for (const c of q) out.add(c);
    if (s.time && q.includes('q:quantity')) out.add('q:quantity+time');
    if (s.amount && s.time) out.add('q:amount+time');
  }
  const chars = [...`^${o.squeeze ? t.replace(/([a-z])\1{2,}/gu, '$1$1') : t}$`];
  for (let n = 1; n <= o.charMax; n++)
    for (let i = 0; i + n <= chars.length; i++) {
      const g = chars.slice(i, i + n).join('');
      if (g.trim() && g !== '^' && g !== '$') out.add(`c:${g}`);
    }
  const words = o.wordMax ? wordsOf(t, o) : [];
  for (let i = 0; i < words.length; i++)
    for (let n = 1; n <= o.wordMax && i + n <= words.length; n++) out.add(`w:${words.slice(i, i + n).join(' ')}`);
  return [...out].sort();
}
