// Where each site reader runs: its chat pages (`matches`) and, for a single-page app, the pages its
// script is injected on (`spa.injectOn`). Data only, apart from the readers themselves, so that the
// service worker's start can tell which site a message came from without loading any reader
// (lib/background-start/boundary.ts); each reader in ./sites takes its addresses from here.
import { matchesPattern } from './match-pattern';

export interface SiteAddresses {
  readonly matches: readonly string[];
  readonly spa?: { readonly injectOn: readonly string[] };
}

/** In the order of the readers' registry (./registry.ts): the first that matches a page is its site. */
export const SITE_ADDRESSES = [
  // Match patterns ignore the port, so these cover the demo on any local port.
  ['demo', { matches: ['http://127.0.0.1/*', 'http://localhost/*'] }],
  ['whatsapp', { matches: ['https://web.whatsapp.com/*'] }],
  ['telegram-k', { matches: ['https://web.telegram.org/k/*'] }],
  ['telegram-a', { matches: ['https://web.telegram.org/a/*'] }],
  [
    'feishu',
    {
      matches: ['https://*.feishu.cn/messenger/*', 'https://*.feishu.cn/next/messenger/*', 'https://*.larksuite.com/messenger/*', 'https://*.larksuite.com/next/messenger/*'],
    },
  ],
  ['linkedin', { matches: ['https://www.linkedin.com/messaging/*'], spa: { injectOn: ['https://www.linkedin.com/*'] } }],
] as const satisfies readonly (readonly [string, SiteAddresses])[];

export type SiteId = (typeof SITE_ADDRESSES)[number][0];

/** A site's addresses, for its reader. */
export function addressesOf(id: SiteId): SiteAddresses {
  const found = SITE_ADDRESSES.find(([i]) => i === id);
  if (!found) throw new Error(`no addresses for site ${id}`);
  return found[1];
}

/**
 * The site whose reader's script runs on this page: its chat pages, or for a single-page app any
 * page the script is injected on, since the browser reports the address the page was loaded at,
 * not the one the app has navigated to since (LinkedIn /feed → /messaging).
 */
export function siteIdForUrl(url: string): SiteId | undefined {
  for (const [id, a] of SITE_ADDRESSES) {
    const spa: readonly string[] = 'spa' in a ? a.spa.injectOn : [];
    if ([...a.matches, ...spa].some((p) => matchesPattern(p, url))) return id;
  }
  return undefined;
}
