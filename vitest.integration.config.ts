// Integration tests against a REAL NocoDB (installed once into ~/.cache/liaison-nocodb, started
// by the global setup on a free loopback port). Separate from vitest.config.ts so `npm test`
// stays fast and offline; run with `npm run test:integration`. If NocoDB cannot be installed or
// started the global setup throws and the run FAILS: nothing here is ever skipped.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'integration',
    include: ['test/integration/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['test/integration/setup.ts'],
    globalSetup: ['test/integration/global-setup.ts'],
    // One NocoDB, one SQLite writer: files run one after another.
    fileParallelism: false,
    pool: 'forks',
    // The first run installs NocoDB (~3–4 min on 2 cores) inside the global setup.
    hookTimeout: 600_000,
    testTimeout: 300_000,
    teardownTimeout: 30_000,
    expect: { poll: { timeout: 20_000, interval: 150 } },
  },
});
