// createCustomer: lookup before create. Notion has no idempotency key or upsert, so the page
// carries the customer's Liaison id in the "Liaison key" rich_text property (setup adds it), and
// the data source is queried for that key before POST /v1/pages: a retry after a lost reply (the
// outbox's unknown-outcome) finds the page the first attempt made instead of adding a second.
// Notion's query is strongly consistent with its writes (no search index in between).
import type { Customer } from '../../model';
import type { RemoteRef, WriteOptions } from '../port';
import { call, type NotionContext } from './client';
import { pageSchema, type NotionPage } from './objects';
import { pageByKey } from './query';
import { toRecord } from './read';
import { dataSource } from './sources';
import { LIAISON_KEY_PROPERTY } from './spec';
import { templateProperties } from './template-properties';
import { customerNames, customerProperties, keyProperty } from './values';

export function createPage(ctx: NotionContext, dataSourceId: string, properties: Record<string, unknown>, signal?: AbortSignal): Promise<NotionPage> {
  return call(ctx, 'post', 'v1/pages', { json: { parent: { type: 'data_source_id', data_source_id: dataSourceId }, properties }, write: true, signal, schema: pageSchema });
}

export async function createCustomer(ctx: NotionContext, customer: Customer, opts: WriteOptions): Promise<RemoteRef> {
  const ds = await dataSource(ctx, 'customers', opts.signal);
  const names = customerNames(ctx.config, ds);
  const key = keyProperty(ds, customer.id);
  const { properties, missing } = customerProperties(customer, names, ds, 'create');
  const templated = templateProperties(ds, opts.fields);
  const existing = await pageByKey(ctx, ds.id, customer.id, LIAISON_KEY_PROPERTY, opts.signal);
  const page = existing ?? (await createPage(ctx, ds.id, { ...properties, ...templated, ...key }, opts.signal));
  const r = toRecord(page, names);
  return {
    remoteId: page.id,
    ...(r.remoteCode ? { remoteCode: r.remoteCode } : customer.code ? { remoteCode: customer.code } : {}),
    ...(r.marker ? { marker: r.marker } : {}),
    ...(missing.length ? { warnings: missing.map((m) => `Notion: no property ${m}`) } : {}),
  };
}
