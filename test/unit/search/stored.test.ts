// Issue 19: customers.searchKeys stores only the keys no other index holds (storedSearchKeys).
// Search must answer exactly as it does over rows carrying every key (deriveSearchKeys, what rows
// written before, and writers not yet switched, hold): the same query table, both forms, and
// a database holding both.
import { afterEach, describe, expect, it } from 'vitest';
import { LiaisonDb } from '../../../lib/db/db';
import type { Customer } from '../../../lib/model';
import { matchCustomerIds } from '../../../lib/customers/bulk';
import { deriveSearchKeys, storedSearchKeys } from '../../../lib/search/keys';
import { searchCustomers } from '../../../lib/search/query';

type Form = 'derived' | 'stored' | 'mixed';
const people: [string, Partial<Customer> & Pick<Customer, 'name'>, number][] = [
  ['c-zhang', { name: '张三', code: 'KH2026-0001', phones: ['+8613800138000'], company: '腾讯' }, 100],
  ['c-zhangsf', { name: '张三丰', code: 'KH2026-0002', phones: ['+8613900139000'] }, 300],
  ['c-li', { name: '李四', code: 'KH2025-0007', phones: ['+14155552671'], email: 'li@example.com' }, 200],
  ['c-john', { name: 'John Smith', code: 'L20261121-001', phones: [], wechatId: 'jsmith' }, 50],
  ['c-land', { name: '王五', code: 'kh-lower-9', phones: ['+861012345678', '+442079460958'] }, 40],
  ['c-odd', { name: 'ＡＢＣ 公司', code: 'Mixed-Case', phones: ['138-0013-9999'] }, 30],
];

function rows(form: Form): Customer[] {
  return people.map(([id, fields, updatedAt], i) => {
    const c: Customer = { id, code: '', phones: [], stage: '新客户', tags: [], createdAt: 1, updatedAt, searchKeys: [], ...fields };
    const stored = form === 'stored' || (form === 'mixed' && i % 2 === 0);
    c.searchKeys = stored ? storedSearchKeys(c) : deriveSearchKeys(c);
    return c;
  });
}

const QUERIES = [
  '张', '张三', '张三丰', 'zs', 'zsf', 'zhang', 'zhangsan', 'Zhang San', 'zhangsanf', '138001', '13800138000', '138 0013 8000',
  '+86 138 0013 8000', '0086 13800138000', 'kh2026', 'KH2026-0001', 'kh20250007', '415555', '4155552671', '1415', 'li@', '腾讯', 'tx',
  'john smith', 'smith', 'jsm', 'John', '王', 'wang', 'ww', '139001390001', 'zz', '010', '01012345678', '1012', '861012', '020794',
  '2079', '442079', 'kh-lower', 'kh-l', 'mixed', 'MIXED-c', 'abc', 'abc 公', 'gs', '1380013999', '13800139999', 'l2026', 'l20261121-0', '8', '1', '0',
];

let dbs: LiaisonDb[] = [];
let n = 0;
afterEach(async () => {
  for (const d of dbs.splice(0)) await d.delete();
});
async function dbWith(form: Form): Promise<LiaisonDb> {
  const db = new LiaisonDb(`stored-keys-${++n}`);
  dbs.push(db);
  await db.customers.bulkAdd(rows(form));
  return db;
}

describe('storedSearchKeys', () => {
  it('leaves out what the phones, name and code indexes hold, keeps pinyin, words and the rest', () => {
    const c = { name: '张三', code: 'KH2026-0001', phones: ['+8613800138000', '+861012345678'], company: '腾讯', email: 'Z@x.cn' };
    expect(deriveSearchKeys(c)).toEqual(expect.arrayContaining(['张三', 'kh2026-0001', '8613800138000', '13800138000', '01012345678']));
    expect(storedSearchKeys(c)).toEqual(['zhangsan', 'zs', 'kh20260001', '01012345678', 'z@x.cn', '腾讯', 'tengxun', 'tx']);
    // a name or code not stored in normalized form keeps its keys
    expect(storedSearchKeys({ name: 'John Smith', code: 'kh-1', phones: ['138-0013-8000'] })).toEqual(deriveSearchKeys({ name: 'John Smith', code: 'kh-1', phones: ['138-0013-8000'] }));
  });

  it('costs fewer index entries for a typical imported customer (张伟, KH2026-000001, one mobile)', () => {
    const c = { name: '张伟', code: 'KH2026-000001', phones: ['+8613800000001'] };
    expect(deriveSearchKeys(c)).toHaveLength(7);
    expect(storedSearchKeys(c)).toEqual(['zhangwei', 'zw', 'kh2026000001']);
  });
});

describe('search over stored keys answers as over every key', () => {
  it.each(QUERIES)('%j', async (q) => {
    const [full, stored, mixed] = [await dbWith('derived'), await dbWith('stored'), await dbWith('mixed')];
    const expected = (await searchCustomers(full, q, 50)).map((c) => c.id);
    expect((await searchCustomers(stored, q, 50)).map((c) => c.id)).toEqual(expected);
    expect((await searchCustomers(mixed, q, 50)).map((c) => c.id)).toEqual(expected);
    // the customer list's search (lib/customers/bulk.ts) too
    const listed = async (db: LiaisonDb) => (await matchCustomerIds(db, { q, sort: 'updatedAt', dir: 'desc' } as never)).sort();
    expect(await listed(stored)).toEqual(await listed(full));
  });

  it('still finds by pinyin initials, national number and code', async () => {
    const db = await dbWith('stored');
    const ids = async (q: string) => (await searchCustomers(db, q, 50)).map((c) => c.id);
    expect(await ids('zs')).toEqual(['c-zhangsf', 'c-zhang']);
    expect(await ids('1380013800')).toEqual(['c-zhang']);
    expect(await ids('415555')).toEqual(['c-li']);
    expect(await ids('kh2026')).toEqual(['c-zhangsf', 'c-zhang']);
    expect(await ids('张三丰')).toEqual(['c-zhangsf']);
  });
});

describe('the bench data (test/bench-data.ts)', () => {
  it('stores exactly storedSearchKeys, so the bench measures what an import writes', async () => {
    const { generateBenchData } = await import('../../bench-data');
    const { customers } = generateBenchData({ customers: 50, followUps: 0, deals: 0, now: Date.UTC(2026, 10, 21) });
    for (const c of customers) expect(c.searchKeys).toEqual(storedSearchKeys(c));
  });
});
