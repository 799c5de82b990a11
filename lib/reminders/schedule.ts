// Pure time arithmetic for reminders and the morning digest: no Dexie, no browser APIs,
// so every rule here is table-tested with plain numbers.
//
// Wall-clock times ("09:00", "start of today") are resolved in an IANA time zone with
// Intl, because the service worker's zone and the user's expectation must agree and
// tests must be able to pin a zone (Asia/Shanghai, America/New_York) without TZ env tricks.
import type { Reminder } from '../model';
import type { ReminderTexts } from './texts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * A due time in the past is scheduled this far ahead instead: alarms.create with a past
 * `when` is clamped by Chrome anyway (30 s for packed MV3), and a strictly future time keeps
 * the alarm port's contract simple. Missed reminders at start never wait for it: onStartup
 * notifies them directly.
 */
export const PAST_DUE_DELAY_MS = 1_000;

export function runtimeTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // hourCycle h23: some engines print midnight as "24" with hour12:false.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function zonedFields(at: number, timeZone: string): WallTime & { second: number } {
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatterFor(timeZone).formatToParts(at)) {
    if (p.type in out) out[p.type as keyof typeof out] = Number(p.value);
  }
  return out;
}

/** The wall-clock date and time at an instant in a time zone. */
export function zonedWallTime(at: number, timeZone: string): WallTime {
  const { second: _second, ...wall } = zonedFields(at, timeZone);
  return wall;
}

/** UTC offset (ms, east positive) of a time zone at an instant. */
function offsetAt(at: number, timeZone: string): number {
  const f = zonedFields(at, timeZone);
  const wallAsUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return wallAsUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in a time zone. Around DST changes: a time that
 * happens twice (autumn) resolves to the first; a time that does not exist (spring gap)
 * resolves to the same clock reading in the old offset, i.e. just after the jump
 * (02:30 → 03:30), like Temporal's "compatible" disambiguation.
 */
export function zonedTimeToEpoch(wall: WallTime, timeZone: string): number {
  const local = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // Real zones change offset at most once within two days, so these are the only candidates.
  const before = offsetAt(local - DAY, timeZone);
  const after = offsetAt(local + DAY, timeZone);
  const valid = [local - before, local - after].filter((t, i) => offsetAt(t, timeZone) === (i === 0 ? before : after));
  if (valid.length > 0) return Math.min(...valid);
  return local - before;
}

/** The calendar day after (or before, with delta -1) a wall date; plain calendar arithmetic. */
function addDays(wall: WallTime, delta: number): WallTime {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + delta));
  return { ...wall, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Midnight starting the day that contains `at`, and the next midnight, in a time zone. */
export function zonedDayBounds(at: number, timeZone: string = runtimeTimeZone()): { start: number; end: number } {
  const today = { ...zonedWallTime(at, timeZone), hour: 0, minute: 0 };
  return { start: zonedTimeToEpoch(today, timeZone), end: zonedTimeToEpoch(addDays(today, 1), timeZone) };
}

function parseHhmm(hhmm: string): { hour: number; minute: number } {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new Error(`digest time must be HH:MM, got "${hhmm}"`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** The digest time on the day `dayOffset` days from the day containing `now`. */
function digestOnDay(digestTime: string, now: number, dayOffset: number, timeZone: string): number {
  const today = zonedWallTime(now, timeZone);
  return zonedTimeToEpoch({ ...addDays(today, dayOffset), ...parseHhmm(digestTime) }, timeZone);
}

/** The next daily digest strictly after `now`. */
export function nextDigestAt(digestTime: string, now: number, timeZone: string = runtimeTimeZone()): number {
  for (let d = 0; d <= 2; d++) {
    const at = digestOnDay(digestTime, now, d, timeZone);
    if (at > now) return at;
  }
  // Unreachable for real zones (a day is never longer than 26 h); keep a sane answer anyway.
  return now + DAY;
}

/** The latest daily digest time at or before `now`: the one a digest is owed for. */
export function previousDigestAt(digestTime: string, now: number, timeZone: string = runtimeTimeZone()): number {
  for (let d = 0; d >= -2; d--) {
    const at = digestOnDay(digestTime, now, d, timeZone);
    if (at <= now) return at;
  }
  return now - DAY;
}

/**
 * When the single alarm should ring: the earliest of the pending times, never in the past
 * (a past time means "as soon as possible"). undefined when nothing is pending.
 */
export function nextAlarmAt(input: { nextReminderFireAt?: number; digestAt?: number; now: number }): number | undefined {
  const times = [input.nextReminderFireAt, input.digestAt].filter((t): t is number => t !== undefined);
  if (times.length === 0) return undefined;
  return Math.max(Math.min(...times), input.now + PAST_DUE_DELAY_MS);
}

/** Active and not yet notified for its current fireAt (a snooze or a new due time re-arms it). */
export function isPending(r: Reminder): boolean {
  return r.state !== 'done' && (r.notifiedAt === undefined || r.notifiedAt < r.fireAt);
}

/**
 * The reminders to notify now: pending and due. Because notifying sets notifiedAt ≥ fireAt,
 * each reminder fires once per due/snooze time, whether the alarm, the start-up pass, or
 * both see it, and including reminders that fell due while the browser was closed.
 */
export function dueToNotify(reminders: readonly Reminder[], now: number): Reminder[] {
  return reminders.filter((r) => isPending(r) && r.fireAt <= now).sort((a, b) => a.fireAt - b.fireAt);
}

export interface DigestEntry {
  name: string;
  code: string;
}

/** The digest notification's title and body; undefined when nothing is due (no empty digests). */
export function digestContent(
  items: { overdue: readonly DigestEntry[]; dueToday: readonly DigestEntry[] },
  texts: ReminderTexts,
  maxNames = 5,
): { title: string; message: string } | undefined {
  const total = items.overdue.length + items.dueToday.length;
  if (total === 0) return undefined;
  // Overdue first: they are the ones slipping.
  const named = [
    ...items.overdue.map((e) => texts.digestName(e.name || e.code, true)),
    ...items.dueToday.map((e) => texts.digestName(e.name || e.code, false)),
  ].slice(0, maxNames);
  return {
    title: texts.digestTitle({ dueToday: items.dueToday.length, overdue: items.overdue.length }),
    message: texts.digestMessage(named, total - named.length),
  };
}
