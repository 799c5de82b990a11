// User-defined sites' browser side: one dynamic content script per site whose host the user
// granted (from their click in options), and the "check against the open tab" run.
import { browser } from 'wxt/browser';
import type { LiaisonDb } from '@/lib/db/db';
import { originOf, type CustomSiteDef, type CustomSiteSelectors } from '@/lib/custom-sites/definition';
import type { CustomSitePorts } from '@/lib/custom-sites/handlers';
import type { CustomSiteCheck } from '@/lib/custom-sites/messages';
import { createCustomSiteCache } from '@/lib/custom-sites/store';

const SCRIPT_PREFIX = 'liaison-custom-';

async function sync(sites: CustomSiteDef[]): Promise<void> {
  const ours = (await browser.scripting.getRegisteredContentScripts()).map((s) => s.id).filter((id) => id.startsWith(SCRIPT_PREFIX));
  if (ours.length) await browser.scripting.unregisterContentScripts({ ids: ours });
  const granted: CustomSiteDef[] = [];
  for (const s of sites) {
    const origin = originOf(s.pattern);
    if (origin && (await browser.permissions.contains({ origins: [origin] }))) granted.push(s);
  }
  if (granted.length === 0) return;
  await browser.scripting.registerContentScripts(
    granted.map((s) => ({
      id: SCRIPT_PREFIX + s.id,
      matches: [s.pattern],
      js: ['content-scripts/custom-site.js'],
      runAt: 'document_idle' as const,
      persistAcrossSessions: true,
    })),
  );
}

/** Runs in the tab (serialized by executeScript): self-contained, no imports. */
function checkInPage(sel: CustomSiteSelectors): CustomSiteCheck {
  const errors: string[] = [];
  const all = (css: string | undefined, within: ParentNode = document): Element[] => {
    if (!css) return [];
    try {
      return [...within.querySelectorAll(css)];
    } catch {
      errors.push(`invalid selector: ${css}`);
      return [];
    }
  };
  const text = (el: Element | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
  const list = sel.messageList ? all(sel.messageList)[0] : document;
  const rows = list ? all(sel.messageRow, list) : [];
  const counts: Record<string, number> = {};
  for (const [k, css] of Object.entries(sel)) if (css) counts[k] = all(css).length;
  return {
    url: location.href,
    counts,
    title: text(all(sel.title)[0]) || undefined,
    contact: text(all(sel.contact)[0]) || undefined,
    rows: rows.slice(-5).map((r) => ({
      text: text(sel.text ? all(sel.text, r)[0] : r),
      outgoing: !!sel.outgoing && (safeMatches(r, sel.outgoing) || all(sel.outgoing, r).length > 0),
    })),
    errors,
  };
  function safeMatches(el: Element, css: string) {
    try {
      return el.matches(css);
    } catch {
      return false;
    }
  }
}

export function customSitePorts(db: LiaisonDb): CustomSitePorts {
  const cache = createCustomSiteCache(db);
  return {
    cache,
    sync,
    async check(tabId, selectors) {
      const [first] = await browser.scripting.executeScript({ target: { tabId }, func: checkInPage as (...a: unknown[]) => unknown, args: [selectors] });
      return first?.result as CustomSiteCheck;
    },
  };
}
