// createDeal: a row in 成交记录 linked to the customer's row, 成交ID = Liaison's deal id.
import type { Deal } from '../../model';
import type { RemoteRef, WriteOptions } from '../port';
import type { NocodbContext } from './client';
import { createLinkedRow } from './linked';
import { dealRow, fieldNames } from './values';

export function createDeal(ctx: NocodbContext, remoteCustomerId: string, deal: Deal, opts: WriteOptions): Promise<RemoteRef> {
  const names = fieldNames(ctx.config);
  return createLinkedRow(ctx, 'deals', { title: names.deal.dealId, value: deal.id }, remoteCustomerId, (meta) => dealRow(deal, names, meta), { section: 'deal', names, fields: opts.fields }, opts.signal);
}
