import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, analyzeMessage } from '../../../lib/understand';
import { DEFAULT_PRODUCTS } from '../../../lib/model';

const ctx = { now: Date.UTC(2026, 2, 11, 2), timeZone: 'Asia/Shanghai', products: [...DEFAULT_PRODUCTS], rules: DEFAULT_RULES };
const a = (text: string, direction: 'in' | 'out' = 'in') => analyzeMessage({ id: 'm', direction, text }, ctx);

describe('noise', () => {
  it.each<[string, boolean]>([
    ['在吗', true],
    ['你好', true],
    ['再见', true],
    ['好的', true],
    ['嗯', true],
    ['hi', true],
    ['thanks!', true],
    ['👍👍', true],
    ['好的，谢谢您，再见', true],
    ['我就随便看看', true], // shorter than min_message_length, no signal
    ['多少钱？', false], // short but a buying signal
    ['你好，我想贷50万', false], // greeting words do not reject a message
    ['我们公司在深圳南山区，做跨境电商的', false],
    ['保修期是多久？', false], // a question wants an answer
  ])('%s → %s', (text, noise) => expect(a(text).noise).toBe(noise));

  it('respects a changed min length', () => {
    const rules = { ...DEFAULT_RULES, noise: { ...DEFAULT_RULES.noise, minLength: 3 } };
    expect(analyzeMessage({ id: 'm', direction: 'in', text: '我就随便看看' }, { ...ctx, rules }).noise).toBe(false);
  });
});

describe('buying signals', () => {
  it.each<[string, boolean]>([
    ['能报个价吗', true],
    ['今年的采购预算在30万左右', true],
    ['经营贷利率多少', true],
    ['想了解一下车贷', true], // product + inquiry
    ['How much for 1,000 pcs?', true],
    ['Please send a quotation', true],
    ['不需要报价', false],
    ['没有预算', false],
    ['no budget this year', false],
    ['价格已经发过了', false],
    ['提前还款要收利息吗', false], // servicing an existing loan
    ['你们乱收费，我要投诉', false], // a complaint is not a sale
  ])('%s → %s', (text, present) => expect(a(text).buying.length > 0).toBe(present));

  it('ignores our own offers', () => {
    expect(a('给您发一下报价', 'out').buying).toEqual([]);
  });

  it('keeps negated terms as evidence for 无意向', () => {
    expect(a('没有预算').buyingNegated).toEqual(['预算']);
    expect(a('没有预算').result).toBe('无意向');
  });
});

describe('complaints and after-sales', () => {
  it.each<[string, 'complaint' | 'after-sales' | undefined]>([
    ['我要投诉', 'complaint'],
    ['东西用了两天就坏了', 'complaint'],
    ['The zipper broke, this is unacceptable', 'complaint'],
    ['我要退款', 'after-sales'],
    ['I want a refund', 'after-sales'],
    ['能上门维修吗，机器黑屏了', 'complaint'],
    ['你们支持七天无理由退货吗', undefined], // a policy question
    ["What's your return policy?", undefined],
    ['如果不满意可以退吗', undefined], // hypothetical
    ['退款已经到账了，谢谢', undefined], // closed
    ['我不投诉，就想问问', undefined],
  ])('%s → %s', (text, kind) => expect(a(text).complaintKind).toBe(kind));
});

describe('amount in a message', () => {
  it.each<[string, number | undefined]>([
    ['月收入2万，想贷30万', 300_000],
    ['公司年流水大概800万，想贷300万', 3_000_000],
    ['月供3000', undefined],
    ['预算5000左右', 5000],
  ])('%s → %s', (text, v) => expect(a(text).amount?.value).toBe(v));
});
