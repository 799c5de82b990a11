// Reliability: lost replies after commit (reconciled through the create-only upsert: 412 then a
// read, never a second row), token expiry (one refresh for a burst, rotated refresh token
// persisted), 401 after refresh → auth, 429 with Retry-After, 5xx classification, the 24 h end
// of a single-page-app grant.
import { describe, expect, it } from 'vitest';
import { customer, deal, failure, followUp, harness } from './helpers';

describe('Dynamics reliability', () => {
  it('a create whose reply was lost after commit: unknown-outcome, and the retry with the same key finds the row (0 duplicates)', async () => {
    const h = await harness();
    const key = crypto.randomUUID();
    h.emu.control.dropNext('patch:contacts', true);
    const e = await failure(h.adapter.createCustomer(customer(), { idempotencyKey: key }));
    expect(e).toMatchObject({ kind: 'unknown-outcome' });
    expect(h.emu.control.rows('contacts')).toHaveLength(1);
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: key });
    expect(ref.remoteId).toBe(key);
    expect(ref.marker).toMatch(/^W\//);
    expect(h.emu.control.rows('contacts')).toHaveLength(1);
    expect(h.emu.state.requests.slice(-2).map((r) => [r.api, r.status])).toEqual([['patch:contacts', 412], ['read:contacts', 200]]);
  });

  it('the same for notes, opportunities and tasks after a 500 that committed', async () => {
    const h = await harness();
    const c = await h.adapter.createCustomer(customer(), { idempotencyKey: crypto.randomUUID() });
    for (const [api, op] of [
      ['patch:annotations', (k: string) => h.adapter.addFollowUp(c.remoteId, followUp(), { idempotencyKey: k })],
      ['patch:opportunities', (k: string) => h.adapter.createDeal(c.remoteId, deal(), { idempotencyKey: k })],
      ['patch:tasks', (k: string) => h.adapter.createTask(c.remoteId, { title: '回访', dueAt: Date.now() }, { idempotencyKey: k })],
    ] as const) {
      const key = crypto.randomUUID();
      h.emu.control.failNext(api, 500, 1, true);
      expect(await failure(op(key))).toMatchObject({ kind: 'unknown-outcome', status: 500 });
      expect((await op(key)).remoteId).toBe(key);
    }
    expect([h.emu.control.rows('annotations').length, h.emu.control.rows('opportunities').length, h.emu.control.rows('tasks').length]).toEqual([1, 1, 1]);
  });

  it('a non-UUID key still maps to one stable row id', async () => {
    const h = await harness();
    const a = await h.adapter.createCustomer(customer(), { idempotencyKey: 'entry-42' });
    const b = await h.adapter.createCustomer(customer(), { idempotencyKey: 'entry-42' });
    expect(a.remoteId).toBe(b.remoteId);
    expect(a.remoteId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(h.emu.control.rows('contacts')).toHaveLength(1);
  });

  it('expired access tokens: a burst of 8 requests costs one refresh; the rotated tokens reach onSecrets', async () => {
    const h = await harness();
    h.emu.control.expireTokens();
    await Promise.all(Array.from({ length: 8 }, () => h.adapter.findCustomers({ email: 'a@example.com' })));
    expect(h.emu.state.oauth.tokenRequests.refresh_token).toBe(1);
    expect(h.patches).toHaveLength(1);
    expect(Object.keys(h.patches[0]!).sort()).toEqual(['access_token', 'expires_at', 'refresh_token']);
  });

  it('a token known to be expired is renewed before the call (no 401 round trip), with the environment scope', async () => {
    const h = await harness({ secrets: { expires_at: String(Date.now() - 1000) } });
    await h.adapter.verify();
    expect(h.emu.state.requests[0]!.api).toBe('oauth.token');
    expect(h.emu.state.requests.filter((r) => r.status === 401)).toHaveLength(0);
  });

  it('a refresh token past the 24 h SPA grant: auth, asking to reconnect', async () => {
    const h = await harness();
    for (const k of h.emu.state.oauth.refreshTokens.keys()) h.emu.state.oauth.refreshTokens.set(k, Date.now() - 1);
    h.emu.control.expireTokens();
    const e = await failure(h.adapter.verify());
    expect(e).toMatchObject({ kind: 'auth' });
    expect(e!.userMessage.en).toContain('connect again');
  });

  it('429 service protection: rate-limited with Retry-After; the window limit too', async () => {
    const h = await harness();
    h.emu.control.throttleFor(7000);
    const e = await failure(h.adapter.findCustomers({ email: 'a@example.com' }));
    expect(e).toMatchObject({ kind: 'rate-limited', status: 429, vendorCode: '0x80072322', retryAfterMs: 7000 });
    const small = await harness({ emu: { windowLimit: 3 } });
    await small.adapter.verify();
    const w = await failure(small.adapter.findCustomers({ email: 'a@example.com' }));
    expect(w).toMatchObject({ kind: 'rate-limited', status: 429 });
    expect(w!.retryAfterMs).toBeGreaterThan(290_000);
  });

  it('5xx: retryable on reads; 503 on a write is retryable (nothing committed); 403 → auth; a dropped read → retryable', async () => {
    const h = await harness();
    h.emu.control.failNext('query:contacts', 502);
    expect(await failure(h.adapter.findCustomers({ email: 'a@example.com' }))).toMatchObject({ kind: 'retryable', status: 502 });
    h.emu.control.failNext('patch:contacts', 503);
    expect(await failure(h.adapter.createCustomer(customer(), { idempotencyKey: crypto.randomUUID() }))).toMatchObject({ kind: 'retryable', status: 503 });
    h.emu.control.failNext('whoami', 403);
    expect(await failure(h.adapter.verify())).toMatchObject({ kind: 'auth', status: 403 });
    h.emu.control.dropNext('query:contacts', false);
    expect(await failure(h.adapter.findCustomers({ email: 'a@example.com' }))).toMatchObject({ kind: 'retryable' });
  });

  it('a follow-up for a customer deleted in Dynamics: not-found, nothing written', async () => {
    const h = await harness();
    const c = await h.adapter.createCustomer(customer(), { idempotencyKey: crypto.randomUUID() });
    h.emu.control.remove('contacts', c.remoteId);
    expect(await failure(h.adapter.addFollowUp(c.remoteId, followUp(), { idempotencyKey: crypto.randomUUID() }))).toMatchObject({ kind: 'not-found', status: 404 });
    expect(h.emu.control.rows('annotations')).toHaveLength(0);
  });
  it('401 renews once and replays; a second 401 with the new token is auth (no refresh loop)', async () => {
    const h = await harness();
    h.emu.control.failNext('whoami', 401, 1);
    await h.adapter.verify();
    expect(h.emu.state.oauth.tokenRequests.refresh_token).toBe(1);
    h.emu.control.failNext('whoami', 401, 2);
    const e = await failure(h.adapter.verify());
    expect(e).toMatchObject({ kind: 'auth', status: 401 });
    expect(h.emu.state.oauth.tokenRequests.refresh_token).toBe(2);
  });
});
