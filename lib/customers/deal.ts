// Create a deal (成交记录 / 商机), from the sidebar's "创建成交?" or an automation rule: the row
// and one outbox entry per connected CRM that keeps deals are written in ONE transaction, so a
// deal never exists locally without being queued for the CRMs that should have it.
import { dealSchema, type Deal, type Connection } from '../model';
import type { DealInput } from '../messaging/protocol';
import type { LiaisonDb } from '../db/db';
import { findSpec } from '../crm/registry';
import { outboxEntry, remoteConnections } from './sync';
import { NotFoundError, ValidationError } from './errors';

/** A CRM without deals (task tools, WeCom) gets no entry; an unknown kind is queued (as in sync.ts). */
export function keepsDeals(c: Connection): boolean {
  const caps = findSpec(c.kind)?.capabilities;
  const deals: string | undefined = caps?.deals;
  return deals !== 'none';
}

export async function createDeal(db: LiaisonDb, customerId: string, input: DealInput, now: number): Promise<Deal> {
  const parsed = dealSchema.safeParse({
    id: crypto.randomUUID(),
    customerId,
    product: input.product.trim(),
    ...(input.amount !== undefined ? { amount: input.amount } : {}),
    ...(input.institution ? { institution: input.institution } : {}),
    ...(input.rate !== undefined ? { rate: input.rate } : {}),
    ...(input.termMonths !== undefined ? { termMonths: input.termMonths } : {}),
    status: input.status ?? '进行中',
    ...(input.status === '已放款' ? { closedAt: now } : {}),
    createdAt: now,
  });
  if (!parsed.success || !parsed.data.product) throw new ValidationError('成交信息无效 / invalid deal');
  const row = parsed.data;
  return db.transaction('rw', [db.deals, db.customers, db.links, db.outbox, db.connections], async () => {
    if (!(await db.customers.get(customerId))) throw new NotFoundError(`客户不存在 / no such customer: ${customerId}`);
    await db.deals.add(row);
    for (const c of await remoteConnections(db)) {
      // Only CRMs that hold (or are about to hold) this customer: the worker waits for its remote id.
      if (!keepsDeals(c) || !(await db.links.get([customerId, c.id]))) continue;
      await db.outbox.add(outboxEntry('deal.create', { table: 'deals', id: row.id }, c.id, now));
    }
    await db.customers.update(customerId, { updatedAt: now });
    return row;
  });
}
