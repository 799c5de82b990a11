// Options page (issue 19, item 5): how soon the page paints, and what it must load first.
// - first paint: the built extension's options.html opened in a new tab, `pageLoads` times in
//   the same browser; first-contentful-paint from the page's own PerformanceObserver (type
//   'paint', buffered), and the moment the options form ([data-testid="options"], drawn once the
//   settings arrive from the background) first appears, noted by an init script's
//   MutationObserver on the page's performance.now() clock;
// - what it loads first: the scripts options.html names and every chunk they import statically
//   (bench/bundle.ts pageFiles), raw and gzip, and the chunks loaded only with import() (charts,
//   spreadsheet reading and writing), which must not be among them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext } from 'playwright-core';
import { pageFiles } from './bundle';
import { percentile, round, type Figure, type Section } from './lib/report';

/** What must not be in the options page's static JS (each found by a string of its own code): they load when used. */
const LAZY_LIBS: { name: string; marker: string }[] = [
  { name: 'chart.js', marker: 'Canvas is already in use' },
  { name: 'papaparse', marker: 'UndetectableDelimiter' },
  { name: 'read-excel-file / write-excel-file', marker: 'sharedStrings' },
];

export interface OptionsPaintOptions {
  context: BrowserContext;
  /** chrome-extension://<id>/<path> of the launched extension */
  extensionUrl(path: string): string;
  /** the built extension directory (chrome-mv3) */
  dir: string;
  pageLoads?: number;
}

interface Timings {
  fcp: number | null;
  shown: number | null;
}

const kB = (n: number) => round(n / 1000, 1);

/** Notes when the options form first appears, on the page's clock (installed before its scripts). */
const SHOWN_PROBE = `new MutationObserver((_, obs) => {
  if (window.__optionsShown === undefined && document.querySelector('[data-testid="options"]')) {
    window.__optionsShown = performance.now();
    obs.disconnect();
  }
}).observe(document, { childList: true, subtree: true });`;

/** First-contentful-paint from the page's own paint timeline, and the form's first appearance. */
const READ_TIMINGS = `new Promise((ok) => {
  const shown = window.__optionsShown ?? null;
  const now = performance.getEntriesByName('first-contentful-paint')[0];
  if (now) return ok({ fcp: now.startTime, shown });
  new PerformanceObserver((list) => {
    const e = list.getEntriesByName('first-contentful-paint')[0];
    if (e) ok({ fcp: e.startTime, shown });
  }).observe({ type: 'paint', buffered: true });
  setTimeout(() => ok({ fcp: null, shown }), 5000);
})`;

export async function benchOptionsPaint(o: OptionsPaintOptions): Promise<Section> {
  const loads = o.pageLoads ?? 10;
  // ---- what the page loads before it can paint
  const files = pageFiles(o.dir, 'options.html');
  const size = (f: string) => {
    const b = readFileSync(join(o.dir, f));
    return { raw: b.length, gzip: gzipSync(b).length };
  };
  const staticSizes = files.scripts.map((f) => ({ f, ...size(f) }));
  const entry = staticSizes.find((s) => /(^|\/)options-[^/]+\.js$/.test(s.f));
  const total = staticSizes.reduce((a, s) => ({ raw: a.raw + s.raw, gzip: a.gzip + s.gzip }), { raw: 0, gzip: 0 });
  const found = LAZY_LIBS.filter((l) => files.scripts.some((f) => readFileSync(join(o.dir, f), 'utf8').includes(l.marker)));

  // ---- first paint, in the browser
  const timings: Timings[] = [];
  for (let i = 0; i < loads; i++) {
    const page = await o.context.newPage();
    // Strings, not functions: tsx would wrap functions in helpers the page does not have.
    await page.addInitScript({ content: SHOWN_PROBE });
    await page.goto(o.extensionUrl('options.html'));
    await page.locator('[data-testid="options"]').waitFor({ timeout: 30_000 });
    timings.push((await page.evaluate(READ_TIMINGS)) as Timings);
    await page.close();
  }
  const fcp = timings.map((t) => t.fcp).filter((x): x is number => x !== null);
  const shown = timings.map((t) => t.shown).filter((x): x is number => x !== null);
  if (!fcp.length) throw new Error('the options page reported no first-contentful-paint');
  if (!shown.length) throw new Error('the options form never appeared');

  const figures: Figure[] = [
    { area: 'Options page', metric: `first contentful paint, p50 of ${loads} loads`, value: round(percentile(fcp, 50), 1), unit: 'ms', note: `first load ${round(fcp[0]!, 1)} ms, p95 ${round(percentile(fcp, 95), 1)} ms` },
    { area: 'Options page', metric: `options form shown (settings from the background), p50 of ${loads} loads`, value: round(percentile(shown, 50), 1), unit: 'ms', note: `p95 ${round(percentile(shown, 95), 1)} ms` },
    { area: 'Options page', metric: 'options entry chunk (gzip)', value: kB(entry?.gzip ?? 0), unit: 'kB', note: `${entry?.f ?? 'not found'}, ${kB(entry?.raw ?? 0)} kB raw` },
    { area: 'Options page', metric: `JS loaded before first paint (${staticSizes.length} files, gzip)`, value: kB(total.gzip), unit: 'kB', note: `${kB(total.raw)} kB raw` },
    {
      area: 'Options page',
      metric: 'heavy libraries in the JS loaded before first paint (chart.js, papaparse, read/write-excel-file)',
      value: found.length,
      unit: '',
      target: { op: '<=', value: 0 },
      ...(found.length ? { note: found.map((l) => l.name).join(', ') } : {}),
    },
  ];
  return {
    area: 'Options page',
    figures,
    notes: [
      `Paint: ${o.extensionUrl('options.html').replace(/\/\/[a-p]{32}\//, '//<id>/')} opened ${loads} times in new tabs of one browser (the first open compiles the scripts cold; later ones may use V8's code cache), first-contentful-paint from a buffered PerformanceObserver of type 'paint' in the page, and the options form's first appearance ([data-testid="options"], rendered when settings.get answers) noted by a MutationObserver installed before the page's scripts (Playwright addInitScript), both on the page's performance.now() clock from navigation start. FCP per load: ${fcp.map((x) => round(x, 0)).join(', ')} ms; form shown: ${shown.map((x) => round(x, 0)).join(', ')} ms.`,
      `Loaded before paint: options.html's scripts and modulepreloads, followed through static imports (bench/bundle.ts pageFiles): ${staticSizes.map((s) => `${s.f} ${kB(s.raw)} kB`).join(', ')}. Loaded only with import() when used: ${files.lazy.length ? files.lazy.map((f) => `${f} ${kB(size(f).raw)} kB (${kB(size(f).gzip)} kB gzip)`).join(', ') : 'none found by the import("…") pattern'} (chart.js when the first report chart is shown, papaparse/read-excel-file when a sheet is chosen for import, the export writers when 导出 is pressed).`,
    ],
  };
}
