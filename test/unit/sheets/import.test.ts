import { readFile } from 'node:fs/promises';
import { readSheet } from 'read-excel-file/node';
import { describe, expect, it } from 'vitest';
import { parseSheet, cellText } from '../../../lib/sheets/parse';
import { guessMapping, guessField } from '../../../lib/sheets/mapping';
import { planImport, applyImport, undoImport, getImportRecord, parseAmount, parseDate } from '../../../lib/sheets/import';
import { createCustomer } from '../../../lib/customers/create';
import { useDb, connection } from '../customers/helpers';

const FIX = new URL('../../fixtures/sheets/', import.meta.url);
const SH = 'Asia/Shanghai';
const NOW = Date.UTC(2026, 2, 5, 2);
const load = async (name: string) => parseSheet(await readSheet(await readFile(new URL(name, FIX))));

describe('parseSheet', () => {
  it('finds the header row under a merged title and a blank row, and keeps sheet row numbers', async () => {
    const s = await load('leads-messy.xlsx');
    expect(s.headers).toEqual(['客户名称', '手机号', '微信号', '来源渠道', '意向产品', '意向金额', '贷款状态', '备注']);
    expect(s.rows.map((r) => r.row)).toEqual([4, 5, 6, 7, 8, 10, 11, 12]); // row 9 is blank
  });

  it('turns phones stored as numbers and full-width text into plain strings', async () => {
    const s = await load('leads-messy.xlsx');
    expect(s.rows[0]!.values.slice(0, 2)).toEqual(['张三', '13800138000']);
    expect(s.rows[1]!.values[1]).toBe('13900139000');
    expect(s.rows[2]!.values.slice(1, 3)).toEqual(['13700137000', 'WANG5']);
  });

  it('handles floats, trailing spaces, blank and duplicate headers in raw rows', () => {
    expect(cellText(1.38001380e10)).toBe('13800138000');
    expect(cellText(13800138000.0)).toBe('13800138000');
    expect(cellText(' 张三　')).toBe('张三');
    const s = parseSheet([['电话', null, '电话', '姓名 '], ['138', 'x', '139', '王']]);
    expect(s.headers).toEqual(['电话', '列2', '电话 (2)', '姓名']);
    expect(guessMapping(s.headers)).toEqual(['phones', null, 'phones', 'name']);
  });
});

describe('guessMapping', () => {
  it.each([
    ['姓名', 'name'], ['客户名称', 'name'], ['电话', 'phones'], ['手机', 'phones'], ['手机号', 'phones'], ['联系电话', 'phones'],
    ['微信号', 'wechatId'], ['微信', 'wechatId'], ['来源渠道', 'source'], ['来源', 'source'], ['意向产品', 'product'], ['意向金额', 'amount'],
    ['意向等级', 'intentLevel'], ['贷款状态', 'stage'], ['阶段', 'stage'], ['标签', 'tags'], ['备注', 'notes'], ['公司', 'company'],
    ['邮箱', 'email'], ['搜索关键词', 'keyword'], ['下次跟进', 'nextFollowUpAt'], ['Name', 'name'], ['Mobile', 'phones'], ['E-mail', 'email'],
    ['Next follow-up', 'nextFollowUpAt'], ['客户手机号（必填）', 'phones'], ['随便什么', null],
  ])('%s → %s', (h, f) => {
    expect(guessField(h)).toBe(f);
  });
});

describe('parsers', () => {
  it('reads amounts and dates as people write them', () => {
    expect([parseAmount('10万'), parseAmount('¥500,000'), parseAmount('1.5w'), parseAmount('80000'), parseAmount('很多')]).toEqual([100_000, 500_000, 15_000, 80_000, undefined]);
    expect(parseDate('2026-03-10 14:30', SH)).toBe(Date.UTC(2026, 2, 10, 6, 30));
    expect(parseDate('2026年3月10日', SH)).toBe(Date.UTC(2026, 2, 10, 1)); // 09:00 local by default
    expect(parseDate('next tuesday', SH)).toBeUndefined();
  });
});

