// updateCustomer: PATCH /crm/v3/objects/contacts/{id} with the patched properties only. A PATCH
// of the same values is naturally idempotent, so the key needs no further handling. 404 (the
// contact was deleted or merged) → not-found; 409 (the new email belongs to another contact) →
// conflict, for the user to resolve. Template values (opts.fields) go on top, typed.
import type { CustomerPatch, RemoteRef, WriteOptions } from '../port';
import { CrmError } from '../errors';
import type { HubspotContext } from './client';
import { updateObject } from './objects';
import { hubspotTime } from './read-values';
import { templateProperties } from './template-properties';
import { contactProperties } from './values';

export async function updateCustomer(ctx: HubspotContext, remoteId: string, patch: CustomerPatch, opts: WriteOptions): Promise<RemoteRef> {
  if (!/^\d+$/.test(remoteId)) throw new CrmError('validation', 'HubSpot: a contact id is a number');
  const properties = { ...contactProperties(patch, ctx.config, 'patch'), ...(await templateProperties(ctx, 'contacts', opts.fields, opts.signal)) };
  // WriteOptions.ifMarker is not sent: HubSpot's PATCH has no precondition (spec.ts read.conditionalUpdate).
  const reply = Object.keys(properties).length ? await updateObject(ctx, 'contacts', remoteId, properties, opts.signal) : undefined;
  const modified = reply ? (hubspotTime(reply.properties.lastmodifieddate) ?? hubspotTime(reply.updatedAt)) : undefined;
  return { remoteId, ...(patch.code ? { remoteCode: patch.code } : {}), ...(modified !== undefined ? { marker: String(modified) } : {}) };
}
