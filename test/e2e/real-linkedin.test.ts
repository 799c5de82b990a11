// LinkedIn messaging's content script in real Chromium on the saved pages served as www.linkedin.com:
// the classic page (current.html), reached from the feed by in-app navigation, and the rebuilt UI
// inside #interop-outlet's open shadow root (shadow.html), each switching threads by pushState.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureFile, sidebar, SLOW, startRealHosts, type RealHosts } from './real-hosts';

const LINKEDIN = 'https://www.linkedin.com';
const CLASSIC_A = '2-NWU4YTFjNGYtMmI3ZC00ZTE5LTlhNjMtMGM0ZDhmMmU3YjE1XzEwMA==';
const CLASSIC_B = '2-YzE5ZjNhNzItOGUwNS00ZDZiLWIyZjQtN2ExZTljMGQzZTg4XzEwMA==';
const SHADOW_A = '2-M2Q3YjllMjAtNmYxNC00YzhhLWE1ZDEtZTJiMDhjNDdmOWE2XzEwMA==';
const SHADOW_B = '2-YTRmMDhjMzEtOWQyZS00YjU3LThlNmMtMWYzYTdkOTBiMmM0XzEwMA==';
const thread = (id: string) => `/messaging/thread/${id}/`;

/**
 * A stand-in for LinkedIn's single-page app: the feed, whose 消息 link swaps in the saved
 * messaging page and pushes its address without a page load (as LinkedIn does), and Back brings
 * the feed back the same way. In messaging, a click on a conversation row (a div with no link,
 * as on the real page) pushes that thread's address and renders it into the same pane; the app
 * knows each row's thread id, the page does not show it.
 */
const FEED_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Feed | LinkedIn</title></head>
<body><main id="feed"><h1>Feed</h1><a id="to-messaging" href="${thread(CLASSIC_A)}">Messaging</a></main>
<script>
  const feed = [...document.body.children].filter((n) => n.tagName !== 'SCRIPT').map((n) => n.cloneNode(true));
  const ROWS = ${JSON.stringify([CLASSIC_A, CLASSIC_B])};
  const rendered = {};
  async function showMessaging() {
    const html = await (await fetch('/__fixture/linkedin/current')).text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    document.body.replaceChildren(...[...doc.body.childNodes].map((n) => document.importNode(n, true)));
  }
  function openThread(id) {
    const pane = document.querySelector('main .msg-thread');
    const open = decodeURIComponent(location.pathname.split('/')[3] || '');
    rendered[open] = [...pane.childNodes].map((n) => n.cloneNode(true));
    const tpl = document.getElementById('thread-' + id);
    const nodes = rendered[id] || [...tpl.content.cloneNode(true).childNodes];
    history.pushState({ view: 'messaging' }, '', '/messaging/thread/' + id + '/');
    pane.replaceChildren(...nodes);
  }
  document.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('#to-messaging');
    if (a) {
      e.preventDefault();
      history.pushState({ view: 'messaging' }, '', a.getAttribute('href'));
      void showMessaging();
      return;
    }
    const row = e.target.closest && e.target.closest('main li div[class*="listitem__link"]');
    if (row) openThread(ROWS[[...document.querySelectorAll('main li div[class*="listitem__link"]')].indexOf(row)]);
  });
  addEventListener('popstate', () => {
    if (location.pathname.startsWith('/feed')) document.body.replaceChildren(...feed.map((n) => n.cloneNode(true)));
    else void showMessaging();
  });
