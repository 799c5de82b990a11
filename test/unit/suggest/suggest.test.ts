import { describe, expect, it } from 'vitest';
import { buildSuggestions, type Understood } from '../../../lib/suggest/suggest';
import { recentWindow } from '../../../lib/suggest/engine';
import type { Customer, Deal } from '../../../lib/model';

const now = 1_750_000_000_000;
const customer: Customer = { id: 'c1', code: 'K', name: 'A', phones: [], tags: [], stage: '新客户', createdAt: 0, updatedAt: 0, searchKeys: [] };
const draft = { method: '微信' as const, content: '想了解经营贷50万利率', messageIds: ['m1', 'm2'] };
const base: Understood = { site: 'demo', threadKey: 't', customerId: 'c1', at: now, summarySource: 'extractive' };
const buying = { buying: { product: '经营贷', amount: 500_000, amountText: '50万', term: '利率', messageId: 'm1' } };
const deal = (over: Partial<Deal> = {}): Deal => ({ id: 'd', customerId: 'c1', product: '经营贷', status: '进行中', createdAt: now, ...over });
const kinds = (u: Understood, over: Partial<Parameters<typeof buildSuggestions>[1]> = {}) =>
  buildSuggestions(u, { customer, deals: [], logged: new Set(), now, autoLogActive: false, ...over }).map((s) => s.kind);

describe('buildSuggestions', () => {
  it.each([
    ['a quote → deal', { ...base, ...buying }, {}, ['deal']],
    ['a quote with an open deal for the product → nothing', { ...base, ...buying }, { deals: [deal()] }, []],
    ['a quote with a cancelled deal → deal again', { ...base, ...buying }, { deals: [deal({ status: '已取消' })] }, ['deal']],
    ['a quote for another product than the open deal → deal', { ...base, ...buying }, { deals: [deal({ product: '车贷' })] }, ['deal']],
    ['a future time → next', { ...base, next: { at: now + 3600_000, text: '明天15:00', messageId: 'm2' } }, {}, ['next']],
    ['a past time → nothing', { ...base, next: { at: now - 1, text: '昨天', messageId: 'm2' } }, {}, []],
    ['the time already set → nothing', { ...base, next: { at: now + 5, text: 'x', messageId: 'm2' } }, { customer: { ...customer, nextFollowUpAt: now + 5 } }, []],
    ['a complaint → ticket (not also log)', { ...base, draft, complaint: { kind: 'complaint' as const, term: '投诉', messageId: 'm1' } }, {}, ['ticket']],
    ['a logged complaint → log hidden too', { ...base, draft, complaint: { kind: 'complaint' as const, term: '投诉', messageId: 'm1' } }, { logged: new Set(['m1', 'm2']) }, []],
    ['auto-log off → log prefill', { ...base, draft }, {}, ['log']],
    ['auto-log on → no log prefill', { ...base, draft }, { autoLogActive: true }, []],
    ['everything logged → no log prefill', { ...base, draft }, { logged: new Set(['m1', 'm2']) }, []],
  ] as [string, Understood, Partial<Parameters<typeof buildSuggestions>[1]>, string[]][])('%s', (_l, u, over, expected) => {
    expect(kinds(u, over)).toEqual(expected);
  });

  it('the log prefill drops messages already logged', () => {
    const [s] = buildSuggestions({ ...base, draft }, { customer, deals: [], logged: new Set(['m1']), now, autoLogActive: false });
    expect(s).toMatchObject({ kind: 'log', followUp: { messageIds: ['m2'], content: draft.content } });
  });

  it('the deal suggestion carries product and amount', () => {
    expect(buildSuggestions({ ...base, ...buying }, { customer, deals: [], logged: new Set(), now, autoLogActive: false })[0]).toMatchObject({
      kind: 'deal',
      product: '经营贷',
      amount: 500_000,
      amountText: '50万',
    });
  });
});

describe('recentWindow', () => {
  it('keeps the latest window only', () => {
    const m = (id: string, min: number) => ({ id, direction: 'in' as const, text: id, at: now - min * 60_000 });
    expect(recentWindow([m('old', 300), m('a', 20), m('b', 5)], 30 * 60_000, now).map((x) => x.id)).toEqual(['a', 'b']);
  });
});
