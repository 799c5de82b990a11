// The seam between reminder logic and the browser. The background implements these with
// browser.alarms / browser.notifications / tabs; tests implement them with recorders.
// Nothing in lib/reminders touches browser.* directly.

export interface AlarmsPort {
  /** Create or replace the named alarm to ring once at `whenMs` (epoch ms). */
  create(name: string, whenMs: number): Promise<void>;
  clear(name: string): Promise<void>;
}

export interface NotificationOptions {
  title: string;
  message: string;
  /** Chrome shows at most 2 buttons. */
  buttons: string[];
  requireInteraction?: boolean;
}

export interface NotificationsPort {
  /** Create or replace the notification with this id. */
  create(id: string, options: NotificationOptions): Promise<void>;
  clear(id: string): Promise<void>;
}

export interface ChatOpener {
  /** Focus the tab with the customer's chat, or open it; false when no chat is known. */
  open(customerId: string): Promise<boolean>;
}

export interface Clock {
  now(): number;
}
