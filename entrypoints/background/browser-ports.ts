// The reminder controller's ports, implemented with the browser APIs. The only place
// alarms and notifications are touched.
import { browser } from 'wxt/browser';
import type { AlarmsPort, NotificationsPort } from '@/lib/reminders/ports';

export const alarmsPort: AlarmsPort = {
  async create(name, whenMs) {
    await browser.alarms.create(name, { when: whenMs });
  },
  async clear(name) {
    await browser.alarms.clear(name);
  },
};

export const notificationsPort: NotificationsPort = {
  async create(id, n) {
    await browser.notifications.create(id, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon/128.png'),
      title: n.title,
      message: n.message,
      // Firefox supports neither buttons nor requireInteraction.
      ...(import.meta.env.FIREFOX ? {} : { buttons: n.buttons.map((title) => ({ title })), requireInteraction: n.requireInteraction ?? false }),
    });
  },
  async clear(id) {
    await browser.notifications.clear(id);
  },
};
