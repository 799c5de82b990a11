// Issue 19: a new chat's first lookup reads the mapping, the phone match and an earlier unlink in
// one read-only transaction issued on Dexie's own connection (lib/db/read-together.ts), and falls
// back to Dexie's transaction where those plain reads cannot be used (inside a caller's
// transaction, emails or a wechat id to match case-insensitively). Both ways give one answer.
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiaisonDb } from '../../../lib/db/db';
import { readTogether } from '../../../lib/db/read-together';
import { linkConversation, resolveConversation, unlinkConversation } from '../../../lib/identity';
import type { Conversation, Customer } from '../../../lib/model';
import { storedSearchKeys } from '../../../lib/search/keys';

const NOW = 1_790_000_000_000;

// The Dexie path on demand: readTogether declining (as it does inside a transaction).
const declined = vi.hoisted(() => ({ on: false, calls: 0 }));
vi.mock('../../../lib/db/read-together', async (actual) => {
  const real = await actual<typeof import('../../../lib/db/read-together')>();
  return {
    ...real,
    readTogether: (...args: Parameters<typeof real.readTogether>) => {
      declined.calls++;
      return declined.on ? Promise.resolve(undefined) : real.readTogether(...args);
    },
  };
});

function customer(id: string, name: string, phones: string[], extra: Partial<Customer> = {}): Customer {
  const c: Customer = { id, code: `KH-${id}`, name, phones, stage: '新客户', tags: [], createdAt: 1, updatedAt: 1, searchKeys: [], ...extra };
  c.searchKeys = storedSearchKeys(c);
  return c;
}

const conv = (threadKey: string, phones: string[], extra: Partial<Conversation['contact']['handles']> = {}, isGroup = false): Conversation => ({
  site: 'whatsapp',
  threadKey,
  isGroup,
  contact: { displayName: '某人', handles: { phones, emails: [], ...extra } },
  messages: [],
});

let db: LiaisonDb;
let n = 0;
beforeEach(async () => {
  db = new LiaisonDb(`first-sight-${++n}`);
  await db.customers.bulkPut([
    customer('zhang', '张三', ['+8613800138000']),
    customer('li', '李四', ['+8613900139000', '+8613900139001'], { email: 'li@example.com' }),
    customer('w1', '王五', ['+8613700137000']),
    customer('w2', '王五', ['+8613700137000']),
  ]);
});
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

describe('readTogether', () => {
  it('answers gets and index reads in the order asked, undefined / [] for what is absent', async () => {
    await db.kv.put({ key: 'a', value: 1 });
    const got = await readTogether(db, [
      { store: 'kv', key: 'a' },
      { store: 'customers', index: 'phones', key: '+8613700137000' },
      { store: 'kv', key: 'missing' },
      { store: 'customers', index: 'phones', key: '+10000000000' },
      { store: 'customers', key: 'li' },
    ]);
    expect(got).toBeDefined();
    expect(got![0]).toEqual({ key: 'a', value: 1 });
    expect((got![1] as Customer[]).map((c) => c.id).sort()).toEqual(['w1', 'w2']);
    expect(got![2]).toBeUndefined();
    expect(got![3]).toEqual([]);
    expect((got![4] as Customer).name).toBe('李四');
  });

  it('opens a database that is not open yet', async () => {
    db.close();
    const again = new LiaisonDb(db.name);
    expect(again.isOpen()).toBe(false);
    const got = await readTogether(again, [{ store: 'customers', key: 'zhang' }]);
    expect((got![0] as Customer).name).toBe('张三');
    again.close();
  });

  it('declines inside a Dexie transaction (a native one would wait for it), and for a store the schema lacks', async () => {
    const inside = await db.transaction('rw', db.customers, () => { const p = readTogether(db, [{ store: 'customers', key: 'zhang' }]); return Dexie.waitFor(p); });
    expect(inside).toBeUndefined();
    expect(await readTogether(db, [{ store: 'no-such-table', key: 'x' }])).toBeUndefined();
  });

  it('rejects a read that fails instead of answering', async () => {
    await expect(readTogether(db, [{ store: 'customers', index: 'no-such-index', key: 'x' }])).rejects.toThrow();
  });
});

describe('a new chat by phone: the plain-read path and the Dexie path agree', () => {
  const cases: [string, Conversation][] = [
    ['one phone, one customer', conv('c1', ['+86 138 0013 8000'])],
    ['two phones of one customer', conv('c2', ['13900139000', '13900139001'])],
    ['a phone two customers share', conv('c3', ['13700137000'])],
    ['an unknown phone', conv('c4', ['13000000000'])],
    ['no handles at all', conv('c5', [])],
    ['a group showing a known phone', conv('c6', ['13800138000'], {}, true)],
  ];
  for (const [what, c] of cases) {
    it(what, async () => {
      declined.calls = 0;
      const fast = await resolveConversation(db, c, { now: NOW, defer: () => undefined });
      expect(declined.calls).toBe(1);
      declined.on = true;
      try {
        const slow = await resolveConversation(db, c, { now: NOW, defer: () => undefined });
        expect(fast).toEqual(slow);
      } finally {
        declined.on = false;
      }
    });
  }

  it('finds the one customer by phone and hands the mapping to be written after the answer', async () => {
    const writes: (() => Promise<unknown>)[] = [];
    const r = await resolveConversation(db, conv('new', ['+8613800138000']), { now: NOW, defer: (w) => writes.push(w) });
    expect(r).toMatchObject({ customerId: 'zhang', matchedBy: ['phone'], autoLinked: true });
    expect(r.customer).toEqual(await db.customers.get('zhang'));
    expect(await db.identities.count()).toBe(0);
    await Promise.all(writes.map((w) => w()));
    expect((await db.identities.get(['whatsapp', 'new']))?.customerId).toBe('zhang');
  });

  it('keeps an earlier unlink: the phone no longer links the chat to that customer', async () => {
    const c = conv('unl', ['+8613800138000']);
    await linkConversation(db, c, 'zhang', NOW);
    await unlinkConversation(db, c, NOW);
    const r = await resolveConversation(db, c, { now: NOW, defer: () => undefined });
    expect(r.customerId).toBeUndefined();
    expect(r.candidates.map((x) => x.id)).toEqual(['zhang']);
  });

  it('a mapping wins over the phone, and one to a deleted customer falls through to the phone', async () => {
    const c = conv('mapped', ['+8613800138000']);
    await linkConversation(db, c, 'li', NOW);
    const byMapping = await resolveConversation(db, c, { now: NOW });
    expect(byMapping).toMatchObject({ customerId: 'li', matchedBy: ['mapping'] });
    expect(byMapping.customer).toEqual(await db.customers.get('li'));
    await db.customers.delete('li');
    expect(await resolveConversation(db, c, { now: NOW, defer: () => undefined })).toMatchObject({ customerId: 'zhang', matchedBy: ['phone'] });
  });

  it('an email goes the Dexie way and still matches case-insensitively', async () => {
    declined.calls = 0;
    const r = await resolveConversation(db, conv('em', [], { emails: ['LI@Example.com'] }), { now: NOW, defer: () => undefined });
    expect(r).toMatchObject({ customerId: 'li', matchedBy: ['email'] });
    expect(declined.calls).toBe(0);
  });
});
