import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { LiaisonDb } from '../../../lib/db/db';
import type { Settings } from '../../../lib/model';
import {
  LAST_DIGEST_KEY,
  REMINDER_ALARM,
  createReminderController,
  type ReminderController,
} from '../../../lib/reminders/controller';
import { activeReminder, setNextFollowUp } from '../../../lib/reminders/store';
import { REMINDER_TEXTS, type ReminderTexts } from '../../../lib/reminders/texts';
import { DAY, FakeAlarms, FakeChat, FakeClock, FakeNotifications, HOUR, MINUTE, customer, openTestDb, settings, sh } from './fakes';

let db: LiaisonDb;
let clock: FakeClock;
let alarms: FakeAlarms;
let notifications: FakeNotifications;
let chat: FakeChat;
let currentSettings: Settings;
let changed: number;
let popups: number;
let errors: unknown[];
let texts: ReminderTexts;

function controller(overrides: { chat?: FakeChat } = {}): ReminderController {
  return createReminderController({
    db,
    alarms,
    notifications,
    chat: overrides.chat ?? chat,
    clock,
    getSettings: async () => currentSettings,
    texts: () => texts,
    onChanged: () => void changed++,
    openPopup: async () => void popups++,
    timeZone: 'Asia/Shanghai',
    onError: (e) => void errors.push(e),
  });
}

beforeEach(async () => {
  db = openTestDb();
  clock = new FakeClock(sh('2026-11-21T10:00'));
  alarms = new FakeAlarms();
  notifications = new FakeNotifications();
  chat = new FakeChat();
  currentSettings = settings({ digestEnabled: false });
  changed = 0;
  popups = 0;
  errors = [];
  texts = REMINDER_TEXTS.zh_CN;
  await db.customers.bulkPut([customer('1', { name: '张三', code: 'KH2026-0001' }), customer('2'), customer('3')]);
});
afterEach(async () => {
  await db.delete();
});

const alarmAt = () => alarms.live.get(REMINDER_ALARM);
const reminderIds = () => notifications.ids().filter((id) => id.startsWith('reminder:'));
const digests = () => notifications.created.filter((c) => c.id === 'digest');

describe('the single alarm', () => {
  test('targets the earliest pending reminder, then the next one, then clears', async () => {
    const c = controller();
    await c.reschedule();
    expect(alarms.live.size).toBe(0); // nothing pending, digest off
    await setNextFollowUp(db, '1', sh('2026-11-21T15:00'), clock.now());
    await setNextFollowUp(db, '2', sh('2026-11-21T14:00'), clock.now());
    await c.reschedule();
    expect(alarmAt()).toBe(sh('2026-11-21T14:00'));

    clock.set(sh('2026-11-21T14:00'));
    await c.onAlarm(REMINDER_ALARM);
    expect(alarmAt()).toBe(sh('2026-11-21T15:00'));
    clock.set(sh('2026-11-21T15:00'));
    await c.onAlarm(REMINDER_ALARM);
    expect(alarms.live.size).toBe(0);
    expect(alarms.calls.at(-1)).toEqual({ op: 'clear', name: REMINDER_ALARM });
    expect(reminderIds()).toEqual(['reminder:2', 'reminder:1']);
  });

  test('the digest wins when it comes first, and a reminder when it does', async () => {
    currentSettings = settings({ digestEnabled: true, digestTime: '09:00' });
    const c = controller();
    await setNextFollowUp(db, '1', sh('2026-11-22T10:00'), clock.now());
    await c.reschedule();
    expect(alarmAt()).toBe(sh('2026-11-22T09:00'));
    await setNextFollowUp(db, '1', sh('2026-11-22T08:30'), clock.now());
    await c.reschedule();
    expect(alarmAt()).toBe(sh('2026-11-22T08:30'));
    currentSettings = settings({ digestEnabled: false });
    await setNextFollowUp(db, '1', null, clock.now());
    await c.reschedule();
    expect(alarms.live.size).toBe(0);
  });

  test('a reminder set in the past rings soon, never in the past', async () => {
    const c = controller();
    await setNextFollowUp(db, '1', clock.now() - HOUR, clock.now());
    await c.reschedule();
    expect(alarmAt()).toBeGreaterThan(clock.now());
    expect(alarmAt()).toBeLessThanOrEqual(clock.now() + 30_000);
  });

  test('600 reminders still make one alarm, at the earliest fireAt', async () => {
    const now = clock.now();
    const ids = Array.from({ length: 600 }, (_, i) => `c${i}`);
    await db.customers.bulkPut(ids.map((id) => customer(id)));
    // Shuffled due times so the earliest is not simply the first row written.
    await db.reminders.bulkAdd(
      ids.map((id, i) => {
        const dueAt = now + HOUR + ((i * 7919) % 600) * MINUTE;
        return { id: 'r' + id, customerId: id, dueAt, fireAt: dueAt, state: 'due' as const };
      }),
    );
    const c = controller();
    await c.reschedule();
    await c.onStartup();
    expect(new Set(alarms.calls.map((x) => x.name))).toEqual(new Set([REMINDER_ALARM]));
    expect(alarms.live.size).toBe(1);
    expect(alarmAt()).toBe(now + HOUR);
  });

  test('a pass in flight never leaves a stale alarm behind a later change', async () => {
    await setNextFollowUp(db, '1', sh('2026-11-21T14:00'), clock.now());
    // Hold the first alarm write until the user has pressed "done" in the meantime.
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    const create = alarms.create.bind(alarms);
    let first = true;
    alarms.create = async (name, when) => {
      if (first) {
        first = false;
        reached();
        await gate;
      }
      await create(name, when);
    };
    const c = controller();
    const pass = c.reschedule();
    await atGate; // the pass has read "14:00 pending" and is about to write the alarm
    const done = c.onButton('reminder:1', 0);
    await new Promise((r) => setTimeout(r, 20));
    release();
    await Promise.all([pass, done]);
    expect(await activeReminder(db, '1')).toBeUndefined();
    expect(alarms.live.size).toBe(0);
  });

  test('ignores alarms that are not ours', async () => {
    await setNextFollowUp(db, '1', clock.now() - HOUR, clock.now());
    const c = controller();
    await c.onAlarm('outbox.worker');
    expect(notifications.created).toEqual([]);
    expect(alarms.calls).toEqual([]);
  });
});

