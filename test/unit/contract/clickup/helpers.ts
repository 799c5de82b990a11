// Shared set-up for the ClickUp contract tests: an emulator per test, an adapter on its own
// connection id whose every request and reply goes through ClickUp's own OpenAPI file
// (openapi.ts); each test ends with no violation and each file prints its count.
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createClickUpAdapter, type ClickUpAdapterOverrides } from '../../../../lib/crm/clickup/adapter';
import type { CrmError } from '../../../../lib/crm/errors';
import type { TicketInput } from '../../../../lib/crm/port';
import type { FollowUp } from '../../../../lib/model';
import { LIST, startClickUpEmulator, TEAM, type ClickUpEmulator, type ClickUpEmulatorOptions } from '../../../emulators/clickup';
import { summaryLine, type SpecLog } from '../../../specs/openapi';
import { clickupFetch, clickupSpecFile } from './openapi';

beforeAll(async () => {
  await clickupSpecFile().catch(() => undefined);
}, 120_000);

const open: ClickUpEmulator[] = [];
const fresh: SpecLog[] = [];
const all: SpecLog[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
  for (const log of fresh.splice(0)) expect(log.errors()).toEqual([]);
});
afterAll(() => {
  if (all.length) console.log(summaryLine(all));
});

export async function harness(o: { emu?: ClickUpEmulatorOptions; emulator?: ClickUpEmulator; token?: string; settings?: Record<string, unknown>; overrides?: ClickUpAdapterOverrides; fetch?: typeof fetch; now?: () => number } = {}) {
  const emu = o.emulator ?? (await startClickUpEmulator(o.emu));
  if (!o.emulator) open.push(emu);
  const checked = await clickupFetch(o.fetch);
  fresh.push(checked.log);
  all.push(checked.log);
  const connectionId = `clickup-${crypto.randomUUID()}`;
  const make = (settings: Record<string, unknown> = {}, id = connectionId) =>
    createClickUpAdapter(
      {
        db: null,
        connection: { id, kind: 'clickup', name: 'ClickUp', enabled: true, createdAt: 0, settings: { teamId: TEAM, listId: LIST, ...o.settings, ...settings } },
        secrets: { token: o.token ?? emu.token },
        now: o.now ?? Date.now,
        fetch: checked.fetch,
      },
      { baseUrl: emu.url, timeoutMs: 3000, reconcileDelaysMs: [0, 50], ...o.overrides },
    );
  return { emu, adapter: make(), another: make, spec: checked.log, connectionId };
}

const T0 = Date.UTC(2026, 11, 1, 2, 30);
export const ticket = (over: Partial<TicketInput> = {}): TicketInput => ({
  subject: '净水器漏水，要求上门维修',
  description: '客户反映上周购买的净水器底部漏水。\n已拍照。\n\n希望本周内上门。',
  category: '售后',
  priority: '高',
  customer: { id: 'c1', name: '王小明', phones: ['+8613800138000'], email: 'wang@example.com', company: '深圳联络贸易', code: 'KH2026-0001' },
  messages: [
    { at: T0, from: 'customer', text: '你好，净水器底下一直在漏水' },
    { at: T0 + 60_000, from: 'me', text: '抱歉！请拍张照片发我' },
  ],
  ...over,
});
export const followUp = (over: Partial<FollowUp> = {}): FollowUp => ({
  id: crypto.randomUUID(), customerId: 'c1', method: '电话', content: '已约好周四上午上门', result: '有意向', nextAction: '上门维修', at: T0, origin: 'manual', messageIds: [], ...over,
});
export const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as CrmError);
