// Seed 000's lead import against what a long import meets on the open platform (issue 15):
// 429 / 99991400 with x-ogw-ratelimit-reset (through the rate-limit proxy, counted, not timed),
// the tenant token expiring mid-import while the token endpoint is itself rate limited, and
// replies lost on the dedupe search and on batch_create. Each case checks what the client sent
// (client_tokens), what it reported (onWait / onProgress), and what the Base holds: every unique
// valid lead exactly once.
import { afterEach, describe, expect, it } from 'vitest';
import { importLeads, type Lead } from '../../../../lib/crm/feishu-bitable/adapter';
import type { ImportProgress, ImportWait } from '../../../../lib/crm/lead-import';
import { startImportFaultProxy, type ImportFaultProxy } from '../../../emulators/feishu/faults-import';
import { emulator, readyHarness } from './helpers';

const mobile = (i: number) => `138${String(10_000_000 + i).slice(-8)}`;

/** 800 unique valid leads (two batch_create calls), 100 repeats of them, 100 invalid phones. */
function leads(): Lead[] {
  const unique: Lead[] = Array.from({ length: 800 }, (_, i) => ({ name: `客户${i}`, phone: mobile(i), source: '抖音', keywords: ['信用贷'] }));
  const dupes: Lead[] = Array.from({ length: 100 }, (_, i) => ({ name: `重复${i}`, phone: `+86 ${mobile(i * 7)}` }));
  const invalid: Lead[] = Array.from({ length: 100 }, (_, i) => ({ name: `无效${i}`, phone: String(i) }));
  return [...unique, ...dupes, ...invalid];
}

const proxies: ImportFaultProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

/** A Base with the recommended tables, reached through the rate-limit proxy. */
async function rig() {
  const emu = await emulator();
  const proxy = await startImportFaultProxy(emu.url);
  proxies.push(proxy);
  // No fault here stalls a reply (lost replies are dropped connections): a 15 s timeout, since a
  // search over 1,000 records took over the harness's 3 s at load 24 and read as a network error.
  const h = await readyHarness({ emulator: emu, overrides: { baseUrl: proxy.url, timeoutMs: 15_000 } });
  proxy.log.length = 0;
  const waits: ImportWait[] = [];
  const progress: ImportProgress[] = [];
  const hooks = { sleep: async () => undefined, onWait: (w: ImportWait) => waits.push(w), onProgress: (p: ImportProgress) => progress.push(p) };
  const stored = () => h.emu.control.records(h.app, h.ids.customers);
  return { ...h, proxy, waits, progress, hooks, stored };
}

const tokensOf = (log: ImportFaultProxy['log']) => log.filter((e) => e.api === 'records.batch_create').map((e) => e.clientToken);

