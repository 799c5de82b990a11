// The plain text Liaison writes into Asana: a task's notes (the ticket's text, the customer, the
// chat messages quoted) and a comment's text per follow-up. Plain `notes` / `text` rather than
// html_notes / html_text: Asana's rich text is a restricted XML dialect that refuses unknown tags,
// and plain text is returned as written, so the marker line is found again byte for byte. The
// last line of each carries Liaison's idempotency key (MARKER_PREFIX + key).
import type { FollowUp } from '../../model';
import { CrmError } from '../errors';
import type { TicketInput } from '../port';
import { MARKER_PREFIX } from './spec';

/** "2026-12-01 10:30 UTC": the chat's time, unambiguous for a team in any time zone. */
export const stamp = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The marker line for a key; keys are single-line (the outbox's ids), anything else is refused. */
export function markerLine(key: string): string {
  if (!/^[\w.:-]{1,200}$/.test(key)) throw new CrmError('validation', `Asana: idempotency key "${key.slice(0, 40)}" cannot be a marker line`);
  return `${MARKER_PREFIX}${key}`;
}

/** Whether a notes or comment text carries the marker as a line of its own. */
export const hasMarker = (text: string | undefined, marker: string) => !!text && text.split(/\r?\n/).some((l) => l.trim() === marker);

const clean = (t: string) => t.split(/\r?\n/).map((l) => l.trimEnd()).join('\n').replace(/\n{3,}/g, '\n\n').trim();
const line = (label: string, v: string | undefined) => (v ? [`${label}：${v}`] : []);

/** At most this many characters of quoted chat: a task's notes stay readable. */
const MAX_QUOTED = 8000;

export function ticketNotes(t: TicketInput, key: string): string {
  const c = t.customer;
  const parts: string[] = [];
  if (t.description.trim()) parts.push(clean(t.description));
  parts.push(
    [
      '客户 / Customer',
      ...line('姓名', `${c.name}${c.company ? `（${c.company}）` : ''}`),
      ...line('电话', c.phones.join('、') || undefined),
      ...line('邮箱', c.email),
      ...line('客户编号', c.code),
      `分类：${t.category} · 紧急程度：${t.priority}`,
    ].join('\n'),
  );
  const quoted: string[] = [];
  let used = 0;
  for (const m of t.messages) {
    const body = clean(m.text);
    if (!body) continue;
    const block = [`> ${stamp(m.at)} ${m.from === 'customer' ? '客户' : '我'}：`, ...body.split('\n').map((l) => `> ${l}`)].join('\n');
    if (used + block.length > MAX_QUOTED) {
      quoted.push('> …');
      break;
    }
    used += block.length;
    quoted.push(block);
  }
  if (quoted.length) parts.push(['聊天记录 / Chat messages', ...quoted].join('\n'));
  parts.push(markerLine(key));
  return parts.join('\n\n');
}

export function followUpText(f: FollowUp, key: string): string {
  const head = `跟进：${f.method} · ${stamp(f.at)}${f.by ? ` · ${f.by}` : ''}`;
  const tail = [...line('结果', f.result), ...line('下次行动', f.nextAction), ...line('下次时间', f.nextAt !== undefined ? stamp(f.nextAt) : undefined)];
  return [head, clean(f.content), tail.join('\n'), markerLine(key)].filter(Boolean).join('\n\n');
}

/** One line, at most 1024 characters (a task name is a single line in Asana's UI). */
export function taskName(subject: string): string {
  const s = subject.replace(/\s+/g, ' ').trim();
  if (!s) throw new CrmError('validation', 'Asana: the ticket has no subject', { userMessage: { zh_CN: '工单没有标题', en: 'The ticket has no subject' } });
  return [...s].length > 1024 ? `${[...s].slice(0, 1023).join('')}…` : s;
}
