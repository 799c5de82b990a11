// Dates and times in chat messages (明天下午3点, 下周一, 周五前, 月底, 3天后, tomorrow 3pm, next
// Monday, in 2 hours) → a suggested next follow-up time, resolved against `now` in an IANA
// time zone. Wall-clock arithmetic goes through Intl so tests can pin Asia/Shanghai or
// America/New_York without TZ tricks.
//
// Hand-written on purpose, small and table-tested. If it ever needs much more (lunar
// holidays, 下下周三晚上七点半之前 in every shape), chrono-node (zh + en parsers, MIT) is the
// well-kept library to swap in behind `findTime`, which is the only export callers use.
import { normalize } from './normalize';

export interface TimeMention {
  /** Epoch ms of the suggested follow-up. */
  at: number;
  /** The words it came from, normalized (明天下午3点). */
  text: string;
  /** "周五前", "by Friday": a deadline, so the suggestion is the day before. */
  deadline: boolean;
}

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** When only a day is known: mid-morning, when a salesperson would call. */
const DEFAULT_HOUR = 10;
type Pod = 'dawn' | 'morning' | 'noon' | 'afternoon' | 'evening';
const POD_HOUR: Record<Pod, number> = { dawn: 6, morning: 10, noon: 12, afternoon: 15, evening: 19 };

// ---- wall-clock arithmetic -------------------------------------------------------------

interface Ymd {
  y: number;
  m: number;
  d: number;
}
interface Wall extends Ymd {
  h: number;
  mi: number;
  /** 1 = Monday … 7 = Sunday */
  dow: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/**
 * formatToParts is the slow part (a few µs); a conversation asks about the same instants and
 * the same hours over and over, so remember the last answers.
 */
const wallCache = new Map<string, Wall>();
function wall(epoch: number, timeZone: string): Wall {
  const key = `${timeZone}|${epoch}`;
  const hit = wallCache.get(key);
  if (hit) return hit;
  const w = computeWall(epoch, timeZone);
  if (wallCache.size > 500) wallCache.clear();
  wallCache.set(key, w);
  return w;
}

function computeWall(epoch: number, timeZone: string): Wall {
  const p: Record<string, number> = {};
  for (const part of format(timeZone).formatToParts(epoch)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const y = p.year ?? 1970;
  const m = p.month ?? 1;
  const d = p.day ?? 1;
  const js = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return { y, m, d, h: (p.hour ?? 0) % 24, mi: p.minute ?? 0, dow: js === 0 ? 7 : js };
}

/** The epoch of a wall-clock time in a zone (two passes settle DST edges). */
function toEpoch(day: Ymd, h: number, mi: number, timeZone: string): number {
  const guess = Date.UTC(day.y, day.m - 1, day.d, h, mi);
  const offset = (t: number): number => {
    const w = wall(t, timeZone);
    return Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi) - Math.floor(t / 60_000) * 60_000;
  };
  let t = guess - offset(guess);
  const second = offset(t);
  if (guess - second !== t) t = guess - second;
  return t;
}

function addDays(day: Ymd, n: number): Ymd {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}
/** The last day of month m (1-based; 13 is next January): day 0 of the month after. */
function fixYear(y: number, m: number): Ymd {
  const t = new Date(Date.UTC(y, m, 0)); // day 0 of the next month = last day of m
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}
const cmp = (a: Ymd, b: Ymd): number => (a.y - b.y) * 10000 + (a.m - b.m) * 100 + (a.d - b.d);

// ---- numbers -----------------------------------------------------------------------------

const CN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const EN_NUM: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, 'a couple of': 2, 'a few': 3, couple: 2, few: 3 };

/** 3, 十二, 二十五, 两 → number (up to 99 is all dates and times need). */
export function smallNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  if (s in EN_NUM) return EN_NUM[s];
  if (s === '半') return 0.5;
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || !s) return undefined;
  if (!m[2]) return m[1] ? CN_DIGIT[m[1]] : undefined;
  return (m[1] ? (CN_DIGIT[m[1]] ?? 0) : 1) * 10 + (m[3] ? (CN_DIGIT[m[3]] ?? 0) : 0);
}

// ---- patterns (on normalized text) ------------------------------------------------------

const NUM = '(\\d{1,2}|[一二两三四五六七八九十]{1,3})';
const WEEKDAY_ZH: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7 };
const WEEKDAY_EN: Record<string, number> = { monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7 };
const MONTH_EN: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };


