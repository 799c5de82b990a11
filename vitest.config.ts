import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { MOCKING_DOM, MOCKING_UNIT } from './test/isolated-files.ts';
import { wxtVitestLight } from './test/wxt-vitest.mjs';
import { SlowFirstSequencer } from './test/slow-first-sequencer.ts';

// Unit and component files share their worker's modules (isolate: false): with a fresh module
// graph per file, importing zod, Dexie, the adapters and the emulators again for each of ~260
// files was most of the phase's CPU (measured on this 2-core machine with npm test's fault
// counts: 11 min of CPU with isolation, 3 min 42 s without). Files start from a clean slate all
// the same: each opens databases of its own name, and test/setup.unit.ts resets the fake
// browser, the rate limiters and the timers before each file. A file that replaces a module with
// vi.mock needs the module graph to itself (a shared graph may have loaded the real module
// already), so those run isolated (listed in test/isolated-files.ts).
// vitest's 5 s default per test fails tests that wait on loopback when the machine is loaded
// (a contract test's emulator round trips at load 10+); a test that hangs still fails.
const TEST_TIMEOUT = 20_000;
const SHARED_MODULES = { isolate: false, testTimeout: TEST_TIMEOUT };

export default defineConfig({
  test: {
    // vitest's default is one worker fewer than the cores: a single worker on this 2-core machine,
    // one core idle while a test file waits on loopback, an emulator's rate window or a timer.
    // Most unit files wait more than they compute (the unit phase used 1.1 of 2 cores with two
    // workers, 0.86 of 2 with four: emulator round trips, rate windows and Retry-After waits in
    // real time), so unit and dom files run three times the cores at a time, at least 6, at most 8
    // (measured on this 2-core machine with npm test's fault counts: 8 min 21 s with 2 workers,
    // 6 min 40 s with 4 running more fault seeds; on 2026-12-07, the unit and dom projects alone,
    // same machine state, 234 s with 4 and 214 s with 6, CPU 281 and 271 s; LIAISON_UNIT_WORKERS
    // overrides). The e2e project sets its own, below.
    maxWorkers: Number(process.env.LIAISON_UNIT_WORKERS ?? Math.min(8, Math.max(6, availableParallelism() * 3))),
    // The longest files first, also in a fresh clone with no cached durations (test/slow-files.ts).
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      {
        // WXT's plugin, with the fake browser imported without WXT's build core (test/wxt-vitest.mjs).
        plugins: [wxtVitestLight()],
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          exclude: ['test/unit/components/**', ...MOCKING_UNIT],
          environment: 'node',
          setupFiles: ['test/setup.unit.ts'],
          ...SHARED_MODULES,
        },
      },
      {
        plugins: [wxtVitestLight()],
        test: { name: 'unit-isolated', include: MOCKING_UNIT, environment: 'node', setupFiles: ['test/setup.unit.ts'], testTimeout: TEST_TIMEOUT },
      },
      {
        // Components render in happy-dom. No WXT plugin here: its set-up imports Vite, which
        // breaks under happy-dom's URL, and components never touch browser APIs anyway.
        test: {
          name: 'dom',
          include: ['test/unit/components/**/*.test.{ts,tsx}'],
          exclude: MOCKING_DOM,
          environment: 'happy-dom',
          setupFiles: ['test/setup.dom.ts'],
          ...SHARED_MODULES,
        },
      },
      {
        test: { name: 'dom-isolated', include: MOCKING_DOM, environment: 'happy-dom', setupFiles: ['test/setup.dom.ts'], testTimeout: TEST_TIMEOUT },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          // The real browser needs more than expect.poll's default second on a 2-core machine.
          expect: { poll: { timeout: 10_000, interval: 100 } },
          hookTimeout: 120_000,
          // Two files at a time: each has its own browser, profile, demo server and emulators on
          // ports of its own, and a file mostly waits on the browser (one at a time used about half
          // of one core of this 2-core machine). Three finished the browser tests a minute sooner
          // (7 min 14 s) but slowed the unit lane beside them by nearly two (8 min 57 s, npm test 9 min
          // 38 s in all) and made its timing-sensitive tests fail. LIAISON_E2E_WORKERS=1 runs them one
          // at a time.
          fileParallelism: true,
          maxWorkers: Number(process.env.LIAISON_E2E_WORKERS ?? 2),
          pool: 'forks',
        },
      },
    ],
  },
});
