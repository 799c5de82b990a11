// Follow-ups are comments on the customer's page (POST /v1/comments {parent:{page_id}, rich_text}),
// chosen over child blocks because a comment carries its author (created_by) and time
// (created_time) as Notion's own fields, is read back as a list (GET /v1/comments?block_id=)
// with the same paging as queries, and leaves the page's content and last_edited_time alone, so
// logging a follow-up is not read back as a change to the customer. The integration needs the
// Insert/Read comments capabilities (spec.ts help); without them Notion answers 403
// restricted_resource (errors.ts).
//
// Idempotency: the comment's last line names the follow-up's Liaison id ("[Liaison <id>]"); the
// page's comments are read before posting, so a retry after a lost reply finds the first one.
import { FOLLOW_UP_METHODS, FOLLOW_UP_RESULTS, type FollowUp } from '../../model';
import type { ListOptions, RemoteFollowUp, RemoteRef, WriteOptions } from '../port';
import { call, enc, type NotionContext } from './client';
import { commentSchema, listOf, notionTime, plain, userSchema, type NotionComment } from './objects';
import { textItems } from './values';

const commentList = listOf(commentSchema);
const MARKER = /^\[Liaison ([A-Za-z0-9_-]{1,100})\]$/;
/** Comments read per page (the documented maximum) and pages at most (10,000 comments). */
const COMMENT_PAGES_MAX = 100;

export function markerOf(id: string): string {
  return `[Liaison ${id.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 100)}]`;
}

export function commentText(f: FollowUp): string {
  const lines = [
    (f.content || f.summary || '').trim(),
    ...(f.method ? [`跟进方式：${f.method}`] : []),
    ...(f.result ? [`跟进结果：${f.result}`] : []),
    ...(f.nextAction ? [`下次行动：${f.nextAction}`] : []),
    ...(f.nextAt ? [`下次时间：${new Date(f.nextAt).toISOString()}`] : []),
    ...(f.by ? [`跟进人：${f.by}`] : []),
    markerOf(f.id),
  ].filter(Boolean);
  return lines.join('\n');
}

export async function listComments(ctx: NotionContext, pageId: string, signal?: AbortSignal): Promise<NotionComment[]> {
  const out: NotionComment[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < COMMENT_PAGES_MAX; i++) {
    const reply = await call(ctx, 'get', 'v1/comments', { searchParams: { block_id: pageId, page_size: 100, start_cursor: cursor }, signal, schema: commentList });
    out.push(...reply.results);
    if (!reply.has_more || !reply.next_cursor) return out;
    cursor = reply.next_cursor;
  }
  return out;
}

export async function addFollowUp(ctx: NotionContext, pageId: string, f: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  const marker = markerOf(f.id);
  const existing = (await listComments(ctx, pageId, opts.signal)).find((c) => plain(c.rich_text).trimEnd().endsWith(marker));
  if (existing) return { remoteId: existing.id };
  const created = await call(ctx, 'post', 'v1/comments', { json: { parent: { page_id: pageId }, rich_text: textItems(commentText(f)) }, write: true, signal: opts.signal, schema: commentSchema });
  return { remoteId: created.id };
}

/** A user's name (GET /v1/users/{id}); without the user-information capability, the id. */
async function authorOf(ctx: NotionContext, userId: string, signal?: AbortSignal): Promise<string> {
  let name = ctx.users.get(userId);
  if (!name) {
    name = call(ctx, 'get', `v1/users/${enc(userId)}`, { signal, schema: userSchema }).then(
      (u) => u.name?.trim() || undefined,
      () => undefined,
    );
    ctx.users.set(userId, name);
  }
  return (await name) ?? userId;
}

export function parseComment(text: string): Omit<RemoteFollowUp, 'remoteId' | 'at'> {
  const lines = text.split('\n').map((l) => l.trim());
  while (lines.length && !lines[lines.length - 1]) lines.pop();
  const out: Omit<RemoteFollowUp, 'remoteId' | 'at'> = { content: '' };
  const m = lines.length ? MARKER.exec(lines[lines.length - 1]!) : null;
  if (m) {
    out.liaisonKey = m[1];
    lines.pop();
  }
  const rest: string[] = [];
  for (const line of lines) {
    const lm = /^(跟进方式|跟进结果|下次行动|下次时间|跟进人)：(.+)$/.exec(line);
    const label = lm?.[1];
    const value = lm?.[2]?.trim() ?? '';
    if (label === '跟进方式' && (FOLLOW_UP_METHODS as readonly string[]).includes(value)) out.method = value as FollowUp['method'];
    else if (label === '跟进结果' && (FOLLOW_UP_RESULTS as readonly string[]).includes(value)) out.result = value as FollowUp['result'];
    else if (label === '下次行动') out.nextAction = value;
    else if (label === '下次时间' && notionTime(value) !== undefined) out.nextAt = notionTime(value);
    else if (label === '跟进人') out.by = value;
    else rest.push(line);
  }
  out.content = rest.join('\n').trim();
  return out;
}

/** The page's comments as follow-ups, newest first; the author is Notion's created_by (a name written by Liaison as 跟进人 wins). */
export async function listFollowUps(ctx: NotionContext, pageId: string, opts: ListOptions = {}): Promise<RemoteFollowUp[]> {
  const rows: RemoteFollowUp[] = [];
  for (const c of await listComments(ctx, pageId, opts.signal)) {
    const at = notionTime(c.created_time);
    if (at === undefined) continue;
    if (opts.since !== undefined && at < opts.since) continue;
    const parsed = parseComment(plain(c.rich_text));
    rows.push({ remoteId: c.id, at, ...parsed, by: parsed.by ?? (await authorOf(ctx, c.created_by.id, opts.signal)) });
  }
  rows.sort((a, b) => b.at - a.at || (a.remoteId < b.remoteId ? 1 : -1));
  return opts.limit !== undefined ? rows.slice(0, Math.max(0, opts.limit)) : rows;
}
