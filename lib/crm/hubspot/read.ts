// The read side for contacts: getCustomer and changesSince.
//
// getCustomer: GET /crm/v3/objects/contacts/{id}?properties=…&archived=false. 404 (deleted,
// archived — an archived contact answers 404 unless archived=true is asked) → null. The marker is
// the contact's lastmodifieddate (HubSpot's modified time; the search guide names lastmodifieddate
// for contacts, hs_lastmodifieddate for other objects) as a decimal epoch-ms string, falling back
// to the reply's updatedAt (the same instant).
// A merged-away id: HubSpot answers with the surviving contact (another id); the record then
// carries that id as remoteId, and the caller relinks.
//
// changesSince: POST /crm/v3/objects/contacts/search, filter lastmodifieddate GTE `since` (epoch
// ms as a string, the form the guide uses for datetime filters; GTE is inclusive), one sort rule
// lastmodifieddate ASCENDING, limit ≤ 200 (the guide's page maximum; default 100). Paging is by
// keyset on the modified time, not by the reply's `after` offset alone:
// - a search pages at most 10,000 results (the guide: "the search endpoints will return at most
//   10,000 results"); a keyset restart per page never goes near it;
// - `after` is an offset into the current result set: a contact edited during the pass moves to
//   the end of an ascending sort and shifts every later one back by a place, so an offset page
//   would skip one record for good. Restarting each page at the last modified time seen cannot.
// The page token carries the last time seen, the ids already returned at exactly that time (the
// next page filters GTE it and drops them), and HubSpot's own `after` only while a whole page
// shares one millisecond.
// The search index is eventually consistent: an edit shows in search seconds after it is made
// (HubSpot: "it may take a few moments for newly created or updated objects to appear"; seen up
// to ~10 s). A pull must start each pass at least SEARCH_INDEX_LAG_MS before the time the previous
// pass started, or an edit made just before it can be missed; the adapter cannot widen `since`
// itself without returning what was not asked for.
// Search calls take the search lane (client.ts: 3.6/s, under HubSpot's separate search limit).
import { z } from 'zod';
import { CrmError } from '../errors';
import type { ChangesOptions, ChangesPage, RemoteCustomerRecord } from '../port';
import type { HubspotContext } from './client';
import { getObject, searchPage, SEARCH_PAGE_MAX, type HubspotObject } from './objects';
import { contactFields, contactReadProperties, hubspotTime } from './read-values';
import { customerNames } from './values';

/** How far a pull should reach back behind the previous pass's start (search index lag). */
export const SEARCH_INDEX_LAG_MS = 60_000;
export const CHANGES_PAGE_DEFAULT = 100;
const MODIFIED = 'lastmodifieddate';

const modifiedOf = (o: HubspotObject): number | undefined => hubspotTime(o.properties[MODIFIED]) ?? hubspotTime(o.updatedAt);

export function toRecord(o: HubspotObject, ctx: Pick<HubspotContext, 'config'>): RemoteCustomerRecord {
  const { fields, unreadable } = contactFields(o.properties, ctx.config);
  const modifiedAt = modifiedOf(o);
  const codeName = customerNames(ctx.config).code;
  const code = codeName ? o.properties[codeName]?.trim() : undefined;
  return {
    remoteId: o.id,
    ...(code ? { remoteCode: code } : {}),
    ...(modifiedAt !== undefined ? { marker: String(modifiedAt), modifiedAt } : {}),
    fields,
    ...(unreadable.length ? { unreadable } : {}),
  };
}

export async function getCustomer(ctx: HubspotContext, remoteId: string, signal?: AbortSignal): Promise<RemoteCustomerRecord | null> {
  if (!/^\d+$/.test(remoteId)) throw new CrmError('validation', 'HubSpot: a contact id is a number');
  const o = await getObject(ctx, 'contacts', remoteId, contactReadProperties(ctx.config), signal);
  if (!o || o.archived) return null;
  return toRecord(o, ctx);
}

const cursorSchema = z.object({ m: z.number().int().nonnegative(), s: z.array(z.string().regex(/^\d+$/)).max(SEARCH_PAGE_MAX * 50), a: z.string().min(1).optional() });
type Cursor = z.infer<typeof cursorSchema>;

function readCursor(page: string | undefined, since: number): Cursor {
  if (page === undefined) return { m: Math.max(0, Math.floor(since)), s: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(page);
  } catch {
    parsed = undefined;
  }
  const c = cursorSchema.safeParse(parsed);
  if (!c.success) throw new CrmError('validation', 'HubSpot changesSince: the page token is not one this adapter returned');
  return c.data;
}

export async function changesSince(ctx: HubspotContext, opts: ChangesOptions): Promise<ChangesPage> {
  if (!Number.isFinite(opts.since) || opts.since < 0) throw new CrmError('validation', 'HubSpot changesSince: since must be epoch ms');
  const cursor = readCursor(opts.page, opts.since);
  const limit = Math.max(1, Math.min(SEARCH_PAGE_MAX, Math.floor(opts.limit ?? CHANGES_PAGE_DEFAULT)));
  const reply = await searchPage(
    ctx,
    'contacts',
    {
      filterGroups: [{ filters: [{ propertyName: MODIFIED, operator: 'GTE', value: String(cursor.m) }] }],
      sorts: [{ propertyName: MODIFIED, direction: 'ASCENDING' }],
      properties: contactReadProperties(ctx.config),
      limit,
      ...(cursor.a ? { after: cursor.a } : {}),
    },
    opts.signal,
  );
  const seen = new Set(cursor.s);
  const times = reply.results.map(modifiedOf);
  if (times.some((t) => t === undefined)) throw new CrmError('validation', `HubSpot search reply: a contact without ${MODIFIED}`);
  for (const t of times) if (t! < cursor.m) throw new CrmError('validation', `HubSpot search reply: a contact modified before the ${MODIFIED} filter`);
  const records = reply.results.filter((o, i) => !(times[i] === cursor.m && seen.has(o.id))).map((o) => toRecord(o, ctx));
  const after = reply.paging?.next?.after;
  if (!after) return { records };
  const last = Math.max(...(times as number[]));
  const atLast = reply.results.filter((_, i) => times[i] === last).map((o) => o.id);
  // A whole page at one millisecond: the keyset cannot advance, so HubSpot's own offset does.
  const next: Cursor = last > cursor.m ? { m: last, s: atLast } : { m: cursor.m, s: [...new Set([...cursor.s, ...atLast])], a: after };
  return { records, next: JSON.stringify(next) };
}
