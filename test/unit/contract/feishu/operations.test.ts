// Every port operation against the emulator: what lands in the tables, and the idempotency of creates.
import { describe, expect, it } from 'vitest';
import { CrmError } from '../../../../lib/crm/errors';
import { customer, deal, followUp, readyHarness } from './helpers';

describe('Feishu Bitable adapter: operations', () => {
  it('createCustomer writes seed 000’s fields in Feishu’s value formats, with 同步状态 已同步', async () => {
    const h = await readyHarness();
    const c = customer();
    const ref = await h.adapter.createCustomer(c, { idempotencyKey: 'outbox-1' });
    expect(ref).toEqual({ remoteId: expect.stringMatching(/^rec/), remoteCode: 'KH2026-0001' });
    const [rec] = h.emu.control.records(h.app, h.ids.customers);
    expect(rec!.fields).toEqual({
      客户ID: 'KH2026-0001', 姓名: '王小明', 电话: '+8613800138000', 微信号: 'wxm_2026', 来源渠道: '抖音', 意向产品: '信用贷', 意向金额: 200000,
      意向等级: '高', 贷款状态: '跟进中', 创建时间: c.createdAt, 最后联系: c.lastContactAt, 下次跟进: c.nextFollowUpAt, 备注: '想了解利率',
      标签: ['老客户', '抖音'], 搜索关键词: '深圳 信用贷', 同步状态: '已同步',
    });
    const search = h.emu.state.requests.find((r) => r.api === 'records.create')!;
    expect(search.code).toBe(0);
  });

  it('a repeated idempotency key returns the same record (client_token), never a duplicate', async () => {
    const h = await readyHarness();
    const c = customer();
    const a = await h.adapter.createCustomer(c, { idempotencyKey: 'outbox-entry-7' });
    const b = await h.another().createCustomer(c, { idempotencyKey: 'outbox-entry-7' });
    expect(b).toEqual(a);
    expect(h.emu.control.records(h.app, h.ids.customers)).toHaveLength(1);
    // A different key is a different create.
    await h.adapter.createCustomer(customer({ code: 'KH2026-0002' }), { idempotencyKey: 'outbox-entry-8' });
    expect(h.emu.control.records(h.app, h.ids.customers)).toHaveLength(2);
  });

  it('a key reused after the customer changed (1255006) reconciles to the record the first attempt made', async () => {
    const h = await readyHarness();
    const c = customer();
    const a = await h.adapter.createCustomer(c, { idempotencyKey: 'k-edit' });
    const b = await h.adapter.createCustomer({ ...c, name: '王晓明' }, { idempotencyKey: 'k-edit' });
    expect(b.remoteId).toBe(a.remoteId);
    expect(h.emu.state.requests.map((r) => `${r.api}:${r.code}`)).toEqual(['records.create:0', 'records.create:1255006', 'records.search:0']);
    expect(h.emu.control.records(h.app, h.ids.customers)).toHaveLength(1);
  });

  it('updateCustomer changes only the patched fields, clears empty ones, and marks 已同步; a gone record is not-found', async () => {
    const h = await readyHarness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    await h.adapter.updateCustomer(remoteId, { stage: '谈判中', amount: 300000, wechatId: undefined, tags: [] }, { idempotencyKey: 'u1' });
    const f = h.emu.control.records(h.app, h.ids.customers)[0]!.fields;
    expect(f).toMatchObject({ 贷款状态: '谈判中', 意向金额: 300000, 姓名: '王小明', 同步状态: '已同步' });
    expect(f).not.toHaveProperty('微信号');
    expect(f).not.toHaveProperty('标签');
    await expect(h.adapter.updateCustomer('recGone00000', { stage: '成交' }, { idempotencyKey: 'u2' })).rejects.toMatchObject({ kind: 'not-found', vendorCode: '1254043' });
  });

  it('findCustomers: by phone in any stored form, by 客户ID, by name, OR-ed, saying why', async () => {
    const h = await readyHarness();
    const [typed, written, other] = h.emu.control.addRecords(h.app, h.ids.customers, [
      { 姓名: '李雷', 电话: '13900139000', 客户ID: 'KH-A' }, // typed by hand: national digits
      { 姓名: '韩梅梅', 电话: '+8613700137000', 客户ID: 'KH-B' },
      { 姓名: '李小龙', 电话: '+8613600136000', 客户ID: 'KH-C' },
    ]);
    expect(await h.adapter.findCustomers({ phone: '+86 139-0013-9000' })).toEqual([
      { remoteId: typed, remoteCode: 'KH-A', name: '李雷', phones: ['+8613900139000'], matchedBy: ['phone'], fields: { code: 'KH-A' } },
    ]);
    expect((await h.adapter.findCustomers({ phone: '13700137000' })).map((r) => r.remoteId)).toEqual([written]);
    expect(await h.adapter.findCustomers({ code: 'KH-B', phone: '13600136000' })).toEqual([
      expect.objectContaining({ remoteId: written, matchedBy: ['code'] }),
      expect.objectContaining({ remoteId: other, matchedBy: ['phone'] }),
    ]);
    expect((await h.adapter.findCustomers({ name: '李' })).map((r) => r.remoteId).sort()).toEqual([typed, other].sort());
    expect(await h.adapter.findCustomers({ phone: '13500135000' })).toEqual([]);
    expect(await h.adapter.findCustomers({})).toEqual([]);
    const search = h.emu.state.requests.filter((r) => r.api === 'records.search');
    expect(search).toHaveLength(5); // one search per query, none for the empty one
  });

  it('addFollowUp and createDeal write linked records in 跟进记录表 / 成交记录表', async () => {
    const h = await readyHarness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'c' });
    const f = followUp({ by: 'ou_0123456789abcdef' });
    const fu = await h.adapter.addFollowUp(remoteId, f, { idempotencyKey: 'f' });
    expect(await h.adapter.addFollowUp(remoteId, f, { idempotencyKey: 'f' })).toEqual(fu);
    expect(h.emu.control.records(h.app, h.ids.followUps).map((r) => r.fields)).toEqual([
      { 记录ID: f.id, 客户ID: [remoteId], 跟进方式: '微信', 跟进内容: '客户问了抵押贷利率', 跟进结果: '有意向', 下次行动: '发方案', 下次时间: f.nextAt, 跟进时间: f.at, 跟进人: [{ id: 'ou_0123456789abcdef' }] },
    ]);
    const d = deal();
    const dl = await h.adapter.createDeal(remoteId, d, { idempotencyKey: 'd' });
    expect(dl.remoteId).toMatch(/^rec/);
    expect(h.emu.control.records(h.app, h.ids.deals)[0]!.fields).toEqual({
      成交ID: d.id, 客户ID: [remoteId], 产品名称: '抵押贷', 银行: '招商银行', 贷款金额: 1_000_000, 利率: 3.6, 期限: 36, 佣金: 10_000, 成交时间: d.closedAt, 状态: '已放款',
    });
    // A follow-up for a customer record that does not exist is refused (LinkFieldConvFail) as validation.
    await expect(h.adapter.addFollowUp('recNoSuch000', followUp(), { idempotencyKey: 'f2' })).rejects.toMatchObject({ kind: 'validation', vendorCode: '1254067' });
  });

  it('a display name as 跟进人 is left out (the person field takes open_ids only)', async () => {
    const h = await readyHarness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'c' });
    await h.adapter.addFollowUp(remoteId, followUp({ by: '张三' }), { idempotencyKey: 'f' });
    expect(h.emu.control.records(h.app, h.ids.followUps)[0]!.fields).not.toHaveProperty('跟进人');
  });

  it('createTask makes a Feishu task due at the reminder time, idempotently', async () => {
    const h = await readyHarness();
    const t = { title: '回访王小明', dueAt: Date.UTC(2026, 2, 6, 1), note: '问放款进度' };
    const a = await h.adapter.createTask('recCustomer1', t, { idempotencyKey: 'task-1' });
    const b = await h.adapter.createTask('recCustomer1', t, { idempotencyKey: 'task-1' });
    expect(b).toEqual(a);
    expect([...h.emu.state.tasks.values()]).toEqual([expect.objectContaining({ guid: a.remoteId, summary: '回访王小明', due: { timestamp: String(t.dueAt), is_all_day: false } })]);
  });

  it('an unknown field is a validation error NAMING the field (listed after the refusal)', async () => {
    const h = await readyHarness();
    const wrong = await readyHarnessLike(h, { mapping: { customer: { wechatId: '微信', amount: '备注' } } });
    const err = (await wrong.createCustomer(customer(), { idempotencyKey: 'x' }).catch((e: unknown) => e)) as CrmError;
    expect(err).toBeInstanceOf(CrmError);
    expect(err).toMatchObject({ kind: 'validation', vendorCode: '1254045' });
    expect(err.message).toContain('微信');
    expect(err.userMessage.zh_CN).toContain('「微信」');
    expect(err.message).not.toContain('wxm_2026'); // no customer data in errors
    const typeErr = (await (await readyHarnessLike(h, { mapping: { customer: { intentLevel: '意向金额' } } })).createCustomer(customer(), { idempotencyKey: 'y' }).catch((e: unknown) => e)) as CrmError;
    expect(typeErr).toMatchObject({ kind: 'validation', vendorCode: '1254061' });
    expect(typeErr.message).toContain('wrong type for: 意向金额');
  });
});

/** An adapter on the same emulator and Base with other settings. */
async function readyHarnessLike(h: Awaited<ReturnType<typeof readyHarness>>, settings: Record<string, unknown>) {
  const { harness } = await import('./helpers');
  const other = await harness({ emulator: h.emu, app: h.app, settings: { customers_table: h.ids.customers, ...settings } });
  return other.adapter;
}
