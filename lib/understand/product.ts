// Mentions of the user's products (settings.products) with the aliases in the rules
// (经营性贷款 → 经营贷, car loan → 车贷), for seed 003's 产品咨询统计 and for the deal suggestion.
import type { Rules } from './rules';
import { TermMatcher } from './match';
import { normalize } from './normalize';

const cache = new WeakMap<Rules, Map<string, { matcher: TermMatcher; toProduct: Map<string, string> }>>();

let last: { products: readonly string[]; rules: Rules; c: { matcher: TermMatcher; toProduct: Map<string, string> } } | undefined;

function compiled(products: readonly string[], rules: Rules): { matcher: TermMatcher; toProduct: Map<string, string> } {
  // The same list object comes with every message of a conversation: skip the key building.
  if (last && last.products === products && last.rules === rules) return last.c;
  let byList = cache.get(rules);
  if (!byList) cache.set(rules, (byList = new Map()));
  const key = products.join('\u0001');
  let c = byList.get(key);
  if (!c) {
    const toProduct = new Map<string, string>();
    for (const p of products) {
      toProduct.set(normalize(p), p);
      for (const alias of aliasesOf(rules, p)) {
        const a = normalize(alias);
        if (!toProduct.has(a)) toProduct.set(a, p);
      }
    }
    c = { matcher: new TermMatcher([...toProduct.keys()]), toProduct };
    // Bounded: a user has one product list at a time; a few edits in a session are fine.
    if (byList.size > 20) byList.clear();
    byList.set(key, c);
  }
  last = { products, rules, c };
  return c;
}

/**
 * The aliases the rules give a product. Own keys only: a product the user calls `__proto__`,
 * `constructor` or `toString` must not find Object.prototype's members (issue 14: iterating
 * `productAliases['constructor']` threw, and every customer creation from a chat failed).
 */
function aliasesOf(rules: Rules, product: string): readonly string[] {
  const aliases = Object.hasOwn(rules.productAliases, product) ? rules.productAliases[product] : undefined;
  return Array.isArray(aliases) ? aliases : [];
}

/** Products mentioned in already-normalized text, distinct, in order of first mention. */
export function productsInNormalized(text: string, products: readonly string[], rules: Rules): string[] {
  if (!products.length) return [];
  const { matcher, toProduct } = compiled(products, rules);
  const out: string[] = [];
  for (const h of matcher.find(text)) {
    const p = toProduct.get(h.term);
    if (p && !out.includes(p)) out.push(p);
  }
  return out;
}

/** Products mentioned in a message, distinct, in order of first mention. */
export function findProducts(text: string, products: readonly string[], rules: Rules): string[] {
  return productsInNormalized(normalize(text), products, rules);
}
