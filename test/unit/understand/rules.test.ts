import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, parseRules, safeParseRules, understand } from '../../../lib/understand';

describe('rules as data', () => {
  it('the defaults validate and round-trip through JSON', () => {
    expect(parseRules(JSON.stringify(DEFAULT_RULES))).toEqual(DEFAULT_RULES);
  });

  it('carries the seeds', () => {
    expect(DEFAULT_RULES.noise.minLength).toBe(10);
    expect(DEFAULT_RULES.noise.excludedKeywords).toEqual(expect.arrayContaining(['在吗', '你好', '再见']));
    expect(DEFAULT_RULES.buying.terms).toEqual(expect.arrayContaining(['报价', '采购', '需求', '预算']));
    expect(DEFAULT_RULES.summary.maxZh).toBe(50);
  });

  it('rejects bad edits with a reason', () => {
    expect(() => parseRules({ ...DEFAULT_RULES, noise: { minLength: -1, excludedKeywords: [] } })).toThrow();
    expect(safeParseRules('{not json').success).toBe(false);
    const r = safeParseRules({ ...DEFAULT_RULES, version: 2 });
    expect(r.success).toBe(false);
  });

  it('an edit changes behaviour', () => {
    const rules = parseRules({ ...DEFAULT_RULES, buying: { ...DEFAULT_RULES.buying, terms: [...DEFAULT_RULES.buying.terms, '起批'] } });
    const m = [{ id: '1', direction: 'in' as const, text: '这个几件起批呀亲' }];
    expect(understand(m, { now: 0, products: [] }).buying.present).toBe(false);
    expect(understand(m, { now: 0, products: [], rules }).buying.present).toBe(true);
  });
});
