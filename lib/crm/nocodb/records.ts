// The record endpoints (/api/v2/tables/{tableId}/records…), each reply checked with zod, and the
// `where` filter syntax: (列,eq,值) joined with ~or / ~and. NocoDB has no escaping for values, so
// a value containing ( ) , or ~ would change the filter's meaning: such a condition is dropped
// (find then matches on the other keys) rather than sent wrong.
import { z } from 'zod';
import { CrmError } from '../errors';
import { call, seg, type NocodbContext } from './client';

/** Rows per write request (422 ERR_MAX_PAYLOAD_LIMIT_EXCEEDED beyond). */
export const MAX_ROWS = 100;
/** Rows per list page we ask for (NocoDB's default cap on `limit` is 1000; 100 keeps replies small). */
export const PAGE_SIZE = 100;

export type Row = Record<string, unknown>;
const rowSchema = z.record(z.string(), z.unknown());
const listSchema = z
  .object({
    list: z.array(rowSchema),
    pageInfo: z.object({ totalRows: z.number().optional(), isLastPage: z.boolean().optional() }).loose().optional(),
  })
  .loose();
const idSchema = z.object({ Id: z.union([z.number(), z.string()]) }).loose();

export interface Condition {
  field: string;
  op: 'eq' | 'like' | 'in';
  value: string;
}

const UNSAFE = /[(),~]/;
export function safeValue(v: string): boolean {
  return v.length > 0 && v.length <= 200 && !UNSAFE.test(v);
}

export function whereOf(conds: Condition[], join: 'or' | 'and' = 'or'): string | undefined {
  const parts = conds.filter((c) => safeValue(c.value) && !UNSAFE.test(c.field)).map((c) => `(${c.field},${c.op},${c.value})`);
  return parts.length ? parts.join(`~${join}`) : undefined;
}

const recordsPath = (table: string) => `api/v2/tables/${seg(table)}/records`;

export async function listRows(
  ctx: NocodbContext,
  table: string,
  o: { where?: string | undefined; fields?: string[]; limit?: number; offset?: number; sort?: string; signal?: AbortSignal | undefined },
): Promise<{ rows: Row[]; last: boolean }> {
  const r = await call(ctx, 'get', recordsPath(table), {
    searchParams: {
      where: o.where,
      fields: o.fields?.join(','),
      limit: o.limit ?? PAGE_SIZE,
      offset: o.offset,
      sort: o.sort,
    },
    signal: o.signal,
    schema: listSchema,
  });
  const last = r.pageInfo?.isLastPage ?? r.list.length < (o.limit ?? PAGE_SIZE);
  return { rows: r.list, last };
}

/** Every matching row, page by page (at most maxPages). */
export async function listAll(ctx: NocodbContext, table: string, o: { where?: string | undefined; fields?: string[]; maxPages?: number; signal?: AbortSignal | undefined }): Promise<Row[]> {
  const out: Row[] = [];
  for (let page = 0; page < (o.maxPages ?? 100); page++) {
    const { rows, last } = await listRows(ctx, table, { ...o, offset: page * PAGE_SIZE, sort: 'Id' });
    out.push(...rows);
    if (last || rows.length === 0) break;
  }
  return out;
}

export async function countRows(ctx: NocodbContext, table: string, where?: string, signal?: AbortSignal): Promise<number> {
  const r = await call(ctx, 'get', `${recordsPath(table)}/count`, { searchParams: { where }, signal, schema: z.object({ count: z.number() }).loose() });
  return r.count;
}

/** POST an array of ≤100 rows; NocoDB answers their Ids in the same order. */
export async function insertRows(ctx: NocodbContext, table: string, rows: Row[], signal?: AbortSignal): Promise<string[]> {
  if (rows.length > MAX_ROWS) throw new CrmError('validation', `NocoDB: at most ${MAX_ROWS} rows per request (got ${rows.length})`);
  const r = await call(ctx, 'post', recordsPath(table), { json: rows, write: true, signal, schema: z.array(idSchema) });
  if (r.length !== rows.length) throw new CrmError('unknown-outcome', `NocoDB: insert of ${rows.length} rows answered ${r.length} ids`);
  return r.map((x) => String(x.Id));
}

export async function insertRow(ctx: NocodbContext, table: string, row: Row, signal?: AbortSignal): Promise<string> {
  const r = await call(ctx, 'post', recordsPath(table), { json: row, write: true, signal, schema: idSchema });
  return String(r.Id);
}

/** PATCH [{Id, …}]: a missing record is a 404 (or NocoDB's 400/422 "not found" on older builds) → not-found. */
export async function updateRow(ctx: NocodbContext, table: string, id: string, row: Row, signal?: AbortSignal): Promise<void> {
  const key = /^\d+$/.test(id) ? Number(id) : id;
  try {
    await call(ctx, 'patch', recordsPath(table), { json: [{ ...row, Id: key }], write: true, signal });
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'validation' && /not\s*found|doesn.?t exist|RECORD_NOT_FOUND/i.test(e.message)) {
      throw new CrmError('not-found', `NocoDB: record ${id} not found`, { status: e.status ?? 404, cause: e });
    }
    throw e;
  }
}

/** One row (only `fields`, when given); a missing record is not-found ("Record 'n' not found"). */
export async function getRow(ctx: NocodbContext, table: string, id: string, signal?: AbortSignal, fields?: string[]): Promise<Row> {
  return call(ctx, 'get', `${recordsPath(table)}/${seg(id)}`, { signal, schema: rowSchema, ...(fields ? { searchParams: { fields: fields.join(',') } } : {}) });
}
