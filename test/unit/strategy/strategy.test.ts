// Strategies end to end with the real outbox worker and two (or three) fake CRMs.
import { afterEach, describe, expect, it } from 'vitest';
import { LiaisonDb } from '../../../lib/db/db';
import { createCustomer } from '../../../lib/customers/create';
import { logFollowUp } from '../../../lib/customers/follow-up';
import { createSyncWorker, type SyncWorker } from '../../../lib/sync';
import type { Connection } from '../../../lib/model';
import { decideTargets, loadFailover, runStrategyTasks, saveStrategy, getStrategy, type Strategy } from '../../../lib/strategy';
import { fakeClock, FakeCrm, type Clock } from '../sync/fake-crm';

const conn = (id: string, over: Partial<Connection> = {}): Connection => ({ id, kind: 'fake', name: id, enabled: true, settings: {}, createdAt: 0, ...over });

interface Rig {
  db: LiaisonDb;
  clock: Clock;
  crms: Record<string, FakeCrm>;
  worker: SyncWorker;
}
let current: Rig | undefined;
afterEach(async () => {
  await current?.db.delete();
  current = undefined;
});

async function setup(ids: string[], strategy?: unknown): Promise<Rig> {
  const db = new LiaisonDb('s-' + crypto.randomUUID());
  const clock = fakeClock();
  const crms: Record<string, FakeCrm> = {};
  for (const id of ids) {
    crms[id] = new FakeCrm('key', clock);
    await db.connections.put(conn(id));
  }
  if (strategy) await saveStrategy(db, strategy);
  const worker = createSyncWorker({
    db,
    adapterFor: (c) => crms[c.id]?.adapter(),
    now: clock.now,
    random: () => 0.5,
    idempotencyOf: () => 'key',
    schedule: async () => undefined,
    // Small budget so "past the retry budget" is reached quickly in fake time.
    options: { maxAttempts: 3, backoff: { baseMs: 1000, capMs: 5000, floorMs: 0 } },
  });
  current = { db, clock, crms, worker };
  return current;
}

/** Alarms, as the background does them: run the worker, then the strategy task, until quiet. */
async function drive(r: Rig, untilMs = 3600_000, probe = true) {
  const end = r.clock.now() + untilMs;
  for (let i = 0; i < 1000; i++) {
    const report = await r.worker.runOnce();
    const t = await runStrategyTasks({
      db: r.db,
      now: r.clock.now(),
      ...(probe ? { probe: async (id: string) => !r.crms[id]!.down } : {}),
    });
    if (t.tables.length) continue; // new rows: run again now
    const next = report.nextWakeAt;
    if (next === undefined || next > end) return;
    r.clock.set(Math.max(next, r.clock.now()));
  }
  throw new Error('no progress');
}

const add = (r: Rig, name: string, category?: string) => createCustomer(r.db, { fields: { name, phones: ['13800138000'] }, ...(category ? { category } : {}) }, r.clock.now());
const names = (crm: FakeCrm) => crm.customers.map((c) => c.name).sort();

