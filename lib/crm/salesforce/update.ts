// updateCustomer: PATCH sobjects/{Lead|Contact}/{id} → 204, with the patched fields only. The
// object comes from the id's key prefix (a Lead connection may be linked to a Contact that a
// search or duplicate rule found). Same body, same result: naturally idempotent. Template
// values (opts.fields) go on top, typed by that object's describe.
//
// Guarded (opts.ifMarker, spec read.conditionalUpdate): the marker is the record's
// LastModifiedDate as getCustomer read it (epoch ms), sent as If-Unmodified-Since; Salesforce
// compares it with the record's LastModifiedDate and answers 412 Precondition Failed, writing
// nothing, when a user saved the record since (intro_rest_conditional_requests.htm, "weak
// validation"; resources_sobject_retrieve_patch.htm, read 2026-12-06) → CrmError('conflict').
// Resolution: an HTTP date holds whole seconds and Salesforce stamps whole seconds, so the
// marker is floored to its second and the comparison is exact — except that two saves within
// one second carry the same stamp: a colleague's save in the same second as the read is not
// seen (the weak validation Salesforce documents; no stronger guard exists for Leads/Contacts,
// ETags being Account-only). Automated updates (SystemModstamp only) do not trip the guard.
// The 204 reply carries no stamp, so no marker is returned: the next guarded update of the same
// record, before a read, meets its own write as a conflict and the caller reads again.
import { CrmError } from '../errors';
import type { CustomerPatch, RemoteRef, WriteOptions } from '../port';
import { httpDate, isSalesforceId, objectOfId, sfCall, type SalesforceContext } from './client';
import { templateFields } from './template-fields';
import { customerFields } from './values';

export async function updateCustomer(ctx: SalesforceContext, remoteId: string, patch: CustomerPatch, opts: WriteOptions): Promise<RemoteRef> {
  const object = customerObjectOf(ctx, remoteId);
  const guard = opts.ifMarker !== undefined ? { 'If-Unmodified-Since': markerDate(opts.ifMarker) } : undefined;
  const fields = { ...customerFields(patch, object, ctx.config, 'patch'), ...(await templateFields(ctx, object, opts.fields, 'update', opts.signal)) };
  if (!Object.keys(fields).length) return { remoteId };
  try {
    await sfCall(ctx, 'patch', `sobjects/${object}/${remoteId}`, { json: fields, write: true, signal: opts.signal, ...(guard ? { headers: guard } : {}) });
  } catch (e) {
    if (guard && e instanceof CrmError && e.status === 412) {
      throw new CrmError('conflict', `Salesforce: ${object} ${remoteId} was modified after ${guard['If-Unmodified-Since']} (412 Precondition Failed)`, {
        status: 412,
        vendorCode: 'PRECONDITION_FAILED',
        userMessage: { zh_CN: '这位客户在 Salesforce 中已被他人修改，需先读取最新内容', en: 'Someone changed this customer in Salesforce; Liaison reads it again first' },
        cause: e,
      });
    }
    throw e;
  }
  return { remoteId };
}

/** The If-Unmodified-Since value for a marker (epoch ms of LastModifiedDate); anything else is refused before writing. */
function markerDate(marker: string): string {
  if (!/^\d{1,15}$/.test(marker)) throw new CrmError('validation', 'Salesforce: the record marker is not a modification time (read the customer again)');
  return httpDate(Number(marker));
}

export function customerObjectOf(ctx: SalesforceContext, remoteId: string): 'Lead' | 'Contact' {
  if (!isSalesforceId(remoteId)) throw new CrmError('not-found', 'Salesforce: the linked record id is malformed');
  const o = objectOfId(remoteId);
  return o === 'Lead' || o === 'Contact' ? o : ctx.config.customerObject;
}
