// Shared set-up for the Salesforce contract tests: an emulated org per test, the real PKCE flow
// against it (launch = fetch the authorize URL without following the 302, read Location), and
// an adapter on its own connection id whose renewed tokens are persisted like the background does.
import { afterEach, expect } from 'vitest';
import { createSalesforceAdapter, type SalesforceAdapterOverrides } from '../../../../lib/crm/salesforce/adapter';
import { connectWithPkce } from '../../../../lib/oauth/flow';
import { expandTemplate } from '../../../../lib/oauth/template';
import { salesforceSpec } from '../../../../lib/crm/salesforce/spec';
import { salesforceOAuthValues } from '../../../../lib/crm/salesforce/login';
import type { Customer, Deal, FollowUp } from '../../../../lib/model';
import { startSalesforceEmulator, type SalesforceEmulator, type SalesforceEmulatorOptions } from '../../../emulators/salesforce';

const open: SalesforceEmulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

export async function emulator(opts: SalesforceEmulatorOptions = {}): Promise<SalesforceEmulator> {
  const emu = await startSalesforceEmulator(opts);
  open.push(emu);
  return emu;
}

/** What chrome.identity.launchWebAuthFlow does for an auto-approving provider: follow to the redirect. */
export async function launch(url: string, interactive: boolean): Promise<string> {
  expect(interactive).toBe(true);
  const res = await fetch(url, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`authorization page answered ${res.status}`);
  return location;
}

/** "Connect with Salesforce": the spec's templates, the PKCE flow, the secrets to store. */
export async function connect(emu: SalesforceEmulator, settings: Record<string, unknown>): Promise<Record<string, string>> {
  const values = salesforceOAuthValues(settings);
  const t = await connectWithPkce({
    authorizeUrl: expandTemplate(salesforceSpec.auth.oauth.authorizeUrl, values),
    tokenUrl: expandTemplate(salesforceSpec.auth.oauth.tokenUrl, values),
    clientId: emu.clientId,
    redirectUri: emu.redirectUri,
    scopes: salesforceSpec.auth.oauth.scopes,
    launch,
  });
  return { access_token: t.access_token, refresh_token: t.refresh_token!, instance_url: t.instance_url!, ...(t.issued_at ? { issued_at: t.issued_at } : {}) };
}

export interface Harness {
  emu: SalesforceEmulator;
  adapter: ReturnType<typeof createSalesforceAdapter>;
  /** The connection's secrets as the background would hold them (patched by onSecrets). */
  secrets: Record<string, string>;
  patches: Record<string, string>[];
  sent: { method: string; url: string; at: number }[];
  connectionId: string;
  settings: Record<string, unknown>;
  another(overrides?: SalesforceAdapterOverrides): ReturnType<typeof createSalesforceAdapter>;
}

export async function harness(o: { emu?: SalesforceEmulatorOptions; emulator?: SalesforceEmulator; settings?: Record<string, unknown>; overrides?: SalesforceAdapterOverrides } = {}): Promise<Harness> {
  const emu = o.emulator ?? (await emulator(o.emu));
  const settings = { loginHost: 'my-domain', myDomain: emu.loginUrl, consumerKey: emu.clientId, ...o.settings };
  const secrets = await connect(emu, settings);
  emu.control.clearLog();
  const connectionId = `sf-${crypto.randomUUID()}`;
  const patches: Record<string, string>[] = [];
  const sent: Harness['sent'] = [];
  const make = (overrides: SalesforceAdapterOverrides = {}) =>
    createSalesforceAdapter(
      {
        db: null,
        connection: { id: connectionId, kind: 'salesforce', name: 'Salesforce', enabled: true, createdAt: 0, settings },
        secrets: { ...secrets },
        now: Date.now,
        fetch: globalThis.fetch,
        onSecrets: (p) => {
          patches.push(p);
          Object.assign(secrets, p);
        },
      },
      { timeoutMs: 3000, onRequest: (r) => sent.push(r), ...o.overrides, ...overrides },
    );
  return { emu, adapter: make(), secrets, patches, sent, connectionId, settings, another: make };
}

const T0 = Date.UTC(2026, 2, 5, 1, 0);
export const customer = (over: Partial<Customer> = {}): Customer => ({
  id: crypto.randomUUID(), code: 'KH2026-0001', name: '王小明', phones: ['+8613800138000'], tags: [], stage: '跟进中',
  source: '抖音', product: '信用贷', email: 'wang@example.com', notes: '想了解利率', createdAt: T0, updatedAt: T0, searchKeys: [], ...over,
});
export const followUp = (over: Partial<FollowUp> = {}): FollowUp => ({
  id: crypto.randomUUID(), customerId: 'c1', method: '电话', content: '客户问了抵押贷利率', result: '有意向', nextAction: '发方案', nextAt: T0 + 2 * 86_400_000,
  at: T0, origin: 'manual', messageIds: [], ...over,
});
export const deal = (over: Partial<Deal> = {}): Deal => ({
  id: crypto.randomUUID(), customerId: 'c1', product: '抵押贷', institution: '招商银行', amount: 1_000_000, rate: 3.6, termMonths: 36, status: '进行中', createdAt: T0, ...over,
});

export const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as import('../../../../lib/crm/errors').CrmError);

/** Raw REST calls to the emulator, for testing the emulator itself. */
export async function raw(emu: SalesforceEmulator, method: string, path: string, token: string | undefined, body?: unknown, contentType = 'application/json') {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': contentType } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as any) : undefined };
}
