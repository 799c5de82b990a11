// getCustomer: GET sobjects/{Lead|Contact}/{id}?fields=… (resources_sobject_retrieve_get.htm)
// with the mapped fields and the two stamps; the object comes from the id's key prefix, as for
// updates. 404 NOT_FOUND (no such record) or ENTITY_IS_DELETED (in the recycle bin, merged
// away) → null: the CRM no longer has it. Any other failure is the classified CrmError.
import { CrmError } from '../errors';
import type { OpOptions, RemoteCustomerRecord } from '../port';
import { sfCall, type SalesforceContext } from './client';
import { customerReadFields, customerRowSchema, toRemoteRecord } from './read-values';
import { customerObjectOf } from './update';

export async function getCustomer(ctx: SalesforceContext, remoteId: string, opts: OpOptions = {}): Promise<RemoteCustomerRecord | null> {
  const object = customerObjectOf(ctx, remoteId);
  let row;
  try {
    row = await sfCall(ctx, 'get', `sobjects/${object}/${remoteId}`, {
      searchParams: { fields: customerReadFields(object, ctx.config).join(',') },
      signal: opts.signal,
      schema: customerRowSchema,
    });
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found' && (e.vendorCode === 'NOT_FOUND' || e.vendorCode === 'ENTITY_IS_DELETED')) return null;
    throw e;
  }
  if (row.Id.slice(0, 15) !== remoteId.slice(0, 15)) throw new CrmError('validation', `unexpected reply from Salesforce: asked for ${object} ${remoteId}, got ${row.Id}`);
  return toRemoteRecord(row, object, ctx.config);
}
