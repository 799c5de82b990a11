// Issue 14: a product named like a member of Object.prototype made every customer creation from
// a chat fail (the alias lookup found Object.prototype's `constructor` and tried to iterate it).
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, findProducts, understand } from '../../../lib/understand';
import type { ChatMessage } from '../../../lib/model';

const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
const products = [...PROTO_NAMES, '经营贷'];

describe('products named like Object.prototype members', () => {
  it.each(PROTO_NAMES)('%s is found like any name', (name) => {
    expect(findProducts(`想问一下 ${name} 的价格`, products, DEFAULT_RULES)).toEqual([name]);
    expect(findProducts('今天天气不错', products, DEFAULT_RULES)).toEqual([]);
  });

  it('several of them in one message, in order of mention, beside a product with aliases', () => {
    expect(findProducts('toString 和 constructor 还有经营性贷款', products, DEFAULT_RULES)).toEqual(['toString', 'constructor', '经营贷']);
  });

  it('understand() over a conversation that mentions them', () => {
    const now = Date.UTC(2026, 11, 5);
    const m = (text: string, i: number): ChatMessage => ({ id: `m${i}`, direction: 'in', text, at: now - 1000 * (10 - i) });
    const u = understand([m('我想了解 __proto__', 1), m('还有 constructor 和 hasOwnProperty', 2)], { now, products });
    expect(u.products).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    // Counted as own entries: '__proto__' is not lost to the prototype setter, 'constructor' is a number.
    expect(Object.entries(u.productCounts)).toEqual([['__proto__', 1], ['constructor', 1], ['hasOwnProperty', 1]]);
  });
});