describe('decideTargets', () => {
  const A = conn('a');
  const B = conn('b');
  const C = conn('c');
  const all = [A, B, C];
  it.each([
    ['parallel, no list: every enabled connection', { mode: 'parallel' }, {}, ['a', 'b', 'c']],
    ['parallel with a list', { mode: 'parallel', connections: ['c', 'a', 'x'] }, {}, ['c', 'a']],
    ['primary-backup: the primary', { mode: 'primary-backup', primary: 'a', backup: 'b' }, {}, ['a']],
    ['primary-backup, failover active: the backup', { mode: 'primary-backup', primary: 'a', backup: 'b' }, { failoverActive: true }, ['b']],
    ['primary-backup, primary disabled: the backup', { mode: 'primary-backup', primary: 'x', backup: 'b' }, {}, ['b']],
    ['primary-backup, failover but backup disabled: still the primary', { mode: 'primary-backup', primary: 'a', backup: 'x' }, { failoverActive: true }, ['a']],
    ['routing by category', { mode: 'routing', routes: { 销售线索: ['a', 'b'], 技术支持: ['c'] }, default: ['a'] }, { category: '技术支持' }, ['c']],
    ['routing, no category: default', { mode: 'routing', routes: { 技术支持: ['c'] }, default: ['a'] }, {}, ['a']],
    ['routing, unrouted category: default', { mode: 'routing', routes: { 技术支持: ['c'] }, default: ['b'] }, { category: '产品反馈' }, ['b']],
    ['routing, empty route: default', { mode: 'routing', routes: { 技术支持: [] }, default: ['b'] }, { category: '技术支持' }, ['b']],
  ])('%s', async (_n, s, input, want) => {
    const db = new LiaisonDb('d-' + crypto.randomUUID());
    const strategy: Strategy = await saveStrategy(db, s);
    await db.delete();
    expect(decideTargets(strategy, { connections: all, ...input }).map((c) => c.id)).toEqual(want);
  });

  it('validates the stored strategy', async () => {
    const db = new LiaisonDb('d-' + crypto.randomUUID());
    await expect(saveStrategy(db, { mode: 'primary-backup', primary: 'a', backup: 'a' })).rejects.toThrow(/primary and backup must differ/);
    await expect(saveStrategy(db, { mode: 'routing', routes: { 闲聊: ['a'] } })).rejects.toThrow();
    await expect(saveStrategy(db, { mode: 'sideways' })).rejects.toThrow();
    // Absent or corrupt: parallel, the behaviour before strategies existed.
    expect(await getStrategy(db)).toEqual({ mode: 'parallel' });
    await db.kv.put({ key: 'strategy', value: { mode: 'nope' } });
    expect(await getStrategy(db)).toEqual({ mode: 'parallel' });
    expect(await saveStrategy(db, { mode: 'primary-backup', primary: 'a', backup: 'b' })).toEqual({ mode: 'primary-backup', primary: 'a', backup: 'b', failoverAfterMinutes: 10, syncBack: true });
    await db.delete();
  });
});

