import { afterEach, describe, expect, it } from 'vitest';
import { createCustomer } from '../../../lib/customers/create';
import { logFollowUp } from '../../../lib/customers/follow-up';
import type { Customer, Deal, FollowUp, Reminder } from '../../../lib/model';
import { connectionEntries, discardEntry, DISCARDED, DISCARDED_WITH_CUSTOMER, retriedEntry, retryEntry } from '../../../lib/sync/entries';
import type { SyncEntry } from '../../../lib/sync/entry';
import { CANNOT_VERIFY } from '../../../lib/sync/execute';
import { loadGate, saveGate } from '../../../lib/sync/gate';
import { CONN, drive, rig, type Rig } from './helpers';

let current: Rig | undefined;
afterEach(async () => {
  await current?.db.delete();
  current = undefined;
});
async function setup() {
  current = await rig();
  return current;
}

const customer = (id: string, name: string, code: string): Customer => ({ id, code, name, phones: [], stage: '新客户', tags: [], createdAt: 0, updatedAt: 0, searchKeys: [] });
const followUp = (id: string, customerId: string): FollowUp => ({ id, customerId, method: '电话', content: '不应出现在健康页', at: 0, origin: 'manual', messageIds: [] });
const deal = (id: string, customerId: string): Deal => ({ id, customerId, product: '房贷', status: '进行中', createdAt: 0 });
const reminder = (id: string, customerId: string): Reminder => ({ id, customerId, dueAt: 0, fireAt: 0, state: 'due' });

let seq = 0;
function entry(over: Partial<SyncEntry> & Pick<SyncEntry, 'op' | 'entity' | 'state'>): SyncEntry {
  seq++;
  return { id: `e${seq}`, connectionId: CONN, idempotencyKey: `k${seq}`, attempts: 0, nextAttemptAt: 0, createdAt: seq, ...over };
}

