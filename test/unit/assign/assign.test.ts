// 分配 in the database: the 负责人 written (and queued to the CRMs holding the customer), the
// log that counts workload, and the outbox rows that carry 客户指派 (智邦) and 通知销售人员
// (DingTalk, WeCom) — queued only where the member has an id there, the rest reported.
import { afterEach, describe, expect, it } from 'vitest';
import { assignCustomer, autoAssign } from '../../../lib/assign/assign';
import { assignmentView } from '../../../lib/assign/handlers';
import { getTeam, LOG_KEY, readLog, saveTeam, TEAM_KEY } from '../../../lib/assign/store';
import { DEFAULT_TEAM, type TeamSettingsInput } from '../../../lib/assign/team';
import { createCustomer } from '../../../lib/customers/create';
import { LiaisonDb } from '../../../lib/db/db';
import type { Connection, OutboxEntry } from '../../../lib/model';

let db: LiaisonDb;
afterEach(async () => db?.delete());

const conn = (id: string, kind: string, name: string): Connection => ({ id, kind, name, enabled: true, settings: {}, createdAt: 0 });
const T = Date.UTC(2026, 11, 6, 2);

async function setup(team: Partial<TeamSettingsInput> = {}) {
  db = new LiaisonDb('t-' + crypto.randomUUID());
  await db.connections.bulkPut([conn('erp', 'zhibang', '智邦ERP'), conn('dd', 'dingtalk', '钉钉'), conn('wx', 'wecom', '企业微信')]);
  await saveTeam(db, {
    ...DEFAULT_TEAM,
    mode: 'manual',
    members: [
      { id: 'li', name: '李娜', active: true, products: ['抵押贷'], accounts: { erp: '63', dd: 'lina01' } },
      { id: 'wang', name: '王强', active: true, accounts: { erp: '64', dd: 'wangqiang01', wx: 'WangQiang' } },
    ],
    ...team,
  });
  const c = await createCustomer(db, { fields: { name: '王小明', phones: ['13800138000'], product: '抵押贷' } }, T);
  return c;
}
const assignRows = async () => (await db.outbox.toArray()).filter((e: OutboxEntry) => e.op === 'customer.assign' || e.op === 'person.notify');

describe('assignCustomer', () => {
  it('by hand: 负责人 set (and queued as an update where the customer is), logged, 客户指派 on 智邦, 通知 on DingTalk and WeCom', async () => {
    const c = await setup();
    const r = await assignCustomer(db, { customerId: c.id, memberId: 'wang' }, T + 1000);
    expect(r.customer.owner).toBe('王强');
    expect((await db.customers.get(c.id))?.owner).toBe('王强');
    expect(r.assignment).toEqual({ customerId: c.id, memberId: 'wang', name: '王强', reason: 'manual', at: T + 1000 });
    expect(r.queued.map((q) => `${q.connectionId} ${q.op}`).sort()).toEqual(['dd person.notify', 'erp customer.assign', 'wx person.notify']);
    const rows = await assignRows();
    expect(rows.map((e) => [e.connectionId, e.op, e.assignee, e.state])).toEqual(
      expect.arrayContaining([
        ['erp', 'customer.assign', { memberId: 'wang', name: '王强', userId: '64' }, 'pending'],
        ['dd', 'person.notify', { memberId: 'wang', name: '王强', userId: 'wangqiang01' }, 'pending'],
        ['wx', 'person.notify', { memberId: 'wang', name: '王强', userId: 'WangQiang' }, 'pending'],
      ]),
    );
    // The CRMs holding the customer get the 负责人 through the mapping: its create is still queued, so it carries it.
    expect((await readLog(db)).map((a) => a.memberId)).toEqual(['wang']);
    expect(r.missingIds).toEqual([]);
  });

  it('a member without an id on a connection: nothing queued there, the connection reported', async () => {
    const c = await setup();
    const r = await assignCustomer(db, { customerId: c.id, memberId: 'li' }, T);
    expect(r.queued.map((q) => `${q.connectionId} ${q.op}`).sort()).toEqual(['dd person.notify', 'erp customer.assign']);
    expect(r.missingIds).toEqual(['wx']);
    expect((await assignmentView(db, c.id, r.missingIds)).missingIds).toEqual(['wx']);
  });

  it('no 客户指派 where the customer is not (no link), no 通知 when notifyOwner is off', async () => {
    const c = await setup({ notifyOwner: false });
    await db.links.delete([c.id, 'erp']);
    const r = await assignCustomer(db, { customerId: c.id, memberId: 'wang' }, T);
    expect(r.queued).toEqual([]);
    expect(await assignRows()).toEqual([]);
  });

  it('auto: the rules pick (产品线 here), workload counts the log; an owned customer is left alone', async () => {
    const c = await setup({ mode: 'auto' });
    const r = await autoAssign(db, c.id, T);
    expect(r?.assignment).toMatchObject({ memberId: 'li', reason: 'product' });
    expect(await autoAssign(db, c.id, T + 1)).toBeUndefined(); // already has 负责人
    const plain = await createCustomer(db, { fields: { name: '赵六', phones: [] } }, T + 2);
    // No product rule matches: the least loaded (王强 has none, 李娜 one).
    expect((await autoAssign(db, plain.id, T + 3))?.assignment).toMatchObject({ memberId: 'wang', reason: 'workload' });
  });

  it('auto high-value only: waits until the customer qualifies', async () => {
    const c = await setup({ mode: 'auto', when: 'highValue', minIntent: '高' });
    expect(await autoAssign(db, c.id, T)).toBeUndefined();
    await db.customers.update(c.id, { intentLevel: '高' });
    expect((await autoAssign(db, c.id, T))?.assignment.memberId).toBe('li');
  });

  it('refuses clearly: assignment off, unknown or inactive member, nobody active; nothing written', async () => {
    const c = await setup({ mode: 'off' });
    await expect(assignCustomer(db, { customerId: c.id, memberId: 'wang' }, T)).rejects.toThrow(/未启用客户分配/);
    await saveTeam(db, { ...(await getTeam(db)).team, mode: 'manual', members: [{ id: 'x', name: 'X', active: false }] });
    await expect(assignCustomer(db, { customerId: c.id, memberId: 'nobody' }, T)).rejects.toThrow(/no such team member/);
    await expect(assignCustomer(db, { customerId: c.id, memberId: 'x' }, T)).rejects.toThrow(/inactive/);
    await expect(assignCustomer(db, { customerId: c.id, memberId: 'auto' }, T)).rejects.toThrow(/no active member/);
    expect((await db.customers.get(c.id))?.owner).toBeUndefined();
    expect(await readLog(db)).toEqual([]);
    expect(await assignRows()).toEqual([]);
  });

  it('a doctored team in storage reads as off with the problem named; a doctored log row is skipped', async () => {
    const c = await setup({ mode: 'auto' });
    await db.kv.put({ key: TEAM_KEY, value: { mode: 'auto', members: 'everyone' } });
    const read = await getTeam(db);
    expect(read.team.mode).toBe('off');
    expect(read.problem).toMatch(/members/);
    expect(await autoAssign(db, c.id, T)).toBeUndefined();
    await expect(assignCustomer(db, { customerId: c.id, memberId: 'auto' }, T)).rejects.toThrow(/团队设置无法读取/);
    await db.kv.put({ key: LOG_KEY, value: [{ customerId: 'a', memberId: 'li', name: '李娜', reason: 'manual', at: 1 }, { evil: '<img onerror>' }] });
    expect((await readLog(db)).map((a) => a.customerId)).toEqual(['a']);
  });
});
