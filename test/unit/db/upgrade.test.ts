// Schema v1 → v2: customers get searchKeys. Seeds a v1 database with plain Dexie (as the
// shipped v1 code would have written it), then opens it with today's LiaisonDb.
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { LiaisonDb, SCHEMA_V1, SCHEMA_V2 } from '../../../lib/db/db';
import { deriveSearchKeys } from '../../../lib/search/keys';

const v1Customers = [
  { id: 'c1', code: 'KH2026-0001', name: '张三', company: '腾讯科技', phones: ['+8613800138000'], stage: '新客户', tags: [], createdAt: 1, updatedAt: 10 },
  { id: 'c2', code: 'KH2026-0002', name: '赵四', phones: [], wechatId: 'zhaosi', stage: '跟进中', tags: ['vip'], createdAt: 2, updatedAt: 20 },
  { id: 'c3', code: 'L20261121-001', name: 'John Smith', phones: ['+14155552671'], email: 'John@Example.com', stage: '新客户', tags: [], createdAt: 3, updatedAt: 30 },
];
const v1Identities = [{ site: 'whatsapp', key: '8613800138000@c.us', customerId: 'c1', createdAt: 5 }];
const v1Links = [{ customerId: 'c1', connectionId: 'local', remoteCode: 'KH2026-0001', syncState: 'synced', lastSyncedAt: 6 }];
const v1Outbox = [
  {
    id: 'o1',
    op: 'customer.create',
    entity: { table: 'customers', id: 'c2' },
    connectionId: 'feishu',
    idempotencyKey: 'customer.create:c2',
    attempts: 2,
    nextAttemptAt: 99,
    state: 'pending',
    lastError: 'rate limited',
    createdAt: 7,
  },
];

let n = 0;
const opened: Dexie[] = [];

async function seedV1(): Promise<string> {
  const name = `upgrade-test-${++n}`;
  const v1 = new Dexie(name);
  v1.version(1).stores(SCHEMA_V1);
  opened.push(v1);
  await v1.open();
  await v1.table('customers').bulkAdd(v1Customers);
  await v1.table('identities').bulkAdd(v1Identities);
  await v1.table('links').bulkAdd(v1Links);
  await v1.table('outbox').bulkAdd(v1Outbox);
  v1.close();
  return name;
}

afterEach(async () => {
  for (const d of opened.splice(0)) await d.delete();
});

describe('schema v1 → v2', () => {
  it('derives searchKeys for every customer and indexes them', async () => {
    const name = await seedV1();
    const db = new LiaisonDb(name);
    opened.push(db);
    await db.open();
    expect(db.verno).toBe(4);

    const customers = await db.customers.orderBy('id').toArray();
    expect(customers).toHaveLength(v1Customers.length);
    for (const [i, c] of customers.entries()) {
      const before = v1Customers[i]!;
      expect(c).toEqual({ ...before, searchKeys: deriveSearchKeys(before) });
      expect(c.searchKeys.length).toBeGreaterThan(0);
    }
    expect(customers[0]!.searchKeys).toEqual(expect.arrayContaining(['张三', 'zs', 'zhangsan', '13800138000', '8613800138000', 'kh2026-0001']));

    // multiEntry: a customer comes back once per matching key (kh2026-0001 and kh20260001)
    const ids = async (prefix: string) => [...new Set(await db.customers.where('searchKeys').startsWith(prefix).primaryKeys())].sort();
    expect(await ids('zs')).toEqual(['c1', 'c2']); // 张三 zs, 赵四 zs
    expect(await ids('zhangsan')).toEqual(['c1']);
    expect(await ids('415555')).toEqual(['c3']);
    expect(await ids('john@')).toEqual(['c3']);
    expect(await ids('kh2026')).toEqual(['c1', 'c2']);
    expect(await ids('nobody')).toEqual([]);
  });

  it('leaves identities, links and outbox rows untouched', async () => {
    const name = await seedV1();
    const db = new LiaisonDb(name);
    opened.push(db);
    expect(await db.identities.toArray()).toEqual(v1Identities);
    expect(await db.links.toArray()).toEqual(v1Links);
    expect(await db.outbox.toArray()).toEqual(v1Outbox);
    // and their v1 indexes still answer
    expect(await db.identities.where('customerId').equals('c1').count()).toBe(1);
    expect(await db.outbox.where('[state+nextAttemptAt]').between(['pending', 0], ['pending', 100]).count()).toBe(1);
  });

  it('indexes searchKeys of customers written after the upgrade', async () => {
    // The upgrade runs once: from then on the writer derives the keys (lib/search/keys).
    const name = await seedV1();
    const db = new LiaisonDb(name);
    opened.push(db);
    const c = { ...v1Customers[0]!, id: 'c4', name: '王五', searchKeys: deriveSearchKeys({ ...v1Customers[0]!, name: '王五' }) };
    await db.customers.add(c);
    expect(await db.customers.where('searchKeys').startsWith('ww').primaryKeys()).toEqual(['c4']);
  });
});

describe('schema v2 → v3 (the CRM read back)', () => {
  it('keeps v2 rows as they were and indexes links by remote id, follow-ups and deals by their CRM refs', async () => {
    const name = `upgrade-test-${++n}`;
    const v2 = new Dexie(name);
    v2.version(2).stores(SCHEMA_V2);
    opened.push(v2);
    await v2.open();
    const link = { customerId: 'c1', connectionId: 'noco', remoteId: '42', remoteCode: 'KH2025001', syncState: 'synced', lastSyncedAt: 6 };
    const followUp = { id: 'f1', customerId: 'c1', method: '电话', content: '回访', at: 100, origin: 'manual', messageIds: [] };
    await v2.table('links').add(link);
    await v2.table('followUps').add(followUp);
    v2.close();

    const db = new LiaisonDb(name);
    opened.push(db);
    await db.open();
    expect(db.verno).toBe(4);
    expect(await db.links.toArray()).toEqual([link]);
    expect(await db.followUps.toArray()).toEqual([followUp]);
    expect(await db.links.where('[connectionId+remoteId]').equals(['noco', '42']).count()).toBe(1);
    await db.followUps.put({ ...followUp, id: 'f2', origin: 'remote', source: 'noco', remoteRefs: ['noco 7', 'hub 9'] } as never);
    expect(await db.followUps.where('remoteRefs').equals('hub 9').primaryKeys()).toEqual(['f2']);
    expect(await db.followUps.where('remoteRefs').equals('noco 8').count()).toBe(0);
  });
});
