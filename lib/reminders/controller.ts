// Drives due reminders and the morning digest with ONE alarm ('liaison.next'): Chrome caps
// an extension at 500 alarms and does not promise they survive a restart, so the alarm is
// always derived from the database (the earliest pending fireAt or the next digest) and
// re-created on every change and every service-worker start.
//
// "Fires exactly once" rests on the database, not on the alarm: a reminder is claimed
// (notifiedAt = now ≥ fireAt) in the same transaction that finds it, and the digest is
// claimed by writing 'reminders.lastDigestAt' before it is shown. So the alarm, the
// start-up pass, or both, in any order, notify each due time once.
import Dexie from 'dexie';
import type { LiaisonDb } from '../db/db';
import type { Customer, Reminder, Settings } from '../model';
import type { AlarmsPort, ChatOpener, Clock, NotificationsPort } from './ports';
import { digestContent, nextAlarmAt, nextDigestAt, previousDigestAt, runtimeTimeZone } from './schedule';
import { nextWeeklyAt, previousWeeklyAt } from './weekly';
import { claimDueToNotify, listDue, markDone, nextPendingFireAt, snooze } from './store';
import { formatDueTime, type ReminderTexts } from './texts';

export const REMINDER_ALARM = 'liaison.next';
export const DIGEST_NOTIFICATION_ID = 'digest';
export const LAST_DIGEST_KEY = 'reminders.lastDigestAt';
export const WEEKLY_NOTIFICATION_ID = 'weekly';
export const LAST_WEEKLY_KEY = 'reminders.lastWeeklyAt';
const REMINDER_PREFIX = 'reminder:';
const DETAIL_MAX = 120;
/** Alarms ring up to a minute or so late; only a reminder later than this reads as overdue. */
const OVERDUE_GRACE_MS = 5 * 60_000;

export function reminderNotificationId(customerId: string): string {
  return REMINDER_PREFIX + customerId;
}

export type NotificationRef = { kind: 'reminder'; customerId: string } | { kind: 'digest' } | { kind: 'weekly' };

/** Which of our notifications an id names; undefined for anyone else's. */
export function parseNotificationId(id: string): NotificationRef | undefined {
  if (id === DIGEST_NOTIFICATION_ID) return { kind: 'digest' };
  if (id === WEEKLY_NOTIFICATION_ID) return { kind: 'weekly' };
  if (id.startsWith(REMINDER_PREFIX) && id.length > REMINDER_PREFIX.length) {
    return { kind: 'reminder', customerId: id.slice(REMINDER_PREFIX.length) };
  }
  return undefined;
}

export interface ReminderControllerDeps {
  db: LiaisonDb;
  alarms: AlarmsPort;
  notifications: NotificationsPort;
  chat: ChatOpener;
  clock: Clock;
  getSettings(): Promise<Settings>;
  /** Localized strings for titles, buttons and the digest (may be async: the language is a setting). */
  texts(): ReminderTexts | Promise<ReminderTexts>;
  /** Before the morning digest: read the connected CRMs back (their 下次跟进 drive the reminders). */
  beforeDigest?(): Promise<unknown>;
  /** Called after a notification button changed data, so views refresh. */
  onChanged?(): void;
  /** Opened when the digest is clicked, or a reminder whose chat is unknown. */
  openPopup?(): Promise<void>;
  /** The weekly report's headline (last week), or undefined to skip; computed by the background. */
  weeklyReport?(now: number): Promise<{ title: string; message: string } | undefined>;
  /** Opened when the weekly report notification is clicked. */
  openReport?(): Promise<void>;
  /** IANA zone for "today" and the digest time; default the runtime's. */
  timeZone?: string;
  /** Where a failed notification is reported (default console.error); it never stops the others. */
  onError?(error: unknown): void;
}

export interface ReminderController {
  reschedule(): Promise<void>;
  onAlarm(name: string): Promise<void>;
  onStartup(): Promise<void>;
  onButton(notificationId: string, buttonIndex: number): Promise<void>;
  onClick(notificationId: string): Promise<void>;
}

