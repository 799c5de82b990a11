import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { LiaisonDb } from '../../../lib/db/db';
import {
  activeReminder,
  claimDueToNotify,
  listDue,
  markDone,
  markNotified,
  nextPendingFireAt,
  setNextFollowUp,
  snooze,
} from '../../../lib/reminders/store';
import { HOUR, MINUTE, customer, openTestDb, sh } from './fakes';

let db: LiaisonDb;
const now = sh('2026-11-21T10:00');

beforeEach(async () => {
  db = openTestDb();
  await db.customers.bulkPut([customer('1'), customer('2'), customer('3')]);
});
afterEach(async () => {
  await db.delete();
});

async function activeCount(customerId: string) {
  return (await db.reminders.where('customerId').equals(customerId).filter((r) => r.state !== 'done').toArray()).length;
}

describe('setNextFollowUp', () => {
  test('creates the reminder and mirrors it on the customer', async () => {
    const due = now + 2 * HOUR;
    const r = await setNextFollowUp(db, '1', due, now);
    expect(r).toMatchObject({ customerId: '1', dueAt: due, fireAt: due, state: 'due' });
    expect(r?.notifiedAt).toBeUndefined();
    expect(await db.reminders.get(r!.id)).toEqual(r);
    expect(await db.customers.get('1')).toMatchObject({ nextFollowUpAt: due, updatedAt: now });
  });

  test('a new due time re-arms the same row: due, fireAt = dueAt, notifiedAt cleared', async () => {
    const first = await setNextFollowUp(db, '1', now - HOUR, now);
    await markNotified(db, [first!.id], now);
    await snooze(db, '1', 30, now);
    const later = now + 24 * HOUR;
    const second = await setNextFollowUp(db, '1', later, now + MINUTE);
    expect(second?.id).toBe(first?.id);
    const row = await db.reminders.get(first!.id);
    expect(row).toMatchObject({ dueAt: later, fireAt: later, state: 'due' });
    expect(row).not.toHaveProperty('notifiedAt');
    expect(await activeCount('1')).toBe(1);
    expect((await db.customers.get('1'))?.nextFollowUpAt).toBe(later);
  });

  test('the same due time again changes nothing (no re-fire after an unrelated save)', async () => {
    const r = await setNextFollowUp(db, '1', now - HOUR, now);
    await markNotified(db, [r!.id], now);
    await setNextFollowUp(db, '1', now - HOUR, now + MINUTE);
    expect((await db.reminders.get(r!.id))?.notifiedAt).toBe(now);
  });

  test('null clears: the reminder is done and nextFollowUpAt is gone', async () => {
    const r = await setNextFollowUp(db, '1', now + HOUR, now);
    expect(await setNextFollowUp(db, '1', null, now + MINUTE)).toBeUndefined();
    expect((await db.reminders.get(r!.id))?.state).toBe('done');
    const c = await db.customers.get('1');
    expect(c).not.toHaveProperty('nextFollowUpAt');
    expect(c?.updatedAt).toBe(now + MINUTE);
    expect(await activeReminder(db, '1')).toBeUndefined();
  });

  test('after done, a new follow-up gets a new row and history is kept', async () => {
    const a = await setNextFollowUp(db, '1', now + HOUR, now);
    await markDone(db, '1', now);
    const b = await setNextFollowUp(db, '1', now + 2 * HOUR, now);
    expect(b?.id).not.toBe(a?.id);
    expect(await db.reminders.where('customerId').equals('1').count()).toBe(2);
    expect(await activeCount('1')).toBe(1);
  });

  test('repairs two active rows into one', async () => {
    await db.reminders.bulkAdd([
      { id: 'x', customerId: '1', dueAt: now, fireAt: now, state: 'due' },
      { id: 'y', customerId: '1', dueAt: now + HOUR, fireAt: now + HOUR, state: 'due' },
    ]);
    await setNextFollowUp(db, '1', now + 5 * HOUR, now);
    expect(await activeCount('1')).toBe(1);
  });

  test('unknown customer is an error and writes nothing', async () => {
    await expect(setNextFollowUp(db, 'nobody', now, now)).rejects.toThrow(/not found/);
    expect(await db.reminders.count()).toBe(0);
  });

  test('joins the caller’s transaction: rolls back with it', async () => {
    await expect(
      db.transaction('rw', db.customers, db.reminders, db.followUps, async () => {
        await setNextFollowUp(db, '1', now + HOUR, now);
        await snooze(db, '1', 10, now);
        expect(await activeReminder(db, '1')).toBeDefined(); // visible inside
        throw new Error('caller failed');
      }),
    ).rejects.toThrow('caller failed');
    expect(await db.reminders.count()).toBe(0);
    expect(await db.customers.get('1')).not.toHaveProperty('nextFollowUpAt');
  });
});

