// The background service worker: owns the database, the message router, reminders and (later)
// the outbox. Listeners are registered synchronously in main() so an event that wakes the
// worker is never missed; main() runs again on every worker start.
import { browser } from 'wxt/browser';
import { getDb } from '@/lib/db/db';
import { createRouter } from '@/lib/messaging/router';
import { readerForUrl } from '@/lib/readers/registry';
import { createReminderController } from '@/lib/reminders/controller';
import { reminderTexts } from '@/lib/reminders/texts';
import { getSettings } from '@/lib/settings/store';
import { pickLocale } from '@/lib/i18n';
import { ensureLocalConnection } from '@/lib/crm/local/bootstrap';
import { alarmsPort, notificationsPort } from './browser-ports';
import { broadcastChanged } from './broadcast';
import { createChatOpener } from './chat-opener';
import { createContentAuthorizer, createHandlers } from './handlers';
import { createAdapterCache } from './adapter-cache';
import { createSyncWorker, syncHealth } from '@/lib/sync';
import { adapterFor } from '@/lib/crm/adapters';
import { CrmError } from '@/lib/crm/errors';
import { MessageError } from '@/lib/messaging/router';
import { createUnderstandingEngine } from '@/lib/suggest/engine';
import { createDeal } from '@/lib/customers/deal';
import { updateCustomer } from '@/lib/customers/update';

const SYNC_ALARM = 'liaison.sync';
/** Writes auto-log windows that went quiet while their chat was closed. */
const AUTOLOG_ALARM = 'liaison.autolog';

