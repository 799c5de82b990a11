// The data sources Liaison writes (customers, deals, tasks), resolved from what the user pasted.
// Since 2025-09-03 a database holds one or more data sources: an id is tried as a data source
// first (GET /v1/data_sources/{id}), then as a database (GET /v1/databases/{id}), whose first
// data source is used. The schema ({name → {id, type, options}}) is kept five minutes.
import { CrmError } from '../errors';
import { call, enc, type NotionContext } from './client';
import type { SourceRole } from './config';
import { dataSourceSchema, databaseSchema, type DataSource } from './objects';

const ROLE_ZH: Record<SourceRole, string> = { customers: '客户', deals: '成交', tasks: '任务' };

export function fetchDataSource(ctx: NotionContext, id: string, signal?: AbortSignal): Promise<DataSource> {
  return call(ctx, 'get', `v1/data_sources/${enc(id)}`, { signal, schema: dataSourceSchema });
}

async function resolve(ctx: NotionContext, role: SourceRole, signal?: AbortSignal): Promise<DataSource> {
  const src = ctx.config.sources[role];
  if (!src) {
    throw new CrmError('validation', `Notion: no ${role} database configured`, {
      vendorCode: 'NO_SOURCE',
      userMessage: { zh_CN: `请在 Notion 连接设置中填写「${ROLE_ZH[role]}数据库」`, en: `Set the ${role} database in the Notion connection settings` },
    });
  }
  if (src.dataSourceId) return fetchDataSource(ctx, src.dataSourceId, signal);
  try {
    return await fetchDataSource(ctx, src.ref, signal);
  } catch (e) {
    if (!(e instanceof CrmError) || e.kind !== 'not-found') throw e;
  }
  const db = await call(ctx, 'get', `v1/databases/${enc(src.ref)}`, { signal, schema: databaseSchema });
  const first = db.data_sources[0];
  if (!first) throw new CrmError('validation', `Notion: the ${role} database has no data source`, { vendorCode: 'NO_DATA_SOURCE' });
  return fetchDataSource(ctx, first.id, signal);
}

export function dataSource(ctx: NotionContext, role: SourceRole, signal?: AbortSignal): Promise<DataSource> {
  return ctx.sources.get(role, () => resolve(ctx, role, signal));
}

/** The data source's title property name (every data source has exactly one). */
export function titleProperty(ds: DataSource): string {
  const t = Object.values(ds.properties).find((p) => p.type === 'title');
  if (!t) throw new CrmError('validation', 'Notion: the data source has no title property');
  return t.name;
}
