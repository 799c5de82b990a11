// Failure paths: every HubSpot refusal becomes the right CrmError kind so the outbox can act;
// 429s hold later requests until the wait has passed; search stays under 4/s; lost replies never
// turn a retry into a duplicate; at 75 % of the daily quota the adapter stops.
import { describe, expect, it } from 'vitest';
import { customer, failure, followUp, harness, maxInWindow, readyHarness } from './helpers';

describe('HubSpot adapter: auth', () => {
  it('a wrong token is CrmError("auth") with a clear message, not retryable, one request, the token never echoed', async () => {
    const h = await harness({ token: 'pat-na1-wrong-token' });
    const e = await failure(h.adapter.verify());
    expect(e).toMatchObject({ kind: 'auth', status: 401, vendorCode: 'INVALID_AUTHENTICATION', retryable: false });
    expect(e!.userMessage.en).toContain('HubSpot rejected the access token (401)');
    expect(e!.userMessage.zh_CN).toContain('私有应用');
    expect(e!.message).not.toContain('pat-na1-wrong-token');
    expect(h.emu.state.requests).toHaveLength(1);
  });

  it('a revoked or expired token mid-work is auth at once (401 is not a refresh signal for private app tokens)', async () => {
    const h = await readyHarness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    h.emu.control.revokeToken();
    expect(await failure(h.adapter.addFollowUp(remoteId, followUp(), { idempotencyKey: 'f' }))).toMatchObject({ kind: 'auth', status: 401 });
    h.emu.control.expireToken();
    expect(await failure(h.adapter.findCustomers({ code: 'x' }))).toMatchObject({ kind: 'auth', vendorCode: 'EXPIRED_AUTHENTICATION' });
    expect(h.emu.state.requests.filter((r) => r.status === 401)).toHaveLength(2);
  });

  it('a missing scope is auth naming the scope', async () => {
    const h = await readyHarness();
    h.emu.control.setScopes(['crm.objects.contacts.read']);
    const e = await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k' }));
    expect(e).toMatchObject({ kind: 'auth', status: 403, vendorCode: 'MISSING_SCOPES' });
    expect(e!.userMessage.en).toContain('crm.objects.contacts.write');
  });
});