describe('firing', () => {
  test('a reminder due while the browser was closed fires at start, once, with its details', async () => {
    await setNextFollowUp(db, '1', sh('2026-11-20T15:00'), sh('2026-11-19T12:00'));
    await db.followUps.add({ id: 'f1', customerId: '1', method: '微信', content: '长内容', summary: '客户说下周看方案', at: sh('2026-11-19T12:00'), origin: 'manual', messageIds: [] });
    await db.followUps.add({ id: 'f0', customerId: '1', method: '电话', content: '更早的跟进', at: sh('2026-11-18T12:00'), origin: 'manual', messageIds: [] });
    clock.set(sh('2026-11-21T08:00')); // browser opened the next morning

    const c = controller();
    await c.onStartup();
    expect(notifications.created).toHaveLength(1);
    const n = notifications.created[0]!;
    expect(n.id).toBe('reminder:1');
    expect(n.options.title).toContain('张三');
    expect(n.options.title).toContain('KH2026-0001');
    expect(n.options.message).toContain('已逾期');
    expect(n.options.message).toContain('客户说下周看方案');
    expect(n.options.message).toContain('11月20日');
    expect(n.options.buttons).toEqual(['完成', '稍后1小时']);
    expect(n.options.requireInteraction).toBe(true);

    // The re-created alarm (or another worker start) must not fire it again.
    clock.advance(MINUTE);
    await c.onAlarm(REMINDER_ALARM);
    await controller().onStartup();
    expect(notifications.created).toHaveLength(1);
    expect((await activeReminder(db, '1'))?.state).toBe('due'); // still due until done
  });

  test('start-up pass and alarm arriving together notify once', async () => {
    for (const id of ['1', '2', '3']) await setNextFollowUp(db, id, clock.now() - HOUR, clock.now() - DAY);
    const c = controller();
    await Promise.all([c.onStartup(), c.onAlarm(REMINDER_ALARM), controller().onStartup()]);
    expect(reminderIds().sort()).toEqual(['reminder:1', 'reminder:2', 'reminder:3']);
  });

  test('the note is shown when there is no follow-up yet', async () => {
    await setNextFollowUp(db, '2', clock.now(), clock.now());
    const r = await activeReminder(db, '2');
    await db.reminders.update(r!.id, { note: '带合同' });
    texts = REMINDER_TEXTS.en;
    await controller().onStartup();
    expect(notifications.created[0]?.options.message).toMatch(/Note: 带合同/);
    expect(notifications.created[0]?.options.message).not.toMatch(/Overdue/);
    expect(notifications.created[0]?.options.buttons).toEqual(['Done', 'Snooze 1 h']);
  });

  test('one failing notification does not stop the others and is reported', async () => {
    for (const id of ['1', '2']) await setNextFollowUp(db, id, clock.now() - HOUR, clock.now());
    const create = notifications.create.bind(notifications);
    notifications.create = vi.fn(async (id, options) => {
      if (id === 'reminder:1') throw new Error('quota');
      await create(id, options);
    });
    await controller().onStartup();
    expect(reminderIds()).toEqual(['reminder:2']);
    expect(errors).toHaveLength(1);
  });
});

