// POST /v1/data_sources/{id}/query (reference/query-a-data-source): filter, sorts, start_cursor,
// page_size ≤ 100; the reply is a list with next_cursor / has_more (reference/pagination).
import { call, enc, type NotionContext } from './client';
import { listOf, pageSchema, type NotionPage } from './objects';

export const PAGE_SIZE_MAX = 100;
const pageList = listOf(pageSchema);

export interface QueryBody {
  filter?: Record<string, unknown>;
  sorts?: Record<string, unknown>[];
  start_cursor?: string;
  page_size?: number;
}

export function queryPage(ctx: NotionContext, dataSourceId: string, body: QueryBody, signal?: AbortSignal) {
  return call(ctx, 'post', `v1/data_sources/${enc(dataSourceId)}/query`, { json: body, signal, schema: pageList });
}

/** Follows next_cursor up to maxPages. */
export async function queryAll(ctx: NotionContext, dataSourceId: string, body: QueryBody, o: { maxPages?: number; signal?: AbortSignal | undefined } = {}): Promise<NotionPage[]> {
  const out: NotionPage[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < (o.maxPages ?? 3); i++) {
    const reply = await queryPage(ctx, dataSourceId, { ...body, page_size: body.page_size ?? PAGE_SIZE_MAX, ...(cursor ? { start_cursor: cursor } : {}) }, o.signal);
    out.push(...reply.results);
    if (!reply.has_more || !reply.next_cursor) break;
    cursor = reply.next_cursor;
  }
  return out;
}

/** The live page (not in the trash) carrying this Liaison key, if any. */
export async function pageByKey(ctx: NotionContext, dataSourceId: string, key: string, keyProperty: string, signal?: AbortSignal): Promise<NotionPage | undefined> {
  const found = await queryAll(ctx, dataSourceId, { filter: { property: keyProperty, rich_text: { equals: key } }, page_size: 10 }, { maxPages: 1, signal });
  return found.find((p) => !p.in_trash && !p.archived);
}
