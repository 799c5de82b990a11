// The user's template mapping (WriteOptions.fields) against the emulated Base: values land in the
// tables' own fields typed as Bitable takes them (number, date ms, multi select, checkbox, phone,
// url, person), override the adapter's defaults, never touch 记录ID/成交ID or the links, and
// listFields shows the writable fields of the three tables.
import { describe, expect, it } from 'vitest';
import type { CrmError } from '../../../../lib/crm/errors';
import { customer, deal, followUp, harness, raw, rawToken, readyHarness } from './helpers';

type Harness = Awaited<ReturnType<typeof readyHarness>>;

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as CrmError);

/** Fields the user added to the recommended tables in the Base. */
async function ready() {
  const h = await readyHarness();
  const add = (table: string, field_name: string, type: number, property?: Record<string, unknown>) => h.emu.control.addField(h.app, table, { field_name, type, ...(property ? { property } : {}) });
  add(h.ids.customers, '贷款额度', 2);
  add(h.ids.customers, '首次联系', 5);
  add(h.ids.customers, '关注产品', 4, { options: [{ name: '信用贷' }, { name: '车贷' }] });
  add(h.ids.customers, '是否VIP', 7);
  add(h.ids.customers, '主页', 15);
  add(h.ids.customers, '客户经理', 11);
  add(h.ids.customers, '备用电话', 13);
  add(h.ids.customers, '综合评分', 20);
  add(h.ids.customers, '创建人', 1003);
  add(h.ids.followUps, '通话结果', 3, { options: [{ name: '接通' }, { name: '未接' }] });
  add(h.ids.deals, '放款银行', 1);
  add(h.ids.deals, '返点', 2);
  return h;
}

const rows = (h: Harness, table: string) => h.emu.control.records(h.app, table);
const writes = (h: Harness) => h.emu.state.requests.filter((r) => r.api.startsWith('records.') && r.api !== 'records.search');

describe('Bitable templates: values land typed', () => {
  it('customer: number, date, multi select, checkbox, url, person and phone cells from rendered text', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), {
      idempotencyKey: 'k1',
      fields: { 贷款额度: '200,000', 首次联系: '2026-03-05 09:30', 关注产品: '信用贷、车贷', 是否VIP: '是', 主页: 'https://example.com/wang', 客户经理: 'ou_7d8a6e6df7621556ce0d21922b676706', 备用电话: '+86 139-0013-9000' },
    });
    const rec = rows(h, h.ids.customers).find((r) => r.record_id === ref.remoteId)!;
    expect(rec.fields).toMatchObject({
      贷款额度: 200000, 首次联系: new Date(2026, 2, 5, 9, 30).getTime(), 关注产品: ['信用贷', '车贷'], 是否VIP: true,
      主页: { text: 'https://example.com/wang', link: 'https://example.com/wang' }, 客户经理: [{ id: 'ou_7d8a6e6df7621556ce0d21922b676706' }], 备用电话: '+8613900139000', 姓名: '王小明',
    });
  });

  it('follow-up and deal records: template values beside the link to the customer', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1' });
    const f = await h.adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k2', fields: { 通话结果: '接通' } });
    expect(rows(h, h.ids.followUps).find((r) => r.record_id === f.remoteId)!.fields).toMatchObject({ 通话结果: '接通', 客户ID: [ref.remoteId] });
    const d = await h.adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'k3', fields: { 放款银行: '招商银行 深圳分行', 返点: '1.5' } });
    expect(rows(h, h.ids.deals).find((r) => r.record_id === d.remoteId)!.fields).toMatchObject({ 放款银行: '招商银行 深圳分行', 返点: 1.5, 客户ID: [ref.remoteId] });
  });

  it('updateCustomer and batchCreateCustomers carry them too; a bad item fails alone, the rest is created', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1' });
    await h.adapter.updateCustomer(ref.remoteId, { stage: '谈判中' }, { idempotencyKey: 'k2', fields: { 是否VIP: 'false' } });
    expect(rows(h, h.ids.customers)[0]!.fields).toMatchObject({ 是否VIP: false, 贷款状态: '谈判中' });
    const results = await h.adapter.batchCreateCustomers([
      { customer: customer(), idempotencyKey: 'b1', fields: { 贷款额度: 5 } },
      { customer: customer(), idempotencyKey: 'b2', fields: { 贷款额度: 'lots' } },
      { customer: customer(), idempotencyKey: 'b3' },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect((results[1] as { error: CrmError }).error).toMatchObject({ kind: 'validation', vendorCode: 'TEMPLATE_VALUE' });
    expect(rows(h, h.ids.customers)).toHaveLength(3);
  });
});

