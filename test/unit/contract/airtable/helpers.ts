// Shared set-up for the Airtable contract tests: an emulated workspace with one base (chosen by
// name, as a user would), the adapter on its own connection, and the one-click setup run.
import { afterEach } from 'vitest';
import { createAirtableAdapter, type AirtableAdapterOverrides } from '../../../../lib/crm/airtable/adapter';
import { resetLimiters } from '../../../../lib/crm/rate-limiter';
import type { Customer, Deal, FollowUp } from '../../../../lib/model';
import { startAirtableEmulator, type AirtableEmulator } from '../../../emulators/airtable';

const open: AirtableEmulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
  resetLimiters();
});

export const BASE_NAME = '销售 CRM';

/**
 * The contract tests check what the adapter sends and how it reads replies, not Airtable's speed:
 * they run adapter and emulator at this rate. `realRate: true` keeps Airtable's 5 requests/s per
 * base in the emulator and the spec's pacing in the adapter (the pacing tests).
 */
const FAST = { requestsPerSecond: 500, burst: 50 };

export async function harness(o: { settings?: Record<string, unknown>; prepare?: boolean; now?: () => number; overrides?: AirtableAdapterOverrides; token?: string; realRate?: boolean } = {}) {
  const emu = await startAirtableEmulator({ ...(o.now ? { now: o.now } : {}), ...(o.realRate ? {} : { perSecond: FAST.requestsPerSecond }) });
  open.push(emu);
  const base = emu.control.addBase(BASE_NAME);
  emu.control.addBase('另一个 Base');
  const sent: { method: string; url: string; at: number }[] = [];
  const connectionId = `at-${crypto.randomUUID()}`;
  const settings = { baseName: BASE_NAME, ...o.settings };
  const make = (overrides: AirtableAdapterOverrides = {}) =>
    createAirtableAdapter(
      { db: null, connection: { id: connectionId, kind: 'airtable', name: 'Airtable', enabled: true, createdAt: 0, settings }, secrets: { token: o.token ?? emu.token }, now: o.now ?? Date.now, fetch: globalThis.fetch },
      { baseUrl: emu.url, timeoutMs: 3000, onRequest: (r) => sent.push(r), ...(o.realRate ? {} : { rateLimit: FAST }), ...o.overrides, ...overrides },
    );
  const adapter = make();
  if (o.prepare !== false) await adapter.prepare();
  emu.control.clearLog();
  return { emu, base, adapter, sent, another: make, rows: (table: string) => emu.control.rows(base.id, table) };
}

const T0 = Date.UTC(2026, 2, 5, 1, 0);
export const customer = (over: Partial<Customer> = {}): Customer => ({
  id: crypto.randomUUID(), code: 'KH2026-0001', name: '王小明', phones: ['+8613800138000'], tags: [], stage: '跟进中',
  source: '抖音', product: '信用贷', email: 'wang@example.com', notes: '想了解利率', createdAt: T0, updatedAt: T0, searchKeys: [], ...over,
});
export const followUp = (over: Partial<FollowUp> = {}): FollowUp => ({
  id: crypto.randomUUID(), customerId: 'c1', method: '电话', content: '客户问了抵押贷利率', result: '有意向', nextAction: '发方案', nextAt: T0 + 2 * 86_400_000,
  at: T0, origin: 'manual', messageIds: [], by: '李娜', ...over,
});
export const deal = (over: Partial<Deal> = {}): Deal => ({
  id: crypto.randomUUID(), customerId: 'c1', product: '抵押贷', institution: '招商银行', amount: 1_000_000, rate: 3.6, termMonths: 36, status: '进行中', createdAt: T0, ...over,
});
export const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as import('../../../../lib/crm/errors').CrmError);
