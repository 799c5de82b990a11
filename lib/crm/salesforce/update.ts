// updateCustomer: PATCH sobjects/{Lead|Contact}/{id} → 204, with the patched fields only. The
// object comes from the id's key prefix (a Lead connection may be linked to a Contact that a
// search or duplicate rule found). Same body, same result: naturally idempotent. Template
// values (opts.fields) go on top, typed by that object's describe.
import { CrmError } from '../errors';
import type { CustomerPatch, RemoteRef, WriteOptions } from '../port';
import { isSalesforceId, objectOfId, sfCall, type SalesforceContext } from './client';
import { templateFields } from './template-fields';
import { customerFields } from './values';

export async function updateCustomer(ctx: SalesforceContext, remoteId: string, patch: CustomerPatch, opts: WriteOptions): Promise<RemoteRef> {
  const object = customerObjectOf(ctx, remoteId);
  const fields = { ...customerFields(patch, object, ctx.config, 'patch'), ...(await templateFields(ctx, object, opts.fields, 'update', opts.signal)) };
  if (Object.keys(fields).length) await sfCall(ctx, 'patch', `sobjects/${object}/${remoteId}`, { json: fields, write: true, signal: opts.signal });
  return { remoteId };
}

export function customerObjectOf(ctx: SalesforceContext, remoteId: string): 'Lead' | 'Contact' {
  if (!isSalesforceId(remoteId)) throw new CrmError('not-found', 'Salesforce: the linked record id is malformed');
  const o = objectOfId(remoteId);
  return o === 'Lead' || o === 'Contact' ? o : ctx.config.customerObject;
}
