import { describe, expect, it } from 'vitest';
import { getSettings, saveSettings } from '../../../lib/settings/store';
import { ValidationError } from '../../../lib/customers/errors';
import { DEFAULT_SETTINGS } from '../../../lib/model';
import { useDb } from './helpers';

const t = useDb();

describe('settings store', () => {
  it('returns the defaults when nothing is stored', async () => {
    expect(await getSettings(t.db)).toEqual(DEFAULT_SETTINGS);
  });

  it.each([['garbage'], [42], [null], [[1, 2]]])('never throws on a stored %j', async (value) => {
    await t.db.kv.put({ key: 'settings', value });
    expect(await getSettings(t.db)).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps valid fields and defaults only the invalid ones', async () => {
    await t.db.kv.put({ key: 'settings', value: { ...DEFAULT_SETTINGS, codeFormat: 'C{seq:3}', digestTime: '25:99', stages: [], extra: 1 } });
    const s = await getSettings(t.db);
    expect(s).toEqual({ ...DEFAULT_SETTINGS, codeFormat: 'C{seq:3}' });
  });

  it('saves valid settings and rejects invalid ones clearly without writing', async () => {
    const saved = await saveSettings(t.db, { ...DEFAULT_SETTINGS, snoozeMinutes: 30 });
    expect(saved.snoozeMinutes).toBe(30);
    expect((await getSettings(t.db)).snoozeMinutes).toBe(30);
    const err = await saveSettings(t.db, { ...DEFAULT_SETTINGS, codeFormat: 'no-seq' }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toContain('codeFormat');
    expect((await getSettings(t.db)).codeFormat).toBe(DEFAULT_SETTINGS.codeFormat);
  });
});
