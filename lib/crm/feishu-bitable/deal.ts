// createDeal: a record in 成交记录表 linked to the customer through 客户ID; 成交ID holds Liaison's deal id.
// Template values (opts.fields) go on top, typed; 成交ID and the links stay Liaison's.
import type { Deal } from '../../model';
import type { RemoteRef, WriteOptions } from '../port';
import type { FeishuContext } from './client';
import { createIdempotent } from './idempotent';
import { tableId } from './tables';
import { templateCells } from './template-cells';
import { dealFields, fieldNames } from './values';

export async function createDeal(ctx: FeishuContext, remoteCustomerId: string, deal: Deal, opts: WriteOptions): Promise<RemoteRef> {
  const names = fieldNames(ctx.config);
  const table = await tableId(ctx, 'deals', opts.signal);
  const idField = names.deal.dealId;
  const fields = { ...dealFields(remoteCustomerId, deal, names), ...(await templateCells(ctx, table, 'deal', names, opts.fields, opts.signal)) };
  const rec = await createIdempotent(ctx, table, fields, opts.idempotencyKey, idField ? { field: idField, value: deal.id } : undefined, opts.signal);
  return { remoteId: rec.record_id };
}
