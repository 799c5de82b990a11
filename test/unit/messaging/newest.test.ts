// lib/messaging/newest.ts: an answer to an earlier ask never replaces a later ask's answer already shown.
import { describe, expect, it } from 'vitest';
import { createNewest, SUPERSEDED } from '../../../lib/messaging/newest';

/** A promise settled from outside, in the order a test chooses. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((ok, fail) => ((resolve = ok), (reject = fail)));
  return { promise, resolve, reject };
}

describe('createNewest', () => {
  it('passes answers that come back in the order they were asked', async () => {
    const newest = createNewest();
    expect(await newest(Promise.resolve('first'))).toBe('first');
    expect(await newest(Promise.resolve('second'))).toBe('second');
  });

  it('drops the earlier ask answered after the later one', async () => {
    const newest = createNewest();
    const early = deferred<string>();
    const late = deferred<string>();
    const a = newest(early.promise);
    const b = newest(late.promise);
    late.resolve('after the change');
    expect(await b).toBe('after the change');
    early.resolve('before the change');
    expect(await a).toBe(SUPERSEDED);
  });

  it('keeps an earlier answer that arrives while the later ask is still out (it is the newest shown)', async () => {
    const newest = createNewest();
    const early = deferred<string>();
    const late = deferred<string>();
    const a = newest(early.promise);
    const b = newest(late.promise);
    early.resolve('one');
    expect(await a).toBe('one');
    late.resolve('two');
    expect(await b).toBe('two');
  });

  it("drops an earlier ask's error once a later answer is shown, and passes a current one's", async () => {
    const newest = createNewest();
    const early = deferred<string>();
    const a = newest(early.promise);
    expect(await newest(Promise.resolve('fresh'))).toBe('fresh');
    early.reject(new Error('worker restarted'));
    expect(await a).toBe(SUPERSEDED);
    await expect(newest(Promise.reject(new Error('offline')))).rejects.toThrow('offline');
  });

  it('gives each page its own gate', async () => {
    const one = createNewest();
    const two = createNewest();
    const early = deferred<string>();
    const a = one(early.promise);
    expect(await two(Promise.resolve('other page'))).toBe('other page');
    early.resolve('mine');
    expect(await a).toBe('mine');
  });
});
