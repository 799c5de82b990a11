// The embedded local CRM: the port implemented over LiaisonDb (background only).
// Its CRM-side job is what 智邦 does server-side: allocating 客户编号 from a counter.
// Every write opens its own rw transaction, which nests into a caller's transaction when
// that one includes the same tables (lib/customers writes a customer, its links and outbox
// rows atomically through this adapter).
import { ZodError } from 'zod';
import { customerSchema, dealSchema, followUpSchema, type Customer } from '../../model';
import type { LiaisonDb } from '../../db/db';
import { deriveSearchKeys } from '../../search/keys';
import { normalizePhone } from '../../phone';
import { setNextFollowUp } from '../../reminders/store';
import { getSettings } from '../../settings/store';
import { codePrefix, formatCustomerCode, usesDeviceTag } from './code-format';
import { deviceTag } from './device-tag';
import { CrmError, type CrmAdapter, type CustomerPatch, type CustomerQuery, type RemoteCustomer, type RemoteRef } from '../port';

/**
 * The next 客户编号 for `format` at `now` (local time). The counter row is keyed by the
 * format's prefix, so a {YYYY} format restarts every year. Read-increment-write happens in one
 * rw transaction: IndexedDB serializes overlapping rw transactions, so concurrent creates
 * can't draw the same number. A code already taken (an imported customer) is skipped.
 */
export async function allocateCode(db: LiaisonDb, format: string, now: number): Promise<string> {
  const at = new Date(now);
  return db.transaction('rw', [db.counters, db.customers, db.kv], async () => {
    const device = usesDeviceTag(format) ? await deviceTag(db) : undefined;
    const key = codePrefix(format, at, device);
    let seq = (await db.counters.get(key))?.value ?? 0;
    let code: string;
    do {
      seq += 1;
      code = formatCustomerCode(format, at, seq, device);
    } while ((await db.customers.where('code').equals(code).count()) > 0);
    await db.counters.put({ key, value: seq });
    return code;
  });
}

/** Drops keys whose value is undefined: in a patch they mean "clear", and stored rows stay canonical. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function validRow<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof ZodError) throw new CrmError('validation', `local CRM: ${e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { cause: e });
    throw e;
  }
}

const refOf = (c: Customer): RemoteRef => ({ remoteId: c.id, remoteCode: c.code });

export function createLocalAdapter(db: LiaisonDb, now: () => number = Date.now): CrmAdapter {
  async function createCustomer(customer: Customer): Promise<RemoteRef> {
    return db.transaction('rw', [db.customers, db.counters, db.kv], async () => {
      // Idempotent by Liaison id: a retried create returns the first result.
      const existing = await db.customers.get(customer.id);
      if (existing) return refOf(existing);
      const code = customer.code || (await allocateCode(db, (await getSettings(db)).codeFormat, now()));
      const row = validRow(() => customerSchema.parse(compact({ ...customer, code, searchKeys: deriveSearchKeys({ ...customer, code }) })));
      await db.customers.add(row);
      return refOf(row);
    });
  }

  async function findCustomers(query: CustomerQuery): Promise<RemoteCustomer[]> {
    const found = new Map<string, RemoteCustomer>();
    const add = (rows: Customer[], why: string) => {
      for (const c of rows) {
        const hit = found.get(c.id) ?? {
          remoteId: c.id, remoteCode: c.code, name: c.name, phones: c.phones, matchedBy: [],
          ...(c.email ? { email: c.email } : {}), ...(c.company ? { company: c.company } : {}),
        };
        hit.matchedBy.push(why);
        found.set(c.id, hit);
      }
    };
    const phone = query.phone ? (normalizePhone(query.phone) ?? query.phone) : undefined;
    if (phone) add(await db.customers.where('phones').equals(phone).toArray(), 'phone');
    if (query.email) add(await db.customers.where('email').equalsIgnoreCase(query.email.trim()).toArray(), 'email');
    if (query.code) add(await db.customers.where('code').equals(query.code.trim()).toArray(), 'code');
    if (query.name?.trim()) add(await db.customers.where('name').startsWithIgnoreCase(query.name.trim()).limit(50).toArray(), 'name');
    return [...found.values()];
  }

  async function updateCustomer(remoteId: string, patch: CustomerPatch): Promise<RemoteRef> {
    return db.transaction('rw', [db.customers], async () => {
      const existing = await db.customers.get(remoteId);
      if (!existing) throw new CrmError('not-found', `local CRM: no customer ${remoteId}`);
      const merged = { ...existing, ...patch, id: existing.id, createdAt: existing.createdAt, updatedAt: now() };
      const row = validRow(() => customerSchema.parse(compact({ ...merged, searchKeys: deriveSearchKeys(merged) })));
      await db.customers.put(row);
      return refOf(row);
    });
  }

  return {
    async verify() {
      await db.customers.count(); // opens the database: the one thing that can fail locally
      return { account: db.name };
    },
    findCustomers,
    createCustomer,
    updateCustomer,
    async addFollowUp(remoteCustomerId, followUp) {
      const row = validRow(() => followUpSchema.parse({ ...followUp, customerId: remoteCustomerId }));
      await db.transaction('rw', [db.followUps], async () => {
        if (!(await db.followUps.get(row.id))) await db.followUps.add(row);
      });
      return { remoteId: row.id };
    },
    async createDeal(remoteCustomerId, deal) {
      const row = validRow(() => dealSchema.parse({ ...deal, customerId: remoteCustomerId }));
      await db.transaction('rw', [db.deals], async () => {
        if (!(await db.deals.get(row.id))) await db.deals.add(row);
      });
      return { remoteId: row.id };
    },
    // A local task is the customer's next follow-up reminder.
    async createTask(remoteCustomerId, task) {
      if (!(await db.customers.get(remoteCustomerId))) throw new CrmError('not-found', `local CRM: no customer ${remoteCustomerId}`);
      const reminder = await setNextFollowUp(db, remoteCustomerId, task.dueAt, now());
      if (!reminder) throw new CrmError('validation', 'local CRM: a task needs a due time');
      return { remoteId: reminder.id };
    },
    async batchCreateCustomers(items) {
      const out = [];
      for (const { customer } of items) {
        try {
          out.push({ ok: true as const, ref: await createCustomer(customer) });
        } catch (e) {
          out.push({ ok: false as const, error: e instanceof CrmError ? e : new CrmError('validation', String(e), { cause: e }) });
        }
      }
      return out;
    },
  };
}
