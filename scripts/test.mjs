// `npm test`: every check of the suite, scheduled for a 2-core machine, ending with how long each
// phase took (wall and CPU) and the machine's load, since others may share it.
//
//   Two lanes at once:
//   - the unit and component tests (vitest projects unit and dom, and the few files that mock a
//     module in unit-isolated and dom-isolated; output live);
//   - one after another: the development build for Chromium, after which the Chromium browser
//     tests start (vitest project e2e, two files at a time, each with its own browser); the one
//     for Firefox, after which Firefox's browser test starts in a run of its own; then, while the
//     browser tests run beside everything, the store builds for both into a fresh folder of this
//     run; then the manifest test, which reads those store builds. Builds go one at a time
//     because each WXT build rewrites .wxt/ (tsconfig and types), which the others read;
//   - the type check, once the first build is made, on a copy of .wxt/ taken then
//     (scripts/lib/typecheck-snapshot.mjs), beside the other builds (it waited for all of them
//     until 2026-12-07 and had become the end of the run).
//   Their output is shown when the lanes are done.
// Nothing is skipped or reused from an earlier run: every build is made here. The exit code is
// the first failed step's.
//
// The seeded sync fault runs are short here: 2 seeds of the fault model (test/unit/sync/
// fault.key, fault.lookup, 200 customers each, one test per seed) and 2 per adapter against its emulator
// (fault.<crm>: seeds 1 and 2, so both ways a dead worker's claims are recovered, 30 customers),
// unless SYNC_FAULT_SEEDS / FAULT_EMU_SEEDS / FAULT_EMU_CUSTOMERS are set; the browser's 100
// customers and 25 worker stops (test/e2e/sync-faults.test.ts). `npm run test:faults`, which
// .ci/run runs after this, runs all of them at their full count (50 and 45 seeds, 60 customers).
//
// Options (after `npm test --`): --no-e2e runs phase 1 only.
// LIAISON_TEST_TIMES=DIR: each vitest run also writes its JSON report (every file's and test's
// time) to DIR/<run>.json, to see where the suite's time goes.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { typecheckSnapshot } from './lib/typecheck-snapshot.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const withE2e = !process.argv.includes('--no-e2e');
const TIMES_DIR = process.env.LIAISON_TEST_TIMES;
/** vitest's arguments, with a JSON report beside the console's when LIAISON_TEST_TIMES is set. */
const vitestArgs = (name, args) => (TIMES_DIR ? [...args, '--reporter=default', '--reporter=json', `--outputFile.json=${join(resolve(TIMES_DIR), `${name}.json`)}`] : args);

// Linux reports a finished process's CPU time, children included, in /proc (cutime, cstime).
let ticks = 0;
try {
  ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 0;
} catch {
  ticks = 0;
}
// Runs one command and reports the CPU time it and its children used (on fd 3), or null.
const WRAP = `
const { spawnSync } = require('node:child_process');
const { readFileSync, writeSync } = require('node:fs');
const [cmd, ...args] = process.argv.slice(1);
const r = spawnSync(cmd, args, { stdio: 'inherit' });
let cpu = null;
try {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  cpu = (Number(f[13]) + Number(f[14])) / ${ticks || 100};
} catch {}
writeSync(3, JSON.stringify({ cpu, signal: r.signal, error: r.error ? String(r.error) : null }));
process.exit(r.status ?? 1);
`;

/** @typedef {{ name: string, code: number, wallS: number, cpuS: number | null, output: string }} Result */
/** @type {Result[]} */
const results = [];

/**
 * Run a command from node_modules/.bin. `live`: its output goes straight to the terminal;
 * otherwise it is kept and returned (printed by the caller when its lane is done).
 * @returns {Promise<Result>}
 */
function run(name, bin, args, { live = false, env = {} } = {}) {
  const start = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, ['-e', WRAP, join(BIN, bin), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, ...(live ? {} : { FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0') }) },
      stdio: ['inherit', live ? 'inherit' : 'pipe', live ? 'inherit' : 'pipe', 'pipe'],
    });
    let output = '';
    let report = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.stdio[3]?.on('data', (d) => (report += d));
    child.on('close', (code, signal) => {
      let cpuS = null;
      let extra = '';
      try {
        const r = JSON.parse(report);
        cpuS = ticks && typeof r.cpu === 'number' ? r.cpu : null;
        if (r.error) extra = `\n${name}: ${r.error}\n`;
        if (r.signal) extra += `\n${name}: killed by ${r.signal}\n`;
      } catch {
        // No report: the wrapper itself was stopped (a signal from outside, e.g. a kill by name).
        extra = `\n${name}: stopped by ${signal ?? `exit ${code}`} before it reported\n`;
      }
      const result = { name, code: code ?? (signal ? 1 : 0), wallS: (performance.now() - start) / 1000, cpuS, output: output + extra };
      results.push(result);
      done(result);
    });
  });
}

/** Run steps one after another, stopping at the first failure. */
async function lane(steps) {
  const out = [];
  for (const step of steps) {
    const r = await step();
    out.push(r);
    if (r.code !== 0) break;
  }
  return out;
}

function header(text) {
  console.log(`\n── ${text} ${'─'.repeat(Math.max(0, 70 - text.length))}`);
}

const t0 = performance.now();
const load0 = loadavg();
const storeBuilds = mkdtempSync(join(tmpdir(), 'liaison-store-builds-'));
let exitCode = 0;

