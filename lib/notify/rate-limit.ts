// Client-side pacing per robot: a sliding-window log over each documented rule ("20 per
// minute", "5 per second"). Not lib/crm/rate-limiter's token bucket: a bucket of 20 refilled at
// 20/min lets 40 through in one 60-second window (a full bucket, then the refill), and DingTalk
// answers the 21st with 130101 and a ten-minute ban. A log of send times cannot overshoot.
//
// One send at a time per robot, and a send is logged when its reply arrives: the vendor counts
// the moment the request reached it, which lies between our start and the reply, so the later
// bound is the safe one (a request slow in flight cannot bunch up with the next ones). It also
// keeps the group's messages in the order they were sent.
//
// A vendor's own "too fast" reply extends a cooldown no send may start before (DingTalk's
// ten-minute ban, Slack's Retry-After). Time is injected so tests run on a fake clock, and the
// log can be exported/restored so a restarted service worker keeps counting.
import { abortableSleep } from '../crm/rate-limiter';

export interface RateRule {
  /** At most `max` sends in any window of `windowMs`. */
  max: number;
  windowMs: number;
}

export interface RobotLimiterOptions {
  rules: readonly RateRule[];
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Added to every wait: our send time and the vendor's arrival time are not the same instant. */
  marginMs?: number;
  /** Send times (epoch ms) from before a restart. */
  history?: readonly number[];
  cooldownUntil?: number;
}

export interface RobotLimiter {
  /**
   * Waits for this robot's turn and a slot under every rule. Call the returned `sent()` when the
   * reply (or the failure) arrives: the send is logged then and the next caller may go.
   */
  acquire(signal?: AbortSignal): Promise<() => void>;
  coolDown(until: number): void;
  /** How long the next send would wait now (0 when it could go at once). */
  waitMs(): number;
  snapshot(): { history: number[]; cooldownUntil: number };
}

export function createRobotLimiter(opts: RobotLimiterOptions): RobotLimiter {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? abortableSleep;
  const margin = opts.marginMs ?? 50;
  const longest = Math.max(0, ...opts.rules.map((r) => r.windowMs));
  let sent: number[] = [...(opts.history ?? [])].sort((a, b) => a - b);
  let cooldown = opts.cooldownUntil ?? 0;
  let chain: Promise<void> = Promise.resolve();

  function wait(): number {
    const t = now();
    sent = sent.filter((s) => s > t - longest - margin);
    let until = cooldown;
    for (const r of opts.rules) {
      const inWindow = sent.filter((s) => s > t - r.windowMs - margin);
      if (inWindow.length >= r.max) {
        // The send that must leave the window before another may go.
        const oldest = inWindow[inWindow.length - r.max]!;
        until = Math.max(until, oldest + r.windowMs + margin + 1);
      }
    }
    return Math.max(0, until - t);
  }

  async function take(signal?: AbortSignal) {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const w = wait();
      if (w <= 0) return;
      await sleep(w, signal);
    }
  }

  return {
    async acquire(signal) {
      let finish!: () => void;
      const done = new Promise<void>((resolve) => (finish = resolve));
      const turn = chain.then(() => take(signal));
      // The next caller waits for this send's reply; a failed or aborted wait must not block it.
      chain = turn.then(
        () => done,
        () => undefined,
      );
      await turn;
      let logged = false;
      return () => {
        if (logged) return;
        logged = true;
        sent.push(now());
        finish();
      };
    },
    coolDown(until) {
      cooldown = Math.max(cooldown, until);
    },
    waitMs: wait,
    snapshot: () => ({ history: [...sent], cooldownUntil: cooldown }),
  };
}

/** One limiter per robot id in the worker: every notify() to that robot shares it. */
const limiters = new Map<string, RobotLimiter>();
export function robotLimiterFor(robotId: string, opts: RobotLimiterOptions): RobotLimiter {
  let l = limiters.get(robotId);
  if (!l) {
    l = createRobotLimiter(opts);
    limiters.set(robotId, l);
  }
  return l;
}
/** Tests only. */
export function resetRobotLimiters(): void {
  limiters.clear();
}
