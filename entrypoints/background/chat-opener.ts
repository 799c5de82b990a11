// "Open chat": focus the tab that shows the customer's conversation, or open it.
import { browser } from 'wxt/browser';
import type { LiaisonDb } from '@/lib/db/db';
import { lastChatUrl } from '@/lib/customers/link';

export function createChatOpener(db: LiaisonDb) {
  return {
    async open(customerId: string): Promise<boolean> {
      const url = await lastChatUrl(db, customerId);
      if (!url) return false;
      const target = new URL(url);
      const tabs = await browser.tabs.query({});
      // Same page of the same chat site: reuse it (single-page chats switch by URL hash or path).
      const existing = tabs.find((t) => {
        if (!t.url || t.id === undefined) return false;
        const u = new URL(t.url);
        return u.origin === target.origin && u.pathname === target.pathname;
      });
      if (existing?.id !== undefined) {
        await browser.tabs.update(existing.id, { active: true, ...(existing.url === url ? {} : { url }) });
        if (existing.windowId !== undefined) await browser.windows.update(existing.windowId, { focused: true });
        return true;
      }
      await browser.tabs.create({ url, active: true });
      return true;
    },
  };
}
