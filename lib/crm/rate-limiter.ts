// Per-connection request pacing, shared by every operation on that connection: a token bucket
// for the vendor's documented rate, a cooldown that a 429's Retry-After (or Feishu's
// x-ogw-ratelimit-reset) imposes on ALL later requests, and an optional write lane that lets
// only N writes run at once (Bitable 1254291: no concurrent writes to one table; 智邦: serial).
//
// Time is injected so tests and the benchmark can run it on a fake clock.

export interface RateLimiterOptions {
  requestsPerSecond?: number;
  /** Bucket size; defaults to one second's worth of requests (at least 1). */
  burst?: number;
  concurrentWrites?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RateLimiter {
  /** Wait for a request slot (respecting any cooldown). Resolves with the release for writes. */
  acquire(kind: 'read' | 'write', signal?: AbortSignal): Promise<() => void>;
  /** No request may start before `until` (epoch ms). Only ever extends. */
  coolDown(until: number): void;
  cooldownUntil(): number;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createRateLimiter(opts: RateLimiterOptions = {}): RateLimiter {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? abortableSleep;
  const rate = opts.requestsPerSecond;
  const capacity = Math.max(1, opts.burst ?? Math.floor(rate ?? 1));
  let tokens = capacity;
  let refilledAt = now();
  let cooldown = 0;
  // Requests queue in arrival order so a burst cannot starve an earlier caller.
  let chain: Promise<void> = Promise.resolve();

  let writesRunning = 0;
  const writeWaiters: (() => void)[] = [];
  const maxWrites = opts.concurrentWrites ?? Infinity;

  function refill() {
    if (!rate) return;
    const t = now();
    tokens = Math.min(capacity, tokens + ((t - refilledAt) / 1000) * rate);
    refilledAt = t;
  }

  async function takeSlot(signal?: AbortSignal) {
    for (;;) {
      const wait = cooldown - now();
      if (wait > 0) {
        await sleep(wait, signal);
        continue;
      }
      if (!rate) return;
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - tokens) / rate) * 1000), signal);
    }
  }

  async function writeLane(signal?: AbortSignal): Promise<() => void> {
    if (writesRunning >= maxWrites) {
      await new Promise<void>((resolve, reject) => {
        const go = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = writeWaiters.indexOf(go);
          if (i >= 0) writeWaiters.splice(i, 1);
          reject(signal?.reason);
        };
        writeWaiters.push(go);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    writesRunning += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      writesRunning -= 1;
      writeWaiters.shift()?.();
    };
  }

  return {
    async acquire(kind, signal) {
      const release = kind === 'write' ? await writeLane(signal) : () => undefined;
      const turn = chain.then(() => takeSlot(signal));
      // A failed or aborted wait must not block the callers behind it.
      chain = turn.catch(() => undefined);
      try {
        await turn;
      } catch (err) {
        release();
        throw err;
      }
      return release;
    },
    coolDown(until) {
      cooldown = Math.max(cooldown, until);
    },
    cooldownUntil: () => cooldown,
  };
}

/** One limiter per key (connection id, or connection id + table), shared by all adapter instances in the worker. */
const limiters = new Map<string, RateLimiter>();
export function limiterFor(key: string, opts: RateLimiterOptions): RateLimiter {
  let l = limiters.get(key);
  if (!l) {
    l = createRateLimiter(opts);
    limiters.set(key, l);
  }
  return l;
}
/** Tests only. */
export function resetLimiters(): void {
  limiters.clear();
}
