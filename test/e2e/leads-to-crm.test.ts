// 搜索客户并导入飞书 (seed 000, issue 15) in real Chromium: a Feishu Bitable connected through the
// options form (its emulator served as https://open.feishu.cn through a TLS proxy, with the
// rate-limit proxy between them), leads extracted from a search page and leads pasted from a
// spreadsheet, sent 导入到 the Bitable from the review page. The page must say it is waiting out
// the 429 ("限流，将在 N 秒后重试"), and its report — synced / skipped (duplicate) / failed — must
// match what the Bitable holds; the leads become local customers linked to those records, and
// the outbox sends none of them to the Bitable a second time.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchWithExtension, type LaunchedExtension } from '../../scripts/lib/chromium.mjs';
import { startFeishuEmulator, type FeishuEmulator } from '../emulators/feishu/index';
import { startImportFaultProxy, type ImportFaultProxy } from '../emulators/feishu/faults-import';
import { poll } from './harness';
import { proxyArgs, startTlsProxy, type TlsProxy } from './tls-proxy';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/leads');
const SLOW = { timeout: 30_000 };

let emu: FeishuEmulator;
let faults: ImportFaultProxy;
let tls: TlsProxy;
let ext: LaunchedExtension;
let server: Server;
let base = '';
let options: Page;
let appToken = '';

beforeAll(async () => {
  emu = await startFeishuEmulator();
  faults = await startImportFaultProxy(emu.url);
  tls = await startTlsProxy('open.feishu.cn', faults.url);
  server = createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/s') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(resolve(FIXTURES, 'search-results.html')));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ext = await launchWithExtension({ args: proxyArgs([tls]) });
  options = await ext.context.newPage();
  await options.goto(ext.extensionUrl('options.html'));
}, 60_000);

afterAll(async () => {
  await ext?.close();
  await tls?.close();
  await faults?.close();
  await emu?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
});

async function send<T>(type: string, payload: unknown): Promise<T> {
  const reply = (await options.evaluate(([type, payload]) => chrome.runtime.sendMessage({ liaison: 1, type, payload }), [type, payload] as const)) as { ok: boolean; data?: T; error?: { message: string } };
  if (!reply.ok) throw new Error(reply.error?.message);
  return reply.data as T;
}

const customersTable = () => [...emu.state.apps.get(appToken)!.tables.values()].find((t) => t.name === '客户信息表')!;
const phonesInBitable = () => [...customersTable().records.values()].map((r) => String(r.fields['电话'] ?? '')).sort();

