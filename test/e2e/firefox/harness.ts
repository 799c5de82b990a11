// Browser tests of the Firefox build: Debian's Firefox ESR driven over WebDriver BiDi
// (puppeteer-core, scripts/lib/firefox.mjs), the development build installed as a temporary
// add-on, and the demo chat on a free loopback port.
//
// The sidebar is an extension page framed in a closed shadow root on the chat page; here, as in
// the Chromium tests, it is found as a frame by its address: the frame whose document is
// moz-extension://<this install's uuid>/sidebar.html.
import type { ElementHandle, Frame, Page } from 'puppeteer-core';
import { launchFirefoxWithExtension, type LaunchedFirefox } from '../../../scripts/lib/firefox.mjs';
import { startDemoServer } from '../../../demo/server.mjs';
// The same polling the Chromium browser tests use.
import { poll } from '../harness';

export { poll };

export interface FirefoxE2E extends LaunchedFirefox {
  demoUrl: string;
  stop(): Promise<void>;
}

export async function startFirefoxE2E(): Promise<FirefoxE2E> {
  const demo = await startDemoServer({ port: 0 });
  try {
    const ff = await launchFirefoxWithExtension();
    return {
      ...ff,
      demoUrl: demo.url,
      async stop() {
        await ff.close();
        await demo.close();
      },
    };
  } catch (err) {
    await demo.close();
    throw err;
  }
}


/** The sidebar page's frame in this tab (by the address the browser reports for it), if it is there. */
export async function sidebarFrame(ff: FirefoxE2E, page: Page): Promise<Frame | undefined> {
  const frames = await ff.framesOf(page);
  const hit = frames.find((f) => {
    const u = new URL(f.url, 'about:blank');
    return `${u.protocol}//${u.host}` === ff.origin && u.pathname === '/sidebar.html';
  });
  if (!hit) return undefined;
  return page.frames().find((f) => !f.detached && ff.contextId(f) === hit.context);
}

/**
 * Queries inside one document (the sidebar frame, looked up again on every call since the page
 * may re-create it, or an extension page in a tab). Selectors are relative to `root`.
 */
export interface Scope {
  count(selector: string): Promise<number>;
  text(selector: string): Promise<string>;
  attr(selector: string, name: string): Promise<string | null>;
  /** A real pointer click on the element's centre. */
  click(selector: string): Promise<void>;
  /** Real key presses into a text field. */
  type(selector: string, text: string): Promise<void>;
  /** Set an input's value as the browser's own picker would, then fire input and change (date/time fields). */
  setValue(selector: string, value: string): Promise<void>;
  waitFor(selector: string, timeoutMs?: number): Promise<void>;
}

function scope(get: () => Promise<Frame | undefined>, root: string, what: string): Scope {
  // Each alternative of a selector list is taken inside the root.
  const q = (s: string) =>
    s
      .split(',')
      .map((part) => `${root} ${part.trim()}`)
      .join(', ');
  async function frame(): Promise<Frame> {
    const f = await get();
    if (!f) throw new Error(`${what} is not there`);
    return f;
  }
  async function one(selector: string): Promise<ElementHandle<Element>> {
    const el = await (await frame()).$(q(selector));
    if (!el) throw new Error(`no ${selector} in ${what}`);
    return el;
  }
  async function count(selector: string): Promise<number> {
    const f = await get();
    return f ? f.$$eval(q(selector), (els) => els.length) : 0;
  }
  return {
    count,
    async text(selector) {
      return (await one(selector)).evaluate((el) => (el as HTMLElement).innerText);
    },
    async attr(selector, name) {
      return (await one(selector)).evaluate((el, n) => el.getAttribute(n), name);
    },
    async click(selector) {
      await (await one(selector)).click();
    },
    async type(selector, text) {
      const el = await one(selector);
      await el.focus();
      await el.type(text);
    },
    async setValue(selector, value) {
      await (await one(selector)).evaluate((el, v) => {
        const input = el as HTMLInputElement;
        input.focus();
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, v);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.dispatchEvent(new Event('change', { bubbles: true }));
      }, value);
    },
    async waitFor(selector, timeoutMs = 15_000) {
      // The last failure to look (no frame yet, a frame between documents) is what a timeout reports.
      await poll(async () => count(selector).catch((e: Error) => `${e.message}`), (n) => typeof n === 'number' && n > 0, timeoutMs, `${selector} in ${what}`);
    },
  };
}

/** The sidebar's root element (`[data-testid="liaison-sidebar"]`) inside its frame on this tab. */
export function sidebar(ff: FirefoxE2E, page: Page): Scope {
  return scope(() => sidebarFrame(ff, page), '[data-testid="liaison-sidebar"]', 'the sidebar frame (/sidebar.html)');
}

/** A whole page in a tab (an extension page such as popup.html). */
export function inPage(page: Page, what = 'the page'): Scope {
  return scope(async () => page.mainFrame(), ':root', what);
}

/** Open the demo chat on one conversation, with scripted incoming messages off (deterministic). */
export async function openDemoChat(ff: FirefoxE2E, threadId: string): Promise<Page> {
  const page = await ff.browser.newPage();
  if (process.env.E2E_DEBUG) page.on('console', (m) => console.log(`[page ${threadId}]`, m.text()));
  await page.goto(new URL(`/?live=0#/chat/${threadId}`, ff.demoUrl).href);
  await poll(() => sidebarFrame(ff, page), Boolean, 20_000, 'the sidebar frame (/sidebar.html) beside the demo chat');
  // The sidebar has its answer from the background: an unknown contact or a customer.
  await sidebar(ff, page).waitFor('[data-testid="create-customer"], [data-testid="customer-code"]');
  return page;
}
