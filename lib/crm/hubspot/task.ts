// createTask: a reminder as a HubSpot task (POST /crm/v3/objects/tasks {hs_task_subject,
// hs_task_body, hs_timestamp = the due time, hs_task_status NOT_STARTED}) associated to the
// contact (task→contact type 204), created once per reminder (engagement.ts).
import { CrmError } from '../errors';
import type { RemoteRef, TaskInput, WriteOptions } from '../port';
import type { HubspotContext } from './client';
import { createEngagementOnce } from './engagement';
import { ASSOC } from './objects';

export async function createTask(ctx: HubspotContext, contactId: string, task: TaskInput, opts: WriteOptions): Promise<RemoteRef> {
  if (!/^\d+$/.test(contactId)) throw new CrmError('validation', 'HubSpot: a contact id is a number');
  const properties: Record<string, string> = {
    hs_task_subject: task.title.slice(0, 250),
    hs_timestamp: String(Math.round(task.dueAt)),
    hs_task_status: 'NOT_STARTED',
    hs_task_type: 'TODO',
    ...(task.note?.trim() ? { hs_task_body: task.note.trim().slice(0, 65_000) } : {}),
  };
  const id = await createEngagementOnce(ctx, 'tasks', contactId, properties, ['hs_timestamp', 'hs_task_subject'], ASSOC.taskToContact, opts.signal);
  return { remoteId: id };
}