// Compiled once; every use resets lastIndex through a fresh exec loop.
const MD = new RegExp(`${NUM}月${NUM}[日号]`, 'gu');
const D_ONLY = new RegExp(`(?<![月\\d一二三四五六七八九十])${NUM}号(?![楼线门店位机码院床])`, 'gu');
const IN_DAYS = new RegExp(`(?:过|再过)?${NUM.replace('{1,2}', '{1,3}')}个?(天|日|周|星期|礼拜)(?:后|以后|之后)|过${NUM}天|\\bin (\\d+|an?|one|two|three|four|five|six|seven|a couple of|a few|couple|few) (days?|weeks?)\\b`, 'gu');
const CLOCK_ZH = new RegExp(`(凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|早)?\\s*${NUM}\\s*[点:]\\s*(半|一刻|三刻|${NUM}分?|钟|整)?`, 'gu');

interface Span {
  start: number;
  end: number;
}
interface DateComp extends Span {
  day: Ymd;
  pod?: Pod;
  deadline: boolean;
  /** A weekday without 下/this that may already have passed this week: roll to next week. */
  rollWeekday?: number;
}
interface ClockComp extends Span {
  h: number;
  mi: number;
  /** am/pm or a part of day was said, so no business-hours guess. */
  pod?: Pod | 'am' | 'pm';
}

const DEADLINE_AFTER = /^\s*(之前|以前|前|before)/u;
const DEADLINE_BEFORE = /(by|before|until|no later than)\s+$/u;

