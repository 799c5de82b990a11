// Shared set-up for the Dynamics contract tests: an emulated environment per test, the real
// PKCE flow against its Entra endpoints (launch = fetch the authorize URL without following the
// 302, read Location), and an adapter on its own connection id whose renewed tokens are
// persisted like the background does.
import { afterEach, expect } from 'vitest';
import { createDynamicsAdapter, type DynamicsAdapterOverrides } from '../../../../lib/crm/dynamics/adapter';
import { dynamicsSpec } from '../../../../lib/crm/dynamics/spec';
import { connectWithPkce } from '../../../../lib/oauth/flow';
import { expandTemplate } from '../../../../lib/oauth/template';
import type { Customer, Deal, FollowUp } from '../../../../lib/model';
import { startDynamicsEmulator, type DynamicsEmulator, type DynamicsEmulatorOptions } from '../../../emulators/dynamics';

const open: DynamicsEmulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

export async function emulator(opts: DynamicsEmulatorOptions = {}): Promise<DynamicsEmulator> {
  const emu = await startDynamicsEmulator(opts);
  open.push(emu);
  return emu;
}

export async function launch(url: string, interactive: boolean): Promise<string> {
  expect(interactive).toBe(true);
  const res = await fetch(url, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`authorization page answered ${res.status}: ${await res.text()}`);
  return location;
}

/** The spec's templates with the Entra host swapped for the emulator's (the only override). */
export function oauthUrls(emu: DynamicsEmulator, settings: Record<string, unknown>) {
  const swap = (s: string) => s.replace('https://login.microsoftonline.com', emu.loginUrl);
  return {
    authorizeUrl: expandTemplate(swap(dynamicsSpec.auth.oauth.authorizeUrl), settings),
    tokenUrl: expandTemplate(swap(dynamicsSpec.auth.oauth.tokenUrl), settings),
    scopes: dynamicsSpec.auth.oauth.scopes.map((s) => expandTemplate(s, settings)),
  };
}

/** "Connect with Dynamics 365": the spec's templates, the PKCE flow, the secrets to store. */
export async function connect(emu: DynamicsEmulator, settings: Record<string, unknown>, now = Date.now): Promise<Record<string, string>> {
  const u = oauthUrls(emu, settings);
  const t = await connectWithPkce({ ...u, clientId: String(settings.clientId), redirectUri: emu.redirectUri, launch });
  return { access_token: t.access_token, refresh_token: t.refresh_token!, expires_at: String(now() + (t.expires_in ?? 3600) * 1000) };
}

export const settingsFor = (emu: DynamicsEmulator, extra: Record<string, unknown> = {}) => ({ orgUrl: emu.url, tenant: emu.tenant, clientId: emu.clientId, ...extra });

export interface Harness {
  emu: DynamicsEmulator;
  adapter: ReturnType<typeof createDynamicsAdapter>;
  secrets: Record<string, string>;
  patches: Record<string, string>[];
  connectionId: string;
  another(overrides?: DynamicsAdapterOverrides): ReturnType<typeof createDynamicsAdapter>;
}

export async function harness(o: { emu?: DynamicsEmulatorOptions; settings?: Record<string, unknown>; secrets?: Record<string, string> } = {}): Promise<Harness> {
  const emu = await emulator(o.emu);
  const settings = settingsFor(emu, o.settings);
  const secrets = { ...(await connect(emu, settings)), ...o.secrets };
  emu.control.clearLog();
  const connectionId = `dyn-${crypto.randomUUID()}`;
  const patches: Record<string, string>[] = [];
  const make = (overrides: DynamicsAdapterOverrides = {}) =>
    createDynamicsAdapter(
      {
        db: null,
        connection: { id: connectionId, kind: 'dynamics', name: 'Dynamics', enabled: true, createdAt: 0, settings },
        secrets: { ...secrets },
        now: Date.now,
        fetch: globalThis.fetch,
        onSecrets: (p) => {
          patches.push(p);
          Object.assign(secrets, p);
        },
      },
      { loginUrl: emu.loginUrl, timeoutMs: 3000, ...overrides },
    );
  return { emu, adapter: make(), secrets, patches, connectionId, another: make };
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
