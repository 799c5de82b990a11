import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, analyzeMessage, understand } from '../../../lib/understand';
import { priorityOf } from '../../../lib/understand/category';

const ctx = { now: Date.UTC(2026, 2, 11, 2), timeZone: 'Asia/Shanghai', products: ['扫码枪'], rules: DEFAULT_RULES };

describe('category (seed 004)', () => {
  it.each<[string, string | null]>([
    ['扫码枪能报个价吗', '销售线索'],
    ['APP登录不了，一直提示验证码错误', '技术支持'],
    ['The app crashes every time I open my cart', '技术支持'],
    ['这批货的发票什么时候能开', '客户服务'],
    ['我要投诉', '客户服务'],
    ['建议你们加个震动提示', '产品反馈'],
    ['It would be nice if the app showed the balance', '产品反馈'],
    ['好的', null],
  ])('%s → %s', (text, c) => expect(analyzeMessage({ id: 'm', direction: 'in', text }, ctx).category).toBe(c));
});

describe('priority', () => {
  const r = DEFAULT_RULES;
  it.each<[Parameters<typeof priorityOf>[0], string]>([
    [{ category: '客户服务', complaint: 'complaint', urgent: false, calm: true }, 'high'],
    [{ category: '销售线索', complaint: undefined, urgent: false, calm: false }, 'medium'],
    [{ category: '销售线索', complaint: undefined, urgent: true, calm: false }, 'high'],
    [{ category: '技术支持', complaint: undefined, urgent: false, calm: true }, 'low'],
    [{ category: '产品反馈', complaint: undefined, urgent: false, calm: false }, 'low'],
    [{ category: '产品反馈', complaint: undefined, urgent: true, calm: false }, 'medium'],
    [{ category: null, complaint: undefined, urgent: false, calm: false }, 'low'],
    [{ category: '客户服务', complaint: 'after-sales', urgent: false, calm: false }, 'medium'],
    [{ category: '销售线索', complaint: undefined, urgent: false, calm: false, amount: 2_000_000 }, 'high'],
  ])('%o → %s', (input, p) => expect(priorityOf(input, r)).toBe(p));

  it('reads urgency words from the customer, and 不急 is not 急', () => {
    const u = (text: string) => understand([{ id: '1', direction: 'in', text }], { now: ctx.now, products: [] }).priority;
    expect(u('急用，能报个价吗')).toBe('high');
    expect(u('不急，报个价就行')).toBe('low');
  });
});
