// The user's template mapping (WriteOptions.fields) against the NocoDB emulator: values land in
// the tables' own columns typed by uidt, override the adapter's defaults, never touch Id, 记录ID,
// 成交ID or the links, and listFields shows the writable columns. NocoDB itself never refuses an
// unknown column or a bad number (it drops the key, or stores the text: checked against 0.301.3),
// so the adapter refuses them before sending.
import { describe, expect, it } from 'vitest';
import { CrmError } from '../../../../lib/crm/errors';
import type { Deal, FollowUp } from '../../../../lib/model';
import type { EmColumn, NocodbEmulator } from '../../../emulators/nocodb/index';
import { customer, key, rig, HOST } from './helpers';

async function caught(p: Promise<unknown>): Promise<CrmError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(CrmError);
  return e as CrmError;
}

let n = 0;
const column = (title: string, uidt: string, options?: string[]): EmColumn => ({ id: `cx${++n}`, title, uidt, ...(options ? { colOptions: { options: options.map((o) => ({ title: o })) } } : {}) });

/** The recommended tables plus columns the user added in NocoDB. */
async function ready() {
  const r = rig();
  await r.adapter.setupRecommendedTables();
  const t = (title: string) => r.em.tableByTitle(title)!;
  t('客户').columns.push(
    column('贷款额度', 'Decimal'), column('到访次数', 'Number'), column('是否VIP', 'Checkbox'), column('首次联系', 'DateTime'), column('生日', 'Date'),
    column('关注产品', 'MultiSelect', ['信用贷', '车贷']), column('评分', 'Formula'),
  );
  t('跟进记录').columns.push(column('通话结果', 'SingleSelect', ['接通', '未接']));
  t('成交记录').columns.push(column('放款银行', 'SingleLineText'), column('返点', 'Decimal'));
  return { ...r, t };
}

const followUp = (over: Partial<FollowUp> = {}): FollowUp => ({ id: `f-${++n}`, customerId: 'c', method: '电话', content: '约面谈', at: Date.UTC(2026, 2, 5, 1), origin: 'manual', messageIds: [], ...over });
const deal = (over: Partial<Deal> = {}): Deal => ({ id: `d-${++n}`, customerId: 'c', product: '抵押贷', amount: 1_000_000, status: '进行中', createdAt: 0, ...over });
const posts = (em: NocodbEmulator) => em.requests.filter((r) => r.method !== 'GET');

describe('NocoDB templates: values land typed', () => {
  it('customer: decimal, whole number, checkbox, date-time, date and multi select from rendered text', async () => {
    const { em, adapter, t } = await ready();
    await adapter.createCustomer(customer({ phones: ['+8613800138000'] }), {
      idempotencyKey: key(),
      fields: { 贷款额度: '200,000.5', 到访次数: '3', 是否VIP: '是', 首次联系: '2026-03-05T01:30:00.000Z', 生日: '1990年5月1日', 关注产品: '信用贷；车贷' },
    });
    expect(t('客户').rows[0]).toMatchObject({ 贷款额度: 200000.5, 到访次数: 3, 是否VIP: true, 首次联系: '2026-03-05 01:30:00+00:00', 生日: '1990-05-01', 关注产品: '信用贷,车贷' });
    void em;
  });

  it('follow-up and deal rows: template values beside the link to the customer', async () => {
    const { adapter, t } = await ready();
    const ref = await adapter.createCustomer(customer({ phones: ['+8613800138000'] }), { idempotencyKey: key() });
    await adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: key(), fields: { 通话结果: '接通' } });
    expect(t('跟进记录').rows[0]).toMatchObject({ 通话结果: '接通', 客户: { Id: Number(ref.remoteId) } });
    await adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: key(), fields: { 放款银行: '招商银行', 返点: '1.5' } });
    expect(t('成交记录').rows[0]).toMatchObject({ 放款银行: '招商银行', 返点: 1.5, 客户: { Id: Number(ref.remoteId) } });
  });

  it('updateCustomer and batchCreateCustomers carry them too; a bad item fails alone', async () => {
    const { adapter, t } = await ready();
    const ref = await adapter.createCustomer(customer({ phones: ['+8613800138000'] }), { idempotencyKey: key() });
    await adapter.updateCustomer(ref.remoteId, { stage: '谈判中' }, { idempotencyKey: key(), fields: { 是否VIP: 'no' } });
    expect(t('客户').rows[0]).toMatchObject({ 是否VIP: false, 客户阶段: '谈判中' });
    const results = await adapter.batchCreateCustomers([
      { customer: customer({ phones: ['+8613700137001'] }), idempotencyKey: key(), fields: { 到访次数: 2 } },
      { customer: customer({ phones: ['+8613700137002'] }), idempotencyKey: key(), fields: { 到访次数: 'twice' } },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect((results[1] as { error: CrmError }).error).toMatchObject({ kind: 'validation', vendorCode: 'TEMPLATE_VALUE' });
    expect(t('客户').rows).toHaveLength(2);
  });
});