describe('connectionEntries', () => {
  it('lists failed, in-flight and waiting entries with their customer, and nothing else', async () => {
    const { db, clock } = await setup();
    const now = clock.now();
    await db.customers.bulkPut([customer('c1', '王小明', 'KH2026-0007'), customer('c2', '李雷', 'KH2026-0008')]);
    await db.followUps.put(followUp('f1', 'c1'));
    await db.deals.put(deal('d1', 'c2'));
    await db.reminders.put(reminder('r1', 'c1'));
    const rows = [
      // A failed row keeps its claim's deadline (possibly after now): shown as failed now.
      entry({ id: 'create', op: 'customer.create', entity: { table: 'customers', id: 'c1' }, state: 'failed', attempts: 1, nextAttemptAt: now + 60_000, lastError: 'validation: HTTP 422: 客户来源 is required' }),
      entry({ id: 'follow', op: 'followUp.create', entity: { table: 'followUps', id: 'f1' }, state: 'pending', attempts: 2, nextAttemptAt: now + 5_000, lastError: 'retryable: HTTP 503', unknownOutcome: true }),
      entry({ id: 'deal', op: 'deal.create', entity: { table: 'deals', id: 'd1' }, state: 'inflight', nextAttemptAt: now + 50_000, claimToken: 'tok', claimedAt: now - 10_000 }),
      entry({ id: 'task', op: 'task.create', entity: { table: 'reminders', id: 'r1' }, state: 'pending', nextAttemptAt: now - 10 }),
      entry({ id: 'gone', op: 'followUp.create', entity: { table: 'followUps', id: 'deleted' }, state: 'failed', attempts: 8, nextAttemptAt: now - 1_000, lastError: 'retryable: HTTP 503 (gave up after 8 attempts)' }),
      entry({ id: 'done', op: 'customer.update', entity: { table: 'customers', id: 'c1' }, state: 'done' }),
      entry({ id: 'other', op: 'customer.create', entity: { table: 'customers', id: 'c2' }, state: 'failed', connectionId: 'another' }),
    ];
    await db.outbox.bulkPut(rows);

    const { entries, total } = await connectionEntries(db, CONN, now);
    expect(total).toEqual({ queued: 2, inflight: 1, failed: 2 });
    expect(entries.map((e) => e.id)).toEqual(['create', 'gone', 'deal', 'task', 'follow']);
    const [create, gone, dealRow, task, follow] = entries;
    expect(create).toEqual({
      id: 'create',
      op: 'customer.create',
      state: 'failed',
      attempts: 1,
      createdAt: rows[0]!.createdAt,
      nextAttemptAt: now + 60_000,
      failedAt: now,
      lastError: 'validation: HTTP 422: 客户来源 is required',
      customer: { id: 'c1', name: '王小明', code: 'KH2026-0007' },
    });
    expect(gone).toMatchObject({ failedAt: now - 1_000, attempts: 8 });
    expect(gone).not.toHaveProperty('customer');
    expect(dealRow).toMatchObject({ state: 'inflight', customer: { name: '李雷', code: 'KH2026-0008' } });
    expect(dealRow).not.toHaveProperty('failedAt');
    expect(task).toMatchObject({ op: 'task.create', customer: { name: '王小明' } });
    expect(follow).toMatchObject({ reconcile: true, attempts: 2, lastError: 'retryable: HTTP 503', customer: { code: 'KH2026-0007' } });
    // Names and codes only: no keys, claim tokens, entity refs or record contents reach the page.
    const json = JSON.stringify(entries);
    for (const leak of ['idempotencyKey', 'claimToken', 'entity', '不应出现在健康页', 'tok']) expect(json).not.toContain(leak);
  });

  it('caps each group at the limit and still counts every row', async () => {
    const { db, clock } = await setup();
    const now = clock.now();
    await db.customers.put(customer('c1', '王小明', 'KH2026-0007'));
    const ref = { table: 'customers' as const, id: 'c1' };
    await db.outbox.bulkPut([
      ...Array.from({ length: 5 }, (_, k) => entry({ op: 'customer.update', entity: ref, state: 'failed', nextAttemptAt: now - k * 1000 })),
      ...Array.from({ length: 4 }, (_, k) => entry({ op: 'customer.update', entity: ref, state: 'pending', nextAttemptAt: now + (10 - k) * 1000 })),
      entry({ op: 'customer.update', entity: ref, state: 'inflight', nextAttemptAt: now + 60_000 }),
    ]);
    const { entries, total } = await connectionEntries(db, CONN, now, 3);
    expect(total).toEqual({ queued: 4, inflight: 1, failed: 5 });
    expect(entries.map((e) => e.state)).toEqual(['failed', 'failed', 'failed', 'inflight', 'pending', 'pending']);
    // Latest failure first; the soonest waiting entry first.
    expect(entries.slice(0, 3).map((e) => e.failedAt)).toEqual([now, now - 1000, now - 2000]);
    expect(entries.slice(4).map((e) => e.nextAttemptAt)).toEqual([now + 7000, now + 8000]);
  });

  it('is empty for a connection with nothing to send', async () => {
    const { db, clock } = await setup();
    expect(await connectionEntries(db, CONN, clock.now())).toEqual({ entries: [], total: { queued: 0, inflight: 0, failed: 0 } });
  });
});

