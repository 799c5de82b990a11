// changesSince: the connection's customer object (Lead or Contact) filtered BY Salesforce on
// SystemModstamp — indexed, and moved by every save, a user's or an automated process's, so a
// change is never missed (LastModifiedDate misses automated ones) — ordered by it, paged by
// Salesforce's query cursor (resources_query.htm: done / nextRecordsUrl; batches of 200–2000,
// headers_queryoptions.htm, read 2026-12-06):
//   SELECT … FROM Lead WHERE SystemModstamp >= 2026-12-06T08:00:00Z ORDER BY SystemModstamp, Id
// The literal is UTC, unquoted, whole seconds: `since` is floored to its second, so the read may
// also return a record stamped earlier in that same second (a superset, never a gap; Salesforce
// stamps whole seconds anyway). A record still being saved when the query runs can commit with
// a stamp before the query's time (salesforce.stackexchange 234824): the caller's next `since`
// should overlap the previous read rather than start at its end.
// `next` carries the `since` with the cursor's URL: a cursor Salesforce forgot (unused for 15
// minutes, INVALID_QUERY_LOCATOR) restarts the read from that `since` instead of failing the pull.
// Records of the other object (a Contact a Lead connection found and linked) are not in this
// read: the pull reads those with getCustomer.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { ChangesOptions, ChangesPage } from '../port';
import { sfCall, soqlDateTime, type SalesforceContext } from './client';
import { customerReadFields, customerRowSchema, toRemoteRecord } from './read-values';

/** Salesforce's batch bounds (headers_queryoptions.htm): it never pages below 200 or above 2000. */
export const BATCH_MIN = 200;
export const BATCH_MAX = 2000;

const queryReply = z.object({ totalSize: z.number(), done: z.boolean(), nextRecordsUrl: z.string().optional(), records: z.array(customerRowSchema) });
const CURSOR_URL = /^\/services\/data\/v\d+\.\d\/query\/[A-Za-z0-9]{15,18}-\d+$/;

function pageToken(token: string): { since: number; url: string } {
  const m = /^(\d{1,15})\|(.+)$/.exec(token);
  if (!m || !CURSOR_URL.test(m[2]!)) throw new CrmError('validation', 'Salesforce: not a page token of this read (call changesSince again without `page`)');
  return { since: Number(m[1]), url: m[2]! };
}

export async function changesSince(ctx: SalesforceContext, o: ChangesOptions): Promise<ChangesPage> {
  const object = ctx.config.customerObject;
  const first = (since: number) => {
    const soql = `SELECT ${customerReadFields(object, ctx.config).join(', ')} FROM ${object} WHERE SystemModstamp >= ${soqlDateTime(since)} ORDER BY SystemModstamp ASC, Id ASC`;
    const batch = Math.min(BATCH_MAX, Math.max(BATCH_MIN, Math.floor(o.limit ?? BATCH_MAX)));
    return sfCall(ctx, 'get', 'query', { searchParams: { q: soql }, headers: { 'Sforce-Query-Options': `batchSize=${batch}` }, signal: o.signal, schema: queryReply });
  };
  let since = o.since;
  let reply: z.infer<typeof queryReply>;
  if (o.page === undefined) reply = await first(since);
  else {
    const t = pageToken(o.page);
    since = t.since;
    try {
      reply = await sfCall(ctx, 'get', t.url, { signal: o.signal, schema: queryReply });
    } catch (e) {
      if (!(e instanceof CrmError && e.vendorCode === 'INVALID_QUERY_LOCATOR')) throw e;
      reply = await first(since);
    }
  }
  if (!reply.done && !reply.nextRecordsUrl) throw new CrmError('validation', 'unexpected reply from Salesforce: done is false without nextRecordsUrl');
  const next = reply.done ? undefined : `${since}|${reply.nextRecordsUrl}`;
  if (next) pageToken(next); // a cursor URL of another shape would not be followed later: refuse it now
  return { records: reply.records.map((r) => toRemoteRecord(r, object, ctx.config)), ...(next ? { next } : {}) };
}
