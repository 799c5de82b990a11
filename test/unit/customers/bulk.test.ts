import { describe, expect, it } from 'vitest';
import { bulkUpdate, listCustomers, matchCustomerIds } from '../../../lib/customers/bulk';
import { createCustomer } from '../../../lib/customers/create';
import { readStageChanges } from '../../../lib/stats/stage-log';
import { useDb, at, connection } from './helpers';

const t = useDb();
const now = at(2026, 3, 5);

async function seed() {
  const { db } = t;
  const a = await createCustomer(db, { fields: { name: '张三丰', phones: ['13800138000'], tags: ['vip'], source: '抖音' } }, now - 3000);
  const b = await createCustomer(db, { fields: { name: '李四', tags: ['vip', '老客户'], nextFollowUpAt: now - 60_000 } }, now - 2000);
  const c = await createCustomer(db, { fields: { name: 'Tom', stage: '跟进中', source: '百度' } }, now - 1000);
  return { a, b, c };
}

describe('bulkUpdate', () => {
  it('changes stage through updateCustomer: outbox rows for linked enabled connections, stage log entries', async () => {
    const { db } = t;
    await db.connections.add(connection({ id: 'hub', enabled: true }));
    const { a, b, c } = await seed();
    // The creates are still pending: updateCustomer coalesces into them. Mark them sent.
    await db.outbox.toCollection().modify({ state: 'done' });
    const res = await bulkUpdate(db, [a.id, b.id, c.id, 'gone'], { stage: '跟进中' }, now);
    expect(res).toEqual({ updated: 2, unchanged: 1, missing: ['gone'] });
    const updates = (await db.outbox.toArray()).filter((e) => e.op === 'customer.update' && e.state === 'pending');
    expect(updates.map((e) => [e.entity.id, e.connectionId]).sort()).toEqual([[a.id, 'hub'], [b.id, 'hub']].sort());
    expect((await db.customers.get(a.id))?.stage).toBe('跟进中');
    expect((await readStageChanges(db)).map((s) => [s.customerId, s.from, s.to]).sort()).toEqual([[a.id, '新客户', '跟进中'], [b.id, '新客户', '跟进中']].sort());
  });

  it('adds and removes tags, sets owner and next follow-up, and rejects an unknown stage before writing', async () => {
    const { db } = t;
    const { a, b } = await seed();
    await bulkUpdate(db, [a.id, b.id], { addTags: ['重点'], removeTags: ['vip'], owner: '小王', nextFollowUpAt: now + 3_600_000 }, now);
    expect(await db.customers.get(a.id)).toMatchObject({ tags: ['重点'], owner: '小王', nextFollowUpAt: now + 3_600_000 });
    expect(await db.customers.get(b.id)).toMatchObject({ tags: ['老客户', '重点'] });
    expect(await db.reminders.where('customerId').equals(a.id).first()).toMatchObject({ dueAt: now + 3_600_000, state: 'due' });
    await expect(bulkUpdate(db, [a.id], { stage: '不存在' }, now)).rejects.toThrow('unknown stage');
  });

  // 205 customers created one by one: more than the default 5 s on a loaded 2-core machine.
  it('works across chunks', { timeout: 30_000 }, async () => {
    const { db } = t;
    const ids: string[] = [];
    for (let i = 0; i < 205; i++) ids.push((await createCustomer(db, { fields: { name: `c${i}` } }, now)).id);
    expect((await bulkUpdate(db, ids, { owner: 'x' }, now)).updated).toBe(205);
    expect(await db.customers.filter((c) => c.owner === 'x').count()).toBe(205);
  });
});

describe('listCustomers', () => {
  it('pages, sorts and filters by search (pinyin initials), stage, tag, source and due', async () => {
    const { db } = t;
    const { a, b, c } = await seed();
    const base = { sort: 'createdAt' as const, dir: 'asc' as const, offset: 0, limit: 10 };
    expect((await listCustomers(db, base)).rows.map((r) => r.id)).toEqual([a.id, b.id, c.id]);
    const page = await listCustomers(db, { ...base, dir: 'desc', offset: 1, limit: 1 });
    expect(page).toMatchObject({ total: 3, rows: [{ id: b.id }] });
    expect((await listCustomers(db, { ...base, query: 'zsf' })).rows.map((r) => r.name)).toEqual(['张三丰']);
    expect((await listCustomers(db, { ...base, query: '138 0013' })).rows.map((r) => r.name)).toEqual(['张三丰']);
    expect((await listCustomers(db, { ...base, stage: '跟进中' })).rows.map((r) => r.name)).toEqual(['Tom']);
    expect((await listCustomers(db, { ...base, tag: 'vip', sort: 'name' })).rows.map((r) => r.name)).toEqual(['张三丰', '李四'].sort());
    expect((await listCustomers(db, { ...base, source: '百度' })).total).toBe(1);
    expect((await listCustomers(db, { ...base, dueBefore: now })).rows.map((r) => r.id)).toEqual([b.id]);
    // Customers without a next follow-up sort last in both directions.
    expect((await listCustomers(db, { ...base, sort: 'nextFollowUpAt', dir: 'desc' })).rows[0]!.id).toBe(b.id);
    expect(await matchCustomerIds(db, { sort: 'name', dir: 'asc', tag: 'vip', stage: '新客户' })).toHaveLength(2);
    expect((await listCustomers(db, base)).rows[0]).not.toHaveProperty('searchKeys');
  });
});
