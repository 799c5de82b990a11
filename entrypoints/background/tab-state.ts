// What each chat tab shows, as its content script last reported it: the conversation (with its
// messages), the page's health and the address the report came from. The sidebar (an extension
// page framed in that tab) asks for it by its own tab; the content script never gets customer
// data back. In memory only: a restarted worker asks the tab's content script to report again.
import type { Conversation, ReaderHealth } from '@/lib/model';
import type { ContentEvent, ResponseOf } from '@/lib/messaging/protocol';

export interface TabState {
  conversation: Conversation | null;
  health: ReaderHealth | null;
  /** the content script's page address (where "open chat" goes back to) */
  url: string | undefined;
  /** grows with every report, so a sidebar can drop an answer older than one it has */
  seq: number;
  /** the frame the tab's sidebar page runs in, once it has asked (word back to it in Firefox) */
  sidebarFrame?: number;
}

/**
 * `watchClosed` subscribes to tabs closing, once, when the first tab reports: a fresh worker holds
 * no tab (its start does not touch the tabs API at all), and a tab closed before it reported has
 * nothing to forget.
 */
export function createTabStates(watchClosed?: (forget: (tabId: number) => void) => void) {
  const tabs = new Map<number, TabState>();
  /** Each tab's latest report as it arrived (reported()), before its view is known. */
  const latest = new Map<number, number>();
  let reports = 0;
  // Starts from the clock, so a restarted worker's numbers still follow the ones a sidebar holds.
  let seq = Date.now();
  let watching = false;
  const forget = (tabId: number) => {
    tabs.delete(tabId);
    latest.delete(tabId);
  };
  const watch = () => {
    if (watching) return;
    watching = true;
    watchClosed?.(forget);
  };
  return {
    get: (tabId: number) => tabs.get(tabId),
    /**
     * A report from the tab's content script arrived: its number, in the order reports arrive. A
     * report's view can take seconds (understanding a long chat on a cold worker) while the user
     * switches chats and the next report is shown: `isLatest` tells the slow one it was overtaken.
     */
    reported(tabId: number): number {
      watch();
      const n = ++reports;
      latest.set(tabId, n);
      return n;
    },
    isLatest: (tabId: number, report: number) => latest.get(tabId) === report,
    /** Record a report; returns the new state. */
    set(tabId: number, patch: Partial<Omit<TabState, 'seq'>>): TabState {
      watch();
      const prev = tabs.get(tabId) ?? { conversation: null, health: null, url: undefined, seq: 0 };
      const next = { ...prev, ...patch, seq: ++seq };
      tabs.set(tabId, next);
      return next;
    },
    /** The tab's sidebar page asked from this frame (no new report: the sequence stays). */
    noteSidebar(tabId: number, frameId: number) {
      const st = tabs.get(tabId);
      if (st) st.sidebarFrame = frameId;
    },
    /** Every tab whose sidebar page is known, with its frame. */
    sidebars(): { tabId: number; frameId: number }[] {
      return [...tabs].flatMap(([tabId, st]) => (st.sidebarFrame !== undefined ? [{ tabId, frameId: st.sidebarFrame }] : []));
    },
  };
}
export type TabStates = ReturnType<typeof createTabStates>;

/**
 * `sidebar.state` for a tab the worker holds no report of (a restarted worker has forgotten every
 * tab, or the sidebar asked before its content script reported): nothing to show yet, and the
 * tab's content script is asked to report again.
 */
export function unseenTab(tabId: number | null, toContent?: (tabId: number, event: ContentEvent) => void): ResponseOf<'sidebar.state'> {
  if (tabId !== null) toContent?.(tabId, { liaison: 1, event: 'reader.reobserve' });
  return { tabId, seq: 0, conv: null, view: null, health: null };
}
