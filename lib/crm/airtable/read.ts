// The read side and lookups:
// - findCustomers: one filterByFormula OR-ing the query's keys — email compared lower-cased,
//   phone by its national digits inside the cell's digits (people type numbers in any format),
//   code exactly, name as a substring — then each hit checked by query-match.ts;
// - getCustomer: GET the record; 404 → null (deleted);
// - listFollowUps / listDeals: the customer's inverse link field (Airtable adds it to the
//   customer table when the 客户 link is created) names the linked records; they are read by
//   RECORD_ID() in chunks, newest first;
// - changesSince: filterByFormula on LAST_MODIFIED_TIME() (any field's last change), paged by
//   offset; `next` keeps `since` beside the offset so an iterator Airtable forgot
//   (LIST_RECORDS_ITERATOR_NOT_AVAILABLE) restarts the read instead of failing the pull.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { CrmError } from '../errors';
import type { ChangesOptions, ChangesPage, CustomerQuery, ListOptions, RemoteCustomer, RemoteCustomerRecord, RemoteDeal, RemoteFollowUp } from '../port';
import { queryMatches } from '../query-match';
import type { AirtableContext } from './client';
import { eq, fieldRef, formulaString, modifiedSince, or, recordIdIn } from './formula';
import { getRecord, listAll, listPage, PAGE_MAX } from './records';
import { inverseLinkName, tableFor, type TableMeta } from './schema';
import { customerMapping, personOf, toRemoteDeal, toRemoteFollowUp, toRemoteRecord, type AirtableRecord } from './values';

export const FIND_LIMIT = 20;

/** A lastModifiedTime field of the customer table, if any: its value is the record's modified time. */
const modifiedField = (t: TableMeta) => t.fields.find((f) => f.type === 'lastModifiedTime' && !(f.options as { referencedFieldIds?: unknown[] } | null | undefined)?.referencedFieldIds?.length)?.name;

export async function findCustomers(ctx: AirtableContext, q: CustomerQuery, signal?: AbortSignal): Promise<RemoteCustomer[]> {
  const table = await tableFor(ctx, 'customer', signal);
  const map = customerMapping(ctx.config);
  const parts: string[] = [];
  if (q.email?.trim() && map.email) parts.push(`LOWER(${fieldRef(map.email)})=${formulaString(q.email.trim().toLowerCase())}`);
  const digits = q.phone ? (parsePhoneNumberFromString(q.phone, 'CN')?.nationalNumber ?? q.phone.replace(/\D/g, '')) : '';
  if (digits.length >= 5 && map.phones) parts.push(`FIND(${formulaString(digits)},REGEX_REPLACE(${fieldRef(map.phones)}&"","[^0-9]",""))>0`);
  if (q.code?.trim() && map.code) parts.push(eq(map.code, q.code.trim()));
  if (q.name?.trim() && map.name) parts.push(`FIND(${formulaString(q.name.trim())},${fieldRef(map.name)}&"")>0`);
  if (!parts.length) return [];
  const page = await listPage(ctx, table.id, { filterByFormula: or(parts), pageSize: FIND_LIMIT, maxRecords: FIND_LIMIT }, signal);
  return page.records
    .map((r): RemoteCustomer => {
      const p = personOf(r, ctx.config);
      const rec = toRemoteRecord(r, ctx.config);
      const { code, stage, grade, owner } = rec.fields;
      const fields = Object.fromEntries(Object.entries({ code, stage, grade, owner }).filter(([, v]) => v !== undefined && v !== null));
      return {
        remoteId: r.id,
        name: p.name,
        phones: p.phones,
        ...(p.email ? { email: p.email } : {}),
        ...(p.company ? { company: p.company } : {}),
        ...(p.code ? { remoteCode: p.code } : {}),
        ...(Object.keys(fields).length ? { fields } : {}),
        matchedBy: queryMatches(q, { phones: p.phones, ...(p.email ? { email: p.email } : {}), ...(p.code ? { code: p.code } : {}), name: p.name }, { phoneSuffix: true }),
      };
    })
    .filter((c) => c.matchedBy.length > 0);
}

