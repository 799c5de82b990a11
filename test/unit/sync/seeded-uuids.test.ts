// The fault runs' seeded ids (fake-crm.ts): same seed, same ids; version-4 shape; the real
// randomUUID back afterwards.
import { describe, expect, it } from 'vitest';
import { seededUuids } from './fake-crm';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function take(seed: number, n: number): string[] {
  const restore = seededUuids(seed);
  try {
    return Array.from({ length: n }, () => crypto.randomUUID());
  } finally {
    restore();
  }
}

describe('seededUuids', () => {
  it('gives the same version-4 ids for the same seed, other ids for another, none repeated', () => {
    const a = take(7, 500);
    expect(take(7, 500)).toEqual(a);
    expect(a.every((id) => V4.test(id))).toBe(true);
    expect(new Set(a).size).toBe(a.length);
    expect(take(8, 500).filter((id) => a.includes(id))).toEqual([]);
  });

  it('puts the real randomUUID back', () => {
    const real = crypto.randomUUID;
    take(1, 1);
    expect(crypto.randomUUID).toBe(real);
    expect(crypto.randomUUID()).not.toBe(crypto.randomUUID());
  });
});
