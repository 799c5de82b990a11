// Pipedrive faults through the emulator, every request checked against Pipedrive's own files:
// a reply lost after the write committed (person, note, deal, task) is found, not duplicated,
// on retry; 5xx on a write is an unknown outcome and on a read retryable; a regenerated token is
// auth at once; a 429 carries Retry-After as the wait, and a burst stays under the 2-second
// window the emulator enforces.
import { describe, expect, it } from 'vitest';
import { customer, deal, failure, followUp, harness } from './helpers';

describe('Pipedrive reliability', () => {
  it('a lost reply after commit: the retry finds the person, note, deal and task the first attempt made', async () => {
    const h = await harness();
    const c = customer();
    h.emu.control.dropNext({ api: 'persons.create', commit: true });
    expect(await failure(h.adapter.createCustomer(c, { idempotencyKey: 'k' }))).toMatchObject({ kind: 'unknown-outcome' });
    const ref = await h.adapter.createCustomer(c, { idempotencyKey: 'k' });
    expect(h.emu.state.persons.size).toBe(1);
    const f = followUp();
    h.emu.control.dropNext({ api: 'notes.create', commit: true });
    expect(await failure(h.adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: 'n' }))).toMatchObject({ kind: 'unknown-outcome' });
    await h.adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: 'n' });
    const d = deal();
    h.emu.control.dropNext({ api: 'deals.create', commit: true });
    expect(await failure(h.adapter.createDeal(ref.remoteId, d, { idempotencyKey: 'd' }))).toMatchObject({ kind: 'unknown-outcome' });
    await h.adapter.createDeal(ref.remoteId, d, { idempotencyKey: 'd' });
    const task = { title: '回访', dueAt: Date.UTC(2026, 11, 9, 2, 0) };
    h.emu.control.dropNext({ api: 'activities.create', commit: true });
    expect(await failure(h.adapter.createTask(ref.remoteId, task, { idempotencyKey: 't' }))).toMatchObject({ kind: 'unknown-outcome' });
    await h.adapter.createTask(ref.remoteId, task, { idempotencyKey: 't' });
    expect([h.emu.state.persons.size, h.emu.state.notes.size, h.emu.state.deals.size, h.emu.state.activities.size]).toEqual([1, 1, 1, 1]);
  });

  it('500 on a write is unknown-outcome, 503 retryable, a 5xx on a read retryable; nothing duplicated after', async () => {
    const h = await harness();
    await h.adapter.prepare();
    h.emu.control.failNext({ api: 'persons.create', status: 500, commit: true });
    const c = customer();
    expect(await failure(h.adapter.createCustomer(c, { idempotencyKey: 'k' }))).toMatchObject({ kind: 'unknown-outcome', status: 500 });
    const ref = await h.adapter.createCustomer(c, { idempotencyKey: 'k' });
    h.emu.control.failNext({ api: 'persons.get', status: 503 });
    expect(await failure(h.adapter.getCustomer(ref.remoteId))).toMatchObject({ kind: 'retryable', status: 503 });
    expect(h.emu.state.persons.size).toBe(1);
  });

  it('a regenerated token is auth (401) on every operation, one request each, never echoed', async () => {
    const h = await harness();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    h.emu.control.revokeToken();
    h.emu.control.clearLog();
    // Each call's failure is caught as it is made (they run at once): awaited one by one, a later
    // one could reject before the loop reached it, an unhandled rejection.
    for (const e of await Promise.all([h.adapter.getCustomer(ref.remoteId), h.adapter.changesSince({ since: 0 }), h.adapter.listFollowUps(ref.remoteId), h.adapter.verify()].map(failure))) {
      expect(e).toMatchObject({ kind: 'auth', status: 401 });
      expect(e!.message).not.toContain(h.emu.token);
    }
    expect(h.emu.requests.map((r) => r.status)).toEqual([401, 401, 401, 401]);
  });

  it('429 is rate-limited with the Retry-After wait; the daily token budget spent is rate-limited until UTC midnight', async () => {
    const h = await harness({ emu: { burst: 3 } });
    const results = await Promise.all(Array.from({ length: 5 }, () => fetch(`${h.emu.url}/v1/users/me`, { headers: { 'x-api-token': h.emu.token } })));
    const limited = results.find((r) => r.status === 429)!;
    expect(limited.headers.get('retry-after')).toMatch(/^[12]$/);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await limited.json()).toMatchObject({ success: false, error: 'Request over limit', errorCode: 429 });
    expect(await failure(h.adapter.verify())).toMatchObject({ kind: 'rate-limited', retryAfterMs: expect.any(Number) });

    const poor = await harness({ emu: { dailyTokens: 4 } });
    await poor.adapter.verify(); // 2 tokens
    await poor.adapter.verify(); // 4
    const e = await failure(poor.adapter.verify());
    expect(e).toMatchObject({ kind: 'rate-limited', status: 429 });
    expect(e!.retryAfterMs).toBeGreaterThan(0);
    expect(e!.retryAfterMs).toBeLessThanOrEqual(86_400_000);
  });

  it('a burst of writes stays within the 2-second window the emulator enforces (no 429)', async () => {
    const h = await harness({ emu: { burst: 20 } });
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    h.emu.control.clearLog();
    await Promise.all(Array.from({ length: 30 }, (_, i) => h.adapter.updateCustomer(ref.remoteId, { name: `王小明${i}` }, { idempotencyKey: `u${i}` })));
    expect(h.emu.requests.filter((r) => r.status === 429)).toEqual([]);
    const times = h.emu.requests.map((r) => r.at).sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 2000) j++;
      most = Math.max(most, i - j + 1);
    }
    expect(most).toBeLessThanOrEqual(20);
  });
});
