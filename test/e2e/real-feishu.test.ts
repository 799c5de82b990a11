// The Feishu messenger's content script in real Chromium on the saved page served as
// xyz.feishu.cn/next/messenger/ (structures and sources: test/fixtures/sites/feishu/SOURCES.md).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureFile, sidebar, SLOW, startRealHosts, type RealHosts } from './real-hosts';

const FEISHU = 'https://xyz.feishu.cn/next/messenger/';
const CHEN = '7618414996506951681'; // the 1:1 chat open at load
const GROUP = '7540930767261466625';

let hosts: RealHosts;
let ext: RealHosts['ext'];
const open = (url: string) => hosts.open(url);

beforeAll(async () => {
  hosts = await startRealHosts({
    hosts: ['xyz.feishu.cn'],
    route(host, url) {
      if (host !== 'xyz.feishu.cn') return null;
      // The same page under a path that is not the messenger: the match patterns must skip it.
      if (url.pathname === '/docx/abc') return fixtureFile('feishu', 'current');
      if (!/^\/(next\/)?messenger\/$/.test(url.pathname)) return null;
      return fixtureFile('feishu', url.searchParams.get('fixture') ?? 'current');
    },
  });
  ext = hosts.ext;
});

afterAll(async () => {
  await hosts?.stop();
});

const card = (p: Page, feedId: string) => p.locator(`[data-feed-id="${feedId}"] .a11y_feed_card_item`);

describe('Feishu messenger (fixture served as xyz.feishu.cn/next/messenger/)', () => {
  let chat: Page;
  let code = '';

  it('shows the contact and the phone typed in a message’s second paragraph, docked beside the app', async () => {
    chat = await open(FEISHU);
    const phones = sidebar(chat).locator('[data-testid="identity-phones"]');
    await phones.waitFor(SLOW);
    await expect.poll(() => phones.innerText(), SLOW).toContain('139 1234 5678');
    // Not the signature's 021-6288 3500, not our hotline 400-820-1234.
    expect(await phones.innerText()).not.toMatch(/6288|820/);
    expect(await sidebar(chat).locator('[data-testid="identity-name"]').innerText()).toBe('陈思远');
    expect(await chat.evaluate(() => getComputedStyle(document.querySelector('#root')!).marginRight)).toBe('340px');
  });

  it('creates the customer and shows its code', async () => {
    await sidebar(chat).locator('[data-testid="create-submit"]').click();
    const codeEl = sidebar(chat).locator('[data-testid="customer-code"]');
    await codeEl.waitFor(SLOW);
    code = (await codeEl.innerText()).trim();
    expect(code).not.toBe('');
  });

  it('follows a feed-card click to the group (group note, no customer) and back (the same code)', async () => {
    await card(chat, GROUP).click();
    await expect.poll(() => sidebar(chat).locator('[data-testid="identity-name"]').innerText(), SLOW).toBe('华东渠道合作群');
    await sidebar(chat).locator('[data-testid="group-note"]').waitFor(SLOW);
    expect(await sidebar(chat).locator('[data-testid="customer-code"]').count()).toBe(0);
    // A member's number typed in the group (137 0000 1111) is nobody's phone here.
    expect(await sidebar(chat).locator('[data-testid="identity-phones"] [title]').count()).toBe(0);

    await card(chat, CHEN).click();
    await expect.poll(() => sidebar(chat).locator('[data-testid="customer-code"]').innerText(), SLOW).toBe(code);
  });

  it('says it cannot read a page whose message list was renamed (the sidebar’s list is not taken), and shows no customer', async () => {
    const page = await open(`${FEISHU}?fixture=broken`);
    await sidebar(page).locator('[data-testid="health-banner"]').waitFor(SLOW);
    expect(await sidebar(page).locator('[data-testid="health-banner"] [data-cause="fields"]').innerText()).toContain('消息列表');
    expect(await sidebar(page).locator('[data-testid="customer-code"]').count()).toBe(0);
    expect(await sidebar(page).locator('[data-testid="create-submit"]').count()).toBe(0);
    await page.close();
  });

  it('injects nothing outside the messenger paths', async () => {
    const page = await ext.context.newPage();
    await page.goto('https://xyz.feishu.cn/docx/abc');
    await page.locator('.chatWindow_chatName').waitFor(SLOW); // the page itself loaded
    await page.waitForTimeout(1500);
    expect(await page.locator('liaison-sidebar').count()).toBe(0);
    expect(await sidebar(page).count()).toBe(0);
    await page.close();
  });
});
