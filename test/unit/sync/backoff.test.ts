import { describe, expect, it } from 'vitest';
import { backoffCeiling, nextDelay } from '../../../lib/sync/backoff';
import { rng } from './fake-crm';

describe('nextDelay', () => {
  it.each([
    // attempt, ceiling (base 5 s, cap 10 min)
    [1, 5_000],
    [2, 10_000],
    [4, 40_000],
    [7, 320_000],
    [8, 600_000],
    [30, 600_000],
    [5000, 600_000],
  ])('attempt %i → ceiling %i ms', (attempt, ceiling) => {
    expect(backoffCeiling(attempt)).toBe(ceiling);
    expect(nextDelay(attempt, { random: () => 0.999999 })).toBeLessThan(ceiling);
    expect(nextDelay(attempt, { random: () => 0 })).toBe(1_000); // the floor
  });

  it('is full jitter: spread over [floor, ceiling), never above the 10-minute cap', () => {
    const random = rng(7);
    const draws = Array.from({ length: 2000 }, () => nextDelay(8, { random }));
    expect(Math.max(...draws)).toBeLessThanOrEqual(600_000);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(1_000);
    // Roughly uniform: each quarter of the range gets a fair share.
    for (let q = 0; q < 4; q++) {
      const n = draws.filter((d) => d >= q * 150_000 && d < (q + 1) * 150_000).length;
      expect(n).toBeGreaterThan(400);
    }
  });

  it('never retries before the CRM said (Retry-After)', () => {
    const random = rng(1);
    for (let i = 0; i < 500; i++) {
      const retryAfterMs = Math.floor(random() * 120_000);
      expect(nextDelay(1 + (i % 8), { random, retryAfterMs })).toBeGreaterThanOrEqual(retryAfterMs);
    }
    expect(nextDelay(1, { random: () => 0.5, retryAfterMs: 900_000 })).toBe(900_000); // even beyond the cap
  });

  it('honours custom base and cap', () => {
    expect(backoffCeiling(3, { baseMs: 100, capMs: 250 })).toBe(250);
    expect(nextDelay(3, { baseMs: 100, capMs: 250, floorMs: 0, random: () => 0.5 })).toBe(125);
  });
});
