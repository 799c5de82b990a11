import { describe, expect, it } from 'vitest';
import { allocateCode } from '../../../lib/crm/local/adapter';
import { DEVICE_TAG_KEY, drawDeviceTag } from '../../../lib/crm/local/device-tag';
import { createCustomer } from '../../../lib/customers/create';
import { saveSettings } from '../../../lib/settings/store';
import { DEFAULT_SETTINGS } from '../../../lib/model';
import { useDb, at } from '../customers/helpers';

const t = useDb();

describe('allocateCode', () => {
  it('renders the format with a per-prefix sequence', async () => {
    const { db } = t;
    expect(await allocateCode(db, 'KH{YYYY}-{seq:4}', at(2026, 3, 5))).toBe('KH2026-0001');
    expect(await allocateCode(db, 'KH{YYYY}-{seq:4}', at(2026, 12, 31))).toBe('KH2026-0002');
    expect(await allocateCode(db, 'L{YYYY}{MM}{DD}-{seq:3}', at(2026, 11, 21))).toBe('L20261121-001');
    expect(await allocateCode(db, 'L{YYYY}{MM}{DD}-{seq:3}', at(2026, 11, 22))).toBe('L20261122-001');
    expect(await db.counters.get('KH2026-{seq}')).toEqual({ key: 'KH2026-{seq}', value: 2 });
  });

  it('{device}: this browser’s tag, drawn once and kept; two browsers (two profiles) count different temporary codes', async () => {
    const { db } = t;
    const first = await allocateCode(db, 'WX{YYYY}{MM}{DD}{device}{seq:3}', at(2026, 12, 5));
    expect(first).toMatch(/^WX20261205[A-HJ-NP-Z2-9]{3}001$/);
    const tag = first.slice(10, 13);
    expect(await allocateCode(db, 'WX{YYYY}{MM}{DD}{device}{seq:3}', at(2026, 12, 5))).toBe(`WX20261205${tag}002`);
    expect((await db.kv.get(DEVICE_TAG_KEY))?.value).toBe(tag);
    // Another profile draws its own tag: of 200 profiles' first codes of the day, the tags are spread over the alphabet.
    const tags = new Set(Array.from({ length: 200 }, () => drawDeviceTag()));
    expect(tags.size).toBeGreaterThan(150);
    for (const x of tags) expect(x).toMatch(/^[A-HJ-NP-Z2-9]{3}$/);
    // A doctored tag in kv is replaced, not used.
    await db.kv.put({ key: DEVICE_TAG_KEY, value: '<b>' });
    const next = await allocateCode(db, 'T{device}-{seq}', at(2026, 12, 5));
    expect(next).toMatch(/^T[A-HJ-NP-Z2-9]{3}-1$/);
    expect(DEFAULT_SETTINGS.tempCodeFormat).toContain('{device}');
  });

  it('restarts every year with {YYYY} and never with a date-less format', async () => {
    const { db } = t;
    await allocateCode(db, 'KH{YYYY}{seq:3}', at(2025, 12, 31, 23, 59));
    expect(await allocateCode(db, 'KH{YYYY}{seq:3}', at(2025, 12, 31, 23, 59))).toBe('KH2025002');
    expect(await allocateCode(db, 'KH{YYYY}{seq:3}', at(2026, 1, 1, 0, 1))).toBe('KH2026001');
    await allocateCode(db, 'C-{seq}', at(2025, 6, 1));
    expect(await allocateCode(db, 'C-{seq}', at(2030, 6, 1))).toBe('C-2');
  });

  it('skips a code a customer already has (e.g. imported)', async () => {
    const { db } = t;
    await db.customers.add({ id: 'x', code: 'KH2026-0001', name: 'imported', phones: [], tags: [], stage: '新客户', createdAt: 0, updatedAt: 0, searchKeys: [] });
    expect(await allocateCode(db, 'KH{YYYY}-{seq:4}', at(2026, 3, 5))).toBe('KH2026-0002');
  });

  it('50 concurrent allocations draw 50 distinct numbers', async () => {
    const { db } = t;
    const codes = await Promise.all(Array.from({ length: 50 }, () => allocateCode(db, 'N{seq:2}', at(2026, 3, 5))));
    expect(new Set(codes).size).toBe(50);
  });

  it('50 concurrent creates get 50 distinct, sequential codes', async () => {
    const { db } = t;
    await saveSettings(db, { ...DEFAULT_SETTINGS, codeFormat: 'KH{YYYY}-{seq:4}' });
    const now = at(2026, 3, 5);
    const made = await Promise.all(Array.from({ length: 50 }, (_, i) => createCustomer(db, { fields: { name: `c${i}` } }, now)));
    const codes = made.map((c) => c.code).sort();
    expect(new Set(codes).size).toBe(50);
    expect(codes).toEqual(Array.from({ length: 50 }, (_, i) => `KH2026-${String(i + 1).padStart(4, '0')}`));
    expect((await db.counters.get('KH2026-{seq}'))?.value).toBe(50);
  });
});
