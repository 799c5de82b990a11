// Shared set-up for the WeCom contract tests: an emulator per test (test/emulators/wecom) and an
// adapter on its own connection id whose fetch checks every request against WeCom's own YAML
// (yaml-schema.ts through test/specs/openapi.ts validatingFetch). In specs mode
// (LIAISON_SPECS_MODE=1) a missing ../shared/specs/wecom/api fails the run; in an ordinary run it
// is said once on stderr and the requests go unchecked (the log says so: available false).
import { afterEach, beforeAll, vi } from 'vitest';
import { createWecomAdapter, type WecomAdapterOverrides } from '../../../../lib/crm/wecom/adapter';
import { resetWecomSessions } from '../../../../lib/crm/wecom/session';
import { resetLimiters } from '../../../../lib/crm/rate-limiter';
import type { CrmError } from '../../../../lib/crm/errors';
import type { AdapterDeps } from '../../../../lib/crm/port';
import type { Customer } from '../../../../lib/model';
import { missingSpecMessage, specsRequired, validatingFetch, type SpecLog } from '../../../specs/openapi';
import { startWecomEmulator, type WecomEmulator, type WecomEmulatorOptions } from '../../../emulators/wecom';
import { WECOM_DIR, wecomSpec } from './yaml-schema';

const open: WecomEmulator[] = [];
export const logs: SpecLog[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
  resetWecomSessions();
  resetLimiters();
});

// Loading 239 YAML files and compiling the validator takes seconds on a loaded machine: done once,
// before the first test, and the tests get room for emulator round trips (not a speed check).
vi.setConfig({ testTimeout: 30_000 });
beforeAll(async () => {
  await spec().catch(() => undefined);
}, 120_000);

let warned = false;
let specPromise: ReturnType<typeof wecomSpec> | undefined;
async function spec() {
  specPromise ??= wecomSpec();
  return specPromise;
}

/** A fetch validating against the YAML, or the plain fetch (said on stderr) when the files are absent outside specs mode. */
export async function checkedFetch(): Promise<{ fetch: typeof fetch; log: SpecLog }> {
  try {
    const s = await spec();
    const r = await validatingFetch('wecom', [s]);
    logs.push(r.log);
    return r;
  } catch (e) {
    specPromise = undefined;
    if (specsRequired() || !String(e).includes('Vendor API description missing')) throw e;
    if (!warned) process.stderr.write(`[specs] wecom: requests NOT checked: ${missingSpecMessage(WECOM_DIR)}\n`);
    warned = true;
    const log: SpecLog = { vendor: 'wecom', available: false, records: [], uncovered: [], patches: [], errors: () => [], counts: () => ({ validated: 0, violations: 0, uncovered: 0, replies: 0 }) };
    return { fetch: globalThis.fetch, log };
  }
}

export async function harness(o: { emu?: WecomEmulatorOptions; settings?: Record<string, unknown>; secrets?: Record<string, string>; overrides?: WecomAdapterOverrides } = {}) {
  const emu = await startWecomEmulator(o.emu);
  open.push(emu);
  const { fetch, log } = await checkedFetch();
  const connectionId = `wecom-${crypto.randomUUID()}`;
  const deps = (): AdapterDeps => ({
    db: null,
    connection: { id: connectionId, kind: 'wecom', name: '企业微信', enabled: true, createdAt: 0, settings: { corpid: emu.corp.corpid, agentid: String(emu.corp.agentid), followUserId: 'zhangsan', ...o.settings } },
    secrets: { secret: emu.corp.secret, ...o.secrets },
    now: Date.now,
    fetch,
  });
  const overrides = { base: emu.url, timeoutMs: 3000, ...o.overrides };
  const make = () => createWecomAdapter(deps(), overrides);
  return { emu, adapter: make(), another: make, deps, overrides, connectionId, log };
}

const T0 = Date.UTC(2026, 11, 1, 2, 30);
export const customer = (over: Partial<Customer> = {}): Customer => ({
  id: crypto.randomUUID(), code: 'KH2026-0001', name: '王小明', phones: ['+8613800138000'], tags: [], stage: '跟进中', createdAt: T0, updatedAt: T0, searchKeys: [], ...over,
});
export const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as CrmError);
/** Every request of the log was checked and none violated the YAML. */
export function clean(log: SpecLog): string[] {
  return log.errors();
}
