import { afterEach, describe, expect, it } from 'vitest';
import { LiaisonDb } from '../../../lib/db/db';
import { BREAKER_DEFAULTS, breakerDecision, breakerKey, CLOSED, loadBreaker, onOutage, onProbe, onResponse, saveBreaker } from '../../../lib/sync/breaker';

const o = BREAKER_DEFAULTS;
let db: LiaisonDb | undefined;
afterEach(async () => {
  await db?.delete();
});

describe('circuit breaker', () => {
  it('opens after N consecutive outage failures within the window', () => {
    let s = CLOSED;
    for (let i = 0; i < o.threshold - 1; i++) s = onOutage(s, 1000 + i * 1000, o);
    expect(s.state).toBe('closed');
    s = onOutage(s, 5000, o);
    expect(s).toMatchObject({ state: 'open', openedAt: 5000, nextProbeAt: 5000 + o.probeIntervalMs });
    expect(breakerDecision(s, 5000 + o.probeIntervalMs - 1)).toBe('deny');
    expect(breakerDecision(s, 5000 + o.probeIntervalMs)).toBe('probe');
  });

  it('does not open on failures spread wider than the window, or interrupted by a success', () => {
    let s = CLOSED;
    for (let i = 0; i < 10; i++) s = onOutage(s, i * 30_000, o);
    expect(s.state).toBe('closed');
    s = CLOSED;
    for (let i = 0; i < 4; i++) s = onOutage(s, i, o);
    s = onResponse();
    s = onOutage(s, 10, o);
    expect(s.state).toBe('closed');
  });

  it('half-open: one probe per interval, a killed probe does not allow an earlier one', () => {
    let s = { state: 'open' as const, failures: [], openedAt: 0, nextProbeAt: 60_000 };
    const probing = onProbe(s, 60_000, o);
    expect(probing.state).toBe('half-open');
    expect(breakerDecision(probing, 60_000)).toBe('deny');
    expect(breakerDecision(probing, 119_999)).toBe('deny');
    expect(breakerDecision(probing, 120_000)).toBe('probe'); // the probe's worker died: next slot
    const failed = onOutage(probing, 61_000, o);
    expect(failed).toMatchObject({ state: 'open', nextProbeAt: 120_000 });
    expect(onResponse().state).toBe('closed');
    s = failed as typeof s;
    expect(breakerDecision(s, 100_000)).toBe('deny');
  });

  it('persists in kv and survives a corrupt row', async () => {
    db = new LiaisonDb('t-' + crypto.randomUUID());
    expect(await loadBreaker(db, 'c')).toEqual(CLOSED);
    const open = { state: 'open' as const, failures: [1, 2], openedAt: 2, nextProbeAt: 60_002 };
    await saveBreaker(db, 'c', open);
    expect(await loadBreaker(db, 'c')).toEqual(open);
    await db.kv.put({ key: breakerKey('c'), value: { state: 'bogus' } });
    expect(await loadBreaker(db, 'c')).toEqual(CLOSED);
  });
});
