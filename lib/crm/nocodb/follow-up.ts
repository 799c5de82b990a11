// addFollowUp: a row in 跟进记录 linked to the customer's row, 记录ID = Liaison's follow-up id.
import type { FollowUp } from '../../model';
import type { RemoteRef, WriteOptions } from '../port';
import type { NocodbContext } from './client';
import { createLinkedRow } from './linked';
import { fieldNames, followUpRow } from './values';

export function addFollowUp(ctx: NocodbContext, remoteCustomerId: string, followUp: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  const names = fieldNames(ctx.config);
  return createLinkedRow(ctx, 'followUps', { title: names.followUp.recordId, value: followUp.id }, remoteCustomerId, (meta) => followUpRow(followUp, names, meta), { section: 'followUp', names, fields: opts.fields }, opts.signal);
}
