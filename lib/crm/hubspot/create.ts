// createCustomer: a batch/upsert of one input keyed by liaison_id = the Liaison customer id, so
// the outbox retrying after a lost reply (or a new outbox entry for the same customer) updates
// the contact the first attempt made instead of adding a second one. An email that belongs to
// a contact Liaison didn't make links that contact ("Existing ID"). When liaison_id can't be
// created (no crm.schemas.contacts.write), a plain POST /contacts is the fallback: HubSpot's
// unique email is then the only dedupe, and its 409 links the existing contact the same way.
// The user's template values (opts.fields) go on top of the mapped properties, typed by the
// portal's definitions; liaison_id stays Liaison's.
import type { Customer } from '../../model';
import { CrmError } from '../errors';
import type { RemoteRef, WriteOptions } from '../port';
import type { HubspotContext } from './client';
import { existingIdOf } from './errors';
import { createObject } from './objects';
import { missingLiaisonId } from './properties';
import { LIAISON_CODE_PROPERTY } from './spec';
import { templateProperties } from './template-properties';
import { upsertItems } from './upsert';
import { contactProperties, withLiaisonId } from './values';

export async function createCustomer(ctx: HubspotContext, customer: Customer, opts: WriteOptions): Promise<RemoteRef> {
  const properties = { ...contactProperties(customer, ctx.config, 'create'), ...(await templateProperties(ctx, 'contacts', opts.fields, opts.signal)) };
  const code = customer.code ? { remoteCode: customer.code } : {};
  let result;
  try {
    [result] = await upsertItems(ctx, 'contacts', [{ liaisonId: customer.id, properties: withLiaisonId(properties, customer.id), ...code }], opts.signal);
  } catch (e) {
    if (!missingLiaisonId(e)) throw e;
    return { ...(await createPlain(ctx, properties, opts.signal)), ...code };
  }
  if (!result) throw new CrmError('unknown-outcome', 'HubSpot upsert returned no result');
  if (!result.ok) throw result.error;
  return result.ref;
}

async function createPlain(ctx: HubspotContext, properties: Record<string, string>, signal?: AbortSignal): Promise<RemoteRef> {
  try {
    return { remoteId: (await createObject(ctx, 'contacts', properties, [], signal)).id };
  } catch (e) {
    const existing = e instanceof CrmError && e.kind === 'conflict' ? existingIdOf(e) : undefined;
    if (existing) return { remoteId: existing };
    // liaison_code is missing too (it is created with liaison_id): the contact goes without it.
    if (e instanceof CrmError && e.message.includes(`${LIAISON_CODE_PROPERTY}: PROPERTY_DOESNT_EXIST`) && LIAISON_CODE_PROPERTY in properties) {
      const { [LIAISON_CODE_PROPERTY]: _code, ...rest } = properties;
      return createPlain(ctx, rest, signal);
    }
    throw e;
  }
}
