// createDeal: an Opportunity (Name, StageName, CloseDate, Amount) upserted on the external ID.
// Opportunities hang off Accounts, not Leads; converting the lead would create Account +
// Contact + Opportunity, an irreversible sales decision Liaison leaves to the salesperson. So the
// Opportunity's Description names the customer's record, and conversion stays manual. Template
// values (opts.fields) go on top, typed by Opportunity's describe.
import type { Deal } from '../../model';
import type { RemoteRef, WriteOptions } from '../port';
import type { SalesforceContext } from './client';
import { writeKeyed } from './records';
import { customerObjectOf } from './update';
import { templateFields } from './template-fields';
import { dealFields } from './values';

export async function createDeal(ctx: SalesforceContext, remoteCustomerId: string, deal: Deal, opts: WriteOptions): Promise<RemoteRef> {
  customerObjectOf(ctx, remoteCustomerId);
  const fields = { ...dealFields(remoteCustomerId, deal), ...(await templateFields(ctx, 'Opportunity', opts.fields, 'create', opts.signal)) };
  const r = await writeKeyed(ctx, 'Opportunity', opts.idempotencyKey, fields, opts.signal);
  return { remoteId: r.id };
}