describe('notification buttons and clicks', () => {
  beforeEach(async () => {
    await setNextFollowUp(db, '1', sh('2026-11-21T14:00'), clock.now());
  });

  test('snooze (button 1) → fires again at the snooze end, once', async () => {
    currentSettings = settings({ digestEnabled: false, snoozeMinutes: 60 });
    const c = controller();
    clock.set(sh('2026-11-21T14:00'));
    await c.onAlarm(REMINDER_ALARM);
    expect(reminderIds()).toEqual(['reminder:1']);

    clock.set(sh('2026-11-21T14:05'));
    await c.onButton('reminder:1', 1);
    expect(notifications.cleared).toEqual(['reminder:1']);
    expect(changed).toBe(1);
    expect(await activeReminder(db, '1')).toMatchObject({ state: 'snoozed', dueAt: sh('2026-11-21T14:00'), fireAt: sh('2026-11-21T15:05') });
    expect(alarmAt()).toBe(sh('2026-11-21T15:05'));

    clock.set(sh('2026-11-21T14:30')); // an early or stray ring notifies nothing
    await c.onAlarm(REMINDER_ALARM);
    expect(reminderIds()).toHaveLength(1);

    clock.set(sh('2026-11-21T15:05'));
    await c.onAlarm(REMINDER_ALARM);
    await c.onStartup();
    clock.set(sh('2026-11-21T16:00'));
    await c.onAlarm(REMINDER_ALARM);
    expect(reminderIds()).toEqual(['reminder:1', 'reminder:1']);
    expect(alarms.live.size).toBe(0);
  });

  test('done (button 0) → never fires again', async () => {
    const c = controller();
    clock.set(sh('2026-11-21T14:00'));
    await c.onAlarm(REMINDER_ALARM);
    await c.onButton('reminder:1', 0);
    expect(notifications.cleared).toEqual(['reminder:1']);
    expect(changed).toBe(1);
    expect(await activeReminder(db, '1')).toBeUndefined();
    expect(await db.customers.get('1')).not.toHaveProperty('nextFollowUpAt');
    expect(alarms.live.size).toBe(0);
    for (const t of [HOUR, DAY, 7 * DAY]) {
      clock.set(sh('2026-11-21T14:00') + t);
      await c.onAlarm(REMINDER_ALARM);
      await c.onStartup();
    }
    expect(reminderIds()).toHaveLength(1);
  });

  test('done before the due time → it never fires', async () => {
    const c = controller();
    await c.onButton('reminder:1', 0);
    clock.set(sh('2026-11-21T14:00'));
    await c.onAlarm(REMINDER_ALARM);
    expect(notifications.created).toEqual([]);
  });

  test('unknown button or foreign notification changes nothing', async () => {
    const c = controller();
    await c.onButton('reminder:1', 2);
    await c.onButton('other-extension-thing', 0);
    await c.onButton('digest', 0);
    expect(await activeReminder(db, '1')).toMatchObject({ state: 'due' });
    expect(changed).toBe(0);
    expect(notifications.cleared).toEqual([]);
  });

  test('click opens the chat and clears the notification', async () => {
    const c = controller();
    await c.onClick('reminder:1');
    expect(chat.opened).toEqual(['1']);
    expect(notifications.cleared).toEqual(['reminder:1']);
    expect(popups).toBe(0);
  });

  test('click with no known chat opens the popup instead', async () => {
    const c = controller({ chat: new FakeChat(false) });
    await c.onClick('reminder:1');
    expect(popups).toBe(1);
  });

  test('digest click opens the popup; foreign ids are ignored', async () => {
    const c = controller();
    await c.onClick('digest');
    await c.onClick('someone-else');
    expect(popups).toBe(1);
    expect(notifications.cleared).toEqual(['digest']);
    expect(chat.opened).toEqual([]);
  });
});

