// phoneLike: raw phone-like substrings as written, no normalization.
import { describe, expect, it } from 'vitest';
import { phoneLike } from '../../../lib/readers/phone-like';

describe('phoneLike', () => {
  it.each([
    ['13800138000', ['13800138000']],
    ['+86 139 1234 5678', ['+86 139 1234 5678']],
    ['0086-138-0013-8001', ['0086-138-0013-8001']],
    ['+1 415 555 2671', ['+1 415 555 2671']],
    ['我的电话是 186 1234 5678，有事直接打给我。', ['186 1234 5678']],
    ['call (415) 555-2671 or +44 20 7946 0958', ['(415) 555-2671', '+44 20 7946 0958']],
    ['年化 3.45% 起，期限 1-3 年', []],
    ['额度 500 万', []],
    ['2026-03-02 10:30 见', []],
    ['订单号 1234567890123456789', []],
    ['', []],
    ['两个号码 13800138000 13900139000', ['13800138000', '13900139000']],
    ['138.0013.8000', ['138.0013.8000']],
    // Seven digits is the least a number has (fewer in the whole text: nothing is looked for).
    ['分机 555-2671', ['555-2671']],
    ['房间 55-2671', []],
  ])('%s', (text, expected) => {
    expect(phoneLike(text)).toEqual(expected);
  });

  it('stops at the limit and drops repeats', () => {
    expect(phoneLike('13800138000 13800138000 13900139000 13700137000', 2)).toEqual(['13800138000', '13900139000']);
  });
});
