// Follow-ups are updates on the customer's item (create_update(item_id, body)): an update
// carries its creator and created_at as monday's own fields, is read back from the item
// (items(ids) { updates(limit, page) }), and does not change the item's column values.
//
// The body is HTML (monday renders updates as rich text): one <p> per line, escaped. Its last
// line names the follow-up's Liaison id ("[Liaison <id>]"); the item's updates are read before
// posting, so a retry after a lost reply finds the first one (lookup before create), and a pull
// tells Liaison's own updates from a colleague's (RemoteFollowUp.liaisonKey).
import { z } from 'zod';
import { FOLLOW_UP_METHODS, FOLLOW_UP_RESULTS, type FollowUp } from '../../model';
import { CrmError } from '../errors';
import type { ListOptions, RemoteFollowUp, RemoteRef, WriteOptions } from '../port';
import { COMPLEXITY, gql, type MondayContext } from './client';
import { mondayTime, updateSchema, type Update } from './objects';

const MARKER = /^\[Liaison ([A-Za-z0-9_-]{1,100})\]$/;
/** Updates read per page (monday's `updates` takes limit/page) and pages at most. */
const UPDATES_PER_PAGE = 100;
const UPDATE_PAGES_MAX = 20;

export function markerOf(id: string): string {
  return `[Liaison ${id.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 100)}]`;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function followUpLines(f: FollowUp): string[] {
  return [
    ...(f.content || f.summary || '').trim().split('\n'),
    ...(f.method ? [`跟进方式：${f.method}`] : []),
    ...(f.result ? [`跟进结果：${f.result}`] : []),
    ...(f.nextAction ? [`下次行动：${f.nextAction}`] : []),
    ...(f.nextAt ? [`下次时间：${new Date(f.nextAt).toISOString()}`] : []),
    ...(f.at ? [`跟进时间：${new Date(f.at).toISOString()}`] : []),
    ...(f.by ? [`跟进人：${f.by}`] : []),
    markerOf(f.id),
  ].filter((l) => l.trim());
}

export const updateBody = (f: FollowUp) => followUpLines(f).map((l) => `<p>${escapeHtml(l)}</p>`).join('');

/** An update's plain text: text_body when monday gives it, else the body's HTML reduced to lines. */
export function plainText(u: Pick<Update, 'body' | 'text_body'>): string {
  const html = u.body
    .replace(/<\/p>\s*/gi, '\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  // text_body flattens paragraphs into one line on monday's side; the HTML keeps them apart.
  return html.includes('\n') || !u.text_body ? html : u.text_body;
}

export function parseUpdate(text: string): Omit<RemoteFollowUp, 'remoteId' | 'at'> & { when?: number } {
  const lines = text.split('\n').map((l) => l.trim());
  while (lines.length && !lines[lines.length - 1]) lines.pop();
  const out: Omit<RemoteFollowUp, 'remoteId' | 'at'> & { when?: number } = { content: '' };
  const m = lines.length ? MARKER.exec(lines[lines.length - 1]!) : null;
  if (m) {
    out.liaisonKey = m[1]!;
    lines.pop();
  }
  const rest: string[] = [];
  for (const line of lines) {
    const kv = /^(跟进方式|跟进结果|下次行动|下次时间|跟进时间|跟进人)：(.*)$/.exec(line);
    const [label, value] = kv ? [kv[1]!, kv[2]!.trim()] : ['', ''];
    if (label === '跟进方式' && (FOLLOW_UP_METHODS as readonly string[]).includes(value)) out.method = value as FollowUp['method'];
    else if (label === '跟进结果' && (FOLLOW_UP_RESULTS as readonly string[]).includes(value)) out.result = value as FollowUp['result'];
    else if (label === '下次行动' && value) out.nextAction = value;
    else if (label === '下次时间' && mondayTime(value) !== undefined) out.nextAt = mondayTime(value)!;
    else if (label === '跟进时间' && mondayTime(value) !== undefined) out.when = mondayTime(value)!;
    else if (label === '跟进人' && value) out.by = value;
    else rest.push(line);
  }
  out.content = rest.join('\n').trim();
  return out;
}

const LIST = `query ItemUpdates($ids: [ID!], $limit: Int, $page: Int) { items(ids: $ids, limit: 1) { id state updates(limit: $limit, page: $page) { id body text_body created_at creator_id creator { name } } } ${COMPLEXITY} }`;
const listReply = z.object({ items: z.array(z.object({ id: z.string(), state: z.string().nullable().optional(), updates: z.array(updateSchema).nullable() }).nullable()).nullable() });

export async function listUpdates(ctx: MondayContext, itemId: string, signal?: AbortSignal): Promise<Update[]> {
  const out: Update[] = [];
  for (let page = 1; page <= UPDATE_PAGES_MAX; page++) {
    const data = await gql(ctx, LIST, { variables: { ids: [itemId], limit: UPDATES_PER_PAGE, page }, signal, schema: listReply });
    const item = data.items?.find((i) => i?.id === itemId);
    if (!item) throw new CrmError('not-found', `monday: item ${itemId} not found`);
    const rows = item.updates ?? [];
    out.push(...rows);
    if (rows.length < UPDATES_PER_PAGE) return out;
  }
  return out;
}

const CREATE = `mutation CreateUpdate($item: ID!, $body: String!) { create_update(item_id: $item, body: $body) { id created_at } ${COMPLEXITY} }`;
const createReply = z.object({ create_update: z.object({ id: z.string(), created_at: z.string().nullable().optional() }) });

export async function addFollowUp(ctx: MondayContext, itemId: string, f: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  const marker = markerOf(f.id);
  const existing = (await listUpdates(ctx, itemId, opts.signal)).find((u) => plainText(u).trimEnd().endsWith(marker));
  if (existing) return { remoteId: existing.id };
  const created = await gql(ctx, CREATE, { variables: { item: itemId, body: updateBody(f) }, write: true, signal: opts.signal, schema: createReply });
  return { remoteId: created.create_update.id };
}

/** The item's updates as follow-ups, newest first; the author is monday's creator (a 跟进人 line written by Liaison wins). */
export async function listFollowUps(ctx: MondayContext, itemId: string, opts: ListOptions = {}): Promise<RemoteFollowUp[]> {
  const rows: RemoteFollowUp[] = [];
  for (const u of await listUpdates(ctx, itemId, opts.signal)) {
    const created = mondayTime(u.created_at);
    if (created === undefined) continue;
    const { when, ...parsed } = parseUpdate(plainText(u));
    const at = when ?? created;
    if (opts.since !== undefined && at < opts.since) continue;
    const by = parsed.by ?? (u.creator?.name?.trim() || u.creator_id || undefined);
    rows.push({ remoteId: u.id, at, ...parsed, ...(by ? { by } : {}) });
  }
  rows.sort((a, b) => b.at - a.at || (a.remoteId < b.remoteId ? 1 : -1));
  return opts.limit !== undefined ? rows.slice(0, Math.max(0, opts.limit)) : rows;
}
