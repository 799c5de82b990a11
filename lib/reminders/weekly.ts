// When the weekly report notification is due: a weekday (1 = Monday … 7 = Sunday, ISO) and a
// wall-clock time in the user's zone. Built on the daily digest's DST-safe arithmetic.
import { nextDigestAt, previousDigestAt, runtimeTimeZone, zonedWallTime } from './schedule';

/** ISO weekday (Mon 1 … Sun 7) of an instant in a zone. */
export function isoWeekday(at: number, timeZone: string): number {
  const w = zonedWallTime(at, timeZone);
  const day = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay(); // the wall date as a calendar
  return day === 0 ? 7 : day;
}

/** The next weekly time strictly after `now`. */
export function nextWeeklyAt(weekday: number, time: string, now: number, timeZone: string = runtimeTimeZone()): number {
  let at = nextDigestAt(time, now, timeZone);
  for (let i = 0; i < 7 && isoWeekday(at, timeZone) !== weekday; i++) at = nextDigestAt(time, at, timeZone);
  return at;
}

/** The latest weekly time at or before `now`. */
export function previousWeeklyAt(weekday: number, time: string, now: number, timeZone: string = runtimeTimeZone()): number {
  let at = previousDigestAt(time, now, timeZone);
  for (let i = 0; i < 7 && isoWeekday(at, timeZone) !== weekday; i++) at = previousDigestAt(time, at - 1, timeZone);
  return at;
}
