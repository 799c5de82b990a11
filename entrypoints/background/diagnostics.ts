// 复制页面结构 from options → 网站状态 or the sidebar: the background asks an open tab of the site
// for its chat area's skeleton. A script injected on demand in the extension's isolated world
// computes it (entrypoints/page-skeleton.ts → lib/readers/diagnostics.ts; no content script carries
// the scrubber); what comes back is handed to the page only if it can only be a skeleton
// (isSkeleton), since a hostile chat page's DOM is what the script walks.
import { browser } from 'wxt/browser';
import { isSkeleton } from '@/lib/readers/diagnostics';
import { readers } from '@/lib/readers/registry';
import { SKELETON_REQUEST_GLOBAL, type SkeletonRequest } from '@/lib/readers/skeleton-request';
import type { SkeletonAsk } from '@/lib/messaging/protocol';
import { MessageError, type Handlers } from '@/lib/messaging/router';

export interface DiagnosticsPort {
  /** Ids of the tabs whose address matches one of the patterns, the most likely first. */
  tabsOf(patterns: string[]): Promise<number[]>;
  /** Runs the skeleton script in the tab's top frame for the asked site; its answer, or undefined. */
  ask(tabId: number, message: SkeletonAsk): Promise<unknown>;
}

/** At most this many tabs are asked, each for at most this long. */
const MAX_TABS = 5;
const ASK_TIMEOUT_MS = 5000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

export function createDiagnosticsHandlers(port: DiagnosticsPort): Pick<Handlers, 'diagnostics.skeleton'> {
  return {
    async 'diagnostics.skeleton'({ site }, ctx) {
      const reader = readers.find((r) => r.id === site);
      if (!reader) throw new MessageError('not-found', `no such site: ${site}`);
      // The sidebar framed in a chat tab asks about its own tab first (the options page's own tab
      // has no content script and does not answer).
      const own = ctx.tabId !== undefined ? [ctx.tabId] : [];
      const tabs = [...own, ...(await port.tabsOf([...reader.matches, ...(reader.spa?.injectOn ?? [])])).filter((id) => !own.includes(id))];
      let refused = false;
      for (const tabId of tabs.slice(0, MAX_TABS)) {
        const answer = (await withTimeout(port.ask(tabId, { liaison: 1, ask: 'diagnostics.skeleton', site }), ASK_TIMEOUT_MS)) as { site?: unknown; skeleton?: unknown } | undefined;
        if (answer === undefined || answer === null) continue;
        if (answer.site === site && isSkeleton(answer.skeleton)) return { skeleton: answer.skeleton };
        refused = true;
      }
      if (refused) throw new MessageError('invalid', `the ${site} page answered with something that is not a page skeleton`);
      return { skeleton: null };
    },
  };
}

export const browserDiagnosticsPort: DiagnosticsPort = {
  async tabsOf(patterns) {
    const tabs = await browser.tabs.query({ url: patterns });
    // The tab the user looked at last is the one whose page they mean.
    const recent = (t: (typeof tabs)[number]) => (t as { lastAccessed?: number }).lastAccessed ?? 0;
    return tabs
      .filter((t) => t.id !== undefined)
      .sort((a, b) => Number(b.active) - Number(a.active) || recent(b) - recent(a))
      .map((t) => t.id!);
  },
  async ask(tabId, message) {
    const reader = readers.find((r) => r.id === message.site);
    if (!reader) return undefined;
    const target = { tabId, frameIds: [0] };
    const request: SkeletonRequest = { site: reader.id, selectors: reader.selectors };
    await browser.scripting.executeScript({
      target,
      func: ((key: string, value: unknown) => void ((globalThis as Record<string, unknown>)[key] = value)) as (...a: unknown[]) => unknown,
      args: [SKELETON_REQUEST_GLOBAL, request],
    });
    const [first] = await browser.scripting.executeScript({ target, files: ['/page-skeleton.js'] });
    return first?.result ?? undefined;
  },
};