function dates(t: string, today: Wall): DateComp[] {
  const out: DateComp[] = [];
  const push = (m: RegExpExecArray, day: Ymd, extra: Partial<DateComp> = {}): void => {
    const start = m.index;
    let end = m.index + m[0].length;
    let deadline = false;
    const after = DEADLINE_AFTER.exec(t.slice(end));
    if (after) {
      deadline = true;
      end += after[0].length;
    }
    if (DEADLINE_BEFORE.test(t.slice(Math.max(0, start - 20), start))) deadline = true;
    out.push({ start, end, day, deadline, ...extra });
  };
  const base: Ymd = { y: today.y, m: today.m, d: today.d };
  let m: RegExpExecArray | null;

  const rel = /大后天|后天|明天|明日|明儿|今天|今日|今儿|今晚|明晚|明早|今早|今夜|the day after tomorrow|day after tomorrow|tomorrow|tmrw|tmr|today|tonight/gu;
  while ((m = rel.exec(t))) {
    const w = m[0];
    const n = /大后天/.test(w) ? 3 : /后天|day after/.test(w) ? 2 : /明|tomorrow|tmr/.test(w) ? 1 : 0;
    const pod: Pod | undefined = /晚|夜|tonight/.test(w) ? 'evening' : /早/.test(w) ? 'morning' : undefined;
    push(m, addDays(base, n), pod ? { pod } : {});
  }

  const week = /(下下个?|下个?|这个?|本)?(?:周|星期|礼拜)([一二三四五六日天1-7])/gu;
  while ((m = week.exec(t))) {
    const dow = WEEKDAY_ZH[m[2]!]!;
    const which = m[1] ?? '';
    if (which.startsWith('下下')) push(m, addDays(base, 14 - today.dow + dow));
    else if (which.startsWith('下')) push(m, addDays(base, 7 - today.dow + dow));
    else if (which) push(m, addDays(base, dow - today.dow));
    else push(m, addDays(base, dow - today.dow), { rollWeekday: dow });
  }
  const weekEn = /(?:(next|this|coming|on|by|before)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/gu;
  while ((m = weekEn.exec(t))) {
    const dow = WEEKDAY_EN[m[2]!]!;
    if (m[1] === 'next') push(m, addDays(base, 7 - today.dow + dow));
    else if (m[1] === 'this') push(m, addDays(base, dow - today.dow));
    else push(m, addDays(base, dow - today.dow), { rollWeekday: dow, deadline: m[1] === 'by' || m[1] === 'before' });
  }
  const weekend = /(这个?|本|下个?)?周末|(next |this )?weekend/gu;
  while ((m = weekend.exec(t))) {
    const next = (m[1] ?? m[2] ?? '').startsWith('下') || (m[2] ?? '').startsWith('next');
    push(m, addDays(base, (next ? 7 : 0) + 6 - today.dow), next ? {} : { rollWeekday: 6 });
  }
  const nextWeek = /(下个?(?:周|星期|礼拜)(?![一二三四五六日天1-7末])|next week)/gu;
  while ((m = nextWeek.exec(t))) push(m, addDays(base, 8 - today.dow));

  const month = /(下个?月|这个?月|本月)?(月底|月末|底|初|月初)|下个?月(?![底末初\d一二三四五六七八九十])|end of (?:the |this )?month|next month|eom/gu;
  while ((m = month.exec(t))) {
    const w = m[0];
    if (/^底|^初/.test(w) && !m[1]) continue; // a bare 底/初 is not a date
    const next = /下|next/.test(w);
    const mm = today.m + (next ? 1 : 0);
    if (/底|末|end|eom/.test(w)) push(m, fixYear(today.y, mm));
    else {
      // 月初 this month once past the first days means next month's start.
      const start = fixYear(today.y, mm - 1);
      const first = addDays(start, 1);
      push(m, !next && today.d > 5 ? addDays(fixYear(today.y, mm), 1) : first);
    }
  }
  const endWeek = /end of (?:the |this )?week|eow|这周内|本周内/gu;
  while ((m = endWeek.exec(t))) push(m, addDays(base, 5 - today.dow), { rollWeekday: 5 });

  const md = MD;
  while ((m = md.exec(t))) {
    const mo = smallNumber(m[1]!);
    const d = smallNumber(m[2]!);
    if (!mo || !d || mo > 12 || d > 31) continue;
    let day: Ymd = { y: today.y, m: mo, d };
    if (cmp(day, base) < 0) day = { y: today.y + 1, m: mo, d };
    push(m, day);
  }
  const dOnly = D_ONLY;
  while ((m = dOnly.exec(t))) {
    const d = smallNumber(m[1]!);
    if (!d || d > 31) continue;
    let day: Ymd = { y: today.y, m: today.m, d };
    // 5号 said on the 20th is next month's 5th.
    if (cmp(day, base) < 0) day = { ...addDays(fixYear(today.y, today.m), 1), d };
    push(m, day);
  }
  // 下个月5号 (issue 18: D_ONLY skips a day right after 月, so next month's day was lost).
  const nextMonthDay = new RegExp(`下个?月${NUM}[日号]`, 'gu');
  while ((m = nextMonthDay.exec(t))) {
    const d = smallNumber(m[1]!);
    if (!d || d > 31) continue;
    push(m, { ...addDays(fixYear(today.y, today.m), 1), d });
  }
  // on the 20th / by the 15th: this month's, or next month's once past.
  const theNth = /\b(?:(on|by|before)\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/gu;
  while ((m = theNth.exec(t))) {
    const d = Number(m[2]);
    if (d < 1 || d > 31) continue;
    let day: Ymd = { y: today.y, m: today.m, d };
    if (cmp(day, base) < 0) day = { ...addDays(fixYear(today.y, today.m), 1), d };
    push(m, day, m[1] === 'by' || m[1] === 'before' ? { deadline: true } : {});
  }
  const mdEn = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b|\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/gu;
  while ((m = mdEn.exec(t))) {
    const mo = MONTH_EN[(m[1] ?? m[4])!]!;
    const d = Number(m[2] ?? m[3]);
    if (m[1] === 'may' && !/^may\s+\d/.test(m[0])) continue;
    if (d < 1 || d > 31) continue;
    let day: Ymd = { y: today.y, m: mo, d };
    if (cmp(day, base) < 0) day = { y: today.y + 1, m: mo, d };
    push(m, day);
  }

  const inDays = IN_DAYS;
  while ((m = inDays.exec(t))) {
    const n = smallNumber((m[1] ?? m[3] ?? m[4])!);
    if (n === undefined) continue;
    const perWeek = /周|星期|礼拜|week/.test(m[2] ?? m[5] ?? '');
    push(m, addDays(base, Math.round(n * (perWeek ? 7 : 1))));
  }
  return out;
}

function clocks(t: string): ClockComp[] {
  const out: ClockComp[] = [];
  let m: RegExpExecArray | null;
  // 下午3点, 3点半, 十点一刻, 晚上八点: Chinese numerals need a part of day or 半/分/钟 after
  // them, because 便宜一点 / 快一点 are not one o'clock.
  const zh = CLOCK_ZH;
  while ((m = zh.exec(t))) {
    const podWord = m[1];
    const hourText = m[2]!;
    const tail = m[3];
    const sep = m[0].includes(':');
    if (sep && !(tail && /^\d{2}$/.test(tail))) continue; // "3:" alone is no time
    const afterDate = /[天日号一二三四五六末晚早]\s*$/u.test(t.slice(Math.max(0, m.index - 2), m.index));
    if (!/^\d+$/.test(hourText) && !podWord && !tail && !afterDate) continue;
    if (/^\d+$/.test(hourText) && !podWord && !tail && !sep && /[%.\d]/.test(t[m.index + m[0].length] ?? '')) continue;
    const h = smallNumber(hourText);
    if (h === undefined || h > 24) continue;
    let mi = 0;
    if (tail === '半') mi = 30;
    else if (tail === '一刻') mi = 15;
    else if (tail === '三刻') mi = 45;
    else if (tail && tail !== '钟' && tail !== '整') mi = smallNumber(tail.replace('分', '')) ?? 0;
    if (mi > 59) continue;
    const pod: Pod | undefined = podWord ? podOf(podWord) : undefined;
    out.push({ start: m.index, end: m.index + m[0].length, h, mi, ...(pod ? { pod } : {}) });
  }
  const en = /\b(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)|\bat (\d{1,2})(?::(\d{2}))?\b(?!\s*(?:%|percent|units?|pcs|pieces|\.\d))|\b(noon|midday|midnight)\b/gu;
  while ((m = en.exec(t))) {
    if (m[6]) {
      // noon/midday/midnight is group 6 (it read m[7], so "noon tomorrow" threw on NaN).
      out.push({ start: m.index, end: m.index + m[0].length, h: m[6] === 'midnight' ? 0 : 12, mi: 0, ...(m[6] === 'midnight' ? {} : { pod: 'pm' as const }) });
      continue;
    }
    const h = Number(m[1] ?? m[4]);
    const mi = Number(m[2] ?? m[5] ?? 0);
    if (h > 23 || mi > 59) continue;
    const ap = m[3] ? (m[3].startsWith('a') ? 'am' : 'pm') : undefined;
    out.push({ start: m.index, end: m.index + m[0].length, h, mi, ...(ap ? { pod: ap } : {}) });
  }
  return out.sort((a, b) => a.start - b.start);
}

function podOf(w: string): Pod | undefined {
  if (/凌晨|dawn/.test(w)) return 'dawn';
  if (/早|上午|morning/.test(w)) return 'morning';
  if (/中午|noon|lunch/.test(w)) return 'noon';
  if (/下午|afternoon/.test(w)) return 'afternoon';
  if (/晚|夜|evening|tonight|night/.test(w)) return 'evening';
  return undefined;
}

function pods(t: string): Array<Span & { pod: Pod }> {
  const out: Array<Span & { pod: Pod }> = [];
  const re = /凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|\b(?:in the )?(?:morning|afternoon|evening|tonight|lunchtime)\b/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t))) {
    const pod = podOf(m[0]);
    if (pod) out.push({ start: m.index, end: m.index + m[0].length, pod });
  }
  return out;
}