describe('Bitable templates: override, reserved, conversion, unknown fields', () => {
  it('a template value replaces the adapter’s own for the same field (customer, follow-up, deal)', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1', fields: { 姓名: '王先生', 意向金额: '300000' } });
    expect(rows(h, h.ids.customers)[0]!.fields).toMatchObject({ 姓名: '王先生', 意向金额: 300000 });
    const f = await h.adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k2', fields: { 跟进内容: '【微信】客户问了利率', 跟进时间: '2026-03-06T08:00:00.000Z' } });
    expect(rows(h, h.ids.followUps).find((r) => r.record_id === f.remoteId)!.fields).toMatchObject({ 跟进内容: '【微信】客户问了利率', 跟进时间: Date.UTC(2026, 2, 6, 8) });
    const d = await h.adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'k3', fields: { 贷款金额: '1,500,000', 状态: '已取消' } });
    expect(rows(h, h.ids.deals).find((r) => r.record_id === d.remoteId)!.fields).toMatchObject({ 贷款金额: 1500000, 状态: '已取消' });
  });

  it('记录ID, 成交ID and the links (客户ID, the customer table’s back links) are refused as reserved; nothing is written', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k0' });
    h.emu.control.clearLog();
    const cases: [() => Promise<unknown>, string][] = [
      [() => h.adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k1', fields: { 记录ID: 'mine' } }), '记录ID'],
      [() => h.adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k2', fields: { 客户ID: 'recX' } }), '客户ID'],
      [() => h.adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'k3', fields: { 成交ID: 'd' } }), '成交ID'],
      [() => h.adapter.updateCustomer(ref.remoteId, {}, { idempotencyKey: 'k4', fields: { 跟进记录: 'recY' } }), '跟进记录'],
    ];
    for (const [p, field] of cases) {
      const e = await failure(p());
      expect(e, field).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
      expect(e!.message).toContain(field);
    }
    expect(writes(h)).toEqual([]);
  });

  it('a value that cannot become the field type is refused naming the field; a computed field is refused too; nothing is written', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k0' });
    h.emu.control.clearLog();
    const cases: [() => Promise<unknown>, string, string][] = [
      [() => h.adapter.createCustomer(customer(), { idempotencyKey: 'k1', fields: { 贷款额度: 'abc' } }), '贷款额度', 'TEMPLATE_VALUE'],
      [() => h.adapter.createCustomer(customer(), { idempotencyKey: 'k2', fields: { 是否VIP: 'maybe' } }), '是否VIP', 'TEMPLATE_VALUE'],
      [() => h.adapter.createCustomer(customer(), { idempotencyKey: 'k3', fields: { 备用电话: 'call me' } }), '备用电话', 'TEMPLATE_VALUE'],
      [() => h.adapter.createCustomer(customer(), { idempotencyKey: 'k4', fields: { 客户经理: '张三' } }), '客户经理', 'TEMPLATE_VALUE'],
      [() => h.adapter.createCustomer(customer(), { idempotencyKey: 'k5', fields: { 综合评分: '5' } }), '综合评分', 'FIELD_NOT_WRITABLE'],
      [() => h.adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k6', fields: { 跟进时间: '下周二' } }), '跟进时间', 'TEMPLATE_VALUE'],
      [() => h.adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'k7', fields: { 返点: '一点五' } }), '返点', 'TEMPLATE_VALUE'],
    ];
    for (const [p, field, code] of cases) {
      const e = await failure(p());
      expect(e, field).toMatchObject({ kind: 'validation', vendorCode: code });
      expect(e!.message).toContain(field);
    }
    expect(writes(h)).toEqual([]);
  });

  it('a field the table does not have reaches Bitable (1254045 FieldNameNotFound) and comes back as validation naming it', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k0' });
    h.emu.control.clearLog();
    const c = await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k1', fields: { 微信昵称: '小明' } }));
    expect(c).toMatchObject({ kind: 'validation', vendorCode: '1254045' });
    expect(c!.message).toContain('field(s) not in the table: 微信昵称');
    const f = await failure(h.adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k2', fields: { 心情: '好' } }));
    expect(f).toMatchObject({ kind: 'validation', vendorCode: '1254045' });
    const d = await failure(h.adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'k3', fields: { 支行: '南山' } }));
    expect(d).toMatchObject({ kind: 'validation', vendorCode: '1254045' });
    expect(writes(h).map((r) => `${r.api}:${r.code}`)).toEqual(['records.create:1254045', 'records.create:1254045', 'records.create:1254045']);
  });

  it('a field added after the list was cached is found by listing once more', async () => {
    const h = await ready();
    await h.adapter.listFields();
    h.emu.control.addField(h.app, h.ids.customers, { field_name: '新字段', type: 2 });
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1', fields: { 新字段: '7' } });
    expect(rows(h, h.ids.customers).find((r) => r.record_id === ref.remoteId)!.fields.新字段).toBe(7);
  });
});