it('connects a Bitable and sends extracted leads into it: waits out the 429, the report matches the Bitable, the leads become linked customers', { timeout: 120_000 }, async () => {
  appToken = emu.control.createApp('联络 CRM');
  await options.locator('[data-testid="conn-add-feishu-bitable"]').click();
  const form = options.locator('[data-testid="connection-form"]');
  await form.locator('[data-testid="conn-name"]').fill('销售线索表');
  await form.locator('[data-testid="conn-field-app_id"]').fill(emu.appId);
  await form.locator('[data-testid="conn-field-app_secret"]').fill(emu.appSecret);
  await form.locator('[data-testid="conn-field-app_token"]').fill(appToken);
  await form.locator('[data-testid="conn-test"]').click();
  await form.locator('[data-testid="conn-test-ok"]').waitFor({ timeout: 20_000 });
  await form.locator('[data-testid="conn-save"]').click();
  const row = options.locator('[data-testid="connection"]', { hasText: '销售线索表' });
  await row.waitFor();
  await row.locator('[data-testid="conn-prepare"]').click();
  await expect.poll(() => row.locator('[data-testid="conn-prepared"]').innerText(), SLOW).toContain('客户信息表');
  // A colleague already typed 赵总 into the Bitable.
  emu.control.addRecords(appToken, customersTable().table_id, [{ 姓名: '赵总', 电话: '13910023008' }]);

  // Extract the search page, as the popup's 提取线索 does; the review opens in a tab.
  const results = await ext.context.newPage();
  await results.goto(`${base}/s?wd=${encodeURIComponent('北京 贷款 中介')}`);
  const tabId = await options.evaluate(async (u) => {
    const tabs = (chrome as unknown as { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } }).tabs;
    return (await tabs.query({})).find((t) => t.url === u)!.id!;
  }, results.url());
  const opened = ext.context.waitForEvent('page', SLOW);
  await send('leads.extract', { tabId, open: true });
  const review = await opened;
  await review.locator('[data-testid="lead-review"]').waitFor(SLOW);
  expect(await review.locator('[data-testid="lead-pick"]:checked').count()).toBe(5);

  // 导入到：飞书多维表格 销售线索表
  const target = review.locator('[data-testid="lead-target"]');
  await expect.poll(() => target.locator('option').allInnerTexts(), SLOW).toEqual(['本地', '飞书多维表格 销售线索表']);
  await target.selectOption({ label: '飞书多维表格 销售线索表' });
  await review.locator('[data-testid="lead-source"]').fill('百度');

  // The gateway refuses the first write with 429 / 99991400, reset 4 s: the page must say so, and the import must go on.
  faults.log.length = 0;
  faults.rateLimitNext({ api: 'records.batch_create', count: 1, resetSeconds: 4 });
  await review.locator('[data-testid="lead-import"]').click();
  const wait = review.locator('[data-testid="crm-wait"]');
  await wait.waitFor(SLOW);
  expect(await wait.innerText()).toMatch(/^限流，将在 [1-4] 秒后重试$/);
  if (process.env.E2E_SHOTS) await review.screenshot({ path: `${process.env.E2E_SHOTS}/leads-crm-waiting.png`, fullPage: true });

  const report = review.locator('[data-testid="crm-report"]');
  await report.waitFor(SLOW);
  const counts = { synced: await report.getAttribute('data-synced'), skipped: await report.getAttribute('data-skipped'), failed: await report.getAttribute('data-failed') };
  expect(counts).toEqual({ synced: '3', skipped: '2', failed: '0' });
  expect(await review.locator('[data-testid="crm-report-counts"]').innerText()).toBe('飞书多维表格 销售线索表：已同步 3 条 · 已跳过 2 条（重复 1） · 失败 0 条');
  if (process.env.E2E_SHOTS) await review.screenshot({ path: `${process.env.E2E_SHOTS}/leads-crm-report.png`, fullPage: true });
  const reasons = await review.locator('[data-testid="crm-report-row"]').allInnerTexts();
  expect(reasons.find((r) => r.includes('赵总'))).toContain('飞书多维表格中已有此电话（重复）');
  expect(reasons.find((r) => r.includes('陈老师'))).toContain('没有有效的手机号');

  // What the Bitable holds matches the report: the colleague's row plus the 3 synced, each once,
  // and the limited call was replayed with its client_token.
  expect(phonesInBitable()).toEqual(['+8613810012001', '+8613910023002', '+861062553005', '13910023008'].sort());
  const writes = faults.log.filter((e) => e.api === 'records.batch_create');
  expect(writes.map((e) => e.status)).toEqual([429, 200]);
  expect(writes[0]!.clientToken).toBe(writes[1]!.clientToken);
  const created = [...customersTable().records.values()].find((r) => r.fields['姓名'] === '刘经理')!;
  expect(created.fields).toMatchObject({ 来源渠道: '百度', 搜索关键词: '北京 贷款 中介', 贷款状态: '新客户' });

  // They are local customers now, linked to those records (the sidebar knows them); the review shows them as customers.
  const { json } = await send<{ json: string }>('data.export', {});
  const tables = (JSON.parse(json) as { tables: { customers: { id: string; name: string }[]; links: { customerId: string; connectionId: string; remoteId?: string; syncState: string }[]; connections: { id: string; kind: string }[] } }).tables;
  const feishuId = tables.connections.find((c) => c.kind === 'feishu-bitable')!.id;
  const linked = tables.links.filter((l) => l.connectionId === feishuId);
  expect(linked).toHaveLength(4);
  expect(linked.every((l) => l.syncState === 'synced')).toBe(true);
  expect(new Set(linked.map((l) => l.remoteId))).toEqual(new Set(customersTable().records.keys()));
  expect(tables.customers.map((c) => c.name).sort()).toEqual(['刘经理', '张女士', '王先生', '赵总'].sort());
  await expect.poll(() => review.locator('[data-testid="lead-row"][data-status="duplicate-local"]').count(), SLOW).toBe(4);

  // The outbox has nothing for the Bitable: a sync run sends no second copy.
  await send('sync.retry', {});
  const health = await poll(() => send<{ connections: { connectionId: string; queued: number }[] }>('sync.health', {}), (h) => h.connections.every((c) => c.queued === 0), 20_000, 'an empty queue');
  expect(health.connections.find((c) => c.connectionId === feishuId)?.queued ?? 0).toBe(0);
  expect(customersTable().records.size).toBe(4);
  await review.close();
  await results.close();
});

