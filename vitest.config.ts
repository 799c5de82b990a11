import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { wxtVitestLight } from './test/wxt-vitest.mjs';

export default defineConfig({
  test: {
    // vitest's default is one worker fewer than the cores: a single worker on this 2-core machine,
    // one core idle while a test file waits on loopback, an emulator's rate window or a timer.
    // Most unit files wait more than they compute (the unit phase used 1.1 of 2 cores with two
    // workers), so unit and dom files run twice the cores at a time, at least 4, at most 8
    // (measured on this 2-core machine: 8 min 21 s with 2 workers, 6 min 40 s with 4 running more
    // fault seeds; LIAISON_UNIT_WORKERS overrides). The e2e project sets its own, below.
    maxWorkers: Number(process.env.LIAISON_UNIT_WORKERS ?? Math.min(8, Math.max(4, availableParallelism() * 2))),
    projects: [
      {
        // WXT's plugin, with the fake browser imported without WXT's build core (test/wxt-vitest.mjs).
        plugins: [wxtVitestLight()],
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          exclude: ['test/unit/components/**'],
          environment: 'node',
          setupFiles: ['test/setup.unit.ts'],
        },
      },
      {
        // Components render in happy-dom. No WXT plugin here: its set-up imports Vite, which
        // breaks under happy-dom's URL, and components never touch browser APIs anyway.
        test: {
          name: 'dom',
          include: ['test/unit/components/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
        },
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
          // of one core of this 2-core machine). LIAISON_E2E_WORKERS=1 runs them one at a time.
          fileParallelism: true,
          maxWorkers: Number(process.env.LIAISON_E2E_WORKERS ?? 2),
          pool: 'forks',
        },
      },
    ],
  },
});
