// What Liaison writes into Trello, as the Markdown Trello renders in card descriptions and
// comments: the card's description (the ticket's text, the customer, the chat messages quoted)
// and a comment per follow-up. Both end with Liaison's marker line, `Liaison <key>`, which the
// lookups find again (cards.ts, comments.ts). Trello takes at most 16,384 characters in a
// description ("The Trello upper limit": rwjdk/trello-dotnet release 2.3.0 notes; trello.json
// gives the same maxLength to label names); Liaison holds comments to the same figure (an
// assumption, said in docs/trello.md). The text is shortened before the marker, never the marker.
import type { FollowUp } from '../../model';
import { CrmError } from '../errors';
import type { TicketInput } from '../port';
import { MARKER_PREFIX } from './spec';

export const MAX_TEXT = 16_384;

/** "2026-12-01 10:30 UTC": the chat's time, unambiguous for a team in any time zone. */
export const stamp = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The marker line: Liaison's idempotency key, in code style so Markdown leaves it alone. */
export function markerLine(key: string): string {
  if (!/^[A-Za-z0-9_.:-]{1,200}$/.test(key)) throw new CrmError('validation', `Trello: idempotency key "${key.slice(0, 40)}" cannot be a marker line`);
  return `\`${MARKER_PREFIX} ${key}\``;
}

/** Whether a description or comment carries this marker as a line of its own. */
export const hasMarker = (text: string | undefined, marker: string) => !!text && text.split(/\r?\n/).some((l) => l.trim() === marker);

/** Markdown's own characters at a line start would turn a customer's words into a heading or a list. */
const plain = (line: string) => line.replace(/^(\s*)([#>*+-]|\d+\.)(\s)/, '$1\\$2$3');

const clean = (t: string) => t.split(/\r?\n/).map((l) => plain(l.trimEnd())).join('\n').replace(/\n{3,}/g, '\n\n').trim();

/** The body shortened to fit before the marker (a "…" where it was cut). */
function fit(body: string, marker: string): string {
  const room = MAX_TEXT - marker.length - 2;
  const text = body.length > room ? `${body.slice(0, room - 1)}…` : body;
  return `${text}\n\n${marker}`;
}

/** One line, at most 512 characters (Trello takes longer names; a board shows the first lines only). */
export function cardName(subject: string): string {
  const s = subject.replace(/\s+/g, ' ').trim();
  if (!s) throw new CrmError('validation', 'Trello: the ticket has no subject', { userMessage: { zh_CN: '工单没有标题', en: 'The ticket has no subject' } });
  return [...s].length > 512 ? `${[...s].slice(0, 511).join('')}…` : s;
}

export function cardDescription(t: TicketInput, key: string): string {
  const c = t.customer;
  const marker = markerLine(key);
  const rows = [
    `姓名：${c.name}${c.company ? `（${c.company}）` : ''}`,
    c.phones.length ? `电话：${c.phones.join('、')}` : '',
    c.email ? `邮箱：${c.email}` : '',
    c.code ? `客户编号：${c.code}` : '',
    `分类：${t.category} · 紧急程度：${t.priority}`,
  ].filter(Boolean);
  const parts = [clean(t.description), `**客户 / Customer**\n${rows.map((r) => plain(r)).join('  \n')}`];
  const quoted = t.messages
    .map((m) => ({ head: `${stamp(m.at)} ${m.from === 'customer' ? '客户' : '我'}：`, body: clean(m.text) }))
    .filter((m) => m.body)
    .map((m) => `> **${m.head}**  \n${m.body.split('\n').map((l) => `> ${l}`).join('  \n')}`);
  if (quoted.length) parts.push(`**聊天记录 / Chat messages**\n\n${quoted.join('\n>\n')}`);
  return fit(parts.filter(Boolean).join('\n\n'), marker);
}

export function followUpComment(f: FollowUp, key: string): string {
  const head = `**跟进**：${f.method} · ${stamp(f.at)}${f.by ? ` · ${f.by}` : ''}`;
  const tail = [f.result ? `**结果**：${f.result}` : '', f.nextAction ? `**下次行动**：${f.nextAction}` : '', f.nextAt !== undefined ? `**下次时间**：${stamp(f.nextAt)}` : ''].filter(Boolean).join(' · ');
  return fit([head, clean(f.content), tail].filter(Boolean).join('\n\n'), markerLine(key));
}
