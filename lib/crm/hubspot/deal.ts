// createDeal: a deal in the 'default' pipeline, upserted by deals.liaison_id = the Liaison deal id
// (a retry lands on the same deal), then associated to the contact (deal→contact type 3) with
// an idempotent PUT. Upsert inputs take no associations, hence the second call. Template values
// (opts.fields) go on top of the deal's properties, typed; liaison_id stays Liaison's.
import type { Deal } from '../../model';
import { CrmError } from '../errors';
import type { RemoteRef, WriteOptions } from '../port';
import type { HubspotContext } from './client';
import { ASSOC, associate } from './objects';
import { templateProperties } from './template-properties';
import { upsertItems } from './upsert';
import { dealProperties } from './values';

export async function createDeal(ctx: HubspotContext, contactId: string, deal: Deal, opts: WriteOptions): Promise<RemoteRef> {
  if (!/^\d+$/.test(contactId)) throw new CrmError('validation', 'HubSpot: a contact id is a number');
  const properties = { ...dealProperties(deal), ...(await templateProperties(ctx, 'deals', opts.fields, opts.signal)) };
  const [result] = await upsertItems(ctx, 'deals', [{ liaisonId: deal.id, properties }], opts.signal);
  if (!result) throw new CrmError('unknown-outcome', 'HubSpot upsert returned no result');
  if (!result.ok) throw result.error;
  await associate(ctx, 'deals', result.ref.remoteId, 'contacts', contactId, ASSOC.dealToContact, opts.signal);
  return { remoteId: result.ref.remoteId };
}