describe('morning digest', () => {
  beforeEach(() => {
    currentSettings = settings({ digestEnabled: true, digestTime: '09:00' });
  });

  test('once per day at the configured time', async () => {
    clock.set(sh('2026-11-21T08:00'));
    await setNextFollowUp(db, '1', sh('2026-11-20T10:00'), clock.now()); // overdue
    await setNextFollowUp(db, '2', sh('2026-11-21T11:00'), clock.now()); // today
    await setNextFollowUp(db, '3', sh('2026-11-21T16:00'), clock.now()); // today
    const c = controller();
    await c.onStartup(); // first run: baseline only, plus the overdue reminder for 张三
    expect(digests()).toHaveLength(0);
    expect(alarmAt()).toBe(sh('2026-11-21T09:00'));

    clock.set(sh('2026-11-21T09:00'));
    await c.onAlarm(REMINDER_ALARM);
    expect(digests()).toHaveLength(1);
    expect(digests()[0]?.options).toMatchObject({ title: '今日待跟进 2 位，逾期 1 位', message: '张三（逾期）、客户2、客户3' });
    expect((await db.kv.get(LAST_DIGEST_KEY))?.value).toBe(sh('2026-11-21T09:00'));
    expect(alarmAt()).toBe(sh('2026-11-21T11:00')); // customer 2's reminder is next

    clock.set(sh('2026-11-21T09:01'));
    await c.onAlarm(REMINDER_ALARM);
    await c.onStartup();
    expect(digests()).toHaveLength(1);

    for (const t of ['2026-11-21T11:00', '2026-11-21T16:00']) {
      clock.set(sh(t));
      await c.onAlarm(REMINDER_ALARM);
    }
    expect(alarmAt()).toBe(sh('2026-11-22T09:00'));
    clock.set(sh('2026-11-22T09:00'));
    await c.onAlarm(REMINDER_ALARM);
    expect(digests()).toHaveLength(2);
    expect(digests()[1]?.options.title).toBe('今日待跟进 0 位，逾期 3 位');
  });

  test('missed while the browser was closed → sent once at start, not repeatedly', async () => {
    await db.kv.put({ key: LAST_DIGEST_KEY, value: sh('2026-11-19T09:00') });
    await setNextFollowUp(db, '2', sh('2026-11-19T10:00'), sh('2026-11-19T08:00'));
    clock.set(sh('2026-11-21T11:00')); // closed for two mornings
    const c = controller();
    await c.onStartup();
    expect(digests()).toHaveLength(1);
    await c.onStartup();
    clock.advance(MINUTE);
    await c.onAlarm(REMINDER_ALARM);
    await controller().onStartup();
    expect(digests()).toHaveLength(1);
    expect(alarmAt()).toBe(sh('2026-11-22T09:00'));
  });

  test('started before the digest time → no digest yet', async () => {
    await db.kv.put({ key: LAST_DIGEST_KEY, value: sh('2026-11-20T09:00') });
    await setNextFollowUp(db, '2', sh('2026-11-19T10:00'), sh('2026-11-19T08:00'));
    clock.set(sh('2026-11-21T08:59'));
    await controller().onStartup();
    expect(digests()).toHaveLength(0);
    expect(alarmAt()).toBe(sh('2026-11-21T09:00'));
  });

  test('an owed digest makes reschedule ring soon', async () => {
    await db.kv.put({ key: LAST_DIGEST_KEY, value: sh('2026-11-20T09:00') });
    clock.set(sh('2026-11-21T12:00'));
    await controller().reschedule();
    expect(alarmAt()).toBeLessThanOrEqual(clock.now() + 30_000);
  });

  test('nothing due → no empty digest, but the day counts as done', async () => {
    await db.kv.put({ key: LAST_DIGEST_KEY, value: sh('2026-11-20T09:00') });
    clock.set(sh('2026-11-21T09:00'));
    const c = controller();
    await c.onAlarm(REMINDER_ALARM);
    expect(notifications.created).toEqual([]);
    expect((await db.kv.get(LAST_DIGEST_KEY))?.value).toBe(sh('2026-11-21T09:00'));
    expect(alarmAt()).toBe(sh('2026-11-22T09:00'));
  });

  test('disabled → no digest and no digest alarm', async () => {
    currentSettings = settings({ digestEnabled: false });
    await db.kv.put({ key: LAST_DIGEST_KEY, value: sh('2026-11-19T09:00') });
    await setNextFollowUp(db, '2', sh('2026-11-19T10:00'), sh('2026-11-19T08:00'));
    clock.set(sh('2026-11-21T09:00'));
    await controller().onStartup();
    expect(digests()).toHaveLength(0);
    expect(alarms.live.size).toBe(0);
  });
});
