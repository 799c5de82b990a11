// Atlassian Document Format for what Liaison writes into Jira: the issue description (the
// ticket's text, the customer, the chat messages quoted) and a comment per follow-up. Only the
// nodes of developer.atlassian.com/cloud/jira/platform/apis/document/structure (read 2026-12-06):
// doc(version 1) → paragraph / heading(level) / blockquote(paragraph…) → text(marks strong, code)
// and hardBreak. Text nodes are never empty (ADF refuses an empty text node).
import type { FollowUp } from '../../model';
import type { TicketInput } from '../port';

export interface AdfText { type: 'text'; text: string; marks?: { type: 'strong' | 'code' }[] }
export interface AdfBreak { type: 'hardBreak' }
export type AdfInline = AdfText | AdfBreak;
export type AdfBlock =
  | { type: 'paragraph'; content: AdfInline[] }
  | { type: 'heading'; attrs: { level: number }; content: AdfInline[] }
  | { type: 'blockquote'; content: AdfBlock[] };
export interface AdfDoc { type: 'doc'; version: 1; content: AdfBlock[] }

const text = (t: string, mark?: 'strong' | 'code'): AdfText[] => (t ? [{ type: 'text', text: t, ...(mark ? { marks: [{ type: mark }] } : {}) }] : []);

/** Lines joined by hard breaks; empty lines dropped. */
function lines(t: string): AdfInline[] {
  const out: AdfInline[] = [];
  for (const line of t.split(/\r?\n/).map((l) => l.trimEnd()).filter(Boolean)) {
    if (out.length) out.push({ type: 'hardBreak' });
    out.push(...text(line));
  }
  return out;
}

/** Paragraphs on blank lines; nothing for blank text. */
function paragraphs(t: string): AdfBlock[] {
  return t
    .split(/\r?\n\s*\r?\n/)
    .map(lines)
    .filter((c) => c.length)
    .map((content) => ({ type: 'paragraph', content }));
}

const labelled = (label: string, value: string | undefined): AdfInline[] => (value ? [...text(`${label}：`, 'strong'), ...text(value)] : []);
function row(...parts: AdfInline[][]): AdfBlock[] {
  const content: AdfInline[] = [];
  for (const p of parts.filter((x) => x.length)) {
    if (content.length) content.push({ type: 'hardBreak' });
    content.push(...p);
  }
  return content.length ? [{ type: 'paragraph', content }] : [];
}

/** "2026-12-01 10:30 UTC": the chat's time, unambiguous for a team in any time zone. */
export const stamp = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function ticketDescription(t: TicketInput): AdfDoc {
  const c = t.customer;
  const content: AdfBlock[] = [
    ...paragraphs(t.description),
    { type: 'heading', attrs: { level: 3 }, content: text('客户 / Customer') },
    ...row(
      labelled('姓名', `${c.name}${c.company ? `（${c.company}）` : ''}`),
      labelled('电话', c.phones.join('、') || undefined),
      labelled('邮箱', c.email),
      labelled('客户编号', c.code),
    ),
    ...row(labelled('分类', t.category), labelled('紧急程度', t.priority)),
  ];
  if (t.messages.length) {
    content.push({ type: 'heading', attrs: { level: 3 }, content: text('聊天记录 / Chat messages') });
    const quoted: AdfBlock[] = t.messages
      .map((m) => ({ head: text(`${stamp(m.at)} ${m.from === 'customer' ? '客户' : '我'}：`, 'strong'), body: lines(m.text) }))
      .filter((m) => m.body.length)
      .map((m) => ({ type: 'paragraph', content: [...m.head, { type: 'hardBreak' }, ...m.body] }));
    if (quoted.length) content.push({ type: 'blockquote', content: quoted });
  }
  return { type: 'doc', version: 1, content };
}

/** The marker line a comment carries: Liaison's idempotency key, found again by comments.ts. */
export const commentMarker = (key: string) => `Liaison ${key}`;

export function followUpComment(f: FollowUp, key: string): AdfDoc {
  return {
    type: 'doc',
    version: 1,
    content: [
      ...row(labelled('跟进', `${f.method} · ${stamp(f.at)}${f.by ? ` · ${f.by}` : ''}`)),
      ...paragraphs(f.content),
      ...row(labelled('结果', f.result), labelled('下次行动', f.nextAction), labelled('下次时间', f.nextAt !== undefined ? stamp(f.nextAt) : undefined)),
      { type: 'paragraph', content: text(commentMarker(key), 'code') },
    ],
  };
}

/** Every text node of a document, in order (for finding a marker). */
export function adfTexts(node: unknown): string[] {
  if (!node || typeof node !== 'object') return [];
  const n = node as { type?: unknown; text?: unknown; content?: unknown };
  const own = n.type === 'text' && typeof n.text === 'string' ? [n.text] : [];
  return [...own, ...(Array.isArray(n.content) ? n.content.flatMap(adfTexts) : [])];
}