describe('retriedEntry (the retry rule of the worker\'s retryNow)', () => {
  const base = entry({ id: 'x', op: 'customer.create', entity: { table: 'customers', id: 'c1' }, state: 'failed', attempts: 8, nextAttemptAt: 5 });
  it.each([
    ['failed: starts over, reason kept', { ...base }, { state: 'pending', attempts: 0, nextAttemptAt: 1000 }],
    ['failed unknown outcome: still reconciles', { ...base, unknownOutcome: true, lastError: 'unknown-outcome: timeout' }, { state: 'pending', unknownOutcome: true, lastError: 'unknown-outcome: timeout' }],
    ['failed "cannot verify": the user checked the CRM', { ...base, unknownOutcome: true, lastError: `unsupported: ${CANNOT_VERIFY}: check the CRM` }, { state: 'pending', attempts: 0 }],
    ['waiting: due now', { ...base, state: 'pending' as const, attempts: 3, nextAttemptAt: 9000 }, { state: 'pending', attempts: 3, nextAttemptAt: 1000 }],
  ])('%s', async (_name, row, expected) => {
    const r = retriedEntry(row, 1000);
    expect(r).toMatchObject(expected);
    if (row.lastError?.includes(CANNOT_VERIFY)) expect(r).not.toHaveProperty('unknownOutcome');

    // Exactly what "retry all" (worker.retryNow) does to the same row.
    const { db, worker } = await setup();
    await db.customers.put(customer('c1', '王小明', 'KH2026-0007'));
    await db.outbox.put(row);
    const w = worker({ now: () => 1000, adapterFor: () => undefined });
    await w.retryNow({ customerId: 'c1' });
    expect(await db.outbox.get('x')).toEqual(r);
    await db.delete();
    current = undefined;
  });

  it('leaves in-flight and done entries alone', () => {
    expect(retriedEntry({ ...base, state: 'inflight' }, 1000)).toBeUndefined();
    expect(retriedEntry({ ...base, state: 'done' }, 1000)).toBeUndefined();
  });
});

