// Shared set-up for the Zoho contract tests: an emulator per test, an adapter on its own
// connection id whose every request and reply goes through Zoho's own OpenAPI files
// (openapi.ts); each test ends with no violation and each file prints its count. The token
// endpoint (accounts.zoho.<dc>) has no OpenAPI file: its requests pass unvalidated.
import { afterAll, afterEach, expect } from 'vitest';
import { createZohoAdapter, type ZohoAdapterOverrides } from '../../../../lib/crm/zoho/adapter';
import { resetZohoSessions } from '../../../../lib/crm/zoho/session';
import type { CrmError } from '../../../../lib/crm/errors';
import type { Customer, Deal, FollowUp } from '../../../../lib/model';
import { startZohoEmulator, type ZohoEmulator, type ZohoEmulatorOptions } from '../../../emulators/zoho';
import { summaryLine, type SpecLog } from '../../../specs/openapi';
import { zohoFetch } from './openapi';

const open: ZohoEmulator[] = [];
const fresh: SpecLog[] = [];
const all: SpecLog[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
  resetZohoSessions();
  for (const log of fresh.splice(0)) expect(log.errors()).toEqual([]);
});
afterAll(() => {
  if (all.length) console.log(summaryLine(all));
});

export async function harness(o: { emu?: ZohoEmulatorOptions; emulator?: ZohoEmulator; settings?: Record<string, unknown>; secrets?: Record<string, string>; overrides?: ZohoAdapterOverrides; onSecrets?: (p: Record<string, string>) => void } = {}) {
  const emu = o.emulator ?? (await startZohoEmulator(o.emu));
  if (!o.emulator) open.push(emu);
  const checked = await zohoFetch();
  fresh.push(checked.log);
  all.push(checked.log);
  // The token endpoint is not in Zoho's CRM files: sent around the validating fetch.
  const send: typeof fetch = (input, init) => (String(input instanceof Request ? input.url : input).includes('/oauth/v2/token') ? fetch(input, init) : checked.fetch(input, init));
  const connectionId = `zoho-${crypto.randomUUID()}`;
  const make = () =>
    createZohoAdapter(
      {
        db: null,
        connection: { id: connectionId, kind: 'zoho', name: 'Zoho', enabled: true, createdAt: 0, settings: { dc: 'com', clientId: emu.client.id, ...o.settings } },
        secrets: { access_token: emu.token, refresh_token: emu.refreshToken, client_secret: emu.client.secret, ...o.secrets },
        now: Date.now,
        fetch: send,
        ...(o.onSecrets ? { onSecrets: o.onSecrets } : {}),
      },
      { baseUrl: emu.url, tokenUrl: `${emu.url}/oauth/v2/token`, timeoutMs: 3000, ...o.overrides },
    );
  return { emu, adapter: make(), another: make, spec: checked.log, connectionId };
}

/** A harness whose adapter has run setup (the Liaison Key fields exist and are in the settings). */
export async function prepared(o: Parameters<typeof harness>[0] = {}) {
  const h = await harness(o);
  const r = await h.adapter.prepare();
  const settings = { ...o.settings, ...r.settings };
  const h2 = await harness({ ...o, emulator: h.emu, settings });
  return { ...h2, prepareResult: r };
}

const T0 = Date.UTC(2026, 11, 1, 2, 30);
export const customer = (over: Partial<Customer> = {}): Customer => ({
  id: crypto.randomUUID(), code: 'KH2026-0001', name: '王小明', phones: ['+8613800138000'], tags: [], stage: '跟进中',
  email: `wang.${Math.random().toString(36).slice(2, 8)}@example.com`, createdAt: T0, updatedAt: T0, searchKeys: [], ...over,
});
export const followUp = (over: Partial<FollowUp> = {}): FollowUp => ({
  id: crypto.randomUUID(), customerId: 'c1', method: '微信', content: '客户问了抵押贷利率 (急), 明天: 回电', result: '有意向', nextAction: '发方案', at: T0, origin: 'manual', messageIds: [], ...over,
});
export const deal = (over: Partial<Deal> = {}): Deal => ({
  id: crypto.randomUUID(), customerId: 'c1', product: '抵押贷', institution: '招商银行', amount: 1_000_000, status: '进行中', createdAt: T0, ...over,
});
export const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as CrmError);
