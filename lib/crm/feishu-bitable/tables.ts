// Which tables to write: the ids in the connection settings, else the recommended tables found
// by name in the Base (one tables-list request per adapter instance, shared by concurrent callers).
import { z } from 'zod';
import { resolveTableId } from '../table-ids';
import { appPath, call, type FeishuContext } from './client';
import { requireAppToken } from './config';
import { RECOMMENDED_TABLES, type TableKey } from './schema';

const tablePage = z.object({
  items: z.array(z.object({ table_id: z.string(), name: z.string(), revision: z.number().optional() })).nullish(),
  has_more: z.boolean().optional(),
  page_token: z.string().nullish(),
});
export type TableSummary = { table_id: string; name: string };

export async function listTables(ctx: FeishuContext, signal?: AbortSignal): Promise<TableSummary[]> {
  const app = requireAppToken(ctx.config);
  const out: TableSummary[] = [];
  let pageToken: string | undefined;
  for (let i = 0; i < 10; i++) {
    const data = await call(ctx, 'get', appPath(app, 'tables'), { searchParams: { page_size: 100, page_token: pageToken }, signal, data: tablePage });
    out.push(...(data.items ?? []).map((t) => ({ table_id: t.table_id, name: t.name })));
    if (!data.has_more || !data.page_token) break;
    pageToken = data.page_token;
  }
  return out;
}

export function tableId(ctx: FeishuContext, key: TableKey, signal?: AbortSignal): Promise<string> {
  return resolveTableId(
    {
      vendor: 'Feishu',
      config: ctx.config,
      holder: ctx,
      list: async () => (await listTables(ctx, signal)).map((t) => ({ name: t.name, id: t.table_id })),
      nameOf: (k) => RECOMMENDED_TABLES[k].name,
    },
    key,
  );
}
