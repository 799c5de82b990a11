// Edit a customer: fields, search keys, next follow-up and the outbox rows for the remote
// CRMs that hold this customer, in one transaction.
import type { Customer } from '../model';
import type { CustomerInput } from '../messaging/protocol';
import type { LiaisonDb } from '../db/db';
import { createLocalAdapter } from '../crm/local/adapter';
import { setNextFollowUp } from '../reminders/store';
import { getSettings } from '../settings/store';
import { customerFieldsFrom } from './fields';
import { outboxEntry, remoteConnections, supports } from './sync';
import { NotFoundError } from './errors';
import { appendStageChange } from '../stats/stage-log';

export async function updateCustomer(db: LiaisonDb, customerId: string, patch: CustomerInput, now: number): Promise<Customer> {
  const settings = await getSettings(db);
  const before = await db.customers.get(customerId);
  if (!before) throw new NotFoundError(`客户不存在 / no such customer: ${customerId}`);
  const fields = customerFieldsFrom(patch, settings, before.stage);
  const nextGiven = patch.nextFollowUpAt !== undefined;
  const nextAt = patch.nextFollowUpAt ?? undefined;

  const tables = [db.customers, db.reminders, db.links, db.outbox, db.connections, db.kv];
  return db.transaction('rw', tables, async () => {
    const current = await db.customers.get(customerId);
    if (!current) throw new NotFoundError(`客户不存在 / no such customer: ${customerId}`);
    const nextChanged = nextGiven && nextAt !== current.nextFollowUpAt;
    if (Object.keys(fields).length === 0 && !nextChanged) return current;

    if (Object.keys(fields).length > 0) {
      await createLocalAdapter(db, () => now).updateCustomer(customerId, fields, { idempotencyKey: crypto.randomUUID() });
    }
    if (nextChanged) await setNextFollowUp(db, customerId, nextAt ?? null, now);
    // The stage history the weekly report's moves and funnel are computed from (customers keep only the current stage).
    if (fields.stage !== undefined && fields.stage !== current.stage) {
      await appendStageChange(db, { customerId, from: current.stage, to: fields.stage, at: now });
    }

    const queued = await db.outbox.where('[entity.table+entity.id]').equals(['customers', customerId]).toArray();
    for (const c of await remoteConnections(db)) {
      if (!supports(c, 'updateCustomer')) continue;
      // Only CRMs that hold (or are about to hold) this customer; linking an existing customer to a new connection is the sync layer's job.
      if (!(await db.links.get([customerId, c.id]))) continue;
      // A create or update still waiting for this connection will send the current row anyway.
      if (queued.some((e) => e.connectionId === c.id && e.state === 'pending')) continue;
      await db.outbox.add(outboxEntry('customer.update', { table: 'customers', id: customerId }, c.id, now));
    }
    const saved = await db.customers.get(customerId);
    if (!saved) throw new NotFoundError(`客户不存在 / no such customer: ${customerId}`);
    return saved;
  });
}