describe('HubSpot adapter: rate limits', () => {
  it('429 (burst): rate-limited with the Retry-After wait, and no request is sent before the wait is over', { timeout: 30_000 }, async () => {
    // When each 429 reached the adapter (client clock), and the wait it asked for.
    const received: { at: number; waitMs: number }[] = [];
    const watching = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const res = await globalThis.fetch(input, init);
      if (res.status === 429) received.push({ at: Date.now(), waitMs: Number(res.headers.get('retry-after')) * 1000 });
      return res;
    }) as typeof fetch;
    // A small window so the adapter's own pacing (9/s) runs into it.
    const h = await readyHarness({ emu: { burst: { max: 6, intervalMs: 2000 } }, fetch: watching });
    const outbox = async (op: () => Promise<unknown>) => {
      for (let i = 0; i < 20; i++) {
        const e = await failure(op());
        if (!e) return i;
        expect(e).toMatchObject({ kind: 'rate-limited', status: 429, vendorCode: 'RATE_LIMITS' });
        expect(e.retryAfterMs).toBeGreaterThanOrEqual(1000);
      }
      throw new Error('never succeeded');
    };
    const retries = await Promise.all(Array.from({ length: 10 }, (_, i) => outbox(() => h.adapter.createCustomer(customer({ name: `R${i}` }), { idempotencyKey: `r${i}` }))));
    expect(retries.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const limited = h.emu.state.requests.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((l) => l.policy === 'TEN_SECONDLY_ROLLING' && l.retryAfterSeconds! >= 1)).toBe(true);
    expect(received).toHaveLength(limited.length);
    // Requests already in flight when a 429 came back can't know about it; after it, nothing.
    for (const r of received) {
      const early = h.sent.filter((s) => s.at > r.at && s.at < r.at + r.waitMs);
      expect(early, `sent inside the wait after the 429 received at ${r.at}`).toEqual([]);
    }
    expect(h.emu.control.objects('contacts')).toHaveLength(10);
  });

  it('search never exceeds 4 requests in any second, even with many callers on two adapter instances', { timeout: 30_000 }, async () => {
    const h = await readyHarness();
    const other = h.another();
    await Promise.all(Array.from({ length: 18 }, (_, i) => (i % 2 ? h.adapter : other).findCustomers({ code: `KH${i}` })));
    const searches = h.emu.state.requests.filter((r) => r.api === 'objects.search');
    expect(searches).toHaveLength(18);
    expect(searches.filter((r) => r.status === 429)).toEqual([]);
    expect(maxInWindow(searches.map((r) => r.at), 1000)).toBeLessThanOrEqual(4);
  });

  it('a search 429 (secondly limit) holds later searches for the wait', { timeout: 20_000 }, async () => {
    const h = await readyHarness();
    // Someone else on the same token (another integration) used this second's search budget.
    const other = await import('./helpers').then((m) => m.raw);
    await Promise.all(Array.from({ length: 4 }, () => other(h.emu, 'POST', '/crm/v3/objects/contacts/search', { filterGroups: [] })));
    const e = await failure(h.adapter.findCustomers({ code: 'KH1' }));
    expect(e).toMatchObject({ kind: 'rate-limited', status: 429 });
    expect(e!.message).toContain('secondly limit');
    const l = h.emu.state.requests.at(-1)!;
    expect(l).toMatchObject({ status: 429, policy: 'SECONDLY' });
    await h.adapter.findCustomers({ code: 'KH1' });
    expect(h.emu.state.requests.at(-1)!.at - l.at).toBeGreaterThanOrEqual(l.retryAfterSeconds! * 1000 - 25);
  });

  it('at 75 % of the daily quota the adapter refuses further calls (rate-limited until the reset) and exposes the numbers', async () => {
    const h = await readyHarness({ emu: { dailyLimit: 1000 } });
    h.emu.control.setDaily({ used: 700 });
    await h.adapter.createCustomer(customer(), { idempotencyKey: 'a' });
    expect(h.adapter.quota()).toMatchObject({ dailyLimit: 1000, dailyRemaining: 299, blockedUntil: 0 });
    h.emu.control.setDaily({ used: 749 });
    await h.adapter.createCustomer(customer(), { idempotencyKey: 'b' }); // this reply says 250 left: 75 % used
    const q = h.adapter.quota();
    expect(q).toMatchObject({ dailyLimit: 1000, dailyRemaining: 250, usedFraction: 0.75 });
    expect(q.blockedUntil).toBeGreaterThan(Date.now());
    const sent = h.emu.state.requests.length;
    for (const op of [() => h.adapter.createCustomer(customer(), { idempotencyKey: 'c' }), () => h.another().findCustomers({ code: 'KH1' }), () => h.adapter.addFollowUp('1', followUp(), { idempotencyKey: 'f' })]) {
      const e = await failure(op());
      expect(e).toMatchObject({ kind: 'rate-limited', vendorCode: 'DAILY_QUOTA_75', retryable: true });
      expect(e!.retryAfterMs).toBeGreaterThan(30 * 60_000);
      expect(e!.userMessage.en).toContain('75 %');
    }
    expect(h.emu.state.requests).toHaveLength(sent); // refused without a call
    // "Test connection" still works and shows the state.
    await expect(h.adapter.verify()).resolves.toMatchObject({ account: expect.stringContaining('HubSpot portal') });
  });

  it('a 429 DAILY (quota gone) is rate-limited for hours, and later calls are refused locally', async () => {
    const h = await readyHarness({ emu: { dailyLimit: 1000 } });
    h.emu.control.setDaily({ used: 1000 });
    const e = await failure(h.adapter.findCustomers({ code: 'x' }));
    expect(e).toMatchObject({ kind: 'rate-limited' });
    expect(e!.retryAfterMs).toBeGreaterThan(30 * 60_000);
    const n = h.emu.state.requests.length;
    expect(await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k' }))).toMatchObject({ kind: 'rate-limited' });
    expect(h.emu.state.requests).toHaveLength(n);
  });
});

