// The outbox row as the sync layer sees it, and the lookups every step shares.
//
// Claim bookkeeping rides on the outbox row itself (extra properties IndexedDB keeps as they
// are; the row schema in lib/model is left alone because only this layer reads them), so a
// claim and the row's state change are one write.
import type { LiaisonDb } from '../db/db';
import type { OutboxEntry } from '../model';

export interface SyncEntry extends OutboxEntry {
  /** Who holds an 'inflight' claim: a result is recorded only by the holder. */
  claimToken?: string;
  claimedAt?: number;
  /**
   * A previous attempt may have reached the CRM (killed worker, timeout, 5xx on a write, or a
   * conflict on create): the next attempt reconciles (lookup or native key) before sending.
   */
  unknownOutcome?: boolean;
}

/** The customer an entry belongs to (follow-ups, deals and reminders point at one), or undefined when the record is gone. */
export async function customerIdOf(db: LiaisonDb, e: Pick<OutboxEntry, 'entity'>): Promise<string | undefined> {
  switch (e.entity.table) {
    case 'customers':
      return e.entity.id;
    case 'followUps':
      return (await db.followUps.get(e.entity.id))?.customerId;
    case 'deals':
      return (await db.deals.get(e.entity.id))?.customerId;
    case 'reminders':
      return (await db.reminders.get(e.entity.id))?.customerId;
    case 'tickets':
      return (await db.tickets.get(e.entity.id))?.customerId;
  }
}

/** Every outbox row (any state) of a customer's records for one connection. */
export async function entriesOfCustomer(db: LiaisonDb, customerId: string, connectionId: string): Promise<SyncEntry[]> {
  const [followUps, deals, reminders, tickets] = await Promise.all([
    db.followUps.where('customerId').equals(customerId).primaryKeys(),
    db.deals.where('customerId').equals(customerId).primaryKeys(),
    db.reminders.where('customerId').equals(customerId).primaryKeys(),
    db.tickets.where('customerId').equals(customerId).primaryKeys(),
  ]);
  const refs: [string, string][] = [
    ['customers', customerId],
    ...followUps.map((id): [string, string] => ['followUps', id]),
    ...deals.map((id): [string, string] => ['deals', id]),
    ...reminders.map((id): [string, string] => ['reminders', id]),
    ...tickets.map((id): [string, string] => ['tickets', id]),
  ];
  const rows = (await db.outbox.where('[entity.table+entity.id]').anyOf(refs).toArray()) as SyncEntry[];
  return rows.filter((r) => r.connectionId === connectionId);
}

/**
 * Entries that need the customer's remote id from the link (i.e. its customer.create done) before
 * they can be sent: all but customer.create, person.notify (a message to a colleague, not a
 * write on the customer) and ticket.comment (it waits for its ticket instead: waitsForTicket), and a ticket.create only where it was queued to wait
 * (OutboxEntry.waitsForCustomer: the CRM hangs tickets on a customer, or the customer is on it).
 */
export const needsRemoteCustomer = (e: Pick<OutboxEntry, 'op' | 'waitsForCustomer'>) =>
  e.op === 'ticket.create' ? e.waitsForCustomer === true : e.op !== 'customer.create' && e.op !== 'person.notify' && e.op !== 'ticket.comment';

/**
 * A ticket.comment is sent once its ticket has a remote id on that connection (the ticket's
 * create there has succeeded); until then it is neither claimed nor a reason to wake.
 */
export async function waitsForTicket(db: LiaisonDb, e: Pick<OutboxEntry, 'op' | 'ticketId' | 'connectionId'>): Promise<boolean> {
  if (e.op !== 'ticket.comment' || !e.ticketId) return false;
  const ticket = await db.tickets.get(e.ticketId);
  // A deleted ticket: claimed, and the execution skips it.
  if (!ticket) return false;
  return !ticket.places.some((p) => p.connectionId === e.connectionId && p.remoteId);
}

export const isActive = (e: Pick<OutboxEntry, 'state'>) => e.state === 'pending' || e.state === 'inflight';

/** Customers with entries still to send on a connection (to show or lift an auth pause on their links). */
export async function customersWithActiveEntries(db: LiaisonDb, connectionId: string): Promise<Set<string>> {
  const rows = await db.outbox.where('connectionId').equals(connectionId).filter(isActive).toArray();
  const ids = new Set<string>();
  for (const e of rows) {
    const id = await customerIdOf(db, e);
    if (id) ids.add(id);
  }
  return ids;
}
