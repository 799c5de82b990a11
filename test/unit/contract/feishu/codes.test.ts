// Codes unique across a team (issue 15 item 6): with 客户ID a Bitable auto number, Bitable hands out
// the customer codes, Liaison never writes one, and every browser gets the code Bitable gave.
import { describe, expect, it } from 'vitest';
import { FIELD_TYPES } from '../../../emulators/feishu';
import { customer, harness, readyHarness } from './helpers';

const year = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
const phone = (i: number) => `+86139${String(10_000_000 + i).slice(-8)}`;

describe('Feishu Bitable adapter: 客户ID as an auto number', () => {
  it('prepare makes the connection the code master: code_auto and codeMaster in the settings', async () => {
    const auto = await readyHarness({ codes: 'auto' });
    expect(auto.prepared.settings).toMatchObject({ code_auto: true, codeMaster: true });
    const text = await readyHarness({ codes: 'text' });
    expect(text.prepared.settings).toMatchObject({ code_auto: false });
    expect(text.prepared.settings).not.toHaveProperty('codeMaster');
  });

  it('createCustomer never writes 客户ID and returns the code Bitable gave (read back: the create reply lacks it)', async () => {
    const h = await readyHarness({ codes: 'auto' });
    const ref = await h.adapter.createCustomer(customer({ code: 'WX20261206001' }), { idempotencyKey: 'k1' });
    const row = h.emu.control.records(h.app, h.ids.customers)[0]!;
    expect(row.fields).not.toHaveProperty('客户ID');
    expect(ref).toEqual({ remoteId: row.record_id, remoteCode: `KH${year()}-0001`, marker: String(row.last_modified_time) });
    expect(h.emu.state.requests.map((r) => `${r.api}:${r.code}`)).toEqual(['records.create:0', 'records.batch_get:0']);
    // An update carrying Liaison's temporary code leaves Bitable's alone, and claims no code.
    const upd = await h.adapter.updateCustomer(ref.remoteId, { code: 'WX20261206001', stage: '已联系' }, { idempotencyKey: 'u1' });
    expect(upd).toEqual({ remoteId: ref.remoteId });
    expect((await h.adapter.getCustomer(ref.remoteId))!.remoteCode).toBe(`KH${year()}-0001`);
  });

  it('two browsers creating at once get distinct, sequential codes; a deleted customer’s number is never handed out again', async () => {
    const h = await readyHarness({ codes: 'auto' });
    const other = await harness({ emulator: h.emu, app: h.app, settings: h.prepared.settings }); // a second salesperson, own connection
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? other.adapter : h.adapter).createCustomer(customer({ name: `客户${i}`, phones: [phone(i)] }), { idempotencyKey: `k${i}` })),
    );
    const codes = made.map((r) => r.remoteCode);
    expect(new Set(codes).size).toBe(20);
    expect([...codes].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `KH${year()}-${String(i + 1).padStart(4, '0')}`));
    h.emu.control.deleteRecord(h.app, h.ids.customers, made.find((r) => r.remoteCode!.endsWith('0020'))!.remoteId);
    const next = await h.adapter.createCustomer(customer({ phones: [phone(99)] }), { idempotencyKey: 'k99' });
    expect(next.remoteCode).toBe(`KH${year()}-0021`);
  });

  it('batchCreateCustomers returns each record’s code (one batch_get per 100)', async () => {
    const h = await readyHarness({ codes: 'auto' });
    const items = Array.from({ length: 150 }, (_, i) => ({ customer: customer({ code: '', phones: [phone(i)] }), idempotencyKey: `b${i}` }));
    const results = await h.adapter.batchCreateCustomers(items);
    const codes = results.map((r) => (r.ok ? r.ref.remoteCode : undefined));
    expect(codes).toEqual(Array.from({ length: 150 }, (_, i) => `KH${year()}-${String(i + 1).padStart(4, '0')}`));
    expect(h.emu.state.requests.map((r) => r.api)).toEqual(['records.batch_create', 'records.batch_get', 'records.batch_get']);
  });

  it('findCustomers by code asks for the sequence number (Bitable filters auto numbers by it) and matches the whole code', async () => {
    const h = await readyHarness({ codes: 'auto' });
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1' });
    const found = await h.adapter.findCustomers({ code: ref.remoteCode! });
    expect(found).toEqual([expect.objectContaining({ remoteId: ref.remoteId, remoteCode: ref.remoteCode, matchedBy: ['code'], fields: expect.objectContaining({ code: ref.remoteCode, stage: '跟进中' }) })]);
    expect(await h.adapter.findCustomers({ code: 'KH1999-0001' })).toEqual([]); // same number, another code
  });

  it('settings that do not know 客户ID became an auto number: the refused write teaches the adapter, once', async () => {
    const h0 = await readyHarness({ codes: 'auto' });
    const { code_auto: _drop, codeMaster: _m, ...stale } = h0.prepared.settings;
    const h = await harness({ emulator: h0.emu, app: h0.app, settings: stale });
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1' });
    expect(ref.remoteCode).toBe(`KH${year()}-0001`);
    expect(h.emu.state.requests.filter((r) => r.api !== 'auth.tenant_access_token').map((r) => `${r.api}:${r.code}`)).toEqual([
      'records.create:1254015', 'fields.list:0', 'fields.list:0', 'records.create:0', 'records.batch_get:0',
    ]);
    // Learnt: the next write sends no code at all.
    h.emu.control.clearLog();
    await h.adapter.createCustomer(customer({ phones: [phone(2)] }), { idempotencyKey: 'k2' });
    expect(h.emu.state.requests.map((r) => r.api)).toEqual(['records.create', 'records.batch_get']);
  });

  it('a text 客户ID keeps Liaison’s codes, as before', async () => {
    const h = await readyHarness({ codes: 'text' });
    const ref = await h.adapter.createCustomer(customer({ code: 'KH2026-0042' }), { idempotencyKey: 'k1' });
    expect(ref).toEqual({ remoteId: expect.stringMatching(/^rec/), remoteCode: 'KH2026-0042' });
    expect(h.emu.control.records(h.app, h.ids.customers)[0]!.fields.客户ID).toBe('KH2026-0042');
    expect(h.emu.state.requests.map((r) => r.api)).toEqual(['records.create']);
  });

  it('Bitable refuses a value for the auto number; an update that meets that refusal is sent again without the code', async () => {
    const h = await readyHarness({ codes: 'auto' });
    const t = h.emu.state.apps.get(h.app)!.tables.get(h.ids.customers)!;
    expect(t.fields.find((f) => f.field_name === '客户ID')!.type).toBe(FIELD_TYPES.autoNumber);
    expect(() => h.emu.control.addRecords(h.app, h.ids.customers, [{ 姓名: 'x', 客户ID: 'KH-1' }])).toThrow(/1254015/);
    const stale = await harness({ emulator: h.emu, app: h.app, settings: { ...h.prepared.settings, code_auto: false } });
    const [id] = h.emu.control.addRecords(h.app, h.ids.customers, [{ 姓名: 'y' }]);
    h.emu.control.clearLog();
    expect(await stale.adapter.updateCustomer(id!, { code: 'KH-2', stage: '已联系' }, { idempotencyKey: 'u' })).toEqual({ remoteId: id });
    const row = h.emu.control.records(h.app, h.ids.customers).find((r) => r.record_id === id)!;
    expect(row.fields).toMatchObject({ 姓名: 'y', 贷款状态: '已联系' });
    expect(row.fields).not.toHaveProperty('客户ID');
    expect(h.emu.state.requests.filter((r) => r.api === 'records.update').map((r) => r.code)).toEqual([1254015, 0]);
  });
});