export function createReminderController(deps: ReminderControllerDeps): ReminderController {
  const { db, alarms, notifications, clock } = deps;
  // Read on first use, not when the controller is built: the first Intl call of a fresh worker
  // costs milliseconds (ICU's time zone data), and most wakes schedule no reminder.
  let zone = deps.timeZone;
  const timeZone = (): string => (zone ??= runtimeTimeZone());
  const reportError = deps.onError ?? ((e: unknown) => console.error('[liaison] reminders:', e));

  // One pass at a time within this worker: the start-up pass and an alarm event arrive
  // together on every wake, and their reschedules must not overtake each other.
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  }

  async function lastDigestAt(): Promise<number | undefined> {
    const row = await db.kv.get(LAST_DIGEST_KEY);
    return typeof row?.value === 'number' ? row.value : undefined;
  }

  /**
   * The digest time a digest is owed for, or undefined. The first run only records a
   * baseline: installing the extension at 15:00 does not owe this morning's digest.
   */
  async function owedDigestAt(settings: Settings, now: number): Promise<number | undefined> {
    if (!settings.digestEnabled) return undefined;
    const last = await lastDigestAt();
    if (last === undefined) {
      await db.kv.put({ key: LAST_DIGEST_KEY, value: now });
      return undefined;
    }
    const scheduled = previousDigestAt(settings.digestTime, now, timeZone());
    return last < scheduled ? scheduled : undefined;
  }

  /** Like the digest: the weekly time a report is owed for; the first run only records a baseline. */
  async function owedWeeklyAt(settings: Settings, now: number): Promise<number | undefined> {
    if (!settings.weeklyEnabled || !deps.weeklyReport) return undefined;
    const row = await db.kv.get(LAST_WEEKLY_KEY);
    if (typeof row?.value !== 'number') {
      await db.kv.put({ key: LAST_WEEKLY_KEY, value: now });
      return undefined;
    }
    const scheduled = previousWeeklyAt(settings.weeklyDay, settings.weeklyTime, now, timeZone());
    return row.value < scheduled ? scheduled : undefined;
  }

  async function rescheduleNow(): Promise<void> {
    const now = clock.now();
    const settings = await deps.getSettings();
    const owed = await owedDigestAt(settings, now);
    const digestAt = settings.digestEnabled ? (owed ?? nextDigestAt(settings.digestTime, now, timeZone())) : undefined;
    const weeklyOwed = await owedWeeklyAt(settings, now);
    const weeklyAt = settings.weeklyEnabled && deps.weeklyReport ? (weeklyOwed ?? nextWeeklyAt(settings.weeklyDay, settings.weeklyTime, now, timeZone())) : undefined;
    const when = nextAlarmAt({ nextReminderFireAt: await nextPendingFireAt(db), digestAt: digestAt === undefined ? weeklyAt : weeklyAt === undefined ? digestAt : Math.min(digestAt, weeklyAt), now });
    if (when === undefined) await alarms.clear(REMINDER_ALARM);
    else await alarms.create(REMINDER_ALARM, when);
  }

  async function showReminder(r: Reminder, customer: Customer, texts: ReminderTexts, settings: Settings, now: number) {
    const last = await db.followUps
      .where('[customerId+at]')
      .between([customer.id, Dexie.minKey], [customer.id, Dexie.maxKey])
      .last();
    const lastText = (last?.summary || last?.content)?.trim();
    const noteText = r.note?.trim();
    const detail = lastText ? { kind: 'followUp' as const, text: lastText } : noteText ? { kind: 'note' as const, text: noteText } : undefined;
    if (detail && detail.text.length > DETAIL_MAX) detail.text = detail.text.slice(0, DETAIL_MAX - 1) + '…';
    const source = r.source ? (await db.connections.get(r.source))?.name : undefined;
    await notifications.create(reminderNotificationId(customer.id), {
      title: texts.reminderTitle(customer.name || customer.code, customer.code),
      message: texts.reminderMessage({ due: formatDueTime(r.dueAt, texts, timeZone()), overdue: r.dueAt < now - OVERDUE_GRACE_MS, detail, ...(source ? { source } : {}) }),
      buttons: [texts.doneButton, texts.snoozeButton(settings.snoozeMinutes)],
      requireInteraction: true,
    });
  }

  async function sendDigest(texts: ReminderTexts, now: number): Promise<void> {
    // Seed 000's morning check reads the CRM's own 下次跟进: the connected CRMs are read back first
    // (a failing CRM never holds the digest back; its reminders are as of its last pull).
    if (deps.beforeDigest) await deps.beforeDigest().catch(reportError);
    const due = await listDue(db, now, { timeZone: timeZone() });
    const ids = [...due.overdue, ...due.dueToday].map((r) => r.customerId);
    const customers = new Map((await db.customers.bulkGet(ids)).filter((c) => c !== undefined).map((c) => [c.id, c]));
    // A reminder left behind by a deleted customer has nobody to list.
    const entries = (list: Reminder[]) =>
      list.flatMap((r) => {
        const c = customers.get(r.customerId);
        return c ? [{ name: c.name, code: c.code }] : [];
      });
    const content = digestContent({ overdue: entries(due.overdue), dueToday: entries(due.dueToday) }, texts);
    if (!content) return; // nothing due: no empty digest
    await notifications.create(DIGEST_NOTIFICATION_ID, { ...content, buttons: [], requireInteraction: false });
  }

  /** Notify what is due, send an owed digest, then point the alarm at what comes next. */
  async function firePass(): Promise<void> {
    const now = clock.now();
    const settings = await deps.getSettings();
    const texts = await deps.texts();

    // Each notification is shown independently: one failing must not stop the others.
    const shown: Promise<void>[] = [];
    const show = (p: Promise<void>) => shown.push(p.catch(reportError));

    const claimed = await claimDueToNotify(db, now);
    const customers = await db.customers.bulkGet(claimed.map((r) => r.customerId));
    claimed.forEach((r, i) => {
      const c = customers[i];
      // A reminder whose customer was deleted has nobody to show; it stays claimed.
      if (c) show(showReminder(r, c, texts, settings, now));
    });

    // Claim the digest before showing it, in one transaction, for the same once-only reason.
    const digestDue = await db.transaction('rw', db.kv, async () => {
      const owed = await owedDigestAt(settings, now);
      if (owed === undefined) return false;
      await db.kv.put({ key: LAST_DIGEST_KEY, value: now });
      return true;
    });
    if (digestDue) show(sendDigest(texts, now));

    // The weekly report, claimed the same way so it is shown once per week.
    const weeklyDue = await db.transaction('rw', db.kv, async () => {
      const owed = await owedWeeklyAt(settings, now);
      if (owed === undefined) return false;
      await db.kv.put({ key: LAST_WEEKLY_KEY, value: now });
      return true;
    });
    if (weeklyDue && deps.weeklyReport) {
      show(
        deps.weeklyReport(now).then(async (content) => {
          if (content) await notifications.create(WEEKLY_NOTIFICATION_ID, { ...content, buttons: [], requireInteraction: false });
        }),
      );
    }

    await Promise.all(shown);
    await rescheduleNow();
  }

  return {
    reschedule: () => serial(rescheduleNow),
    onAlarm: (name) => (name === REMINDER_ALARM ? serial(firePass) : Promise.resolve()),
    onStartup: () => serial(firePass),
    onButton: (notificationId, buttonIndex) =>
      serial(async () => {
        const ref = parseNotificationId(notificationId);
        if (ref?.kind !== 'reminder') return;
        const now = clock.now();
        if (buttonIndex === 0) await markDone(db, ref.customerId, now);
        else if (buttonIndex === 1) await snooze(db, ref.customerId, (await deps.getSettings()).snoozeMinutes, now);
        else return;
        await notifications.clear(notificationId);
        deps.onChanged?.();
        await rescheduleNow();
      }),
    onClick: (notificationId) =>
      serial(async () => {
        const ref = parseNotificationId(notificationId);
        if (!ref) return;
        await notifications.clear(notificationId);
        if (ref.kind === 'reminder') {
          if (!(await deps.chat.open(ref.customerId))) await deps.openPopup?.();
        } else if (ref.kind === 'weekly') {
          await (deps.openReport ?? deps.openPopup)?.();
        } else {
          await deps.openPopup?.();
        }
      }),
  };
}
