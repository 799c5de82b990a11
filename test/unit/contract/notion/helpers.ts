// Shared set-up for the Notion contract tests: an emulator per test with a customer database
// shaped like seed 004's (客户姓名 title, 状态/优先级/平台 select, 内容 rich_text…), an adapter on
// its own connection, and every request it sends validated against shared/specs/notion.json
// (the shared validator, test/specs/openapi.ts) through the overlay below.
import { afterAll, afterEach, vi } from 'vitest';
import { createNotionAdapter } from '../../../../lib/crm/notion/adapter';
import type { CrmError } from '../../../../lib/crm/errors';
import type { Customer, Deal, FollowUp } from '../../../../lib/model';
import { startNotionEmulator, type NotionEmulator, type NotionEmulatorOptions } from '../../../emulators/notion';
import { loadSpec, summaryLine, validatingFetch, type Patch, type SpecLog } from '../../../specs/openapi';

/**
 * notion.json's known defects (SOURCES.md § Notion: a reduced, hand-kept MCP spec), each a false
 * rejection of a call Notion documents:
 *  1. parentRequest is a oneOf without the data_source_id parent that API 2025-09-03 creates
 *     database pages under (reference/post-page: parent {type: "data_source_id", data_source_id}).
 *  2. sortObject requires `property`: Notion also sorts by entry timestamps, {timestamp:
 *     "created_time" | "last_edited_time", direction} (reference/sort-data-source-entries).
 */
export const NOTION_PATCHES: Patch[] = [
  {
    id: 'parent-data-source-id',
    reason: 'SOURCES.md Notion defect: parent oneOf lacks data_source_id (developers.notion.com reference/post-page, 2025-09-03)',
    op: 'add',
    path: '/components/schemas/parentRequest/oneOf/-',
    value: { type: 'object', properties: { type: { type: 'string', const: 'data_source_id' }, data_source_id: { type: 'string' } }, required: ['data_source_id'], additionalProperties: false },
  },
  {
    id: 'timestamp-sort',
    reason: 'notion.json sortObject lacks the timestamp sort (developers.notion.com reference/sort-data-source-entries)',
    op: 'replace',
    path: '/components/schemas/sortObject',
    value: {
      oneOf: [
        { type: 'object', required: ['property', 'direction'], properties: { property: { type: 'string' }, direction: { enum: ['ascending', 'descending'], type: 'string' } }, additionalProperties: false },
        { type: 'object', required: ['timestamp', 'direction'], properties: { timestamp: { enum: ['created_time', 'last_edited_time'], type: 'string' }, direction: { enum: ['ascending', 'descending'], type: 'string' } }, additionalProperties: false },
      ],
    },
  },
];

// The adapter paces itself at Notion's 3 requests/s (spec.rateLimit). The contract tests check what
// it sends and how it reads replies, not Notion's speed: they run adapter and emulator at FAST;
// `realRate: true` keeps Notion's average of 3 requests/s with bursts in both (the pacing test).
vi.setConfig({ testTimeout: 40_000 });
const FAST = { requestsPerSecond: 500, burst: 50 };

const open: NotionEmulator[] = [];
const logs: SpecLog[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});
afterAll(() => {
  if (logs.length) console.log(`[notion.json] ${summaryLine(logs)}`);
});
export const specLogs = () => logs;

export const CUSTOMER_PROPS = {
  客户编号: { rich_text: {} }, 电话: { phone_number: {} }, 邮箱: { email: {} }, 公司: { rich_text: {} }, 平台: { select: { options: [{ name: '抖音' }] } },
  状态: { select: { options: [{ name: '新客户' }, { name: '跟进中' }] } }, 优先级: { select: { options: [{ name: '高' }, { name: '中' }, { name: '低' }] } },
  标签: { multi_select: { options: [] } }, 内容: { rich_text: {} }, 下次跟进: { date: {} }, 创建时间: { date: {} },
};

export async function emulator(opts: NotionEmulatorOptions = {}) {
  const emu = await startNotionEmulator(opts);
  open.push(emu);
  return emu;
}

export async function harness(o: { emu?: NotionEmulatorOptions; settings?: Record<string, unknown>; prepared?: boolean; deals?: boolean; token?: string; realRate?: boolean } = {}) {
  const emu = await emulator({ ...(o.realRate ? {} : { rate: { perSecond: FAST.requestsPerSecond, burst: FAST.burst } }), ...o.emu });
  const customers = emu.control.addDatabase({ title: '客户', titleProperty: '客户姓名', properties: CUSTOMER_PROPS });
  const deals = emu.control.addDatabase({ title: '成交', titleProperty: '产品名称' });
  const tasks = emu.control.addDatabase({ title: '任务', titleProperty: '任务' });
  const spec = await loadSpec('notion.json', { patches: NOTION_PATCHES });
  const { fetch, log } = await validatingFetch('notion', [spec]);
  logs.push(log);
  const connectionId = `notion-${crypto.randomUUID()}`;
  const sent: { method: string; url: string }[] = [];
  const link = (id: string) => `https://www.notion.so/acme/${id.replace(/-/g, '')}?v=0123456789abcdef0123456789abcdef`;
  const settings = { customers_source: link(customers.databaseId), ...(o.deals === false ? {} : { deals_source: link(deals.databaseId), tasks_source: link(tasks.databaseId) }), ...o.settings };
  const make = () =>
    createNotionAdapter(
      { db: null, connection: { id: connectionId, kind: 'notion', name: 'Notion', enabled: true, createdAt: 0, settings }, secrets: { token: o.token ?? emu.token }, now: Date.now, fetch },
      { baseUrl: emu.url, timeoutMs: 3000, onRequest: (r) => sent.push(r), ...(o.realRate ? {} : { rateLimit: FAST }) },
    );
  const adapter = make();
  if (o.prepared !== false) await adapter.prepare();
  emu.control.clearLog();
  sent.length = 0;
  return { emu, adapter, log, sent, customers, deals, tasks, another: make };
}

const T0 = Date.UTC(2026, 2, 5, 1, 0);
export const customer = (over: Partial<Customer> = {}): Customer => ({
  id: crypto.randomUUID(), code: 'KH2026-0001', name: '王小明', phones: ['+8613800138000'], tags: ['老客户'], stage: '跟进中', intentLevel: '高',
  email: `wang.${Math.random().toString(36).slice(2, 8)}@example.com`, company: '深圳小明贸易', source: '抖音', createdAt: T0, updatedAt: T0, searchKeys: [], ...over,
});
export const followUp = (over: Partial<FollowUp> = {}): FollowUp => ({
  id: crypto.randomUUID(), customerId: 'c1', method: '微信', content: '客户问了抵押贷利率', result: '有意向', nextAction: '发方案', nextAt: T0 + 2 * 86_400_000, at: T0, origin: 'manual', messageIds: [], ...over,
});
export const deal = (over: Partial<Deal> = {}): Deal => ({
  id: crypto.randomUUID(), customerId: 'c1', product: '抵押贷', institution: '招商银行', amount: 1_000_000, status: '已放款', closedAt: T0, createdAt: T0, ...over,
});
export const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as CrmError);
