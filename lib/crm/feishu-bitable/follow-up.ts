// addFollowUp: Bitable has no notes object, so a follow-up is a record in 跟进记录表 whose 客户ID
// links (DuplexLink) to the customer's record; 记录ID holds Liaison's follow-up id. Template values
// (opts.fields) go on top, typed; 记录ID and the links stay Liaison's.
import type { FollowUp } from '../../model';
import type { RemoteRef, WriteOptions } from '../port';
import type { FeishuContext } from './client';
import { createIdempotent } from './idempotent';
import { tableId } from './tables';
import { templateCells } from './template-cells';
import { fieldNames, followUpFields } from './values';

export async function addFollowUp(ctx: FeishuContext, remoteCustomerId: string, followUp: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  const names = fieldNames(ctx.config);
  const table = await tableId(ctx, 'followUps', opts.signal);
  const idField = names.followUp.recordId;
  const fields = { ...followUpFields(remoteCustomerId, followUp, names), ...(await templateCells(ctx, table, 'followUp', names, opts.fields, opts.signal)) };
  const rec = await createIdempotent(ctx, table, fields, opts.idempotencyKey, idField ? { field: idField, value: followUp.id } : undefined, opts.signal);
  return { remoteId: rec.record_id };
}
