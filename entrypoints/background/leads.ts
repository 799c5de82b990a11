// Lead extraction's browser side: inject the extraction script into a tab, open the review
// page, and the page context menu. The tab is readable because the user just clicked (popup or
// menu: activeTab), or because its host is one of the extension's host permissions.
import { browser } from 'wxt/browser';
import type { LeadPorts } from '@/lib/leads/handlers';

export const leadPorts: LeadPorts = {
  async runExtractor(tabId) {
    const [first] = await browser.scripting.executeScript({ target: { tabId }, files: ['/lead-extractor.js'] });
    return first?.result;
  },
  async openReview(reviewId) {
    await browser.tabs.create({ url: browser.runtime.getURL(`/leads.html#${encodeURIComponent(reviewId)}` as `/leads.html`) });
  },
};

const MENU_ID = 'liaison.extract-leads';

/** The context menu entry; `extract` runs the same message the popup sends. */
export function registerLeadMenu(extract: (tabId: number) => Promise<unknown>): void {
  // Menus persist across worker restarts; they are (re)created once per install or update.
  browser.runtime.onInstalled.addListener(() => {
    void browser.contextMenus.removeAll().then(() =>
      browser.contextMenus.create({
        id: MENU_ID,
        title: browser.i18n.getUILanguage().startsWith('zh') ? '提取线索（联络）' : 'Extract leads (Liaison)',
        contexts: ['page', 'selection', 'link'],
      }),
    );
  });
  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId !== MENU_ID || tab?.id === undefined) return;
    void extract(tab.id).catch((err: unknown) => console.warn('[liaison] extract leads:', err instanceof Error ? err.message : 'error'));
  });
}