describe('HubSpot adapter: lost replies and outages', () => {
  it('a reply lost after the upsert committed is unknown-outcome; the retried upsert does not duplicate', async () => {
    const h = await readyHarness();
    h.emu.control.dropNext({ api: 'objects.batch_upsert' });
    const c = customer();
    expect(await failure(h.adapter.createCustomer(c, { idempotencyKey: 'drop' }))).toMatchObject({ kind: 'unknown-outcome', retryable: true });
    expect(h.emu.control.objects('contacts')).toHaveLength(1); // it WAS committed
    // Even a new outbox entry (new key) for the same customer lands on the same contact.
    const ref = await h.adapter.createCustomer(c, { idempotencyKey: 'another-key' });
    expect(h.emu.control.objects('contacts').map((o) => o.id)).toEqual([ref.remoteId]);
  });

  it('a note whose reply was lost is found, not duplicated, on retry', async () => {
    const h = await readyHarness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    h.emu.control.dropNext({ api: 'objects.create' });
    const f = followUp();
    expect(await failure(h.adapter.addFollowUp(remoteId, f, { idempotencyKey: 'f' }))).toMatchObject({ kind: 'unknown-outcome' });
    const ref = await h.adapter.addFollowUp(remoteId, f, { idempotencyKey: 'f' });
    expect(h.emu.control.objects('notes').map((n) => n.id)).toEqual([ref.remoteId]);
  });

  it('a deal whose association reply was lost is completed, not duplicated, on retry', async () => {
    const h = await readyHarness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    h.emu.control.dropNext({ api: 'associations.put' });
    const d = (await import('./helpers')).deal();
    expect(await failure(h.adapter.createDeal(remoteId, d, { idempotencyKey: 'd' }))).toMatchObject({ kind: 'unknown-outcome' });
    const ref = await h.adapter.createDeal(remoteId, d, { idempotencyKey: 'd' });
    expect(h.emu.control.objects('deals').map((x) => x.id)).toEqual([ref.remoteId]);
    expect(h.emu.control.associationsOf('deals', ref.remoteId)).toEqual([{ toType: 'contacts', toId: remoteId, typeId: 3 }]);
  });

  it('500 on a write is unknown-outcome, 502 on a search is retryable; bodies say nothing of the customer', async () => {
    const h = await readyHarness();
    h.emu.control.failNext({ api: 'objects.batch_upsert', status: 500, commit: true });
    const c = customer();
    expect(await failure(h.adapter.createCustomer(c, { idempotencyKey: 'k' }))).toMatchObject({ kind: 'unknown-outcome', status: 500 });
    await h.adapter.createCustomer(c, { idempotencyKey: 'k' });
    expect(h.emu.control.objects('contacts')).toHaveLength(1);
    h.emu.control.failNext({ api: 'objects.search', status: 502 });
    expect(await failure(h.adapter.findCustomers({ phone: '+8613800138000' }))).toMatchObject({ kind: 'retryable', status: 502 });
  });

  it('HubSpot down: writes unknown-outcome, reads retryable; back up, all is well', async () => {
    const h = await readyHarness();
    h.emu.control.down();
    expect(await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k' }))).toMatchObject({ kind: 'unknown-outcome' });
    expect(await failure(h.adapter.findCustomers({ code: 'x' }))).toMatchObject({ kind: 'retryable' });
    h.emu.control.up();
    await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    expect(h.emu.control.objects('contacts')).toHaveLength(1);
  });

  it('a write that times out is unknown-outcome', async () => {
    // The set-up's requests run under the same timeout: 1 s, so that they pass on a loaded machine
    // (200 ms failed at load 20); the create then comes 1.6 s late.
    const h = await readyHarness({ overrides: { timeoutMs: 1000 } });
    h.emu.control.setLatency(1600);
    expect(await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k' }))).toMatchObject({ kind: 'unknown-outcome' });
  });
});
