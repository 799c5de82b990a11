// Keeps `npm run bench` from rotting: its pure-Node parts run here with tiny sizes (the sync
// against the emulator with no latency, the rate analysis, the database bench on
// fake-indexeddb). Only that they produce figures is checked — timings on a shared test
// machine prove nothing, and the real figures come from `npm run bench` in Chromium.
import { describe, expect, it } from 'vitest';
import { dbFigures } from '../../bench/db';
import { runDbBench } from '../../bench/db-core';
import { makeLeads, sampleLeads } from '../../bench/leads';
import { maxRates, rateSection } from '../../bench/rate';
import { met, percentile, verdict } from '../../bench/lib/report';
import { benchSync, minimumRequests } from '../../bench/sync';

const finite = (x: number) => Number.isFinite(x) && x >= 0;

describe('bench smoke', () => {
  it('lead set has the asked proportions and the minimum is computed', () => {
    const set = makeLeads(200);
    expect(set.leads).toHaveLength(200);
    expect(set.counts).toEqual({ uniqueNew: 170, batchDuplicates: 10, tableDuplicates: 10, invalid: 10 });
    expect(sampleLeads(set.leads, 20)).toHaveLength(20);
    const min = minimumRequests(set);
    expect(min.toCreate).toBe(170);
    expect(min.total).toBe(1 + min.dedupe + min.creates);
  });

  it('sync + rate produce figures (200 leads, seed algorithm on 40, no latency)', { timeout: 60_000 }, async () => {
    const r = await benchSync({ leads: 200, seedSample: 40, latencyMs: 0 });
    expect(r.section.figures.length).toBeGreaterThan(5);
    for (const f of r.section.figures) expect(finite(f.value)).toBe(true);
    expect(r.logs.every((l) => l.log.length > 0)).toBe(true);
    const rates = maxRates(r.logs[0]!.log);
    expect(rates.some((x) => x.api === 'records.batch_create')).toBe(true);
    const section = rateSection(r.logs);
    expect(section.figures.every((f) => finite(f.value) && verdict(f).length > 0)).toBe(true);
  });

  it('database bench produces figures (1,000 customers on fake-indexeddb)', { timeout: 60_000 }, async () => {
    const res = await runDbBench({ customers: 1000, lookups: 20, dbName: 'liaison-bench-smoke' });
    expect(res.correct).toBe(true);
    expect(res.count).toBe(1000);
    const figures = dbFigures(res, [], 'fake-indexeddb');
    expect(figures.length).toBeGreaterThan(5);
    for (const f of figures) {
      expect(finite(f.value)).toBe(true);
      if (f.target) expect(typeof met(f)).toBe('boolean');
    }
    expect(percentile([3, 1, 2], 50)).toBe(2);
  });
});
