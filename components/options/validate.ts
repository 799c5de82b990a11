// Settings validation with translated, per-field messages. It mirrors settingsSchema
// (lib/model/settings.ts), which stays the authority the background enforces; this exists
// so the user sees which field is wrong, in their language, before anything is sent.
import type { T } from '../../lib/i18n';
import type { Settings } from '../../lib/model';
import { isValidCodeFormat } from '../../lib/crm/local/code-format';

export type ListKey = 'stages' | 'sources' | 'products';
export const LIST_KEYS: readonly ListKey[] = ['stages', 'sources', 'products'];
export type SettingsErrors = Partial<Record<'codeFormat' | ListKey | 'digestTime' | 'weeklyTime' | 'snoozeMinutes' | 'pullMinutes' | 'tempCodeFormat', string>>;

export function codeFormatError(t: T, format: string): string | undefined {
  if (!format.trim()) return t('form.required');
  if (format.length > 40) return t('options.code.tooLong');
  if (!isValidCodeFormat(format)) return t('options.code.needSeq');
  return undefined;
}

function listError(t: T, items: string[]): string | undefined {
  const trimmed = items.map((s) => s.trim());
  if (trimmed.length === 0) return t('options.lists.atLeastOne');
  if (trimmed.length > 50) return t('options.lists.tooMany');
  if (trimmed.some((s) => !s)) return t('options.lists.empty');
  if (trimmed.some((s) => s.length > 50)) return t('options.lists.tooLong');
  const dup = trimmed.find((s, i) => trimmed.indexOf(s) !== i);
  if (dup !== undefined) return t('options.lists.duplicate', { value: dup });
  return undefined;
}

export function validateSettings(t: T, s: Settings): SettingsErrors {
  const e: SettingsErrors = {};
  const code = codeFormatError(t, s.codeFormat);
  if (code) e.codeFormat = code;
  for (const k of LIST_KEYS) {
    const err = listError(t, s[k]);
    if (err) e[k] = err;
  }
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(s.digestTime)) e.digestTime = t('options.reminders.badTime');
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(s.weeklyTime)) e.weeklyTime = t('options.reminders.badTime');
  if (!Number.isInteger(s.snoozeMinutes) || s.snoozeMinutes < 5 || s.snoozeMinutes > 24 * 60) {
    e.snoozeMinutes = t('options.reminders.badSnooze');
  }
  if (!Number.isInteger(s.pullMinutes) || s.pullMinutes < 1 || s.pullMinutes > 24 * 60) e.pullMinutes = t('options.team.badPull');
  const temp = codeFormatError(t, s.tempCodeFormat);
  if (temp) e.tempCodeFormat = temp;
  return e;
}

/** What is saved: list items trimmed (validation already rejected empty ones). */
export function cleanSettings(s: Settings): Settings {
  return {
    ...s,
    codeFormat: s.codeFormat.trim(),
    tempCodeFormat: s.tempCodeFormat.trim(),
    stages: s.stages.map((x) => x.trim()),
    sources: s.sources.map((x) => x.trim()),
    products: s.products.map((x) => x.trim()),
  };
}
