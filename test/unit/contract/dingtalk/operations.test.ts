// The write side against the emulator: verify names the person, form and app; findCustomers by
// phone / e-mail / name / code (queryDsl OR); createCustomer with the key in extendData and a
// lookup before create; updateCustomer merging into the whole form; addFollowUp linked to the
// customer with the content in the form's Textarea (found from the follow-record metadata);
// createTask as a 待办 for the operator's unionId with sourceId = key; listFields; template
// values; refusals with the field named.
import { describe, expect, it } from 'vitest';
import { customer, failure, followUp, harness } from './helpers';

describe('DingTalk operations', { timeout: 30_000 }, () => {
  it('verify names the operator, the customer form and the app', async () => {
    const { adapter } = await harness();
    expect((await adapter.verify()).account).toBe('李娜 (manager4220) · 钉钉客户管理 个人客户 · AppKey dingliaisontestapp00');
  });

  it('verify: a wrong secret is auth with DingTalk’s code; an unknown userId is named; the CRM app off is unsupported', async () => {
    const bad = await harness({ secrets: { app_secret: 'wrong' } });
    const e = await failure(bad.adapter.verify());
    expect([e?.kind, e?.status, e?.vendorCode]).toEqual(['auth', 400, 'invalidClientSecret']);
    const who = await harness({ settings: { userId: 'nobody' } });
    const e2 = await failure(who.adapter.verify());
    expect([e2?.kind, e2?.vendorCode, e2?.userMessage.zh_CN]).toEqual(['validation', '60121', expect.stringContaining('userId')]);
    const off = await harness();
    off.emu.control.setCrmEnabled(false);
    const e3 = await failure(off.adapter.verify());
    expect([e3?.kind, e3?.vendorCode, e3?.userMessage.zh_CN]).toEqual(['unsupported', 'crmAppNotExisted', expect.stringContaining('客户管理')]);
  });

  it('createCustomer writes the mapped form fields, the key in extendData, the operator as owner', async () => {
    const { adapter, emu } = await harness();
    const c = customer({ notes: '想做抵押贷' });
    const ref = await adapter.createCustomer(c, { idempotencyKey: 'k-1', fields: { 'DDSelectField-KI5S975E': '跟进中' } });
    const [row] = emu.control.customers();
    expect(row).toMatchObject({ instanceId: ref.remoteId, objectType: 'crm_customer_personal', creatorUserId: 'manager4220', owner: ['manager4220'], extendData: { liaisonKey: 'k-1' } });
    expect(row!.data).toEqual({ customer_name: '王小明', 'DDPhoneField-K2U5DHAB': '13800138000', 'TextField-K2U5DHAC': c.email, 'TextareaField-K2U5DHAD': '想做抵押贷', 'TextField-LIAISONCODE': 'KH2026-0001', 'DDSelectField-KI5S975E': '跟进中' });
    // The same key again (a retry) finds it; a new key is a second customer the org's 查重 refuses (same phone).
    expect((await adapter.createCustomer(c, { idempotencyKey: 'k-1' })).remoteId).toBe(ref.remoteId);
    const dup = await failure(adapter.createCustomer(c, { idempotencyKey: 'k-2' }));
    expect([dup?.kind, dup?.vendorCode]).toEqual(['conflict', 'same.data.exists']);
    expect(emu.control.customers()).toHaveLength(1);
  });

  it('refusals name the field: a form field that does not exist, an option the select lacks, a malformed name', async () => {
    const { adapter } = await harness();
    const e1 = await failure(adapter.createCustomer(customer(), { idempotencyKey: 'a', fields: { 'TextField-NOPE': 'x' } }));
    expect([e1?.kind, e1?.vendorCode, e1?.message]).toEqual(['validation', 'data.format.error', expect.stringContaining('TextField-NOPE')]);
    const e2 = await failure(adapter.createCustomer(customer(), { idempotencyKey: 'b', fields: { 'DDSelectField-KI5S975E': '不存在' } }));
    expect(e2?.message).toContain('DDSelectField-KI5S975E');
    const e3 = await failure(adapter.createCustomer(customer(), { idempotencyKey: 'c', fields: { '客户 名称': 'x' } }));
    expect([e3?.kind, e3?.vendorCode]).toEqual(['validation', 'UNKNOWN_FIELD']);
  });

  it('findCustomers by phone, e-mail, code and name, with what matched', async () => {
    const { adapter, emu } = await harness();
    const mine = await adapter.createCustomer(customer({ email: 'wang@example.com' }), { idempotencyKey: 'k' });
    emu.control.addCustomer({ customer_name: '王小红', 'DDPhoneField-K2U5DHAB': '13900139000' });
    const byPhone = await adapter.findCustomers({ phone: '+8613800138000' });
    expect(byPhone.map((r) => [r.remoteId, r.name, r.phones, r.matchedBy])).toEqual([[mine.remoteId, '王小明', ['+8613800138000'], ['phone']]]);
    expect((await adapter.findCustomers({ email: 'wang@example.com' }))[0]?.matchedBy).toEqual(['email']);
    expect((await adapter.findCustomers({ code: 'KH2026-0001' }))[0]?.matchedBy).toEqual(['code']);
    expect((await adapter.findCustomers({ name: '王小' })).map((r) => r.name).sort()).toEqual(['王小明', '王小红']);
    expect(await adapter.findCustomers({ phone: '+8613700000000' })).toEqual([]);
    expect(await adapter.findCustomers({})).toEqual([]);
  });

  it('updateCustomer keeps the fields it does not touch and the key', async () => {
    const { adapter, emu } = await harness();
    const ref = await adapter.createCustomer(customer({ notes: '旧备注' }), { idempotencyKey: 'k' });
    await adapter.updateCustomer(ref.remoteId, { notes: '新备注' }, { idempotencyKey: 'u' });
    const row = emu.control.customers()[0]!;
    expect([row.data['TextareaField-K2U5DHAD'], row.data.customer_name, row.data['DDPhoneField-K2U5DHAB'], row.extendData.liaisonKey]).toEqual(['新备注', '王小明', '13800138000', 'k']);
    emu.control.deleteCustomer(ref.remoteId);
    expect((await failure(adapter.updateCustomer(ref.remoteId, { notes: 'x' }, { idempotencyKey: 'u2' })))?.kind).toBe('not-found');
  });

  it('addFollowUp links the customer and writes the text into the form’s Textarea', async () => {
    const { adapter, emu } = await harness();
    const ref = await adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    const f = await adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'f-1', fields: { 'DDSelectField-K2U5UJAC': '网络拜访' } });
    const [row] = emu.control.follows();
    expect(row?.recordInstId).toBe(f.remoteId);
    expect(row?.customerId).toBe(ref.remoteId);
    expect(row?.creatorUserId).toBe('manager4220');
    expect(row?.items.find((i) => i.key === 'TextareaField-K2U5UJAF')?.value).toBe('客户问了抵押贷利率 (急), 明天: 回电\n跟进方式：微信\n跟进结果：有意向\n下次行动：发方案\n[Liaison f-1]');
    expect(row?.items.find((i) => i.key === 'DDSelectField-K2U5UJAC')?.value).toBe('网络拜访');
    expect((await adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'f-1' })).remoteId).toBe(f.remoteId);
    expect(emu.control.follows()).toHaveLength(1);
    const bad = await failure(adapter.addFollowUp('no-such-customer', followUp(), { idempotencyKey: 'f-2' }));
    expect([bad?.kind, bad?.vendorCode, bad?.message]).toEqual(['validation', 'data.format.error', expect.stringContaining('follow_record_related_customer')]);
  });

  it('createTask makes a 待办 for the operator (unionId), due at the reminder, sourceId = the key', async () => {
    const { adapter, emu } = await harness();
    const ref = await adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    const due = Date.UTC(2026, 11, 8, 1, 0);
    const t = await adapter.createTask(ref.remoteId, { title: '回电王小明', dueAt: due, note: '发方案' }, { idempotencyKey: 't-1' });
    const [todo] = emu.control.todos();
    expect(todo).toMatchObject({ id: t.remoteId, unionId: emu.users[0].unionid, subject: '回电王小明', dueTime: due, executorIds: [emu.users[0].unionid], sourceId: 't-1', creatorId: emu.users[0].unionid });
    expect(todo?.description).toBe(`发方案\n钉钉客户 ${ref.remoteId}`);
    expect((await adapter.createTask(ref.remoteId, { title: '回电王小明', dueAt: due }, { idempotencyKey: 't-1' })).remoteId).toBe(t.remoteId);
    expect(emu.control.todos()).toHaveLength(1);
  });

  it('listFields: the customer form (with select options) and the follow-record form, lookups left out', async () => {
    const { adapter } = await harness();
    const f = await adapter.listFields();
    expect(f.customer?.map((x) => x.name)).toEqual(['customer_name', 'DDPhoneField-K2U5DHAB', 'TextField-K2U5DHAC', 'TextareaField-K2U5DHAD', 'DDSelectField-KI5S975E', 'TextField-LIAISONCODE', 'TextField-K2U5DHAE']);
    expect(f.customer?.find((x) => x.name === 'DDSelectField-KI5S975E')).toEqual({ name: 'DDSelectField-KI5S975E', label: '客户状态', type: 'Select', options: ['待跟进', '跟进中', '已成交'] });
    expect(f.followUp?.map((x) => x.name)).toEqual(['DDSelectField-K2U5UJAC', 'TextareaField-K2U5UJAF']);
    const company = await harness({ settings: { relationType: 'crm_customer' } });
    expect((await company.adapter.listFields()).customer?.map((x) => x.label)).toEqual(['客户名称', '联系电话', '备注']);
  });
});
