// Shared set-up for the Pipedrive contract tests: an emulator per test, an adapter on its own
// connection id whose every request and reply goes through Pipedrive's own OpenAPI files
// (openapi.ts); each test ends with no violation and each file prints its count.
import { afterAll, afterEach, expect } from 'vitest';
import { createPipedriveAdapter, type PipedriveAdapterOverrides } from '../../../../lib/crm/pipedrive/adapter';
import type { CrmError } from '../../../../lib/crm/errors';
import type { Customer, Deal, FollowUp } from '../../../../lib/model';
import { startPipedriveEmulator, type PipedriveEmulator, type PipedriveEmulatorOptions } from '../../../emulators/pipedrive';
import { summaryLine, type SpecLog } from '../../../specs/openapi';
import { pipedriveFetch } from './openapi';

const open: PipedriveEmulator[] = [];
const fresh: SpecLog[] = [];
const all: SpecLog[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
  for (const log of fresh.splice(0)) expect(log.errors()).toEqual([]);
});
afterAll(() => {
  if (all.length) console.log(summaryLine(all));
});

export async function harness(o: { emu?: PipedriveEmulatorOptions; emulator?: PipedriveEmulator; token?: string; settings?: Record<string, unknown>; overrides?: PipedriveAdapterOverrides; fetch?: typeof fetch } = {}) {
  const emu = o.emulator ?? (await startPipedriveEmulator(o.emu));
  if (!o.emulator) open.push(emu);
  const checked = await pipedriveFetch(o.fetch);
  fresh.push(checked.log);
  all.push(checked.log);
  const connectionId = `pipedrive-${crypto.randomUUID()}`;
  const make = () =>
    createPipedriveAdapter(
      { db: null, connection: { id: connectionId, kind: 'pipedrive', name: 'Pipedrive', enabled: true, createdAt: 0, settings: { ...o.settings } }, secrets: { token: o.token ?? emu.token }, now: Date.now, fetch: checked.fetch },
      { baseUrl: emu.url, timeoutMs: 3000, ...o.overrides },
    );
  return { emu, adapter: make(), another: make, spec: checked.log, connectionId };
}

const T0 = Date.UTC(2026, 11, 1, 2, 30);
export const customer = (over: Partial<Customer> = {}): Customer => ({
  id: crypto.randomUUID(), code: 'KH2026-0001', name: '王小明', phones: ['+8613800138000'], tags: [], stage: '跟进中',
  email: `wang.${Math.random().toString(36).slice(2, 8)}@example.com`, createdAt: T0, updatedAt: T0, searchKeys: [], ...over,
});
export const followUp = (over: Partial<FollowUp> = {}): FollowUp => ({
  id: crypto.randomUUID(), customerId: 'c1', method: '微信', content: '客户问了抵押贷利率 <急>', result: '有意向', nextAction: '发方案', at: T0, origin: 'manual', messageIds: [], ...over,
});
export const deal = (over: Partial<Deal> = {}): Deal => ({
  id: crypto.randomUUID(), customerId: 'c1', product: '抵押贷', institution: '招商银行', amount: 1_000_000, status: '进行中', createdAt: T0, ...over,
});
export const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as CrmError);
