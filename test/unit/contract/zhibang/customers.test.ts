// Customers against the emulator in both API styles and both reply shapes: create (方案A, the
// ERP allocates ord and 客户编号), find, update (grade sync), and the failure paths that must
// never create a customer twice.
import { describe, expect, it } from 'vitest';
import { CrmError } from '../../../../lib/crm/errors';
import { LiaisonDb } from '../../../../lib/db/db';
import { customer, hits, key, STYLES, setup } from './helpers';

const failure = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(CrmError);
  return e as CrmError;
};

describe.each(STYLES)('智邦 customers (%s, reply under "%s")', (style, shape) => {
  it('creates a customer: the ERP allocates ord and khid; fields follow seed 003', async () => {
    const { emu, adapter } = await setup({ style, shape });
    const ref = await adapter.createCustomer(customer({ company: '星河贸易', email: 'wang@xinghe.cn', notes: '来自微信' }), { idempotencyKey: key() });
    expect(ref.remoteId).toMatch(/^\d+$/);
    expect(ref.remoteCode).toMatch(/^KH\d{4}001$/);
    const saved = emu.state.saved();
    expect(saved).toHaveLength(1);
    expect(String(saved[0]!.ord)).toBe(ref.remoteId);
    expect(saved[0]!.fields).toMatchObject({
      name: '星河贸易', person_name: '王小明', mobile: '13800138000', weixinAcc: 'wxid_wang01', email: 'wang@xinghe.cn',
      ly: '1001', sort1: '潜在客户', intro: '来自微信', khid: ref.remoteCode,
    });
    expect(emu.state.allocations).toBe(style === 'v1' ? 1 : 0);
    if (style === 'v3') expect(hits(emu, '/webapi/v3/sales/customer/add')).toBe(1);
  });

  it('maps customer.source to the ly enum by name, and WHITE grade to 重点客户', async () => {
    const { emu, adapter } = await setup({ style, shape });
    await adapter.createCustomer(customer({ source: '朋友介绍', grade: 'WHITE' }), { idempotencyKey: key() });
    expect(emu.state.saved()[0]!.fields).toMatchObject({ ly: '172', sort1: '重点客户', name: '王小明', person_name: '王小明' });
  });

  it('finds customers by phone (any format), code, email and name, saying why', async () => {
    const { emu, adapter } = await setup({ style, shape });
    const a = await adapter.createCustomer(customer({ email: 'w@x.cn' }), { idempotencyKey: key() });
    const b = await adapter.createCustomer(customer({ name: '王大锤', phones: ['+8613900139000'], wechatId: 'wx_b' }), { idempotencyKey: key() });
    expect(await adapter.findCustomers({ phone: '+86 138-0013-8000' })).toMatchObject([
      { remoteId: a.remoteId, remoteCode: a.remoteCode, phones: ['+8613800138000'], matchedBy: ['phone'] },
    ]);
    expect((await adapter.findCustomers({ phone: '13800' })).length).toBe(0); // fuzzy server match, exact here
    expect((await adapter.findCustomers({ code: b.remoteCode! })).map((r) => r.remoteId)).toEqual([b.remoteId]);
    expect((await adapter.findCustomers({ email: 'W@X.cn' })).map((r) => r.remoteId)).toEqual([a.remoteId]);
    expect((await adapter.findCustomers({ name: '王' })).map((r) => r.remoteId).sort()).toEqual([a.remoteId, b.remoteId].sort());
    expect(await adapter.findCustomers({ phone: '13800138000', name: '王小' })).toMatchObject([{ remoteId: a.remoteId, matchedBy: ['phone', 'name'] }]);
    // A contact's mobile (person/list.asp) finds its customer too.
    emu.state.persons.push({ ord: 1, company: Number(b.remoteId), person_name: '秘书', mobile: '13700137000', email: '', weixinAcc: '' });
    expect((await adapter.findCustomers({ phone: '13700137000' })).map((r) => r.remoteId)).toEqual([b.remoteId]);
  });

  it('updates by read-merge-save: grade → 跟进程度, other fields kept, khid untouched', async () => {
    const { emu, adapter } = await setup({ style, shape });
    const ref = await adapter.createCustomer(customer(), { idempotencyKey: key() });
    for (const [grade, sort1] of [['WHITE', '重点客户'], ['GRAY', '潜在客户'], ['BLACK', '暂不跟进']] as const) {
      expect(await adapter.updateCustomer(ref.remoteId, { grade }, { idempotencyKey: key() })).toEqual(ref);
      expect(emu.state.saved()[0]!.fields).toMatchObject({ sort1, mobile: '13800138000', weixinAcc: 'wxid_wang01', khid: ref.remoteCode });
    }
    await adapter.updateCustomer(ref.remoteId, { wechatId: 'wx_new', notes: '老客户', code: 'HACK1' }, { idempotencyKey: key() });
    expect(emu.state.saved()[0]!.fields).toMatchObject({ weixinAcc: 'wx_new', intro: '老客户', sort1: '暂不跟进', khid: ref.remoteCode });
    expect(emu.state.saved()).toHaveLength(1);
  });

  it('uses the connection\'s grade mapping', async () => {
    const { emu, adapter } = await setup({ style, shape, settings: { gradeWhite: '一般客户' } });
    const ref = await adapter.createCustomer(customer(), { idempotencyKey: key() });
    await adapter.updateCustomer(ref.remoteId, { grade: 'white' }, { idempotencyKey: key() });
    expect(emu.state.saved()[0]!.fields.sort1).toBe('一般客户');
  });

  it('a duplicate mobile is found by search and linked, not created twice', async () => {
    const { emu, adapter } = await setup({ style, shape });
    const first = await adapter.createCustomer(customer({ name: '老王', wechatId: undefined }), { idempotencyKey: key() });
    const again = await adapter.createCustomer(customer({ name: '王先生', wechatId: 'wx_other' }), { idempotencyKey: key() });
    expect(again).toEqual(first);
    expect(emu.state.saved()).toHaveLength(1);
    expect(emu.state.allocations).toBeLessThanOrEqual(1);
  });

  it('a save rejected for a missing required field is validation with the server\'s message', async () => {
    const { emu, adapter } = await setup({ style, shape, settings: { defaultSort1: '火星客户' } });
    const e = await failure(adapter.createCustomer(customer(), { idempotencyKey: key() }));
    expect(e.kind).toBe('validation');
    expect(e.message).toContain('跟进程度[火星客户]不存在');
    expect(e.userMessage.zh_CN).toContain('跟进程度[火星客户]不存在');
    expect(emu.state.saved()).toHaveLength(0);
    const blank = await failure(adapter.createCustomer(customer({ name: ' ', phones: [], wechatId: undefined }), { idempotencyKey: key() }));
    expect(blank.kind).toBe('validation');
  });

  it('a reply dropped after the save committed: unknown outcome, and the retry finds the record without duplicating', async () => {
    const { emu, adapter } = await setup({ style, shape });
    const k = key();
    emu.control.dropNext(1, style === 'v1' ? { path: 'custom/add.asp', cmdkey: '__sys_dosave' } : { path: '/webapi/v3/sales/customer/add' });
    const e = await failure(adapter.createCustomer(customer(), { idempotencyKey: k }));
    expect(e.kind).toBe('unknown-outcome');
    expect(emu.state.saved()).toHaveLength(1); // it did commit
    const ref = await adapter.createCustomer(customer(), { idempotencyKey: k });
    expect(ref.remoteId).toBe(String(emu.state.saved()[0]!.ord));
    expect(ref.remoteCode).toBe(emu.state.saved()[0]!.fields.khid);
    expect(emu.state.saved()).toHaveLength(1);
    expect(emu.state.allocations).toBe(style === 'v1' ? 1 : 0);
  });

  it('a lost V3 add of a customer with no mobile or WeChat is still reconciled (exact name + contact)', async () => {
    const { emu, adapter } = await setup({ style, shape });
    const k = key();
    const c = customer({ phones: [], wechatId: undefined, company: '远方科技' });
    emu.control.dropNext(1, { path: style === 'v1' ? 'custom/add.asp' : '/webapi/v3/sales/customer/add', ...(style === 'v1' ? { cmdkey: '__sys_dosave' } : {}) });
    await failure(adapter.createCustomer(c, { idempotencyKey: k }));
    await adapter.createCustomer(c, { idempotencyKey: k });
    expect(emu.state.saved()).toHaveLength(1);
  });

  it('a 500 on the save is unknown-outcome; the retry saves once', async () => {
    const { emu, adapter } = await setup({ style, shape });
    const k = key();
    emu.control.failNext(1, style === 'v1' ? { path: 'custom/add.asp', cmdkey: '__sys_dosave' } : { path: '/webapi/v3/sales/customer/add' });
    expect((await failure(adapter.createCustomer(customer(), { idempotencyKey: k }))).kind).toBe('unknown-outcome');
    expect(emu.state.saved()).toHaveLength(0); // the 500 came before processing
    const ref = await adapter.createCustomer(customer(), { idempotencyKey: k });
    expect(emu.state.saved()).toHaveLength(1);
    expect(emu.state.allocations).toBe(style === 'v1' ? 1 : 0); // V1 reused the allocated ord
    expect(ref.remoteId).toBe(String(emu.state.saved()[0]!.ord));
  });

  it('a repeated create with the same key is answered from memory, without calling the ERP', async () => {
    const { emu, adapter, another } = await setup({ style, shape });
    const k = key();
    const ref = await adapter.createCustomer(customer(), { idempotencyKey: k });
    const before = emu.state.requests.length;
    // A restarted worker (new adapter instance, same persisted state) answers the same.
    expect(await another().createCustomer(customer(), { idempotencyKey: k })).toEqual(ref);
    expect(emu.state.requests.length).toBe(before);
  });

  it('an update of a customer deleted in the ERP is not-found', async () => {
    const { adapter } = await setup({ style, shape });
    await adapter.verify();
    expect((await failure(adapter.updateCustomer('424242', { grade: 'WHITE' }, { idempotencyKey: key() }))).kind).toBe('not-found');
    expect((await failure(adapter.updateCustomer('not-a-number', { grade: 'WHITE' }, { idempotencyKey: key() }))).kind).toBe('validation');
  });
});

