// Which tables to write: the ids in the connection settings, else the recommended tables found
// by title in the base (one tables-list request per adapter instance, shared by concurrent callers).
import { CrmError } from '../errors';
import type { NocodbContext } from './client';
import { listTables } from './meta';
import { RECOMMENDED_TABLES, type TableKey } from './schema';

const SETTING: Record<TableKey, 'customers_table' | 'followups_table' | 'deals_table'> = {
  customers: 'customers_table',
  followUps: 'followups_table',
  deals: 'deals_table',
};

export async function tableId(ctx: NocodbContext, key: TableKey, signal?: AbortSignal): Promise<string> {
  const configured = ctx.config[SETTING[key]];
  if (configured) return configured;
  ctx.tableIds ??= listTables(ctx, signal).then((ts) => {
    const found: Partial<Record<TableKey, string>> = {};
    for (const k of Object.keys(RECOMMENDED_TABLES) as TableKey[]) {
      const t = ts.find((x) => x.title === RECOMMENDED_TABLES[k].title);
      if (t) found[k] = t.id;
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
    const title = RECOMMENDED_TABLES[key].title;
    throw new CrmError('validation', `NocoDB: no ${key} table configured or titled as recommended in the base`, {
      userMessage: {
        zh_CN: `没有找到「${title}」表：请在连接设置中填写表 ID，或点击「创建推荐表格」`,
        en: `No ${title} table: enter its table id in the connection settings, or create the recommended tables`,
      },
    });
  }
  return id;
}
