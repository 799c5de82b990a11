// User-defined sites' browser side: one dynamic content script per site origin whose host the
// user granted (from their click in options), finding the user's tab of a site, and running the
// test read or the element picker there (entrypoints/custom-site-probe.ts).
import { browser } from 'wxt/browser';
import type { LiaisonDb } from '@/lib/db/db';
import { browserPatternsOf, matchesSitePattern, type CustomSiteDef } from '@/lib/custom-sites/definition';
import type { CustomSitePorts } from '@/lib/custom-sites/handlers';
import type { PickResult } from '@/lib/custom-sites/picker';
import { createCustomSiteCache } from '@/lib/custom-sites/store';
import type { TestReadResult } from '@/lib/custom-sites/test-read';

const SCRIPT_PREFIX = 'liaison-custom-';
const PROBE_GLOBAL = '__liaisonCustomSiteProbe';
/** Chrome's match patterns take a port; Firefox's do not (definition.ts browserPatternsOf). */
export const PORTS_IN_PATTERNS = !import.meta.env.FIREFOX;

const patternsOf = (s: CustomSiteDef) => browserPatternsOf(s.pattern, { portsInPatterns: PORTS_IN_PATTERNS });

async function granted(s: CustomSiteDef): Promise<boolean> {
  const p = patternsOf(s);
  return !!p && (await browser.permissions.contains({ origins: [p.origin] }));
}

async function sync(sites: CustomSiteDef[]): Promise<void> {
  const ours = (await browser.scripting.getRegisteredContentScripts()).map((s) => s.id).filter((id) => id.startsWith(SCRIPT_PREFIX));
  if (ours.length) await browser.scripting.unregisterContentScripts({ ids: ours });
  // One script per origin: two sites on one host (two ports on Firefox, two paths) share it, and
  // the page's script asks the background which definition covers it.
  const byMatch = new Map<string, string>();
  for (const s of sites) {
    const p = patternsOf(s);
    if (p && !byMatch.has(p.matches) && (await granted(s))) byMatch.set(p.matches, s.id);
  }
  if (byMatch.size === 0) return;
  await browser.scripting.registerContentScripts(
    [...byMatch].map(([matches, id]) => ({
      id: SCRIPT_PREFIX + id,
      matches: [matches],
      js: ['content-scripts/custom-site.js'],
      runAt: 'document_idle' as const,
      persistAcrossSessions: true,
    })),
  );
}

async function findTab(site: CustomSiteDef): Promise<number | undefined> {
  const tabs = (await browser.tabs.query({})).filter((t) => t.id !== undefined && t.url && matchesSitePattern(site.pattern, t.url));
  // The one the user was on last.
  tabs.sort((a, b) => ((b as { lastAccessed?: number }).lastAccessed ?? 0) - ((a as { lastAccessed?: number }).lastAccessed ?? 0) || Number(b.active) - Number(a.active));
  return tabs[0]?.id;
}

async function probe<R>(tabId: number, req: unknown): Promise<R> {
  await browser.scripting.executeScript({
    target: { tabId },
    func: ((key: string, value: unknown) => void ((globalThis as Record<string, unknown>)[key] = value)) as (...a: unknown[]) => unknown,
    args: [PROBE_GLOBAL, req],
  });
  const [first] = await browser.scripting.executeScript({ target: { tabId }, files: ['/custom-site-probe.js'] });
  if (first?.result == null) throw new Error('the page did not answer');
  return first.result as R;
}

export function customSitePorts(db: LiaisonDb): CustomSitePorts {
  const cache = createCustomSiteCache(db);
  return {
    cache,
    sync,
    findTab,
    granted,
    testRead: (tabId, site) => probe<TestReadResult>(tabId, { kind: 'read', site }),
    pick: (tabId, pick) => probe<PickResult>(tabId, { kind: 'pick', pick }),
  };
}