describe('智邦 customers: V1 specifics', () => {
  it('a retried create after a lost save reuses the allocated ord even with no searchable key', async () => {
    const { emu, adapter, another } = await setup();
    const k = key();
    const c = customer({ phones: [], wechatId: undefined });
    emu.control.dropNext(1, { path: 'custom/add.asp', cmdkey: '__sys_dosave' });
    await failure(adapter.createCustomer(c, { idempotencyKey: k }));
    const ref = await another().createCustomer(c, { idempotencyKey: k });
    expect(emu.state.allocations).toBe(1);
    expect(emu.state.saved().map((x) => String(x.ord))).toEqual([ref.remoteId]);
  });

  it('without an explicit state store, the allocated ord is kept in the background database\'s kv table', async () => {
    const { emu, another } = await setup();
    const db = new LiaisonDb(`zb-kv-${key()}`);
    const k = key();
    const c = customer({ phones: [], wechatId: undefined });
    emu.control.dropNext(1, { path: 'custom/add.asp', cmdkey: '__sys_dosave' });
    await failure(another({ db, state: undefined }).createCustomer(c, { idempotencyKey: k }));
    expect((await db.kv.toArray()).map((r) => r.key)).toEqual([expect.stringMatching(/^zhibang:zb-.*:create:/)]);
    await another({ db, state: undefined }).createCustomer(c, { idempotencyKey: k });
    expect(emu.state.allocations).toBe(1);
    expect(emu.state.saved()).toHaveLength(1);
    db.close();
  });

  it('a lost allocation reply leaves only an orphan draft, never a second customer', async () => {
    const { emu, adapter } = await setup();
    const k = key();
    emu.control.dropNext(1, { path: 'custom/add.asp', cmdkey: '' });
    expect((await failure(adapter.createCustomer(customer(), { idempotencyKey: k }))).kind).toBe('unknown-outcome');
    await adapter.createCustomer(customer(), { idempotencyKey: k });
    expect(emu.state.saved()).toHaveLength(1);
    expect(emu.state.allocations).toBe(2);
  });

  it('several ERP customers matching one contact is a conflict for the user to resolve', async () => {
    const { emu, adapter } = await setup({ emu: { uniqueMobile: false } });
    await adapter.createCustomer(customer({ wechatId: undefined }), { idempotencyKey: key() });
    emu.control.setStrategy({ uniqueMobile: false });
    const other = emu.state.allocate(1);
    emu.state.commitCustomer(emu.state.customers.get(other)!, { name: '别家', sort1: '潜在客户', person_name: '某', mobile: '13800138000' });
    const e = await failure(adapter.createCustomer(customer({ wechatId: undefined }), { idempotencyKey: key() }));
    expect(e.kind).toBe('conflict');
    expect(emu.state.saved()).toHaveLength(2);
  });

  it('a personal customer (intsort 2) takes the person as 客户名称 and the company as 所在单位', async () => {
    const { emu, adapter } = await setup({ settings: { customerType: '2' } });
    await adapter.createCustomer(customer({ company: '星河贸易' }), { idempotencyKey: key() });
    expect(emu.state.saved()[0]).toMatchObject({ intsort: 2, fields: { name: '王小明', faren: '星河贸易' } });
  });
});
