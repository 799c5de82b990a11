// The service worker's wake-up (issue 19, item 4). MV3 stops an idle worker after 30 s; the next
// alarm, notification click or message starts it again, evaluating the start bundle (background.js)
// before the first listener runs, and the services chunk when the event needs it. Measured here: the worker stopped over CDP
// (ServiceWorker.enable + ServiceWorker.stopAllWorkers on a page's session, then waiting until
// CDP reports every version stopped), then the time from an extension page sending Liaison's
// `settings.get` to its answer. The floor is a minimal extension built here (bench/lib/worker-floor.ts):
// a classic worker that opens the same database (name and schema, same Dexie) and answers the same
// message, loaded in the same browser and measured alternately with Liaison, so the machine's
// load falls on both. A second wake of Liaison's is timed in the same rounds: a sidebar opening
// beside a chat, whose first two messages (sidebar.state and connection.list, sent together by
// entrypoints/sidebar/app.tsx) reach a stopped worker; and a third, the popup's opening, whose
// dashboard.get the start does not answer (the services chunk is loaded first). Both are reported
// against the same floor, without a target.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { EXTENSION_DIR, findChromium } from '../scripts/lib/chromium.mjs';
import { bundlePage } from './lib/bundle-page';
import { percentile, round, type Figure, type Section } from './lib/report';

/** Issue 19: Liaison's cold start ≤ 2× the minimal worker's (p50 and p95, same run). */
export const COLD_START_FLOOR_RATIO = 2;
const SETTINGS_GET = [{ liaison: 1, type: 'settings.get', payload: {} }] as const;
/** What the sidebar asks first when it opens beside a chat (entrypoints/sidebar/app.tsx load() and loadRemoteNames()), at once. */
const SIDEBAR_OPEN = [
  { liaison: 1, type: 'sidebar.state', payload: {} },
  { liaison: 1, type: 'connection.list', payload: {} },
] as const;
/** What the popup asks first (entrypoints/popup/app.tsx), with the settings: the start does not answer it, so the services chunk is loaded first. */
const POPUP_OPEN = [
  { liaison: 1, type: 'dashboard.get', payload: {} },
  { liaison: 1, type: 'settings.get', payload: {} },
] as const;

export interface WorkerStartResult {
  liaisonColdMs: number[];
  floorColdMs: number[];
  liaisonWarmMs: number[];
  floorWarmMs: number[];
  /** The sidebar's opening messages (SIDEBAR_OPEN) to a stopped worker, until both are answered. */
  sidebarColdMs: number[];
  sidebarWarmMs: number[];
  /** The popup's opening messages (POPUP_OPEN): a wake that needs the services chunk. */
  popupColdMs: number[];
  popupWarmMs: number[];
  /** The worker's scripts: background.js (what every start reads) and each chunk loaded on first use (lib/background-start/boundary.ts). */
  backgroundFiles: Record<string, number>;
  /** Which build was measured: the store build (`wxt build`) or the development build (+ the demo on loopback). */
  build: 'store' | 'development';
}

/** The worker's script files and their sizes, and which build this is (the development build alone may reach loopback). */
function describeBuild(extensionDir: string): Pick<WorkerStartResult, 'backgroundFiles' | 'build'> {
  const files = readdirSync(extensionDir).filter((f) => f === 'background.js' || /^background-.+\.js$/.test(f));
  if (!files.includes('background.js')) throw new Error(`no background.js in ${extensionDir}: build the extension first`);
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')) as { host_permissions?: string[] };
  return {
    backgroundFiles: Object.fromEntries(files.sort((a, b) => (a === 'background.js' ? -1 : b === 'background.js' ? 1 : a.localeCompare(b))).map((f) => [f, statSync(join(extensionDir, f)).size])),
    build: (manifest.host_permissions ?? []).some((h) => h.startsWith('http://127.0.0.1')) ? 'development' : 'store',
  };
}

type Version = { versionId: string; scriptURL: string; runningStatus: string };

/** A minimal MV3 extension: the floor worker and a blank page to send from. */
async function writeFloorExtension(transform: (js: string) => string = (js) => js, files: Record<string, string> = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-floor-ext-'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ manifest_version: 3, name: 'worker floor', version: '1.0.0', background: { service_worker: 'floor.js' }, permissions: ['unlimitedStorage'] }));
  writeFileSync(join(dir, 'floor.js'), transform(await bundlePage('bench/lib/worker-floor.ts')));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'blank.html'), '<!doctype html><meta charset="utf-8"><title>floor</title>');
  return dir;
}

