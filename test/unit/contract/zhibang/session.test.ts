// Logging in, keeping and renewing the session, and the failures around it.
import { describe, expect, it } from 'vitest';
import { CrmError } from '../../../../lib/crm/errors';
import { splitTrace } from '../../../../lib/crm/zhibang/trace';
import { customer, followUp, hits, key, setup } from './helpers';

const failure = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(CrmError);
  return e as CrmError;
};

describe.each(['v1', 'v3'] as const)('智邦 session (%s)', (style) => {
  it('verify logs in through the style\'s login endpoint and names the account', async () => {
    const { emu, adapter } = await setup({ style });
    expect(await adapter.verify()).toEqual({ account: expect.stringContaining('sales01') });
    expect(emu.state.logins).toMatchObject([{ ok: true, style, user: 'sales01' }]);
    expect(hits(emu, style === 'v3' ? '/webapi/v3/ov1/login' : '/login.asp')).toBe(1);
  });

  it('a wrong password is CrmError auth with the server\'s message, and is not retried against the account', async () => {
    const { emu, adapter } = await setup({ style, password: 'wrong' });
    const e = await failure(adapter.verify());
    expect(e.kind).toBe('auth');
    expect(e.userMessage.zh_CN).toContain('用户名或密码错误');
    expect(e.message).not.toContain('wrong');
    // Later operations fail fast from memory instead of pushing the account into the captcha lock.
    expect((await failure(adapter.findCustomers({ name: '王' }))).kind).toBe('auth');
    expect((await failure(adapter.findCustomers({ name: '王' }))).kind).toBe('auth');
    expect(emu.state.logins).toHaveLength(1);
  });

  it('a captcha lock is an auth error telling the user exactly what to do, and 重试 works once they have signed in', async () => {
    const { emu, another } = await setup({ style });
    let t = 1_000_000;
    const adapter = another({ now: () => t });
    emu.state.lockWithCaptcha('sales01');
    const e = await failure(adapter.findCustomers({ name: '王' }));
    expect(e.kind).toBe('auth'); // the outbox pauses on auth instead of retrying into the lock
    expect(e.vendorCode).toBe('CAPTCHA_REQUIRED');
    expect(e.userMessage.zh_CN).toBe(`智邦ERP 要求输入验证码（登录失败次数过多）：请在浏览器中打开 ${emu.url} 登录一次（输入验证码），然后回到 Liaison 点「重试」`);
    expect(e.userMessage.en).toBe(`Zhibang ERP is asking for a captcha (too many failed sign-ins): open ${emu.url} in your browser, sign in once (entering the captcha), then come back to Liaison and click Retry`);
    expect(e.message).not.toContain('pa55word');
    // Calls right behind it share the remembered answer instead of each trying to log in.
    expect((await failure(adapter.addFollowUp('1001', followUp(), { idempotencyKey: key() }))).vendorCode).toBe('CAPTCHA_REQUIRED');
    expect(emu.state.logins).toHaveLength(1);
    // The user does what the message says; a 重试 a little later logs in and goes through.
    emu.state.signInInBrowser('sales01');
    t += 20_000;
    expect(await adapter.findCustomers({ name: '王' })).toEqual([]);
    expect(emu.state.logins.map((l) => l.ok)).toEqual([false, true]);
  });

  it('a wrong password stays remembered for longer than a captcha lock (retrying it would lock the account)', async () => {
    const { emu, another } = await setup({ style, password: 'wrong' });
    let t = 1_000_000;
    const adapter = another({ now: () => t });
    await failure(adapter.findCustomers({ name: '王' }));
    t += 20_000;
    expect((await failure(adapter.findCustomers({ name: '王' }))).userMessage.zh_CN).toContain('用户名或密码错误');
    expect(emu.state.logins).toHaveLength(1);
  });
});

