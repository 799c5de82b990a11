// Tasks: POST /crm/v8/Tasks/upsert {Subject, Due_Date, Status, Description, <link>, <Liaison Key>}
// with duplicate_check_fields on the key. The link, per Zoho's Tasks field docs: a contact in
// Who_Id; a lead in What_Id with $se_module "Leads". Without the key (setup not run) the task's
// Description carries the [Liaison <key>] line and a search by Subject runs first.
import type { RemoteRef, TaskInput, WriteOptions } from '../port';
import { call, criteriaValue, notValidId, type ZohoContext } from './client';
import { keyField } from './fields';
import { listReply, writeReply } from './records';
import { noteMarker, templateInto, zohoDate } from './values';

export async function createTask(ctx: ZohoContext, remoteId: string, t: TaskInput, opts: WriteOptions): Promise<RemoteRef> {
  const bad = notValidId(remoteId);
  if (bad) throw bad;
  const key = await keyField(ctx, 'Tasks', opts.signal);
  const subject = t.title.trim().slice(0, 255) || 'Liaison';
  const marker = noteMarker(opts.idempotencyKey);
  const link = ctx.config.customerModule === 'Contacts' ? { Who_Id: { id: remoteId } } : { What_Id: { id: remoteId }, $se_module: 'Leads' };
  const body: Record<string, unknown> = { Subject: subject, Due_Date: zohoDate(t.dueAt), Status: 'Not Started', ...(t.note ? { Description: t.note } : {}), ...link };
  templateInto(body, opts.fields, [key, 'Who_Id', 'What_Id', '$se_module', 'id']);
  if (key) {
    body[key] = opts.idempotencyKey;
    const r = await call(ctx, 'post', 'crm/v8/Tasks/upsert', { json: { data: [body], duplicate_check_fields: [key] }, write: true, schema: writeReply, signal: opts.signal });
    return { remoteId: r.data[0]!.details.id };
  }
  const found = await call(ctx, 'get', 'crm/v8/Tasks/search', { searchParams: { criteria: `(Subject:equals:${criteriaValue(subject)})`, page: 1, per_page: 200 }, schema: listReply, signal: opts.signal });
  const mine = (found?.data ?? []).find((x) => typeof x.Description === 'string' && x.Description.includes(marker));
  if (mine) return { remoteId: mine.id };
  body.Description = [t.note ?? '', marker].filter(Boolean).join('\n');
  const r = await call(ctx, 'post', 'crm/v8/Tasks', { json: { data: [body] }, write: true, schema: writeReply, signal: opts.signal });
  return { remoteId: r.data[0]!.details.id };
}
