// Follow-ups (洽谈进展), opportunities (项目/商机), assignment (客户指派) and enum lists.
import { describe, expect, it } from 'vitest';
import { CrmError } from '../../../../lib/crm/errors';
import { erpDateTime, INTRO_MAX } from '../../../../lib/crm/zhibang/follow-up';
import { splitTrace } from '../../../../lib/crm/zhibang/trace';
import type { FollowUp } from '../../../../lib/model';
import { customer, deal, DEFAULT, followUp, hits, key, setup } from './helpers';

const failure = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(CrmError);
  return e as CrmError;
};

describe.each(['body', 'data'] as const)('智邦 follow-ups, deals, assignment (reply under "%s")', (shape) => {
  async function withCustomer() {
    const s = await setup({ shape });
    const ref = await s.adapter.createCustomer(customer(), { idempotencyKey: key() });
    return { ...s, ord: ref.remoteId };
  }

  it.each([
    ['电话', 481],
    ['邮件', 482],
    ['面谈', 483],
    ['微信', 484],
    ['其他', 484],
  ] as const)('method %s → sort %i', async (method, sort) => {
    const { emu, adapter, ord } = await withCustomer();
    const k = key();
    const ref = await adapter.addFollowUp(ord, followUp({ method: method as FollowUp['method'] }), { idempotencyKey: k });
    // The content, then the trace line carrying the outbox key (follow-up.ts).
    expect(emu.state.followUps).toMatchObject([{ ord: Number(ord), sort, plantype: 0, intro: `客户询问信用贷的利率\n[Liaison ${k.replace(/-/g, '')}]` }]);
    expect(ref.remoteId).toBe(String(emu.state.followUps[0]!.id));
  });

  it('logs the summary with the result, clipped to 1000 characters without splitting a character', async () => {
    const { emu, adapter, ord } = await withCustomer();
    await adapter.addFollowUp(ord, followUp({ summary: '客户想要报价', result: '有意向' }), { idempotencyKey: key() });
    expect(splitTrace(emu.state.followUps[0]!.intro).content).toBe('【有意向】客户想要报价');
    const k = key();
    await adapter.addFollowUp(ord, followUp({ content: '😀'.repeat(1500) }), { idempotencyKey: k });
    const long = emu.state.followUps[1]!.intro;
    expect([...long]).toHaveLength(INTRO_MAX); // the trace included: the ERP's limit holds
    expect(splitTrace(long)).toEqual({ content: expect.stringMatching(/…$/), key: k });
    expect(long).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no lone high surrogate
  });

  it('a next follow-up time becomes a pending schedule (plantype 1)', async () => {
    const { emu, adapter, ord } = await withCustomer();
    const nextAt = new Date(2026, 2, 6, 10, 30).getTime();
    await adapter.addFollowUp(ord, followUp({ nextAt, nextAction: '发送报价单' }), { idempotencyKey: key() });
    expect(emu.state.followUps[0]).toMatchObject({ plantype: 1, schedule: { title: '发送报价单', start: '2026-03-06 10:30:00', end: '2026-03-06 11:30:00' } });
    expect(erpDateTime(nextAt)).toBe('2026-03-06 10:30:00');
  });

  it('a confirmed follow-up is not sent again for the same key', async () => {
    const { emu, adapter, another, ord } = await withCustomer();
    const k = key();
    const f = followUp();
    const a = await adapter.addFollowUp(ord, f, { idempotencyKey: k });
    expect(await another().addFollowUp(ord, f, { idempotencyKey: k })).toEqual(a);
    expect(emu.state.followUps).toHaveLength(1);
  });

  it('a follow-up for a customer the ERP no longer has is not-found; a 500 on it is unknown-outcome', async () => {
    const { emu, adapter, ord } = await withCustomer();
    expect((await failure(adapter.addFollowUp('424242', followUp(), { idempotencyKey: key() }))).kind).toBe('not-found');
    emu.control.failNext(1, { path: 'reply.asp' });
    expect((await failure(adapter.addFollowUp(ord, followUp(), { idempotencyKey: key() }))).kind).toBe('unknown-outcome');
  });

  it('creates an opportunity (chance/add.asp) from a deal, once per key', async () => {
    const { emu, adapter, ord } = await withCustomer();
    const k = key();
    const ref = await adapter.createDeal(ord, deal({ closedAt: new Date(2026, 3, 1).getTime() }), { idempotencyKey: k });
    expect(emu.state.chances).toMatchObject([{ company: Number(ord), title: '信用贷（招商银行）', money: '200000.00', date1: '2026-04-01' }]);
    expect(emu.state.chances[0]!.intro).toContain('利率：3.6%');
    expect(ref.remoteId).toBe(String(emu.state.chances[0]!.ord));
    await adapter.createDeal(ord, deal(), { idempotencyKey: k });
    expect(emu.state.chances).toHaveLength(1);
  });

  it('assigns a customer to users or to everyone (order.asp)', async () => {
    const { emu, adapter, ord } = await withCustomer();
    await adapter.assignCustomer(ord, { userIds: [String(DEFAULT.id)] });
    await adapter.assignCustomer(ord, { publicToAll: true });
    expect(emu.state.assignments).toMatchObject([
      { ord: Number(ord), member1: 0, member2: [DEFAULT.id] },
      { ord: Number(ord), member1: 1, member2: [] },
    ]);
    expect((await failure(adapter.assignCustomer(ord, { userIds: ['999'] }))).message).toContain('不存在');
    expect((await failure(adapter.assignCustomer(ord, { userIds: [] }))).kind).toBe('validation');
  });

  it('assignOwner (负责人 from lib/assign): the customer assigned to that one ERP user; a retry assigns the same again', async () => {
    const { emu, adapter, ord } = await withCustomer();
    await adapter.assignOwner!(ord, String(DEFAULT.id), { idempotencyKey: key() });
    await adapter.assignOwner!(ord, String(DEFAULT.id), { idempotencyKey: key() });
    expect(emu.state.assignments).toMatchObject([
      { ord: Number(ord), member1: 0, member2: [DEFAULT.id] },
      { ord: Number(ord), member1: 0, member2: [DEFAULT.id] },
    ]);
    expect((await failure(adapter.assignOwner!(ord, 'zhangsan', { idempotencyKey: key() }))).kind).toBe('validation');
  });

  it('loads the enum lists users pick from (13 来源, 98 洽谈方式, 14 价值评估), cached', async () => {
    const { emu, adapter } = await setup({ shape });
    const enums = await adapter.loadEnums();
    expect(enums.sources).toContainEqual({ id: '1001', name: '微信咨询' });
    expect(enums.sources).toContainEqual({ id: '173', name: '陌生开发' });
    expect(enums.followUpMethods.map((o) => o.id)).toEqual(['481', '482', '483', '484']);
    expect(enums.valueLevels).toContainEqual({ id: '175', name: '很高' });
    await adapter.loadEnums();
    expect(hits(emu, 'source.asp')).toBe(3);
  });

  it("offers 默认客户来源 by name from the installation's 客户来源 list (and nothing for other fields)", async () => {
    const { adapter } = await setup({ shape });
    const choices = await adapter.fieldChoices!('defaultSource');
    expect(choices).toContainEqual({ value: '1001', label: '微信咨询' });
    expect(choices).toContainEqual({ value: '173', label: '陌生开发' });
    expect(await adapter.fieldChoices!('defaultSort1')).toBeUndefined();
  });

  it('tasks are unsupported (reminders travel as follow-up schedules)', async () => {
    const { adapter, ord } = await withCustomer();
    expect((await failure(adapter.createTask(ord, { title: '回电', dueAt: Date.now() }, { idempotencyKey: key() }))).kind).toBe('unsupported');
  });
});
