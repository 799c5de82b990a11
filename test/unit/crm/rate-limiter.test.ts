import { describe, expect, it } from 'vitest';
import { createRateLimiter, limiterFor, resetLimiters } from '../../../lib/crm/rate-limiter';

/** A fake clock whose sleep advances time instantly and logs each wait. */
function fakeTime(start = 1_000_000) {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleeps,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      t += ms;
      await Promise.resolve();
    },
  };
}

describe('rate limiter', () => {
  it('lets a burst through, then paces requests at the documented rate', async () => {
    const time = fakeTime();
    const l = createRateLimiter({ requestsPerSecond: 5, burst: 2, now: time.now, sleep: time.sleep });
    const starts: number[] = [];
    for (let i = 0; i < 6; i++) {
      await l.acquire('read');
      starts.push(time.now());
    }
    const t0 = starts[0]!;
    expect(starts.map((s) => s - t0)).toEqual([0, 0, 200, 400, 600, 800]);
  });

  it('blocks every request until a cooldown (429 reset) ends, and only ever extends it', async () => {
    const time = fakeTime();
    const l = createRateLimiter({ now: time.now, sleep: time.sleep });
    const t0 = time.now();
    l.coolDown(t0 + 30_000);
    l.coolDown(t0 + 5_000); // a shorter one never shortens the wait
    expect(l.cooldownUntil()).toBe(t0 + 30_000);
    await l.acquire('write');
    expect(time.now()).toBeGreaterThanOrEqual(t0 + 30_000);
    await l.acquire('read');
    expect(time.now()).toBe(t0 + 30_000); // after the cooldown, no further wait without a rate
  });

  it('serializes writes in the write lane while reads pass', async () => {
    const time = fakeTime();
    const l = createRateLimiter({ concurrentWrites: 1, now: time.now, sleep: time.sleep });
    const release1 = await l.acquire('write');
    let second = false;
    const p = l.acquire('write').then((r) => {
      second = true;
      return r;
    });
    await l.acquire('read'); // not blocked by the lane
    await new Promise((r) => setTimeout(r, 5));
    expect(second).toBe(false);
    release1();
    release1(); // double release is harmless
    (await p)();
    expect(second).toBe(true);
  });

  it('an aborted wait rejects and does not block the callers behind it', async () => {
    let t = 0;
    const l = createRateLimiter({
      now: () => t,
      sleep: (ms, signal) =>
        new Promise((resolve, reject) => {
          if (signal?.aborted) return reject(signal.reason);
          signal?.addEventListener('abort', () => reject(signal.reason));
          setTimeout(() => {
            t += ms;
            resolve();
          }, 1);
        }),
    });
    l.coolDown(1000);
    const ac = new AbortController();
    const first = l.acquire('read', ac.signal);
    ac.abort(new Error('cancelled'));
    await expect(first).rejects.toThrow('cancelled');
    await l.acquire('read');
    expect(t).toBeGreaterThanOrEqual(1000);
  });

  it('shares one limiter per key', () => {
    resetLimiters();
    expect(limiterFor('conn-a', {})).toBe(limiterFor('conn-a', {}));
    expect(limiterFor('conn-a', {})).not.toBe(limiterFor('conn-b', {}));
    resetLimiters();
  });
});
