// Setup: seed 000's three tables with their fields, options and links; existing tables checked by name.
import { describe, expect, it } from 'vitest';
import { RECOMMENDED_TABLES } from '../../../../lib/crm/feishu-bitable/schema';
import { FIELD_TYPES } from '../../../emulators/feishu';
import { customer, followUp, harness } from './helpers';

describe('Feishu Bitable adapter: setup', () => {
  it('creates 客户信息表 / 跟进记录表 / 成交记录表 with the seed’s fields, types, options and 客户ID links', async () => {
    const h = await harness();
    const report = await h.adapter.setupRecommendedTables();
    expect(report).toMatchObject({ ok: true, usable: true, created: ['customers', 'followUps', 'deals'], missing: [], incompatible: [] });
    const app = h.emu.state.apps.get(h.app)!;
    const byName = (n: string) => [...app.tables.values()].find((t) => t.name === n)!;
    const customers = byName('客户信息表');
    const type = (t: typeof customers, f: string) => t.fields.find((x) => x.field_name === f)?.type;
    const options = (t: typeof customers, f: string) => t.fields.find((x) => x.field_name === f)?.property?.options?.map((o) => o.name);
    expect(customers.fields.slice(0, 17).map((f) => f.field_name)).toEqual(['姓名', '客户ID', '电话', '微信号', '来源渠道', '意向产品', '意向金额', '意向等级', '贷款状态', '创建时间', '最后联系', '下次跟进', '备注', '标签', '搜索关键词', '同步状态', '最后更新时间']);
    // 姓名 is the index field: an auto number may not be one (1254012).
    expect(customers.fields[0]).toMatchObject({ field_name: '姓名', is_primary: true });
    // 客户ID: Bitable's auto number, KH + year + "-" + 4 digits; 最后更新时间 for changesSince.
    expect(customers.fields[1]).toMatchObject({ type: FIELD_TYPES.autoNumber, property: { auto_serial: { type: 'custom' } } });
    expect(type(customers, '最后更新时间')).toBe(FIELD_TYPES.modifiedTime);
    expect(report.codeAuto).toBe(true);
    expect([type(customers, '电话'), type(customers, '意向金额'), type(customers, '创建时间'), type(customers, '标签'), type(customers, '来源渠道')]).toEqual([13, 2, 5, 4, 3]);
    expect(options(customers, '来源渠道')).toEqual(['抖音', '小红书', '百度', '转介绍', '其他']);
    expect(options(customers, '意向产品')).toEqual(['信用贷', '抵押贷', '车贷', '经营贷']);
    expect(options(customers, '意向等级')).toEqual(['高', '中', '低']);
    expect(options(customers, '贷款状态')).toEqual(['新客户', '已联系', '跟进中', '方案沟通', '谈判中', '成交', '流失']);
    expect(options(customers, '同步状态')).toEqual(['已同步', '待同步', '同步失败']);
    const follow = byName('跟进记录表');
    expect(follow.fields.map((f) => f.field_name)).toEqual(['记录ID', '客户ID', '跟进方式', '跟进内容', '跟进结果', '下次行动', '下次时间', '跟进时间', '跟进人']);
    expect(follow.fields[1]).toMatchObject({ type: FIELD_TYPES.duplexLink, property: { table_id: customers.table_id } });
    expect(options(follow, '跟进方式')).toEqual(expect.arrayContaining(['电话', '微信', '面谈', '其他']));
    expect(options(follow, '跟进结果')).toEqual(['有意向', '无意向', '待考虑', '已拒绝']);
    expect(type(follow, '跟进人')).toBe(FIELD_TYPES.user);
    const deals = byName('成交记录表');
    expect(deals.fields.map((f) => f.field_name)).toEqual(RECOMMENDED_TABLES.deals.fields.map((f) => f.name));
    expect(options(deals, '状态')).toEqual(expect.arrayContaining(['已放款', '已取消']));
    // The duplex links show up on the customers table too.
    expect(customers.fields.map((f) => f.field_name)).toEqual(expect.arrayContaining(['跟进记录', '成交记录']));
    expect(h.emu.state.requests.map((r) => r.api)).toEqual(['auth.tenant_access_token', 'tables.list', 'tables.create', 'tables.create', 'tables.create']);
  });

  it('running setup again creates nothing and finds the same tables', async () => {
    const h = await harness();
    const first = await h.adapter.setupRecommendedTables();
    const again = await h.another().setupRecommendedTables();
    expect(again).toMatchObject({ ok: true, created: [], tables: first.tables });
    expect(h.emu.state.apps.get(h.app)!.tables.size).toBe(3);
  });

  it('a Base made before 最后更新时间 was recommended gets it added by setup (once), and changes can then be read', async () => {
    const h = await harness();
    await h.adapter.setupRecommendedTables();
    const app = h.emu.state.apps.get(h.app)!;
    const customers = [...app.tables.values()].find((t) => t.name === '客户信息表')!;
    // An old Base: no modified-time field on 客户信息表.
    customers.fields = customers.fields.filter((f) => f.type !== FIELD_TYPES.modifiedTime);
    const old = h.another();
    const ref = await old.createCustomer(customer(), { idempotencyKey: 'k-old' });
    await expect(old.changesSince!({ since: 0 })).rejects.toMatchObject({ kind: 'unsupported' });

    const result = await h.another().prepare!();
    expect(result.created).toEqual(['客户信息表.最后更新时间']);
    expect(result.problems).toEqual([]);
    const added = customers.fields.filter((f) => f.type === FIELD_TYPES.modifiedTime);
    expect(added.map((f) => f.field_name)).toEqual(['最后更新时间']);
    const sent = h.emu.state.requests.filter((r) => r.api === 'fields.create');
    expect(sent).toHaveLength(1);
    // Reading changes works now, and finds the record made before the field existed.
    const page = await h.another().changesSince!({ since: 0 });
    expect(page.records.map((r) => r.remoteId)).toEqual([ref.remoteId]);
    // Setup again adds nothing.
    expect((await h.another().prepare!()).created).toEqual([]);
    expect(h.emu.state.requests.filter((r) => r.api === 'fields.create')).toHaveLength(1);
  });

  it('with no table ids in the settings, operations find the recommended tables by name', async () => {
    const h = await harness();
    await h.adapter.setupRecommendedTables();
    const fresh = h.another();
    const ref = await fresh.createCustomer(customer(), { idempotencyKey: 'k1' });
    await fresh.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k2' });
    expect(h.emu.state.requests.filter((r) => r.api === 'tables.list')).toHaveLength(2); // setup's, then one for the fresh instance
  });

  it('maps existing tables by field name and reports missing and mistyped fields clearly', async () => {
    const h = await harness();
    const c = h.emu.control;
    const customers = c.createTable(h.app, '客户', [
      { field_name: '姓名', type: FIELD_TYPES.text },
      { field_name: '意向金额', type: FIELD_TYPES.text }, // wrong type
      { field_name: '客户ID', type: FIELD_TYPES.text },
    ]);
    const follow = c.createTable(h.app, '跟进', [{ field_name: '记录ID', type: FIELD_TYPES.text }, { field_name: '客户ID', type: FIELD_TYPES.duplexLink, property: { table_id: customers } }]);
    const report = await h.adapter.mapExistingTables({ customers, followUps: follow });
    expect(report.ok).toBe(false);
    expect(report.usable).toBe(false); // 电话 is needed to dedupe
    expect(report.missing.filter((p) => p.table === 'customers').map((p) => p.field)).toEqual(['电话', '微信号', '来源渠道', '意向产品', '意向等级', '贷款状态', '创建时间', '最后联系', '下次跟进', '备注', '标签', '搜索关键词', '同步状态', '最后更新时间']);
    expect(report.missing.find((p) => p.field === '最后更新时间')).toMatchObject({ required: false, expectedType: FIELD_TYPES.modifiedTime });
    expect(report.codeAuto).toBe(false); // a text 客户ID: Liaison's codes
    expect(report.missing.find((p) => p.field === '电话')).toMatchObject({ required: true, expectedType: 13, tableName: '客户信息表' });
    expect(report.incompatible).toEqual([expect.objectContaining({ table: 'customers', field: '意向金额', expectedType: 2, actualType: 1 })]);
    expect(report.missing.filter((p) => p.table === 'followUps').map((p) => p.field)).toEqual(['跟进方式', '跟进内容', '跟进结果', '下次行动', '下次时间', '跟进时间', '跟进人']);
    expect(report.omitFields).toContain('意向金额');
  });

  it('with omit_fields from the report, writes skip what the tables lack', async () => {
    const h0 = await harness();
    const customers = h0.emu.control.createTable(h0.app, '客户', [{ field_name: '姓名', type: FIELD_TYPES.text }, { field_name: '电话', type: FIELD_TYPES.phone }, { field_name: '客户ID', type: FIELD_TYPES.text }]);
    const report = await h0.adapter.mapExistingTables({ customers });
    expect(report.usable).toBe(true);
    // Without the omissions Feishu refuses the write, and the adapter names the first missing fields.
    const strict = await harness({ emulator: h0.emu, app: h0.app, settings: { customers_table: customers } });
    await expect(strict.adapter.createCustomer(customer(), { idempotencyKey: 'k0' })).rejects.toMatchObject({ kind: 'validation', vendorCode: '1254045' });
    const h = await harness({ emulator: h0.emu, app: h0.app, settings: { customers_table: customers, omit_fields: report.omitFields } });
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1' });
    expect(h0.emu.control.records(h0.app, customers).find((r) => r.record_id === ref.remoteId)!.fields).toEqual({ 客户ID: 'KH2026-0001', 姓名: '王小明', 电话: '+8613800138000' });
  });
});
