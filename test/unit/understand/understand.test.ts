import { describe, expect, it } from 'vitest';
import { understand } from '../../../lib/understand';
import { DEFAULT_PRODUCTS, type ChatMessage } from '../../../lib/model';

const now = Date.UTC(2026, 2, 11, 2); // Wed 10:00 Shanghai
const products = [...DEFAULT_PRODUCTS];
let n = 0;
const m = (direction: 'in' | 'out', text: string): ChatMessage => ({ id: `m${++n}`, direction, text });

describe('understand() end to end', () => {
  it('a loan inquiry: deal with product and amount, a call tomorrow at 15:00, 高', () => {
    const msgs = [
      m('in', '你好'),
      m('in', '我想做个经营贷，大概50万，利率多少？'),
      m('out', '您好，我明天下午3点给您打电话详细说'),
      m('in', '好的'),
    ];
    const u = understand(msgs, { now, products });
    expect(u).toMatchObject({
      method: '电话',
      zhibangSort: 481,
      buying: { present: true, product: '经营贷', amount: { value: 500_000, currency: 'CNY' } },
      complaint: { present: false },
      category: '销售线索',
      intentLevel: '高',
      result: '有意向',
      products: ['经营贷'],
      productCounts: { 经营贷: 1 },
      nextFollowUp: { at: Date.UTC(2026, 2, 12, 7, 0), text: '明天下午3点', messageId: msgs[2]!.id, direction: 'out' },
    });
    expect(u.noise.byId).toEqual({ [msgs[0]!.id]: true, [msgs[1]!.id]: false, [msgs[2]!.id]: false, [msgs[3]!.id]: true });
    expect(u.noise.all).toBe(false);
    expect(Array.from(u.summary).length).toBeLessThanOrEqual(50);
  });

  it('a complaint: after-sales ticket, high priority, no deal', () => {
    const u = understand([m('in', '我的车贷这个月扣款扣了两次，怎么回事？赶紧处理'), m('out', '非常抱歉，马上帮您查')], { now, products });
    expect(u).toMatchObject({ complaint: { present: true, kind: 'complaint' }, buying: { present: false }, category: '客户服务', priority: 'high' });
    expect(u.complaint.evidence[0]).toMatchObject({ direction: 'in' });
  });

  it('a price ask then a refusal: the latest outcome wins', () => {
    const u = understand([m('in', '信用贷利率多少'), m('out', '年化3.6%起'), m('in', '不用了，已经在银行办好了')], { now, products });
    expect(u.buying.present).toBe(true);
    expect(u.result).toBe('已拒绝');
    expect(u.intentLevel).toBe('低');
  });

  it('negated buying only: 无意向', () => {
    const u = understand([m('in', '我们今年没有预算，暂时不需要报价')], { now, products });
    expect(u.buying).toMatchObject({ present: false });
    expect(u.buying.negated.map((e) => e.term)).toEqual(['预算', '报价']);
    expect(u.result).toBe('无意向');
  });

  it('only greetings: all noise, default method, nothing suggested', () => {
    const u = understand([m('in', '在吗'), m('in', '你好'), m('out', '您好')], { now, products });
    expect(u).toMatchObject({ method: '微信', zhibangSort: 484, noise: { all: true }, category: null, intentLevel: '低', summary: '' });
    expect(u.nextFollowUp).toBeUndefined();
    expect(u.result).toBeUndefined();
  });

  it('English, another time zone', () => {
    const ny = Date.UTC(2026, 2, 11, 14); // Wed 10:00 New York
    const u = understand([m('in', "We'd need about $200,000 for a business loan. Can you call me tomorrow at 3pm?")], { now: ny, timeZone: 'America/New_York', products });
    expect(u).toMatchObject({ method: '电话', buying: { present: true, product: '经营贷', amount: { value: 200_000, currency: 'USD' } } });
    expect(u.nextFollowUp?.at).toBe(Date.UTC(2026, 2, 12, 19, 0));
  });

  // How fast this is is measured by `npm run bench`, never by a timed assertion here.
  it('reads 200 messages as it reads their last few', () => {
    const texts = ['我想做个经营贷，大概50万，利率多少？', '好的谢谢', '明天下午3点电话聊', 'Can you send a quote for 500 units?', '收到的货破损了，我要退货'];
    const msgs = Array.from({ length: 200 }, (_, i) => m(i % 2 ? 'in' : 'out', texts[i % texts.length]!));
    const u = understand(msgs, { now, products });
    expect(u.buying.present).toBe(true);
    expect(u.complaint.evidence.length).toBeGreaterThan(0);
    expect(u.products).toContain('经营贷');
  });
});
