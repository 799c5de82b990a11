// Report ranges in the user's time zone. A week is Monday 00:00 to the next Monday 00:00 on
// the wall clock of `tz` (Chinese business weeks start on Monday), so a follow-up logged on
// Sunday 23:59 in Shanghai belongs to the week before, whatever zone the machine is in.
import { zonedTimeToEpoch, zonedWallTime } from '../reminders/schedule';

export interface Range {
  from: number;
  /** Exclusive. */
  to: number;
}

export type RangePreset = 'thisWeek' | 'lastWeek' | 'thisMonth' | 'custom';

/** Calendar arithmetic on a wall date (no zone involved): UTC Date as a plain calendar. */
function shiftDays(y: number, m: number, d: number, delta: number): { year: number; month: number; day: number } {
  const c = new Date(Date.UTC(y, m - 1, d + delta));
  return { year: c.getUTCFullYear(), month: c.getUTCMonth() + 1, day: c.getUTCDate() };
}

export function weekRange(now: number, tz: string): Range {
  const w = zonedWallTime(now, tz);
  // getUTCDay on the wall date: 0 = Sunday; days since Monday = (dow + 6) % 7.
  const sinceMonday = (new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7;
  const monday = shiftDays(w.year, w.month, w.day, -sinceMonday);
  const next = shiftDays(monday.year, monday.month, monday.day, 7);
  return {
    from: zonedTimeToEpoch({ ...monday, hour: 0, minute: 0 }, tz),
    to: zonedTimeToEpoch({ ...next, hour: 0, minute: 0 }, tz),
  };
}

export function monthRange(now: number, tz: string): Range {
  const w = zonedWallTime(now, tz);
  const nextMonth = w.month === 12 ? { year: w.year + 1, month: 1 } : { year: w.year, month: w.month + 1 };
  return {
    from: zonedTimeToEpoch({ year: w.year, month: w.month, day: 1, hour: 0, minute: 0 }, tz),
    to: zonedTimeToEpoch({ ...nextMonth, day: 1, hour: 0, minute: 0 }, tz),
  };
}

/** The range a preset names at `now`; 'custom' needs its own from/to and returns them. */
export function presetRange(preset: RangePreset, now: number, tz: string, custom?: Range): Range {
  switch (preset) {
    case 'thisWeek':
      return weekRange(now, tz);
    case 'lastWeek': {
      // One millisecond before this week's Monday is inside last week, DST or not.
      return weekRange(weekRange(now, tz).from - 1, tz);
    }
    case 'thisMonth':
      return monthRange(now, tz);
    case 'custom':
      return custom ?? weekRange(now, tz);
  }
}

/** The start of the wall-clock day containing `ms` in `tz` ("2026-03-05" style keys for charts). */
export function dayKey(ms: number, tz: string): string {
  const w = zonedWallTime(ms, tz);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** Parses "YYYY-MM-DD" (a date input's value) as midnight in `tz`; undefined when malformed. */
export function parseDayKey(s: string, tz: string): number | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return zonedTimeToEpoch({ year, month, day, hour: 0, minute: 0 }, tz);
}
