// The durable group-post queue (lib/notify/queue.ts): a post is queued before it is sent, sent
// once, retried on the robot's temporary refusals and on a connection that broke off (with the
// retry marked in the log), taken over from a worker stopped mid-send, given up after
// MAX_ATTEMPTS or on a refusal that will not change (a removed robot), and a doctored queue row
// is dropped rather than sent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiaisonDb } from '../../../lib/db/db';
import { noticeLog } from '../../../lib/notify/log';
import { CLAIM_TTL_MS, createGroupPoster, drainGroupPosts, enqueueGroupPosts, MAX_ATTEMPTS, QUEUE_KEY, queuedPosts } from '../../../lib/notify/queue';
import { resetRobotLimiters } from '../../../lib/notify/rate-limit';
import { saveRobot } from '../../../lib/notify/store';
import { ctx, fakeClock, setup } from './helpers';

let db: LiaisonDb;
let n = 0;
beforeEach(() => {
  resetRobotLimiters();
  db = new LiaisonDb(`notify-queue-${++n}`);
});
afterEach(async () => db.delete());

async function rig() {
  const clock = fakeClock();
  const { emu } = await setup({ clock });
  const url = emu.control.addRobot({ vendor: 'slack' });
  const token = url.replace('https://hooks.slack.com/services/', '');
  await saveRobot(db, { id: 'team', kind: 'slack', name: '#customer-support', url, enabled: true }, undefined);
  let faults: ('network' | 503)[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const f = faults.shift();
    if (f === 'network') throw new TypeError('Failed to fetch');
    if (f === 503) return new Response('upstream unavailable', { status: 503 });
    return emu.fetch(input, init);
  };
  const deps = { fetch, now: clock.now, sleep: clock.sleep };
  const post = { robotId: 'team', event: 'complaint' as const, context: ctx as Record<string, unknown>, lang: 'zh_CN' as const, source: 'strategy' };
  return { emu, clock, deps, post, fault: (...f: ('network' | 503)[]) => (faults = f), sent: () => emu.state.messages.length, token, close: () => emu.close() };
}

describe('group-post queue', () => {
  it('queues, sends once, and leaves nothing behind', async () => {
    const r = await rig();
    await enqueueGroupPosts(db, [r.post], r.clock.now());
    expect(await queuedPosts(db)).toHaveLength(1);
    const res = await drainGroupPosts(db, r.deps);
    expect(res).toMatchObject({ sent: 1, failed: 0, waiting: 0 });
    expect(r.sent()).toBe(1);
    expect(await queuedPosts(db)).toEqual([]);
    expect((await noticeLog(db)).map((e) => [e.robotId, e.source, e.event, e.ok])).toEqual([['team', 'strategy', 'complaint', true]]);
    await r.close();
  });

  it('a 503 and a broken connection are retried with backoff; the retry after an unknown outcome is marked', async () => {
    const r = await rig();
    r.fault(503, 'network');
    await enqueueGroupPosts(db, [r.post], r.clock.now());
    let res = await drainGroupPosts(db, r.deps);
    expect(res).toMatchObject({ sent: 0, waiting: 1 });
    expect(res.nextAt).toBe(r.clock.now() + 5_000);
    r.clock.advance(5_000);
    res = await drainGroupPosts(db, r.deps); // the connection breaks: unknown outcome, retried
    expect(res.nextAt).toBe(r.clock.now() + 30_000);
    expect((await queuedPosts(db))[0]).toMatchObject({ attempts: 2, unknown: true });
    r.clock.advance(30_000);
    res = await drainGroupPosts(db, r.deps);
    expect(res).toMatchObject({ sent: 1, waiting: 0 });
    expect(r.sent()).toBe(1);
    expect((await noticeLog(db)).at(-1)).toMatchObject({ ok: true, source: 'strategy (retried)' });
    await r.close();
  });

  it('a post claimed by a worker that stopped mid-send is sent after the claim expires, marked as a retry', async () => {
    const r = await rig();
    await enqueueGroupPosts(db, [r.post], r.clock.now());
    // The stopped worker's claim, as it left it.
    const rows = (await db.kv.get(QUEUE_KEY))!.value as Record<string, unknown>[];
    await db.kv.put({ key: QUEUE_KEY, value: rows.map((p) => ({ ...p, claimedAt: r.clock.now() })) });
    expect(await drainGroupPosts(db, r.deps)).toMatchObject({ sent: 0, waiting: 1, nextAt: r.clock.now() + CLAIM_TTL_MS });
    r.clock.advance(CLAIM_TTL_MS);
    expect(await drainGroupPosts(db, r.deps)).toMatchObject({ sent: 1, waiting: 0 });
    expect((await noticeLog(db)).at(-1)).toMatchObject({ ok: true, source: 'strategy (retried)' });
    await r.close();
  });

  it('gives up after MAX_ATTEMPTS temporary refusals, and at once on a removed robot; both logged with the reason', async () => {
    const r = await rig();
    r.fault(...Array.from({ length: MAX_ATTEMPTS }, () => 503 as const));
    await enqueueGroupPosts(db, [r.post], r.clock.now());
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const res = await drainGroupPosts(db, r.deps);
      r.clock.advance(Math.max(0, (res.nextAt ?? r.clock.now()) - r.clock.now()));
    }
    expect(await queuedPosts(db)).toEqual([]);
    expect(r.sent()).toBe(0);
    expect((await noticeLog(db)).at(-1)).toMatchObject({ ok: false, kind: 'retryable' });

    r.emu.control.removeRobot(r.token);
    await enqueueGroupPosts(db, [r.post], r.clock.now());
    expect(await drainGroupPosts(db, r.deps)).toMatchObject({ sent: 0, failed: 1, waiting: 0 });
    const last = (await noticeLog(db)).at(-1)!;
    expect(last.ok).toBe(false);
    expect(last.retryable).toBe(false);
    await r.close();
  });

  it('a doctored row is dropped, not sent; the poster drains after queueing and re-arms its alarm for retries', async () => {
    const r = await rig();
    await db.kv.put({ key: QUEUE_KEY, value: [{ id: 'x', robotId: 'team', event: 'rm -rf', context: {}, lang: 'zh_CN', source: 's', attempts: 0, nextAt: 0, createdAt: 0 }] });
    expect(await queuedPosts(db)).toEqual([]);
    const alarms: number[] = [];
    const poster = createGroupPoster({ db, now: r.clock.now, fetch: r.deps.fetch, schedule: async (at) => void alarms.push(at) });
    r.fault(503);
    await poster.post([r.post]);
    await expect.poll(() => alarms.length).toBe(1);
    expect(alarms[0]).toBe(r.clock.now() + 5_000);
    r.clock.advance(5_000);
    await poster.drain();
    expect(r.sent()).toBe(1);
    await r.close();
  });
});
