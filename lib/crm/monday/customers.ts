// Customers: items on the customers board. findCustomers, createCustomer (lookup before
// create on the Liaison key column), updateCustomer, getCustomer and changesSince.
//
// The marker: an item's updated_at (monday's Date, second precision) plus a hash of the mapped
// column values (compared for equality only, port.ts), so two edits within one second still
// change it.
//
// changesSince: boards(ids) { items_page(limit, query_params: {rules: [{column_id:
// "__last_updated__", compare_value: ["EXACT", "<day>"], compare_attribute: "UPDATED_AT",
// operator: greater_than_or_equals}], order_by: [{column_id: "__last_updated__", direction: asc}]})
// }, then next_items_page(cursor) while monday returns a cursor (cursors live 60 minutes). What
// we rely on, and from where:
//  - the schema (monday.graphql 2026-10) allows it: ItemsQuery {rules: [ItemsQueryRule {column_id:
//    ID!, compare_value: CompareValue! (a scalar: any JSON), compare_attribute: String, operator}],
//    order_by: [ItemsQueryOrderBy {column_id: String!, direction}]}; the schema cannot say which
//    column ids and compare values monday accepts;
//  - monday's changelog says items_page can filter and sort by the last-updated time through
//    `__last_updated__`; its documented date filters are day-level (["EXACT", "YYYY-MM-DD"],
//    compare_attribute UPDATED_AT), not instants.
// So the filter is asked from one UTC day before `since` (one day covers the account's time zone,
// whichever monday applies to the day), and the adapter trims the result to updated_at ≥ since
// itself from each item's updated_at. A page may therefore come back with fewer records than
// asked, or none, and still carry `next`.
import { z } from 'zod';
import type { Customer } from '../../model';
import { CrmError } from '../errors';
import type { ChangesOptions, ChangesPage, CustomerPatch, CustomerQuery, RemoteCustomer, RemoteCustomerRecord, RemoteRef, WriteOptions } from '../port';
import { queryMatches } from '../query-match';
import { board, titlesOf } from './boards';
import { COMPLEXITY, gql, type MondayContext } from './client';
import { changeItem, createItemOnce, getItem, itemsWhere, templated } from './items';
import { itemsResponseSchema, ITEM_FIELDS, mondayTime, type Item } from './objects';
import { customerColumns, customerFields, customerValues, phoneValue, type CustomerColumns } from './values';

