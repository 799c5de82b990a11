// listFollowUps: the customer's closed Tasks (a logged call, a completed to-do — and the
// completed Tasks addFollowUp writes), newest first, by SOQL on WhoId (sforce_api_objects_task.htm):
//   SELECT Id, Subject, Description, ActivityDate, CreatedDate, TaskSubtype, CreatedById,
//          CreatedBy.Name, Liaison_Id__c FROM Task
//   WHERE WhoId = '00Q…' AND IsClosed = true [AND CreatedDate >= 2026-…Z]
//   ORDER BY ActivityDate DESC NULLS LAST, CreatedDate DESC [LIMIT n]
// Open Tasks are reminders (createTask), not follow-ups. `since` filters on CreatedDate: a call a
// colleague logs today for last week is still new to a pull. The author is CreatedBy.Name (who
// logged it; a relationship field, a nested object in the reply); the time is ActivityDate, a
// day, made exact by CreatedDate when that falls on the same day, else that day's local midnight.
// Liaison's own Tasks carry the outbox key in the external ID field (liaisonKey), so a pull never
// imports them as a colleague's; their Subject/Description follow values.ts' followUpFields and
// are read back into method, result, summary lines, next action/time and author. Events and
// Notes are not read (Liaison writes neither).
import { z } from 'zod';
import { FOLLOW_UP_METHODS, FOLLOW_UP_RESULTS, type FollowUp } from '../../model';
import { CrmError } from '../errors';
import type { ListOptions, RemoteFollowUp } from '../port';
import { parseSfDate, parseSfDateTime, sfCall, sfDate, soqlDateTime, soqlString, type SalesforceContext } from './client';
import { usesExternalId } from './records';
import { customerObjectOf } from './update';

const taskRow = z
  .object({
    Id: z.string().min(1),
    Subject: z.string().nullish(),
    Description: z.string().nullish(),
    ActivityDate: z.string().nullish(),
    CreatedDate: z.string(),
    TaskSubtype: z.string().nullish(),
    CreatedById: z.string().nullish(),
    CreatedBy: z.object({ Name: z.string().nullish() }).loose().nullish(),
  })
  .loose();
const queryReply = z.object({ done: z.boolean(), nextRecordsUrl: z.string().optional(), records: z.array(taskRow) });
const CURSOR_URL = /^\/services\/data\/v\d+\.\d\/query\/[A-Za-z0-9]{15,18}-\d+$/;

const SUBTYPE_METHOD: Record<string, FollowUp['method']> = { Call: '电话', Email: '邮件', ListEmail: '邮件' };
const OUR_SUBJECT = new RegExp(`^(${FOLLOW_UP_METHODS.join('|')})跟进(?:：(${FOLLOW_UP_RESULTS.join('|')}))?$`);

function sameLocalDay(a: number, b: number): boolean {
  return sfDate(a) === sfDate(b);
}

export function toRemoteFollowUp(row: z.infer<typeof taskRow>, keyField: string | undefined): RemoteFollowUp {
  const created = parseSfDateTime(row.CreatedDate);
  if (created === undefined) throw new CrmError('validation', 'unexpected reply from Salesforce: Task CreatedDate is not a datetime');
  const day = parseSfDate(row.ActivityDate);
  const at = day === undefined || sameLocalDay(day, created) ? created : day;
  const key = keyField ? row[keyField] : undefined;
  const out: RemoteFollowUp = { remoteId: row.Id, at, content: '' };
  const ours = OUR_SUBJECT.exec(row.Subject ?? '');
  const lines = (row.Description ?? '').split('\n');
  if (ours) {
    // Liaison's own layout (values.ts followUpFields): labelled lines around the content.
    out.method = ours[1] as FollowUp['method'];
    if (ours[2]) out.result = ours[2] as FollowUp['result'];
    const rest: string[] = [];
    for (const line of lines) {
      const m = /^(摘要|下次行动|下次时间|跟进人)：(.*)$/.exec(line);
      if (!m) rest.push(line);
      else if (m[1] === '下次行动') out.nextAction = m[2]!;
      else if (m[1] === '下次时间' && parseSfDate(m[2]) !== undefined) out.nextAt = parseSfDate(m[2])!;
      else if (m[1] === '跟进人' && m[2]) out.by = m[2];
    }
    out.content = rest.join('\n').trim();
  } else {
    const method = row.TaskSubtype ? SUBTYPE_METHOD[row.TaskSubtype] : undefined;
    if (method) out.method = method;
    out.content = [row.Subject, row.Description].filter((x): x is string => !!x?.trim()).join('\n');
  }
  out.by ??= row.CreatedBy?.Name ?? row.CreatedById ?? undefined;
  if (out.by === undefined) delete out.by;
  if (typeof key === 'string' && key) out.liaisonKey = key;
  return out;
}

export async function listFollowUps(ctx: SalesforceContext, remoteCustomerId: string, o: ListOptions = {}): Promise<RemoteFollowUp[]> {
  customerObjectOf(ctx, remoteCustomerId); // a malformed id is refused before any request
  const limit = o.limit !== undefined ? Math.max(1, Math.floor(o.limit)) : undefined;
  const run = async (keyField: string | undefined) => {
    const fields = ['Id', 'Subject', 'Description', 'ActivityDate', 'CreatedDate', 'TaskSubtype', 'CreatedById', 'CreatedBy.Name', ...(keyField ? [keyField] : [])];
    const where = [`WhoId = ${soqlString(remoteCustomerId)}`, 'IsClosed = true', ...(o.since !== undefined ? [`CreatedDate >= ${soqlDateTime(o.since)}`] : [])];
    const soql = `SELECT ${fields.join(', ')} FROM Task WHERE ${where.join(' AND ')} ORDER BY ActivityDate DESC NULLS LAST, CreatedDate DESC${limit ? ` LIMIT ${limit}` : ''}`;
    const rows: z.infer<typeof taskRow>[] = [];
    let reply = await sfCall(ctx, 'get', 'query', { searchParams: { q: soql }, signal: o.signal, schema: queryReply });
    rows.push(...reply.records);
    while (!reply.done && (limit === undefined || rows.length < limit)) {
      if (!reply.nextRecordsUrl || !CURSOR_URL.test(reply.nextRecordsUrl)) throw new CrmError('validation', 'unexpected reply from Salesforce: done is false without a query cursor URL');
      reply = await sfCall(ctx, 'get', reply.nextRecordsUrl, { signal: o.signal, schema: queryReply });
      rows.push(...reply.records);
    }
    return rows;
  };
  let keyField = usesExternalId(ctx, 'Task') ? ctx.config.externalIdField : undefined;
  let rows;
  try {
    rows = await run(keyField);
  } catch (e) {
    // The org has no external ID field on Task (prepare() not run yet): read without it.
    if (!(keyField && e instanceof CrmError && e.vendorCode === 'INVALID_FIELD' && e.message.includes(keyField))) throw e;
    ctx.noExternalId.add('Task');
    keyField = undefined;
    rows = await run(undefined);
  }
  const out = rows.map((r) => toRemoteFollowUp(r, keyField));
  // Newest first by the time each one happened (ActivityDate made exact where CreatedDate allows).
  return out.sort((a, b) => b.at - a.at).slice(0, limit);
}
