// Shared by the reader benches (bundled into their pages): a reader whose MutationObserver
// callbacks are timed, and the per-message loop that times one callback + one read per message.

/**
 * Runs `start` with a timing MutationObserver in place: the runtime takes the constructor from the
 * page's window when it starts, so a timing subclass installed first sees every call it makes.
 */
export function withTimedObserver<R>(start: () => R): { value: R; observerMs(): number; reset(): void } {
  const Original = window.MutationObserver;
  let ms = 0;
  class Timed extends Original {
    constructor(cb: MutationCallback) {
      super((records, obs) => {
        const t = performance.now();
        try {
          cb(records, obs);
        } finally {
          ms += performance.now() - t;
        }
      });
    }
  }
  window.MutationObserver = Timed;
  try {
    return { value: start(), observerMs: () => ms, reset: () => void (ms = 0) };
  } finally {
    window.MutationObserver = Original;
  }
}

export interface MessageTimes {
  /** the observer callback + the read it scheduled, per message */
  costs: number[];
  observerMs: number[];
  readMs: number[];
}

/**
 * Delivers `count` messages one at a time. The observer's callback runs before this task's timer;
 * it schedules the debounced read, which readNow performs at once (cancelling the timer): each
 * message costs exactly one callback + one read, as in production. `check` runs after each read.
 */
export async function timeMessages(
  reader: { readNow(): void },
  timer: { observerMs(): number; reset(): void },
  count: number,
  deliver: (i: number) => void,
  check: (i: number) => void,
): Promise<MessageTimes> {
  const out: MessageTimes = { costs: [], observerMs: [], readMs: [] };
  for (let i = 0; i < count; i++) {
    deliver(i);
    timer.reset();
    await new Promise((ok) => setTimeout(ok, 0));
    const t0 = performance.now();
    reader.readNow();
    const read = performance.now() - t0;
    out.observerMs.push(timer.observerMs());
    out.readMs.push(read);
    out.costs.push(timer.observerMs() + read);
    check(i);
  }
  return out;
}