describe('NocoDB templates: override, reserved, conversion, unknown columns', () => {
  it('a template value replaces the adapter’s own for the same column (customer, follow-up, deal)', async () => {
    const { adapter, t } = await ready();
    const ref = await adapter.createCustomer(customer({ phones: ['+8613800138000'], name: '王小明' }), { idempotencyKey: key(), fields: { 姓名: '王先生', 意向金额: '300000' } });
    expect(t('客户').rows[0]).toMatchObject({ 姓名: '王先生', 意向金额: 300000 });
    await adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: key(), fields: { 跟进内容: '【电话】约了面谈' } });
    expect(t('跟进记录').rows[0]).toMatchObject({ 跟进内容: '【电话】约了面谈' });
    await adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: key(), fields: { 成交金额: '1,500,000', 状态: '已取消' } });
    expect(t('成交记录').rows[0]).toMatchObject({ 成交金额: 1500000, 状态: '已取消' });
  });

  it('Id, 记录ID, 成交ID and the link columns are refused as reserved; nothing is written', async () => {
    const { em, adapter } = await ready();
    const ref = await adapter.createCustomer(customer({ phones: ['+8613800138000'] }), { idempotencyKey: key() });
    const before = posts(em).length;
    const cases: [() => Promise<unknown>, string][] = [
      [() => adapter.createCustomer(customer(), { idempotencyKey: key(), fields: { Id: 7 } }), 'Id'],
      [() => adapter.updateCustomer(ref.remoteId, {}, { idempotencyKey: key(), fields: { 跟进记录: '1' } }), '跟进记录'],
      [() => adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: key(), fields: { 记录ID: 'mine' } }), '记录ID'],
      [() => adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: key(), fields: { 客户: '9' } }), '客户'],
      [() => adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: key(), fields: { 成交ID: 'd' } }), '成交ID'],
    ];
    for (const [p, field] of cases) {
      const e = await caught(p());
      expect(e, field).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
      expect(e.message).toContain(field);
    }
    expect(posts(em).length).toBe(before);
  });

  it('a value that cannot become the column type is refused naming the column (NocoDB would store it as text); computed columns too', async () => {
    const { em, adapter } = await ready();
    const ref = await adapter.createCustomer(customer({ phones: ['+8613800138000'] }), { idempotencyKey: key() });
    const before = posts(em).length;
    const cases: [() => Promise<unknown>, string, string][] = [
      [() => adapter.createCustomer(customer(), { idempotencyKey: key(), fields: { 贷款额度: 'abc' } }), '贷款额度', 'TEMPLATE_VALUE'],
      [() => adapter.createCustomer(customer(), { idempotencyKey: key(), fields: { 到访次数: '2.5' } }), '到访次数', 'TEMPLATE_VALUE'],
      [() => adapter.createCustomer(customer(), { idempotencyKey: key(), fields: { 是否VIP: 'maybe' } }), '是否VIP', 'TEMPLATE_VALUE'],
      [() => adapter.createCustomer(customer(), { idempotencyKey: key(), fields: { 评分: '5' } }), '评分', 'FIELD_NOT_WRITABLE'],
      [() => adapter.createCustomer(customer(), { idempotencyKey: key(), fields: { CreatedAt: '2026-01-01' } }), 'CreatedAt', 'FIELD_NOT_WRITABLE'],
      [() => adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: key(), fields: { 跟进时间: '下周' } }), '跟进时间', 'TEMPLATE_VALUE'],
      [() => adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: key(), fields: { 返点: 'high' } }), '返点', 'TEMPLATE_VALUE'],
    ];
    for (const [p, field, code] of cases) {
      const e = await caught(p());
      expect(e, field).toMatchObject({ kind: 'validation', vendorCode: code });
      expect(e.message).toContain(field);
    }
    // A select value outside the options is refused by the adapter's select check, as for its own values.
    expect((await caught(adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: key(), fields: { 通话结果: '占线' } }))).vendorCode).toBe('SELECT_OPTION');
    expect(posts(em).length).toBe(before);
  });

  it('a column the table lacks is refused naming it (NocoDB would drop it silently), after reading the columns once more', async () => {
    const { em, adapter, t } = await ready();
    const ref = await adapter.createCustomer(customer({ phones: ['+8613800138000'] }), { idempotencyKey: key() });
    const before = em.requests.length;
    const e = await caught(adapter.createCustomer(customer(), { idempotencyKey: key(), fields: { 微信昵称: '小明' } }));
    expect(e).toMatchObject({ kind: 'validation', vendorCode: 'UNKNOWN_COLUMN' });
    expect(e.message).toContain('微信昵称');
    expect(em.requests.slice(before).map((r) => `${r.method} ${r.path.replace(/\/m\w+$/, '/:id')}`)).toEqual(['GET /api/v2/meta/tables/:id']);
    expect((await caught(adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: key(), fields: { 心情: '好' } }))).vendorCode).toBe('UNKNOWN_COLUMN');
    expect((await caught(adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: key(), fields: { 支行: '南山' } }))).vendorCode).toBe('UNKNOWN_COLUMN');
    // Added in NocoDB since: found on that second read.
    t('客户').columns.push(column('微信昵称', 'SingleLineText'));
    await adapter.createCustomer(customer({ phones: ['+8613900139000'] }), { idempotencyKey: key(), fields: { 微信昵称: '小明' } });
    expect(t('客户').rows.at(-1)).toMatchObject({ 微信昵称: '小明' });
  });
});

