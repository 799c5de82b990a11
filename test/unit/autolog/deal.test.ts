import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../../lib/customers/create';
import { createDeal } from '../../../lib/customers/deal';
import { NotFoundError, ValidationError } from '../../../lib/customers/errors';
import { useDb, at, connection } from '../customers/helpers';

const t = useDb();
const now = at(2026, 3, 5, 10);

describe('createDeal', () => {
  it('writes the deal and one outbox row per linked connection that keeps deals, in one transaction', async () => {
    const { db } = t;
    await db.connections.bulkPut([connection({ id: 'zb', kind: 'zhibang', name: '智邦' }), connection({ id: 'off', kind: 'zhibang', enabled: false })]);
    const c = await createCustomer(db, { fields: { name: '张伟' } }, now);
    const deal = await createDeal(db, c.id, { product: '经营贷', amount: 500_000 }, now);
    expect(deal).toMatchObject({ customerId: c.id, product: '经营贷', amount: 500_000, status: '进行中', createdAt: now });
    expect(await db.deals.get(deal.id)).toEqual(deal);
    const rows = await db.outbox.filter((e) => e.op === 'deal.create').toArray();
    expect(rows).toMatchObject([{ connectionId: 'zb', entity: { table: 'deals', id: deal.id }, state: 'pending' }]);
  });

  it('skips CRMs without deals and customers not in that CRM', async () => {
    const { db } = t;
    const c = await createCustomer(db, { fields: { name: 'A' } }, now);
    // Added after the customer: no link, so no row (the sync layer links existing customers).
    await db.connections.put(connection({ id: 'zb', kind: 'zhibang' }));
    await createDeal(db, c.id, { product: '车贷' }, now);
    expect(await db.outbox.filter((e) => e.op === 'deal.create').count()).toBe(0);
  });

  it('writes nothing for an unknown customer or an invalid deal', async () => {
    const { db } = t;
    await expect(createDeal(db, 'nope', { product: '车贷' }, now)).rejects.toBeInstanceOf(NotFoundError);
    const c = await createCustomer(db, { fields: { name: 'A' } }, now);
    await expect(createDeal(db, c.id, { product: '车贷', amount: -1 }, now)).rejects.toBeInstanceOf(ValidationError);
    expect(await db.deals.count()).toBe(0);
  });
});