describe('Feishu lead import under faults', () => {
  it('a 429 with x-ogw-ratelimit-reset on batch_create: waits as told, replays the same client_token, nothing doubled', { timeout: 30_000 }, async () => {
    const r = await rig();
    r.proxy.rateLimitNext({ api: 'records.batch_create', count: 2, resetSeconds: 1 });
    const report = await importLeads(r.adapter, leads(), { ...r.hooks, importId: 'faults-1' });

    expect(report.synced).toHaveLength(800);
    expect(report.failed).toEqual([]);
    expect(report.skipped).toHaveLength(200);
    // Two waits, each at least the reset the gateway named, and the UI was told each time.
    expect(r.waits.map((w) => [w.kind, w.step, w.attempt])).toEqual([
      ['rate-limited', 'write', 2],
      ['rate-limited', 'write', 3],
    ]);
    expect(r.waits.every((w) => w.ms >= 1000)).toBe(true);
    // The first call went out three times with one client_token; the second call has its own.
    const tokens = tokensOf(r.proxy.log);
    expect(tokens).toHaveLength(4);
    expect(new Set(tokens.slice(0, 3)).size).toBe(1);
    expect(tokens[3]).not.toBe(tokens[0]);
    expect(r.proxy.log.filter((e) => e.limited).map((e) => e.status)).toEqual([429, 429]);

    const rows = r.stored();
    expect(rows).toHaveLength(800);
    expect(new Set(rows.map((x) => String(x.fields.电话))).size).toBe(800);
    expect(new Set(report.synced.map((s) => s.remoteId))).toEqual(new Set(rows.map((x) => x.record_id)));
    // Progress only moves forward and ends at every lead accounted for.
    const dones = r.progress.map((p) => p.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    expect(r.progress.at(-1)).toEqual({ done: 1000, total: 1000, synced: 800, skipped: 200, failed: 0 });
  });

  it('429s on the dedupe search (including the older APIs’ HTTP 400 form) are waited out: nothing is written unchecked', { timeout: 30_000 }, async () => {
    const r = await rig();
    r.proxy.rateLimitNext({ api: 'records.search', count: 2, resetSeconds: 1 });
    r.proxy.rateLimitNext({ api: 'records.search', count: 1, resetSeconds: 1, status: 400 });
    // 30 of the leads are already in the table: the check must have run to find them.
    r.emu.control.addRecords(r.app, r.ids.customers, Array.from({ length: 30 }, (_, i) => ({ 姓名: `老客户${i}`, 电话: mobile(i) })));
    const report = await importLeads(r.adapter, leads(), r.hooks);
    expect(r.waits.map((w) => `${w.kind}:${w.step}`)).toEqual(['rate-limited:dedupe', 'rate-limited:dedupe', 'rate-limited:dedupe']);
    expect(report.skipped.filter((s) => s.duplicateOf === 'table')).toHaveLength(30);
    expect(report.synced).toHaveLength(770);
    expect(r.stored()).toHaveLength(800);
    // No batch_create before the search finally answered.
    const firstWrite = r.proxy.log.findIndex((e) => e.api === 'records.batch_create');
    const lastSearch = r.proxy.log.map((e) => e.api).lastIndexOf('records.search');
    expect(firstWrite).toBeGreaterThan(lastSearch);
  });

  it('never gives up at the first 429; a limit that does not lift fails the leads with the reason after the allowed waits and sends nothing more', { timeout: 30_000 }, async () => {
    const r = await rig();
    r.proxy.rateLimitNext({ api: 'records.batch_create', count: 1000, resetSeconds: 1 });
    const report = await importLeads(r.adapter, leads(), { ...r.hooks, maxRateLimitWaits: 3 });
    // 1 try + 3 waits for the first call; the second call is not sent into the same wall.
    expect(r.proxy.log.filter((e) => e.api === 'records.batch_create')).toHaveLength(4);
    expect(r.waits).toHaveLength(3);
    expect(report.synced).toEqual([]);
    expect(report.failed).toHaveLength(800);
    expect(report.failed.every((f) => f.error.kind === 'rate-limited')).toBe(true);
    expect(report.failed[0]!.reason).toContain('99991400');
    expect(report.failed[799]!.reason).toMatch(/^not sent: /);
    expect(r.stored()).toHaveLength(0);
  });

  it('the token expires mid-import and the refresh is itself rate limited: one wait, one refresh, the batch replayed with its token', { timeout: 30_000 }, async () => {
    const r = await rig();
    r.emu.control.expireTokensAfter(2); // the search and the first batch pass; the second batch meets 99991663
    r.proxy.rateLimitNext({ api: 'auth.tenant_access_token', count: 1, resetSeconds: 1 });
    const report = await importLeads(r.adapter, leads(), r.hooks);
    expect(report.synced).toHaveLength(800);
    expect(report.failed).toEqual([]);
    expect(r.waits.map((w) => `${w.kind}:${w.step}`)).toEqual(['rate-limited:write']);
    expect(r.emu.state.tokenRequests).toBe(1);
    expect(r.emu.state.requests.map((x) => `${x.api}:${x.code}`)).toEqual([
      'records.search:0', 'records.batch_create:0', 'records.batch_create:99991663', 'auth.tenant_access_token:0', 'records.batch_create:0',
    ]);
    const tokens = tokensOf(r.proxy.log);
    expect(tokens[1]).toBe(tokens[2]);
    expect(r.stored()).toHaveLength(800);
  });

  it('lost replies: the search is asked again, batch_create is replayed with the same client_token and answered with the first call’s records', { timeout: 30_000 }, async () => {
    const r = await rig();
    r.emu.control.dropNext({ api: 'records.search' });
    r.emu.control.dropNext({ api: 'records.batch_create' }); // committed, then the connection dies
    const report = await importLeads(r.adapter, leads(), r.hooks);
    expect(r.waits.map((w) => `${w.kind}:${w.step}`)).toEqual(['retryable:dedupe', 'unknown-outcome:write']);
    const tokens = tokensOf(r.proxy.log);
    expect(tokens).toHaveLength(3);
    expect(tokens[0]).toBe(tokens[1]);
    expect(report.synced).toHaveLength(800);
    const rows = r.stored();
    expect(rows).toHaveLength(800);
    // The records reported are the ones the lost call created (no second set).
    expect(new Set(report.synced.map((s) => s.remoteId))).toEqual(new Set(rows.map((x) => x.record_id)));
  });

  it('without a retry the lost batch would have been reported failed (the test can fail)', { timeout: 30_000 }, async () => {
    const r = await rig();
    r.emu.control.dropNext({ api: 'records.batch_create' });
    const report = await importLeads(r.adapter, leads(), { ...r.hooks, maxAttempts: 1 });
    expect(report.failed.map((f) => f.error.kind)).toContain('unknown-outcome');
    expect(report.synced).toHaveLength(0);
  });
});
