// Seed 000's lead import into a real NocoDB: 1,000 leads with in-batch duplicates, invalid phones
// and customers already in the table → exactly the unique valid new leads arrive, counted by
// NocoDB's own /count; a second import of the same leads adds nothing.
import { beforeAll, expect, it } from 'vitest';
import type { Lead } from '../../lib/crm/nocodb/import';
import { allRows, api, count, preparedBase } from './helpers';

let ctx: Awaited<ReturnType<typeof preparedBase>>;
beforeAll(async () => {
  ctx = await preparedBase('import');
});

/** Distinct valid Chinese mobiles: 139 + 8 digits (never one repeated digit). */
const mobile = (i: number) => `139${String(10_000_000 + i * 37).slice(-8)}`;

it('imports 1,000 leads: only unique, valid, new phones arrive', async () => {
  // 40 customers already in NocoDB, typed by people in the national form.
  const existing = Array.from({ length: 40 }, (_, i) => ({ 姓名: `老客户${i}`, 电话: mobile(i) }));
  expect((await api('POST', `/api/v2/tables/${ctx.tables.customers}/records`, existing)).status).toBe(200);

  const leads: Lead[] = [];
  const expected = new Set<string>();
  // 800 distinct phones (0..799): 40 of them already in the table.
  for (let i = 0; i < 800; i++) {
    // Formats people paste: spaces, dashes, +86, full-width digits.
    const p = mobile(i);
    const shown = i % 4 === 0 ? `+86 ${p}` : i % 4 === 1 ? `${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}` : i % 4 === 2 ? p.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))) : p;
    leads.push({ name: `线索${i}`, phone: shown, source: i % 2 ? '抖音' : '小红书', intentLevel: '中', content: '想了解贷款' });
    if (i >= 40) expected.add(`+86${p}`);
  }
  // 150 duplicates within the batch (different spelling of the same number).
  for (let i = 0; i < 150; i++) leads.push({ name: `重复${i}`, phone: `+86${mobile(100 + i)}` });
  // 50 invalid phones.
  for (let i = 0; i < 50; i++) leads.push({ name: `无效${i}`, phone: i % 3 === 0 ? '12345' : i % 3 === 1 ? `1380013${String(i).padStart(3, '0')}` : '电话见备注' });
  expect(leads).toHaveLength(1000);
  // Shuffle deterministically so duplicates and invalid ones are spread through the batches.
  let seed = 7;
  for (let i = leads.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [leads[i], leads[j]] = [leads[j]!, leads[i]!];
  }

  const before = await count(ctx.tables.customers);
  const started = Date.now();
  const report = await ctx.adapter.importLeads(leads);
  const ms = Date.now() - started;
  console.log(`[import] 1000 leads in ${ms} ms: synced ${report.synced.length}, skipped ${report.skipped.length}, failed ${report.failed.length}, ${report.batches} batches`);

  expect(report.failed).toEqual([]);
  expect(report.synced).toHaveLength(expected.size); // 760
  expect(report.skipped.filter((s) => s.reason === 'invalid-phone')).toHaveLength(50);
  // The in-batch duplicates: the 150 re-spellings, whichever copy the shuffle put first.
  expect(report.skipped.filter((s) => s.reason === 'duplicate' && s.duplicateOf === 'batch')).toHaveLength(150);
  expect(report.skipped.filter((s) => s.reason === 'duplicate' && s.duplicateOf === 'table')).toHaveLength(40);
  expect(report.batches).toBe(8);

  // Counted by NocoDB itself.
  expect(await count(ctx.tables.customers)).toBe(before + expected.size);
  const rows = await allRows(ctx.tables.customers, ['Id', '电话']);
  const phones = rows.map((r) => String(r['电话']).replace(/^(\d)/, '+86$1'));
  expect(new Set(phones).size).toBe(phones.length); // no duplicate anywhere
  for (const p of expected) expect(phones).toContain(p);

  // Importing the same file again adds nothing.
  const again = await ctx.adapter.importLeads(leads);
  expect(again.synced).toHaveLength(0);
  expect(again.skipped.filter((s) => s.duplicateOf === 'table')).toHaveLength(800);
  expect(await count(ctx.tables.customers)).toBe(before + expected.size);
});
