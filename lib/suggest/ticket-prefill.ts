// The 创建售后单 form's first draft, from the complaint that was understood: subject from the
// customer's message, category 售后 (seed 003: complaints, repairs and returns become 售后服务单)
// unless the conversation was understood as 技术支持 or 产品反馈 (seed 004's routes: a bug report
// goes to the tracker, not to the after-sales desk),
// priority 高 for strong complaint words (投诉, 坏了, scam) and 中 for a plain after-sales request,
// the description quoting the messages. The user edits it before anything is filed.
import type { ChatMessage } from '../model';
import type { TicketPrefill } from './schema';

const SUBJECT_MAX = 60;
const QUOTED_MAX = 5;
const TEXT_MAX = 500;

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function ticketPrefill(messages: readonly ChatMessage[], complaint: { kind: 'complaint' | 'after-sales'; messageIds: readonly string[] }, now: number, understoodCategory?: string | null): TicketPrefill | undefined {
  const ids = new Set(complaint.messageIds);
  const quoted = messages.filter((m) => ids.has(m.id) && oneLine(m.text)).slice(-QUOTED_MAX);
  const last = quoted.at(-1);
  if (!last) return undefined;
  const lines = quoted.map((m) => `> ${clip(oneLine(m.text), TEXT_MAX)}`);
  return {
    subject: clip(oneLine(last.text), SUBJECT_MAX),
    category: understoodCategory === '技术支持' || understoodCategory === '产品反馈' ? understoodCategory : '售后',
    priority: complaint.kind === 'complaint' ? '高' : '中',
    description: `客户消息 / Customer's messages:\n${lines.join('\n')}`,
    messages: quoted.map((m) => ({ id: m.id, at: m.at ?? now, from: m.direction === 'in' ? ('customer' as const) : ('me' as const), text: clip(m.text, TEXT_MAX) })),
  };
}
