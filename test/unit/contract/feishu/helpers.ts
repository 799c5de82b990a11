// Shared set-up for the Feishu Bitable contract tests: an emulator per test, an adapter on its
// own connection id (limiters and token caches are per connection), and fixtures.
import { afterEach } from 'vitest';
import { createFeishuBitableAdapter, type FeishuAdapterOverrides } from '../../../../lib/crm/feishu-bitable/adapter';
import type { Customer, Deal, FollowUp } from '../../../../lib/model';
import { RECOMMENDED_TABLES } from '../../../../lib/crm/feishu-bitable/schema';
import { FIELD_TYPES, startFeishuEmulator, type FeishuEmulator, type FeishuEmulatorOptions } from '../../../emulators/feishu';

const open: FeishuEmulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

export async function emulator(opts: FeishuEmulatorOptions = {}): Promise<FeishuEmulator> {
  const emu = await startFeishuEmulator(opts);
  open.push(emu);
  return emu;
}

export interface Harness {
  emu: FeishuEmulator;
  app: string;
  adapter: ReturnType<typeof createFeishuBitableAdapter>;
  /** Requests the adapter sent (http.ts onRequest). */
  sent: { method: string; url: string; at: number }[];
  connectionId: string;
  /** Another adapter instance on the same connection (shares limiter and token cache). */
  another(overrides?: FeishuAdapterOverrides): ReturnType<typeof createFeishuBitableAdapter>;
}

export async function harness(o: { emu?: FeishuEmulatorOptions; emulator?: FeishuEmulator; settings?: Record<string, unknown>; secret?: string; overrides?: FeishuAdapterOverrides; app?: string; connectionId?: string } = {}): Promise<Harness> {
  const emu = o.emulator ?? (await emulator(o.emu));
  const app = o.app ?? emu.control.createApp();
  const connectionId = o.connectionId ?? `feishu-${crypto.randomUUID()}`;
  const sent: Harness['sent'] = [];
  const make = (overrides: FeishuAdapterOverrides = {}) =>
    createFeishuBitableAdapter(
      {
        db: null,
        connection: { id: connectionId, kind: 'feishu-bitable', name: 'Feishu', enabled: true, createdAt: 0, settings: { host: 'feishu.cn', app_id: emu.appId, app_token: app, ...o.settings } },
        secrets: { app_secret: o.secret ?? emu.appSecret },
        now: Date.now,
        fetch: globalThis.fetch,
      },
      { baseUrl: emu.url, timeoutMs: 3000, onRequest: (r) => sent.push(r), ...o.overrides, ...overrides },
    );
  return { emu, app, adapter: make(), sent, connectionId, another: make };
}

/**
 * 客户信息表 as Bases set up before issue 15 have it (and as the lead-import tests expect): a text
 * 客户ID first, Liaison's codes written into it, no 最后更新时间.
 */
export const LEGACY_CUSTOMER_FIELDS = [
  { field_name: '客户ID', type: FIELD_TYPES.text },
  ...RECOMMENDED_TABLES.customers.fields
    .filter((f) => f.key !== 'code' && !f.fixedName)
    .map((f) => ({ field_name: f.name, type: f.type, ...(f.options ? { property: { options: f.options.map((name) => ({ name })) } } : f.property ? { property: f.property } : {}) })),
];

/**
 * A harness whose Base has the three tables, prepared the way the options page does it (prepare,
 * then the connection saved with the settings it returned). `codes: 'auto'`: the recommended tables
 * as setup makes them now (客户ID an auto number, 最后更新时间); 'text' (default): a customers table
 * from before, with a text 客户ID.
 */
export async function readyHarness(o: Parameters<typeof harness>[0] & { codes?: 'auto' | 'text' } = {}) {
  const h0 = await harness(o);
  if ((o.codes ?? 'text') === 'text') h0.emu.control.createTable(h0.app, '客户信息表', LEGACY_CUSTOMER_FIELDS);
  const prepared = await h0.adapter.prepare();
  // The same connection, saved with the new settings: its token cache and limiter carry over.
  const h = await harness({ ...o, emulator: h0.emu, app: h0.app, connectionId: h0.connectionId, settings: { ...prepared.settings, ...o.settings } });
  h.emu.control.clearLog();
  const s = prepared.settings as { customers_table: string; followups_table: string; deals_table: string };
  const ids = { customers: s.customers_table, followUps: s.followups_table, deals: s.deals_table };
  return { ...h, ids, prepared };
}

const T0 = Date.UTC(2026, 2, 5, 1, 0);
export const customer = (over: Partial<Customer> = {}): Customer => ({
  id: crypto.randomUUID(), code: 'KH2026-0001', name: '王小明', phones: ['+8613800138000'], tags: ['老客户', '抖音'], stage: '跟进中',
  source: '抖音', product: '信用贷', amount: 200000, intentLevel: '高', wechatId: 'wxm_2026', keyword: '深圳 信用贷', notes: '想了解利率',
  nextFollowUpAt: T0 + 86_400_000, lastContactAt: T0 - 3_600_000, createdAt: T0, updatedAt: T0, searchKeys: [], ...over,
});
export const followUp = (over: Partial<FollowUp> = {}): FollowUp => ({
  id: crypto.randomUUID(), customerId: 'c1', method: '微信', content: '客户问了抵押贷利率', result: '有意向', nextAction: '发方案', nextAt: T0 + 2 * 86_400_000,
  at: T0, origin: 'manual', messageIds: [], ...over,
});
export const deal = (over: Partial<Deal> = {}): Deal => ({
  id: crypto.randomUUID(), customerId: 'c1', product: '抵押贷', institution: '招商银行', amount: 1_000_000, rate: 3.6, termMonths: 36, commission: 10_000,
  status: '已放款', closedAt: T0, createdAt: T0, ...over,
});

/** Raw calls to the emulator, for testing the emulator itself. */
export async function raw(emu: FeishuEmulator, method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json; charset=utf-8', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { code: number; msg: string; data?: any; tenant_access_token?: string; expire?: number } };
}

export async function rawToken(emu: FeishuEmulator): Promise<string> {
  const r = await raw(emu, 'POST', '/open-apis/auth/v3/tenant_access_token/internal', { app_id: emu.appId, app_secret: emu.appSecret });
  return r.body.tenant_access_token!;
}
