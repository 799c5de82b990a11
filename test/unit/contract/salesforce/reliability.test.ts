// Failure paths: expired sessions renewed exactly once (and persisted), the daily allocation,
// lost replies after commit, outages — each the right CrmError kind, nothing lost or doubled.
import { describe, expect, it } from 'vitest';
import { customer, failure, followUp, harness } from './helpers';

describe('Salesforce adapter: reliability', () => {
  it('access token expires mid-batch: exactly one refresh, new tokens reported, every record written once', async () => {
    const h = await harness();
    const items = Array.from({ length: 450 }, (_, i) => ({ customer: customer({ name: `客户${i}`, email: `m${i}@example.com`, phones: [] }), idempotencyKey: `mb-${i}` }));
    const oldToken = h.secrets.access_token;
    h.emu.control.expireTokensAfter(1); // the first chunk passes, the second meets a dead session
    const results = await h.adapter.batchCreateCustomers(items);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(h.emu.state.oauth.tokenRequests.refresh_token).toBe(1);
    expect(h.emu.control.records('Lead')).toHaveLength(450);
    expect(h.emu.state.requests.filter((r) => r.api === 'composite.upsert').map((r) => r.status)).toEqual([200, 401, 200, 200]);
    expect(h.patches).toHaveLength(1);
    expect(h.patches[0]).toMatchObject({ access_token: expect.any(String), instance_url: h.emu.url, issued_at: expect.any(String) });
    expect(h.patches[0]!.access_token).not.toBe(oldToken);
    expect(h.patches[0]).not.toHaveProperty('refresh_token'); // not rotated: the stored one stays
  });

  it('concurrent operations on an expired session share ONE refresh (single flight), across adapter instances', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'sf-1' });
    h.emu.control.expireTokens();
    const other = h.another();
    await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => h.adapter.addFollowUp(remoteId, followUp(), { idempotencyKey: `fu-${i}` })),
      ...Array.from({ length: 4 }, (_, i) => other.findCustomers({ email: `q${i}@example.com` })),
    ]);
    expect(h.emu.state.oauth.tokenRequests.refresh_token).toBe(1);
    expect(h.emu.control.records('Task')).toHaveLength(6);
    expect(h.patches).toHaveLength(1);
  });

  it('a revoked refresh token is auth ("connect again"), tried once, never looping', async () => {
    const h = await harness();
    h.emu.control.expireTokens();
    h.emu.control.revokeRefreshTokens();
    const e = await failure(h.adapter.findCustomers({ email: 'a@example.com' }));
    expect(e).toMatchObject({ kind: 'auth', vendorCode: 'invalid_grant' });
    expect(e!.userMessage.zh_CN).toContain('重新连接');
    expect(h.emu.state.oauth.tokenRequests.refresh_token).toBe(1);
    expect(h.patches).toEqual([]);
  });

  it('REQUEST_LIMIT_EXCEEDED (403) is rate-limited with a long wait, not auth', async () => {
    const h = await harness();
    h.emu.control.setDailyLimit(100, 99);
    await h.adapter.findCustomers({ email: 'a@example.com' });
    expect(h.adapter.apiUsage()).toMatchObject({ used: 100, max: 100 });
    const e = await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'lim' }));
    expect(e).toMatchObject({ kind: 'rate-limited', status: 403, vendorCode: 'REQUEST_LIMIT_EXCEEDED', retryable: true });
    expect(e!.retryAfterMs).toBeGreaterThanOrEqual(60_000);
    expect(h.emu.control.records('Lead')).toHaveLength(0);
  });

  it('a reply lost after the commit is unknown-outcome; the retry upserts the same record', async () => {
    const h = await harness();
    h.emu.control.dropNext({ api: 'sobject.upsert' });
    const c = customer();
    expect(await failure(h.adapter.createCustomer(c, { idempotencyKey: 'lost-1' }))).toMatchObject({ kind: 'unknown-outcome' });
    expect(h.emu.control.records('Lead')).toHaveLength(1); // it WAS committed
    const ref = await h.adapter.createCustomer(c, { idempotencyKey: 'lost-1' });
    expect(h.emu.control.records('Lead').map((r) => r.Id)).toEqual([ref.remoteId]);
    // Same for a follow-up Task.
    h.emu.control.dropNext({ api: 'sobject.upsert' });
    const f = followUp();
    expect(await failure(h.adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: 'lost-f' }))).toMatchObject({ kind: 'unknown-outcome' });
    await h.adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: 'lost-f' });
    expect(h.emu.control.records('Task')).toHaveLength(1);
  });

  it('a batch reply lost after commit: the retried batch creates nothing new', async () => {
    const h = await harness();
    const items = Array.from({ length: 30 }, (_, i) => ({ customer: customer({ name: `B${i}`, email: `b${i}@example.com` }), idempotencyKey: `lb-${i}` }));
    h.emu.control.dropNext({ api: 'composite.upsert' });
    const first = await h.adapter.batchCreateCustomers(items);
    expect(first.every((r) => !r.ok && r.error.kind === 'unknown-outcome')).toBe(true);
    const second = await h.adapter.batchCreateCustomers(items);
    expect(second.every((r) => r.ok)).toBe(true);
    expect(h.emu.control.records('Lead')).toHaveLength(30);
  });

  it('500 on a write is unknown-outcome, 503 retryable, reads retryable; down → unknown/retryable; up → fine', async () => {
    const h = await harness();
    h.emu.control.failNext({ api: 'sobject.upsert', status: 500, commit: true });
    expect(await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'f500' }))).toMatchObject({ kind: 'unknown-outcome', status: 500 });
    h.emu.control.failNext({ api: 'sobject.upsert', status: 503 });
    expect(await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'f500' }))).toMatchObject({ kind: 'retryable', vendorCode: 'SERVER_UNAVAILABLE' });
    h.emu.control.failNext({ api: 'query', status: 500 });
    expect(await failure(h.adapter.findCustomers({ email: 'x@example.com' }))).toMatchObject({ kind: 'retryable' });
    h.emu.control.down();
    expect(await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'f500' }))).toMatchObject({ kind: 'unknown-outcome' });
    expect(await failure(h.adapter.findCustomers({ email: 'x@example.com' }))).toMatchObject({ kind: 'retryable' });
    h.emu.control.up();
    await h.adapter.createCustomer(customer(), { idempotencyKey: 'f500' });
    expect(h.emu.control.records('Lead')).toHaveLength(1);
  });

  it('a write that times out is unknown-outcome (latency beyond the timeout)', async () => {
    // 1.6 s late against a 1 s limit: 400 against 200 ms was too close for a loaded machine.
    const h = await harness({ overrides: { timeoutMs: 1_000 } });
    h.emu.control.setLatency(1_600);
    expect(await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'slow' }))).toMatchObject({ kind: 'unknown-outcome' });
    h.emu.control.setLatency(0);
    await h.adapter.createCustomer(customer(), { idempotencyKey: 'slow' });
    expect(h.emu.control.records('Lead')).toHaveLength(1);
  });
});
