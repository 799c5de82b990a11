// The text Liaison writes into ClickUp: a task's description (plain text, ClickUp's `description`)
// and a comment's `comment_text`, each ending in a marker line with Liaison's idempotency key.
// Plain text rather than markdown_content: what is written is what GET /v2/task answers in
// `description`, so the marker is found as written.
import type { FollowUp } from '../../model';
import type { TicketInput } from '../port';

/** "2026-12-01 10:30 UTC": the chat's time, unambiguous for a team in any time zone. */
export const stamp = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The last line of a task description or comment Liaison wrote. */
export const keyMarker = (key: string) => `Liaison ${key}`;

const line = (label: string, value: string | undefined) => (value ? `${label}：${value}` : undefined);
const present = (xs: (string | undefined)[]) => xs.filter((x): x is string => x !== undefined);

export function ticketDescription(t: TicketInput, key: string): string {
  const c = t.customer;
  const parts: string[] = [];
  if (t.description.trim()) parts.push(t.description.trim());
  parts.push(
    [
      '客户 / Customer',
      ...present([
        line('姓名', `${c.name}${c.company ? `（${c.company}）` : ''}`),
        line('电话', c.phones.join('、') || undefined),
        line('邮箱', c.email),
        line('客户编号', c.code),
      ]),
      `分类：${t.category} · 紧急程度：${t.priority}`,
    ].join('\n'),
  );
  const quoted = t.messages.filter((m) => m.text.trim()).map((m) => `> ${stamp(m.at)} ${m.from === 'customer' ? '客户' : '我'}：\n${m.text.trim().split('\n').map((l) => `> ${l}`).join('\n')}`);
  if (quoted.length) parts.push(['聊天记录 / Chat messages', ...quoted].join('\n'));
  parts.push(keyMarker(key));
  return parts.join('\n\n');
}

export function followUpComment(f: FollowUp, key: string): string {
  return [
    `跟进：${f.method} · ${stamp(f.at)}${f.by ? ` · ${f.by}` : ''}`,
    f.content.trim(),
    ...present([line('结果', f.result), line('下次行动', f.nextAction), line('下次时间', f.nextAt !== undefined ? stamp(f.nextAt) : undefined)]),
    keyMarker(key),
  ]
    .filter((x) => x)
    .join('\n');
}

/** Whether a text Liaison wrote carries this key's marker as a line of its own. */
export const hasMarker = (text: string | null | undefined, key: string) => (text ?? '').split('\n').some((l) => l.trim() === keyMarker(key));