describe('strategies with the sync worker', () => {
  it('parallel: every record goes to both CRMs, each tracked on its own', async () => {
    const r = await setup(['a', 'b'], { mode: 'parallel' });
    r.crms.b!.down = true;
    const c = await add(r, '张三');
    await logFollowUp(r.db, c.id, { method: '微信', content: '问利率' }, r.clock.now());
    await drive(r, 60_000, false);
    expect(names(r.crms.a!)).toEqual(['张三']);
    expect(r.crms.a!.followUps).toHaveLength(1);
    expect(r.crms.b!.customers).toHaveLength(0);
    expect((await r.db.links.get([c.id, 'a']))?.syncState).toBe('synced');
    expect((await r.db.links.get([c.id, 'b']))?.syncState).not.toBe('synced');
    r.crms.b!.down = false;
    await r.worker.retryNow({ connectionId: 'b' });
    await drive(r, 3600_000, false);
    expect(names(r.crms.b!)).toEqual(['张三']);
    expect(r.crms.b!.followUps).toHaveLength(1);
    expect(r.crms.a!.customers).toHaveLength(1); // A was not sent anything again
  });

  it('primary-backup: only the primary gets records while it is up', async () => {
    const r = await setup(['a', 'b'], { mode: 'primary-backup', primary: 'a', backup: 'b' });
    await add(r, '张三');
    await drive(r);
    expect(names(r.crms.a!)).toEqual(['张三']);
    expect(r.crms.b!.customers).toHaveLength(0);
    expect(await r.db.outbox.where('connectionId').equals('b').count()).toBe(0);
  });

  it('primary-backup: primary down past its budget → the backup takes it; primary back → synced back, nothing duplicated', async () => {
    const r = await setup(['a', 'b'], { mode: 'primary-backup', primary: 'a', backup: 'b' });
    r.crms.a!.down = true;
    const c1 = await add(r, '张三');
    await logFollowUp(r.db, c1.id, { method: '电话', content: '问利率' }, r.clock.now());
    await drive(r, 10 * 60_000);

    // The create failed past the retry budget on A: B took the customer and its follow-up.
    expect(r.crms.a!.customers).toHaveLength(0);
    expect(names(r.crms.b!)).toEqual(['张三']);
    expect(r.crms.b!.followUps).toHaveLength(1);
    expect((await loadFailover(r.db)).since).toBeDefined();
    expect((await r.db.links.get([c1.id, 'b']))?.syncState).toBe('synced');

    // While A is down a new customer goes straight to B (no retry budget spent on A).
    const c2 = await add(r, '李四');
    expect(await r.db.outbox.where('connectionId').equals('a').filter((e) => e.entity.id === c2.id).count()).toBe(0);
    await drive(r, 10 * 60_000);
    expect(names(r.crms.b!)).toEqual(['张三', '李四']);
    const aCalls = r.crms.a!.requests.length;

    // A comes back: the probe notices, both customers and the follow-up are synced back to A.
    r.crms.a!.down = false;
    r.clock.advance(2 * 60_000);
    await drive(r, 3600_000);
    expect(r.crms.a!.requests.length).toBeGreaterThan(aCalls);
    expect(names(r.crms.a!)).toEqual(['张三', '李四']);
    expect(r.crms.a!.followUps).toHaveLength(1);
    expect((await loadFailover(r.db)).since).toBeUndefined();
    expect((await r.db.links.get([c1.id, 'a']))?.syncState).toBe('synced');
    expect((await r.db.links.get([c2.id, 'a']))?.syncState).toBe('synced');

    // Nothing duplicated on either side, and more runs add nothing.
    await drive(r, 3600_000);
    expect(r.crms.a!.customers).toHaveLength(2);
    expect(r.crms.b!.customers).toHaveLength(2);
    expect(r.crms.b!.followUps).toHaveLength(1);
    expect(await r.db.outbox.where('state').anyOf('pending', 'failed').count()).toBe(0);

    // After recovery new customers go to the primary again.
    await add(r, '王五');
    await drive(r);
    expect(names(r.crms.a!)).toEqual(['张三', '李四', '王五']);
    expect(r.crms.b!.customers).toHaveLength(2);
  });

  it('primary-backup: a validation failure on the primary is not an outage (no failover)', async () => {
    const r = await setup(['a', 'b'], { mode: 'primary-backup', primary: 'a', backup: 'b' });
    r.crms.a!.failNext(1, 'validation', 'HTTP 422: bad phone');
    await add(r, '张三');
    await drive(r);
    expect(r.crms.b!.customers).toHaveLength(0);
    expect((await loadFailover(r.db)).since).toBeUndefined();
  });

  it('primary-backup without sync_back: the backup keeps what it took', async () => {
    const r = await setup(['a', 'b'], { mode: 'primary-backup', primary: 'a', backup: 'b', syncBack: false });
    r.crms.a!.down = true;
    const c = await add(r, '张三');
    await drive(r, 10 * 60_000);
    expect(names(r.crms.b!)).toEqual(['张三']);
    r.crms.a!.down = false;
    r.clock.advance(2 * 60_000);
    await drive(r);
    expect(r.crms.a!.customers).toHaveLength(0);
    expect((await loadFailover(r.db)).since).toBeUndefined();
    // Not left as 同步失败 on the primary, and no failover restarts from the settled entries.
    expect(await r.db.links.get([c.id, 'a'])).toBeUndefined();
    expect(await r.db.outbox.where('state').equals('failed').count()).toBe(0);
    await add(r, '李四');
    await drive(r);
    expect(names(r.crms.a!)).toEqual(['李四']);
  });

  it('routing: the category picks the CRMs, default for the rest; later follow-ups follow the customer', async () => {
    const r = await setup(['sales', 'support', 'misc'], { mode: 'routing', routes: { 销售线索: ['sales'], 技术支持: ['support'] }, default: ['misc'] });
    const lead = await add(r, '线索客户', '销售线索');
    await add(r, '报修客户', '技术支持');
    await add(r, '没分类');
    await logFollowUp(r.db, lead.id, { method: '微信', content: '报价' }, r.clock.now());
    await drive(r);
    expect(names(r.crms.sales!)).toEqual(['线索客户']);
    expect(r.crms.sales!.followUps).toHaveLength(1);
    expect(names(r.crms.support!)).toEqual(['报修客户']);
    expect(names(r.crms.misc!)).toEqual(['没分类']);
    expect(r.crms.support!.followUps).toHaveLength(0);
  });
});
