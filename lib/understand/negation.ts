// A cue just before a term flips it (不需要报价, 没有预算, no budget this year, don't need a
// quote); a cue just after it closes it (价格已经发过了, 电话打不通, 退款已经到账了).
// Look-alikes are masked first: 不错/没问题 praise, 有没有/要不要 are questions (有没有优惠 asks
// for a discount), 不知道价格 asks for the price.
import type { Rules } from './rules';
import { type Hit, TermMatcher, mask, memo } from './match';
import { normalize, units } from './normalize';

/** Clause breaks: a cue never reaches across them (不用了，报价发我 is a request). */
const BREAK = /[,.!?;:，。！？；：、\n]|但|可是|不过|\bbut\b|\bhowever\b/u;

interface Compiled {
  cues: TermMatcher;
  post: TermMatcher;
  ignore: TermMatcher;
}
const compile = memo((r) => {
  const n = (r as Rules).negation;
  return { cues: new TermMatcher(n.cues), post: new TermMatcher(n.postCues), ignore: new TermMatcher(n.ignore) } satisfies Compiled;
});

/** Prepared once per message: the text with look-alikes masked, and where the cues are. */
export interface NegationScope {
  masked: string;
  pre: Hit[];
  post: Hit[];
}

export function negationScope(text: string, rules: Rules): NegationScope {
  const c = compile(rules) as Compiled;
  const masked = mask(text, c.ignore.find(text));
  return { masked, pre: c.cues.find(masked), post: c.post.find(masked) };
}

/** Is this hit negated, before or after? Returns the cue that flips it. */
export function negatedBy(hit: Hit, scope: NegationScope, rules: Rules): string | undefined {
  const { window, postWindow } = rules.negation;
  for (let i = scope.pre.length - 1; i >= 0; i--) {
    const cue = scope.pre[i]!;
    if (cue.end > hit.start) continue;
    const gap = scope.masked.slice(cue.end, hit.start);
    if (BREAK.test(gap) || units(gap) > window) break;
    return cue.term;
  }
  for (const cue of scope.post) {
    if (cue.start < hit.end) continue;
    const gap = scope.masked.slice(hit.end, cue.start);
    if (BREAK.test(gap) || units(gap) > postWindow) break;
    return cue.term;
  }
  return undefined;
}

/** Convenience for tests and callers with one term: is `term` at its first occurrence negated? */
export function isNegated(text: string, term: string, rules: Rules): boolean {
  const start = text.indexOf(term);
  if (start < 0) return false;
  return negatedBy({ term, start, end: start + term.length }, negationScope(text, rules), rules) !== undefined;
}

/** A message prepared once for every rule family: raw, normalized, and its negation scope. */
export interface Prepared {
  raw: string;
  text: string;
  scope: NegationScope;
}

export function prepare(raw: string, rules: Rules): Prepared {
  const text = normalize(raw);
  return { raw, text, scope: negationScope(text, rules) };
}

/** Hits of a matcher that survive negation, and the ones that did not. */
export function liveHits(hits: readonly Hit[], p: Prepared, rules: Rules): { live: Hit[]; negated: Hit[] } {
  const live: Hit[] = [];
  const negated: Hit[] = [];
  for (const h of hits) (negatedBy(h, p.scope, rules) === undefined ? live : negated).push(h);
  return { live, negated };
}
