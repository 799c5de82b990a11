import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { wxtVitestLight } from './test/wxt-vitest.mjs';

export default defineConfig({
  test: {
    // vitest's default is one worker fewer than the cores: a single worker on this 2-core machine,
    // one core idle while a test file waits on loopback or a timer. Unit and dom files run two at
    // a time here (the e2e project sets its own, below).
    maxWorkers: Math.max(2, availableParallelism()),
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
