// createDeal: an Opportunity (Name, StageName, CloseDate, Amount) upserted on the external ID.
// Opportunities hang off Accounts, not Leads; converting the lead would create Account +
// Contact + Opportunity, an irreversible sales decision Liaison leaves to the salesperson. So the
// Opportunity's Description names the customer's record, and conversion stays manual.
import type { Deal } from '../../model';
import type { RemoteRef, WriteOptions } from '../port';
import type { SalesforceContext } from './client';
import { writeKeyed } from './records';
import { customerObjectOf } from './update';
import { dealFields } from './values';

export async function createDeal(ctx: SalesforceContext, remoteCustomerId: string, deal: Deal, opts: WriteOptions): Promise<RemoteRef> {
  customerObjectOf(ctx, remoteCustomerId);
  const r = await writeKeyed(ctx, 'Opportunity', opts.idempotencyKey, dealFields(remoteCustomerId, deal), opts.signal);
  return { remoteId: r.id };
}