describe('retryEntry and discardEntry', () => {
  async function failedCreate() {
    const r = await setup();
    const c = await createCustomer(r.db, { fields: { name: '张三', phones: ['13800138000'] } }, r.clock.now());
    r.crm.failNext(1, 'validation', 'HTTP 422: 客户来源 is required');
    const w = r.worker();
    await drive(r, w);
    const [e] = (await r.db.outbox.toArray()) as SyncEntry[];
    expect(e).toMatchObject({ state: 'failed' });
    expect(await r.db.links.get([c.id, CONN])).toMatchObject({ syncState: 'failed' });
    return { r, c, w, e: e! };
  }

  it('retries one failed entry: pending, attempts 0, due now, link back to pending; then it syncs', async () => {
    const { r, c, w, e } = await failedCreate();
    r.clock.advance(60_000);
    expect(await retryEntry(r.db, e.id, r.clock.now())).toEqual({ ok: true, connectionId: CONN });
    expect(await r.db.outbox.get(e.id)).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: r.clock.now(), lastError: 'validation: HTTP 422: 客户来源 is required' });
    expect(await r.db.links.get([c.id, CONN])).toMatchObject({ syncState: 'pending' });
    await drive(r, w);
    expect(await r.db.links.get([c.id, CONN])).toMatchObject({ syncState: 'synced' });
    expect(r.crm.customers).toHaveLength(1);
  });

  it('lifts an auth pause like "retry all" does', async () => {
    const { db, clock } = await setup();
    await db.customers.put(customer('c1', '王小明', 'KH2026-0007'));
    await db.outbox.put(entry({ id: 'p', op: 'customer.create', entity: { table: 'customers', id: 'c1' }, state: 'pending', nextAttemptAt: clock.now() }));
    await saveGate(db, CONN, { paused: { reason: 'auth', at: clock.now() }, lastSuccessAt: 5 });
    expect((await retryEntry(db, 'p', clock.now())).ok).toBe(true);
    expect(await loadGate(db, CONN)).toEqual({ lastSuccessAt: 5 });
  });

  it('refuses entries that are gone or not waiting / failed', async () => {
    const { db, clock } = await setup();
    await db.outbox.bulkPut([
      entry({ id: 'busy', op: 'customer.create', entity: { table: 'customers', id: 'c1' }, state: 'inflight' }),
      entry({ id: 'sent', op: 'customer.create', entity: { table: 'customers', id: 'c1' }, state: 'done' }),
    ]);
    expect(await retryEntry(db, 'nope', clock.now())).toEqual({ ok: false, reason: 'not-found' });
    expect(await retryEntry(db, 'busy', clock.now())).toEqual({ ok: false, reason: 'state', state: 'inflight' });
    expect(await discardEntry(db, 'sent')).toEqual({ ok: false, reason: 'state', state: 'done' });
    expect(await discardEntry(db, 'nope')).toEqual({ ok: false, reason: 'not-found' });
    expect(await db.outbox.get('busy')).toMatchObject({ state: 'inflight' });
  });

  it('discards a failed follow-up: done with the reason, the synced customer shows synced again', async () => {
    const r = await setup();
    const c = await createCustomer(r.db, { fields: { name: '张三', phones: ['13800138000'] } }, r.clock.now());
    const w = r.worker();
    await drive(r, w);
    await logFollowUp(r.db, c.id, { method: '微信', content: '问了利率' }, r.clock.now());
    r.crm.failNext(1, 'validation', 'HTTP 422: 跟进方式 invalid');
    await drive(r, w);
    const failed = ((await r.db.outbox.toArray()) as SyncEntry[]).find((e) => e.state === 'failed')!;
    expect(failed).toMatchObject({ op: 'followUp.create' });
    expect(await r.db.links.get([c.id, CONN])).toMatchObject({ syncState: 'failed', lastError: 'validation: HTTP 422: 跟进方式 invalid' });

    expect(await discardEntry(r.db, failed.id)).toEqual({ ok: true, connectionId: CONN });
    expect(await r.db.outbox.get(failed.id)).toMatchObject({ state: 'done', lastError: DISCARDED });
    const link = await r.db.links.get([c.id, CONN]);
    expect(link).toMatchObject({ syncState: 'synced' });
    expect(link?.lastError).toBeUndefined();
    expect((await connectionEntries(r.db, CONN, r.clock.now())).total).toEqual({ queued: 0, inflight: 0, failed: 0 });
    // Nothing is sent for it afterwards.
    await drive(r, w);
    expect(r.crm.followUps).toHaveLength(0);
  });

  it("discarding a failed customer create gives up that customer's waiting records there and removes the empty link", async () => {
    const r = await setup();
    const c = await createCustomer(r.db, { fields: { name: '韩梅梅', phones: ['13600001111'] } }, r.clock.now());
    await logFollowUp(r.db, c.id, { method: '电话', content: '约了周五' }, r.clock.now());
    r.crm.failNext(1, 'validation', 'HTTP 400: REQUIRED_FIELD_MISSING Company');
    const w = r.worker();
    await drive(r, w);
    const rows = (await r.db.outbox.toArray()) as SyncEntry[];
    const create = rows.find((e) => e.op === 'customer.create')!;
    expect(create.state).toBe('failed');
    expect(rows.find((e) => e.op === 'followUp.create')?.state).toBe('pending');

    expect(await discardEntry(r.db, create.id)).toEqual({ ok: true, connectionId: CONN });
    const after = (await r.db.outbox.toArray()) as SyncEntry[];
    expect(after.map((e) => [e.op, e.state, e.lastError]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['customer.create', 'done', DISCARDED],
      ['followUp.create', 'done', DISCARDED_WITH_CUSTOMER],
    ]);
    expect(await r.db.links.get([c.id, CONN])).toBeUndefined();
    await drive(r, w);
    expect(r.crm.customers).toHaveLength(0);
    expect(r.crm.followUps).toHaveLength(0);
  });

  it('discards a failed entry whose record was deleted (no link to refresh)', async () => {
    const { db } = await setup();
    await db.outbox.put(entry({ id: 'orphan', op: 'followUp.create', entity: { table: 'followUps', id: 'deleted' }, state: 'failed', lastError: 'x' }));
    expect((await discardEntry(db, 'orphan')).ok).toBe(true);
    expect(await db.outbox.get('orphan')).toMatchObject({ state: 'done', lastError: DISCARDED });
  });
});
