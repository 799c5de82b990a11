import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../../lib/customers/create';
import { ValidationError } from '../../../lib/customers/errors';
import { useDb, at, connection, snapshot } from './helpers';

const t = useDb();
const now = at(2026, 3, 5);
const conv = { site: 'whatsapp', threadKey: '8613800138000@c.us' };

describe('createCustomer', () => {
  it('writes the customer, its chat mapping, the local link and the reminder together', async () => {
    const { db } = t;
    const c = await createCustomer(db, { conv, fields: { name: '张三', phones: ['138 0013 8000'], company: '', nextFollowUpAt: now + 3600_000 } }, now);

    expect(c).toMatchObject({ name: '张三', code: 'KH2026-0001', stage: '新客户', phones: ['+8613800138000'], nextFollowUpAt: now + 3600_000 });
    expect(c).not.toHaveProperty('company'); // '' means "not set"
    expect(c.searchKeys.length).toBeGreaterThan(0);
    expect(await db.identities.get([conv.site, conv.threadKey])).toMatchObject({ customerId: c.id });
    expect(await db.links.get([c.id, 'local'])).toMatchObject({ syncState: 'synced', remoteId: c.id, remoteCode: 'KH2026-0001' });
    expect(await db.reminders.where('customerId').equals(c.id).toArray()).toMatchObject([{ dueAt: now + 3600_000, state: 'due' }]);
    expect(await db.outbox.count()).toBe(0);
  });

  it('queues customer.create for an enabled remote connection, not for a disabled one or the local CRM', async () => {
    const { db } = t;
    await db.connections.bulkAdd([
      connection({ id: 'hub', enabled: true }),
      connection({ id: 'off', enabled: false }),
      connection({ id: 'local', kind: 'local', name: '本地 CRM' }),
    ]);
    const c = await createCustomer(db, { fields: { name: 'Tom' } }, now);
    const rows = await db.outbox.toArray();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ op: 'customer.create', connectionId: 'hub', entity: { table: 'customers', id: c.id }, state: 'pending', attempts: 0 });
    expect(rows[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(await db.links.get([c.id, 'hub'])).toMatchObject({ syncState: 'pending' });
    expect(await db.links.get([c.id, 'off'])).toBeUndefined();
  });

  it('writes nothing, and burns no code number, when a row fails midway', async () => {
    const { db } = t;
    await db.connections.add(connection({ id: 'hub' }));
    const before = await snapshot(db);
    // The outbox row is the last write before the reminder: make it throw.
    db.outbox.hook('creating', () => {
      throw new Error('disk full');
    });
    await expect(createCustomer(db, { conv, fields: { name: '张三', nextFollowUpAt: now } }, now)).rejects.toThrow('disk full');
    expect(await snapshot(db)).toEqual(before);
  });

  it('rolls back on an invalid row too (a connection id too long for a link)', async () => {
    const { db } = t;
    await db.connections.add(connection({ id: 'x'.repeat(150) }));
    const before = await snapshot(db);
    await expect(createCustomer(db, { conv, fields: { name: '张三' } }, now)).rejects.toThrow();
    expect(await snapshot(db)).toEqual(before);
    expect(await db.counters.count()).toBe(0);
  });

  it('rejects an invalid phone, naming it, and writes nothing', async () => {
    const { db } = t;
    const before = await snapshot(db);
    const err = await createCustomer(db, { conv, fields: { name: '李四', phones: ['13800138000', '12345'] } }, now).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.code).toBe('invalid');
    expect(err.message).toContain('invalid phone number: 12345');
    expect(await snapshot(db)).toEqual(before);
  });

  it('requires a name and a known stage', async () => {
    const { db } = t;
    await expect(createCustomer(db, { fields: { phones: [] } }, now)).rejects.toBeInstanceOf(ValidationError);
    await expect(createCustomer(db, { fields: { name: 'A', stage: '不存在' } }, now)).rejects.toThrow('unknown stage');
    expect(await db.customers.count()).toBe(0);
  });

  it('still creates a second customer with the same phone (the user chose to)', async () => {
    const { db } = t;
    await createCustomer(db, { fields: { name: 'A', phones: ['13800138000'] } }, now);
    const b = await createCustomer(db, { fields: { name: 'B', phones: ['+86 138-0013-8000'] } }, now);
    expect(b.code).toBe('KH2026-0002');
    expect(await db.customers.where('phones').equals('+8613800138000').count()).toBe(2);
  });
});