it('pasted spreadsheet rows: a refused write fails its leads with the reason (nothing stored, nothing local), a retry syncs them, a known phone is skipped', { timeout: 120_000 }, async () => {
  const page = await ext.context.newPage();
  await page.goto(ext.extensionUrl('leads.html'));
  await page.locator('[data-testid="lead-sheet"]').waitFor(SLOW);
  await page.locator('[data-testid="lead-sheet-paste"]').fill(['姓名\t电话\t备注', '孙先生\t137 0000 1111\t想了解车贷', '周女士\t13700002222\t', '刘经理\t13810012001\t又留了一次电话'].join('\n'));
  await page.locator('[data-testid="lead-sheet-read"]').click();
  await page.locator('[data-testid="lead-review"]').waitFor(SLOW);
  const rows = page.locator('[data-testid="lead-row"]');
  expect(await rows.count()).toBe(3);
  // 刘经理 is a customer already (first test): unpicked; pick him anyway to send all three.
  await rows.filter({ hasText: '13810012001' }).locator('[data-testid="lead-pick"]').check();
  const target = page.locator('[data-testid="lead-target"]');
  await expect.poll(() => target.locator('option').count(), SLOW).toBe(2);
  await target.selectOption({ label: '飞书多维表格 销售线索表' });

  // The Base refuses the write (1254103: the table is full).
  emu.control.failNext({ api: 'records.batch_create', code: 1254103, msg: 'RecordExceedLimit' });
  await page.locator('[data-testid="lead-import"]').click();
  const report = page.locator('[data-testid="crm-report"]');
  await report.waitFor(SLOW);
  expect([await report.getAttribute('data-synced'), await report.getAttribute('data-skipped'), await report.getAttribute('data-failed')]).toEqual(['0', '1', '2']);
  const failed = page.locator('[data-testid="crm-report-row"][data-outcome="failed"]');
  expect(await failed.count()).toBe(2);
  expect(await failed.first().innerText()).toContain('数据表已达 20,000 条记录上限');
  expect(await failed.first().innerText()).toContain('1254103');
  expect(customersTable().records.size).toBe(4);
  const { results: none } = await send<{ results: unknown[] }>('customer.search', { query: '孙先生', limit: 5 });
  expect(none).toEqual([]);

  // The failed leads are still new in the review: import them again, now it goes through.
  await expect.poll(() => page.locator('[data-testid="lead-row"][data-status="new"]').count(), SLOW).toBe(2);
  await page.getByRole('button', { name: '全选有效线索' }).click();
  await page.locator('[data-testid="lead-import"]').click();
  await expect.poll(() => report.getAttribute('data-synced'), SLOW).toBe('2');
  expect(await report.getAttribute('data-failed')).toBe('0');
  expect(customersTable().records.size).toBe(6);
  expect(phonesInBitable()).toContain('+8613700001111');
  const { results: sun } = await send<{ results: { name: string }[] }>('customer.search', { query: '孙先生', limit: 5 });
  expect(sun.map((c) => c.name)).toEqual(['孙先生']);
  await page.close();
});
