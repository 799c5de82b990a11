// Batch create and seed 000's lead import: right report, exactly the unique valid leads in the
// table, and close to the minimum number of requests.
import { describe, expect, it } from 'vitest';
import { importLeads, type Lead } from '../../../../lib/crm/feishu-bitable/adapter';
import { customer, readyHarness } from './helpers';

const mobile = (i: number) => `138${String(10_000_000 + i).slice(-8)}`;
/** Deterministic shuffle so duplicates and invalid phones are spread through the batch. */
function shuffle<T>(xs: T[]): T[] {
  const a = [...xs];
  let seed = 42;
  for (let i = a.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function thousandLeads(): Lead[] {
  const unique: Lead[] = Array.from({ length: 800 }, (_, i) => ({ name: `客户${i}`, phone: mobile(i), source: i % 2 ? '抖音' : '百度', intentLevel: '中', content: '咨询贷款', keywords: ['深圳', '信用贷'] }));
  const dupes: Lead[] = Array.from({ length: 100 }, (_, i) => ({ name: `重复${i}`, phone: `+86 ${mobile(i).replace(/(\d{3})(\d{4})(\d{4})/, '$1-$2-$3')}` }));
  const invalid: Lead[] = Array.from({ length: 100 }, (_, i) => ({ name: `无效${i}`, phone: [String(i), '00000000000', 'call me', '1381000', '+86 123'][i % 5]! }));
  return shuffle([...unique, ...dupes, ...invalid]);
}

describe('Feishu Bitable adapter: batch create', () => {
  it('≤500 per call, results in order, and a retried batch returns the same records', async () => {
    // Not a timeout test: a 500-record call took over the harness's 3 s at load 20.
    const h = await readyHarness({ overrides: { timeoutMs: 20_000 } });
    const items = Array.from({ length: 600 }, (_, i) => ({ customer: customer({ code: `KH${i}`, phones: [`+86${mobile(i)}`] }), idempotencyKey: `b${i}` }));
    const first = await h.adapter.batchCreateCustomers(items);
    expect(first.every((r) => r.ok)).toBe(true);
    expect(h.emu.state.requests.filter((r) => r.api === 'records.batch_create').map((r) => r.records)).toEqual([500, 100]);
    const again = await h.adapter.batchCreateCustomers(items);
    expect(again).toEqual(first);
    const rows = h.emu.control.records(h.app, h.ids.customers);
    expect(rows).toHaveLength(600);
    const byId = new Map(rows.map((r) => [r.record_id, r.fields.客户ID]));
    first.forEach((r, i) => expect(r.ok && byId.get(r.ref.remoteId)).toBe(`KH${i}`));
  });

  it('all or nothing per call: a refused call fails each of its items, other calls stand', async () => {
    const h = await readyHarness();
    const items = Array.from({ length: 501 }, (_, i) => ({ customer: customer({ code: `KH${i}` }), idempotencyKey: `c${i}` }));
    h.emu.control.failNext({ api: 'records.batch_create', code: 1254291, msg: 'Write conflict' });
    const results = await h.adapter.batchCreateCustomers(items);
    expect(results.slice(0, 500).every((r) => !r.ok && r.error.kind === 'retryable' && r.error.vendorCode === '1254291')).toBe(true);
    expect(results[500]).toMatchObject({ ok: true });
    expect(h.emu.control.records(h.app, h.ids.customers)).toHaveLength(1);
  });
});

describe('Feishu Bitable adapter: lead import (seed 000 sync_batch)', () => {
  it('1,000 leads with duplicates and invalid phones: right report, exactly the unique valid leads stored, minimum requests', { timeout: 30_000 }, async () => {
    const h = await readyHarness();
    // 50 leads are already in the table, typed by hand (national digits).
    h.emu.control.addRecords(h.app, h.ids.customers, Array.from({ length: 50 }, (_, i) => ({ 姓名: `老客户${i}`, 电话: mobile(100 + i) })));
    const leads = thousandLeads();
    const report = await importLeads(h.adapter, leads, { importId: 'import-1' });

    expect(report.synced).toHaveLength(750);
    expect(report.failed).toEqual([]);
    const reasons = report.skipped.map((s) => `${s.reason}${s.duplicateOf ? `:${s.duplicateOf}` : ''}`);
    expect(reasons.filter((r) => r === 'invalid-phone')).toHaveLength(100);
    expect(reasons.filter((r) => r === 'duplicate:batch')).toHaveLength(100);
    expect(reasons.filter((r) => r === 'duplicate:table')).toHaveLength(50);
    expect(report.skipped.filter((s) => s.duplicateOf === 'table').every((s) => s.existingRemoteId?.startsWith('rec'))).toBe(true);

    const rows = h.emu.control.records(h.app, h.ids.customers);
    expect(rows).toHaveLength(800);
    const phones = rows.map((r) => String(r.fields.电话).replace(/^\+86/, '')).sort();
    expect(phones).toEqual(Array.from({ length: 800 }, (_, i) => mobile(i)).sort());
    const created = rows.find((r) => r.fields.姓名 === '客户0')!;
    expect(created.fields).toMatchObject({ 电话: '+8613810000000', 来源渠道: '百度', 意向等级: '中', 贷款状态: '新客户', 备注: '咨询贷款', 搜索关键词: '深圳,信用贷', 同步状态: '已同步' });

    const apis = h.emu.state.requests.map((r) => r.api);
    console.info(`1,000-lead import: ${apis.length} requests (${apis.join(', ')}); dedupe ${report.dedupe.strategy} with ${report.dedupe.searches} search(es); ${report.batches} batch_create; the seed's one-by-one sync_batch would send ~${900 * 2 + 50}`);
    expect(apis).toEqual(['records.search', 'records.batch_create', 'records.batch_create']);
  });

  it('the token expiring mid-import costs exactly one refresh, and nothing is lost or doubled', { timeout: 30_000 }, async () => {
    const h = await readyHarness();
    h.emu.control.expireTokensAfter(2); // the search and the first batch pass; the second batch meets an expired token
    const report = await importLeads(h.adapter, thousandLeads(), { importId: 'import-2' });
    expect(report.synced).toHaveLength(800);
    expect(h.emu.state.tokenRequests).toBe(1);
    expect(h.emu.state.requests.map((r) => `${r.api}:${r.code}`)).toEqual([
      'records.search:0', 'records.batch_create:0', 'records.batch_create:99991663', 'auth.tenant_access_token:0', 'records.batch_create:0',
    ]);
    expect(h.emu.control.records(h.app, h.ids.customers)).toHaveLength(800);
  });

  it('a big table and a few leads: one OR-search of the phones instead of a scan', async () => {
    const h = await readyHarness();
    h.emu.control.addRecords(h.app, h.ids.customers, Array.from({ length: 1200 }, (_, i) => ({ 姓名: `老${i}`, 电话: `+86${mobile(5000 + i)}` })));
    const leads = Array.from({ length: 10 }, (_, i) => ({ name: `新${i}`, phone: mobile(5000 + i * 200) })); // 5000..6800: 6 exist
    const report = await importLeads(h.adapter, leads);
    expect(report.dedupe).toEqual({ strategy: 'lookup', searches: 1 });
    expect(report.skipped.map((s) => s.lead.phone)).toEqual(leads.slice(0, 6).map((l) => l.phone));
    expect(report.synced.map((s) => s.lead.phone)).toEqual(leads.slice(6).map((l) => l.phone));
    expect(h.emu.state.requests.map((r) => r.api)).toEqual(['records.search', 'records.batch_create']);
  });

  it('more phones than one search holds, on a table too big to scan cheaply: one page, then lookups for the rest', async () => {
    const h = await readyHarness();
    h.emu.control.addRecords(h.app, h.ids.customers, Array.from({ length: 2000 }, (_, i) => ({ 姓名: `老${i}`, 电话: mobile(20_000 + i) })));
    const leads = Array.from({ length: 40 }, (_, i) => ({ phone: mobile(20_000 + 1000 + i * 30) })); // 1000..2170: 34 exist, page one holds none
    const report = await importLeads(h.adapter, leads);
    expect(report.dedupe.strategy).toBe('scan+lookup');
    expect(report.skipped).toHaveLength(34);
    expect(report.synced).toHaveLength(6);
    expect(h.emu.state.requests.filter((r) => r.api === 'records.search')).toHaveLength(3);
  });

  it('write conflicts and lost replies during import are retried with the same client_token: no duplicates', { timeout: 30_000 }, async () => {
    const h = await readyHarness();
    h.emu.control.writeConflicts(1, 'records.batch_create');
    h.emu.control.dropNext({ api: 'records.batch_create', count: 1 });
    const report = await importLeads(h.adapter, thousandLeads(), { sleep: async () => undefined });
    expect(report.synced).toHaveLength(800);
    expect(report.failed).toEqual([]);
    expect(h.emu.control.records(h.app, h.ids.customers)).toHaveLength(800);
  });

  it('a refusal that retrying cannot fix fails the leads of that call with the reason', async () => {
    const h = await readyHarness({ emu: { maxRecordsPerTable: 300 } });
    const report = await importLeads(h.adapter, thousandLeads().slice(0, 400));
    expect(report.synced).toHaveLength(0);
    expect(report.failed.length).toBeGreaterThan(300);
    expect(report.failed[0]!.error).toMatchObject({ kind: 'validation', vendorCode: '1254103' });
    expect(report.failed[0]!.reason).toContain('RecordExceedLimit');
  });
});
