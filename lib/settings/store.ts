// Settings live in kv under 'settings'. Reading never fails on bad data: a field that does
// not validate falls back to its default on its own, so one stale or hand-edited value (an
// import, an older version) doesn't reset everything else.
import { z } from 'zod';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../model';
import type { LiaisonDb } from '../db/db';
import { ValidationError } from '../customers/errors';

export const SETTINGS_KEY = 'settings';

export async function getSettings(db: LiaisonDb): Promise<Settings> {
  const row = await db.kv.get(SETTINGS_KEY);
  const stored = row?.value;
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return structuredClone(DEFAULT_SETTINGS);
  const whole = settingsSchema.safeParse(stored);
  if (whole.success) return whole.data;
  const merged: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const field = settingsSchema.shape[key].safeParse((stored as Record<string, unknown>)[key]);
    merged[key] = field.success ? field.data : structuredClone(DEFAULT_SETTINGS[key]);
  }
  // Field schemas passed one by one; the whole may still fail only if the schema gains cross-field rules.
  return settingsSchema.catch(structuredClone(DEFAULT_SETTINGS)).parse(merged);
}

export async function saveSettings(db: LiaisonDb, s: Settings): Promise<Settings> {
  const parsed = settingsSchema.safeParse(s);
  if (!parsed.success) throw new ValidationError(`设置无效 / invalid settings:\n${z.prettifyError(parsed.error)}`);
  await db.kv.put({ key: SETTINGS_KEY, value: parsed.data });
  return parsed.data;
}
