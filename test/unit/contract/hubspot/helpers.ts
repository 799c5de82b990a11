// Shared set-up for the HubSpot contract tests: an emulator per test, an adapter on its own
// connection id (limiters and the quota state are per connection), fixtures and raw calls.
import { afterAll, afterEach, expect } from 'vitest';
import { createHubspotAdapter, type HubspotAdapterOverrides } from '../../../../lib/crm/hubspot/adapter';
import type { CrmError } from '../../../../lib/crm/errors';
import type { Customer, Deal, FollowUp } from '../../../../lib/model';
import { startHubspotEmulator, type HubspotEmulator, type HubspotEmulatorOptions } from '../../../emulators/hubspot';
import { summaryLine, type SpecLog } from '../../../specs/openapi';
import { hubspotFetch } from './openapi';

const open: HubspotEmulator[] = [];
// Every adapter request in these tests goes through HubSpot's own OpenAPI files (openapi.ts);
// each test ends with no violation, and each file prints its count.
const fresh: SpecLog[] = [];
const all: SpecLog[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
  for (const log of fresh.splice(0)) expect(log.errors()).toEqual([]);
});
afterAll(() => {
  if (all.length) console.log(summaryLine(all));
});

export async function emulator(opts: HubspotEmulatorOptions = {}): Promise<HubspotEmulator> {
  const emu = await startHubspotEmulator(opts);
  open.push(emu);
  return emu;
}

export interface Harness {
  emu: HubspotEmulator;
  adapter: ReturnType<typeof createHubspotAdapter>;
  /** Requests the adapter sent (http.ts onRequest). */
  sent: { method: string; url: string; at: number }[];
  connectionId: string;
  /** The adapter's requests and the emulator's replies as HubSpot's files type them. */
  spec: SpecLog;
  /** Another adapter instance on the same connection (shares limiters and quota state). */
  another(overrides?: HubspotAdapterOverrides): ReturnType<typeof createHubspotAdapter>;
}

export async function harness(o: { emu?: HubspotEmulatorOptions; emulator?: HubspotEmulator; token?: string; settings?: Record<string, unknown>; overrides?: HubspotAdapterOverrides; fetch?: typeof fetch; /** false: a test that garbles replies on purpose keeps its (asserted) violations out of the specs report. */ specReport?: boolean } = {}): Promise<Harness> {
  const emu = o.emulator ?? (await emulator(o.emu));
  const connectionId = `hubspot-${crypto.randomUUID()}`;
  const sent: Harness['sent'] = [];
  const checked = await hubspotFetch(o.fetch, o.specReport === false ? { report: false } : {});
  fresh.push(checked.log);
  all.push(checked.log);
  const make = (overrides: HubspotAdapterOverrides = {}) =>
    createHubspotAdapter(
      {
        db: null,
        connection: { id: connectionId, kind: 'hubspot', name: 'HubSpot', enabled: true, createdAt: 0, settings: { ...o.settings } },
        secrets: { token: o.token ?? emu.token },
        now: Date.now,
        fetch: checked.fetch,
      },
      { baseUrl: emu.url, timeoutMs: 3000, onRequest: (r) => sent.push(r), ...o.overrides, ...overrides },
    );
  return { emu, adapter: make(), sent, spec: checked.log, connectionId, another: make };
}

/** A harness whose portal already has the Liaison properties (prepare ran); log cleared. */
export async function readyHarness(o: Parameters<typeof harness>[0] = {}) {
  const h = await harness(o);
  await h.adapter.prepare();
  h.emu.control.clearLog();
  h.sent.length = 0;
  return h;
}

const T0 = Date.UTC(2026, 2, 5, 1, 0);
export const customer = (over: Partial<Customer> = {}): Customer => ({
  id: crypto.randomUUID(), code: 'KH2026-0001', name: '王小明', phones: ['+8613800138000'], tags: ['老客户'], stage: '跟进中',
  email: `wang.${Math.random().toString(36).slice(2, 8)}@example.com`, company: '深圳小明贸易', source: '抖音', product: '信用贷',
  createdAt: T0, updatedAt: T0, searchKeys: [], ...over,
});
export const followUp = (over: Partial<FollowUp> = {}): FollowUp => ({
  id: crypto.randomUUID(), customerId: 'c1', method: '微信', content: '客户问了抵押贷利率', result: '有意向', nextAction: '发方案', nextAt: T0 + 2 * 86_400_000,
  at: T0, origin: 'manual', messageIds: [], ...over,
});
export const deal = (over: Partial<Deal> = {}): Deal => ({
  id: crypto.randomUUID(), customerId: 'c1', product: '抵押贷', institution: '招商银行', amount: 1_000_000, rate: 3.6, termMonths: 36, commission: 10_000,
  status: '已放款', closedAt: T0, createdAt: T0, ...over,
});

export const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as CrmError);

/** Raw calls to the emulator, for testing the emulator itself. */
export async function raw(emu: HubspotEmulator, method: string, path: string, body?: unknown, token: string | null = emu.token) {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as any };
}

/** Most requests in any window of `ms` (sliding over arrival times). */
export function maxInWindow(times: number[], ms: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}
