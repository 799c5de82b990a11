// updateCustomer: PATCH /v1/pages/{id} with the changed properties only. Notion takes no
// version or If-Match, so ifMarker is ignored (spec read.conditionalUpdate false).
import type { CustomerPatch, RemoteRef, WriteOptions } from '../port';
import { call, enc, type NotionContext } from './client';
import { pageSchema } from './objects';
import { toRecord } from './read';
import { dataSource } from './sources';
import { templateProperties } from './template-properties';
import { customerNames, customerProperties } from './values';

export async function updateCustomer(ctx: NotionContext, pageId: string, patch: CustomerPatch, opts: WriteOptions): Promise<RemoteRef> {
  const ds = await dataSource(ctx, 'customers', opts.signal);
  const names = customerNames(ctx.config, ds);
  const { properties, missing } = customerProperties(patch, names, ds, 'patch');
  const all = { ...properties, ...templateProperties(ds, opts.fields) };
  const page = Object.keys(all).length
    ? await call(ctx, 'patch', `v1/pages/${enc(pageId)}`, { json: { properties: all }, write: true, signal: opts.signal, schema: pageSchema })
    : await call(ctx, 'get', `v1/pages/${enc(pageId)}`, { signal: opts.signal, schema: pageSchema });
  const r = toRecord(page, names);
  return { remoteId: page.id, ...(r.remoteCode ? { remoteCode: r.remoteCode } : {}), ...(r.marker ? { marker: r.marker } : {}), ...(missing.length ? { warnings: missing.map((m) => `Notion: no property ${m}`) } : {}) };
}
