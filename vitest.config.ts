import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing';

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [WxtVitest()],
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
          fileParallelism: false,
          pool: 'forks',
        },
      },
    ],
  },
});