export default defineBackground(() => {
  const db = getDb();
  const chat = createChatOpener(db);
  const now = () => Date.now();

  const reminders = createReminderController({
    db,
    alarms: alarmsPort,
    notifications: notificationsPort,
    chat,
    clock: { now },
    getSettings: () => getSettings(db),
    texts: async () => reminderTexts(pickLocale((await getSettings(db)).language, browser.i18n.getUILanguage())),
    onChanged: () => void broadcastChanged(['reminders', 'customers']),
    openPopup: async () => {
      await browser.tabs.create({ url: browser.runtime.getURL('/popup.html') });
    },
  });

  const adapters = createAdapterCache(db, now);
  const sync = createSyncWorker({
    db,
    now,
    adapterFor: (connection) => adapters.get(connection),
    onChanged: (tables) => void broadcastChanged(tables),
    schedule: async (at) => {
      await browser.alarms.create(SYNC_ALARM, { when: Math.max(at, now() + 1000) });
    },
    onError: (err) => console.warn('[liaison] sync:', err instanceof Error ? err.name : 'error'),
    // One service worker at a time: a fresh one recovers the dead one's claims at once.
    options: { singleInstance: true },
  });
  const kickSync = () => void adapters.ready().then(() => sync.kick());
  const understanding = createUnderstandingEngine({
    db,
    now,
    async changed(tables) {
      await Promise.all([broadcastChanged(tables), reminders.reschedule()]);
      kickSync();
    },
    effects: (customerId) => ({
      async createDeal(input) {
        await createDeal(db, customerId, input, now());
      },
      async updateCustomer(patch) {
        await updateCustomer(db, customerId, patch, now());
      },
      async notify(title, message) {
        await browser.notifications.create(`rule:${customerId}:${now()}`, {
          type: 'basic',
          iconUrl: browser.runtime.getURL('/icon/128.png'),
          title,
          message,
        });
      },
    }),
  });
  const language = async () => pickLocale((await getSettings(db)).language, browser.i18n.getUILanguage());
  /** A CRM failure shown to the user says why in their language: wrong password, host unreachable, missing scope… */
  async function explainCrmErrors<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof CrmError) {
        const lang = await language();
        throw new MessageError(err.kind === 'auth' ? 'forbidden' : 'invalid', `${err.userMessage[lang]} (${err.message})`);
      }
      throw err;
    }
  }

  const route = createRouter(
    createHandlers({
      db,
      now,
      async changed(tables) {
        if (tables.includes('connections')) await adapters.reload();
        await Promise.all([broadcastChanged(tables), reminders.reschedule()]);
        // Local changes queue outbox entries in the same transaction: send them now.
        kickSync();
      },
      async verifyConnection(connection, secrets) {
        const adapter = adapterFor(connection.kind, { db, connection, secrets, now });
        if (!adapter) throw new MessageError('invalid', `unknown CRM: ${connection.kind}`);
        return explainCrmErrors(() => adapter.verify({ signal: AbortSignal.timeout(20_000) }));
      },
      async prepareConnection(connection) {
        await adapters.ready();
        const adapter = adapters.get(connection);
        if (!adapter?.prepare) throw new MessageError('invalid', `${connection.kind} has nothing to prepare`);
        return explainCrmErrors(() => adapter.prepare!({ signal: AbortSignal.timeout(60_000) }));
      },
      sync: {
        kick: kickSync,
        retryNow: async (filter) => {
          await adapters.ready();
          const n = await sync.retryNow(filter);
          return n;
        },
        health: async () => ({
          connections: (await syncHealth(db, now())).map((h) => ({
            connectionId: h.connectionId,
            queued: h.queued + h.inflight,
            failed: h.failed,
            ...(h.lastSuccessAt !== undefined ? { lastSuccessAt: h.lastSuccessAt } : {}),
            ...(h.lastError !== undefined ? { lastError: h.lastError } : {}),
            breaker: h.breaker.state,
          })),
        }),
      },
      openChat: (customerId) => chat.open(customerId),
      openOptions: () => browser.runtime.openOptionsPage(),
      clearReminderNotification: async (customerId) => {
        await notificationsPort.clear(`reminder:${customerId}`);
      },
      understanding,
    }),
    {
      extensionId: browser.runtime.id,
      extensionOrigin: browser.runtime.getURL('/'),
      siteForUrl: (url) => readerForUrl(url)?.id,
      authorizeContent: createContentAuthorizer(db),
      mapError(err) {
        const code = (err as { code?: unknown }).code;
        if (code === 'invalid' || code === 'not-found' || code === 'forbidden' || code === 'conflict') {
          return { code, message: (err as Error).message };
        }
        return undefined;
      },
      onError(type, err) {
        // Never log payloads: they carry names, phones and messages.
        console.warn(`[liaison] ${type} failed:`, err instanceof Error ? err.name : 'error');
      },
    },
  );

  browser.runtime.onMessage.addListener((message, sender) => {
    // Answer only our envelopes; returning undefined leaves other messages (change events) alone.
    if ((message as { liaison?: unknown; type?: unknown })?.liaison !== 1 || typeof (message as { type?: unknown }).type !== 'string') return undefined;
    return route(message, sender);
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM) return void adapters.ready().then(() => sync.runOnce());
    if (alarm.name === AUTOLOG_ALARM) return void understanding.flushDue().catch((err: unknown) => console.warn('[liaison] autolog:', err instanceof Error ? err.name : 'error'));
    void reminders.onAlarm(alarm.name);
  });
  // Back online: what waited for the network goes now (navigator.onLine=false is trustworthy, true is not; fetch outcomes decide).
  self.addEventListener('online', kickSync);
  browser.notifications.onButtonClicked?.addListener((id, index) => void reminders.onButton(id, index));
  browser.notifications.onClicked.addListener((id) => void reminders.onClick(id));

  // Every start: the local CRM exists, the one alarm is re-created, and reminders missed while
  // the browser was closed fire now.
  void ensureLocalConnection(db, now()).then(() => {
    void reminders.onStartup();
    // Takes back claims of a worker that was killed mid-call (once they expire) and re-arms the alarm.
    kickSync();
    // A periodic sweep: pending auto-log windows close by time, not by any event.
    void browser.alarms.create(AUTOLOG_ALARM, { periodInMinutes: 5 });
  });
});
