// 自定义网站 in real Chromium: a chat page no built-in reader knows, served on loopback at its own
// path (without the demo's application-name meta, so the demo reader ignores it). The user
// defines it in options (selectors as data), checks the selectors against the open tab, saves
// (Chrome answers the host request at once: loopback is already granted) → the background
// registers a dynamic content script for the pattern; after a reload the sidebar shows the
// contact and phone, and creating a customer works through the router's custom-site check.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchWithExtension, type LaunchedExtension } from '../../scripts/lib/chromium.mjs';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/custom-site/chat.html');
const SLOW = { timeout: 30_000 };

let server: Server;
let ext: LaunchedExtension;
let chatUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (!(req.url ?? '').startsWith('/custom-chat/')) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(FIXTURE));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  chatUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/custom-chat/room`;
  ext = await launchWithExtension();
});

afterAll(async () => {
  await ext?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
});

const sidebar = (p: Page) => p.locator('[data-testid="liaison-sidebar"]');

it('defines a site in options, checks it on the open tab, and gets the sidebar there after a reload', async () => {
  const chat = await ext.context.newPage();
  await chat.goto(chatUrl);
  // Nothing knows this page yet (the demo script is on every loopback page but stays away).
  await chat.waitForTimeout(1500);
  expect(await sidebar(chat).count()).toBe(0);

  const options = await ext.context.newPage();
  await options.goto(ext.extensionUrl('options.html'));
  const section = options.locator('[data-testid="custom-sites"]');
  await section.waitFor(SLOW);
  await section.locator('[data-testid="cs-name"]').fill('小店客服');
  await section.locator('[data-testid="cs-pattern"]').fill('http://127.0.0.1/custom-chat/*');
  await section.locator('[data-testid="cs-title"]').fill('.topbar .peer-name');
  await section.locator('[data-testid="cs-messageList"]').fill('.thread');
  await section.locator('[data-testid="cs-messageRow"]').fill('.msg');
  await section.locator('[data-testid="cs-outgoing"]').fill('.mine');
  await section.locator('[data-testid="cs-text"]').fill('.body');
  await section.locator('[data-testid="cs-time"]').fill('time');
  await section.locator('[data-testid="cs-contact"]').fill('.topbar .peer-phone');

  await section.locator('[data-testid="cs-check"]').click();
  const check = section.locator('[data-testid="cs-check-result"]');
  await check.waitFor(SLOW);
  const checked = await check.innerText();
  expect(checked).toContain('赵敏');
  expect(checked).toContain('139 1000 2233');
  expect(checked).toContain('→ 您好，目前年化 3.6% 起');
  expect(checked).toContain('← 你好，想问下装修贷的利率');

  await section.locator('[data-testid="cs-save"]').click();
  await section.locator('[data-testid="custom-site"]').filter({ hasText: '小店客服' }).waitFor(SLOW);
  expect(await section.locator('[data-testid="cs-error"]').count()).toBe(0);

  await chat.reload();
  await sidebar(chat).waitFor(SLOW);
  const side = sidebar(chat);
  await expect.poll(() => side.locator('[data-testid="identity-name"]').innerText(), SLOW).toBe('赵敏');
  await expect.poll(() => side.locator('[data-testid="identity-phones"]').innerText(), SLOW).toContain('139 1000 2233');

  await side.locator('[data-testid="create-submit"]').click();
  await side.locator('[data-testid="customer-code"]').waitFor(SLOW);
  expect((await side.locator('[data-testid="customer-code"]').innerText()).trim()).not.toBe('');
});