describe('import: plan, apply, undo', () => {
  const t = useDb();

  async function seedExisting() {
    return createCustomer(t.db, { fields: { name: '老客户A', phones: ['13600136000'], notes: '原来的备注' } }, NOW - 1000);
  }

  it('plans creates, merges, skips and failures with reasons, writing nothing', async () => {
    const existing = await seedExisting();
    const s = await load('leads-messy.xlsx');
    const plan = await planImport(t.db, s.rows, guessMapping(s.headers), { tz: SH });
    expect(plan.toCreate.map((c) => [c.row, c.fields.name, c.fields.phones])).toEqual([
      [4, '张三', ['+8613800138000']],
      [5, '李四', ['+8613900139000']],
      [6, '王五', ['+8613700137000']],
    ]);
    expect(plan.toCreate[0]).toMatchObject({ alsoRows: [7], fields: { amount: 100_000, wechatId: 'zhangsan88', stage: '新客户' } });
    expect(plan.toCreate[2]!.fields).toMatchObject({ amount: 500_000, wechatId: 'WANG5' });
    expect(plan.toMerge).toEqual([
      { row: 12, customerId: existing.id, customerName: '老客户A', matchedBy: 'phone', patch: { source: '转介绍', product: '信用贷' } },
    ]);
    expect(plan.skipped).toEqual([
      { row: 7, reason: 'duplicate-in-file', detail: '4' },
      { row: 8, reason: 'invalid-phone', detail: '12345' },
      { row: 11, reason: 'no-name' },
    ]);
    expect(plan.failed).toEqual([{ row: 10, reason: 'unknown-stage', detail: '不存在的阶段' }]);
    expect(await t.db.customers.count()).toBe(1);
  });

  it('applies through createCustomer/updateCustomer (outbox rows for a connected CRM) and undoes', async () => {
    const existing = await seedExisting();
    await t.db.connections.add(connection({ id: 'hub', enabled: true }));
    await t.db.links.add({ customerId: existing.id, connectionId: 'hub', syncState: 'synced' });
    const s = await load('leads-messy.xlsx');
    const plan = await planImport(t.db, s.rows, guessMapping(s.headers), { tz: SH });
    const res = await applyImport(t.db, plan, NOW);
    expect(res.counts).toEqual({ created: 3, merged: 1, skipped: 3, failed: 1 });
    expect(await t.db.customers.count()).toBe(4);
    const outbox = await t.db.outbox.toArray();
    expect(outbox.filter((e) => e.op === 'customer.create')).toHaveLength(3);
    expect(outbox.filter((e) => e.op === 'customer.update' && e.entity.id === existing.id)).toHaveLength(1);
    expect(await t.db.customers.get(existing.id)).toMatchObject({ source: '转介绍', product: '信用贷', notes: '原来的备注' });
    expect((await getImportRecord(t.db, res.importId))?.created).toHaveLength(3);

    // Re-importing the same file now merges into what the first import created.
    const again = await planImport(t.db, s.rows, guessMapping(s.headers), { tz: SH });
    expect(again.toCreate).toHaveLength(0);

    const undo = await undoImport(t.db, res.importId, NOW + 1000);
    expect(undo).toEqual({ removed: 3, reverted: 1, kept: [], remoteKept: 0 });
    expect(await t.db.customers.count()).toBe(1);
    const back = await t.db.customers.get(existing.id);
    expect(back).not.toHaveProperty('source');
    expect(back).not.toHaveProperty('product');
    expect(back?.notes).toBe('原来的备注');
    // The creates never reached the CRM: their pending outbox rows are gone with them.
    expect((await t.db.outbox.toArray()).filter((e) => e.op === 'customer.create')).toHaveLength(0);
    expect((await getImportRecord(t.db, res.importId))?.undoneAt).toBe(NOW + 1000);
    // Undoing twice does nothing.
    expect(await undoImport(t.db, res.importId)).toEqual({ removed: 0, reverted: 0, kept: [], remoteKept: 0 });
  });

  it('keeps a created customer that has follow-ups since, and a field the user edited since', async () => {
    const existing = await seedExisting();
    const s = await load('leads-messy.xlsx');
    const res = await applyImport(t.db, await planImport(t.db, s.rows, guessMapping(s.headers), { tz: SH }), NOW);
    const rec = await getImportRecord(t.db, res.importId);
    const zhang = rec!.created[0]!;
    await t.db.followUps.add({ id: 'f1', customerId: zhang, method: '电话', content: 'x', at: NOW + 1, origin: 'manual', messageIds: [] });
    await t.db.customers.update(existing.id, { source: '百度' });
    const undo = await undoImport(t.db, res.importId, NOW + 2);
    expect(undo.kept).toEqual([zhang]);
    expect(undo.removed).toBe(2);
    expect(await t.db.customers.get(existing.id)).toMatchObject({ source: '百度' });
    expect(await t.db.customers.get(existing.id)).not.toHaveProperty('product');
  });

  it('reads English headers, lower-cases emails, fails a bad email, parses the follow-up time', async () => {
    const s = await load('leads-english.xlsx');
    expect(guessMapping(s.headers)).toEqual(['name', 'phones', 'email', 'source', 'tags', 'nextFollowUpAt']);
    const plan = await planImport(t.db, s.rows, guessMapping(s.headers), { tz: SH });
    expect(plan.toCreate).toEqual([
      { row: 2, alsoRows: [], fields: { name: 'Tom Lee', phones: ['+14155552671'], email: 'tom@example.com', source: 'LinkedIn', tags: ['vip', 'referral'], nextFollowUpAt: Date.UTC(2026, 2, 10, 6, 30) } },
    ]);
    expect(plan.failed).toEqual([{ row: 3, reason: 'invalid-email', detail: 'ann@example' }]);
  });
});
