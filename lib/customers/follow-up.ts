// Log a follow-up (跟进记录) and settle the customer's reminder, in one transaction.
//
// The reminder rule: a follow-up with nextAt replaces the customer's reminder with one due
// then. Without nextAt, a reminder due by the end of today (in the runtime's time zone, like
// the popup's due list) or overdue is marked done, because the follow-up it asked for has
// just happened; a reminder planned for a later day is kept (today's call doesn't replace
// next week's planned one).
import { followUpSchema, outboxEntrySchema, type FollowUp } from '../model';
import { ticketsOfSpec, type TicketsOf } from './ticket';
import { followUpInputSchema, type FollowUpInput } from '../messaging/protocol';
import type { LiaisonDb } from '../db/db';
import { activeReminder, markDone, setNextFollowUp } from '../reminders/store';
import { zonedDayBounds } from '../reminders/schedule';
import { parseInput } from './fields';
import { outboxEntry, remoteConnections, supports } from './sync';
import { NotFoundError, ValidationError } from './errors';

export async function logFollowUp(db: LiaisonDb, customerId: string, input: FollowUpInput, now: number, by?: string, opts: { ticketsOf?: TicketsOf } = {}): Promise<FollowUp> {
  const ticketsOf = opts.ticketsOf ?? ticketsOfSpec;
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
    ...(i.ticketId ? { ticketId: i.ticketId } : {}),
  });

  const tables = [db.followUps, db.customers, db.reminders, db.links, db.outbox, db.connections, db.tickets];
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

    // 关联工单: a comment on the ticket wherever it lives and takes comments; that connection gets
    // the comment instead of a second copy as a customer follow-up.
    const commented = new Set<string>();
    if (i.ticketId) {
      const ticket = await db.tickets.get(i.ticketId);
      if (!ticket || ticket.customerId !== customerId) throw new ValidationError(`不是这位客户的工单 / not a ticket of this customer: ${i.ticketId}`);
      for (const c of await remoteConnections(db)) {
        if (!ticket.places.some((p) => p.connectionId === c.id) || !ticketsOf(c)?.comments) continue;
        await db.outbox.add(outboxEntrySchema.parse({ ...outboxEntry('ticket.comment', { table: 'followUps', id: row.id }, c.id, now), ticketId: ticket.id }));
        commented.add(c.id);
      }
    }
    for (const c of await remoteConnections(db)) {
      if (commented.has(c.id)) continue;
      if (!supports(c, 'followUps') || !(await db.links.get([customerId, c.id]))) continue;
      await db.outbox.add(outboxEntry('followUp.create', { table: 'followUps', id: row.id }, c.id, now));
    }
    return row;
  });
}
