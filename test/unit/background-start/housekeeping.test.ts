// The start's housekeeping waits for the event that woke the worker (entrypoints/background/housekeeping.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deferHousekeeping } from '../../../entrypoints/background/housekeeping';

const O = { quietMs: 200, maxMs: 3000 };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('deferHousekeeping', () => {
  it('runs once, a macrotask after the first event settles, not before', async () => {
    const run = vi.fn();
    const h = deferHousekeeping(run, O);
    const event = deferred();
    const answered = h.track(event.promise);
    await vi.advanceTimersByTimeAsync(1000);
    expect(run).not.toHaveBeenCalled();
    event.resolve();
    await answered;
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(0);
    expect(run).toHaveBeenCalledTimes(1);
    h.track(Promise.resolve());
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('waits for every event in flight, not the first to settle (a page that opens sends several at once)', async () => {
    const run = vi.fn();
    const h = deferHousekeeping(run, O);
    const first = deferred();
    const second = deferred();
    h.track(first.promise);
    h.track(second.promise);
    first.resolve();
    await vi.advanceTimersByTimeAsync(100);
    expect(run).not.toHaveBeenCalled();
    // A third arrives while the second is still running: it is waited for too.
    const third = deferred();
    h.track(third.promise);
    second.resolve();
    await vi.advanceTimersByTimeAsync(100);
    expect(run).not.toHaveBeenCalled();
    third.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('lets an event that arrives in the macrotask before it runs go first', async () => {
    const run = vi.fn();
    const h = deferHousekeeping(run, O);
    const first = deferred();
    h.track(first.promise);
    first.resolve();
    await Promise.resolve();
    await Promise.resolve();
    const late = deferred();
    h.track(late.promise);
    await vi.advanceTimersByTimeAsync(100);
    expect(run).not.toHaveBeenCalled();
    late.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('waits the settle time after the last event, and an event within it is waited for too', async () => {
    const run = vi.fn();
    const h = deferHousekeeping(run, { ...O, settleMs: 150 });
    const first = deferred();
    h.track(first.promise);
    first.resolve();
    await vi.advanceTimersByTimeAsync(100);
    const next = deferred();
    h.track(next.promise);
    await vi.advanceTimersByTimeAsync(100);
    expect(run).not.toHaveBeenCalled();
    next.resolve();
    await vi.advanceTimersByTimeAsync(149);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('also after an event that failed, and the failure stays the caller’s', async () => {
    const run = vi.fn();
    const h = deferHousekeeping(run, O);
    const event = deferred();
    const tracked = h.track(event.promise);
    event.reject(new Error('boom'));
    await expect(tracked).rejects.toThrow('boom');
    await vi.advanceTimersByTimeAsync(0);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('runs after the quiet spell when no event came (a start for the browser’s own start)', async () => {
    const run = vi.fn();
    const h = deferHousekeeping(run, O);
    await vi.advanceTimersByTimeAsync(O.quietMs - 1);
    expect(h.started).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(O.maxMs);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('runs at the cap when the waking event is still running', async () => {
    const run = vi.fn();
    const h = deferHousekeeping(run, O);
    h.track(new Promise(() => undefined));
    await vi.advanceTimersByTimeAsync(O.maxMs - 1);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
