// The record endpoints (airtable.com/developers/web/api: list-records, get-record,
// update-multiple-records with performUpsert, update-record; read 2026-12-06), replies checked
// with zod. Lists page by `offset` (pageSize ≤ 100); writes take ≤ 10 records.
import { z } from 'zod';
import { CrmError } from '../errors';
import { call, type AirtableContext } from './client';
import { baseId } from './schema';
import { LIAISON_KEY_FIELD } from './spec';
import type { AirtableRecord, Cells } from './values';

export const PAGE_MAX = 100;
export const WRITE_MAX = 10;

const recordSchema = z.object({ id: z.string().regex(/^rec[A-Za-z0-9]{14}$/), createdTime: z.string(), fields: z.record(z.string(), z.unknown()) });
const listReply = z.object({ records: z.array(recordSchema), offset: z.string().optional() });
const upsertReply = z.object({ records: z.array(recordSchema), createdRecords: z.array(z.string()).optional(), updatedRecords: z.array(z.string()).optional() });

const path = async (ctx: AirtableContext, tableId: string, signal?: AbortSignal, recordId?: string) =>
  `v0/${await baseId(ctx, signal)}/${encodeURIComponent(tableId)}${recordId ? `/${encodeURIComponent(recordId)}` : ''}`;

export function isRecordId(id: string): boolean {
  return /^rec[A-Za-z0-9]{14}$/.test(id);
}

export interface ListPage {
  records: AirtableRecord[];
  offset?: string;
}

export async function listPage(ctx: AirtableContext, tableId: string, q: { filterByFormula?: string; pageSize?: number; maxRecords?: number; offset?: string }, signal?: AbortSignal): Promise<ListPage> {
  const r = await call(ctx, 'get', await path(ctx, tableId, signal), {
    searchParams: { filterByFormula: q.filterByFormula, pageSize: Math.min(PAGE_MAX, q.pageSize ?? PAGE_MAX), maxRecords: q.maxRecords, offset: q.offset },
    signal,
    schema: listReply,
  });
  return { records: r.records, ...(r.offset ? { offset: r.offset } : {}) };
}

/** Every page (at most `maxPages`): a read that needs all of a small set. */
export async function listAll(ctx: AirtableContext, tableId: string, filterByFormula: string, signal?: AbortSignal, maxPages = 50): Promise<AirtableRecord[]> {
  const out: AirtableRecord[] = [];
  let offset: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const p = await listPage(ctx, tableId, { filterByFormula, ...(offset ? { offset } : {}) }, signal);
    out.push(...p.records);
    offset = p.offset;
    if (!offset) return out;
  }
  throw new CrmError('validation', `Airtable: more than ${maxPages * PAGE_MAX} records match; the read was cut`);
}

export async function getRecord(ctx: AirtableContext, tableId: string, recordId: string, signal?: AbortSignal): Promise<AirtableRecord | null> {
  if (!isRecordId(recordId)) throw new CrmError('not-found', 'Airtable: the linked record id is malformed');
  try {
    return await call(ctx, 'get', await path(ctx, tableId, signal, recordId), { signal, schema: recordSchema });
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found') return null;
    throw e;
  }
}

/**
 * performUpsert on the Liaison Key: a record with the same key is updated, else one is created,
 * so a retry after a lost reply lands on the record the first attempt made. ≤ 10 a call, in order.
 */
export async function upsert(ctx: AirtableContext, tableId: string, rows: Cells[], signal?: AbortSignal): Promise<AirtableRecord[]> {
  if (rows.length > WRITE_MAX) throw new Error(`Airtable: at most ${WRITE_MAX} records a request`);
  for (const r of rows) if (typeof r[LIAISON_KEY_FIELD] !== 'string' || !r[LIAISON_KEY_FIELD]) throw new Error('Airtable upsert without a Liaison Key');
  const r = await call(ctx, 'patch', await path(ctx, tableId, signal), {
    json: { performUpsert: { fieldsToMergeOn: [LIAISON_KEY_FIELD] }, records: rows.map((fields) => ({ fields })), typecast: true },
    write: true,
    signal,
    schema: upsertReply,
  });
  if (r.records.length !== rows.length) throw new CrmError('unknown-outcome', `Airtable upsert: ${r.records.length} records back for ${rows.length} sent`);
  return r.records;
}

export async function patchRecord(ctx: AirtableContext, tableId: string, recordId: string, fields: Cells, signal?: AbortSignal): Promise<AirtableRecord> {
  if (!isRecordId(recordId)) throw new CrmError('not-found', 'Airtable: the linked record id is malformed');
  return call(ctx, 'patch', await path(ctx, tableId, signal, recordId), { json: { fields, typecast: true }, write: true, signal, schema: recordSchema });
}
