import { describe, expect, it } from 'vitest';
import { createLocalAdapter } from '../../../lib/crm/local/adapter';
import { CrmError } from '../../../lib/crm/port';
import { createCustomer } from '../../../lib/customers/create';
import type { Customer } from '../../../lib/model';
import { useDb, at } from '../customers/helpers';

const t = useDb();
const now = at(2026, 3, 5);

const draft = (over: Partial<Customer> = {}): Customer => ({
  id: crypto.randomUUID(), code: '', name: 'Draft', phones: [], tags: [], stage: '新客户', createdAt: now, updatedAt: now, searchKeys: [], ...over,
});

describe('local CRM adapter', () => {
  it('finds customers by phone (any format), email, code and name prefix, saying why', async () => {
    const { db } = t;
    const a = await createCustomer(db, { fields: { name: '王小明', phones: ['13800138000'], email: 'wang@x.cn' } }, now);
    const b = await createCustomer(db, { fields: { name: '王大锤' } }, now);
    const local = createLocalAdapter(db, () => now);
    expect((await local.findCustomers({ phone: '138-0013-8000' })).map((r) => r.remoteId)).toEqual([a.id]);
    expect(await local.findCustomers({ email: 'WANG@x.cn' })).toMatchObject([{ remoteId: a.id, remoteCode: a.code, matchedBy: ['email'] }]);
    expect((await local.findCustomers({ code: b.code })).map((r) => r.remoteId)).toEqual([b.id]);
    expect((await local.findCustomers({ name: '王' })).map((r) => r.remoteId).sort()).toEqual([a.id, b.id].sort());
    expect(await local.findCustomers({ phone: '13800138000', name: '王小' })).toMatchObject([{ remoteId: a.id, matchedBy: ['phone', 'name'] }]);
    expect(await local.findCustomers({ phone: '13900000000' })).toEqual([]);
  });

  it('creates idempotently by id, allocating a code only when none is given', async () => {
    const { db } = t;
    const local = createLocalAdapter(db, () => now);
    const d = draft();
    const first = await local.createCustomer(d, { idempotencyKey: 'k' });
    const again = await local.createCustomer({ ...d, name: 'changed' }, { idempotencyKey: 'k' });
    expect(again).toEqual(first);
    expect(first.remoteCode).toBe('KH2026-0001');
    expect(await db.customers.count()).toBe(1);
    expect(await local.createCustomer(draft({ code: 'ERP-9' }), { idempotencyKey: 'k2' })).toMatchObject({ remoteCode: 'ERP-9' });
  });

  it('classifies bad data as validation and a missing record as not-found', async () => {
    const local = createLocalAdapter(t.db, () => now);
    await expect(local.createCustomer(draft({ name: 'x'.repeat(300) }), { idempotencyKey: 'k' })).rejects.toMatchObject({ kind: 'validation' });
    const e = await local.updateCustomer('missing', { name: 'x' }, { idempotencyKey: 'k' }).catch((x) => x);
    expect(e).toBeInstanceOf(CrmError);
    expect(e.kind).toBe('not-found');
  });

  it('records follow-ups, deals and tasks once, and batch-creates', async () => {
    const { db } = t;
    const local = createLocalAdapter(db, () => now);
    const c = await createCustomer(db, { fields: { name: 'A' } }, now);
    const f = { id: 'f1', customerId: 'ignored', method: '电话' as const, content: 'x', at: now, origin: 'manual' as const, messageIds: [] };
    await local.addFollowUp(c.id, f, { idempotencyKey: 'f1' });
    await local.addFollowUp(c.id, f, { idempotencyKey: 'f1' });
    expect(await db.followUps.toArray()).toMatchObject([{ id: 'f1', customerId: c.id }]);
    await local.createDeal(c.id, { id: 'd1', customerId: c.id, product: '车贷', status: '进行中', createdAt: now }, { idempotencyKey: 'd1' });
    expect(await db.deals.count()).toBe(1);
    const task = await local.createTask(c.id, { title: '回访', dueAt: now + 1000 }, { idempotencyKey: 't' });
    expect((await db.reminders.get(task.remoteId))?.dueAt).toBe(now + 1000);
    expect((await db.customers.get(c.id))?.nextFollowUpAt).toBe(now + 1000);

    const results = await local.batchCreateCustomers!([
      { customer: draft({ name: 'B1' }), idempotencyKey: '1' },
      { customer: draft({ name: '' , stage: 'x'.repeat(60) }), idempotencyKey: '2' },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(await local.verify()).toEqual({ account: db.name });
  });
});