/** FNV-1a over the values, hex: enough to tell two states of one item apart. */
export function hashOf(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export function toRecord(item: Item, columns: CustomerColumns): RemoteCustomerRecord {
  const { fields, unreadable } = customerFields(item, columns);
  const modifiedAt = mondayTime(item.updated_at);
  const ids = new Set(Object.values(columns).map((c) => c!.id));
  const values = [item.name, ...item.column_values.filter((cv) => ids.has(cv.id)).sort((a, b) => (a.id < b.id ? -1 : 1)).map((cv) => `${cv.id}=${cv.text ?? ''}`)];
  const code = typeof fields.code === 'string' && fields.code ? fields.code : undefined;
  return {
    remoteId: item.id,
    ...(code ? { remoteCode: code } : {}),
    marker: `${modifiedAt ?? 0}:${hashOf(values.join('|'))}`,
    ...(modifiedAt !== undefined ? { modifiedAt } : {}),
    fields,
    ...(unreadable.length ? { unreadable } : {}),
  };
}

async function customersBoard(ctx: MondayContext, signal?: AbortSignal) {
  const b = await board(ctx, 'customers', signal);
  return { b, ...customerColumns(ctx.config, b) };
}

/** The forms a phone may be stored in: +8613800138000, 8613800138000 and 13800138000. */
export function phoneForms(e164: string): string[] {
  const s = e164.trim();
  const forms = new Set([s]);
  if (s.startsWith('+')) forms.add(s.slice(1));
  const m = /^\+86(\d{11})$/.exec(s);
  if (m) forms.add(m[1]!);
  return [...forms].filter(Boolean);
}

export async function findCustomers(ctx: MondayContext, query: CustomerQuery, signal?: AbortSignal): Promise<RemoteCustomer[]> {
  const { b, columns } = await customersBoard(ctx, signal);
  const asks: [string, string[]][] = [];
  if (query.phone?.trim() && columns.phones) asks.push([columns.phones.id, phoneForms(query.phone)]);
  if (query.email?.trim() && columns.email) asks.push([columns.email.id, [query.email.trim()]]);
  if (query.code?.trim() && columns.code) asks.push([columns.code.id, [query.code.trim()]]);
  if (query.name?.trim() && columns.name) asks.push(['name', [query.name.trim()]]);
  const found = new Map<string, Item>();
  for (const [col, values] of asks) for (const i of await itemsWhere(ctx, b, col, values, signal)) found.set(i.id, i);
  const out: RemoteCustomer[] = [];
  for (const item of found.values()) {
    if (item.state && item.state !== 'active') continue;
    const r = toRecord(item, columns);
    const f = r.fields;
    const candidate = { name: f.name ?? item.name, phones: f.phones ?? [], ...(f.email ? { email: f.email } : {}), ...(f.company ? { company: f.company } : {}) };
    const matchedBy = queryMatches(query, { ...candidate, ...(r.remoteCode ? { code: r.remoteCode } : {}) });
    if (!matchedBy.length) continue;
    out.push({ remoteId: r.remoteId, ...(r.remoteCode ? { remoteCode: r.remoteCode } : {}), ...(r.marker ? { marker: r.marker } : {}), ...candidate, matchedBy, fields: f });
  }
  return out;
}

function warnings(skipped: string[], missing: string[]): string[] {
  return [...missing.map((m) => `monday: no column ${m}`), ...skipped.map((s) => `monday: value not accepted by column ${s}`)];
}

export async function createCustomer(ctx: MondayContext, customer: Customer, opts: WriteOptions): Promise<RemoteRef> {
  const { b, columns, missing } = await customersBoard(ctx, opts.signal);
  const { values, skipped } = customerValues(customer, columns, 'create');
  if (columns.phones?.type === 'phone' && customer.phones[0] && !phoneValue(customer.phones[0])) skipped.push(columns.phones.title);
  const { item } = await createItemOnce(ctx, b, customer.id, customer.name, { ...values, ...templated(b, opts.fields) }, opts.signal);
  const r = toRecord(item, columns);
  const w = warnings([...new Set(skipped)], missing);
  return {
    remoteId: item.id,
    ...(r.remoteCode ? { remoteCode: r.remoteCode } : customer.code ? { remoteCode: customer.code } : {}),
    ...(r.marker ? { marker: r.marker } : {}),
    ...(w.length ? { warnings: w } : {}),
  };
}

export async function updateCustomer(ctx: MondayContext, remoteId: string, patch: CustomerPatch, opts: WriteOptions): Promise<RemoteRef> {
  const { b, columns } = await customersBoard(ctx, opts.signal);
  const { values, skipped } = customerValues(patch, columns, 'update');
  if (patch.name !== undefined && patch.name.trim()) values.name = patch.name.trim().slice(0, 255);
  const all = { ...values, ...templated(b, opts.fields) };
  if (!Object.keys(all).length) {
    const item = await getItem(ctx, remoteId, b.id, opts.signal);
    if (!item) throw new CrmError('not-found', `monday: item ${remoteId} not found`);
    return { remoteId, marker: toRecord(item, columns).marker! };
  }
  const item = await changeItem(ctx, b, remoteId, all, opts.signal);
  const r = toRecord(item, columns);
  const w = warnings(skipped, []);
  return { remoteId, ...(r.remoteCode ? { remoteCode: r.remoteCode } : {}), ...(r.marker ? { marker: r.marker } : {}), ...(w.length ? { warnings: w } : {}) };
}

export async function getCustomer(ctx: MondayContext, remoteId: string, signal?: AbortSignal): Promise<RemoteCustomerRecord | null> {
  const { b, columns } = await customersBoard(ctx, signal);
  const item = await getItem(ctx, remoteId, b.id, signal);
  return item ? toRecord(item, columns) : null;
}

/** Items per page: monday's documented maximum for items_page is 500. */
export const PAGE_MAX = 500;
const DAY = 86_400_000;

const FIRST = `query ChangedItems($board: ID!, $limit: Int!, $params: ItemsQuery) { boards(ids: [$board]) { items_page(limit: $limit, query_params: $params) { cursor items { ${ITEM_FIELDS} } } } ${COMPLEXITY} }`;
const firstReply = z.object({ boards: z.array(z.object({ items_page: itemsResponseSchema }).nullable()).nullable() });
const NEXT = `query NextItems($cursor: String!, $limit: Int!) { next_items_page(cursor: $cursor, limit: $limit) { cursor items { ${ITEM_FIELDS} } } ${COMPLEXITY} }`;
const nextReply = z.object({ next_items_page: itemsResponseSchema });
const cursorSchema = z.object({ s: z.number().int().nonnegative(), c: z.string().min(1) });

export function dayBefore(since: number): string {
  return new Date(Math.floor(since / DAY) * DAY - DAY).toISOString().slice(0, 10);
}

export async function changesSince(ctx: MondayContext, opts: ChangesOptions): Promise<ChangesPage> {
  if (!Number.isFinite(opts.since) || opts.since < 0) throw new CrmError('validation', 'monday changesSince: since must be epoch ms');
  let since = opts.since;
  let cursor: string | undefined;
  if (opts.page !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(opts.page);
    } catch {
      raw = undefined;
    }
    const c = cursorSchema.safeParse(raw);
    if (!c.success) throw new CrmError('validation', 'monday changesSince: the page token is not one this adapter returned');
    since = c.data.s;
    cursor = c.data.c;
  }
  const { b, columns } = await customersBoard(ctx, opts.signal);
  const limit = Math.max(1, Math.min(PAGE_MAX, Math.floor(opts.limit ?? PAGE_MAX)));
  let page: z.infer<typeof itemsResponseSchema>;
  if (cursor) {
    page = (await gql(ctx, NEXT, { variables: { cursor, limit }, signal: opts.signal, schema: nextReply })).next_items_page;
  } else {
    const params = {
      rules: [{ column_id: '__last_updated__', compare_value: ['EXACT', dayBefore(since)], compare_attribute: 'UPDATED_AT', operator: 'greater_than_or_equals' }],
      order_by: [{ column_id: '__last_updated__', direction: 'asc' }],
    };
    const data = await gql(ctx, FIRST, { variables: { board: b.id, limit, params }, signal: opts.signal, schema: firstReply, titles: titlesOf(b) });
    const first = data.boards?.[0];
    if (!first) throw new CrmError('not-found', `monday: board ${b.id} not found`);
    page = first.items_page;
  }
  const records = page.items
    .filter((i) => (!i.state || i.state === 'active') && (mondayTime(i.updated_at) ?? -1) >= since)
    .map((i) => toRecord(i, columns));
  const asOf = ctx.serverNow?.();
  return { records, ...(page.cursor ? { next: JSON.stringify({ s: since, c: page.cursor }) } : {}), ...(asOf !== undefined && !cursor ? { asOf } : {}) };
}
