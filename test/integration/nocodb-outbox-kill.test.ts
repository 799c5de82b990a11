// 200 customers synced to a real NocoDB through Liaison's own outbox worker, while the worker is
// killed at random points (its signal aborted mid-flight, like an MV3 service worker being shut
// down, then a fresh worker instance started): 0 lost, 0 duplicated, counted in NocoDB itself.
// NocoDB has no upsert and no idempotency key, so this proves the 'lookup' path end to end:
// search before create, and reconcile by phone after the lost reply of a killed request.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCustomer } from '../../lib/customers/create';
import { LiaisonDb } from '../../lib/db/db';
import { createSyncWorker, type SyncWorker } from '../../lib/sync';
import type { SyncEntry } from '../../lib/sync/entry';
import { adapterFor, allRows, count, preparedBase } from './helpers';

const N = 200;
let ctx: Awaited<ReturnType<typeof preparedBase>>;
let db: LiaisonDb;

beforeAll(async () => {
  ctx = await preparedBase('outbox');
  db = new LiaisonDb(`int-${crypto.randomUUID()}`);
  await db.connections.put(ctx.connection);
});
afterAll(async () => {
  await db?.delete();
});

const mobile = (i: number) => `+86137${String(20_000_000 + i * 53).slice(-8)}`;

function worker(signal?: AbortSignal): SyncWorker {
  return createSyncWorker({
    db,
    // A fresh adapter per instance, as a restarted background would build.
    adapterFor: (c) => (c.id === ctx.connection.id ? adapterFor(c) : undefined),
    now: Date.now,
    schedule: async () => undefined,
    idempotencyOf: () => 'lookup',
    ...(signal ? { signal } : {}),
    options: {
      // A new instance means the old one is dead (MV3): its claims are reconciled at once.
      singleInstance: true,
      budgetMs: 120_000,
      callTimeoutMs: 15_000,
      claimTtlMs: 30_000,
      backoff: { baseMs: 20, capMs: 200, floorMs: 0 },
      breaker: { threshold: 10_000, windowMs: 60_000, probeIntervalMs: 1_000 },
    },
  });
}

it(`syncs ${N} customers through a worker killed 40 times: 0 lost, 0 duplicated`, async () => {
  const t0 = Date.now();
  for (let i = 0; i < N; i++) await createCustomer(db, { fields: { name: `客户${i}`, phones: [mobile(i)], source: '转介绍' } }, Date.now());
  expect(await db.outbox.count()).toBe(N);

  let kills = 0;
  const tally = { recovered: 0, reconciled: 0 };
  const note = (r: { recovered: number; reconciled: number } | undefined) => {
    tally.recovered += r?.recovered ?? 0;
    tally.reconciled += r?.reconciled ?? 0;
  };
  let rnd = 12345;
  const random = () => {
    rnd = (rnd * 1103515245 + 12345) % 2 ** 31;
    return rnd / 2 ** 31;
  };
  for (let k = 0; k < 40; k++) {
    const ac = new AbortController();
    const run = worker(ac.signal).runOnce();
    // Anywhere from before the first request to several creates in: mid-lookup, mid-POST, mid-record.
    await new Promise((r) => setTimeout(r, 5 + Math.floor(random() * 1200)));
    ac.abort(new Error('service worker killed'));
    kills++;
    note(await run.catch(() => undefined));
  }
  const doneBefore = (await db.outbox.toArray()).filter((e) => e.state === 'done').length;

  // A last, undisturbed instance finishes the queue (each runOnce until nothing is due).
  const final = worker();
  for (let i = 0; i < 50; i++) {
    const r = await final.runOnce();
    note(r);
    const open = (await db.outbox.toArray()).filter((e) => e.state !== 'done' && e.state !== 'failed').length;
    if (open === 0 && r.stoppedBy === 'idle') break;
    if (r.nextWakeAt !== undefined) await new Promise((res) => setTimeout(res, Math.max(0, Math.min(2000, r.nextWakeAt! - Date.now()))));
  }
  const entries = (await db.outbox.toArray()) as SyncEntry[];
  console.log(`[outbox] ${N} customers, ${kills} kills (${doneBefore} done before the last instance; ${tally.recovered} dead claims recovered, ${tally.reconciled} creates reconciled by lookup) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  expect(entries.filter((e) => e.state === 'failed').map((e) => e.lastError)).toEqual([]);
  expect(entries.every((e) => e.state === 'done')).toBe(true);

  // Counted in NocoDB itself: exactly N rows, one per phone.
  expect(await count(ctx.tables.customers)).toBe(N);
  const rows = await allRows(ctx.tables.customers, ['Id', '电话', '客户编号']);
  const byPhone = new Map(rows.map((r) => [String(r['电话']), String(r.Id)]));
  expect(byPhone.size).toBe(N);

  // And every local customer is linked to ITS row.
  const customers = await db.customers.toArray();
  for (const c of customers) {
    const link = await db.links.get([c.id, ctx.connection.id]);
    expect(link?.syncState, c.name).toBe('synced');
    expect(link?.remoteId).toBe(byPhone.get(c.phones[0]!));
  }
  expect(kills).toBeGreaterThanOrEqual(20);
  // The kills did land mid-flight: their claims were taken over and checked by lookup first.
  expect(tally.recovered).toBeGreaterThanOrEqual(20);
});
