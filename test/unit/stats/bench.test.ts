// Timing on the generated 100,000 customers / 500,000 follow-ups. Opt-in (it takes minutes in
// fake-indexeddb): BENCH=1 npx vitest run --project unit test/unit/stats/bench.test.ts
// Prints timings; asserts only that the figures are sane, never a duration.
import { describe, expect, it } from 'vitest';
import { LiaisonDb } from '../../../lib/db/db';
import { computeReport } from '../../../lib/stats/report';
import { weekRange } from '../../../lib/stats/time';
import { listCustomers } from '../../../lib/customers/bulk';
import { DEFAULT_PRODUCTS, DEFAULT_STAGES } from '../../../lib/model';
import { generateBenchData, seedBenchDb } from '../../bench-data';

const NOW = Date.UTC(2026, 2, 5, 4);

describe.skipIf(!process.env.BENCH)('bench', () => {
  it('computeReport and listCustomers on 100k/500k', { timeout: 1_200_000 }, async () => {
    const db = new LiaisonDb('bench-' + crypto.randomUUID());
    const t0 = performance.now();
    const data = generateBenchData({ customers: 100_000, followUps: 500_000, now: NOW });
    await seedBenchDb(db, data);
    const time = async <T>(label: string, f: () => Promise<T>): Promise<T> => {
      const s = performance.now();
      const r = await f();
      console.log(`${label}: ${Math.round(performance.now() - s)} ms`);
      return r;
    };
    console.log(`seed: ${Math.round(performance.now() - t0)} ms`);
    const range = weekRange(NOW, 'Asia/Shanghai');
    const r = await time('computeReport (week)', () => computeReport(db, { ...range, tz: 'Asia/Shanghai', stages: [...DEFAULT_STAGES], products: [...DEFAULT_PRODUCTS], now: NOW }));
    console.log(`  week: ${r.headline.newCustomers} new, ${r.headline.followUps} follow-ups, ${r.headline.dealsClosed} deals, ${r.headline.remindersDue} due`);
    await time('computeReport (30 days)', () => computeReport(db, { from: NOW - 30 * 86_400_000, to: NOW, tz: 'Asia/Shanghai', stages: [...DEFAULT_STAGES], products: [...DEFAULT_PRODUCTS], now: NOW }));
    const base = { sort: 'updatedAt' as const, dir: 'desc' as const, offset: 50_000, limit: 100 };
    const page = await time('listCustomers (no filter, offset 50k)', () => listCustomers(db, base));
    await time('listCustomers (stage, sort name)', () => listCustomers(db, { ...base, offset: 0, stage: '跟进中', sort: 'name' }));
    await time('listCustomers (query "wang")', () => listCustomers(db, { ...base, offset: 0, query: 'wang' }));
    await time('listCustomers (query "13800001")', () => listCustomers(db, { ...base, offset: 0, query: '13800001' }));
    await time('listCustomers (tag, no index)', () => listCustomers(db, { ...base, offset: 0, tag: '老客户' }));
    await time('listCustomers (sort nextFollowUpAt)', () => listCustomers(db, { ...base, offset: 0, sort: 'nextFollowUpAt' }));
    expect(page.total).toBe(100_000);
    expect(r.funnel.total).toBe(100_000);
    await db.delete();
  });
});
