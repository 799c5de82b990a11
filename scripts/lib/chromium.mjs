// Finding and launching Chromium with the built extension loaded. Shared by the browser tests,
// `npm start` and the benchmarks, so every one of them runs the extension the same way.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/opt/google/chrome/chrome'];

/** CHROME_PATH, then the usual places, then PATH. Throws with install instructions when none is found. */
export function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_PATH=${fromEnv} does not exist.`);
    return fromEnv;
  }
  for (const c of CANDIDATES) if (existsSync(c)) return c;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const p = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (p) return p;
    } catch {
      /* not on PATH */
    }
  }
  throw new Error(
    'Chromium was not found. Install it (Debian/Ubuntu: `sudo apt-get install -y chromium`), or set CHROME_PATH to a Chromium or Chrome binary.',
  );
}

/** Where `wxt build` wrote the extension: LIAISON_OUT_DIR (also read by wxt.config.ts) lets
 *  parallel work build and test without sharing one .output. */
export const OUTPUT_DIR = resolve(import.meta.dirname, '../..', process.env.LIAISON_OUT_DIR || '.output');
export const EXTENSION_DIR = join(OUTPUT_DIR, 'chrome-mv3');

/**
 * The extension's service worker. Subscribe before looking: a worker that registers between a
 * look and a later subscription would otherwise be missed (a 30 s stall seen under load); and
 * poll as well, since the event fires only for workers that start after the subscription.
 * @param {import('playwright-core').BrowserContext} context
 */
async function firstServiceWorker(context) {
  const event = context.waitForEvent('serviceworker', { timeout: 30_000 }).catch(() => undefined);
  const end = Date.now() + 30_000;
  for (;;) {
    const existing = context.serviceWorkers()[0];
    if (existing) return existing;
    const raced = await Promise.race([event, new Promise((r) => setTimeout(r, 100, undefined))]);
    if (raced) return raced;
    if (Date.now() > end) throw new Error('the extension service worker did not start within 30 s');
  }
}

/**
 * Launch a fresh profile with the extension. Flags: headless-safe, and no background networking
 * (this machine has no network; Chromium would otherwise keep trying to reach Google).
 * @param {{ headless?: boolean, extensionDir?: string, profileDir?: string, lang?: string, args?: string[], viewport?: {width:number,height:number} | null }} [opts]
 */
export async function launchWithExtension(opts = {}) {
  const { chromium } = await import('playwright-core');
  const extensionDir = opts.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(join(extensionDir, 'manifest.json'))) throw new Error(`No built extension at ${extensionDir}: run \`npm run build\` first.`);
  // A given profile keeps the user's data between runs (`npm start`); tests get a fresh one.
  const profile = opts.profileDir ?? mkdtempSync(join(tmpdir(), 'liaison-profile-'));
  const lang = opts.lang ?? 'zh-CN';
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    headless: opts.headless ?? true,
    ignoreDefaultArgs: ['--disable-extensions'],
    locale: lang,
    viewport: opts.viewport === undefined ? { width: 1400, height: 860 } : opts.viewport,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--lang=${lang}`,
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      ...(opts.args ?? []),
    ],
  });
  const sw = await firstServiceWorker(context);
  const extensionId = new URL(sw.url()).host;
  return {
    context,
    extensionId,
    /** The current service worker (a new one after the old one was stopped). */
    async worker() {
      return firstServiceWorker(context);
    },
    extensionUrl: (path) => `chrome-extension://${extensionId}/${path}`,
    async close() {
      await context.close().catch(() => undefined);
      if (!opts.profileDir) rmSync(profile, { recursive: true, force: true });
    },
  };
}
