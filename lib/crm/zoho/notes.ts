// Follow-ups as Notes on the customer's record. Create: POST /crm/v8/Notes {data:[{Note_Title,
// Note_Content, Parent_Id:{module:{api_name}, id}}]} (notes.json). Notes take no custom fields,
// so the content ends with a [Liaison <key>] line and a create first reads the record's notes
// (GET /crm/v8/{module}/{id}/Notes, related_records.json) for that line: a retry after a lost
// reply finds the first attempt.
import { z } from 'zod';
import type { FollowUp } from '../../model';
import type { ListOptions, RemoteFollowUp, RemoteRef, WriteOptions } from '../port';
import { call, notValidId, parseTime, type ZohoContext } from './client';
import { writeReply } from './records';
import { markerIn, noteContent, noteMarker, noteText } from './values';

const noteSchema = z.object({
  id: z.string(),
  Note_Title: z.string().nullable().optional(),
  Note_Content: z.string().nullable().optional(),
  Created_Time: z.string().optional(),
  Owner: z.object({ name: z.string().optional(), id: z.string() }).passthrough().nullable().optional(),
  Created_By: z.object({ name: z.string().optional(), id: z.string() }).passthrough().nullable().optional(),
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

export async function listFollowUps(ctx: ZohoContext, remoteId: string, o: ListOptions): Promise<RemoteFollowUp[]> {
  const bad = notValidId(remoteId);
  if (bad) throw bad;
  const out: RemoteFollowUp[] = [];
  for await (const page of notesOf(ctx, remoteId, o.signal)) {
    for (const n of page) {
      const at = parseTime(n.Created_Time) ?? 0;
      if (o.since !== undefined && at < o.since) continue;
      const content = n.Note_Content ?? '';
      const key = markerIn(content);
      const by = n.Created_By?.name ?? n.Owner?.name ?? n.Created_By?.id ?? n.Owner?.id;
      out.push({ remoteId: n.id, at, content: noteText(content), ...(by ? { by } : {}), ...(key ? { liaisonKey: key } : {}) });
    }
  }
  out.sort((a, b) => b.at - a.at);
  return o.limit ? out.slice(0, o.limit) : out;
}
