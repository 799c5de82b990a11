// The record endpoints (新增记录, 新增多条记录, 更新记录, 查询记录, 批量获取记录), each reply checked with zod.
// Writes carry client_token (uuidv4) where the API takes one: a repeat returns the first result.
import { z } from 'zod';
import { CrmError } from '../errors';
import { appPath, call, type FeishuContext } from './client';
import { requireAppToken } from './config';
import { withFieldDiagnosis } from './fields';

/** The person of created_by / last_modified_by (name and email only with contact scopes). */
const personSchema = z.object({ id: z.string(), name: z.string().optional() }).passthrough();
const recordSchema = z.object({
  record_id: z.string().min(1),
  fields: z.record(z.string(), z.unknown()).nullish().transform((f) => f ?? {}),
  // With automatic_fields = true (查询记录, 批量获取记录); create/update replies never carry them.
  created_time: z.number().int().nonnegative().optional(),
  last_modified_time: z.number().int().nonnegative().optional(),
  created_by: personSchema.nullish(),
  last_modified_by: personSchema.nullish(),
});
export type FeishuRecord = z.infer<typeof recordSchema>;

export interface SearchBody {
  field_names?: string[];
  filter?: { conjunction: 'and' | 'or'; conditions: { field_name: string; operator: string; value: string[] }[] };
  sort?: { field_name: string; desc?: boolean }[];
  /** Return created_time, last_modified_time, created_by and last_modified_by. */
  automatic_fields?: boolean;
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

/** Documented maximum of 批量获取记录. */
export const BATCH_GET_MAX = 100;
const batchGetSchema = z.object({
  records: z.array(recordSchema).nullish().transform((r) => r ?? []),
  absent_record_ids: z.array(z.string()).nullish().transform((r) => r ?? []),
  forbidden_record_ids: z.array(z.string()).nullish().transform((r) => r ?? []),
});
export type BatchGetResult = z.output<typeof batchGetSchema>;

/**
 * 批量获取记录 POST …/records/batch_get (2025-07-21), with the automatic fields: the current way to
 * read records by id (检索记录 GET …/records/:record_id is in the docs' 历史版本（不推荐） section).
 * Ids the table no longer has come back in absent_record_ids; ids hidden by advanced permissions
 * in forbidden_record_ids.
 */
export async function batchGetRecords(ctx: FeishuContext, tableId: string, recordIds: string[], signal?: AbortSignal): Promise<BatchGetResult> {
  if (!recordIds.length || recordIds.length > BATCH_GET_MAX) throw new CrmError('validation', `Feishu batch_get takes 1-${BATCH_GET_MAX} record ids, got ${recordIds.length}`);
  const data = await call(ctx, 'post', appPath(requireAppToken(ctx.config), 'tables', tableId, 'records/batch_get'), {
    json: { record_ids: recordIds, user_id_type: 'open_id', automatic_fields: true },
    signal,
    data: batchGetSchema,
  });
  const asked = new Set(recordIds);
  const accounted = new Set([...data.records.map((r) => r.record_id), ...data.absent_record_ids, ...data.forbidden_record_ids]);
  if ([...asked].some((id) => !accounted.has(id)) || data.records.some((r) => !asked.has(r.record_id))) {
    throw new CrmError('validation', 'unexpected Feishu reply from records/batch_get: the records do not match the ids asked for');
  }
  return data;
}
