// The record endpoints (新增记录, 新增多条记录, 更新记录, 查询记录), each reply checked with zod.
// Writes carry client_token (uuidv4) where the API takes one: a repeat returns the first result.
import { z } from 'zod';
import { CrmError } from '../errors';
import { appPath, call, type FeishuContext } from './client';
import { requireAppToken } from './config';
import { withFieldDiagnosis } from './fields';

const recordSchema = z.object({ record_id: z.string().min(1), fields: z.record(z.string(), z.unknown()).nullish().transform((f) => f ?? {}) });
export type FeishuRecord = z.infer<typeof recordSchema>;

export interface SearchBody {
  field_names?: string[];
  filter?: { conjunction: 'and' | 'or'; conditions: { field_name: string; operator: string; value: string[] }[] };
  sort?: { field_name: string; desc?: boolean }[];
}
const searchPageSchema = z.object({
  items: z.array(recordSchema).nullish().transform((i) => i ?? []),
  has_more: z.boolean().optional().default(false),
  page_token: z.string().nullish(),
  total: z.number().optional(),
});
export type SearchPage = z.output<typeof searchPageSchema>;

/** Documented maximum page size of records/search. */
export const SEARCH_PAGE_MAX = 500;

export function searchPage(ctx: FeishuContext, tableId: string, body: SearchBody, o: { pageSize?: number; pageToken?: string | undefined; signal?: AbortSignal | undefined } = {}): Promise<SearchPage> {
  return call(ctx, 'post', appPath(requireAppToken(ctx.config), 'tables', tableId, 'records/search'), {
    searchParams: { page_size: o.pageSize ?? SEARCH_PAGE_MAX, page_token: o.pageToken },
    json: body,
    signal: o.signal,
    data: searchPageSchema,
  });
}

/** Follows page_token until has_more is false (or maxPages). */
export async function searchAll(ctx: FeishuContext, tableId: string, body: SearchBody, o: { pageSize?: number; maxPages?: number; signal?: AbortSignal | undefined } = {}): Promise<FeishuRecord[]> {
  const out: FeishuRecord[] = [];
  let pageToken: string | undefined;
  for (let i = 0; i < (o.maxPages ?? 1000); i++) {
    const p = await searchPage(ctx, tableId, body, { pageSize: o.pageSize, pageToken, signal: o.signal });
    out.push(...p.items);
    if (!p.has_more || !p.page_token) break;
    pageToken = p.page_token;
  }
  return out;
}

export function createRecord(ctx: FeishuContext, tableId: string, fields: Record<string, unknown>, clientToken: string, signal?: AbortSignal): Promise<FeishuRecord> {
  const path = appPath(requireAppToken(ctx.config), 'tables', tableId, 'records');
  return withFieldDiagnosis(ctx, tableId, [fields], async () =>
    (await call(ctx, 'post', path, { searchParams: { client_token: clientToken }, json: { fields }, write: true, signal, data: z.object({ record: recordSchema }) })).record,
  signal);
}

/** All or nothing: Bitable writes every record of the call or none. */
export function batchCreateRecords(ctx: FeishuContext, tableId: string, rows: Record<string, unknown>[], clientToken: string, signal?: AbortSignal): Promise<FeishuRecord[]> {
  const path = appPath(requireAppToken(ctx.config), 'tables', tableId, 'records/batch_create');
  return withFieldDiagnosis(ctx, tableId, rows, async () => {
    const data = await call(ctx, 'post', path, {
      searchParams: { client_token: clientToken },
      json: { records: rows.map((fields) => ({ fields })) },
      write: true,
      signal,
      data: z.object({ records: z.array(recordSchema) }),
    });
    if (data.records.length !== rows.length) throw new CrmError('validation', `unexpected Feishu reply: batch_create returned ${data.records.length} records for ${rows.length}`);
    return data.records;
  }, signal);
}

export function updateRecord(ctx: FeishuContext, tableId: string, recordId: string, fields: Record<string, unknown>, signal?: AbortSignal): Promise<FeishuRecord> {
  const path = appPath(requireAppToken(ctx.config), 'tables', tableId, 'records', recordId);
  return withFieldDiagnosis(ctx, tableId, [fields], async () =>
    (await call(ctx, 'put', path, { json: { fields }, write: true, signal, data: z.object({ record: recordSchema }) })).record,
  signal);
}
