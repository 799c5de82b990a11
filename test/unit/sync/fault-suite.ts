// The seeded fault runs of the sync model (./fault-model.ts), one test per seed: a seed has its
// own time limit (a few seconds of work, 120 s allowed on a loaded machine) instead of the whole
// run sharing one, and a failure names its seed. npm test runs 2 seeds (scripts/test.mjs);
// `npm run test:faults` (in .ci/run) the full 50.
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario, sum, type Figures } from './fault-model';

const SEEDS = Number(process.env.SYNC_FAULT_SEEDS ?? 8);
/** Replay one failing seed: SYNC_FAULT_FIRST=39 SYNC_FAULT_SEEDS=1. */
const FIRST = Number(process.env.SYNC_FAULT_FIRST ?? 1);
const PER_SEED_MS = 120_000;

export function faultSuite(mode: 'key' | 'lookup', title: string): void {
  describe(`${title}: 0 lost, 0 duplicated across random worker kills (${SEEDS} seeds × 200 customers)`, () => {
    const all: Figures[] = [];
    afterAll(() => console.log(`[sync fault test] ${mode} mode, ${all.length} seeds`, JSON.stringify(sum(all))));
    const seeds = Array.from({ length: SEEDS }, (_, i) => FIRST + i);
    it.each(seeds)('seed %i', async (seed) => {
      const f = await runScenario(mode, seed);
      all.push(f);
      expect({ seed, lost: f.lost, duplicated: f.duplicated, followUpsLost: f.followUpsLost, followUpsDuplicated: f.followUpsDuplicated, staleNotes: f.staleNotes, notDone: f.notDone, rateLimitViolations: f.rateLimitViolations }).toEqual({
        seed,
        lost: 0,
        duplicated: 0,
        followUpsLost: 0,
        followUpsDuplicated: 0,
        staleNotes: 0,
        notDone: 0,
        rateLimitViolations: 0,
      });
    }, PER_SEED_MS);
  });
}
