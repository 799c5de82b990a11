// Which tables to write: the ids in the connection settings, else the recommended tables found
// by title in the base (one tables-list request per adapter instance, shared by concurrent callers).
import { resolveTableId } from '../table-ids';
import type { NocodbContext } from './client';
import { listTables } from './meta';
import { RECOMMENDED_TABLES, type TableKey } from './schema';

export function tableId(ctx: NocodbContext, key: TableKey, signal?: AbortSignal): Promise<string> {
  return resolveTableId(
    {
      vendor: 'NocoDB',
      config: ctx.config,
      holder: ctx,
      list: async () => (await listTables(ctx, signal)).map((t) => ({ name: t.title, id: t.id })),
      nameOf: (k) => RECOMMENDED_TABLES[k].title,
    },
    key,
  );
}
