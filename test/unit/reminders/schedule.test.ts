import { describe, expect, test } from 'vitest';
import type { Reminder } from '../../../lib/model';
import {
  PAST_DUE_DELAY_MS,
  digestContent,
  dueToNotify,
  nextAlarmAt,
  nextDigestAt,
  previousDigestAt,
  zonedDayBounds,
} from '../../../lib/reminders/schedule';
import { REMINDER_TEXTS } from '../../../lib/reminders/texts';
import { HOUR, MINUTE, sh } from './fakes';

const utc = (iso: string) => Date.parse(iso);

describe('nextDigestAt', () => {
  test.each([
    // [digestTime, now, zone, expected]
    ['09:00', sh('2026-11-21T08:59'), 'Asia/Shanghai', sh('2026-11-21T09:00')],
    ['09:00', sh('2026-11-21T09:00'), 'Asia/Shanghai', sh('2026-11-22T09:00')], // strictly after now
    ['09:00', sh('2026-11-21T09:01'), 'Asia/Shanghai', sh('2026-11-22T09:00')],
    ['00:00', sh('2026-11-21T23:59'), 'Asia/Shanghai', sh('2026-11-22T00:00')],
    ['23:59', sh('2026-12-31T23:59'), 'Asia/Shanghai', sh('2027-01-01T23:59')], // year rollover
    ['09:00', sh('2028-02-28T10:00'), 'Asia/Shanghai', sh('2028-02-29T09:00')], // leap day
    // New York springs forward on 2026-03-08: 09:00 EST on the 7th is 14:00Z, on the 8th 09:00 EDT is 13:00Z.
    ['09:00', utc('2026-03-07T15:00Z'), 'America/New_York', utc('2026-03-08T13:00Z')],
    ['09:00', utc('2026-03-06T15:00Z'), 'America/New_York', utc('2026-03-07T14:00Z')],
    // 02:30 does not exist on 2026-03-08 in New York: the digest rings just after the jump (03:30 EDT).
    ['02:30', utc('2026-03-07T15:00Z'), 'America/New_York', utc('2026-03-08T07:30Z')],
    // Falls back on 2026-11-01: 09:00 EST is 14:00Z.
    ['09:00', utc('2026-10-31T15:00Z'), 'America/New_York', utc('2026-11-01T14:00Z')],
    // 01:30 happens twice on 2026-11-01: the first (EDT, 05:30Z) counts, and only once that day.
    ['01:30', utc('2026-10-31T15:00Z'), 'America/New_York', utc('2026-11-01T05:30Z')],
    ['01:30', utc('2026-11-01T05:31Z'), 'America/New_York', utc('2026-11-02T06:30Z')],
    ['09:00', utc('2026-06-01T12:00Z'), 'UTC', utc('2026-06-02T09:00Z')],
  ])('%s after %s in %s', (time, now, zone, expected) => {
    expect(new Date(nextDigestAt(time, now, zone)).toISOString()).toBe(new Date(expected).toISOString());
  });

  test('rejects a malformed time', () => {
    expect(() => nextDigestAt('9:00', 0, 'UTC')).toThrow(/HH:MM/);
  });
});

describe('previousDigestAt', () => {
  test.each([
    ['09:00', sh('2026-11-21T09:00'), 'Asia/Shanghai', sh('2026-11-21T09:00')], // at or before now
    ['09:00', sh('2026-11-21T08:59'), 'Asia/Shanghai', sh('2026-11-20T09:00')],
    ['09:00', utc('2026-03-08T12:59Z'), 'America/New_York', utc('2026-03-07T14:00Z')],
    ['09:00', utc('2026-03-08T13:00Z'), 'America/New_York', utc('2026-03-08T13:00Z')],
  ])('%s at or before %s in %s', (time, now, zone, expected) => {
    expect(previousDigestAt(time, now, zone)).toBe(expected);
  });
});

describe('zonedDayBounds', () => {
  test('Shanghai day is midnight to midnight +08:00', () => {
    expect(zonedDayBounds(sh('2026-11-21T00:30'), 'Asia/Shanghai')).toEqual({ start: sh('2026-11-21T00:00'), end: sh('2026-11-22T00:00') });
  });
  test('the New York day of the spring change is 23 hours long', () => {
    const { start, end } = zonedDayBounds(utc('2026-03-08T12:00Z'), 'America/New_York');
    expect(start).toBe(utc('2026-03-08T05:00Z'));
    expect(end - start).toBe(23 * HOUR);
  });
});

