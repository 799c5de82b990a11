// tenant_access_token handling: clear auth errors, one cached token, single-flight refresh,
// and exactly one refresh + replay when a token dies mid-work.
import { describe, expect, it } from 'vitest';
import { CrmError } from '../../../../lib/crm/errors';
import { customer, harness, readyHarness } from './helpers';

describe('Feishu Bitable adapter: auth', () => {
  it('a wrong app_secret is CrmError("auth") saying so, and is not retried', async () => {
    const h = await harness({ secret: 'not-the-secret' });
    const err = await h.adapter.verify().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect(err).toMatchObject({ kind: 'auth', vendorCode: '10014', retryable: false });
    expect((err as CrmError).userMessage.zh_CN).toContain('App Secret');
    expect((err as CrmError).userMessage.en).toContain('App Secret');
    expect((err as CrmError).message).not.toContain('not-the-secret');
    expect(h.emu.state.tokenRequests).toBe(1);
  });

  it('missing credentials fail at the operation (not at construction) as auth', async () => {
    const h = await harness({ secret: '' });
    await expect(h.adapter.findCustomers({ phone: '13800138000' })).rejects.toMatchObject({ kind: 'auth' });
    expect(h.emu.state.requests).toHaveLength(0);
  });

  it('verify names the host and app; one token serves many calls', async () => {
    const h = await readyHarness();
    const v = await h.adapter.verify();
    expect(v.account).toMatch(/^127\.0\.0\.1:\d+ · cli_\w+ · 3 tables$/);
    await h.adapter.findCustomers({ phone: '13800138000' });
    await h.another().findCustomers({ code: 'KH1' });
    expect(h.emu.state.tokenRequests).toBe(0); // setup's token (log cleared since) serves both instances of the connection
  });

  it('concurrent callers share one token request (single flight)', async () => {
    const h = await readyHarness();
    h.emu.control.expireTokens();
    // The cache still believes its token is good: the first wave gets 99991663, each refresh is shared.
    await Promise.all(Array.from({ length: 8 }, (_, i) => h.adapter.findCustomers({ code: `KH${i}` })));
    expect(h.emu.state.tokenRequests).toBe(1);
    expect(h.emu.state.requests.filter((r) => r.code === 99991663).length).toBeGreaterThan(0);
  });

  it('an expired token is refreshed ONCE and the write replayed; nothing lost or doubled', async () => {
    const h = await readyHarness();
    h.emu.control.expireTokens();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k-expired' });
    expect(ref.remoteId).toMatch(/^rec/);
    expect(h.emu.state.tokenRequests).toBe(1);
    expect(h.emu.control.records(h.app, h.ids.customers)).toHaveLength(1);
    expect(h.emu.state.requests.map((r) => `${r.api}:${r.code}`)).toEqual(['records.create:99991663', 'auth.tenant_access_token:0', 'records.create:0']);
  });

  it('a token refreshed before expiry (margin) never hits the gateway expired', async () => {
    const h = await readyHarness({ emu: { tokenTtlMs: 2000 } });
    const before = h.emu.state.tokenRequests;
    await h.adapter.findCustomers({ code: 'KH0' });
    expect(h.emu.state.tokenRequests).toBe(before);
    await new Promise((r) => setTimeout(r, 1600)); // inside the ¼-lifetime margin, before expiry
    await h.adapter.findCustomers({ code: 'KH1' });
    expect(h.emu.state.tokenRequests).toBe(before + 1);
    expect(h.emu.state.requests.some((r) => r.code === 99991663)).toBe(false);
  });

  it('a token rejected twice in a row is an auth error, not a loop', async () => {
    const h = await readyHarness();
    h.emu.control.failNext({ api: 'records.search', count: 2, status: 400, code: 99991663, msg: 'Invalid access token for authorization.' });
    await expect(h.adapter.findCustomers({ code: 'KH1' })).rejects.toMatchObject({ kind: 'auth', vendorCode: '99991663' });
    expect(h.emu.state.requests.filter((r) => r.api === 'records.search')).toHaveLength(2);
  });
});
