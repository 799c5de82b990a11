// addFollowUp: Bitable has no notes object, so a follow-up is a record in 跟进记录表 whose 客户ID
// links (DuplexLink) to the customer's record; 记录ID holds Liaison's follow-up id.
import type { FollowUp } from '../../model';
import type { RemoteRef, WriteOptions } from '../port';
import type { FeishuContext } from './client';
import { createIdempotent } from './idempotent';
import { tableId } from './tables';
import { fieldNames, followUpFields } from './values';

export async function addFollowUp(ctx: FeishuContext, remoteCustomerId: string, followUp: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  const names = fieldNames(ctx.config);
  const table = await tableId(ctx, 'followUps', opts.signal);
  const idField = names.followUp.recordId;
  const rec = await createIdempotent(ctx, table, followUpFields(remoteCustomerId, followUp, names), opts.idempotencyKey, idField ? { field: idField, value: followUp.id } : undefined, opts.signal);
  return { remoteId: rec.record_id };
}
