// Follow-ups as notes on the person (API v1: POST /v1/notes {content, person_id, add_time}).
// Notes have no custom fields or idempotency key: the content's last line names the follow-up's
// Liaison id (values.ts noteMarker), and a create first reads the person's notes of that day
// for it, so a retry after a lost reply finds the first attempt. Read back newest first with
// start/limit paging; the author is the note's user.
import { z } from 'zod';
import type { FollowUp } from '../../model';
import type { ListOptions, RemoteFollowUp, RemoteRef, WriteOptions } from '../port';
import { call, notValidId, parseTime, v1Time, type PipedriveContext } from './client';
import { markerIn, noteContent, noteMarker, noteText, templateInto } from './values';

const noteSchema = z.object({
  id: z.number(),
  content: z.string().optional().default(''),
  add_time: z.string().optional(),
  person_id: z.number().nullable().optional(),
  user_id: z.number().optional(),
  user: z.object({ name: z.string().optional() }).passthrough().nullable().optional(),
});
const list = z.object({
  data: z.array(noteSchema).nullable(),
  additional_data: z.object({ pagination: z.object({ more_items_in_collection: z.boolean().optional(), next_start: z.number().optional() }).passthrough().optional() }).passthrough().nullable().optional(),
});
const one = z.object({ data: noteSchema });

async function notesOf(ctx: PipedriveContext, personId: string, o: { since?: number; day?: number; max: number; signal?: AbortSignal | undefined }) {
  const out: z.infer<typeof noteSchema>[] = [];
  let start = 0;
  const day = o.day !== undefined ? new Date(o.day).toISOString().slice(0, 10) : undefined;
  const from = o.since !== undefined ? new Date(o.since).toISOString().slice(0, 10) : undefined;
  while (out.length < o.max) {
    const r = await call(ctx, 'get', 'v1/notes', {
      searchParams: { person_id: personId, sort: 'add_time DESC', start, limit: Math.min(100, o.max - out.length), ...(day ? { start_date: day, end_date: day } : from ? { start_date: from } : {}) },
      schema: list,
      signal: o.signal,
    });
    out.push(...(r.data ?? []));
    const pg = r.additional_data?.pagination;
    if (!pg?.more_items_in_collection || pg.next_start === undefined) break;
    start = pg.next_start;
  }
  return out;
}

export async function addFollowUp(ctx: PipedriveContext, personId: string, f: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  const bad = notValidId(personId);
  if (bad) throw bad;
  const body: Record<string, unknown> = { content: noteContent(f), person_id: Number(personId), add_time: v1Time(f.at) };
  templateInto(body, opts.fields, ['person_id', 'add_time'], ['content']);
  body.content = `${String(body.content)}${body.content ? '<br>' : ''}${noteMarker(f.id)}`;
  const mine = (await notesOf(ctx, personId, { day: f.at, max: 500, signal: opts.signal })).find((n) => markerIn(n.content) === noteMarker(f.id).slice(9, -1));
  if (mine) return { remoteId: String(mine.id) };
  const created = (await call(ctx, 'post', 'v1/notes', { json: body, write: true, schema: one, signal: opts.signal })).data;
  return { remoteId: String(created.id) };
}

export async function listFollowUps(ctx: PipedriveContext, personId: string, o: ListOptions = {}): Promise<RemoteFollowUp[]> {
  const bad = notValidId(personId);
  if (bad) throw bad;
  const notes = await notesOf(ctx, personId, { ...(o.since !== undefined ? { since: o.since } : {}), max: o.limit ?? 200, signal: o.signal });
  return notes
    .map((n): RemoteFollowUp => {
      const key = markerIn(n.content);
      const by = n.user?.name ?? (n.user_id !== undefined ? String(n.user_id) : undefined);
      return { remoteId: String(n.id), at: parseTime(n.add_time) ?? 0, content: noteText(n.content), ...(by ? { by } : {}), ...(key ? { liaisonKey: key } : {}) };
    })
    .filter((n) => o.since === undefined || n.at >= o.since)
    .sort((a, b) => b.at - a.at);
}
