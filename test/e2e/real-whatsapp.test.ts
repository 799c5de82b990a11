// WhatsApp Web's content scripts in real Chromium on the saved page served as web.whatsapp.com
// (structures and sources: test/fixtures/sites/whatsapp/SOURCES.md). The page's module system is
// the fixture's emulation (its scaffolding script); the extension's own main-world bridge reads it,
// so the chat's address and number reach the sidebar the way they do on the real site.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureFile, sidebar, SLOW, startRealHosts, type RealHosts } from './real-hosts';

const WHATSAPP = 'https://web.whatsapp.com/';

let hosts: RealHosts;

const open = (url: string) => hosts.open(url);

beforeAll(async () => {
  hosts = await startRealHosts({
    hosts: ['web.whatsapp.com'],
    route(host, url) {
      if (host !== 'web.whatsapp.com' || url.pathname !== '/') return null;
      return fixtureFile('whatsapp', url.searchParams.get('fixture') ?? 'current');
    },
  });
});

afterAll(async () => {
  await hosts?.stop();
});

const name = (p: Page) => sidebar(p).locator('[data-testid="identity-name"]');
const phones = (p: Page) => sidebar(p).locator('[data-testid="identity-phones"]');
const code = (p: Page) => sidebar(p).locator('[data-testid="customer-code"]');
/** A chat-list click, as the user makes it (the fixture's page makes that chat active and replaces #main). */
const openChat = (p: Page, item: string) => p.locator(`#pane-side [data-testid="${item}"] [role="gridcell"]`).click();

describe('WhatsApp Web (fixture served as web.whatsapp.com)', () => {
  let chat: Page;
  let customer = '';

  it('shows the contact and the number the page’s own modules hold, docked beside the app', async () => {
    chat = await open(WHATSAPP);
    await phones(chat).waitFor(SLOW);
    // 8613800138000 comes only from the bridge (no address is in this page's DOM).
    await expect.poll(() => phones(chat).innerText(), SLOW).toContain('138 0013 8000');
    expect(await name(chat).innerText()).toBe('张伟');
    expect(await sidebar(chat).locator('[data-testid="weak-key-note"]').count()).toBe(0);
    // The app wrapper makes room: the chat list and composer are not under the sidebar.
    expect(await chat.evaluate(() => getComputedStyle(document.querySelector('#app > div.app-wrapper-web')!).marginRight)).toBe('340px');
  });

  it('creates the customer and shows its code', async () => {
    await sidebar(chat).locator('[data-testid="create-submit"]').click();
    await code(chat).waitFor(SLOW);
    customer = (await code(chat).innerText()).trim();
    expect(customer).not.toBe('');
  });

  it('follows switches to a @lid chat (no number) and a group, and back to the linked customer', async () => {
    await openChat(chat, 'list-item-1');
    await expect.poll(() => name(chat).innerText(), SLOW).toBe('~Lina');
    expect(await phones(chat).locator('[title]').count()).toBe(0);
    expect(await code(chat).count()).toBe(0);
    expect(await sidebar(chat).locator('[data-testid="weak-key-note"]').count()).toBe(0);

    await openChat(chat, 'list-item-2');
    await sidebar(chat).locator('[data-testid="group-note"]').waitFor(SLOW);
    expect(await name(chat).innerText()).toBe('贷款客户群');

    await openChat(chat, 'list-item-0');
    await expect.poll(() => code(chat).innerText(), SLOW).toBe(customer);
  });

  it('without the page’s module system shows the chat under its title, weak, and links nothing', async () => {
    const page = await open(`${WHATSAPP}?modules=none`);
    await sidebar(page).locator('[data-testid="weak-key-note"]').waitFor(SLOW);
    expect(await name(page).innerText()).toBe('张伟');
    // The customer made above is 张伟 with this number, yet a title is no identity.
    expect(await code(page).count()).toBe(0);
    expect(await sidebar(page).locator('[data-testid="create-submit"]').count()).toBe(0);
    expect(await phones(page).innerText()).not.toContain('138 0013 8000');
    await page.close();
  });

  it('says it cannot read a page whose selectors were all renamed, and shows no customer', async () => {
    const page = await open(`${WHATSAPP}?fixture=broken`);
    await sidebar(page).locator('[data-testid="health-banner"]').waitFor(SLOW);
    // The banner names the cause: the fields it could not find.
    expect(await sidebar(page).locator('[data-testid="health-banner"] [data-cause="fields"]').count()).toBe(1);
    expect(await code(page).count()).toBe(0);
    expect(await sidebar(page).locator('[data-testid="create-submit"]').count()).toBe(0);
    await page.close();
  });
});