try {
  header('unit and component tests (vitest projects unit, unit-isolated, dom, dom-isolated), beside the builds, the type check and the browser tests');
  // The browser tests start as soon as the development builds they load are made; the type check
  // and the store builds follow in the same lane (one WXT build or tsc at a time: each build
  // rewrites .wxt/, which tsc and the other builds read), and the manifest test, which reads the
  // store builds, runs last.
  let e2e = Promise.resolve(null);
  let e2eFirefox = Promise.resolve(null);
  let typecheck = Promise.resolve(null);
  const unitRun = run('unit + dom', 'vitest', vitestArgs('unit', ['run', '--project', 'unit', '--project', 'unit-isolated', '--project', 'dom', '--project', 'dom-isolated']), {
    live: true,
    env: {
      SYNC_FAULT_SEEDS: process.env.SYNC_FAULT_SEEDS ?? '2',
      FAULT_EMU_SEEDS: process.env.FAULT_EMU_SEEDS ?? '2',
      FAULT_EMU_CUSTOMERS: process.env.FAULT_EMU_CUSTOMERS ?? '30',
    },
  });
  const side = await lane([
    async () => {
      const r = await run('build chrome (development)', 'wxt', ['build', '--mode', 'development']);
      // The Chromium browser tests need only this build: they start now, two files at a time.
      if (withE2e && r.code === 0) e2e = run('e2e (Chromium)', 'vitest', vitestArgs('e2e-chromium', ['run', '--project', 'e2e', '--exclude', 'test/e2e/manifest.test.ts', '--exclude', 'test/e2e/firefox/**']));
      // The type check reads a copy of .wxt/ as this build left it, beside the builds that follow.
      if (r.code === 0) {
        const snap = typecheckSnapshot(ROOT);
        typecheck = run('typecheck', 'tsc', ['--noEmit', '-p', snap.config]).finally(snap.remove);
      }
      return r;
    },
    async () => {
      const r = await run('build firefox (development)', 'wxt', ['build', '-b', 'firefox', '--mv3', '--mode', 'development']);
      // Firefox's browser test, in a run of its own beside the Chromium ones.
      if (withE2e && r.code === 0) e2eFirefox = run('e2e (Firefox)', 'vitest', vitestArgs('e2e-firefox', ['run', '--project', 'e2e', 'test/e2e/firefox/']), { env: { LIAISON_E2E_WORKERS: '1' } });
      return r;
    },
    () => run('build chrome (store)', 'wxt', ['build', '--mode', 'production'], { env: { LIAISON_OUT_DIR: storeBuilds } }),
    () => run('build firefox (store)', 'wxt', ['build', '-b', 'firefox', '--mv3', '--mode', 'production'], { env: { LIAISON_OUT_DIR: storeBuilds } }),
    () => (withE2e ? run('e2e manifest (store builds)', 'vitest', ['run', '--project', 'e2e', 'test/e2e/manifest.test.ts'], { env: { LIAISON_STORE_BUILDS: storeBuilds } }) : Promise.resolve({ name: 'e2e manifest (store builds)', code: 0, wallS: 0, cpuS: null, output: '(skipped: --no-e2e)' })),
  ]);
  const unit = await unitRun;
  const browser = [await e2e, await e2eFirefox].filter((r) => r !== null);
  const checked = [await typecheck].filter((r) => r !== null);
  for (const r of [...side, ...checked, ...browser]) {
    header(`${r.name}: ${r.code === 0 ? 'ok' : `FAILED (exit ${r.code})`}`);
    process.stdout.write(r.output.trim() ? `${r.output.trimEnd()}\n` : '(no output)\n');
  }
  const failed = [unit, ...side, ...checked, ...browser].find((r) => r.code !== 0);
  if (failed) exitCode = failed.code;
} finally {
  rmSync(storeBuilds, { recursive: true, force: true });
}

const wall = (performance.now() - t0) / 1000;
const fmt = (s) => (s >= 60 ? `${Math.floor(s / 60)} min ${(s % 60).toFixed(0).padStart(2, '0')} s` : `${s.toFixed(1)} s`);
const load1 = loadavg();
header(`npm test: ${exitCode === 0 ? 'passed' : `FAILED (exit ${exitCode})`} in ${fmt(wall)}`);
const order = ['unit + dom', 'build chrome (development)', 'e2e (Chromium)', 'build firefox (development)', 'e2e (Firefox)', 'typecheck', 'build chrome (store)', 'build firefox (store)', 'e2e manifest (store builds)'];
for (const r of [...results].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name))) {
  const cpu = r.cpuS === null ? '' : `   CPU ${fmt(r.cpuS)}`;
  console.log(`  ${r.name.padEnd(28)} ${fmt(r.wallS).padStart(12)}${cpu}${r.code === 0 ? '' : `   FAILED (exit ${r.code})`}`);
  if (r.code !== 0 && r.output.trim() && r.output.length < 2000 && /stopped by|killed by/.test(r.output)) console.log(`    ${r.output.trim()}`);
}
console.log(`  ${'total (the lanes overlap)'.padEnd(28)} ${fmt(wall).padStart(12)}`);
console.log(`  load average (1/5/15 min) at start ${load0.map((x) => x.toFixed(2)).join(' ')}, at end ${load1.map((x) => x.toFixed(2)).join(' ')} on this machine`);
process.exit(exitCode);