export async function getCustomer(ctx: AirtableContext, remoteId: string, signal?: AbortSignal): Promise<RemoteCustomerRecord | null> {
  const table = await tableFor(ctx, 'customer', signal);
  const r = await getRecord(ctx, table.id, remoteId, signal);
  if (!r) return null;
  if (r.id !== remoteId) throw new CrmError('validation', `unexpected reply from Airtable: asked for ${remoteId}, got ${r.id}`);
  return toRemoteRecord(r, ctx.config, modifiedField(table));
}

/** Records of `role` linked to the customer, through the customer's inverse link field. */
async function linkedRecords(ctx: AirtableContext, role: 'followUp' | 'deal', remoteCustomerId: string, signal?: AbortSignal): Promise<AirtableRecord[]> {
  const customer = await tableFor(ctx, 'customer', signal);
  const table = await tableFor(ctx, role, signal);
  const inverse = inverseLinkName(customer, table);
  if (!inverse) {
    throw new CrmError('validation', `Airtable: ${table.name} has no 客户 link to ${customer.name}`, {
      vendorCode: 'NO_CUSTOMER_LINK',
      userMessage: { zh_CN: `表「${table.name}」没有指向「${customer.name}」的「客户」关联字段，请点「一键创建表和字段」`, en: `Table "${table.name}" has no 客户 link to "${customer.name}"; click "Create the tables and fields"` },
    });
  }
  const owner = await getRecord(ctx, customer.id, remoteCustomerId, signal);
  if (!owner) throw new CrmError('not-found', `Airtable: customer ${remoteCustomerId} no longer exists`);
  const ids = owner.fields[inverse];
  if (ids === undefined) return [];
  if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) throw new CrmError('validation', `unexpected reply from Airtable: ${inverse} is not a list of record ids`);
  const out: AirtableRecord[] = [];
  for (let i = 0; i < ids.length; i += 50) out.push(...(await listAll(ctx, table.id, recordIdIn(ids.slice(i, i + 50) as string[]), signal)));
  return out;
}

export async function listFollowUps(ctx: AirtableContext, remoteCustomerId: string, o: ListOptions = {}): Promise<RemoteFollowUp[]> {
  const rows = (await linkedRecords(ctx, 'followUp', remoteCustomerId, o.signal)).map((r) => toRemoteFollowUp(r, ctx.config));
  return rows.filter((r) => o.since === undefined || r.at >= o.since).sort((a, b) => b.at - a.at).slice(0, o.limit);
}

export async function listDeals(ctx: AirtableContext, remoteCustomerId: string, o: ListOptions = {}): Promise<RemoteDeal[]> {
  const rows = (await linkedRecords(ctx, 'deal', remoteCustomerId, o.signal)).map((r) => toRemoteDeal(r, ctx.config));
  return rows.filter((r) => o.since === undefined || (r.createdAt ?? 0) >= o.since).sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0)).slice(0, o.limit);
}

function pageToken(token: string): { since: number; offset: string } {
  const m = /^(\d{1,15})\|(.+)$/.exec(token);
  if (!m) throw new CrmError('validation', 'Airtable: not a page token of this read (call changesSince again without `page`)');
  return { since: Number(m[1]), offset: m[2]! };
}

export async function changesSince(ctx: AirtableContext, o: ChangesOptions): Promise<ChangesPage> {
  const table = await tableFor(ctx, 'customer', o.signal);
  let since = o.since;
  let offset: string | undefined;
  if (o.page !== undefined) ({ since, offset } = pageToken(o.page));
  const pageSize = Math.min(PAGE_MAX, Math.max(1, Math.floor(o.limit ?? PAGE_MAX)));
  const read = (off?: string) => listPage(ctx, table.id, { filterByFormula: modifiedSince(since), pageSize, ...(off ? { offset: off } : {}) }, o.signal);
  let page;
  try {
    page = await read(offset);
  } catch (e) {
    if (!(offset && e instanceof CrmError && e.vendorCode === 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE')) throw e;
    page = await read(undefined);
  }
  const mod = modifiedField(table);
  return { records: page.records.map((r) => toRemoteRecord(r, ctx.config, mod)), ...(page.offset ? { next: `${since}|${page.offset}` } : {}) };
}
