// addFollowUp: a completed Task (Status Completed, ActivityDate = the follow-up's day, WhoId =
// the Lead/Contact), upserted on the external ID = the follow-up's outbox key so a retry never
// logs it twice. Template values (opts.fields) go on top, typed by Task's describe; WhoId/WhatId
// stay Liaison's. Docs: sforce_api_objects_task.htm.
import type { FollowUp } from '../../model';
import type { RemoteRef, WriteOptions } from '../port';
import type { SalesforceContext } from './client';
import { writeKeyed } from './records';
import { customerObjectOf } from './update';
import { templateFields } from './template-fields';
import { followUpFields } from './values';

export async function addFollowUp(ctx: SalesforceContext, remoteCustomerId: string, followUp: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  customerObjectOf(ctx, remoteCustomerId); // rejects a malformed id before writing
  const fields = { ...followUpFields(remoteCustomerId, followUp), ...(await templateFields(ctx, 'Task', opts.fields, 'create', opts.signal)) };
  const r = await writeKeyed(ctx, 'Task', opts.idempotencyKey, fields, opts.signal);
  return { remoteId: r.id };
}
