// The text Liaison writes into Linear, as the markdown Linear takes for an issue description and
// a comment body (IssueCreateInput.description / CommentCreateInput.body: "in markdown format").
// The customer and the chat messages a ticket came from are quoted in the description; a
// follow-up becomes a comment whose last line names Liaison's key (the comment's id is the
// idempotency key itself, ids.ts: the line is for people reading the issue).
import type { FollowUp } from '../../model';
import type { TicketInput } from '../port';

/** "2026-12-01 10:30 UTC": the chat's time, unambiguous for a team in any time zone. */
export const stamp = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const pair = (label: string, v: string | undefined) => (v ? `**${label}**：${v}` : undefined);
const joined = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' · ');
/** Each line of a text as a markdown quote line. */
const quote = (s: string) => s.split(/\r?\n/).map((l) => `> ${l}`.trimEnd()).join('\n');

export function ticketDescription(t: TicketInput): string {
  const c = t.customer;
  const out = [t.description.trim(), '', '### 客户 / Customer', joined(pair('姓名', `${c.name}${c.company ? `（${c.company}）` : ''}`), pair('电话', c.phones.join('、') || undefined), pair('邮箱', c.email), pair('客户编号', c.code)), joined(pair('分类', t.category), pair('紧急程度', t.priority))];
  const quoted = t.messages.filter((m) => m.text.trim()).map((m) => `${quote(`**${stamp(m.at)} ${m.from === 'customer' ? '客户' : '我'}：**`)}\n${quote(m.text.trim())}`);
  if (quoted.length) out.push('', '### 聊天记录 / Chat messages', quoted.join('\n>\n'));
  return out.join('\n').trim();
}

/** The line a comment carries: Liaison's idempotency key. */
export const commentMarker = (key: string) => `Liaison ${key}`;

export function followUpComment(f: FollowUp, key: string): string {
  return [
    pair('跟进', `${f.method} · ${stamp(f.at)}${f.by ? ` · ${f.by}` : ''}`),
    '',
    f.content.trim(),
    '',
    joined(pair('结果', f.result), pair('下次行动', f.nextAction), pair('下次时间', f.nextAt !== undefined ? stamp(f.nextAt) : undefined)),
    '',
    `\`${commentMarker(key)}\``,
  ]
    .filter((l, i, a) => l !== '' || (a[i - 1] !== '' && i > 0))
    .join('\n')
    .trim();
}