describe('markDone / snooze / markNotified', () => {
  test('markDone: reminder done, nextFollowUpAt cleared', async () => {
    const r = await setNextFollowUp(db, '1', now, now);
    const done = await markDone(db, '1', now + MINUTE);
    expect(done).toMatchObject({ id: r!.id, state: 'done' });
    expect((await db.reminders.get(r!.id))?.state).toBe('done');
    expect(await db.customers.get('1')).not.toHaveProperty('nextFollowUpAt');
    expect((await db.customers.get('1'))?.updatedAt).toBe(now + MINUTE);
  });

  test('markDone without an active reminder is a no-op', async () => {
    expect(await markDone(db, '2', now)).toBeUndefined();
    expect((await db.customers.get('2'))?.updatedAt).toBe(0);
  });

  test('snooze keeps dueAt and moves fireAt', async () => {
    const due = now - HOUR;
    await setNextFollowUp(db, '1', due, now);
    const s = await snooze(db, '1', 60, now);
    expect(s).toMatchObject({ state: 'snoozed', dueAt: due, fireAt: now + HOUR });
    expect(await activeReminder(db, '1')).toEqual(s);
    expect((await db.customers.get('1'))?.nextFollowUpAt).toBe(due);
    expect(await snooze(db, '2', 60, now)).toBeUndefined();
  });

  test('markNotified sets notifiedAt on exactly the given rows', async () => {
    const a = await setNextFollowUp(db, '1', now, now);
    const b = await setNextFollowUp(db, '2', now, now);
    await markNotified(db, [a!.id], now + 5);
    expect((await db.reminders.get(a!.id))?.notifiedAt).toBe(now + 5);
    expect((await db.reminders.get(b!.id))?.notifiedAt).toBeUndefined();
  });
});

describe('claimDueToNotify / nextPendingFireAt', () => {
  test('claims each due reminder once', async () => {
    await setNextFollowUp(db, '1', now - HOUR, now);
    await setNextFollowUp(db, '2', now + HOUR, now);
    expect((await claimDueToNotify(db, now)).map((r) => r.customerId)).toEqual(['1']);
    expect(await claimDueToNotify(db, now + MINUTE)).toEqual([]);
  });

  test('two racing claims split the work, never duplicate it', async () => {
    for (const id of ['1', '2', '3']) await setNextFollowUp(db, id, now - HOUR, now);
    const [a, b] = await Promise.all([claimDueToNotify(db, now), claimDueToNotify(db, now)]);
    expect([...a!, ...b!].map((r) => r.customerId).sort()).toEqual(['1', '2', '3']);
  });

  test('next pending time skips notified and done reminders', async () => {
    expect(await nextPendingFireAt(db)).toBeUndefined();
    await setNextFollowUp(db, '1', now - HOUR, now);
    await setNextFollowUp(db, '2', now + 3 * HOUR, now);
    await setNextFollowUp(db, '3', now + 2 * HOUR, now);
    expect(await nextPendingFireAt(db)).toBe(now - HOUR);
    await claimDueToNotify(db, now);
    expect(await nextPendingFireAt(db)).toBe(now + 2 * HOUR);
    await markDone(db, '3', now);
    expect(await nextPendingFireAt(db)).toBe(now + 3 * HOUR);
    await snooze(db, '1', 30, now); // snoozed one is pending again, earlier
    expect(await nextPendingFireAt(db)).toBe(now + 30 * MINUTE);
  });
});

describe('listDue (Asia/Shanghai)', () => {
  const zone = { timeZone: 'Asia/Shanghai' };
  beforeEach(async () => {
    await db.customers.bulkPut([customer('4'), customer('5'), customer('6')]);
  });

  test('23:59 yesterday is overdue, 00:01 today is due today, tomorrow 00:01 is not listed', async () => {
    const today = sh('2026-11-21T10:00');
    await setNextFollowUp(db, '1', sh('2026-11-20T23:59'), today);
    await setNextFollowUp(db, '2', sh('2026-11-21T00:01'), today);
    await setNextFollowUp(db, '3', sh('2026-11-21T23:59'), today);
    await setNextFollowUp(db, '4', sh('2026-11-22T00:01'), today);
    await setNextFollowUp(db, '5', sh('2026-11-18T09:00'), today);
    await setNextFollowUp(db, '6', sh('2026-11-21T08:00'), today);
    await markDone(db, '6', today);
    const { overdue, dueToday } = await listDue(db, today, zone);
    expect(overdue.map((r) => r.customerId)).toEqual(['5', '1']);
    expect(dueToday.map((r) => r.customerId)).toEqual(['2', '3']);
  });

  test('"today" is the given zone’s day, not UTC’s', async () => {
    // 00:30 in Shanghai is still the previous day (16:30) in UTC.
    const at = sh('2026-11-21T00:30');
    await setNextFollowUp(db, '1', sh('2026-11-20T23:59'), at);
    expect((await listDue(db, at, zone)).overdue.map((r) => r.customerId)).toEqual(['1']);
    expect((await listDue(db, at, { timeZone: 'UTC' })).dueToday.map((r) => r.customerId)).toEqual(['1']);
  });

  test('a snoozed reminder is still listed by its due time', async () => {
    await setNextFollowUp(db, '1', sh('2026-11-21T09:00'), now);
    await snooze(db, '1', 120, now);
    expect((await listDue(db, now, zone)).dueToday.map((r) => r.state)).toEqual(['snoozed']);
  });
});
