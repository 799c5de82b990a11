import { describe, expect, it } from 'vitest';
import { chineseNumber, extractAmounts } from '../../../lib/understand';

describe('extractAmounts', () => {
  it.each<[string, number | undefined, string | undefined, number?]>([
    ['想贷50万', 500_000, 'CNY'],
    ['30w就够', 300_000, 'CNY'],
    ['3.5万', 35_000, 'CNY'],
    ['1.2亿的项目', 120_000_000, 'CNY'],
    ['¥300,000', 300_000, 'CNY'],
    ['￥３０万', 300_000, 'CNY'], // full-width
    ['300k', 300_000, undefined],
    ['$20,000 budget', 20_000, 'USD'],
    ['USD 120,000', 120_000, 'USD'],
    ['五十万', 500_000, 'CNY'],
    ['一百五十万', 1_500_000, 'CNY'],
    ['两千块', 2_000, 'CNY'],
    ['30-50万', 500_000, 'CNY', 300_000],
    ['30万到50万', 500_000, 'CNY', 300_000],
    ['5000元', 5_000, 'CNY'],
    ['利率3.5%', undefined, undefined],
    ['13800138000', undefined, undefined],
    ['订单号 20260311', undefined, undefined],
    ['500个', undefined, undefined],
    ['5万个', undefined, undefined],
    ['36期', undefined, undefined],
    ['千万别投诉', undefined, undefined],
  ])('%s', (text, value, currency, min) => {
    const [a] = extractAmounts(text);
    expect(a?.value).toBe(value);
    expect(a?.currency).toBe(currency);
    if (min !== undefined) expect(a?.min).toBe(min);
  });

  it('finds every amount, left to right', () => {
    expect(extractAmounts('月收入2万，想贷30万').map((a) => a.value)).toEqual([20_000, 300_000]);
  });

  it.each([
    ['五十', 50],
    ['一百五', 150],
    ['三千二百', 3200],
    ['十二', 12],
    ['两点五', 2.5],
  ])('chineseNumber %s', (s, n) => expect(chineseNumber(s)).toBe(n));
});
