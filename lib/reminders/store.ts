// Reminder rows in Dexie. Invariant: at most one active (state ≠ 'done') reminder per
// customer, and its dueAt mirrors customer.nextFollowUpAt. Every write goes through
// db.transaction('rw', customers, reminders, …), which Dexie joins when the caller already
// has a rw transaction over a superset (e.g. logging a follow-up plus its outbox rows),
// so the customer, its reminder and the caller's rows commit or roll back together.
import Dexie from 'dexie';
import type { LiaisonDb } from '../db/db';
import type { Reminder } from '../model';
import { dueToNotify, isPending, runtimeTimeZone, zonedDayBounds } from './schedule';

const MINUTE = 60_000;
const ACTIVE_STATES = ['due', 'snoozed'] as const;

/** Active reminders of one customer, oldest due first (normally zero or one). */
async function activeRows(db: LiaisonDb, customerId: string): Promise<Reminder[]> {
  const rows = await db.reminders
    .where('customerId')
    .equals(customerId)
    .filter((r) => r.state !== 'done')
    .toArray();
  return rows.sort((a, b) => a.dueAt - b.dueAt);
}

export async function activeReminder(db: LiaisonDb, customerId: string): Promise<Reminder | undefined> {
  return (await activeRows(db, customerId))[0];
}

/**
 * 下次跟进: set (or with null, clear) the customer's next follow-up and its reminder.
 * A new dueAt re-arms the reminder (state 'due', fireAt = dueAt, notifiedAt cleared);
 * setting the same dueAt again changes nothing, so saving an unrelated customer field never
 * re-fires a reminder that was already notified or snoozed.
 */
export function setNextFollowUp(db: LiaisonDb, customerId: string, dueAt: number | null, now: number): Promise<Reminder | undefined> {
  return db.transaction('rw', db.customers, db.reminders, async () => {
    const customer = await db.customers.get(customerId);
    if (!customer) throw new Error(`customer ${customerId} not found`);
    // Dexie's update() deletes a property set to undefined, which is what "cleared" means here.
    await db.customers.update(customerId, { nextFollowUpAt: dueAt ?? undefined, updatedAt: now });

    const [current, ...extra] = await activeRows(db, customerId);
    // Repair: should two active rows ever exist (an import, an old bug), keep one.
    for (const r of extra) await db.reminders.update(r.id, { state: 'done' });

    if (dueAt === null) {
      if (current) await db.reminders.update(current.id, { state: 'done' });
      return undefined;
    }
    if (current) {
      if (current.dueAt === dueAt) return current;
      const next: Reminder = { ...current, dueAt, fireAt: dueAt, state: 'due' };
      delete next.notifiedAt;
      await db.reminders.put(next);
      return next;
    }
    const created: Reminder = { id: crypto.randomUUID(), customerId, dueAt, fireAt: dueAt, state: 'due' };
    await db.reminders.add(created);
    return created;
  });
}

/** 完成: the active reminder is done and the customer has no next follow-up. */
export function markDone(db: LiaisonDb, customerId: string, now: number): Promise<Reminder | undefined> {
  return db.transaction('rw', db.customers, db.reminders, async () => {
    const rows = await activeRows(db, customerId);
    for (const r of rows) await db.reminders.update(r.id, { state: 'done' });
    const customer = await db.customers.get(customerId);
    if (customer && customer.nextFollowUpAt !== undefined) {
      await db.customers.update(customerId, { nextFollowUpAt: undefined, updatedAt: now });
    }
    const first = rows[0];
    return first ? { ...first, state: 'done' } : undefined;
  });
}

/** 稍后: notify again `minutes` from now; the due time (and nextFollowUpAt) stay as they were. */
export function snooze(db: LiaisonDb, customerId: string, minutes: number, now: number): Promise<Reminder | undefined> {
  return db.transaction('rw', db.customers, db.reminders, async () => {
    const current = await activeReminder(db, customerId);
    if (!current) return undefined;
    const next: Reminder = { ...current, state: 'snoozed', fireAt: now + minutes * MINUTE };
    await db.reminders.put(next);
    return next;
  });
}

export function markNotified(db: LiaisonDb, reminderIds: readonly string[], now: number): Promise<void> {
  return db.transaction('rw', db.customers, db.reminders, async () => {
    for (const id of reminderIds) await db.reminders.update(id, { notifiedAt: now });
  });
}

/**
 * Claim the reminders to notify now: find them and mark them notified in one transaction,
 * so two passes racing (the alarm and the start-up pass) never both get the same reminder.
 * Notifying after the claim is at-most-once; a notification that fails to show still
 * leaves the reminder in the popup's due list.
 */
export function claimDueToNotify(db: LiaisonDb, now: number): Promise<Reminder[]> {
  return db.transaction('rw', db.customers, db.reminders, async () => {
    const candidates: Reminder[] = [];
    for (const state of ACTIVE_STATES) {
      candidates.push(...(await db.reminders.where('[state+fireAt]').between([state, Dexie.minKey], [state, now], true, true).toArray()));
    }
    const due = dueToNotify(candidates, now);
    for (const r of due) await db.reminders.update(r.id, { notifiedAt: now });
    return due.map((r) => ({ ...r, notifiedAt: now }));
  });
}

/** The smallest fireAt among reminders still waiting to notify, for the single alarm. */
export async function nextPendingFireAt(db: LiaisonDb): Promise<number | undefined> {
  let earliest: number | undefined;
  for (const state of ACTIVE_STATES) {
    // Walks the [state+fireAt] index in order; already-notified overdue rows are skipped.
    const first = await db.reminders
      .where('[state+fireAt]')
      .between([state, Dexie.minKey], [state, Dexie.maxKey])
      .filter(isPending)
      .first();
    if (first && (earliest === undefined || first.fireAt < earliest)) earliest = first.fireAt;
  }
  return earliest;
}

/**
 * Active reminders due before today (overdue) or during today (dueToday), "today" in the
 * given IANA zone (default the runtime's), each list sorted by dueAt. Snoozing does not
 * move a reminder between the lists: they are about the due time, not the next ring.
 */
export async function listDue(
  db: LiaisonDb,
  now: number,
  opts: { timeZone?: string } = {},
): Promise<{ overdue: Reminder[]; dueToday: Reminder[] }> {
  const { start, end } = zonedDayBounds(now, opts.timeZone ?? runtimeTimeZone());
  const active = await db.reminders
    .where('state')
    .anyOf([...ACTIVE_STATES])
    .filter((r) => r.dueAt < end)
    .toArray();
  active.sort((a, b) => a.dueAt - b.dueAt);
  return { overdue: active.filter((r) => r.dueAt < start), dueToday: active.filter((r) => r.dueAt >= start) };
}
