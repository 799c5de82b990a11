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

  const route = createRouter(
    createHandlers({
      db,
      now,
      async changed(tables) {
        await Promise.all([broadcastChanged(tables), reminders.reschedule()]);
      },
      openChat: (customerId) => chat.open(customerId),
      openOptions: () => browser.runtime.openOptionsPage(),
      clearReminderNotification: async (customerId) => {
        await notificationsPort.clear(`reminder:${customerId}`);
      },
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
  browser.alarms.onAlarm.addListener((alarm) => void reminders.onAlarm(alarm.name));
  browser.notifications.onButtonClicked?.addListener((id, index) => void reminders.onButton(id, index));
  browser.notifications.onClicked.addListener((id) => void reminders.onClick(id));

  // Every start: the local CRM exists, the one alarm is re-created, and reminders missed while
  // the browser was closed fire now.
  void ensureLocalConnection(db, now()).then(() => reminders.onStartup());
});
