// Shared set-up for the Zendesk contract tests: an emulator per test, an adapter on its own
// connection id whose every request and reply goes through Zendesk's own OpenAPI file
// (openapi.ts); each test ends with no violation and each file prints its count.
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createZendeskAdapter, type ZendeskAdapterOverrides } from '../../../../lib/crm/zendesk/adapter';
import type { CrmError } from '../../../../lib/crm/errors';
import type { TicketInput } from '../../../../lib/crm/port';
import type { Customer, FollowUp } from '../../../../lib/model';
import { startZendeskEmulator, type ZendeskEmulator, type ZendeskEmulatorOptions } from '../../../emulators/zendesk';
import { summaryLine, type SpecLog } from '../../../specs/openapi';
import { zendeskFetch, zendeskSpecFile } from './openapi';

// Zendesk's file is 1.2 MB: parsed and dereferenced once per worker before the tests (cached), so
// no test's own time budget pays for it on a loaded machine.
beforeAll(() => zendeskSpecFile().then(() => undefined, () => undefined), 120_000);

const open: ZendeskEmulator[] = [];
const fresh: SpecLog[] = [];
const all: SpecLog[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
  for (const log of fresh.splice(0)) expect(log.errors()).toEqual([]);
});
afterAll(() => {
  if (all.length) console.log(summaryLine(all));
});

export async function harness(o: { emu?: ZendeskEmulatorOptions; emulator?: ZendeskEmulator; token?: string; email?: string; settings?: Record<string, unknown>; overrides?: ZendeskAdapterOverrides; fetch?: typeof fetch } = {}) {
  const emu = o.emulator ?? (await startZendeskEmulator(o.emu));
  if (!o.emulator) open.push(emu);
  const checked = await zendeskFetch(o.fetch);
  fresh.push(checked.log);
  all.push(checked.log);
  const connectionId = `zendesk-${crypto.randomUUID()}`;
  const make = () =>
    createZendeskAdapter(
      {
        db: null,
        connection: { id: connectionId, kind: 'zendesk', name: 'Zendesk', enabled: true, createdAt: 0, settings: { subdomain: emu.subdomain, email: o.email ?? emu.email, ...o.settings } },
        secrets: { apiToken: o.token ?? emu.token },
        now: Date.now,
        fetch: checked.fetch,
      },
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
  id: crypto.randomUUID(), customerId: 'c1', method: '微信', content: '已联系物流，明天补发', result: '待考虑', nextAction: '周五回访', at: T0, origin: 'manual', messageIds: [], ...over,
});
export const ticket = (c: Customer, over: Partial<TicketInput> = {}): TicketInput => ({
  subject: '收到的贷款资料缺页',
  description: '客户反映邮寄的合同缺第 3 页，要求补寄。',
  category: '售后',
  priority: '高',
  customer: { id: c.id, name: c.name, phones: c.phones, email: c.email, code: c.code },
  messages: [
    { at: Date.UTC(2026, 11, 1, 2, 10), from: 'customer', text: '合同少了第三页' },
    { at: Date.UTC(2026, 11, 1, 2, 12), from: 'me', text: '抱歉，马上处理' },
  ],
  ...over,
});
export const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as CrmError);
