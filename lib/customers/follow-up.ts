// Log a follow-up (跟进记录) and settle the customer's reminder, in one transaction.
//
// The reminder rule: a follow-up with nextAt replaces the customer's reminder with one due
// then. Without nextAt, a reminder due by the end of today (in the runtime's time zone, like
// the popup's due list) or overdue is marked done, because the follow-up it asked for has
// just happened; a reminder planned for a later day is kept (today's call doesn't replace
// next week's planned one).
import { followUpSchema, type FollowUp } from '../model';
import { followUpInputSchema, type FollowUpInput } from '../messaging/protocol';
import type { LiaisonDb } from '../db/db';
import { activeReminder, markDone, setNextFollowUp } from '../reminders/store';
import { zonedDayBounds } from '../reminders/schedule';
import { parseInput } from './fields';
import { outboxEntry, remoteConnections, supports } from './sync';
import { NotFoundError } from './errors';

export async function logFollowUp(db: LiaisonDb, customerId: string, input: FollowUpInput, now: number, by?: string): Promise<FollowUp> {
  const i = parseInput(followUpInputSchema, input);
  const at = i.at ?? now;
  const row = followUpSchema.parse({
    id: crypto.randomUUID(),
    customerId,
    method: i.method,
    content: i.content,
    ...(i.result ? { result: i.result } : {}),
    ...(i.nextAction ? { nextAction: i.nextAction } : {}),
    ...(i.nextAt !== undefined ? { nextAt: i.nextAt } : {}),
    at,
    ...(by ? { by } : {}),
    origin: 'manual',
    messageIds: i.messageIds ?? [],
  });

  const tables = [db.followUps, db.customers, db.reminders, db.links, db.outbox, db.connections];
  return db.transaction('rw', tables, async () => {
    const customer = await db.customers.get(customerId);
    if (!customer) throw new NotFoundError(`客户不存在 / no such customer: ${customerId}`);
    await db.followUps.add(row);
    // A back-dated entry must not move 最后联系 backwards.
    await db.customers.update(customerId, { lastContactAt: Math.max(customer.lastContactAt ?? 0, at), updatedAt: now });

    if (i.nextAt !== undefined) await setNextFollowUp(db, customerId, i.nextAt, now);
    else if (i.completesReminder !== false) {
      const reminder = await activeReminder(db, customerId);
      if (reminder && reminder.dueAt < zonedDayBounds(now).end) await markDone(db, customerId, now);
    }

    for (const c of await remoteConnections(db)) {
      if (!supports(c, 'followUps') || !(await db.links.get([customerId, c.id]))) continue;
      await db.outbox.add(outboxEntry('followUp.create', { table: 'followUps', id: row.id }, c.id, now));
    }
    return row;
  });
}
