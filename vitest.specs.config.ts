// Contract tests held to the vendors' own API descriptions (`npm run test:specs`). The same
// contract tests as `npm test`'s unit project, in specs mode (LIAISON_SPECS_MODE=1): every request
// an adapter sends goes through test/specs/openapi.ts, a missing vendor file fails the run, and
// the global set-up prints per vendor the requests validated, violations (must be 0) and the
// requests no operation covers, summed over all files from the records each worker appends.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { wxtVitestLight } from './test/wxt-vitest.mjs';

process.env.LIAISON_SPECS_MODE = '1';
process.env.LIAISON_SPECS_REPORT ??= mkdtempSync(join(tmpdir(), 'liaison-specs-'));

export default defineConfig({
  // WXT's plugin with the light fake-browser import, as the unit project (test/wxt-vitest.mjs).
  plugins: [wxtVitestLight()],
  test: {
    name: 'specs',
    include: ['test/specs/**/*.test.ts', 'test/unit/contract/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['test/setup.unit.ts'],
    globalSetup: ['test/specs/global-setup.ts'],
    env: { LIAISON_SPECS_MODE: '1', LIAISON_SPECS_REPORT: process.env.LIAISON_SPECS_REPORT },
    // As the unit project (vitest.config.ts): 5 s fails tests that wait on loopback or pace a burst
    // by the vendor's limit when the machine is loaded (.ci/run runs this beside other suites).
    testTimeout: 20_000,
  },
});
