// Shared set-up for the DingTalk contract tests: an emulator per test (test/emulators/dingtalk,
// built from DingTalk's pages and its official SDK's models: DingTalk publishes no OpenAPI file,
// so no request here is validated against a vendor description) and an adapter on its own
// connection id, mapped to the emulated organisation's customer form.
import { afterEach } from 'vitest';
import { createDingtalkAdapter, type DingtalkAdapterOverrides } from '../../../../lib/crm/dingtalk/adapter';
import { resetDingtalkSessions } from '../../../../lib/crm/dingtalk/session';
import type { CrmError } from '../../../../lib/crm/errors';
import type { AdapterDeps } from '../../../../lib/crm/port';
import type { Customer, FollowUp } from '../../../../lib/model';
import { startDingtalkEmulator, type DingtalkEmulator, type DingtalkEmulatorOptions } from '../../../emulators/dingtalk';

const open: DingtalkEmulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
  resetDingtalkSessions();
});

/** The emulated org's personal-customer form, as a user maps it in the mapping editor. */
export const MAPPING = { customer: { name: 'customer_name', phones: 'DDPhoneField-K2U5DHAB', email: 'TextField-K2U5DHAC', notes: 'TextareaField-K2U5DHAD', code: 'TextField-LIAISONCODE' } };

export async function harness(o: { emu?: DingtalkEmulatorOptions; emulator?: DingtalkEmulator; settings?: Record<string, unknown>; secrets?: Record<string, string>; overrides?: DingtalkAdapterOverrides } = {}) {
  const emu = o.emulator ?? (await startDingtalkEmulator(o.emu));
  if (!o.emulator) open.push(emu);
  const connectionId = `dingtalk-${crypto.randomUUID()}`;
  const deps = (): AdapterDeps => ({
    db: null,
    connection: { id: connectionId, kind: 'dingtalk', name: '钉钉', enabled: true, createdAt: 0, settings: { appKey: emu.app.appKey, userId: emu.users[0].userid, agentId: String(emu.app.agentId), mapping: MAPPING, ...o.settings } },
    secrets: { app_secret: emu.app.appSecret, ...o.secrets },
    now: Date.now,
  });
  const overrides = { apiBase: emu.url, oapiBase: emu.url, timeoutMs: 3000, ...o.overrides };
  const make = () => createDingtalkAdapter(deps(), overrides);
  return { emu, adapter: make(), another: make, deps, overrides, connectionId };
}

const T0 = Date.UTC(2026, 11, 1, 2, 30);
export const customer = (over: Partial<Customer> = {}): Customer => ({
  id: crypto.randomUUID(), code: 'KH2026-0001', name: '王小明', phones: ['+8613800138000'], tags: [], stage: '跟进中',
  email: `wang.${Math.random().toString(36).slice(2, 8)}@example.com`, createdAt: T0, updatedAt: T0, searchKeys: [], ...over,
});
export const followUp = (over: Partial<FollowUp> = {}): FollowUp => ({
  id: crypto.randomUUID(), customerId: 'c1', method: '微信', content: '客户问了抵押贷利率 (急), 明天: 回电', result: '有意向', nextAction: '发方案', at: T0, origin: 'manual', messageIds: [], ...over,
});
export const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as CrmError);