describe('NocoDB templates: listFields', () => {
  it('lists the writable columns of the three tables (the user’s own too), without Id, system columns, keys and links', async () => {
    const { em, make } = await ready();
    const adapter = make(); // a new instance: the columns added after setup are read now
    const list = await adapter.listFields();
    const names = (s: keyof typeof list) => list[s]!.map((f) => f.name);
    expect(names('customer')).toEqual(expect.arrayContaining(['姓名', '电话', '意向产品', '贷款额度', '关注产品', '是否VIP']));
    // 客户编号 is NocoDB's Formula on the row id (the team's codes): nobody writes it.
    for (const hidden of ['Id', 'CreatedAt', 'UpdatedAt', 'nc_created_by', 'nc_order', '评分', '跟进记录', '成交记录', '客户编号']) expect(names('customer')).not.toContain(hidden);
    expect(list.customer!.find((f) => f.name === '关注产品')).toEqual({ name: '关注产品', type: 'MultiSelect', options: ['信用贷', '车贷'] });
    expect(names('followUp')).toEqual(expect.arrayContaining(['跟进方式', '跟进内容', '通话结果']));
    for (const hidden of ['记录ID', '客户', 'Id']) expect(names('followUp')).not.toContain(hidden);
    expect(names('deal')).toEqual(expect.arrayContaining(['产品名称', '成交金额', '放款银行']));
    for (const hidden of ['成交ID', '客户']) expect(names('deal')).not.toContain(hidden);
    // Read once per table, then fresh for five minutes: the editor asking again costs nothing.
    const metaReads = () => em.requests.filter((r) => r.path.startsWith('/api/v2/meta/tables/')).length;
    const reads = metaReads();
    await adapter.listFields();
    expect(metaReads()).toBe(reads);
  });

  it('a connection with only its own customer table lists that section alone', async () => {
    const { em, make } = rig();
    const res = await em.fetch(`${HOST}/api/v2/meta/bases/${em.baseId}/tables`, { method: 'POST', headers: { 'xc-token': em.token, 'content-type': 'application/json' }, body: JSON.stringify({ title: '我的客户', columns: [{ title: '姓名', uidt: 'SingleLineText' }] }) });
    const { id } = (await res.json()) as { id: string };
    expect(await make({ customers_table: id }).listFields()).toEqual({ customer: [{ name: '姓名', type: 'SingleLineText' }] });
  });
});

describe('NocoDB emulator: like 0.301.3', () => {
  it('drops a key that names no column and stores a text in a Number column (no error) — why the adapter checks first', async () => {
    const { em, t } = await ready();
    const table = t('客户');
    const res = await em.fetch(`${HOST}/api/v2/tables/${table.id}/records`, { method: 'POST', headers: { 'xc-token': em.token, 'content-type': 'application/json' }, body: JSON.stringify({ 姓名: 'x', 不存在: 'y', 到访次数: 'abc' }) });
    expect(res.status).toBe(200);
    expect(table.rows[0]).toMatchObject({ 姓名: 'x', 到访次数: 'abc' });
    expect(table.rows[0]).not.toHaveProperty('不存在');
  });

  it('lists system columns (system: true) and the primary key (pk) in the table meta', async () => {
    const { em, t } = await ready();
    const res = await em.fetch(`${HOST}/api/v2/meta/tables/${t('客户').id}`, { headers: { 'xc-token': em.token } });
    const meta = (await res.json()) as { columns: EmColumn[] };
    expect(meta.columns.filter((c) => c.system).map((c) => c.title)).toEqual(['CreatedAt', 'UpdatedAt', 'nc_created_by', 'nc_updated_by', 'nc_order']);
    expect(meta.columns.find((c) => c.pk)?.title).toBe('Id');
    expect((await em.fetch(`${HOST}/api/v2/meta/tables/${t('客户').id}`)).status).toBe(401);
  });
});
