// The ticket, follow-up and failure fixtures the tracker contract tests share (Jira, Linear,
// Asana, ClickUp, Trello): a 售后 ticket with the customer and the two chat messages it came
// from, a phone follow-up on it, and the CrmError a rejected call ends with.
import type { CrmError } from '../../../lib/crm/errors';
import type { TicketInput } from '../../../lib/crm/port';
import type { FollowUp } from '../../../lib/model';

export const T0 = Date.UTC(2026, 11, 1, 2, 30);
export const ticket = (over: Partial<TicketInput> = {}): TicketInput => ({
  subject: '净水器漏水，要求上门维修',
  description: '客户反映上周购买的净水器底部漏水。\n已拍照。\n\n希望本周内上门。',
  category: '售后',
  priority: '高',
  customer: { id: 'c1', name: '王小明', phones: ['+8613800138000'], email: 'wang@example.com', company: '深圳联络贸易', code: 'KH2026-0001' },
  messages: [
    { at: T0, from: 'customer', text: '你好，净水器底下一直在漏水' },
    { at: T0 + 60_000, from: 'me', text: '抱歉！请拍张照片发我' },
  ],
  ...over,
});
export const followUp = (over: Partial<FollowUp> = {}): FollowUp => ({
  id: crypto.randomUUID(), customerId: 'c1', method: '电话', content: '已约好周四上午上门', result: '有意向', nextAction: '上门维修', at: T0, origin: 'manual', messageIds: [], ...over,
});
export const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as CrmError);
