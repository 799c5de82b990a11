// listFields: the data sources' own properties for the mapping editor (customers → customer,
// deals → deal), writable types only, minus Liaison's own. Follow-ups are comments: no fields.
import { CrmError } from '../errors';
import type { CrmField, CrmFieldList } from '../port';
import type { NotionContext } from './client';
import type { DataSource } from './objects';
import { dataSource } from './sources';
import { reservedProperty } from './template-properties';
import { WRITABLE_TYPES } from './values';

function fields(ds: DataSource): CrmField[] {
  return Object.values(ds.properties)
    .filter((p) => (WRITABLE_TYPES as readonly string[]).includes(p.type) && !reservedProperty(p.name))
    .map((p) => {
      const options = (p.select ?? p.multi_select ?? p.status)?.options.map((o) => o.name) ?? [];
      return { name: p.name, type: p.type, ...(options.length ? { options } : {}) };
    });
}

export async function listFields(ctx: NotionContext, signal?: AbortSignal): Promise<CrmFieldList> {
  const out: CrmFieldList = { customer: fields(await dataSource(ctx, 'customers', signal)), followUp: [] };
  if (ctx.config.sources.deals) {
    try {
      out.deal = fields(await dataSource(ctx, 'deals', signal));
    } catch (e) {
      if (!(e instanceof CrmError && (e.kind === 'not-found' || e.kind === 'auth'))) throw e;
    }
  }
  return out;
}
