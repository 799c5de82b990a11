// Every worker start has housekeeping to do (the local connection, reminders missed while the
// worker slept, the outbox's recovery of a killed worker's claims, alarms re-armed). It used to
// start in main(), ahead of the event that woke the worker: its database reads and the work they
// set off ran between the wake and the answer to the message or alarm that caused it. Here it
// waits until that event's work has settled (or a short quiet spell passes with no event, or a cap
// for a long event), then runs once. It still runs on every start: only its place in line moves.

export interface HousekeepingTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface HousekeepingOptions {
  /** No event has started this long after the worker's start (it woke for something we do not track): run. */
  quietMs: number;
  /** The waking event is still running this long after the start (a CRM call, an import): run anyway. */
  maxMs: number;
  /**
   * After the last event in flight has settled, wait this long for another (0: a macrotask). A page
   * asks again right after its first answers; the housekeeping loads the services chunk, which
   * would hold that second answer up.
   */
  settleMs?: number;
  timers?: HousekeepingTimers;
}

export interface Housekeeping {
  /** An event's work: the housekeeping waits until every event in flight has settled (its outcome is the caller's). */
  track<T>(work: Promise<T>): Promise<T>;
  /** Whether the housekeeping has started (tests, diagnosis). */
  readonly started: boolean;
}

const realTimers: HousekeepingTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
};

/** Call once, synchronously, in main(): the timers count from the worker's start. */
export function deferHousekeeping(run: () => void, o: HousekeepingOptions): Housekeeping {
  const timers = o.timers ?? realTimers;
  let started = false;
  let tracked = 0;
  const handles: unknown[] = [];
  const start = () => {
    if (started) return;
    started = true;
    for (const h of handles) timers.clearTimeout(h);
    run();
  };
  handles.push(
    timers.setTimeout(() => {
      if (tracked === 0) start();
    }, o.quietMs),
    timers.setTimeout(start, o.maxMs),
  );
  return {
    track(work) {
      if (!started) {
        tracked++;
        // When the last event in flight has settled, a macrotask later: the answers go out before the
        // housekeeping's first step, and an event arriving meanwhile is waited for too.
        const after = () => {
          if (--tracked === 0) timers.setTimeout(() => void (tracked === 0 && start()), o.settleMs ?? 0);
        };
        work.then(after, after);
      }
      return work;
    },
    get started() {
      return started;
    },
  };
}
