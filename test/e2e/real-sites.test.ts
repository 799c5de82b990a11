// The real chats' content scripts in real Chromium, on saved fixtures served under the real
// addresses: an HTTPS server on 127.0.0.1 with a certificate made now by openssl, and Chromium
// told to resolve web.whatsapp.com, xyz.feishu.cn and www.linkedin.com there. So the manifest's real match
// patterns are what inject the scripts; nothing leaves the machine.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, type LaunchedExtension } from '../../scripts/lib/chromium.mjs';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/sites');
const WHATSAPP = 'https://web.whatsapp.com/';
const FEISHU = 'https://xyz.feishu.cn/next/messenger/';
const LINKEDIN_FEED = 'https://www.linkedin.com/feed/';
const LINKEDIN_THREAD = '/messaging/thread/2-ZGVhbDEyMzQ1Njc4OTA=/';

/**
 * A stand-in for LinkedIn's single-page app: the feed, whose 消息 link swaps in the saved
 * messaging page and pushes its address without a page load (as LinkedIn does), and Back
 * brings the feed back the same way.
 */
const FEED_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Feed | LinkedIn</title></head>
<body><div class="application-outlet"><main id="feed"><h1>Feed</h1><a id="to-messaging" href="${LINKEDIN_THREAD}">Messaging</a></main></div>
<script>
  const feed = [...document.body.children].filter((n) => n.tagName !== 'SCRIPT').map((n) => n.cloneNode(true));
  async function showMessaging() {
    const html = await (await fetch('/__fixture/linkedin/current')).text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    document.body.replaceChildren(...[...doc.body.childNodes].map((n) => document.importNode(n, true)));
  }
  document.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('#to-messaging');
    if (!a) return;
    e.preventDefault();
    history.pushState({ view: 'messaging' }, '', a.getAttribute('href'));
    void showMessaging();
  });
  addEventListener('popstate', () => {
    if (location.pathname.startsWith('/feed')) document.body.replaceChildren(...feed.map((n) => n.cloneNode(true)));
    else void showMessaging();
  });
</script></body></html>`;
// This 2-core machine may run other browser tests at the same time.
const SLOW = { timeout: 30_000 };

let server: Server;
let ext: LaunchedExtension;
let certDir: string;

/** Which saved page answers a request: by host, then ?fixture= (default 'current'). */
function fixtureFor(host: string, url: URL): string | null {
  const name = url.searchParams.get('fixture') ?? 'current';
  if (!/^[a-z]+$/.test(name)) return null;
  if (host === 'web.whatsapp.com' && url.pathname === '/') return join(FIXTURES, 'whatsapp', `${name}.html`);
  if (host.endsWith('.feishu.cn') && /^\/(next\/)?messenger\/$/.test(url.pathname)) return join(FIXTURES, 'feishu', `${name}.html`);
  if (host === 'www.linkedin.com' && (url.pathname.startsWith('/messaging/') || url.pathname === '/__fixture/linkedin/current')) return join(FIXTURES, 'linkedin', 'current.html');
  return null;
}

beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'liaison-cert-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem'),
    '-subj', '/CN=web.whatsapp.com', '-addext', 'subjectAltName=DNS:web.whatsapp.com,DNS:*.feishu.cn,DNS:www.linkedin.com',
  ], { stdio: 'ignore' });
  server = createServer({ key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (host === 'www.linkedin.com' && req.url === '/feed/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(FEED_PAGE);
      return;
    }
    const file = fixtureFor(host, new URL(req.url ?? '/', `https://${host}`));
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    try {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  ext = await launchWithExtension({
    args: [`--host-resolver-rules=MAP web.whatsapp.com:443 127.0.0.1:${port}, MAP xyz.feishu.cn:443 127.0.0.1:${port}, MAP www.linkedin.com:443 127.0.0.1:${port}`, '--ignore-certificate-errors'],
  });
});

