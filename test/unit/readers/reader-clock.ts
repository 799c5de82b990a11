// A faked clock for tests of the reader runtime. The runtime waits with the global setTimeout
// (the debounce, the switch read), setInterval (the navigation poll, the detach check) and reads
// Date.now() (the 1 s cap on a burst that never pauses). Those are faked and a test moves the
// time itself: real sleeps assumed a fast machine, and one test failed at load 13 when the
// process stalled past its sleep. happy-dom delivers MutationObserver records with a microtask
// (MutationObserverListener → window.queueMicrotask → the real queueMicrotask, bound when happy-dom
// loads), so microtasks stay real: the records arrive at the test's next await, as in a browser.
import { vi } from 'vitest';

/** Only what the runtime uses; queueMicrotask, setImmediate and nextTick stay real. */
const READER_TIMERS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as const;

/** In a beforeEach; vi.useRealTimers() in the afterEach, after the readers are aborted. */
export function fakeReaderClock(): void {
  vi.useFakeTimers({ toFake: [...READER_TIMERS] });
}

/**
 * Moves the faked clock `ms` forward: the microtasks already queued (mutation records) run first,
 * then each timer due, in order, each followed by the microtasks it queued.
 */
export async function elapse(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

/**
 * After a change to the page: `ms` on the faked clock (past the 20 ms debounce `watch` sets),
 * then on until no new snapshot came for 100 ms. A reader still reporting after 10 s of faked
 * time is a bug, not a slow machine: that throws.
 */
export async function settle(w: { snaps: readonly unknown[] }, ms = 60): Promise<void> {
  await elapse(ms);
  for (let n = -1, rounds = 0; n !== w.snaps.length; rounds++) {
    if (rounds > 100) throw new Error('the reader kept reporting for 10 s of faked time');
    n = w.snaps.length;
    await elapse(100);
  }
}
