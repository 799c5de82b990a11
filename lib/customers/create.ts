// Create a customer (sidebar "新建客户"): the row, its chat mapping, its links and outbox
// entries and its reminder are written in ONE transaction, so a crash or an invalid row
// leaves nothing half-made (no customer without its outbox entry, no burnt code number).
import { LOCAL_CONNECTION_ID, linkSchema, type Customer } from '../model';
import type { ConvRef, CustomerInput } from '../messaging/protocol';
import type { LiaisonDb } from '../db/db';
import { allocateCode, createLocalAdapter, compact } from '../crm/local/adapter';
import { linkConversation } from '../identity';
import { setNextFollowUp } from '../reminders/store';
import { getSettings } from '../settings/store';
import { customerFieldsFrom } from './fields';
import { connectionsForNewCustomer, outboxEntry, supports } from './sync';
import { NotFoundError, ValidationError } from './errors';

export async function createCustomer(
  db: LiaisonDb,
  req: { conv?: ConvRef; fields: CustomerInput; /** The chat's category (销售线索…): the routing strategy picks CRMs by it. */ category?: string | null },
  now: number,
): Promise<Customer> {
  const settings = await getSettings(db);
  // Validation happens before the transaction: an invalid phone writes nothing.
  const fields = customerFieldsFrom(req.fields, settings);
  if (!fields.name) throw new ValidationError('客户名称必填 / name is required');
  const nextAt = req.fields.nextFollowUpAt ?? undefined;
  const id = crypto.randomUUID();
  const draft: Customer = compact({
    id,
    code: '', // allocated by the local CRM inside the transaction
    name: fields.name,
    phones: [],
    tags: [],
    stage: settings.stages[0] ?? '新客户',
    ...fields,
    createdAt: now,
    updatedAt: now,
    searchKeys: [],
  });
  // A phone another customer already has is allowed: the user chose to create; the resolver
  // offers both as candidates afterwards instead of guessing.

  const tables = [db.customers, db.counters, db.kv, db.identities, db.links, db.outbox, db.connections, db.reminders];
  return db.transaction('rw', tables, async () => {
    const targets = (await connectionsForNewCustomer(db, { category: req.category ?? null })).filter((c) => supports(c, 'createCustomer'));
    // Seed 003 方案B: a CRM that allocates 客户编号 will assign the real one; until then a temporary code (WX20261205001), marked as such.
    if (!draft.code && targets.some((c) => c.settings.codeMaster === true)) {
      draft.code = await allocateCode(db, settings.tempCodeFormat, now);
      draft.codeTemporary = true;
    }
    const ref = await createLocalAdapter(db, () => now).createCustomer(draft, { idempotencyKey: id });
    // linkConversation's transaction (identities, customers, kv) joins this one.
    if (req.conv) await linkConversation(db, req.conv, id, now);
    await db.links.put(
      linkSchema.parse({ customerId: id, connectionId: LOCAL_CONNECTION_ID, remoteId: ref.remoteId, remoteCode: ref.remoteCode, syncState: 'synced', lastSyncedAt: now }),
    );
    // WeCom cannot create customers (they are added in WeChat, linked by matching later): not a target.
    for (const c of targets) {
      await db.links.put(linkSchema.parse({ customerId: id, connectionId: c.id, syncState: 'pending' }));
      await db.outbox.add(outboxEntry('customer.create', { table: 'customers', id }, c.id, now));
    }
    if (nextAt !== undefined) await setNextFollowUp(db, id, nextAt, now);
    const saved = await db.customers.get(id);
    if (!saved) throw new NotFoundError(`customer ${id} vanished during create`);
    return saved;
  });
}
