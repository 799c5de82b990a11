// `npm run bench` (after `wxt build --mode development`): every measurement of issue 7 and the
// readers on the real sites' saved pages of issue 13, a table on stdout, and
// bench/results.md with the machine's description so each figure can be reproduced.
//   BENCH_SEED_LEADS=10000  run seed 000's algorithm on every lead instead of a sample
//   BENCH_ONLY=bundle,reader,readers-real,sidebar,db,worker-start,sync,team-pull  run a subset (development; results.md says so)
//   BENCH_WORKER_RUNS=20  cold starts of the service worker measured (and as many of the floor's)
//   BENCH_WORKER_SPLIT=1  worker start: also where the cold start goes (Liaison's bundle in the floor's script never called; installed as an importScripts chunk, not imported)
import { appendFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXTENSION_DIR, launchWithExtension } from '../scripts/lib/chromium.mjs';
import { benchOptionsPaint } from './options-paint';
import { startDemoServer } from '../demo/server.mjs';
import { benchBundle } from './bundle';
import { benchDb } from './db';
import { bundlePage } from './lib/bundle-page';
import { benchHostFlags, startFixtureServer } from './lib/fixture-server';
import { describeMachine, load } from './lib/machine';
import { fmt, met, targetText, verdict, type Figure, type Section } from './lib/report';
import { rateSection, stressLog } from './rate';
import { benchReader } from './reader';
import { benchReadersReal } from './readers-real';
import { benchSidebar } from './sidebar';
import { benchSync } from './sync';
import { benchTeamPull } from './team-pull';
import { benchWorkerStart } from './worker-start';

const BIG_MESSAGES = 5000;
const ALL = ['bundle', 'reader', 'readers-real', 'sidebar', 'db', 'options-paint', 'worker-start', 'sync', 'team-pull'] as const;
const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const want = (k: (typeof ALL)[number]) => !only.length || only.includes(k);
const seedLeads = Number(process.env.BENCH_SEED_LEADS ?? 500);

const started = Date.now();
const machine = describeMachine();
const loads: { at: string; load: [number, number, number] }[] = [{ at: 'start', load: load() }];
const sections: Section[] = [];
const durations: string[] = [];

async function step(name: string, fn: () => Promise<void> | void) {
  const t = Date.now();
  process.stdout.write(`· ${name}… `);
  await fn();
  const s = (Date.now() - t) / 1000;
  durations.push(`${name} ${s.toFixed(1)} s`);
  loads.push({ at: `after ${name}`, load: load() });
  console.log(`${s.toFixed(1)} s (load ${load().join(' / ')})`);
}

if (want('bundle')) await step('bundle', () => void sections.push(benchBundle()));

if (want('reader') || want('readers-real') || want('sidebar') || want('db') || want('options-paint')) {
  const [readerJs, realJs, dbJs, probeJs] = await Promise.all([
    bundlePage('bench/pages/reader-entry.ts'),
    bundlePage('bench/pages/readers-real-entry.ts'),
    bundlePage('bench/pages/db-entry.ts'),
    bundlePage('bench/pages/sidebar-probe.ts'),
  ]);
  const server = await startFixtureServer({ bigMessages: BIG_MESSAGES, scripts: { reader: readerJs, 'readers-real': realJs, db: dbJs } });
  const demo = await startDemoServer({ port: 0 });
  // Precise memory figures instead of Chromium's bucketed performance.memory.
  const ext = await launchWithExtension({ args: [...benchHostFlags(server.port), '--enable-precise-memory-info'] });
  try {
    // First, on a fresh browser: the options page's first paint and what loads before it.
    if (want('options-paint')) await step('options page paint', async () => void sections.push(await benchOptionsPaint({ context: ext.context, extensionUrl: ext.extensionUrl, dir: EXTENSION_DIR })));
    if (want('reader')) await step('reader', async () => void sections.push(await benchReader({ context: ext.context, server, bigMessages: BIG_MESSAGES })));
    if (want('readers-real')) await step('readers on the real sites\' pages', async () => void sections.push(await benchReadersReal({ context: ext.context, server })));
    if (want('sidebar')) await step('sidebar', async () => void sections.push(await benchSidebar({ context: ext.context, demoUrl: demo.url, probeJs })));
    if (want('db')) await step('local database', async () => void sections.push(await benchDb({ context: ext.context, server })));
  } finally {
    await ext.close();
    await demo.close();
    await server.close();
  }
}

// Issue 19: the service worker's wake-up against a minimal worker on the same database (own browser:
// two extensions, workers stopped over CDP between runs).
if (want('worker-start')) await step('worker start', async () => void sections.push(await benchWorkerStart({ runs: Number(process.env.BENCH_WORKER_RUNS ?? 20) })));

