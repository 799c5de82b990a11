import { AUTH_PAUSE_MESSAGE } from '../../../lib/sync/gate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCustomer } from '../../../lib/customers/create';
import { logFollowUp } from '../../../lib/customers/follow-up';
import { updateCustomer } from '../../../lib/customers/update';
import { CrmError } from '../../../lib/crm/port';
import { syncHealth } from '../../../lib/sync';
import { loadBreaker } from '../../../lib/sync/breaker';
import type { SyncEntry } from '../../../lib/sync/entry';
import { CONN, drive, rig, type Rig } from './helpers';

let current: Rig | undefined;
afterEach(async () => {
  await current?.db.delete();
  current = undefined;
});
async function setup(opts: Parameters<typeof rig>[0] = {}) {
  current = await rig(opts);
  return current;
}
const add = (r: Rig, name: string, phone?: string) => createCustomer(r.db, { fields: { name, ...(phone ? { phones: [phone] } : {}) } }, r.clock.now());
const entries = async (r: Rig) => (await r.db.outbox.toArray()) as SyncEntry[];

describe('sync worker', () => {
  it('creates the customer and marks the link synced with the CRM code', async () => {
    const r = await setup();
    const c = await add(r, '张三', '13800138000');
    const report = await r.worker().runOnce();
    expect(report).toMatchObject({ claimed: 1, done: 1, failed: 0, nextWakeAt: undefined });
    expect(r.crm.customers).toHaveLength(1);
    expect(await r.db.links.get([c.id, CONN])).toMatchObject({ remoteId: r.crm.customers[0]!.remoteId, remoteCode: 'KH2025001', syncState: 'synced', lastSyncedAt: r.clock.now() });
    expect((await r.db.links.get([c.id, CONN]))?.lastError).toBeUndefined();
    expect((await entries(r))[0]).toMatchObject({ state: 'done' });
    expect((await entries(r))[0]).not.toHaveProperty('claimToken');
    expect(r.changed.flat()).toContain('links');
    // Not the code master: the local code stays.
    expect((await r.db.customers.get(c.id))?.code).toBe(c.code);
  });

  it('replaces the local code with the CRM code when the connection is the code master (智邦 方案A)', async () => {
    const r = await setup({ connection: { settings: { codeMaster: true } } });
    await r.db.connections.put({ id: 'local', kind: 'local', name: '本地', enabled: true, settings: {}, createdAt: 0 });
    const c = await add(r, '张三', '13800138000');
    // Seed 003 方案B: a temporary code until the code master answers.
    expect(c.code).toMatch(/^WX20260305[A-HJ-NP-Z2-9]{3}\d{3}$/);
    expect(c.codeTemporary).toBe(true);
    await r.worker().runOnce();
    const after = await r.db.customers.get(c.id);
    expect(after?.code).toBe('KH2025001');
    expect(after?.codeTemporary).toBeUndefined();
    expect(after?.searchKeys).toContain('kh2025001');
    expect(after?.searchKeys).not.toContain(c.code.toLowerCase());
    expect(await r.db.links.get([c.id, 'local'])).toMatchObject({ remoteCode: 'KH2025001' });
    expect(r.changed.flat()).toContain('customers');
  });

  it("holds a follow-up until its customer's create is done, then sends it to the new remote id", async () => {
    const r = await setup();
    const c = await add(r, '张三', '13800138000');
    await logFollowUp(r.db, c.id, { method: '微信', content: '问了利率' }, r.clock.now());
    r.crm.failNext(2); // the create fails twice
    const w = r.worker();
    await w.runOnce();
    expect(r.crm.requests.map((q) => q.op)).toEqual(['createCustomer']); // the follow-up did not go
    expect(await w.nextWakeAt()).toBeGreaterThan(r.clock.now()); // only the create's backoff is awaited
    await drive(r, w);
    expect(r.crm.requests.map((q) => `${q.op}:${q.result}`)).toEqual(['createCustomer:error', 'createCustomer:error', 'createCustomer:ok', 'addFollowUp:ok']);
    expect(r.crm.followUps).toMatchObject([{ customerRemoteId: r.crm.customers[0]!.remoteId }]);
    expect(await r.db.links.get([c.id, CONN])).toMatchObject({ syncState: 'synced' });
  });

  it('backs off with capped, jittered delays and fails after 8 attempts', async () => {
    const r = await setup();
    const c = await add(r, '张三', '13800138000');
    r.crm.down = true;
    const draws = [0.9, 0.1, 0.7, 0.3, 0.95, 0.05, 0.6, 0.4];
    let i = 0;
    const random = () => draws[i++ % draws.length]!;
    // Breaker out of the way: this test is about one entry's own schedule.
    await drive(r, r.worker({ random, options: { breaker: { threshold: 1000, windowMs: 60_000, probeIntervalMs: 60_000 } } }));
    const times = r.crm.requests.map((q) => q.at);
    expect(times).toHaveLength(8);
    const gaps = times.slice(1).map((t, k) => t - times[k]!);
    gaps.forEach((gap, k) => {
      const ceiling = Math.min(600_000, 5_000 * 2 ** k);
      expect(gap).toBe(Math.max(1_000, Math.floor(draws[k]! * ceiling)));
      expect(gap).toBeLessThanOrEqual(600_000);
    });
    expect(new Set(gaps).size).toBe(gaps.length); // jittered, not lock-step
    expect((await entries(r))[0]).toMatchObject({ state: 'failed', attempts: 8 });
    expect(await r.db.links.get([c.id, CONN])).toMatchObject({ syncState: 'failed', lastError: expect.stringContaining('gave up after 8 attempts') });
  });

  it('sends nothing to a connection before a 429 Retry-After has passed, then drains', async () => {
    const r = await setup();
    for (let k = 0; k < 5; k++) await add(r, `客户${k}`, `1380013800${k}`);
    r.crm.rateLimitNext(30_000);
    const t0 = r.clock.now();
    const w = r.worker();
    const first = await w.runOnce();
    expect(first.rateLimited).toBe(1);
    expect(first.nextWakeAt).toBeGreaterThanOrEqual(t0 + 30_000);
    expect(r.scheduled.at(-1)).toBeGreaterThanOrEqual(t0 + 30_000);
    // An early alarm (or a kick) must not send anything either.
    r.clock.advance(10_000);
    await w.runOnce();
    expect(r.crm.requests).toHaveLength(1);
    await drive(r, w);
    expect(r.crm.rateLimitViolations).toBe(0);
    expect(r.crm.requests.slice(1).every((q) => q.at >= t0 + 30_000)).toBe(true);
    expect(r.crm.customers).toHaveLength(5);
    // A 429 spends no attempt.
    expect((await entries(r)).every((e) => e.state === 'done' && e.attempts === 0)).toBe(true);
  });

  it('pauses the whole connection on an auth failure until retryNow', async () => {
    const r = await setup();
    const a = await add(r, 'A', '13800138001');
    const b = await add(r, 'B', '13800138002');
    r.crm.authRejected = true;
    const w = r.worker();
    const rep = await w.runOnce();
    expect(rep.paused).toBe(1);
    expect(r.crm.requests).toHaveLength(1); // B was not tried: the connection is paused
    for (const id of [a.id, b.id]) expect(await r.db.links.get([id, CONN])).toMatchObject({ syncState: 'failed', lastError: AUTH_PAUSE_MESSAGE });
    expect(await w.nextWakeAt()).toBeUndefined(); // no alarm can fix credentials
    r.clock.advance(3600_000);
    await w.runOnce();
    expect(r.crm.requests).toHaveLength(1);
    expect((await syncHealth(r.db, r.clock.now()))[0]).toMatchObject({ paused: 'auth', queued: 2 });

    r.crm.authRejected = false; // the user reconnected
    expect(await w.retryNow({ connectionId: CONN })).toBe(2);
    await drive(r, w);
    for (const id of [a.id, b.id]) expect(await r.db.links.get([id, CONN])).toMatchObject({ syncState: 'synced' });
  });

  it('fails a validation error for good, with the reason on the link, and retries it on request', async () => {
    const r = await setup();
    const c = await add(r, '张三', '13800138000');
    r.crm.failNext(1, 'validation', 'HTTP 422: 客户来源 is required');
    const w = r.worker();
    await drive(r, w);
    expect(r.crm.requests).toHaveLength(1);
    expect(await r.db.links.get([c.id, CONN])).toMatchObject({ syncState: 'failed', lastError: 'validation: HTTP 422: 客户来源 is required' });
    expect((await syncHealth(r.db, r.clock.now()))[0]).toMatchObject({ failed: 1, failures: [{ reason: 'validation: HTTP 422: 客户来源 is required', count: 1 }] });
    expect(await w.nextWakeAt()).toBeUndefined();

    expect(await w.retryNow({ customerId: c.id })).toBe(1);
    await drive(r, w);
    expect(await r.db.links.get([c.id, CONN])).toMatchObject({ syncState: 'synced' });
    expect(r.crm.customers).toHaveLength(1);
  });

  it('opens the breaker within a minute of an outage and probes at most once a minute', async () => {
    const r = await setup();
    for (let k = 0; k < 20; k++) await add(r, `客户${k}`, `139001390${String(k).padStart(2, '0')}`);
    r.crm.down = true;
    r.crm.latencyMs = 200;
    const w = r.worker({ random: Math.random });
    const outageStart = r.clock.now();
    await drive(r, w, 30 * 60_000);
    const b = await loadBreaker(r.db, CONN);
    expect(b.state).not.toBe('closed');
    expect(b.openedAt! - outageStart).toBeLessThanOrEqual(60_000);
    const afterOpen = r.crm.requests.filter((q) => q.at >= b.openedAt!).map((q) => q.at);
    expect(afterOpen.length).toBeGreaterThanOrEqual(25); // it kept probing through 30 minutes
    const gaps = afterOpen.slice(1).map((t, k) => t - afterOpen[k]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(60_000);
    expect((await entries(r)).filter((e) => e.state === 'failed')).toHaveLength(0); // 1/min probes don't burn every entry

    r.crm.down = false;
    await drive(r, w);
    expect(r.crm.customers).toHaveLength(20);
    expect((await loadBreaker(r.db, CONN)).state).toBe('closed');
  });

  it('retryNow makes failed entries start over and reports how many', async () => {
    const r = await setup();
    await add(r, 'A', '13800138001');
    await add(r, 'B', '13800138002');
    r.crm.down = true;
    const w = r.worker({ options: { maxAttempts: 1 } });
    await w.runOnce();
    await w.runOnce();
    expect((await entries(r)).map((e) => e.state)).toEqual(['failed', 'failed']);
    r.crm.down = false;
    expect(await w.retryNow({})).toBe(2);
    expect((await entries(r)).every((e) => e.attempts === 0)).toBe(true);
    await drive(r, w);
    expect(r.crm.customers).toHaveLength(2);
  });

  it('treats a timed-out write as unknown and reconciles by search on a CRM without keys', async () => {
    const r = await setup({ mode: 'lookup' });
    const c = await add(r, '张三', '13800138000');
    r.crm.faults.push({ kind: 'commit-then-hang', op: 'createCustomer' });
    const w = r.worker({ options: { callTimeoutMs: 30 } });
    const rep = await w.runOnce();
    expect(rep.retried).toBe(1);
    expect((await entries(r))[0]).toMatchObject({ state: 'pending', unknownOutcome: true, lastError: expect.stringContaining('unknown-outcome') });
    await drive(r, w);
    expect(r.crm.customers).toHaveLength(1);
    // Found by search; then the current row follows as an update (the CRM holds the killed call's copy).
    expect(r.crm.requests.map((q) => q.op)).toEqual(['findCustomers', 'createCustomer', 'findCustomers', 'updateCustomer']);
    expect(await r.db.links.get([c.id, CONN])).toMatchObject({ syncState: 'synced', remoteId: r.crm.customers[0]!.remoteId });
  });

  it("waits at least the adapter's retryAfterMs after an unknown outcome (Jira's search-index lag)", async () => {
    const r = await setup({ mode: 'lookup' });
    await add(r, '张三', '13800138000');
    r.crm.faults.push({ kind: 'commit-then-error', error: new CrmError('unknown-outcome', 'created, not yet searchable', { retryAfterMs: 30_000 }) });
    // The jitter's lowest draw: without the adapter's wait the backoff floor (well under 30 s) would apply.
    const w = r.worker({ random: () => 0 });
    expect((await w.runOnce()).retried).toBe(1);
    const [e] = await entries(r);
    expect(e).toMatchObject({ state: 'pending', unknownOutcome: true, attempts: 1 });
    expect(e!.nextAttemptAt! - r.clock.now()).toBe(30_000);
  });

  it('keeps its own backoff after an unknown outcome that names no wait', async () => {
    const r = await setup({ mode: 'lookup' });
    await add(r, '张三', '13800138000');
    r.crm.faults.push({ kind: 'commit-then-error', error: new CrmError('unknown-outcome', 'reply lost') });
    const w = r.worker({ random: () => 0 });
    await w.runOnce();
    const [e] = await entries(r);
    expect(e).toMatchObject({ state: 'pending', unknownOutcome: true });
    expect(e!.nextAttemptAt! - r.clock.now()).toBeLessThan(30_000);
  });

  it('re-sends with the same key after an unknown outcome on a CRM with keys', async () => {
    const r = await setup({ mode: 'key' });
    await add(r, '张三', '13800138000');
    r.crm.faults.push({ kind: 'commit-then-error' });
    await drive(r, r.worker());
    expect(r.crm.requests.map((q) => `${q.op}:${q.result}`)).toEqual(['createCustomer:error', 'createCustomer:ok', 'updateCustomer:ok']);
    expect(r.crm.customers).toHaveLength(1);
  });

  it('recovers the claim of a killed worker only after it expires, and reconciles it', async () => {
    const r = await setup({ mode: 'lookup' });
    const c = await add(r, '张三', '13800138000');
    r.crm.faults.push({ kind: 'commit-then-hang', op: 'createCustomer' });
    const life = new AbortController();
    const doomed = r.worker({ signal: life.signal }).runOnce();
    // Killed once the CRM holds the create (a fixed sleep raced the claim on a loaded machine).
    await vi.waitFor(() => expect(r.crm.requests.map((q) => `${q.op}:${q.result}`)).toContain('createCustomer:hang'), { timeout: 10_000, interval: 5 });
    life.abort(); // the service worker is killed while the CRM call hangs
    expect((await doomed).stoppedBy).toBe('stopped');
    expect((await entries(r))[0]).toMatchObject({ state: 'inflight' });

    const fresh = r.worker();
    r.clock.advance(30_000);
    expect((await fresh.runOnce()).claimed).toBe(0); // the claim may still be live
    r.clock.advance(31_000);
    const rep = await fresh.runOnce();
    expect(rep).toMatchObject({ recovered: 1, reconciled: 1, done: 2 }); // the create, then the follow-up update
    expect(r.crm.customers).toHaveLength(1);
    expect(await r.db.links.get([c.id, CONN])).toMatchObject({ syncState: 'synced' });
  });

  it('as the only instance (an MV3 service worker), recovers a dead instance\'s claim at once', async () => {
    const r = await setup({ mode: 'lookup' });
    await add(r, '张三', '13800138000');
    r.crm.faults.push({ kind: 'commit-then-hang', op: 'createCustomer' });
    const life = new AbortController();
    const doomed = r.worker({ signal: life.signal, options: { singleInstance: true } }).runOnce();
    await vi.waitFor(() => expect(r.crm.requests.map((q) => `${q.op}:${q.result}`)).toContain('createCustomer:hang'), { timeout: 10_000, interval: 5 });
    life.abort();
    await doomed;
    expect((await entries(r))[0]).toMatchObject({ state: 'inflight' });
    // A fresh instance, no time passed: the old claim cannot be live.
    const rep = await r.worker({ options: { singleInstance: true } }).runOnce();
    expect(rep).toMatchObject({ recovered: 1, reconciled: 1 });
    expect(r.crm.customers).toHaveLength(1);
    // Its own claims are never taken for dead: a second pass of the same instance recovers nothing.
    const same = r.worker({ options: { singleInstance: true } });
    expect((await same.runOnce()).recovered).toBe(0);
  });

  it('sends an edit made while an unknown-outcome create waited, after reconciling it', async () => {
    const r = await setup({ mode: 'key' });
    const c = await add(r, '张三', '13800138000');
    r.crm.faults.push({ kind: 'commit-then-error' });
    const w = r.worker();
    await w.runOnce();
    r.clock.advance(1);
    // The create is pending again, so update.ts queues nothing: the create "will send the current row"…
    await updateCustomer(r.db, c.id, { notes: '要 30 万' }, r.clock.now());
    expect(await r.db.outbox.count()).toBe(1);
    await drive(r, w);
    // …but the CRM replayed the first create; the worker follows with an update.
    expect(r.crm.customers).toHaveLength(1);
    expect(r.crm.customers[0]!.notes).toBe('要 30 万');
  });

  it('creates the customer again when the CRM lost it (not-found on update)', async () => {
    const r = await setup();
    const c = await add(r, '张三', '13800138000');
    const w = r.worker();
    await w.runOnce();
    r.crm.customers.length = 0; // deleted in the CRM
    await updateCustomer(r.db, c.id, { notes: 'x' }, r.clock.now() + 1);
    await drive(r, w);
    expect(r.crm.customers).toHaveLength(1);
    expect(r.crm.customers[0]).toMatchObject({ localId: c.id, notes: 'x' });
    expect(await r.db.links.get([c.id, CONN])).toMatchObject({ syncState: 'synced', remoteId: r.crm.customers[0]!.remoteId });
  });

  it('runs one loop at a time and one call per connection at a time', async () => {
    const r = await setup();
    for (let k = 0; k < 6; k++) await add(r, `客户${k}`, `1380013800${k}`);
    const w = r.worker();
    const [a, b] = [w.runOnce(), w.runOnce()];
    expect(a).toBe(b);
    await a;
    expect(r.crm.customers).toHaveLength(6);
    expect(r.crm.maxInFlight).toBe(1);
  });

  it('stops at the time budget and asks to be woken for the rest', async () => {
    const r = await setup();
    for (let k = 0; k < 5; k++) await add(r, `客户${k}`, `1380013800${k}`);
    r.crm.latencyMs = 10_000;
    const rep = await r.worker().runOnce();
    expect(rep.stoppedBy).toBe('budget');
    expect(rep.done).toBe(3); // 0 s, 10 s, 20 s; the 30 s mark is past the 25 s budget
    expect(r.scheduled.at(-1)).toBe(r.clock.now());
  });

  it('leaves entries of a connection without an adapter waiting (nothing lost)', async () => {
    const r = await setup();
    await add(r, '张三', '13800138000');
    const w = r.worker({ adapterFor: () => undefined });
    expect((await w.runOnce()).claimed).toBe(0);
    expect(await w.nextWakeAt()).toBeUndefined();
    expect((await entries(r))[0]).toMatchObject({ state: 'pending' });
  });

  it('does not classify a thrown CrmError from search as a reason to create', async () => {
    const r = await setup({ mode: 'lookup' });
    await add(r, '张三', '13800138000');
    r.crm.faults.push({ kind: 'error', error: new CrmError('retryable', 'HTTP 503') });
    await drive(r, r.worker());
    expect(r.crm.requests.map((q) => `${q.op}:${q.result}`)).toEqual(['findCustomers:error', 'findCustomers:ok', 'createCustomer:ok']);
  });
});
