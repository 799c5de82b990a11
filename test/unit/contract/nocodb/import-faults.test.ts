// Seed 000's lead import into NocoDB under the faults a long import meets (issue 15). NocoDB
// answers an exceeded rate limit with HTTP 429 ("Errors and Rate Limits",
// https://nocodb.com/docs/apis/errors, updated 2026-10-21: "how to handle a 429 response"); the
// Retry-After header here is the common form, not a shape checked against a real throttled
// server. A write has no idempotency key, so a lost reply must be reconciled by phone before
// anything is sent again.
import { describe, expect, it } from 'vitest';
import { createNocodbAdapter } from '../../../../lib/crm/nocodb/adapter';
import type { ImportWait, Lead } from '../../../../lib/crm/lead-import';
import { resetLimiters } from '../../../../lib/crm/rate-limiter';
import { startNocodbEmulator } from '../../../emulators/nocodb/index';
import { HOST } from './helpers';

type Kind = 'lookup' | 'write';

/** The emulator's fetch with 429s in front: the next N lookups (GET …/records?where=) or writes (POST …/records). */
function throttled() {
  resetLimiters();
  const em = startNocodbEmulator();
  const queue: { kind: Kind; left: number }[] = [];
  const seen: { kind: Kind | 'other'; status: number }[] = [];
  const kindOf = (method: string, url: string): Kind | 'other' => {
    const u = new URL(url);
    if (!/\/api\/v2\/tables\/[^/]+\/records$/.test(u.pathname)) return 'other';
    if (method === 'POST') return 'write';
    return method === 'GET' && u.searchParams.has('where') ? 'lookup' : 'other';
  };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const req = new Request(input, init);
    const kind = kindOf(req.method, req.url);
    const i = queue.findIndex((q) => q.kind === kind);
    if (i >= 0) {
      if (--queue[i]!.left <= 0) queue.splice(i, 1);
      seen.push({ kind, status: 429 });
      return new Response(JSON.stringify({ msg: 'Too many requests' }), { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '1' } });
    }
    const entry = { kind, status: 0 }; // 0: the reply was lost
    seen.push(entry);
    const res = await em.fetch(req);
    entry.status = res.status;
    return res;
  };
  const adapter = createNocodbAdapter({
    db: undefined,
    connection: { id: `noco-${crypto.randomUUID()}`, kind: 'nocodb', name: 'NocoDB', enabled: true, settings: { host: HOST, base_id: em.baseId }, createdAt: 0 },
    secrets: { api_token: em.token },
    now: Date.now,
    fetch,
  });
  const waits: ImportWait[] = [];
  return {
    em,
    adapter,
    seen,
    waits,
    limitNext: (kind: Kind, count = 1) => void queue.push({ kind, left: count }),
    hooks: { sleep: async () => undefined, onWait: (w: ImportWait) => waits.push(w) },
    rows: () => em.tableByTitle('客户')!.rows,
  };
}

const leads = (n: number): Lead[] => Array.from({ length: n }, (_, i) => ({ name: `线索${i}`, phone: `139${String(20_000_000 + i).slice(-8)}` }));

describe('NocoDB lead import under faults', () => {
  it('429s on the phone lookup and on a write are waited out (Retry-After), and every lead is stored once', { timeout: 30_000 }, async () => {
    const t = throttled();
    await t.adapter.setupRecommendedTables();
    t.limitNext('lookup', 2);
    t.limitNext('write', 1);
    const report = await t.adapter.importLeads(leads(150), t.hooks);
    expect(report.synced).toHaveLength(150);
    expect(report.failed).toEqual([]);
    expect(t.waits.map((w) => `${w.kind}:${w.step}`)).toEqual(['rate-limited:dedupe', 'rate-limited:dedupe', 'rate-limited:write']);
    expect(t.waits.every((w) => w.ms >= 1000)).toBe(true);
    expect(t.rows()).toHaveLength(150);
    expect(t.seen.filter((s) => s.kind === 'write' && s.status === 429)).toHaveLength(1);
  });

  it('a lost reply is reconciled by phone before anything is resent: the stored rows are reported, none written twice', { timeout: 30_000 }, async () => {
    const t = throttled();
    await t.adapter.setupRecommendedTables();
    t.em.loseNextReply(); // the first 100 rows are stored; the reply never comes
    const report = await t.adapter.importLeads(leads(150), t.hooks);
    expect(report.synced).toHaveLength(150);
    expect(report.reconciled).toBe(100);
    const rows = t.rows();
    expect(rows).toHaveLength(150);
    expect(new Set(rows.map((r) => r.Id as number)).size).toBe(150);
    expect(new Set(report.synced.map((s) => s.remoteId))).toEqual(new Set(rows.map((r) => String(r.Id))));
    // Two writes only: the lost one and the last 50 (the first 100 were found, not sent again).
    expect(t.seen.filter((s) => s.kind === 'write')).toHaveLength(2);
  });

  it('the reconcile lookup after a lost reply is itself rate limited: it waits, then still sends nothing twice', { timeout: 30_000 }, async () => {
    const t = throttled();
    await t.adapter.setupRecommendedTables();
    t.em.loseNextReply();
    // The dedupe lookups pass; the first reconcile lookup meets a 429.
    const report = await t.adapter.importLeads(leads(150), {
      ...t.hooks,
      onWait: (w) => {
        t.waits.push(w);
        if (w.step === 'reconcile' && w.kind === 'unknown-outcome') t.limitNext('lookup', 1);
      },
    });
    expect(t.waits.map((w) => `${w.kind}:${w.step}`)).toEqual(['unknown-outcome:reconcile', 'rate-limited:reconcile']);
    expect(report.synced).toHaveLength(150);
    expect(t.rows()).toHaveLength(150);
  });

  it('with one try allowed, a lost write is reported failed with its unknown outcome, never resent blindly', { timeout: 30_000 }, async () => {
    const t = throttled();
    await t.adapter.setupRecommendedTables();
    t.em.loseNextReply();
    // One try only: the lost write is reported failed, not guessed — and nothing is resent blindly.
    const report = await t.adapter.importLeads(leads(50), { ...t.hooks, maxAttempts: 1 });
    expect(report.failed.map((f) => f.error.kind)).toEqual(Array(50).fill('unknown-outcome'));
    expect(t.rows()).toHaveLength(50); // stored by the lost request, exactly once
  });
});
