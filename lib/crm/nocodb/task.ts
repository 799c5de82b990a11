// NocoDB has no task object and Liaison does not invent a tasks table: reminders stay in Liaison
// (spec.capabilities.tasks 'none'), and 下次跟进 on the customer row carries the due time.
import { CrmError } from '../errors';
import type { RemoteRef } from '../port';

export async function createTask(): Promise<RemoteRef> {
  throw new CrmError('unsupported', 'NocoDB has no tasks; reminders stay in Liaison');
}
