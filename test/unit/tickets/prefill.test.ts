// The 创建售后单 draft from an understood complaint, and the suggestion it rides on.
import { describe, expect, it } from 'vitest';
import { ticketPrefill } from '../../../lib/suggest/ticket-prefill';
import { buildSuggestions, type Understood } from '../../../lib/suggest/suggest';
import type { ChatMessage, Customer } from '../../../lib/model';

const msgs: ChatMessage[] = [
  { id: 'm0', direction: 'out', text: '您好，有什么可以帮您？', at: 1 },
  { id: 'm1', direction: 'in', text: '收到的货\n坏了，屏幕裂开了，我要投诉！', at: 2 },
  { id: 'm2', direction: 'in', text: '能退款吗', at: 3 },
];

describe('ticketPrefill', () => {
  it('takes the subject from the last complaint message, 售后, 高 for a complaint, the messages quoted', () => {
    expect(ticketPrefill(msgs, { kind: 'complaint', messageIds: ['m1'] }, 99)).toEqual({
      subject: '收到的货 坏了，屏幕裂开了，我要投诉！',
      category: '售后',
      priority: '高',
      description: "客户消息 / Customer's messages:\n> 收到的货 坏了，屏幕裂开了，我要投诉！",
      messages: [{ id: 'm1', at: 2, from: 'customer', text: '收到的货\n坏了，屏幕裂开了，我要投诉！' }],
    });
  });
  it('a plain after-sales request is 中; the subject is clipped; nothing to quote gives no draft', () => {
    const long = { id: 'm3', direction: 'in' as const, text: '退'.repeat(100), at: 4 };
    const p = ticketPrefill([...msgs, long], { kind: 'after-sales', messageIds: ['m2', 'm3'] }, 99)!;
    expect(p.priority).toBe('中');
    expect(p.subject).toHaveLength(60);
    expect(p.subject.endsWith('…')).toBe(true);
    expect(p.messages.map((m) => m.id)).toEqual(['m2', 'm3']);
    expect(ticketPrefill(msgs, { kind: 'complaint', messageIds: ['gone'] }, 99)).toBeUndefined();
  });
  it('a conversation understood as 技术支持 or 产品反馈 drafts that category (seed 004 routes it to the tracker); anything else stays 售后', () => {
    const of = (category: string | null) => ticketPrefill(msgs, { kind: 'complaint', messageIds: ['m1'] }, 99, category)!.category;
    expect([of('技术支持'), of('产品反馈'), of('客户服务'), of('销售线索'), of(null)]).toEqual(['技术支持', '产品反馈', '售后', '售后', '售后']);
  });
});

describe('the complaint suggestion', () => {
  const customer = { id: 'c1', nextFollowUpAt: undefined } as unknown as Customer;
  const u: Understood = {
    site: 'demo', threadKey: 'x', customerId: 'c1', at: 5, summarySource: 'extractive',
    complaint: { kind: 'complaint', term: '投诉', messageId: 'm1', ticket: ticketPrefill(msgs, { kind: 'complaint', messageIds: ['m1'] }, 5)! },
    draft: { method: '微信', content: '客户投诉', messageIds: ['m1', 'm2'] },
  };
  it('carries the ticket draft, and is gone once a ticket was filed from that message', () => {
    const ctx = { customer, deals: [], logged: new Set<string>(), now: 10, autoLogActive: false };
    const [s] = buildSuggestions(u, ctx);
    expect(s).toMatchObject({ kind: 'ticket', ticket: { category: '售后', priority: '高' } });
    expect(buildSuggestions(u, { ...ctx, ticketed: new Set(['m1']) }).some((x) => x.kind === 'ticket')).toBe(false);
  });
});