function hour24(c: ClockComp, pod: Pod | undefined): number {
  const p = c.pod ?? pod;
  if (p === 'pm' || p === 'afternoon' || p === 'evening') return c.h < 12 ? c.h + 12 : c.h;
  if (p === 'am') return c.h === 12 ? 0 : c.h;
  if (p === 'noon') return c.h <= 3 ? c.h + 12 : c.h;
  if (p === 'morning' || p === 'dawn') return c.h;
  // No part of day: 3点 in a sales chat is 15:00, not 03:00.
  return c.h >= 1 && c.h <= 7 ? c.h + 12 : c.h;
}

const offsetRe = new RegExp(
  `${NUM.replace('{1,2}', '{1,3}')}个?(?:半)?(?:小时|钟头)(?:后|以后|之后)|半个?(?:小时|钟头)(?:后|以后|之后)|${NUM.replace('{1,2}', '{1,3}')}分钟(?:后|以后|之后)|\\bin (\\d+|an?|one|two|three|a couple of|a few|half an?) (minutes?|mins?|hours?|hrs?)\\b`,
  'gu',
);

function offsets(t: string): Array<Span & { ms: number }> {
  const out: Array<Span & { ms: number }> = [];
  let m: RegExpExecArray | null;
  offsetRe.lastIndex = 0;
  while ((m = offsetRe.exec(t))) {
    const w = m[0];
    let n: number | undefined;
    let unit = 60 * 60_000;
    if (m[3]) {
      n = m[3].startsWith('half') ? 0.5 : smallNumber(m[3]);
      if (/^min/.test(m[4] ?? '')) unit = 60_000;
    } else if (w.startsWith('半')) n = 0.5;
    else {
      n = smallNumber((m[1] ?? m[2])!);
      if (/分钟/.test(w)) unit = 60_000;
      else if (n !== undefined && /个?半(小时|钟头)/.test(w)) n += 0.5;
    }
    if (n === undefined) continue;
    out.push({ start: m.index, end: m.index + w.length, ms: Math.round(n * unit) });
  }
  return out;
}