describe('nextAlarmAt', () => {
  const now = 1_000_000_000;
  test.each<[string, { nextReminderFireAt?: number; digestAt?: number }, number | undefined]>([
    ['nothing pending', {}, undefined],
    ['only a reminder', { nextReminderFireAt: now + HOUR }, now + HOUR],
    ['only the digest', { digestAt: now + 2 * HOUR }, now + 2 * HOUR],
    ['reminder first', { nextReminderFireAt: now + HOUR, digestAt: now + 2 * HOUR }, now + HOUR],
    ['digest first', { nextReminderFireAt: now + 3 * HOUR, digestAt: now + 2 * HOUR }, now + 2 * HOUR],
    ['past reminder → soon, not in the past', { nextReminderFireAt: now - HOUR, digestAt: now + HOUR }, now + PAST_DUE_DELAY_MS],
    ['exactly now → soon', { nextReminderFireAt: now }, now + PAST_DUE_DELAY_MS],
  ])('%s', (_name, input, expected) => {
    expect(nextAlarmAt({ ...input, now })).toBe(expected);
  });
});

describe('dueToNotify', () => {
  const now = sh('2026-11-21T10:00');
  const r = (id: string, over: Partial<Reminder>): Reminder => ({ id, customerId: 'c' + id, dueAt: now - HOUR, fireAt: now - HOUR, state: 'due', ...over });

  test('picks active, due, not-yet-notified reminders, earliest first', () => {
    const list = [
      r('late', { fireAt: now - MINUTE }),
      r('future', { fireAt: now + MINUTE }),
      r('done', { state: 'done' }),
      r('notified', { notifiedAt: now - 30 * MINUTE }), // notified after its fireAt
      r('early', { fireAt: now - 2 * HOUR, dueAt: now - 2 * HOUR }),
      r('exact', { fireAt: now }),
      r('snoozeOver', { state: 'snoozed', fireAt: now - MINUTE, notifiedAt: now - HOUR - MINUTE }), // notified before the snooze ended
      r('snoozing', { state: 'snoozed', fireAt: now + 59 * MINUTE, notifiedAt: now - MINUTE }),
      r('missed', { dueAt: now - 3 * 24 * HOUR, fireAt: now - 3 * 24 * HOUR }), // due while the browser was closed
    ];
    expect(dueToNotify(list, now).map((x) => x.id)).toEqual(['missed', 'early', 'late', 'snoozeOver', 'exact']);
  });

  test('a notification at fireAt itself counts as notified', () => {
    expect(dueToNotify([r('a', { fireAt: now - MINUTE, notifiedAt: now - MINUTE })], now)).toEqual([]);
  });
});

describe('digestContent', () => {
  const e = (name: string) => ({ name, code: 'KH-' + name });
  test('zh_CN: counts and the first names, overdue first', () => {
    const content = digestContent({ overdue: [e('王五'), e('赵六')], dueToday: [e('张三'), e('李四'), e('钱七')] }, REMINDER_TEXTS.zh_CN, 4);
    expect(content).toEqual({ title: '今日待跟进 3 位，逾期 2 位', message: '王五（逾期）、赵六（逾期）、张三、李四 等 5 位' });
  });
  test('en, all names fit', () => {
    expect(digestContent({ overdue: [], dueToday: [e('Ann'), e('Bo')] }, REMINDER_TEXTS.en)).toEqual({
      title: 'Due today: 2, overdue: 0',
      message: 'Ann, Bo',
    });
  });
  test('a nameless customer shows its code', () => {
    expect(digestContent({ overdue: [{ name: '', code: 'KH2026-0009' }], dueToday: [] }, REMINDER_TEXTS.en)?.message).toBe('KH2026-0009 (overdue)');
  });
  test('nothing due → no digest', () => {
    expect(digestContent({ overdue: [], dueToday: [] }, REMINDER_TEXTS.zh_CN)).toBeUndefined();
  });
});

describe('texts', () => {
  test('snooze label follows the configured minutes', () => {
    expect(REMINDER_TEXTS.zh_CN.snoozeButton(60)).toBe('稍后1小时');
    expect(REMINDER_TEXTS.zh_CN.snoozeButton(30)).toBe('稍后30分钟');
    expect(REMINDER_TEXTS.en.snoozeButton(60)).toBe('Snooze 1 h');
    expect(REMINDER_TEXTS.en.snoozeButton(90)).toBe('Snooze 90 min');
  });
});
