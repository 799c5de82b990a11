// User-defined sites, kept in the kv table, and the background's in-memory copy that the
// router's synchronous siteForUrl reads (loaded before any message is routed).
import type { LiaisonDb } from '../db/db';
import { matchesSiteOrigin, matchesSitePattern, parsePattern, siteIdOf, type CustomSiteDef } from './definition';
import { customSiteSchema, customSitesSchema } from './schema';

const KEY = 'customSites';

export async function loadCustomSites(db: LiaisonDb): Promise<CustomSiteDef[]> {
  const stored = (await db.kv.get(KEY))?.value;
  if (!Array.isArray(stored)) return [];
  // Version-1 definitions are read as version 2; one that no longer validates is ignored rather
  // than trusted (and does not take the others with it).
  return stored.slice(0, 50).flatMap((s) => {
    const parsed = customSiteSchema.safeParse(s);
    return parsed.success ? [parsed.data] : [];
  });
}

export async function saveCustomSites(db: LiaisonDb, sites: CustomSiteDef[]): Promise<void> {
  await db.kv.put({ key: KEY, value: customSitesSchema.parse(sites) });
}

export interface CustomSiteCache {
  ready(): Promise<void>;
  reload(): Promise<CustomSiteDef[]>;
  /** The custom site whose full pattern (port and path included) covers a page URL: its site id. */
  siteFor(url: string): string | undefined;
  /**
   * A custom site whose origin (scheme, host, port) covers the URL: its script is injected on the
   * whole origin, and a single-page console may have navigated away from the address it was
   * loaded at. The router asks this after the built-in readers, which keep their own pages.
   */
  siteForOrigin(url: string): string | undefined;
  byId(siteId: string): CustomSiteDef | undefined;
}

export function createCustomSiteCache(db: LiaisonDb): CustomSiteCache {
  let sites: CustomSiteDef[] = [];
  const reload = async () => {
    sites = await loadCustomSites(db);
    return sites;
  };
  const first = reload().catch(() => []);
  return {
    ready: () => first.then(() => undefined),
    reload,
    siteFor: (url) => {
      const s = sites.find((d) => matchesSitePattern(d.pattern, url));
      return s ? siteIdOf(s) : undefined;
    },
    siteForOrigin: (url) => {
      const all = sites.filter((d) => matchesSiteOrigin(d.pattern, url));
      // One port named beats any port.
      const s = all.find((d) => typeof parsePattern(d.pattern)?.port === 'number') ?? all[0];
      return s ? siteIdOf(s) : undefined;
    },
    byId: (siteId) => sites.find((d) => siteIdOf(d) === siteId),
  };
}