/**
 * The first future time mentioned in a message, or null. `text` may be raw; it is normalized
 * here. Past times (今天上午10点 said at 4 pm, 昨天) give null: they are not a next follow-up.
 */
export function findTime(text: string, now: number, timeZone: string = DEFAULT_TIME_ZONE): TimeMention | null {
  return findTimeNormalized(normalize(text), now, timeZone);
}

/** findTime on text already normalize()d (understand() normalizes each message once). */
export function findTimeNormalized(t: string, now: number, timeZone: string = DEFAULT_TIME_ZONE): TimeMention | null {
  // Cheap bail-out: no digit, no time word → no time (most chat lines).
  if (!/[\d一二两三四五六七八九十天号周期拜底初末晚早午点时]|day|week|month|morning|noon|night|am|pm|at |in /u.test(t)) return null;
  const today = wall(now, timeZone);

  const off = offsets(t)[0];
  const ds = dates(t, today).sort((a, b) => a.start - b.start);
  const date = ds[0];
  if (off && (!date || off.start < date.start)) {
    return { at: now + off.ms, text: t.slice(off.start, off.end), deadline: false };
  }
  const cs = clocks(t);
  const ps = pods(t);
  if (!date && !cs.length) {
    // 下午再聊 / this afternoon: today at that part of day, if still ahead.
    const p = ps[0];
    if (!p) return null;
    const at = toEpoch(today, POD_HOUR[p.pod], 0, timeZone);
    return at > now ? { at, text: t.slice(p.start, p.end), deadline: false } : null;
  }

  // The clock and part of day nearest to the date (明天下午3点, 3pm tomorrow).
  const near = <S extends Span>(list: S[]): S | undefined => {
    if (!date) return list[0];
    let best: S | undefined;
    let dist = Infinity;
    for (const s of list) {
      const d = s.start >= date.end ? s.start - date.end : s.end <= date.start ? date.start - s.end : 0;
      if (d >= 0 && d < dist && d <= 12) {
        best = s;
        dist = d;
      }
    }
    return best;
  };
  const clock = near(cs);
  const podSpan = near(ps);
  const pod = date?.pod ?? podSpan?.pod;

  let day: Ymd = date ? date.day : today;
  let h = clock ? hour24(clock, pod) : pod ? POD_HOUR[pod] : DEFAULT_HOUR;
  let mi = clock ? clock.mi : 0;
  if (h === 24) h = 23, (mi = 59);
  let deadline = date?.deadline ?? false;

  if (date && deadline && !clock) {
    // 周五前给我报价: follow up the day before the deadline, in the morning.
    const before = addDays(date.day, -1);
    if (toEpoch(before, DEFAULT_HOUR, 0, timeZone) > now) day = before;
    h = DEFAULT_HOUR;
  }
  let at = toEpoch(day, h, mi, timeZone);
  if (date?.rollWeekday !== undefined && at <= now) {
    // 周一 said on a Wednesday is next Monday.
    day = addDays(day, 7);
    at = toEpoch(day, h, mi, timeZone);
  } else if (!date && at <= now) {
    // A bare 3点 already past today is tomorrow's.
    day = addDays(day, 1);
    at = toEpoch(day, h, mi, timeZone);
  }
  if (at <= now) return null;

  const spans: Span[] = [date, clock, podSpan].filter((s): s is NonNullable<typeof s> => !!s);
  const start = Math.min(...spans.map((s) => s.start));
  const end = Math.max(...spans.map((s) => s.end));
  deadline = deadline && !clock;
  return { at, text: t.slice(start, end).trim(), deadline };
}

/** Exposed for tests and callers that format suggestions: wall-clock parts in a zone. */
export function wallClock(epoch: number, timeZone: string = DEFAULT_TIME_ZONE): { y: number; m: number; d: number; h: number; mi: number; dow: number } {
  return wall(epoch, timeZone);
}