afterAll(async () => {
  await ext?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

const sidebar = (p: Page) => p.locator('[data-testid="liaison-sidebar"]');

async function open(url: string): Promise<Page> {
  const page = await ext.context.newPage();
  if (process.env.E2E_DEBUG) page.on('console', (m) => console.log(`[${url}]`, m.text()));
  await page.goto(url);
  await sidebar(page).waitFor(SLOW);
  return page;
}

describe('WhatsApp Web (fixture served as web.whatsapp.com)', () => {
  let chat: Page;
  let code = '';

  it('injects the sidebar, docks it beside the app and shows the phone from the chat address', async () => {
    chat = await open(WHATSAPP);
    const phones = sidebar(chat).locator('[data-testid="identity-phones"]');
    await phones.waitFor(SLOW);
    await expect.poll(() => phones.innerText(), SLOW).toContain('138 0013 8000');
    expect(await sidebar(chat).locator('[data-testid="identity-name"]').innerText()).toBe('张伟');
    // The app wrapper makes room: the chat list and composer are not under the sidebar.
    expect(await chat.evaluate(() => getComputedStyle(document.querySelector('#app > div.app-wrapper-web')!).marginRight)).toBe('340px');
  });

  it('creates the customer and shows its code', async () => {
    await sidebar(chat).locator('[data-testid="create-submit"]').click();
    const codeEl = sidebar(chat).locator('[data-testid="customer-code"]');
    await codeEl.waitFor(SLOW);
    code = (await codeEl.innerText()).trim();
    expect(code).not.toBe('');
  });

  it('follows a switch to a @lid chat (no phone) and back to the linked customer', async () => {
    await chat.locator('#pane-side [data-fixture-chat="lid"] [role="gridcell"]').click();
    await expect.poll(() => sidebar(chat).locator('[data-testid="identity-name"]').innerText(), SLOW).toBe('~Lina');
    expect(await sidebar(chat).locator('[data-testid="identity-phones"] [title]').count()).toBe(0);
    expect(await sidebar(chat).locator('[data-testid="customer-code"]').count()).toBe(0);

    await chat.locator('#pane-side [data-fixture-chat="group"] [role="gridcell"]').click();
    await sidebar(chat).locator('[data-testid="group-note"]').waitFor(SLOW);

    await chat.locator('#pane-side [data-fixture-chat="phone"] [role="gridcell"]').click();
    await expect.poll(() => sidebar(chat).locator('[data-testid="customer-code"]').innerText(), SLOW).toBe(code);
  });

  it('says it cannot read a page whose selectors were all renamed, and shows no customer', async () => {
    const page = await open(`${WHATSAPP}?fixture=broken`);
    await sidebar(page).locator('[data-testid="health-banner"]').waitFor(SLOW);
    expect(await sidebar(page).locator('[data-testid="customer-code"]').count()).toBe(0);
    expect(await sidebar(page).locator('[data-testid="create-submit"]').count()).toBe(0);
    await page.close();
  });
});

describe('Feishu messenger (fixture served as xyz.feishu.cn/next/messenger/)', () => {
  let chat: Page;

  it('reads the oc_ chat, shows the typed phone, creates the customer', async () => {
    chat = await open(FEISHU);
    const phones = sidebar(chat).locator('[data-testid="identity-phones"]');
    await phones.waitFor(SLOW);
    await expect.poll(() => phones.innerText(), SLOW).toContain('139 1234 5678');
    expect(await sidebar(chat).locator('[data-testid="identity-name"]').innerText()).toBe('王芳');
    await sidebar(chat).locator('[data-testid="create-submit"]').click();
    await sidebar(chat).locator('[data-testid="customer-code"]').waitFor(SLOW);
  });

  it('follows a switch to a group chat', async () => {
    const code = (await sidebar(chat).locator('[data-testid="customer-code"]').innerText()).trim();
    await chat.locator('[data-feed-id="oc_0a1b2c3d4e5f60718293a4b5c6d7e8f9"]').click();
    await expect.poll(() => sidebar(chat).locator('[data-testid="identity-name"]').innerText(), SLOW).toBe('华东渠道群');
    await sidebar(chat).locator('[data-testid="group-note"]').waitFor(SLOW);
    expect(await sidebar(chat).locator('[data-testid="customer-code"]').count()).toBe(0);
    await chat.locator('[data-feed-id="oc_5f3a9c2b7d1e4f60a8b9c0d1e2f3a4b5"]').click();
    await expect.poll(() => sidebar(chat).locator('[data-testid="customer-code"]').innerText(), SLOW).toBe(code);
  });

  it('injects nothing outside the messenger paths', async () => {
    const page = await ext.context.newPage();
    await page.goto('https://xyz.feishu.cn/docx/abc').catch(() => undefined);
    await page.waitForTimeout(1500);
    expect(await page.locator('liaison-sidebar').count()).toBe(0);
    await page.close();
  });
});

describe('LinkedIn messaging reached by in-app navigation (served as www.linkedin.com)', () => {
  it('shows nothing on the feed, the sidebar once the app navigates to a thread, and tears it down on Back', async () => {
    const page = await ext.context.newPage();
    await page.goto(LINKEDIN_FEED);
    await page.waitForTimeout(1500);
    expect(await page.locator('liaison-sidebar').count()).toBe(0);

    await page.locator('#to-messaging').click();
    expect(new URL(page.url()).pathname).toBe(LINKEDIN_THREAD);
    await expect.poll(() => sidebar(page).locator('[data-testid="identity-name"]').innerText(), SLOW).toBe('Alice Wang');
    await sidebar(page).locator('[data-testid="create-customer"]').waitFor(SLOW);
    // Docked beside the app, not over it.
    const margin = await page.evaluate(() => getComputedStyle(document.querySelector('.application-outlet')!).marginRight);
    expect(parseInt(margin, 10)).toBeGreaterThan(0);

    await page.goBack();
    await expect.poll(() => page.locator('liaison-sidebar').count(), SLOW).toBe(0);
    expect(await page.locator('#feed').count()).toBe(1);

    // And back into messaging: a fresh session reads the thread again.
    await page.goForward();
    await expect.poll(() => sidebar(page).locator('[data-testid="identity-name"]').innerText(), SLOW).toBe('Alice Wang');
    await page.close();
  });
});
