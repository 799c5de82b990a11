// Retry delays for the outbox: capped exponential backoff with full jitter (AWS Architecture
// Blog, "Exponential Backoff And Jitter"), never earlier than a CRM's Retry-After / reset header.
// Pure: the random source is injected so tests can pin the jitter.

export interface BackoffOptions {
  /** The first retry's ceiling. */
  baseMs?: number;
  /** No ceiling grows beyond this (target: ≤ 10 min). */
  capMs?: number;
  /**
   * Full jitter can draw ~0; a floor keeps a failing entry from being re-claimed by the same
   * worker pass a few milliseconds later and burning its attempts during one outage.
   */
  floorMs?: number;
  /** The CRM's own wait (429 Retry-After, Feishu x-ogw-ratelimit-reset): the delay is never shorter. */
  retryAfterMs?: number;
  /** [0, 1) */
  random?: () => number;
}

export const BACKOFF_DEFAULTS = { baseMs: 5_000, capMs: 10 * 60_000, floorMs: 1_000 } as const;

/** The ceiling before jitter for the n-th failed attempt (1-based): base·2^(n−1), capped. */
export function backoffCeiling(attempt: number, opts: Pick<BackoffOptions, 'baseMs' | 'capMs'> = {}): number {
  const base = opts.baseMs ?? BACKOFF_DEFAULTS.baseMs;
  const cap = opts.capMs ?? BACKOFF_DEFAULTS.capMs;
  const n = Math.max(1, Math.floor(attempt));
  // 2^(n−1) overflows to Infinity for huge n; min() brings it back to the cap.
  return Math.min(cap, base * 2 ** (n - 1));
}

/** Milliseconds to wait after the `attempt`-th failure (1-based). */
export function nextDelay(attempt: number, opts: BackoffOptions = {}): number {
  const random = opts.random ?? Math.random;
  const ceiling = backoffCeiling(attempt, opts);
  const floor = Math.min(opts.floorMs ?? BACKOFF_DEFAULTS.floorMs, ceiling);
  const r = Math.min(Math.max(random(), 0), 1);
  const jittered = Math.max(floor, Math.floor(r * ceiling));
  const signalled = opts.retryAfterMs !== undefined && Number.isFinite(opts.retryAfterMs) ? Math.max(0, Math.ceil(opts.retryAfterMs)) : 0;
  return Math.max(jittered, signalled);
}
