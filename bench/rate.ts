// Rate limits: the highest request rate each API actually received, over a sliding 1-second
// window of the emulator's request log (its receive times), against Feishu's documented limit
// for that API, and the 429s answered. Fed with the logs of the sync runs, plus a stress run
// built to push the limiter: many concurrent lookups (records.search, limit 20/s) and creates
// (record writes, 50/s) through one connection, which is what a backlog drained by the outbox
// looks like.
import { createFeishuBitableAdapter } from '../lib/crm/feishu-bitable/adapter';
import type { Customer } from '../lib/model';
import { DEFAULT_RATE_LIMITS, startFeishuEmulator, type RequestLogEntry } from '../test/emulators/feishu';
import type { Figure, Section } from './lib/report';

export interface ApiRate {
  api: string;
  requests: number;
  /** Most requests in any window (t − 1000 ms, t]. */
  maxPerSecond: number;
  limit?: number;
  status429: number;
}

/** Sliding-window maximum per API: two pointers over each API's sorted receive times. */
export function maxRates(log: readonly RequestLogEntry[], limits: Record<string, number> = DEFAULT_RATE_LIMITS): ApiRate[] {
  const by = new Map<string, RequestLogEntry[]>();
  for (const e of log) by.set(e.api, [...(by.get(e.api) ?? []), e]);
  return [...by]
    .map(([api, entries]) => {
      const ts = entries.map((e) => e.at).sort((a, b) => a - b);
      let max = 0;
      for (let lo = 0, hi = 0; hi < ts.length; hi++) {
        while (ts[lo]! <= ts[hi]! - 1000) lo++;
        max = Math.max(max, hi - lo + 1);
      }
      const limit = limits[api];
      return { api, requests: ts.length, maxPerSecond: max, ...(limit !== undefined ? { limit } : {}), status429: entries.filter((e) => e.status === 429).length };
    })
    .sort((a, b) => a.api.localeCompare(b.api));
}

/** Concurrent lookups and creates through one adapter connection, as fast as it lets them go. */
export async function stressLog(o: { lookups?: number; creates?: number; latencyMs?: number } = {}): Promise<RequestLogEntry[]> {
  const emu = await startFeishuEmulator({ latencyMs: 0 });
  try {
    const app = emu.control.createApp();
    const make = (id: string) =>
      createFeishuBitableAdapter(
        {
          db: null,
          connection: { id, kind: 'feishu-bitable', name: 'Feishu (bench)', enabled: true, createdAt: 0, settings: { host: 'feishu.cn', app_id: emu.appId, app_token: app } },
          secrets: { app_secret: emu.appSecret },
          now: Date.now,
          fetch: globalThis.fetch,
        },
        { baseUrl: emu.url, timeoutMs: 30_000 },
      );
    await make(`bench-rate-setup-${crypto.randomUUID()}`).setupRecommendedTables();
    const adapter = make(`bench-rate-${crypto.randomUUID()}`);
    // Warm the token and table id so the stress is lookups and creates only.
    await adapter.findCustomers({ phone: '+8613800000000' });
    emu.control.setLatency(o.latencyMs ?? 50);
    emu.control.clearLog();
    const at = Date.UTC(2026, 10, 21);
    const customer = (i: number): Customer => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      code: `KH-R${i}`,
      name: `压测${i}`,
      phones: [`+86137${String(i).padStart(8, '0')}`],
      tags: [],
      stage: '新客户',
      createdAt: at,
      updatedAt: at,
      searchKeys: [],
    });
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < (o.lookups ?? 120); i++) jobs.push(adapter.findCustomers({ phone: `+86137${String(i).padStart(8, '0')}` }));
    for (let i = 0; i < (o.creates ?? 60); i++) jobs.push(adapter.createCustomer(customer(i), { idempotencyKey: `rate-${i}` }));
    const results = await Promise.allSettled(jobs);
    const failed = results.filter((r) => r.status === 'rejected').length;
    if (failed) console.warn(`rate stress: ${failed} operations failed (see the 429 count)`);
    return [...emu.state.requests];
  } finally {
    await emu.close();
  }
}

export function rateSection(runs: { name: string; log: RequestLogEntry[] }[]): Section {
  const figures: Figure[] = [];
  for (const run of runs) {
    for (const r of maxRates(run.log)) {
      figures.push({
        area: 'Rate limits',
        metric: `${run.name}: ${r.api} max requests in any 1 s (of ${r.requests})`,
        value: r.maxPerSecond,
        unit: 'req/s',
        ...(r.limit !== undefined ? { target: { op: '<=' as const, value: r.limit } } : {}),
        note: `${r.status429} × 429`,
      });
    }
    const total429 = run.log.filter((e) => e.status === 429).length;
    figures.push({ area: 'Rate limits', metric: `${run.name}: 429 answers`, value: total429, unit: '', target: { op: '<=', value: 0 } });
  }
  return {
    area: 'Rate limits',
    figures,
    notes: [
      `Sliding 1-second window over the emulator's request log (its receive time of every request, 429s included), per API, against Feishu's documented per-API limits as the emulator enforces them (${Object.entries(DEFAULT_RATE_LIMITS)
        .map(([k, v]) => `${k} ${v}/s`)
        .join(', ')}). auth.tenant_access_token has no documented per-second limit in the emulator and is shown without a target.`,
      `The stress run sends 120 findCustomers and 60 createCustomer at once through one connection (50 ms latency): Liaison's limiter (10 req/s, burst 10, shared by every API of the connection; one write at a time) is the only brake, so this shows the highest rate it lets out.`,
    ],
  };
}
