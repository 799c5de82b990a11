// createCustomer: a Lead (or Contact, per settings) upserted on the external ID = the outbox's
// idempotency key. A duplicate rule that blocks the save (DUPLICATES_DETECTED) is not a failure
// for Liaison: the customer already exists, so the existing record is linked. Without the
// external ID field, the CRM is searched (email, phone) before a plain insert, like 'lookup'.
// Template values (opts.fields) go on top of the mapped fields, typed by the object's describe.
import type { Customer } from '../../model';
import type { RemoteRef, WriteOptions } from '../port';
import type { SalesforceContext } from './client';
import { SalesforceDuplicateError } from './errors';
import { findCustomers } from './find';
import { writeKeyed } from './records';
import { templateFields } from './template-fields';
import { customerFields } from './values';

export async function createCustomer(ctx: SalesforceContext, customer: Customer, opts: WriteOptions): Promise<RemoteRef> {
  const object = ctx.config.customerObject;
  const fields = { ...customerFields(customer, object, ctx.config, 'create'), ...(await templateFields(ctx, object, opts.fields, 'create', opts.signal)) };
  try {
    const r = await writeKeyed(ctx, object, opts.idempotencyKey, fields, opts.signal, async () => (await lookup(ctx, customer, opts.signal))?.remoteId);
    return { remoteId: r.id };
  } catch (e) {
    if (e instanceof SalesforceDuplicateError && e.matches[0]) return { remoteId: e.matches[0] };
    throw e;
  }
}

/** One unambiguous match by email or phone, or nothing (several: let the insert and duplicate rules decide). */
async function lookup(ctx: SalesforceContext, c: Customer, signal?: AbortSignal): Promise<RemoteRef | undefined> {
  if (!c.email && !c.phones[0]) return undefined;
  const hits = await findCustomers(ctx, { ...(c.email ? { email: c.email } : {}), ...(c.phones[0] ? { phone: c.phones[0] } : {}) }, signal);
  const strong = hits.filter((h) => h.matchedBy.includes('email') || h.matchedBy.includes('phone'));
  return strong.length === 1 ? { remoteId: strong[0]!.remoteId } : undefined;
}
