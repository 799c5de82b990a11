import { readSheet } from 'read-excel-file/node';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { exportRows } from '../../../lib/sheets/export';
import { toCsv, toXlsx } from '../../../lib/sheets/write';
import type { Customer } from '../../../lib/model';
import { useDb } from '../customers/helpers';

const SH = 'Asia/Shanghai';
const T0 = Date.UTC(2026, 2, 5, 6, 30); // 14:30 in Shanghai
const c = (id: string, over: Partial<Customer> = {}): Customer => ({
  id, code: `KH-${id}`, name: `客户${id}`, phones: ['+8613800138000'], stage: '新客户', tags: [], createdAt: T0, updatedAt: T0, searchKeys: [], ...over,
});

describe('export', () => {
  const t = useDb();

  it('exports customers with Chinese headers, filtered by stage, tag and range', async () => {
    await t.db.customers.bulkAdd([
      c('1', { tags: ['vip'], amount: 100_000 }),
      c('2', { stage: '成交', tags: ['vip'] }),
      c('3', { createdAt: T0 + 10 * 86_400_000 }),
    ]);
    const all = await exportRows(t.db, { kind: 'customers', tz: SH });
    expect(all.headers.slice(0, 4)).toEqual(['客户编号', '姓名', '公司', '电话']);
    expect(all.rows).toHaveLength(3);
    const vipNew = await exportRows(t.db, { kind: 'customers', tz: SH, stage: '新客户', tag: 'vip' });
    expect(vipNew.rows.map((r) => r[0])).toEqual(['KH-1']);
    expect(vipNew.rows[0]![all.headers.indexOf('创建时间')]).toBe('2026-03-05 14:30');
    expect(vipNew.rows[0]![all.headers.indexOf('意向金额')]).toBe(100_000);
    const ranged = await exportRows(t.db, { kind: 'customers', tz: SH, from: T0 + 1, to: T0 + 20 * 86_400_000 });
    expect(ranged.rows.map((r) => r[0])).toEqual(['KH-3']);
  });

  it('exports follow-ups and deals naming their customer', async () => {
    await t.db.customers.add(c('1'));
    await t.db.followUps.add({ id: 'f1', customerId: '1', method: '电话', content: '问利率', at: T0, origin: 'manual', messageIds: [] });
    await t.db.deals.add({ id: 'd1', customerId: '1', product: '信用贷', amount: 50_000, status: '已放款', createdAt: T0, closedAt: T0 });
    const f = await exportRows(t.db, { kind: 'followUps', tz: SH });
    expect(f.rows).toEqual([['f1', 'KH-1', '客户1', '电话', '问利率', null, null, null, '2026-03-05 14:30', null]]);
    const d = await exportRows(t.db, { kind: 'deals', tz: SH });
    expect(d.rows[0]).toEqual(['d1', 'KH-1', '客户1', '信用贷', null, 50_000, null, null, null, '2026-03-05 14:30', '已放款']);
  });

  it('CSV starts with a BOM, keeps phones, defuses formulas', () => {
    const csv = toCsv({ headers: ['姓名', '电话', '备注'], rows: [['张三', '+8613800138000', '=HYPERLINK("x")'], ['李四', null, '-5']] });
    expect(csv.startsWith('\uFEFF姓名,电话,备注')).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1).trim()).data;
    expect(parsed[1]).toEqual(['张三', '+8613800138000', `'=HYPERLINK("x")`]);
    expect(parsed[2]).toEqual(['李四', '', '-5']);
  });

  it('xlsx round-trips through read-excel-file', async () => {
    const blob = await toXlsx({ headers: ['姓名', '电话', '金额'], rows: [['张三', '+8613800138000', 100_000], ['李四', null, null]] });
    const rows = await readSheet(Buffer.from(await blob.arrayBuffer()));
    expect(rows).toEqual([['姓名', '电话', '金额'], ['张三', '+8613800138000', 100_000], ['李四', null, null]]);
  });
});
