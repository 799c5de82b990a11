// 客户搜索 → 生成线索 → 过滤有效线索 → 导入 in real Chromium: a search-results page served on
// loopback, extraction through the background's message (what the popup and the context menu
// send; activeTab is never granted to automation, but loopback is a host permission, so
// executeScript works there), the review page, and the import through the spreadsheet path.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchWithExtension, type LaunchedExtension } from '../../scripts/lib/chromium.mjs';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/leads');
const SLOW = { timeout: 30_000 };

let server: Server;
let ext: LaunchedExtension;
let base = '';
let ui: Page;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const name = { '/s': 'search-results', '/thread': 'comments', '/list': 'lead-list' }[url.pathname];
    if (!name) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(resolve(FIXTURES, `${name}.html`)));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ext = await launchWithExtension();
  ui = await ext.context.newPage();
  await ui.goto(ext.extensionUrl('popup.html'));
});

afterAll(async () => {
  await ext?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
});

/** A protocol message from an extension page (what the popup and review page send). */
async function send<T>(type: string, payload: unknown): Promise<T> {
  const reply = (await ui.evaluate(([type, payload]) => chrome.runtime.sendMessage({ liaison: 1, type, payload }), [type, payload] as const)) as {
    ok: boolean;
    data?: T;
    error?: { message: string };
  };
  if (!reply.ok) throw new Error(reply.error?.message);
  return reply.data as T;
}

async function tabIdOf(url: string): Promise<number> {
  return ui.evaluate(async (u) => {
    const tabs = (chrome as unknown as { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } }).tabs;
    return (await tabs.query({})).find((t) => t.url === u)!.id!;
  }, url);
}

it('extracts a search page, marks the known customer as a duplicate, and imports the picked leads with source and keyword', async () => {
  // 王先生 is already a customer: his lead must come up as a duplicate.
  await send('customer.create', { fields: { name: '王先生', phones: ['13910023002'] } });

  const pageUrl = `${base}/s?wd=${encodeURIComponent('北京 贷款 中介')}`;
  const results = await ext.context.newPage();
  await results.goto(pageUrl);
  const tabId = await tabIdOf(results.url());

  // open: true is what the popup and the menu send: the review opens in a new tab.
  const opened = ext.context.waitForEvent('page', SLOW);
  const { count } = await send<{ reviewId: string; count: number }>('leads.extract', { tabId, open: true });
  expect(count).toBeGreaterThanOrEqual(5);
  const review = await opened;
  await review.locator('[data-testid="lead-review"]').waitFor(SLOW);
  expect(review.url()).toContain('/leads.html#');

  const rows = review.locator('[data-testid="lead-row"]');
  const statusOf = async (text: string) => rows.filter({ hasText: text }).first().getAttribute('data-status');
  expect(await statusOf('13910023002')).toBe('duplicate-local');
  expect(await rows.filter({ hasText: '13910023002' }).locator('[data-testid="lead-status"]').innerText()).toContain('王先生');
  expect(await statusOf('+8613810012001')).toBe('new');
  // An order number is shown crossed out, not offered for import.
  expect(await review.locator('[data-status="invalid"] [data-testid="lead-pick"]').first().isDisabled()).toBe(true);
  expect(await review.locator('[data-testid="lead-keyword"]').inputValue()).toBe('北京 贷款 中介');
  // New leads start picked, the duplicate does not.
  expect(await rows.filter({ hasText: '13910023002' }).locator('[data-testid="lead-pick"]').isChecked()).toBe(false);
  const picked = await review.locator('[data-testid="lead-pick"]:checked').count();
  expect(picked).toBe(4);

  await review.locator('[data-testid="lead-source"]').fill('百度');
  await review.locator('[data-testid="lead-import"]').click();
  const result = review.locator('[data-testid="lead-result"]');
  await result.waitFor(SLOW);
  expect(await result.innerText()).toMatch(/已导入 4 条（新建 4，合并 0），跳过 0 条，失败 0 条/);

  const { results: found } = await send<{ results: { id: string; name: string }[] }>('customer.search', { query: '刘经理', limit: 5 });
  expect(found.map((c) => c.name)).toEqual(['刘经理']);
  const { json } = await send<{ json: string }>('data.export', {});
  const customers = (JSON.parse(json) as { tables: { customers: { name: string; source?: string; keyword?: string; notes?: string }[] } }).tables.customers;
  expect(customers.find((c) => c.name === '刘经理')).toMatchObject({ source: '百度', keyword: '北京 贷款 中介' });
  expect(customers.find((c) => c.name === '刘经理')?.notes).toContain('房产抵押');

  // After the import the review shows them as customers: extracting again finds nothing new.
  await expect.poll(() => statusOf('+8613810012001'), SLOW).toBe('duplicate-local');
  await review.close();
  await results.close();
});

/** Every tab's id (without the `tabs` permission an extension sees no address of a page it has no host permission for). */
async function tabIds(): Promise<number[]> {
  return ui.evaluate(async () => {
    const tabs = (chrome as unknown as { tabs: { query(q: object): Promise<{ id?: number }[]> } }).tabs;
    return (await tabs.query({})).flatMap((t) => (t.id === undefined ? [] : [t.id]));
  });
}

it('refuses a tab it cannot script, with a clear error', async () => {
  const before = await tabIds();
  const blank = await ext.context.newPage();
  await blank.goto('about:blank');
  const tabId = (await tabIds()).find((id) => !before.includes(id))!;
  expect(tabId).toBeDefined();
  await expect(send('leads.extract', { tabId })).rejects.toThrow(/cannot read this page/);
  await blank.close();
});
