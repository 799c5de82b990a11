// The WeCom adapter under the emulator's faults, requests validated against WeCom's YAML: token
// expiry (42001) and early invalidation (40014) renewed once for all callers together, 45009 with
// WeCom's one-minute block, gateway 5xx, replies lost before and after a write committed.
import { afterAll, describe, expect, it } from 'vitest';
import { summaryLine } from '../../../specs/openapi';
import { FREQ_WAIT_MS } from '../../../../lib/crm/wecom/errors';
import { failure, harness, logs } from './helpers';

afterAll(() => {
  if (logs.length) console.log(summaryLine(logs));
});

describe('WeCom tokens', () => {
  it('renews an expired token once for concurrent callers (single flight)', async () => {
    const { adapter, emu, log } = await harness();
    const ids = [0, 1, 2, 3].map((i) => emu.control.addContact({ name: `客户${i}`, follow: [{ userid: 'zhangsan', remark: `备注${i}` }] }));
    await adapter.getCustomer(ids[0]!);
    expect(emu.control.tokensIssued()).toBe(1);
    emu.control.expireTokens();
    const read = await Promise.all(ids.map((id) => adapter.getCustomer(id)));
    expect(read.map((r) => r!.fields.name)).toEqual(['备注0', '备注1', '备注2', '备注3']);
    expect(emu.control.tokensIssued()).toBe(2);
    expect(emu.requests.filter((r) => r.errcode === 42001).length).toBeGreaterThan(0);
    expect(log.errors()).toEqual([]);
  });
  it('renews a token WeCom invalidated early (40014), then a write goes through once', async () => {
    const { adapter, emu, log } = await harness();
    const id = emu.control.addContact({ name: '客户', follow: [{ userid: 'zhangsan' }] });
    await adapter.getCustomer(id);
    emu.control.invalidateTokens();
    await adapter.updateCustomer(id, { name: '王小明' }, { idempotencyKey: 'k' });
    expect(emu.control.contact(id)!.follow[0]!.remark).toBe('王小明');
    expect(emu.requests.filter((r) => r.api === 'externalcontact.remark').map((r) => r.errcode)).toEqual([40014, 0]);
    expect(log.errors()).toEqual([]);
  });
  it('reports a token still refused after renewal as auth (no loop)', async () => {
    const { adapter, emu } = await harness({ emu: { tokenTtlMs: 1 } });
    const id = emu.control.addContact({ name: '客户', follow: [{ userid: 'zhangsan' }] });
    const e = await failure(adapter.getCustomer(id));
    expect(e?.kind).toBe('auth');
    expect(e?.vendorCode).toBe('42001');
    expect(emu.control.tokensIssued()).toBe(2);
  });
});

describe('WeCom limits and faults', () => {
  it('45009 is rate-limited with WeCom’s one-minute block, and the emulator keeps blocking', async () => {
    const { adapter, emu, log } = await harness({ emu: { perMinute: 2 } });
    const id = emu.control.addContact({ name: '客户', follow: [{ userid: 'zhangsan' }] });
    await adapter.getCustomer(id);
    await adapter.getCustomer(id);
    const e = await failure(adapter.getCustomer(id));
    expect(e?.kind).toBe('rate-limited');
    expect(e?.vendorCode).toBe('45009');
    expect(e?.retryAfterMs).toBe(FREQ_WAIT_MS);
    emu.control.setPerMinute(100);
    const again = await failure(harness_get(emu.url, id));
    expect(again).toContain('45009'); // blocked for 60 s whatever the window says
    expect(log.errors()).toEqual([]);
  });

  it('a gateway 5xx is retryable on a read and unknown-outcome on a write', async () => {
    const { adapter, emu } = await harness();
    const id = emu.control.addContact({ name: '客户', follow: [{ userid: 'zhangsan' }] });
    await adapter.getCustomer(id); // token first
    emu.control.failNext({ api: 'externalcontact.get', status: 502 });
    expect((await failure(adapter.getCustomer(id)))?.kind).toBe('retryable');
    emu.control.failNext({ api: 'externalcontact.remark', status: 502, commit: true });
    expect((await failure(adapter.updateCustomer(id, { name: '王小明' }, { idempotencyKey: 'k' })))?.kind).toBe('unknown-outcome');
  });

  it('a remark whose reply was lost after commit is safe to send again: same state', async () => {
    const { adapter, emu, log } = await harness();
    const id = emu.control.addContact({ name: '客户', follow: [{ userid: 'zhangsan' }] });
    emu.control.dropNext({ api: 'externalcontact.remark', commit: true });
    const e = await failure(adapter.updateCustomer(id, { name: '王小明', notes: '要抵押贷', tags: ['重点客户'] }, { idempotencyKey: 'k' }));
    expect(e?.kind).toBe('unknown-outcome');
    expect(emu.control.contact(id)!.follow[0]!.remark).toBe('王小明'); // committed
    await adapter.updateCustomer(id, { name: '王小明', notes: '要抵押贷', tags: ['重点客户'] }, { idempotencyKey: 'k' });
    const f = emu.control.contact(id)!.follow[0]!;
    expect([f.remark, f.description, f.tag_ids]).toEqual(['王小明', '要抵押贷', ['etLIAISONTAG0001']]);
    expect(log.errors()).toEqual([]);
  });

  it('a 日程 whose reply was lost after commit is unknown-outcome, and a retry duplicates it (WeCom has no key or lookup: the documented limit)', async () => {
    const { adapter, emu } = await harness();
    const id = emu.control.addContact({ name: '客户', follow: [{ userid: 'zhangsan' }] });
    emu.control.dropNext({ api: 'schedule.add', commit: true });
    const task = { title: '回电', dueAt: Date.UTC(2026, 11, 8, 2) };
    expect((await failure(adapter.createTask(id, task, { idempotencyKey: 't1' })))?.kind).toBe('unknown-outcome');
    await adapter.createTask(id, task, { idempotencyKey: 't1' });
    expect(emu.control.schedules()).toHaveLength(2);
  });

  it('the service down is retryable for reads', async () => {
    const { adapter, emu } = await harness();
    emu.control.setDown(true);
    expect((await failure(adapter.findCustomers({ name: '王' })))?.kind).toBe('retryable');
  });
});

/** A raw call with a fresh token, to see what the emulator answers (not through the adapter). */
async function harness_get(base: string, id: string): Promise<string> {
  const { CORP } = await import('../../../emulators/wecom');
  const t = (await (await fetch(`${base}/cgi-bin/gettoken?corpid=${CORP.corpid}&corpsecret=${CORP.secret}`)).json()) as { access_token: string };
  const r = (await (await fetch(`${base}/cgi-bin/externalcontact/get?access_token=${t.access_token}&external_userid=${id}`)).json()) as { errcode: number };
  throw String(r.errcode);
}