describe('Bitable templates: listFields', () => {
  it('lists the writable fields of the three tables (the user’s own too, with options), without keys, links and computed fields; cached', async () => {
    const h = await ready();
    const list = await h.adapter.listFields();
    const names = (s: keyof typeof list) => list[s]!.map((f) => f.name);
    expect(names('customer')).toEqual(expect.arrayContaining(['客户ID', '姓名', '电话', '意向金额', '贷款额度', '关注产品', '是否VIP', '客户经理']));
    for (const hidden of ['跟进记录', '成交记录', '综合评分', '创建人']) expect(names('customer')).not.toContain(hidden);
    expect(list.customer!.find((f) => f.name === '关注产品')).toEqual({ name: '关注产品', type: 'multiSelect', options: ['信用贷', '车贷'] });
    expect(list.customer!.find((f) => f.name === '贷款额度')).toEqual({ name: '贷款额度', type: 'number' });
    expect(names('followUp')).toEqual(expect.arrayContaining(['跟进方式', '跟进内容', '跟进时间', '通话结果']));
    expect(names('followUp')).not.toContain('记录ID');
    expect(names('followUp')).not.toContain('客户ID');
    expect(names('deal')).toEqual(expect.arrayContaining(['产品名称', '贷款金额', '放款银行', '返点']));
    expect(names('deal')).not.toContain('成交ID');
    expect(names('deal')).not.toContain('客户ID');
    const lists = () => h.emu.state.requests.filter((r) => r.api === 'fields.list').length;
    expect(lists()).toBe(3);
    await h.adapter.listFields();
    await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1', fields: { 贷款额度: 1 } });
    expect(lists()).toBe(3);
  });

  it('pages through a table with more than 100 fields; a follow-up/deal table that is not there leaves its section out', async () => {
    const h = await ready();
    for (let i = 0; i < 110; i++) h.emu.control.addField(h.app, h.ids.customers, { field_name: `扩展${i}`, type: 1 });
    const other = h.another();
    const list = await other.listFields();
    expect(list.customer!.map((f) => f.name)).toContain('扩展109');
    expect(h.emu.state.requests.filter((r) => r.api === 'fields.list' && r.path.includes(h.ids.customers))).toHaveLength(2);

    // The user's own customer table and nothing else yet: follow-ups and deals are "not known".
    const emu = h.emu;
    const app = emu.control.createApp();
    const mine = emu.control.createTable(app, '我的客户', [{ field_name: '姓名', type: 1 }, { field_name: '手机', type: 13 }]);
    const h2 = await harness({ emulator: emu, app, settings: { tables_mode: 'existing', customers_table: mine } });
    expect(await h2.adapter.listFields()).toEqual({ customer: [{ name: '姓名', type: 'text' }, { name: '手机', type: 'phone' }] });
  });
});

describe('Feishu emulator: fields list and unknown fields', () => {
  it('列出字段: token required, pages of ≤ 100 (page_size beyond is refused), 1254041 for an unknown table', async () => {
    const h = await ready();
    const token = await rawToken(h.emu);
    const path = `/open-apis/bitable/v1/apps/${h.app}/tables/${h.ids.customers}/fields`;
    expect((await raw(h.emu, 'GET', path)).body.code).toBe(99991661);
    const first = await raw(h.emu, 'GET', `${path}?page_size=5`, undefined, token);
    expect(first.body).toMatchObject({ code: 0, data: { has_more: true } });
    expect(first.body.data.items).toHaveLength(5);
    const second = await raw(h.emu, 'GET', `${path}?page_size=100&page_token=${first.body.data.page_token}`, undefined, token);
    expect(second.body.data.items[0].field_name).toBe(h.emu.state.apps.get(h.app)!.tables.get(h.ids.customers)!.fields[5]!.field_name);
    expect((await raw(h.emu, 'GET', `${path}?page_size=101`, undefined, token)).body.code).toBe(99992402);
    expect((await raw(h.emu, 'GET', `/open-apis/bitable/v1/apps/${h.app}/tables/tblNope0000000/fields`, undefined, token)).body.code).toBe(1254041);
  });

  it('a record naming a field the table lacks is refused with 1254045 FieldNameNotFound (follow-up table)', async () => {
    const h = await ready();
    const token = await rawToken(h.emu);
    const r = await raw(h.emu, 'POST', `/open-apis/bitable/v1/apps/${h.app}/tables/${h.ids.followUps}/records`, { fields: { 跟进内容: 'x', 心情: '好' } }, token);
    expect(r.body).toMatchObject({ code: 1254045, msg: 'FieldNameNotFound' });
    expect(h.emu.control.records(h.app, h.ids.followUps)).toEqual([]);
  });
});