if (want('sync')) {
  let logs: { name: string; log: import('../test/emulators/feishu').RequestLogEntry[] }[] = [];
  await step(`sync (seed algorithm on ${seedLeads} leads)`, async () => {
    const r = await benchSync({ leads: 10_000, seedSample: seedLeads, latencyMs: 50 });
    sections.push(r.section);
    logs = r.logs;
  });
  await step('rate-limit stress', async () => {
    logs.push({ name: 'stress (120 lookups + 60 creates at once)', log: await stressLog() });
    sections.push(rateSection(logs));
  });
}

// Issue 15: requests per periodic pull against the API minimum, and freshness with a real NocoDB.
if (want('team-pull')) await step('team pull (issue 15)', async () => void sections.push(await benchTeamPull()));

const totalS = (Date.now() - started) / 1000;

// ---- the table ----
const rows = sections.flatMap((s) => s.figures);
const cells = (f: Figure) => [f.area, f.metric, `${fmt(f.value)} ${f.unit}`.trim(), targetText(f.target, f.unit), verdict(f)];
const header = ['Area', 'Metric', 'Value', 'Target', 'Result'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((f) => cells(f)[i]!.length)));
const line = (xs: string[]) => xs.map((x, i) => x.padEnd(widths[i]!)).join('  ');
console.log('\n' + line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const f of rows) console.log(line(cells(f)));
const missed = rows.filter((f) => met(f) === false);
console.log(`\n${rows.filter((f) => met(f) === true).length} targets met, ${missed.length} missed. Total ${totalS.toFixed(0)} s. Load (1/5/15 min) at end: ${load().join(' / ')}.`);

// ---- results.md ----
const esc = (s: string) => s.replace(/\|/g, '\\|');
const md: string[] = [
  '# Liaison benchmarks (issues 7 and 13)',
  '',
  `Generated by \`npm run bench\` (\`wxt build --mode development && tsx bench/run.ts\`) on ${machine.date}. Every figure below was measured in this run; nothing is copied in by hand. Re-run the same command to reproduce${only.length ? `. **Partial run: only ${only.join(', ')}.**` : '.'}`,
  '',
  '## Machine',
  '',
  '| | |',
  '| --- | --- |',
  `| CPU | ${machine.cpu} |`,
  `| Cores | ${machine.cores} |`,
  `| Memory | ${machine.memoryGiB} GiB |`,
  `| OS | ${machine.os} |`,
  `| Node | ${machine.node} |`,
  `| Chromium | ${machine.chromium} (headless, flags of scripts/lib/chromium.mjs) |`,
  `| Date | ${machine.date} |`,
  `| Load average (1 / 5 / 15 min) | ${loads.map((l) => `${l.at}: ${l.load.join(' / ')}`).join('; ')} |`,
  `| Bench duration | ${totalS.toFixed(0)} s (${durations.join(', ')}), plus \`wxt build\` |`,
  '',
  `The machine is shared (other work may be running; see the load averages): timings are wall-clock and include that noise.`,
  '',
  '## Results',
  '',
  '| Area | Metric | Value | Target | Result | Note |',
  '| --- | --- | ---: | --- | --- | --- |',
  ...rows.map((f) => `| ${f.area} | ${esc(f.metric)} | ${fmt(f.value)} ${f.unit} | ${targetText(f.target, f.unit)} | ${verdict(f)} | ${esc(f.note ?? '')} |`),
  '',
  '## Targets missed',
  '',
  ...(missed.length
    ? missed.map((f) => `- **${f.area} — ${f.metric}**: ${fmt(f.value)} ${f.unit} against ${targetText(f.target, f.unit)} (${verdict(f)}). Why: see the ${f.area} notes below.`)
    : ['None.']),
  '',
  '## How each figure was measured',
  '',
  ...sections.flatMap((s) => [`### ${s.area}`, '', ...s.notes.map((n) => `- ${n}`), '']),
];
const out = resolve(import.meta.dirname, 'results.md');
if (process.env.BENCH_APPEND) {
  // A later partial run: its figures, each with target and verdict, and the load it ran under.
  appendFileSync(
    out,
    [
      '',
      `## Later run${only.length ? ` (${only.join(', ')})` : ''}, ${machine.date}`,
      '',
      `Load average (1 / 5 / 15 min): ${loads.map((l) => `${l.at}: ${l.load.join(' / ')}`).join('; ')}. Duration ${totalS.toFixed(0)} s (${durations.join(', ')}). Chromium ${machine.chromium}, ${machine.cores} cores.`,
      '',
      '| Area | Metric | Value | Target | Result | Note |',
      '| --- | --- | ---: | --- | --- | --- |',
      ...rows.map((f) => `| ${f.area} | ${esc(f.metric)} | ${fmt(f.value)} ${f.unit} | ${targetText(f.target, f.unit)} | ${verdict(f)} | ${esc(f.note ?? '')} |`),
      '',
      ...sections.flatMap((s) => [`Notes (${s.area}):`, '', ...s.notes.map((n) => `- ${n}`), '']),
    ].join('\n'),
  );
} else writeFileSync(out, md.join('\n'));
console.log(`Wrote ${out}`);
