// The chrome.* namespace as seen inside the service worker when a test evaluates code there.
// Only what the tests call; the extension itself uses `browser` from wxt/browser.
declare const chrome: {
  notifications: { getAll(): Promise<Record<string, boolean>>; clear(id: string): Promise<boolean> };
  alarms: { getAll(): Promise<{ name: string; scheduledTime: number }[]>; create(name: string, info: { when: number }): Promise<void> };
  runtime: { id: string; sendMessage(message: unknown): Promise<unknown> };
};