</script></body></html>`;

let hosts: RealHosts;
let ext: RealHosts['ext'];

beforeAll(async () => {
  hosts = await startRealHosts({
    hosts: ['www.linkedin.com'],
    route(host, url) {
      if (host !== 'www.linkedin.com') return null;
      if (url.pathname === '/feed/') return { body: FEED_PAGE };
      if (url.pathname === '/__fixture/linkedin/current') return fixtureFile('linkedin', 'current');
      if (url.pathname === thread(SHADOW_A) || url.pathname === thread(SHADOW_B)) return fixtureFile('linkedin', 'shadow');
      if (url.pathname.startsWith('/messaging/')) return fixtureFile('linkedin', 'current');
      return null;
    },
  });
  ext = hosts.ext;
});

afterAll(async () => {
  await hosts?.stop();
});

const name = (page: Page) => sidebar(page).locator('[data-testid="identity-name"], [data-testid="customer-name"]').first();

async function createCustomer(page: Page): Promise<string> {
  await sidebar(page).locator('[data-testid="create-submit"]').click();
  const codeEl = sidebar(page).locator('[data-testid="customer-code"]');
  await codeEl.waitFor(SLOW);
  const code = (await codeEl.innerText()).trim();
  expect(code).not.toBe('');
  return code;
}

describe('LinkedIn classic messaging reached by in-app navigation (served as www.linkedin.com)', () => {
  it('shows nothing on the feed, the sidebar once the app navigates to a thread, and tears it down on Back', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${LINKEDIN}/feed/`);
    await page.waitForTimeout(1500);
    expect(await page.locator('liaison-sidebar').count()).toBe(0);

    await page.locator('#to-messaging').click();
    expect(new URL(page.url()).pathname).toBe(thread(CLASSIC_A));
    await expect.poll(() => sidebar(page).locator('[data-testid="identity-name"]').innerText(), SLOW).toBe('Chen Jing');
    await sidebar(page).locator('[data-testid="create-customer"]').waitFor(SLOW);
    // Docked beside the app, not over it.
    const margin = await page.evaluate(() => getComputedStyle(document.querySelector('main')!).marginRight);
    expect(parseInt(margin, 10)).toBeGreaterThan(0);

    await page.goBack();
    await expect.poll(() => page.locator('liaison-sidebar').count(), SLOW).toBe(0);
    expect(await page.locator('#feed').count()).toBe(1);

    // And back into messaging: a fresh session reads the thread again.
    await page.goForward();
    await expect.poll(() => sidebar(page).locator('[data-testid="identity-name"]').innerText(), SLOW).toBe('Chen Jing');
    await page.close();
  });

  it('creates the customer, follows a click to another thread (pushState, same pane) and back to the linked customer', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${LINKEDIN}/feed/`);
    await page.locator('#to-messaging').click();
    await expect.poll(() => name(page).innerText(), SLOW).toBe('Chen Jing');
    const code = await createCustomer(page);

    await page.locator('main li:has(label[aria-label="Select conversation with Wang Fang"]) div[class*="listitem__link"]').click();
    expect(new URL(page.url()).pathname).toBe(thread(CLASSIC_B));
    await expect.poll(() => name(page).innerText(), SLOW).toBe('Wang Fang');
    expect(await sidebar(page).locator('[data-testid="customer-code"]').count()).toBe(0);

    await page.locator('main li:has(label[aria-label="Select conversation with Chen Jing"]) div[class*="listitem__link"]').click();
    expect(new URL(page.url()).pathname).toBe(thread(CLASSIC_A));
    await expect.poll(() => sidebar(page).locator('[data-testid="customer-code"]').innerText(), SLOW).toBe(code);
    await page.close();
  });
});

describe('LinkedIn rebuilt messaging in the shadow root of #interop-outlet (served as www.linkedin.com)', () => {
  /** What LinkedIn's code does on a click in the list: push the address, render the thread in place. */
  const switchTo = (page: Page, id: string) =>
    page.evaluate((to) => {
      const w = window as unknown as { __threads?: Record<string, Node[]> };
      const pane = document.getElementById('interop-outlet')!.shadowRoot!.querySelector('._9f3a2c71')!;
      const open = decodeURIComponent(location.pathname.split('/')[3] ?? '');
      const saved = (w.__threads ??= {});
      saved[open] = [...pane.childNodes].map((n) => n.cloneNode(true));
      const tpl = document.getElementById(`thread-${to}`) as HTMLTemplateElement | null;
      const nodes = saved[to] ?? [...(tpl!.content.cloneNode(true) as DocumentFragment).childNodes];
      history.pushState({}, '', `/messaging/thread/${to}/`);
      pane.replaceChildren(...nodes);
    }, id);

  it('shows the contact named in the shadow root, creates the customer, and follows switches between threads', async () => {
    const page = await hosts.open(`${LINKEDIN}${thread(SHADOW_A)}`);
    // The page's own document cannot see the conversation; the sidebar still reads it.
    expect(await page.evaluate(() => document.querySelector('h2'))).toBeNull();
    await expect.poll(() => name(page).innerText(), SLOW).toBe('Sun Wei');
    await expect.poll(() => sidebar(page).locator('[data-testid="identity-phones"]').innerText(), SLOW).toContain('139 1234 5678');
    const code = await createCustomer(page);

    await switchTo(page, SHADOW_B);
    await expect.poll(() => name(page).innerText(), SLOW).toBe('Liu Yang');
    expect(await sidebar(page).locator('[data-testid="customer-code"]').count()).toBe(0);

    await switchTo(page, SHADOW_A);
    await expect.poll(() => sidebar(page).locator('[data-testid="customer-code"]').innerText(), SLOW).toBe(code);
    await page.close();
  });
});