describe('智邦 session sharing and renewal', () => {
  it('an unreachable host is retryable for reads, and works again when it is back', async () => {
    const { emu, adapter } = await setup();
    await emu.control.down();
    const e = await failure(adapter.findCustomers({ name: '王' }));
    expect(e.kind).toBe('retryable');
    expect(e.retryable).toBe(true);
    await emu.control.up();
    expect(await adapter.findCustomers({ name: '王' })).toEqual([]);
  });

  it('nothing listening at the address is retryable; a web server without 智邦 there is validation', async () => {
    const { emu, another } = await setup();
    const refused = another({ connection: { id: 'r', kind: 'zhibang', name: 'r', enabled: true, settings: { host: 'http://127.0.0.1:1', user: 'sales01' }, createdAt: 0 } });
    expect((await failure(refused.verify())).kind).toBe('retryable');
    const elsewhere = another({ connection: { id: 'e', kind: 'zhibang', name: 'e', enabled: true, settings: { host: `${emu.url}/not-erp`, user: 'sales01' }, createdAt: 0 } });
    const e = await failure(elsewhere.verify());
    expect(e.kind).toBe('validation');
    expect(e.userMessage.en).toContain('No Zhibang ERP login endpoint');
  });

  it('concurrent callers share one login (single flight), across adapter instances of the connection', async () => {
    const { emu, adapter, another } = await setup();
    emu.control.setLatency(30);
    const second = another();
    await Promise.all([adapter.findCustomers({ name: 'a' }), adapter.findCustomers({ name: 'b' }), second.findCustomers({ name: 'c' }), second.findCustomers({ code: 'KH1' })]);
    expect(emu.state.logins).toHaveLength(1);
  });

  it('an expired session mid-batch costs exactly one re-login and loses nothing', async () => {
    const { emu, adapter } = await setup();
    const ref = await adapter.createCustomer(customer(), { idempotencyKey: key() });
    expect(emu.state.logins).toHaveLength(1);
    const batch = Array.from({ length: 8 }, (_, i) => followUp({ content: `第${i}次跟进` }));
    const first = batch.slice(0, 3);
    const rest = batch.slice(3);
    for (const f of first) await adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: key() });
    emu.control.expireSessions();
    // The rest run concurrently: all see the expired session, one login serves them all.
    await Promise.all(rest.map((f) => adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: key() })));
    expect(emu.state.logins).toHaveLength(2);
    expect(emu.state.followUps.map((f) => splitTrace(f.intro).content).sort()).toEqual(batch.map((f) => f.content).sort());
  });

  it('sessions that time out on the server are renewed transparently (V3 token too)', async () => {
    // The server's clock is the test's: a busy machine cannot let the session lapse mid-create.
    let clock = Date.UTC(2026, 11, 6, 9);
    const { emu, adapter } = await setup({ style: 'v3', emu: { sessionTtlMs: 150, now: () => clock } });
    const ref = await adapter.createCustomer(customer(), { idempotencyKey: key() });
    clock += 200;
    await adapter.updateCustomer(ref.remoteId, { grade: 'WHITE' }, { idempotencyKey: key() });
    expect(emu.state.saved()[0]?.fields.sort1).toBe('重点客户');
    expect(emu.state.logins).toHaveLength(2);
  });

  it('a session refused right after login is auth, not an endless loop', async () => {
    const { emu, adapter } = await setup();
    await adapter.verify();
    // Every session dies immediately: simulate with a zero TTL.
    emu.state.sessionTtlMs = 0;
    emu.control.expireSessions();
    const e = await failure(adapter.findCustomers({ name: '王' }));
    expect(e.kind).toBe('auth');
    expect(emu.state.logins).toHaveLength(2);
  });

  it('a missing password or a bad address fails with a clear CrmError before any request', async () => {
    const { emu, another } = await setup();
    expect((await failure(another({ secrets: {} }).verify())).kind).toBe('auth');
    const bad = another({ connection: { id: 'x', kind: 'zhibang', name: 'x', enabled: true, settings: { host: 'ftp://erp', user: 'u' }, createdAt: 0 } });
    const e = await failure(bad.verify());
    expect(e.kind).toBe('validation');
    expect(e.message).toContain('host');
    expect(emu.state.requests).toHaveLength(0);
  });
});
