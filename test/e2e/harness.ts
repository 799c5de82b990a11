// Shared set-up for browser tests: the built extension in Debian's Chromium, and the demo chat
// on a free loopback port.
import type { Page } from 'playwright-core';
import { launchWithExtension, type LaunchedExtension } from '../../scripts/lib/chromium.mjs';
import { startDemoServer } from '../../demo/server.mjs';
import { sidebar } from './sidebar-locator';

export { sidebar };

export interface E2E extends LaunchedExtension {
  demoUrl: string;
  stop(): Promise<void>;
}

export async function startE2E(opts: { lang?: string; args?: string[] } = {}): Promise<E2E> {
  const demo = await startDemoServer({ port: 0 });
  const ext = await launchWithExtension({ lang: opts.lang, ...(opts.args ? { args: opts.args } : {}) });
  return {
    ...ext,
    demoUrl: demo.url,
    async stop() {
      await ext.close();
      await demo.close();
    },
  };
}

/** Open the demo chat on one conversation, with scripted incoming messages off (deterministic). */
export async function openDemoChat(e2e: E2E, threadId: string): Promise<Page> {
  const page = await e2e.context.newPage();
  if (process.env.E2E_DEBUG) page.on('console', (m) => console.log(`[page ${threadId}]`, m.text()));
  await page.goto(new URL(`/?live=0#/chat/${threadId}`, e2e.demoUrl).href);
  await sidebar(page).waitFor({ timeout: 15_000 });
  // The sidebar has its answer from the background: an unknown contact or a customer.
  const answered = sidebar(page).locator('[data-testid="create-customer"], [data-testid="customer-code"]');
  await answered.first().waitFor({ timeout: 10_000 });
  return page;
}

/** Run chrome.* code in the extension's service worker. */
export async function inWorker<T>(e2e: E2E, fn: () => Promise<T> | T): Promise<T> {
  const sw = await e2e.worker();
  return sw.evaluate(fn);
}

export async function poll<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000, label = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T = await fn();
  while (!ok(last)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${label}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 150));
    last = await fn();
  }
  return last;
}

/**
 * Headless Chromium cannot show the "allow access to <host>?" prompt (permissions.request
 * hangs). Granting the hosts in chrome://extensions first is what a user's "Allow" amounts to:
 * the page's request then resolves true at once, as it does for hosts granted earlier.
 */
export async function grantHostsLikeTheUser(e2e: Pick<E2E, 'context' | 'extensionId'>, hosts: string[]): Promise<void> {
  const mgr = await e2e.context.newPage();
  await mgr.goto(`chrome://extensions/?id=${e2e.extensionId}`);
  await mgr.evaluate(
    async ({ id, hosts }) => {
      const dev = (globalThis as unknown as { chrome: { developerPrivate: { addHostPermission(id: string, host: string): Promise<void> } } }).chrome.developerPrivate;
      for (const h of hosts) await dev.addHostPermission(id, h);
    },
    { id: e2e.extensionId, hosts },
  );
  await mgr.close();
}

/** The background's periodic pull alarm (entrypoints/background/index.ts PULL_ALARM). */
export const PULL_ALARM = 'liaison.pull';

/**
 * Run the background's periodic pull now, through its own alarm: the alarm is re-created to fire
 * at once and then every `periodInMinutes` (keep it equal to settings.pullMinutes, so a restarted
 * worker's armPull leaves it alone). Chrome holds packed extensions to a 30 s minimum, not
 * unpacked ones, so the alarm event arrives within a moment and the background's listener runs
 * team.pullAll() exactly as on the periodic tick.
 */
export async function firePullAlarm(e2e: Pick<E2E, 'worker'>, periodInMinutes: number): Promise<void> {
  const sw = await e2e.worker();
  await sw.evaluate(
    async ({ name, period }) => {
      const alarms = (globalThis as unknown as { chrome: { alarms: { create(n: string, i: { when: number; periodInMinutes: number }): Promise<void> } } }).chrome.alarms;
      await alarms.create(name, { when: Date.now() + 50, periodInMinutes: period });
    },
    { name: PULL_ALARM, period: periodInMinutes },
  );
}

/**
 * Stop the extension's service worker as Chrome does when it idles it out (CDP
 * ServiceWorker.stopAllWorkers, through any extension page of the browser). The next event or
 * message starts a fresh one.
 */
export async function stopServiceWorker(e2e: Pick<E2E, 'context'>, page: Page): Promise<void> {
  const cdp = await e2e.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach().catch(() => undefined);
}
