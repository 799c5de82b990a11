// Sentence and clause spans: context words (service, policy, "already signed", "nobody answered")
// only reach within their own sentence or clause.
import type { Hit } from './match';

/** Sentence ends. */
export const SENTENCE = /[。！？!?；;\n]|\.(?:\s|$)/gu;
/** Clause ends: sentence ends plus commas (我朋友想贷款，你先给我报个价 is two clauses). */
export const CLAUSE = /[，,。！？!?；;\n]|\.(?:\s|$)/gu;

export function spanOf(text: string, at: number, re: RegExp): [number, number] {
  const r = new RegExp(re.source, 'gu');
  let start = 0;
  for (let m = r.exec(text); m; m = r.exec(text)) {
    const end = m.index + m[0].length;
    if (end > at) return [start, end];
    start = end;
  }
  return [start, text.length];
}

/** Is any of `others` inside the span (sentence or clause) of `h`? */
export function sharesSpan(text: string, h: Hit, others: readonly Hit[], re: RegExp = SENTENCE): boolean {
  if (!others.length) return false;
  const [a, b] = spanOf(text, h.start, re);
  return others.some((o) => o.start >= a && o.end <= b);
}
