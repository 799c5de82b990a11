// 自定义网站 in real Chromium, on a console no built-in reader knows (test/fixtures/custom-site/
// console.html, our own page), served on loopback on a random port. The user describes it in
// options without code: a URL pattern with a port wildcard (http://127.0.0.1:*/console/*), the
// thread key from a header attribute, message ids and direction from row attributes, times from
// `datetime`, the WeChat id cut by a regular expression. 试读 on the open tab shows what the
// reader reads; saving registers the content script (loopback is granted in the development
// build, so Chrome answers the host request at once); the sidebar shows the contact, creates a
// customer, follows a switch, and finds the customer again by the key (a weak key never would).
// Then the element picker: started from options, a click on the page fills the field with the
// proposed selector and its count; Esc cancels.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, type LaunchedExtension } from '../../scripts/lib/chromium.mjs';
import { sidebar, sidebarFrame } from './sidebar-locator';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/custom-site/console.html');
const SLOW = { timeout: 30_000 };

let server: Server;
let ext: LaunchedExtension;
let origin = '';
let chat: Page;
let options: Page;

beforeAll(async () => {
  server = createServer((req, res) => {
    if ((req.url ?? '').startsWith('/elsewhere/')) return void res.writeHead(200, { 'content-type': 'text/html' }).end(readFileSync(FIXTURE));
    if (!(req.url ?? '').startsWith('/console/')) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(FIXTURE));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ext = await launchWithExtension();
});

afterAll(async () => {
  await ext?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
});

const section = () => options.locator('[data-testid="custom-sites"]');
const field = (testid: string): Locator => section().locator(`[data-testid="${testid}"]`);

describe('a console described in options', () => {
  it('test-reads the attribute-keyed page, saves it, and gets the sidebar with the right contact and key', async () => {
    chat = await ext.context.newPage();
    await chat.goto(`${origin}/console/conv/c-8812`);
    // Nothing knows this page yet (the demo script is on every loopback page but stays away).
    await chat.waitForTimeout(1500);
    expect(sidebarFrame(chat)).toBeUndefined();

    options = await ext.context.newPage();
    await options.goto(ext.extensionUrl('options.html'));
    await section().waitFor(SLOW);
    await field('cs-name').fill('云客服');
    await field('cs-pattern').fill('http://127.0.0.1:*/console/*');
    await field('cs-title').fill('.conv-header .customer-name');
    await field('cs-threadKey').fill('.conv-header');
    await field('cs-threadKey-source').selectOption('attr');
    await field('cs-threadKey-attr').fill('data-conv-id');
    await field('cs-messageList').fill('.timeline');
    await field('cs-messageRow').fill('.msg-row');
    await field('cs-messageId-source').selectOption('attr');
    await field('cs-messageId-attr').fill('data-msg-id');
    await field('cs-text').fill('.msg-text');
    await field('cs-time').fill('time');
    await field('cs-time-source').selectOption('attr');
    await field('cs-time-attr').fill('datetime');
    await field('cs-time-format').fill('iso');
    await field('cs-wechat').fill('.customer-wechat');
    await field('cs-wechat-re').fill('微信：(\\S+)');
    await field('cs-email').fill('.customer-email');
    await field('cs-direction-kind').selectOption('outgoingAttr');
    await field('cs-direction-attr').fill('data-direction');
    await field('cs-direction-equals').fill('out');

    await field('cs-test').click();
    const read = field('cs-test-result');
    await read.waitFor(SLOW);
    expect(await section().locator('[data-testid="cs-error"]').count()).toBe(0);
    expect(await read.locator('[data-testid="cs-read-title"]').innerText()).toBe('周芷若');
    expect(await read.locator('[data-testid="cs-read-key"]').innerText()).toBe('c-8812');
    expect(await read.locator('[data-testid="cs-read-keykind"]').innerText()).toMatch(/稳定|stable/);
    expect(await read.locator('[data-testid="cs-read-count"]').innerText()).toBe('3');
    expect(await read.locator('[data-testid="cs-read-first"]').innerText()).toContain('您好，我想了解企业版的报价');
    expect(await read.locator('[data-testid="cs-read-last"]').innerText()).toContain('我们有 30 个席位，下周签合同');
    expect(await read.locator('[data-testid="cs-read-contact"]').innerText()).toContain('zhiruo_emei');

    await field('cs-save').click();
    await section().locator('[data-testid="custom-site"]').filter({ hasText: '云客服' }).waitFor(SLOW);
    expect(await section().locator('[data-testid="cs-error"]').count()).toBe(0);
    expect(await section().locator('[data-testid="cs-problems"]').count()).toBe(0);

    await chat.reload();
    const side = sidebar(chat);
    await side.waitFor(SLOW);
    await expect.poll(() => side.locator('[data-testid="identity-name"]').innerText(), SLOW).toBe('周芷若');
    await side.locator('[data-testid="create-submit"]').click();
    // Three times under heavy load (2026-12-07, load 9-13) the code did not show within the wait.
    // The third showed the form as it stood, with no error: the tab's report, read before the
    // create and sent after understanding finished, replaced the sidebar's fresh view (fixed in
    // entrypoints/background/handlers.ts, test/unit/background/observed-publish.test.ts). If it
    // happens again, say what the sidebar showed instead.
    await side
      .locator('[data-testid="customer-code"]')
      .waitFor(SLOW)
      .catch(async (e: Error) => {
        const shown = await side.innerText().catch((err: Error) => `(not readable: ${err.message})`);
        throw new Error(`${e.message}\nthe sidebar showed instead:\n${shown}`);
      });
    const code = (await side.locator('[data-testid="customer-code"]').innerText()).trim();
    expect(code).not.toBe('');

    // A switch keeps the pane and moves the address (pushState): the sidebar follows it.
    await chat.locator('.queue-item', { hasText: '宋青书' }).click();
    await expect.poll(() => side.locator('[data-testid="identity-name"]').innerText(), SLOW).toBe('宋青书');
    await side.locator('[data-testid="create-submit"]').waitFor(SLOW);
    expect(await side.locator('[data-testid="customer-code"]').count()).toBe(0);

    // Back: the customer is found by the conversation's key (a weak title key is never linked).
    await chat.locator('.queue-item', { hasText: '周芷若' }).click();
    await expect.poll(() => side.locator('[data-testid="customer-code"]').innerText().catch(() => ''), SLOW).toBe(code);
  });

  it('stays off the same page at a path outside the pattern', async () => {
    const other = await ext.context.newPage();
    // The same console page at another path: the pattern's path leaves it out.
    await other.goto(`${origin}/elsewhere/`);
    await other.waitForTimeout(1500);
    expect(sidebarFrame(other)).toBeUndefined();
    await other.close();
  });
});

describe('the element picker', () => {
  /** Start picking `name` in options and wait for the overlay on the chat page. */
  async function startPick(name: string) {
    await field(`cs-${name}-pick`).click();
    await chat.waitForSelector('liaison-picker', { state: 'attached', timeout: SLOW.timeout });
  }

  it('fills a page field, the thread key with its attribute, and the message row with its sibling count', async () => {
    await field('cs-title').fill('');
    await startPick('title');
    await chat.locator('.customer-name').click();
    await field('cs-title-picked').waitFor(SLOW);
    expect(await field('cs-title').inputValue()).toBe('h2');
    expect(await field('cs-title-picked').innerText()).toMatch(/匹配 1 个|1 match\b/);
    // The page keeps no trace of the picker, and the click did not reach the page's own handlers.
    expect(await chat.locator('liaison-picker').count()).toBe(0);

    await startPick('threadKey');
    await chat.locator('.customer-name').click();
    await field('cs-threadKey-picked').waitFor(SLOW);
    expect(await field('cs-threadKey').inputValue()).toBe('[data-testid="conversation-header"]');
    expect(await field('cs-threadKey-attr').inputValue()).toBe('data-conv-id');

    await startPick('messageRow');
    await chat.locator('.msg-text').nth(1).click();
    await field('cs-messageRow-picked').waitFor(SLOW);
    expect(await field('cs-messageRow').inputValue()).toBe('[data-msg-id]');
    expect(await field('cs-messageRow-picked').innerText()).toMatch(/匹配 3 个，同级 3 行|3 matches, 3 sibling rows/);

    await startPick('time');
    await chat.locator('.msg-row time').first().click();
    await field('cs-time-picked').waitFor(SLOW);
    expect(await field('cs-time').inputValue()).toBe('time');
    expect(await field('cs-time-attr').inputValue()).toBe('datetime');

    // What was picked reads the page: test read again with the picked selectors.
    await field('cs-test').click();
    await expect.poll(() => field('cs-read-key').innerText().catch(() => ''), SLOW).toBe('c-8812');
  });

  it('cancels on Esc and leaves the field as it was', async () => {
    const before = await field('cs-email').inputValue();
    await startPick('email');
    await chat.keyboard.press('Escape');
    await expect.poll(() => chat.locator('liaison-picker').count(), SLOW).toBe(0);
    await expect.poll(() => field('cs-email-pick').innerText(), SLOW).toMatch(/在页面上选取|Pick on page/);
    expect(await field('cs-email').inputValue()).toBe(before);
    expect(await field('cs-email-picked').count()).toBe(0);
  });

  it('says so for a site that is not saved yet', async () => {
    await field('cs-new').click();
    await field('cs-title-pick').click();
    await expect.poll(() => field('cs-error').innerText().catch(() => ''), SLOW).toMatch(/请先保存|Save the site first/);
  });
});
