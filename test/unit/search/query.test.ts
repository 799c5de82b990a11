import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiaisonDb } from '../../../lib/db/db';
import type { Customer } from '../../../lib/model';
import { deriveSearchKeys } from '../../../lib/search/keys';
import { normalizeQuery, searchCustomers } from '../../../lib/search/query';

function customer(id: string, fields: Partial<Customer> & Pick<Customer, 'name'>, updatedAt: number): Customer {
  const c: Customer = { id, code: '', phones: [], stage: '新客户', tags: [], createdAt: 1, updatedAt, searchKeys: [], ...fields };
  c.searchKeys = deriveSearchKeys(c);
  return c;
}

describe('normalizeQuery', () => {
  it.each([
    ['  张三 ', '张三'],
    ['ZhangSan', 'zhangsan'],
    ['ＺＨＡＮＧ', 'zhang'],
    ['John   Smith', 'john smith'],
    ['138 0013 8000', '13800138000'],
    ['+86 138-0013-8000', '8613800138000'],
    ['(021) 1234-5678', '02112345678'],
    ['１３８００１', '138001'],
    ['KH2026-0001', 'kh2026-0001'], // letters: not a phone, punctuation kept
    ['12', '12'],
    ['', ''],
    ['   ', ''],
  ])('%j → %j', (q, expected) => {
    expect(normalizeQuery(q)).toBe(expected);
  });
});

describe('searchCustomers', () => {
  let db: LiaisonDb;
  let n = 0;

  beforeEach(async () => {
    db = new LiaisonDb(`query-test-${++n}`);
    await db.customers.bulkPut([
      customer('c-zhang', { name: '张三', code: 'KH2026-0001', phones: ['+8613800138000'], company: '腾讯' }, 100),
      customer('c-zhangsf', { name: '张三丰', code: 'KH2026-0002', phones: ['+8613900139000'] }, 300),
      customer('c-li', { name: '李四', code: 'KH2025-0007', phones: ['+14155552671'], email: 'li@example.com' }, 200),
      customer('c-john', { name: 'John Smith', code: 'L20261121-001', phones: [], wechatId: 'jsmith' }, 50),
    ]);
  });

  afterEach(async () => {
    await db.delete();
  });

  const ids = async (q: string, limit = 20) => (await searchCustomers(db, q, limit)).map((c) => c.id);

  it.each<[string, string[]]>([
    ['张', ['c-zhangsf', 'c-zhang']],
    ['张三', ['c-zhangsf', 'c-zhang']],
    ['张三丰', ['c-zhangsf']],
    ['zs', ['c-zhangsf', 'c-zhang']],
    ['zsf', ['c-zhangsf']],
    ['zhang', ['c-zhangsf', 'c-zhang']],
    ['zhangsan', ['c-zhangsf', 'c-zhang']],
    ['Zhang San', ['c-zhangsf', 'c-zhang']],
    ['zhangsanf', ['c-zhangsf']],
    ['138001', ['c-zhang']],
    ['13800138000', ['c-zhang']],
    ['138 0013 8000', ['c-zhang']],
    ['+86 138 0013 8000', ['c-zhang']],
    ['0086 13800138000', ['c-zhang']],
    ['kh2026', ['c-zhangsf', 'c-zhang']],
    ['KH2026-0001', ['c-zhang']],
    ['kh20250007', ['c-li']],
    ['415555', ['c-li']],
    ['li@', ['c-li']],
    ['腾讯', ['c-zhang']],
    ['tx', ['c-zhang']],
    ['john smith', ['c-john']],
    ['smith', ['c-john']],
    ['jsm', ['c-john']],
    ['王', []],
    ['wang', []],
    ['139001390001', []],
    ['zz', []],
  ])('%j → %j', async (q, expected) => {
    expect(await ids(q)).toEqual(expected);
  });

  it('returns the most recently updated customers for an empty query', async () => {
    expect(await ids('')).toEqual(['c-zhangsf', 'c-li', 'c-zhang', 'c-john']);
    expect(await ids('   ', 2)).toEqual(['c-zhangsf', 'c-li']);
  });

  it('orders by updatedAt desc and applies the limit after deduplication', async () => {
    // 张三 matches 张三 by name, zhangsan, zs… several keys each: still once per customer
    expect(await ids('z', 1)).toEqual(['c-zhangsf']);
    await db.customers.update('c-zhang', { updatedAt: 1000 });
    expect(await ids('zs')).toEqual(['c-zhang', 'c-zhangsf']);
  });

  it('returns nothing for a limit of 0', async () => {
    expect(await ids('张', 0)).toEqual([]);
  });
});
