import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../../lib/customers/create';
import { logFollowUp } from '../../../lib/customers/follow-up';
import { NotFoundError } from '../../../lib/customers/errors';
import { useDb, at, connection } from './helpers';

const t = useDb();
const now = at(2026, 3, 5, 10);
const HOUR = 3600_000;

describe('logFollowUp', () => {
  it('stores the follow-up, sets lastContactAt, and with nextAt sets the reminder and nextFollowUpAt', async () => {
    const { db } = t;
    const c = await createCustomer(db, { fields: { name: 'A' } }, now);
    const f = await logFollowUp(db, c.id, { method: '电话', content: '谈的很好', result: '有意向', nextAt: now + 48 * HOUR }, now, '小王');
    expect(f).toMatchObject({ customerId: c.id, method: '电话', origin: 'manual', at: now, by: '小王', nextAt: now + 48 * HOUR, messageIds: [] });
    expect(await db.followUps.get(f.id)).toEqual(f);
    expect(await db.customers.get(c.id)).toMatchObject({ lastContactAt: now, nextFollowUpAt: now + 48 * HOUR });
    expect(await db.reminders.where('customerId').equals(c.id).toArray()).toMatchObject([{ dueAt: now + 48 * HOUR, state: 'due' }]);
  });

  it('replaces an existing reminder when nextAt is given', async () => {
    const { db } = t;
    const c = await createCustomer(db, { fields: { name: 'A', nextFollowUpAt: now - HOUR } }, now - 2 * HOUR);
    await logFollowUp(db, c.id, { method: '微信', content: 'x', nextAt: now + 24 * HOUR }, now);
    const active = await db.reminders.where('customerId').equals(c.id).filter((r) => r.state !== 'done').toArray();
    expect(active).toMatchObject([{ dueAt: now + 24 * HOUR }]);
  });

  it('without nextAt marks a reminder due today done, but keeps one planned for a later day', async () => {
    const { db } = t;
    const due = await createCustomer(db, { fields: { name: 'due', nextFollowUpAt: now + HOUR } }, now);
    const later = await createCustomer(db, { fields: { name: 'later', nextFollowUpAt: now + 72 * HOUR } }, now);
    await logFollowUp(db, due.id, { method: '电话', content: 'called' }, now);
    await logFollowUp(db, later.id, { method: '电话', content: 'called' }, now);
    expect(await db.reminders.where('customerId').equals(due.id).toArray()).toMatchObject([{ state: 'done' }]);
    expect(await db.customers.get(due.id)).not.toHaveProperty('nextFollowUpAt');
    expect(await db.reminders.where('customerId').equals(later.id).toArray()).toMatchObject([{ state: 'due' }]);
    expect((await db.customers.get(later.id))?.nextFollowUpAt).toBe(now + 72 * HOUR);
  });

  it('a note that does not complete the reminder (the popup\'s quick note) leaves it due', async () => {
    const { db } = t;
    const due = await createCustomer(db, { fields: { name: 'due', nextFollowUpAt: now - HOUR } }, now - 2 * HOUR);
    await logFollowUp(db, due.id, { method: '其他', content: '客户说下周一回复', completesReminder: false }, now);
    expect(await db.reminders.where('customerId').equals(due.id).toArray()).toMatchObject([{ state: 'due', dueAt: now - HOUR }]);
    expect((await db.customers.get(due.id))?.nextFollowUpAt).toBe(now - HOUR);
    expect(await db.followUps.where('customerId').equals(due.id).count()).toBe(1);
  });

  it('does not move lastContactAt backwards for a back-dated entry', async () => {
    const { db } = t;
    const c = await createCustomer(db, { fields: { name: 'A' } }, now);
    await logFollowUp(db, c.id, { method: '电话', content: 'today' }, now);
    await logFollowUp(db, c.id, { method: '面谈', content: 'last week', at: now - 7 * 24 * HOUR }, now);
    expect((await db.customers.get(c.id))?.lastContactAt).toBe(now);
  });

  it('queues followUp.create for linked remote connections', async () => {
    const { db } = t;
    await db.connections.add(connection({ id: 'hub' }));
    const c = await createCustomer(db, { fields: { name: 'A' } }, now);
    const f = await logFollowUp(db, c.id, { method: '邮件', content: 'sent offer' }, now);
    const ops = (await db.outbox.toArray()).map((r) => [r.op, r.entity.id]);
    expect(ops).toHaveLength(2);
    expect(ops).toEqual(expect.arrayContaining([['customer.create', c.id], ['followUp.create', f.id]]));
  });

  it('rejects an unknown customer and writes nothing', async () => {
    const { db } = t;
    await expect(logFollowUp(db, 'nope', { method: '电话', content: 'x' }, now)).rejects.toBeInstanceOf(NotFoundError);
    expect(await db.followUps.count()).toBe(0);
  });
});
