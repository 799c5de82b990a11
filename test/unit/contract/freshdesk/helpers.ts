// Shared set-up for the Freshdesk contract tests: an emulator per test (test/emulators/freshdesk,
// built from developers.freshdesk.com/api) and an adapter on its own connection id.
// SPEC VALIDATION: none is possible. Freshdesk publishes no machine-readable API description
// (shared/specs/SOURCES.md: "Freshdesk: None found"), so requests are not validated against a
// vendor file; the strict emulator's own checks are the contract. Every request still goes
// through the shared recorder (test/specs/openapi.ts validatingFetch with no file), so it is
// logged and `npm run test:specs` lists Freshdesk's requests as uncovered, with "no request was
// validated for this vendor"; each file prints the count.
import { afterAll, afterEach, expect } from 'vitest';
import { createFreshdeskAdapter, type FreshdeskAdapterOverrides } from '../../../../lib/crm/freshdesk/adapter';
import type { CrmError } from '../../../../lib/crm/errors';
import type { TicketInput } from '../../../../lib/crm/port';
import type { FollowUp } from '../../../../lib/model';
import { startFreshdeskEmulator, type FreshdeskEmulator, type FreshdeskEmulatorOptions } from '../../../emulators/freshdesk';
import { validatingFetch, type SpecLog } from '../../../specs/openapi';

const open: FreshdeskEmulator[] = [];
const fresh: SpecLog[] = [];
const all: SpecLog[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
  for (const log of fresh.splice(0)) expect(log.errors()).toEqual([]);
});
afterAll(() => {
  if (!all.length) return;
  const sent = all.reduce((n, l) => n + l.uncovered.length, 0);
  const violations = all.reduce((n, l) => n + l.errors().length, 0);
  console.log(`freshdesk: requests logged ${sent}, validated 0 (Freshdesk publishes no machine-readable API description; the strict emulator checked each one), violations ${violations}`);
});

export async function harness(o: { emu?: FreshdeskEmulatorOptions; emulator?: FreshdeskEmulator; apiKey?: string; settings?: Record<string, unknown>; overrides?: FreshdeskAdapterOverrides; fetch?: typeof fetch } = {}) {
  const emu = o.emulator ?? (await startFreshdeskEmulator(o.emu));
  if (!o.emulator) open.push(emu);
  const logged = await validatingFetch('freshdesk', [], o.fetch ? { base: o.fetch } : {});
  fresh.push(logged.log);
  all.push(logged.log);
  const connectionId = `freshdesk-${crypto.randomUUID()}`;
  const make = (settings: Record<string, unknown> = {}) =>
    createFreshdeskAdapter(
      {
        db: null,
        connection: { id: connectionId, kind: 'freshdesk', name: 'Freshdesk', enabled: true, createdAt: 0, settings: { domain: emu.domain, ...o.settings, ...settings } },
        secrets: { apiKey: o.apiKey ?? emu.apiKey },
        now: Date.now,
        fetch: logged.fetch,
      },
      { baseUrl: emu.url, timeoutMs: 3000, reconcileDelaysMs: [0, 50], ...o.overrides },
    );
  return { emu, adapter: make(), another: make, connectionId };
}

export const GROUP_AFTER_SALES = '43000000501';

const T0 = Date.UTC(2026, 11, 1, 2, 30);
export const ticket = (over: Partial<TicketInput> = {}): TicketInput => ({
  subject: '净水器漏水，要求上门维修',
  description: '客户反映上周购买的净水器底部漏水。\n已拍照。',
  category: '售后',
  priority: '高',
  customer: { id: 'c1', name: '王小明', phones: ['+8613800138000'], email: `wang.${Math.random().toString(36).slice(2, 8)}@example.com`, company: '深圳联络贸易', code: 'KH2026-0001' },
  messages: [
    { at: T0, from: 'customer', text: '你好，净水器底下一直在漏水 <急>' },
    { at: T0 + 60_000, from: 'me', text: '抱歉！请拍张照片发我' },
  ],
  ...over,
});
export const followUp = (over: Partial<FollowUp> = {}): FollowUp => ({
  id: crypto.randomUUID(), customerId: 'c1', method: '电话', content: '已约好周四上午上门', result: '有意向', nextAction: '上门维修', at: T0, origin: 'manual', messageIds: [], ...over,
});
/** The method and URL of what the adapter's fetch was handed (ky passes a Request). */
export const seen = (i: RequestInfo | URL, init?: RequestInit) => (i instanceof Request ? { method: i.method, url: i.url } : { method: init?.method ?? 'GET', url: String(i) });
export const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as CrmError);
