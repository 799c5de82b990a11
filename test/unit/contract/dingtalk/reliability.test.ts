// Reliability against the emulator: the access token fetched once for a burst of callers
// (single flight) and renewed once after DingTalk rejects it (new API 401 InvalidAuthentication,
// old API errcode 42001); lost replies after commit are unknown-outcome and the retry with the
// same key finds the first write (no duplicate customer, follow record or 待办); 5xx classified;
// the QPS limit (403 Forbidden.AccessDenied.QpsLimitForAppkeyAndApi) rate-limited with the
// documented one-second wait; daily and monthly quotas wait for their reset.
import { describe, expect, it } from 'vitest';
import { QPS_WAIT_MS, dingtalkError, untilChinaMidnight } from '../../../../lib/crm/dingtalk/errors';
import { customer, failure, followUp, harness } from './helpers';

describe('DingTalk reliability', { timeout: 60_000 }, () => {
  it('8 concurrent first calls share one token; after the tokens expire, 8 calls share one renewal', async () => {
    const { adapter, emu } = await harness();
    const rs = await Promise.all(Array.from({ length: 8 }, () => adapter.findCustomers({ name: '没有' })));
    expect(rs.every((r) => r.length === 0)).toBe(true);
    expect(emu.control.tokensIssued()).toBe(1);
    emu.control.expireTokens();
    await Promise.all(Array.from({ length: 8 }, () => adapter.findCustomers({ name: '没有' })));
    expect(emu.control.tokensIssued()).toBe(2);
    expect(emu.requests.filter((r) => r.status === 401).length).toBeGreaterThan(0);
  });

  it('an expired token on the old API (errcode 42001) is renewed too; a token about to expire is renewed before the call', async () => {
    const { adapter, emu } = await harness();
    await adapter.verify();
    emu.control.expireTokens();
    const ref = await adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    await adapter.createTask(ref.remoteId, { title: 't', dueAt: Date.UTC(2026, 11, 9) }, { idempotencyKey: 't' });
    expect(emu.control.tokensIssued()).toBe(2);
    const short = await harness({ emu: { tokenTtlMs: 60_000 } }); // inside the 5-minute early margin
    await short.adapter.findCustomers({ name: 'x' });
    await short.adapter.findCustomers({ name: 'x' });
    expect(short.emu.control.tokensIssued()).toBe(2);
    expect(short.emu.requests.some((r) => r.status === 401)).toBe(false);
  });

  it('lost replies after commit: unknown-outcome, and the retry with the same key creates nothing twice', async () => {
    const { adapter, emu } = await harness();
    const c = customer();
    emu.control.dropNext({ api: 'crm.create', commit: true });
    expect((await failure(adapter.createCustomer(c, { idempotencyKey: 'k-lost' })))?.kind).toBe('unknown-outcome');
    const ref = await adapter.createCustomer(c, { idempotencyKey: 'k-lost' });
    expect(emu.control.customers().map((r) => r.instanceId)).toEqual([ref.remoteId]);

    emu.control.dropNext({ api: 'crm.followRecords.add', commit: true });
    expect((await failure(adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'f-lost' })))?.kind).toBe('unknown-outcome');
    const f = await adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'f-lost' });
    expect(emu.control.follows().map((r) => r.recordInstId)).toEqual([f.remoteId]);

    emu.control.dropNext({ api: 'todo.create', commit: true });
    expect((await failure(adapter.createTask(ref.remoteId, { title: '回电', dueAt: Date.UTC(2026, 11, 8) }, { idempotencyKey: 't-lost' })))?.kind).toBe('unknown-outcome');
    const t = await adapter.createTask(ref.remoteId, { title: '回电', dueAt: Date.UTC(2026, 11, 8) }, { idempotencyKey: 't-lost' });
    expect(emu.control.todos().map((r) => r.id)).toEqual([t.remoteId]);
    // A second adapter instance (the service worker restarted) finds the same writes.
    const fresh = (await harness({ emulator: emu })).adapter;
    expect((await fresh.createCustomer(c, { idempotencyKey: 'k-lost' })).remoteId).toBe(ref.remoteId);
  });

  it('a lost reply without commit: the retry creates it once', async () => {
    const { adapter, emu } = await harness();
    emu.control.dropNext({ api: 'crm.create' });
    expect((await failure(adapter.createCustomer(customer(), { idempotencyKey: 'k' })))?.kind).toBe('unknown-outcome');
    expect(emu.control.customers()).toHaveLength(0);
    await adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    expect(emu.control.customers()).toHaveLength(1);
  });

  it('5xx: 500 on a write is unknown-outcome, 503 retryable, 500 on a read retryable; the server down before a create is retryable (its lookup fails first, nothing was sent)', async () => {
    const { adapter, emu } = await harness();
    emu.control.failNext({ api: 'crm.create', status: 500 });
    expect((await failure(adapter.createCustomer(customer(), { idempotencyKey: 'a' })))?.kind).toBe('unknown-outcome');
    emu.control.failNext({ api: 'crm.create', status: 503 });
    expect((await failure(adapter.createCustomer(customer(), { idempotencyKey: 'b' })))?.kind).toBe('retryable');
    emu.control.failNext({ api: 'crm.query', status: 500 });
    expect((await failure(adapter.findCustomers({ name: 'x' })))?.kind).toBe('retryable');
    emu.control.setDown(true);
    expect((await failure(adapter.createCustomer(customer(), { idempotencyKey: 'c' })))?.kind).toBe('retryable');
    expect(emu.requests.at(-1)?.api).toBe('crm.query');
    expect((await failure(adapter.findCustomers({ name: 'x' })))?.kind).toBe('retryable');
  });

  it('the per-app QPS limit is rate-limited with the documented 1 s wait (new API 403, old API errcode 90018)', async () => {
    const { adapter, emu } = await harness();
    await adapter.verify(); // a token and the memoised user
    emu.control.setQps(0);
    const e = await failure(adapter.findCustomers({ name: 'x' }));
    expect([e?.kind, e?.status, e?.vendorCode, e?.retryAfterMs]).toEqual(['rate-limited', 403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', QPS_WAIT_MS]);
    const fresh = (await harness({ emulator: emu })).adapter; // a new instance asks the old API for the user again
    const e2 = await failure(fresh.createTask('abc', { title: 't', dueAt: 0 }, { idempotencyKey: 'k' }));
    expect([e2?.kind, e2?.vendorCode, e2?.retryAfterMs]).toEqual(['rate-limited', '90018', QPS_WAIT_MS]);
    emu.control.setQps(20);
    // The refusal held the whole connection back for the documented second, not only that call:
    // the next request reaches DingTalk no sooner than a second after the refusal (the emulator's
    // own arrival times, so the steps between may take as long as a loaded machine makes them).
    const refusal = emu.requests.find((r) => r.status === 403)!;
    const sent = emu.requests.length;
    expect(await adapter.findCustomers({ name: 'x' })).toEqual([]);
    expect(emu.requests[sent]!.at - refusal.at).toBeGreaterThanOrEqual(QPS_WAIT_MS);
  });

  it('HTTP 400 codes that are limits or quotas wait for their reset; the CRM app off is unsupported', () => {
    const now = Date.UTC(2026, 11, 6, 15, 30); // 23:30 in China
    const e400 = (code: string) => dingtalkError({ code }, undefined, now);
    expect([e400('request.too.frequent').kind, e400('request.too.frequent').retryAfterMs]).toEqual(['rate-limited', 1000]);
    expect([e400('daily.call.limit').kind, e400('daily.call.limit').retryAfterMs]).toEqual(['rate-limited', 30 * 60_000]);
    expect(untilChinaMidnight(Date.UTC(2026, 11, 6, 16, 0))).toBe(86_400_000);
    expect([e400('Forbidden.AccessDenied.ApiCountLimitForOrg').kind, e400('Forbidden.AccessDenied.ApiCountLimitForOrg').userMessage.zh_CN]).toEqual(['rate-limited', expect.stringContaining('5000')]);
    expect(e400('crmAppNotExisted').kind).toBe('unsupported');
    expect(e400('same.data.exists').kind).toBe('conflict');
    expect(e400('Forbidden.AccessDenied.AccessTokenPermissionDenied').kind).toBe('auth');
  });
});

describe('DingTalk IP allow-list', { timeout: 30_000 }, () => {
  it('errcode 88 with sub_code 60020 (the app only accepts its server IPs) is auth and says what to change', async () => {
    const { adapter, emu } = await harness();
    emu.control.restrictIps(true);
    const e = await failure(adapter.verify());
    expect([e?.kind, e?.vendorCode, e?.userMessage.zh_CN]).toEqual(['auth', '60020', expect.stringContaining('出口 IP')]);
  });
});
