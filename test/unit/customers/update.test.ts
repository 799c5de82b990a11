import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../../lib/customers/create';
import { updateCustomer } from '../../../lib/customers/update';
import { NotFoundError, ValidationError } from '../../../lib/customers/errors';
import { useDb, at, connection, snapshot } from './helpers';

const t = useDb();
const now = at(2026, 3, 5);

describe('updateCustomer', () => {
  it('recomputes search keys, clears emptied fields and sets updatedAt', async () => {
    const { db } = t;
    const c = await createCustomer(db, { fields: { name: 'Alice', company: 'Acme', phones: ['13800138000'] } }, now);
    expect(c.searchKeys).toContain('alice');
    const u = await updateCustomer(db, c.id, { name: 'Bob Smith', company: '', phones: ['13900139000'] }, now + 1000);
    expect(u).toMatchObject({ name: 'Bob Smith', phones: ['+8613900139000'], updatedAt: now + 1000, code: c.code, createdAt: now });
    expect(u).not.toHaveProperty('company');
    expect(u.searchKeys).toContain('bob');
    expect(u.searchKeys).not.toContain('alice');
    expect(u.searchKeys.some((k) => k.includes('13900139000'))).toBe(true);
    expect(await db.customers.get(c.id)).toEqual(u);
  });

  it('sets and clears the next follow-up through the reminder store', async () => {
    const { db } = t;
    const c = await createCustomer(db, { fields: { name: 'A' } }, now);
    await updateCustomer(db, c.id, { nextFollowUpAt: now + 5000 }, now);
    expect((await db.customers.get(c.id))?.nextFollowUpAt).toBe(now + 5000);
    expect(await db.reminders.where('state').equals('due').count()).toBe(1);
    await updateCustomer(db, c.id, { nextFollowUpAt: null }, now);
    expect(await db.customers.get(c.id)).not.toHaveProperty('nextFollowUpAt');
    expect(await db.reminders.where('state').equals('due').count()).toBe(0);
  });

  it('queues customer.update only for linked, enabled remote connections, once while pending', async () => {
    const { db } = t;
    const c = await createCustomer(db, { fields: { name: 'A' } }, now);
    // Connected after the customer was created: no link, so nothing to update there.
    await db.connections.bulkAdd([connection({ id: 'hub' }), connection({ id: 'late' }), connection({ id: 'off', enabled: false })]);
    await db.links.bulkAdd([
      { customerId: c.id, connectionId: 'hub', remoteId: 'r1', syncState: 'synced' },
      { customerId: c.id, connectionId: 'off', remoteId: 'r2', syncState: 'synced' },
    ]);
    await updateCustomer(db, c.id, { stage: '已联系' }, now);
    await updateCustomer(db, c.id, { stage: '跟进中' }, now); // coalesced: the worker sends the current row
    const rows = await db.outbox.toArray();
    expect(rows.map((r) => [r.op, r.connectionId])).toEqual([['customer.update', 'hub']]);
  });

  it('does not queue an update behind a pending create', async () => {
    const { db } = t;
    await db.connections.add(connection({ id: 'hub' }));
    const c = await createCustomer(db, { fields: { name: 'A' } }, now);
    await updateCustomer(db, c.id, { notes: 'x' }, now);
    expect((await db.outbox.toArray()).map((r) => r.op)).toEqual(['customer.create']);
  });

  it('rejects unknown customers and invalid input without writing', async () => {
    const { db } = t;
    await expect(updateCustomer(db, 'nope', { name: 'x' }, now)).rejects.toBeInstanceOf(NotFoundError);
    const c = await createCustomer(db, { fields: { name: 'A', phones: ['13800138000'] } }, now);
    const before = await snapshot(db);
    await expect(updateCustomer(db, c.id, { phones: ['abc'] }, now)).rejects.toThrow('invalid phone number: abc');
    await expect(updateCustomer(db, c.id, { email: 'not-an-email' }, now)).rejects.toBeInstanceOf(ValidationError);
    expect(await snapshot(db)).toEqual(before);
  });
});

describe('stage history', () => {
  it('a stage change is logged for the weekly report, in the same transaction; other edits are not', async () => {
    const { readStageChanges } = await import('../../../lib/stats/stage-log');
    const { db } = t;
    const c = await createCustomer(db, { fields: { name: '甲' } }, 1000);
    await updateCustomer(db, c.id, { notes: '无关的修改' }, 2000);
    await updateCustomer(db, c.id, { stage: '已联系' }, 3000);
    await updateCustomer(db, c.id, { stage: '已联系' }, 4000); // no change, no entry
    expect(await readStageChanges(db, {})).toEqual([expect.objectContaining({ customerId: c.id, from: '新客户', to: '已联系', at: 3000 })]);
  });
});
