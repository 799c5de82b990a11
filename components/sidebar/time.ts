// <input type="datetime-local"> speaks local wall-clock strings ("2026-11-21T09:00");
// the model speaks epoch ms. These convert in the user's time zone, as the input shows it.

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** undefined for an empty or malformed value. */
export function fromLocalInput(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const ms = new Date(y, mo - 1, d, h, mi).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** Quick picks for 下次跟进. */
export function inOneHour(now: number): number {
  return now + 60 * 60_000;
}

export function tomorrowNine(now: number): number {
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, 9, 0).getTime();
}

/** Three days on, at the same time of day (calendar days, so it survives DST changes). */
export function inThreeDays(now: number): number {
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 3, d.getHours(), d.getMinutes()).getTime();
}

/** Due within the rest of today (local), not yet overdue. */
export function isDueToday(ms: number, now: number): boolean {
  const end = new Date(now);
  end.setHours(23, 59, 59, 999);
  return ms >= now && ms <= end.getTime();
}
