// The read side for customer pages: getCustomer and changesSince.
//
// getCustomer: GET /v1/pages/{id}. A page moved to the trash still answers 200 with in_trash
// (archived in older versions) true → null; 404 object_not_found (deleted for good, or no longer
// shared with the integration) → null.
//
// The marker: Notion rounds last_edited_time down to the minute (changelog 2022, "Last edited
// and created time properties are now rounded to the nearest minute"), so two edits in one
// minute carry the same time. The marker is that time plus a hash of the mapped property values
// (compared for equality only, port.ts), so a colleague's second edit in the same minute still
// changes it.
//
// changesSince: POST /v1/data_sources/{id}/query with the timestamp filter
// {timestamp: "last_edited_time", last_edited_time: {on_or_after}} (since floored to its minute,
// as Notion's times are), sorted by last_edited_time ascending, page_size ≤ 100, Notion's own
// start_cursor / next_cursor paging. Records edited before `since` within that minute are
// returned too (the filter cannot tell them apart): the pull's merge compares values, not times.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { ChangesOptions, ChangesPage, RemoteCustomerRecord } from '../port';
import { call, enc, type NotionContext } from './client';
import { notionTime, pageSchema, type NotionPage } from './objects';
import { PAGE_SIZE_MAX, queryPage } from './query';
import { dataSource } from './sources';
import { customerFields, customerNames, readText, type CustomerNames } from './values';

/** FNV-1a over the values, hex: enough to tell two states of one page apart. */
export function hashOf(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export function toRecord(page: NotionPage, names: CustomerNames): RemoteCustomerRecord {
  const { fields, unreadable } = customerFields(page.properties, names);
  const modifiedAt = notionTime(page.last_edited_time);
  const code = names.code ? readText(page.properties[names.code]) : undefined;
  const values = Object.values(names).map((n) => JSON.stringify(page.properties[n] ? page.properties[n]![page.properties[n]!.type] ?? null : null));
  return {
    remoteId: page.id,
    ...(code ? { remoteCode: code } : {}),
    marker: `${modifiedAt ?? 0}:${hashOf(values.join('|'))}`,
    ...(modifiedAt !== undefined ? { modifiedAt } : {}),
    fields,
    ...(unreadable.length ? { unreadable } : {}),
  };
}

export async function getPage(ctx: NotionContext, pageId: string, signal?: AbortSignal): Promise<NotionPage | null> {
  try {
    return await call(ctx, 'get', `v1/pages/${enc(pageId)}`, { signal, schema: pageSchema });
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found') return null;
    throw e;
  }
}

export async function getCustomer(ctx: NotionContext, remoteId: string, signal?: AbortSignal): Promise<RemoteCustomerRecord | null> {
  const page = await getPage(ctx, remoteId, signal);
  if (!page || page.in_trash || page.archived) return null;
  const ds = await dataSource(ctx, 'customers', signal);
  return toRecord(page, customerNames(ctx.config, ds));
}

const cursorSchema = z.object({ s: z.number().int().nonnegative(), c: z.string().min(1) });

export async function changesSince(ctx: NotionContext, opts: ChangesOptions): Promise<ChangesPage> {
  if (!Number.isFinite(opts.since) || opts.since < 0) throw new CrmError('validation', 'Notion changesSince: since must be epoch ms');
  let cursor: string | undefined;
  let since = Math.floor(opts.since / 60_000) * 60_000;
  if (opts.page !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(opts.page);
    } catch {
      parsed = undefined;
    }
    const c = cursorSchema.safeParse(parsed);
    if (!c.success) throw new CrmError('validation', 'Notion changesSince: the page token is not one this adapter returned');
    since = c.data.s;
    cursor = c.data.c;
  }
  const ds = await dataSource(ctx, 'customers', opts.signal);
  const names = customerNames(ctx.config, ds);
  const page_size = Math.max(1, Math.min(PAGE_SIZE_MAX, Math.floor(opts.limit ?? PAGE_SIZE_MAX)));
  const reply = await queryPage(
    ctx,
    ds.id,
    {
      filter: { timestamp: 'last_edited_time', last_edited_time: { on_or_after: new Date(since).toISOString() } },
      sorts: [{ timestamp: 'last_edited_time', direction: 'ascending' }],
      page_size,
      ...(cursor ? { start_cursor: cursor } : {}),
    },
    opts.signal,
  );
  for (const p of reply.results) {
    const t = notionTime(p.last_edited_time);
    if (t === undefined || t < since) throw new CrmError('validation', 'Notion query reply: a page edited before the last_edited_time filter');
  }
  const records = reply.results.filter((p) => !p.in_trash && !p.archived).map((p) => toRecord(p, names));
  return { records, ...(reply.has_more && reply.next_cursor ? { next: JSON.stringify({ s: since, c: reply.next_cursor }) } : {}) };
}
