// Tasks as activities of type "task" (API v2: POST /api/v2/activities {subject, type, due_date,
// due_time, participants:[{person_id, primary}], note}). Activities have no custom fields: a
// create first lists the person's activities due that day for the same subject and time, so a
// retry after a lost reply finds the first attempt.
import { z } from 'zod';
import type { RemoteRef, TaskInput, WriteOptions } from '../port';
import { call, notValidId, type PipedriveContext } from './client';
import { noteMarker } from './values';

const activitySchema = z.object({ id: z.number(), subject: z.string().optional(), due_date: z.string().nullable().optional(), due_time: z.string().nullable().optional(), note: z.string().nullable().optional() });
const one = z.object({ data: activitySchema });
const list = z.object({ data: z.array(activitySchema).nullable(), additional_data: z.object({ next_cursor: z.string().nullable().optional() }).nullable().optional() });

export async function createTask(ctx: PipedriveContext, personId: string, t: TaskInput, opts: WriteOptions): Promise<RemoteRef> {
  const bad = notValidId(personId);
  if (bad) throw bad;
  const iso = new Date(t.dueAt).toISOString();
  const due_date = iso.slice(0, 10);
  const due_time = iso.slice(11, 16); // Pipedrive keeps due times in UTC, HH:MM
  const subject = t.title.trim().slice(0, 255) || 'Liaison';
  const marker = noteMarker(opts.idempotencyKey);
  const body = { subject, type: 'task', due_date, due_time, participants: [{ person_id: Number(personId), primary: true }], note: `${t.note ? `${t.note}\n` : ''}${marker}` };
  let cursor: string | undefined;
  for (let i = 0; i < 10; i++) {
    const r = await call(ctx, 'get', 'api/v2/activities', { searchParams: { person_id: Number(personId), sort_by: 'due_date', sort_direction: 'desc', limit: 100, ...(cursor ? { cursor } : {}) }, schema: list, signal: opts.signal });
    const mine = (r.data ?? []).find((a) => a.subject === subject && a.due_date === due_date && (a.due_time ?? '').slice(0, 5) === due_time && (a.note ?? '').includes(marker));
    if (mine) return { remoteId: String(mine.id) };
    cursor = r.additional_data?.next_cursor ?? undefined;
    if (!cursor || (r.data ?? []).every((a) => (a.due_date ?? '') < due_date)) break;
  }
  const created = (await call(ctx, 'post', 'api/v2/activities', { json: body, write: true, schema: one, signal: opts.signal })).data;
  return { remoteId: String(created.id) };
}
