// createTask: a reminder as an open Task (Not Started) due on ActivityDate with IsReminderSet at
// the due time, on the Lead/Contact (WhoId); upserted on the external ID like follow-ups.
import type { RemoteRef, TaskInput, WriteOptions } from '../port';
import type { SalesforceContext } from './client';
import { writeKeyed } from './records';
import { customerObjectOf } from './update';
import { taskFields } from './values';

export async function createTask(ctx: SalesforceContext, remoteCustomerId: string, task: TaskInput, opts: WriteOptions): Promise<RemoteRef> {
  customerObjectOf(ctx, remoteCustomerId);
  const r = await writeKeyed(ctx, 'Task', opts.idempotencyKey, taskFields(remoteCustomerId, task), opts.signal);
  return { remoteId: r.id };
}
