// Follow-ups as Notes on the customer's record. Create: POST /crm/v8/Notes {data:[{Note_Title,
// Note_Content, Parent_Id:{module:{api_name}, id}}]} (notes.json). Notes take no custom fields,
// so the content ends with a [Liaison <key>] line and a create first reads the record's notes
// (GET /crm/v8/{module}/{id}/Notes, related_records.json) for that line: a retry after a lost
// reply finds the first attempt.
import { z } from 'zod';
import type { FollowUp } from '../../model';
import { CrmError } from '../errors';
import type { ChangesOptions, FollowUpChangesPage, ListOptions, RemoteFollowUp, RemoteRef, WriteOptions } from '../port';
import { call, notValidId, parseTime, zohoTime, type ZohoContext } from './client';
import { writeReply } from './records';
import { markerIn, noteContent, noteMarker, noteText } from './values';

const noteSchema = z.object({
  id: z.string(),
  Note_Title: z.string().nullable().optional(),
  Note_Content: z.string().nullable().optional(),
  Created_Time: z.string().optional(),
  Owner: z.object({ name: z.string().optional(), id: z.string() }).passthrough().nullable().optional(),
  Created_By: z.object({ name: z.string().optional(), id: z.string() }).passthrough().nullable().optional(),
  Modified_Time: z.string().optional(),
  Parent_Id: z.object({ id: z.string(), module: z.object({ api_name: z.string() }).passthrough().optional() }).passthrough().nullable().optional(),
});
const notesReply = z.object({ data: z.array(noteSchema), info: z.object({ more_records: z.boolean().optional() }).passthrough().optional() }).optional();
type Note = z.infer<typeof noteSchema>;

async function* notesOf(ctx: ZohoContext, remoteId: string, signal?: AbortSignal, maxPages = 10): AsyncGenerator<Note[]> {
  for (let page = 1; page <= maxPages; page++) {
    const r = await call(ctx, 'get', `crm/v8/${ctx.config.customerModule}/${remoteId}/Notes`, { searchParams: { fields: 'Note_Title,Note_Content,Created_Time,Owner,Created_By', page, per_page: 200 }, schema: notesReply, signal });
    yield r?.data ?? [];
    if (!r?.info?.more_records) return;
  }
}

export async function addFollowUp(ctx: ZohoContext, remoteId: string, f: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  const bad = notValidId(remoteId);
  if (bad) throw bad;
  const marker = noteMarker(opts.idempotencyKey);
  for await (const page of notesOf(ctx, remoteId, opts.signal)) {
    const mine = page.find((n) => (n.Note_Content ?? '').trimEnd().endsWith(marker));
    if (mine) return { remoteId: mine.id };
  }
  const body: Record<string, unknown> = {
    Note_Title: (f.summary ?? f.content ?? '').trim().split('\n')[0]!.slice(0, 120) || `跟进 ${f.method ?? ''}`.trim(),
    Note_Content: noteContent(f, opts.idempotencyKey),
    Parent_Id: { module: { api_name: ctx.config.customerModule }, id: remoteId },
  };
  const r = await call(ctx, 'post', 'crm/v8/Notes', { json: { data: [body] }, write: true, schema: writeReply, signal: opts.signal });
  return { remoteId: r.data[0]!.details.id };
}

function remoteNote(n: Note): RemoteFollowUp {
  const content = n.Note_Content ?? '';
  const key = markerIn(content);
  const by = n.Created_By?.name ?? n.Owner?.name ?? n.Created_By?.id ?? n.Owner?.id;
  return { remoteId: n.id, at: parseTime(n.Created_Time) ?? 0, content: noteText(content), ...(by ? { by } : {}), ...(key ? { liaisonKey: key } : {}) };
}

/**
 * Every customer's notes changed since a time: GET /crm/v8/Notes with If-Modified-Since, sorted by
 * Modified_Time ascending, the notes of the customer module kept. Pages are page numbers under one
 * If-Modified-Since; notes.json declares no page_token, so at Zoho's 2,000-record page limit the
 * read restarts from the last note's Modified_Time (cursor "<since ms>.<page>").
 */
export async function followUpsSince(ctx: ZohoContext, o: ChangesOptions): Promise<FollowUpChangesPage> {
  const m = o.page === undefined ? undefined : /^(\d{1,15})\.([1-9]\d{0,2})$/.exec(o.page);
  if (o.page !== undefined && !m) throw new CrmError('validation', 'Zoho: not a page token of this read');
  const since = m ? Number(m[1]) : o.since;
  const page = m ? Number(m[2]) : 1;
  const perPage = Math.min(Math.max(1, o.limit ?? 200), 200);
  let r: z.output<typeof notesReply>;
  try {
    r = await call(ctx, 'get', 'crm/v8/Notes', {
      headers: { 'if-modified-since': zohoTime(since - 1000) },
      searchParams: { fields: 'Note_Title,Note_Content,Created_Time,Modified_Time,Owner,Created_By,Parent_Id', sort_by: 'Modified_Time', sort_order: 'asc', page, per_page: perPage },
      schema: notesReply,
      signal: o.signal,
    });
  } catch (e) {
    if (e instanceof CrmError && e.status === 304) return { rows: [], ...asOf(ctx) };
    throw e;
  }
  const data = r?.data ?? [];
  const rows = data
    .filter((n) => n.Parent_Id?.id && (n.Parent_Id.module?.api_name ?? ctx.config.customerModule) === ctx.config.customerModule)
    .map((n) => {
      const modifiedAt = parseTime(n.Modified_Time);
      return { ...remoteNote(n), customerRemoteId: n.Parent_Id!.id, ...(modifiedAt !== undefined ? { modifiedAt } : {}) };
    });
  let next: string | undefined;
  if (r?.info?.more_records) {
    if ((page + 1) * perPage <= 2000) next = `${since}.${page + 1}`;
    else {
      const last = parseTime(data[data.length - 1]?.Modified_Time);
      // A whole 2,000 notes within one second cannot be paged past: say so rather than loop.
      if (last === undefined || last - 1000 <= since) throw new CrmError('unsupported', 'Zoho: more than 2,000 notes changed within one second; the feed cannot page past them');
      next = `${last}.1`;
    }
  }
  return { rows, ...(next ? { next } : {}), ...asOf(ctx) };
}
const asOf = (ctx: ZohoContext) => {
  const t = ctx.serverNow?.();
  return t !== undefined ? { asOf: t } : {};
};

export async function listFollowUps(ctx: ZohoContext, remoteId: string, o: ListOptions): Promise<RemoteFollowUp[]> {
  const bad = notValidId(remoteId);
  if (bad) throw bad;
  const out: RemoteFollowUp[] = [];
  for await (const page of notesOf(ctx, remoteId, o.signal)) {
    for (const n of page) {
      const f = remoteNote(n);
      if (o.since === undefined || f.at >= o.since) out.push(f);
    }
  }
  out.sort((a, b) => b.at - a.at);
  return o.limit ? out.slice(0, o.limit) : out;
}
