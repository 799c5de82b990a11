// Reliability against the emulator (requests validated against Zoho's v8 files): an expired
// access token refreshed once for a burst of callers (single flight) with the new token handed
// to onSecrets; a revoked grant is auth; the token endpoint's HTTP 200 {"error":"invalid_code"}
// is an OAuth error; lost replies after commit are unknown-outcome and the retry finds the first
// write (no duplicate) for customers, notes, deals and tasks; 5xx classified; 429 TOO_MANY_REQUESTS
// rate-limited with a wait (Zoho sends no reset header we could confirm: a minute).
import { describe, expect, it } from 'vitest';
import { refreshToken } from '../../../../lib/oauth/token';
import { DEFAULT_RATE_LIMIT_WAIT_MS } from '../../../../lib/crm/zoho/errors';
import { customer, deal, failure, followUp, harness, prepared } from './helpers';

describe('Zoho reliability', { timeout: 60_000 }, () => {
  it('an expired token: 8 concurrent calls share one refresh, continue, and the new token goes to onSecrets', async () => {
    const saved: Record<string, string>[] = [];
    const { adapter, emu } = await prepared({ onSecrets: (p) => void saved.push(p) });
    emu.control.expireTokens();
    const before = emu.control.refreshes();
    const rs = await Promise.all(Array.from({ length: 8 }, () => adapter.findCustomers({ email: 'x@example.com' })));
    expect(rs.every((r) => r.length === 0)).toBe(true);
    expect(emu.control.refreshes() - before).toBe(1);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ access_token: expect.stringMatching(/^1000\./), expires_at: expect.any(String) });
  });

  it('a revoked refresh token is auth (reconnect); a wrong client secret too; Zoho’s 200 {"error"} is an OAuth error', async () => {
    const { adapter, emu } = await harness();
    emu.control.expireTokens();
    emu.control.revokeRefreshToken();
    const e = await failure(adapter.verify());
    expect([e?.kind, e?.vendorCode]).toEqual(['auth', 'invalid_code']);
    const bad = await failure(refreshToken({ tokenUrl: `${emu.url}/oauth/v2/token`, clientId: emu.client.id, clientSecret: 'wrong', refreshToken: emu.refreshToken }));
    expect([bad?.kind, bad?.vendorCode, bad?.status]).toEqual(['auth', 'invalid_client', 200]);
    const noGrant = await harness({ secrets: { refresh_token: '' } });
    noGrant.emu.control.expireTokens();
    expect((await failure(noGrant.adapter.verify()))?.kind).toBe('auth');
  });

  it('lost replies after commit: unknown-outcome, and the retry with the same key finds the first write', async () => {
    const { adapter, emu } = await prepared();
    const c = customer();
    emu.control.dropNext({ api: 'records.upsert', commit: true });
    expect((await failure(adapter.createCustomer(c, { idempotencyKey: 'k-lost' })))?.kind).toBe('unknown-outcome');
    const ref = await adapter.createCustomer(c, { idempotencyKey: 'k-lost' });
    emu.control.dropNext({ api: 'records.create', commit: true });
    expect((await failure(adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k-n' })))?.kind).toBe('unknown-outcome');
    await adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k-n' });
    emu.control.dropNext({ api: 'records.upsert', commit: true });
    expect((await failure(adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'k-dl' })))?.kind).toBe('unknown-outcome');
    await adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'k-dl' });
    emu.control.dropNext({ api: 'records.upsert', commit: true });
    expect((await failure(adapter.createTask(ref.remoteId, { title: 't', dueAt: Date.UTC(2026, 11, 8) }, { idempotencyKey: 'k-tk' })))?.kind).toBe('unknown-outcome');
    await adapter.createTask(ref.remoteId, { title: 't', dueAt: Date.UTC(2026, 11, 8) }, { idempotencyKey: 'k-tk' });
    expect(['Contacts', 'Notes', 'Deals', 'Tasks'].map((m) => emu.control.rows(m as 'Notes').length)).toEqual([1, 1, 1, 1]);
  });

  it('5xx: 500 on a write is unknown-outcome, 503 retryable, 500 on a read retryable; the server down is unknown on a write', async () => {
    const { adapter, emu } = await prepared();
    emu.control.failNext({ api: 'records.upsert', status: 500 });
    expect((await failure(adapter.createCustomer(customer(), { idempotencyKey: 'a' })))?.kind).toBe('unknown-outcome');
    emu.control.failNext({ api: 'records.upsert', status: 503 });
    expect((await failure(adapter.createCustomer(customer(), { idempotencyKey: 'b' })))?.kind).toBe('retryable');
    emu.control.failNext({ api: 'records.search', status: 500 });
    expect((await failure(adapter.findCustomers({ email: 'a@example.com' })))?.kind).toBe('retryable');
    emu.control.setDown(true);
    expect((await failure(adapter.createCustomer(customer(), { idempotencyKey: 'c' })))?.kind).toBe('unknown-outcome');
  });

  it('429 TOO_MANY_REQUESTS (a window, or over the concurrency limit) is rate-limited with a wait', async () => {
    const { adapter, emu } = await prepared();
    emu.control.rateLimitFor(5000);
    const e = await failure(adapter.findCustomers({ email: 'a@example.com' }));
    expect([e?.kind, e?.vendorCode, e?.retryAfterMs]).toEqual(['rate-limited', 'TOO_MANY_REQUESTS', DEFAULT_RATE_LIMIT_WAIT_MS]);
    const tight = await prepared({ emu: { concurrency: 1 } });
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => failure(tight.adapter.createCustomer(customer(), { idempotencyKey: `c${i}` }))));
    // The adapter keeps two writes in flight (spec concurrentWrites 2): one of a pair may meet the limit.
    expect(results.every((r) => r === undefined || r.kind === 'rate-limited')).toBe(true);
  });
});
