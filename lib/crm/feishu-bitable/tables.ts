// Which tables to write: the ids in the connection settings, else the recommended tables found
// by name in the Base (one tables-list request per adapter instance, shared by concurrent callers).
import { z } from 'zod';
import { CrmError } from '../errors';
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

const SETTING: Record<TableKey, 'customers_table' | 'followups_table' | 'deals_table'> = {
  customers: 'customers_table',
  followUps: 'followups_table',
  deals: 'deals_table',
};

export async function tableId(ctx: FeishuContext, key: TableKey, signal?: AbortSignal): Promise<string> {
  const configured = ctx.config[SETTING[key]];
  if (configured) return configured;
  ctx.tableIds ??= listTables(ctx, signal).then((ts) => {
    const found: Partial<Record<TableKey, string>> = {};
    for (const k of Object.keys(RECOMMENDED_TABLES) as TableKey[]) {
      const t = ts.find((x) => x.name === RECOMMENDED_TABLES[k].name);
      if (t) found[k] = t.table_id;
    }
    return found;
  });
  let found: Partial<Record<TableKey, string>>;
  try {
    found = await ctx.tableIds;
  } catch (e) {
    ctx.tableIds = undefined; // a failed lookup is retried next time
    throw e;
  }
  const id = found[key];
  if (!id) {
    throw new CrmError('validation', `Feishu: no ${RECOMMENDED_TABLES[key].name} table configured or found in the Base`, {
      userMessage: {
        zh_CN: `没有找到「${RECOMMENDED_TABLES[key].name}」：请在连接设置中填写 table_id，或点击「创建推荐表格」`,
        en: `No ${RECOMMENDED_TABLES[key].name} table: enter its table id in the connection settings, or create the recommended tables`,
      },
    });
  }
  return id;
}
