// prepare(): one-click setup. Resolves the pasted databases to data sources, then adds what is
// missing with PATCH /v1/data_sources/{id} {properties: {name: {<type>: {}}}} (reference/
// update-a-data-source: adding a property never changes existing ones): the mapped customer
// properties typed as below, the Liaison key rich_text, and on deals / tasks their properties
// and the 客户 relation to the customer data source. A property that exists with another type
// is left alone and listed as a problem (Liaison then writes what it can).
import { CrmError } from '../errors';
import type { MappableCustomerField, PrepareResult } from '../port';
import { call, enc, type NotionContext } from './client';
import type { SourceRole } from './config';
import { dealNames, TASK_PROPERTIES } from './deal';
import { dataSourceSchema, type DataSource } from './objects';
import { dataSource } from './sources';
import { CUSTOMER_RELATION_PROPERTY, LIAISON_KEY_PROPERTY } from './spec';
import { customerNames } from './values';

/** The type setup gives each Liaison field (seed 004: title, select, rich_text, date, phone_number, email, multi_select). */
export const CUSTOMER_TYPES: Record<MappableCustomerField, string> = {
  name: 'title', code: 'rich_text', company: 'rich_text', phones: 'phone_number', wechatId: 'rich_text', email: 'email', source: 'select',
  product: 'select', amount: 'number', intentLevel: 'select', stage: 'select', grade: 'select', tags: 'multi_select', owner: 'rich_text',
  keyword: 'rich_text', notes: 'rich_text', nextFollowUpAt: 'date',
};
const DEAL_TYPES: Record<string, string> = { product: 'title', institution: 'rich_text', amount: 'number', rate: 'number', termMonths: 'number', commission: 'number', status: 'select', closedAt: 'date' };
/** Types a field may also have and still be read and written (a status instead of a select…). */
const COMPATIBLE: Record<string, string[]> = { select: ['select', 'status', 'rich_text'], rich_text: ['rich_text', 'title', 'select', 'unique_id'], phone_number: ['phone_number', 'rich_text'], email: ['email', 'rich_text'], multi_select: ['multi_select', 'rich_text'], number: ['number'], date: ['date'], title: ['title'] };

function config(type: string, extra?: Record<string, unknown>): Record<string, unknown> {
  return { [type]: type === 'number' ? { format: 'number' } : {}, ...extra };
}

async function ensure(ctx: NotionContext, role: SourceRole, ds: DataSource, wanted: [string, string][], relationTo: string | undefined, out: { created: string[]; problems: string[] }, signal?: AbortSignal): Promise<DataSource> {
  const add: Record<string, unknown> = {};
  for (const [name, type] of wanted) {
    const have = ds.properties[name];
    if (type === 'title') continue; // one title per data source: the name goes to it (values.ts customerNames)
    if (!have) add[name] = config(type);
    else if (!(COMPATIBLE[type] ?? [type]).includes(have.type)) out.problems.push(`${role}.${name}: ${have.type} ≠ ${type}`);
  }
  if (!ds.properties[LIAISON_KEY_PROPERTY]) add[LIAISON_KEY_PROPERTY] = config('rich_text');
  if (relationTo) {
    const rel = ds.properties[CUSTOMER_RELATION_PROPERTY];
    if (!rel) add[CUSTOMER_RELATION_PROPERTY] = { relation: { data_source_id: relationTo, type: 'single_property', single_property: {} } };
    else if (rel.type !== 'relation') out.problems.push(`${role}.${CUSTOMER_RELATION_PROPERTY}: ${rel.type} ≠ relation`);
  }
  if (!Object.keys(add).length) return ds;
  const updated = await call(ctx, 'patch', `v1/data_sources/${enc(ds.id)}`, { json: { properties: add }, write: true, signal, schema: dataSourceSchema });
  out.created.push(...Object.keys(add).map((n) => `${role}.${n}`));
  return updated;
}

export async function prepare(ctx: NotionContext, signal?: AbortSignal): Promise<PrepareResult> {
  ctx.sources.clear();
  const out = { created: [] as string[], problems: [] as string[] };
  const settings: Record<string, unknown> = {};
  const customers = await dataSource(ctx, 'customers', signal);
  const names = customerNames(ctx.config, customers);
  await ensure(ctx, 'customers', customers, (Object.entries(names) as [MappableCustomerField, string][]).map(([k, n]) => [n, CUSTOMER_TYPES[k]]), undefined, out, signal);
  settings.customers_data_source_id = customers.id;
  for (const role of ['deals', 'tasks'] as const) {
    if (!ctx.config.sources[role]) continue;
    let ds: DataSource;
    try {
      ds = await dataSource(ctx, role, signal);
    } catch (e) {
      if (e instanceof CrmError && e.kind === 'not-found') {
        out.problems.push(`${role}: not found or not shared with the integration`);
        continue;
      }
      throw e;
    }
    const wanted: [string, string][] =
      role === 'deals'
        ? Object.entries(dealNames(ctx)).map(([k, n]) => [n!, DEAL_TYPES[k] ?? 'rich_text'])
        : [[TASK_PROPERTIES.due, 'date'], [TASK_PROPERTIES.note, 'rich_text']];
    await ensure(ctx, role, ds, wanted, customers.id, out, signal);
    settings[`${role}_data_source_id`] = ds.id;
  }
  ctx.sources.clear();
  return { settings, created: out.created, problems: out.problems, usable: true };
}
