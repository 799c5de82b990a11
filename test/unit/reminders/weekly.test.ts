import { afterEach, describe, expect, it } from 'vitest';
import { isoWeekday, nextWeeklyAt, previousWeeklyAt } from '../../../lib/reminders/weekly';
import { createReminderController, LAST_WEEKLY_KEY, WEEKLY_NOTIFICATION_ID } from '../../../lib/reminders/controller';
import { LiaisonDb } from '../../../lib/db/db';
import { DEFAULT_SETTINGS } from '../../../lib/model';
import { REMINDER_TEXTS } from '../../../lib/reminders/texts';

const SH = 'Asia/Shanghai';
// 2026-11-23 is a Monday.
const sh = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h - 8, min);

describe('weekly schedule', () => {
  it.each([
    [sh(2026, 11, 23, 9, 0), 1],
    [sh(2026, 11, 22, 23, 59), 7],
    [sh(2026, 11, 29, 0, 1), 7],
    [sh(2026, 11, 30, 0, 1), 1],
  ])('weekday of %i is %i', (at, day) => {
    expect(isoWeekday(at, SH)).toBe(day);
  });

  it('finds the next and previous Monday 09:30 in Shanghai', () => {
    expect(nextWeeklyAt(1, '09:30', sh(2026, 11, 21, 12), SH)).toBe(sh(2026, 11, 23, 9, 30));
    expect(nextWeeklyAt(1, '09:30', sh(2026, 11, 23, 9, 30), SH)).toBe(sh(2026, 11, 30, 9, 30)); // strictly after
    expect(previousWeeklyAt(1, '09:30', sh(2026, 11, 23, 9, 29), SH)).toBe(sh(2026, 11, 16, 9, 30));
    expect(previousWeeklyAt(1, '09:30', sh(2026, 11, 23, 9, 30), SH)).toBe(sh(2026, 11, 23, 9, 30));
    expect(nextWeeklyAt(5, '18:00', sh(2026, 11, 23, 9), SH)).toBe(sh(2026, 11, 27, 18));
  });
});

describe('weekly report notification', () => {
  let db: LiaisonDb | undefined;
  afterEach(async () => {
    await db?.delete();
  });

  it('is sent once per week at the set time, and once at start when the time was missed', async () => {
    db = new LiaisonDb('t-' + crypto.randomUUID());
    let now = sh(2026, 11, 21, 12); // Saturday
    const shown: string[] = [];
    const alarms: number[] = [];
    let reports = 0;
    const c = createReminderController({
      db,
      alarms: { create: async (_n, at) => void alarms.push(at), clear: async () => undefined },
      notifications: { create: async (id) => void shown.push(id), clear: async () => undefined },
      chat: { open: async () => false },
      clock: { now: () => now },
      getSettings: async () => ({ ...DEFAULT_SETTINGS, digestEnabled: false }),
      texts: () => REMINDER_TEXTS.zh_CN,
      timeZone: SH,
      weeklyReport: async () => {
        reports++;
        return { title: '上周报表', message: '新增客户 3' };
      },
    });
    await c.onStartup(); // first run: a baseline, nothing owed
    expect(shown).toEqual([]);
    expect(typeof (await db.kv.get(LAST_WEEKLY_KEY))?.value).toBe('number');
    expect(alarms.at(-1)).toBe(sh(2026, 11, 23, 9, 30)); // the alarm aims at Monday 09:30

    now = sh(2026, 11, 23, 9, 30);
    await c.onAlarm('liaison.next');
    expect(shown).toEqual([WEEKLY_NOTIFICATION_ID]);
    await c.onAlarm('liaison.next'); // the same week: not again
    expect(shown).toEqual([WEEKLY_NOTIFICATION_ID]);

    now = sh(2026, 12, 2, 15); // the browser was closed over Monday 30th: sent once at start
    await c.onStartup();
    await c.onStartup();
    expect(shown).toEqual([WEEKLY_NOTIFICATION_ID, WEEKLY_NOTIFICATION_ID]);
    expect(reports).toBe(2);
  });
});
