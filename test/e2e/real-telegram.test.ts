// Telegram Web K and Web A in real Chromium: the saved pages served as web.telegram.org/k/ and
// /a/, each switching chats the way its app does (K: same .chat, new .bubbles-inner, address
// rewritten with replaceState; A: new ChatInfo and MessageList, history.pushState).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureFile, sidebar, SLOW, startRealHosts, type RealHosts } from './real-hosts';

const K = 'https://web.telegram.org/k/';
const A = 'https://web.telegram.org/a/';

let hosts: RealHosts;
const open = (url: string) => hosts.open(url);
const name = (p: Page) => sidebar(p).locator('[data-testid="identity-name"]');
const code = (p: Page) => sidebar(p).locator('[data-testid="customer-code"]');

beforeAll(async () => {
  hosts = await startRealHosts({
    hosts: ['web.telegram.org'],
    route(host, url) {
      if (host !== 'web.telegram.org') return null;
      const site = url.pathname === '/k/' ? 'telegram-k' : url.pathname === '/a/' ? 'telegram-a' : null;
      return site ? fixtureFile(site, url.searchParams.get('fixture') ?? 'current') : null;
    },
  });
});

afterAll(async () => {
  await hosts?.stop();
});

describe('Telegram Web K and A (fixtures served as web.telegram.org/k/ and /a/)', () => {
  let k: Page;
  let customerCode = '';

  it('K: shows the contact (glyph-free name, the typed phone, none from the header) and creates the customer', async () => {
    k = await open(`${K}#@zhangwei_sh`);
    await expect.poll(() => name(k).innerText(), SLOW).toBe('张伟 🌿');
    const phones = sidebar(k).locator('[data-testid="identity-phones"]');
    await expect.poll(() => phones.innerText(), SLOW).toContain('186 1234 5678');
    await sidebar(k).locator('[data-testid="create-submit"]').click();
    await code(k).waitFor(SLOW);
    customerCode = (await code(k).innerText()).trim();
    expect(customerCode).not.toBe('');
  });

  it('K: follows a switch that keeps the .chat pane, to the supergroup and back', async () => {
    const pane = await k.evaluateHandle(() => document.querySelector('#column-center .chat.active'));
    await k.locator('.chatlist-chat[data-peer-id="-1987654321"]').click();
    await expect.poll(() => name(k).innerText(), SLOW).toBe('贷款客户群');
    await sidebar(k).locator('[data-testid="group-note"]').waitFor(SLOW);
    expect(await code(k).count()).toBe(0);
    expect(await k.evaluate(() => location.hash)).toBe('#-1987654321');
    expect(await k.evaluate((p) => p === document.querySelector('#column-center .chat.active'), pane)).toBe(true);
    await k.locator('.chatlist-chat[data-peer-id="5012345678"]').click();
    await expect.poll(() => code(k).innerText(), SLOW).toBe(customerCode);
  });

  it('A: the same peer opened in Web A shows the same customer', async () => {
    const a = await open(`${A}#5012345678`);
    await expect.poll(() => code(a).innerText(), SLOW).toBe(customerCode);
    // The customer created in K, found by the key both apps spell alike.
    expect(await sidebar(a).locator('[data-testid="customer-name"]').innerText()).toContain('张伟');

    // A switches with history.pushState: no hashchange, a new ChatInfo and MessageList.
    await a.locator('[data-fixture-peer="-1001987654321"] .ListItem-button').click();
    await expect.poll(() => name(a).innerText(), SLOW).toBe('贷款客户群');
    await sidebar(a).locator('[data-testid="group-note"]').waitFor(SLOW);
    expect(await a.evaluate(() => location.hash)).toBe('#-1001987654321');
    await a.locator('[data-fixture-peer="5012345678"] .ListItem-button').click();
    await expect.poll(() => code(a).innerText(), SLOW).toBe(customerCode);
    await a.close();
  });

  it.each([
    // K's renamed bubbles: the list shows messages but no row is read (noRows); A's: no peer id (fields).
    ['K', `${K}?fixture=broken#@zhangwei_sh`, 'noRows'],
    ['A', `${A}?fixture=broken`, 'fields'],
  ])('%s: says it cannot read a page it does not recognise, and why, and shows no customer', async (_app, url, cause) => {
    const page = await open(url);
    await sidebar(page).locator('[data-testid="health-banner"]').waitFor(SLOW);
    expect(await sidebar(page).locator(`[data-testid="health-banner"] [data-cause="${cause}"]`).count()).toBe(1);
    expect(await code(page).count()).toBe(0);
    expect(await sidebar(page).locator('[data-testid="create-submit"]').count()).toBe(0);
    await page.close();
  });
});