/** Stops every service worker of the profile and resolves when CDP reports them all stopped. */
async function stopAll(cdp: CDPSession, versions: Map<string, Version>): Promise<void> {
  await cdp.send('ServiceWorker.stopAllWorkers');
  const end = Date.now() + 10_000;
  let again = Date.now() + 1000;
  while ([...versions.values()].some((v) => v.runningStatus !== 'stopped')) {
    // Liaison's own alarms (the pull's first tick, the outbox's) may start its worker again meanwhile: stop it again.
    if (Date.now() > again) {
      await cdp.send('ServiceWorker.stopAllWorkers');
      again = Date.now() + 1000;
    }
    if (Date.now() > end) throw new Error(`service workers still running 10 s after stopAllWorkers: ${[...versions.values()].filter((v) => v.runningStatus !== 'stopped').map((v) => `${v.scriptURL} ${v.runningStatus}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  // Let the stopped worker's process settle (its last IPC) before the next start.
  await new Promise((r) => setTimeout(r, 200));
}

/** Sends the messages from the page at once and times them until all are answered (the page's own clock). */
async function ask(page: Page, messages: readonly { type: string }[] = SETTINGS_GET): Promise<number> {
  const r = await page.evaluate(async (ms) => {
    const rt = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime;
    const t = performance.now();
    const replies = (await Promise.all(ms.map((m) => rt.sendMessage(m)))) as ({ ok?: boolean } | undefined)[];
    return { ms: performance.now() - t, failed: ms.filter((_, i) => replies[i]?.ok !== true).map((m) => m.type) };
  }, messages);
  if (r.failed.length) throw new Error(`not answered ok: ${r.failed.join(', ')}`);
  return r.ms;
}

async function workerIds(context: BrowserContext): Promise<{ liaison: string; floor: string }> {
  const end = Date.now() + 30_000;
  for (;;) {
    const urls = context.serviceWorkers().map((w) => new URL(w.url()));
    const liaison = urls.find((u) => u.pathname === '/background.js')?.host;
    const floor = urls.find((u) => u.pathname === '/floor.js')?.host;
    if (liaison && floor) return { liaison, floor };
    if (Date.now() > end) throw new Error('both service workers (Liaison and the floor) did not start within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A timed wake: Liaison by settings.get, the floor by settings.get, Liaison by a sidebar's opening, Liaison by the popup's. */
export type Wake = 'liaison' | 'floor' | 'sidebar' | 'popup';

export interface WorkerStartOptions {
  runs?: number;
  extensionDir?: string;
  /** Diagnosis: called after each cold answer, before the warm one (e.g. to read marks a patched build left in the worker). */
  afterCold?: (which: Wake, context: BrowserContext) => Promise<void>;
  /** Diagnosis: transforms the floor's script before it is written (e.g. to add dead weight). */
  floorScript?: (js: string) => string;
  /** Diagnosis: more files for the floor's extension (name → text). */
  floorFiles?: Record<string, string>;
}

export async function measureWorkerStart(o: WorkerStartOptions = {}): Promise<WorkerStartResult> {
  const runs = o.runs ?? 20;
  const extensionDir = o.extensionDir ?? EXTENSION_DIR;
  const floorDir = await writeFloorExtension(o.floorScript, o.floorFiles);
  const profile = mkdtempSync(join(tmpdir(), 'liaison-wake-profile-'));
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    headless: true,
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--disable-extensions-except=${extensionDir},${floorDir}`,
      `--load-extension=${extensionDir},${floorDir}`,
    ],
  });
  try {
    const ids = await workerIds(context);
    // The sending pages: an extension page of each that sends nothing on its own (Liaison's icon
    // as a document: an extension-origin page with chrome.runtime, no script of Liaison's).
    const liaisonPage = await context.newPage();
    await liaisonPage.goto(`chrome-extension://${ids.liaison}/icon/128.png`);
    const floorPage = await context.newPage();
    await floorPage.goto(`chrome-extension://${ids.floor}/blank.html`);
    const cdp = await context.newCDPSession(floorPage);
    const versions = new Map<string, Version>();
    cdp.on('ServiceWorker.workerVersionUpdated', (e: { versions: Version[] }) => {
      for (const v of e.versions) versions.set(v.versionId, v);
    });
    await cdp.send('ServiceWorker.enable');
    // Settle: Liaison's first start (install, local connection, alarms) is over before timing.
    await ask(liaisonPage);
    await ask(floorPage);
    await new Promise((r) => setTimeout(r, 2000));

    const res: WorkerStartResult = { liaisonColdMs: [], floorColdMs: [], liaisonWarmMs: [], floorWarmMs: [], sidebarColdMs: [], sidebarWarmMs: [], popupColdMs: [], popupWarmMs: [], ...describeBuild(extensionDir) };
    const wakes: Record<Wake, { page: Page; messages: readonly { type: string }[]; cold: number[]; warm: number[] }> = {
      liaison: { page: liaisonPage, messages: SETTINGS_GET, cold: res.liaisonColdMs, warm: res.liaisonWarmMs },
      floor: { page: floorPage, messages: SETTINGS_GET, cold: res.floorColdMs, warm: res.floorWarmMs },
      sidebar: { page: liaisonPage, messages: SIDEBAR_OPEN, cold: res.sidebarColdMs, warm: res.sidebarWarmMs },
      popup: { page: liaisonPage, messages: POPUP_OPEN, cold: res.popupColdMs, warm: res.popupWarmMs },
    };
    const orders: readonly (readonly Wake[])[] = [
      ['liaison', 'floor', 'sidebar', 'popup'],
      ['floor', 'sidebar', 'popup', 'liaison'],
      ['sidebar', 'popup', 'liaison', 'floor'],
      ['popup', 'liaison', 'floor', 'sidebar'],
    ];
    // One discarded round (the first cold start after install may build V8's code cache).
    for (let i = -1; i < runs; i++) {
      // The order turns each round: each wake follows each other one as often.
      for (const which of orders[(i + orders.length) % orders.length]!) {
        const w = wakes[which];
        await stopAll(cdp, versions);
        const cold = await ask(w.page, w.messages);
        await o.afterCold?.(which, context);
        const warm = await ask(w.page, w.messages);
        if (i < 0) continue;
        w.cold.push(cold);
        w.warm.push(warm);
      }
    }
    return res;
  } finally {
    await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
    rmSync(floorDir, { recursive: true, force: true });
  }
}

export function workerStartFigures(r: WorkerStartResult): Figure[] {
  const p = (xs: number[], q: number) => round(percentile(xs, q), 2);
  const n = r.liaisonColdMs.length;
  const where = `Chromium, headless, ${r.build} build`;
  const kB = (b: number) => `${round(b / 1024, 1)} kB`;
  const chunks = Object.entries(r.backgroundFiles).filter(([f]) => f !== 'background.js');
  const scripts = `background.js ${kB(r.backgroundFiles['background.js'] ?? 0)} (the start bundle)${chunks.length ? `; chunks loaded on first use: ${chunks.map(([f, b]) => `${f} ${kB(b)}`).join(', ')}` : ''}`;
  return [
    { area: 'Worker start', metric: `cold start → settings.get answered, Liaison, p50 (n=${n})`, value: p(r.liaisonColdMs, 50), unit: 'ms', note: `floor p50 ${p(r.floorColdMs, 50)} ms; ${scripts}; ${where}` },
    { area: 'Worker start', metric: 'cold start → settings.get answered, Liaison, p95', value: p(r.liaisonColdMs, 95), unit: 'ms', note: `floor p95 ${p(r.floorColdMs, 95)} ms; ${where}` },
    { area: 'Worker start', metric: `floor: a minimal worker opening the same database, same message, p50 / p95 (n=${r.floorColdMs.length})`, value: p(r.floorColdMs, 95), unit: 'ms p95', note: `p50 ${p(r.floorColdMs, 50)} ms; ${where}` },
    { area: 'Worker start', metric: 'cold start / floor, p50', value: round(percentile(r.liaisonColdMs, 50) / percentile(r.floorColdMs, 50), 2), unit: '×', target: { op: '<=', value: COLD_START_FLOOR_RATIO } },
    { area: 'Worker start', metric: 'cold start / floor, p95', value: round(percentile(r.liaisonColdMs, 95) / percentile(r.floorColdMs, 95), 2), unit: '×', target: { op: '<=', value: COLD_START_FLOOR_RATIO } },
    { area: 'Worker start', metric: 'warm (worker running) settings.get, Liaison / floor, p50', value: p(r.liaisonWarmMs, 50), unit: 'ms', note: `floor p50 ${p(r.floorWarmMs, 50)} ms; the same message right after each cold start` },
    { area: 'Worker start', metric: `cold start → a sidebar's opening (sidebar.state + connection.list) answered, Liaison, p50 (n=${r.sidebarColdMs.length})`, value: p(r.sidebarColdMs, 50), unit: 'ms', note: `p95 ${p(r.sidebarColdMs, 95)} ms; warm p50 ${p(r.sidebarWarmMs, 50)} ms; ${where}` },
    { area: 'Worker start', metric: "cold sidebar opening / floor's settings.get, p50 / p95", value: round(percentile(r.sidebarColdMs, 50) / percentile(r.floorColdMs, 50), 2), unit: '×', note: `p95 ${round(percentile(r.sidebarColdMs, 95) / percentile(r.floorColdMs, 95), 2)}×; no target (two messages, one of them reading every connection)` },
    { area: 'Worker start', metric: `cold start → the popup's opening (dashboard.get + settings.get, the services chunk loaded first) answered, Liaison, p50 (n=${r.popupColdMs.length})`, value: p(r.popupColdMs, 50), unit: 'ms', note: `p95 ${p(r.popupColdMs, 95)} ms; warm p50 ${p(r.popupWarmMs, 50)} ms; ${round(percentile(r.popupColdMs, 50) / percentile(r.floorColdMs, 50), 2)}× the floor's p50; no target (a wake by any message the start does not answer, or by an alarm, pays for the services chunk); ${where}` },
  ];
}

/**
 * Diagnosis (BENCH_WORKER_SPLIT=1): where Liaison's cold start goes, measured against two variants
 * of the floor in the same way, each alternating with Liaison in its own browser:
 * - "bytes": the floor's script with Liaison's whole background.js in front of it, wrapped in a
 *   function that is never called — Liaison's code in the main script, none of it run;
 * - "installed": the floor importing Liaison's bundle (wrapped the same way) as a second script in
 *   its install event only — a script the worker may importScripts() later (Chromium allows that
 *   only for scripts imported during installation) but does not import on a cold start.
 */
export async function measureWorkerSplit(o: { runs?: number; extensionDir?: string } = {}): Promise<Figure[]> {
  const extensionDir = o.extensionDir ?? EXTENSION_DIR;
  const { readFileSync } = await import('node:fs');
  const bundle = readFileSync(join(extensionDir, 'background.js'), 'utf8');
  const wrapped = `function __liaisonBundle() {\n${bundle}\n}\n`;
  const bytes = await measureWorkerStart({ ...o, floorScript: (js) => wrapped + js });
  const installed = await measureWorkerStart({
    ...o,
    floorScript: (js) => `self.addEventListener('install', () => importScripts('liaison.js'));\n${js}`,
    floorFiles: { 'liaison.js': wrapped },
  });
  const p = (xs: number[], q: number) => round(percentile(xs, q), 2);
  const share = (r: WorkerStartResult) => round(percentile(r.floorColdMs, 50) / percentile(r.liaisonColdMs, 50), 2);
  const where = `n=${bytes.floorColdMs.length} each, alternating with Liaison in the same browser`;
  return [
    { area: 'Worker start', metric: 'diagnosis: floor + Liaison\'s bundle in its script, never called, cold p50 / p95', value: p(bytes.floorColdMs, 50), unit: 'ms', note: `p95 ${p(bytes.floorColdMs, 95)} ms; Liaison in the same run p50 ${p(bytes.liaisonColdMs, 50)} ms; ${where}` },
    { area: 'Worker start', metric: 'diagnosis: that variant / Liaison, p50 (share of the cold start that is the script\'s bytes alone)', value: share(bytes), unit: '×' },
    { area: 'Worker start', metric: 'diagnosis: floor + Liaison\'s bundle installed as an importScripts chunk, not imported, cold p50 / p95', value: p(installed.floorColdMs, 50), unit: 'ms', note: `p95 ${p(installed.floorColdMs, 95)} ms; Liaison in the same run p50 ${p(installed.liaisonColdMs, 50)} ms; ${where}` },
    { area: 'Worker start', metric: 'diagnosis: that variant / Liaison, p50 (what an installed, unimported chunk still costs)', value: share(installed), unit: '×' },
  ];
}

export async function benchWorkerStart(o: { runs?: number; extensionDir?: string } = {}): Promise<Section> {
  const r = await measureWorkerStart(o);
  const split = process.env.BENCH_WORKER_SPLIT === '1' ? await measureWorkerSplit(o) : [];
  return {
    area: 'Worker start',
    figures: [...workerStartFigures(r), ...split],
    notes: [
      `Chromium with two extensions in one fresh profile: Liaison (the build the bench loads) and a minimal extension written by the bench whose classic service worker (bench/lib/worker-floor.ts, bundled by esbuild) opens the same database — name and schema of lib/db/schema.ts, through Dexie — and answers the same message (settings.get, envelope {liaison: 1}) by reading the settings row. Each run: ServiceWorker.enable and ServiceWorker.stopAllWorkers on a CDP session, wait until CDP reports every worker version stopped, 200 ms, then an extension page of that extension (Liaison's icon opened as a document, which runs no script of Liaison's; the floor's blank page) times chrome.runtime.sendMessage → answer with performance.now. Four wakes each round: Liaison by settings.get, the floor by settings.get, Liaison by a sidebar's opening (sidebar.state and connection.list sent at once, as entrypoints/sidebar/app.tsx does; timed until both are answered; the page is a tab, so sidebar.state finds no report of it, as a restarted worker does not), Liaison by the popup's opening (dashboard.get and settings.get at once, as entrypoints/popup/app.tsx does: the services chunk is loaded before dashboard.get is answered); ${r.liaisonColdMs.length} runs each after one discarded round, their order turning each round. Liaison's worker evaluates its start bundle (background.js: the database, the router, the reads every surface asks first) and runs main() (listeners, the database) before the first event; Chromium also hands it every installed chunk (lib/background-start/boundary.ts), which it evaluates only on first use. settings.get, connection.list and a sidebar.state for a tab the worker has not seen are answered by the start (entrypoints/background/handlers-start.ts); any other message or alarm loads the services chunk first, which is not in these figures. The start's housekeeping (loading the services, reminders' startup, the outbox's recovery, alarms, queued group posts) runs after every event in flight has been answered (entrypoints/background/housekeeping.ts): it is not in the cold figure, and may overlap the warm message sent right after it.`,
      `Build measured: the ${r.build} build (the extension folder the bench loads: LIAISON_OUT_DIR, else .output). The store build's and the development build's background scripts are the same code (both minified; they differ by WXT's development logging, under 100 bytes): measure the store build with \`LIAISON_OUT_DIR=.output-store npx wxt build && LIAISON_OUT_DIR=.output-store BENCH_ONLY=worker-start npx tsx bench/run.ts\`. The start bundle is background.js; vendor adapters, pinyin-pro and libphonenumber's metadata are chunks the worker imports on first use and the model's weights a data file it fetches on first use (lib/background-start/boundary.ts), none of which settings.get needs. Installed chunks are not free: Chromium hands each new worker every script it installed (BENCH_WORKER_SPLIT=1 measures that cost for a bundle of background.js's size).`,
      ...(split.length ? ['Diagnosis (BENCH_WORKER_SPLIT=1): the floor measured twice more, once with Liaison\'s whole background.js in its own script wrapped in a function never called (the bytes of the script, none of it run), once with that wrapped bundle imported in the install event as a second script and never imported on a cold start (Chromium refuses importScripts() after installation for any script not imported during it). Each variant alternates with Liaison in its own browser; the ratio to Liaison is of the same run.'] : []),
      `Samples (ms), Liaison cold: ${r.liaisonColdMs.map((x) => round(x, 1)).join(', ')}; floor cold: ${r.floorColdMs.map((x) => round(x, 1)).join(', ')}; sidebar opening cold: ${r.sidebarColdMs.map((x) => round(x, 1)).join(', ')}.`,
    ],
  };
}
