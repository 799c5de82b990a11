// User-defined sites, kept in the kv table, and the background's in-memory copy that the
// router's synchronous siteForUrl reads (loaded before any message is routed).
import type { LiaisonDb } from '../db/db';
import { matchesPattern } from '../readers/registry';
import { siteIdOf, type CustomSiteDef } from './definition';
import { customSitesSchema } from './schema';

const KEY = 'customSites';

export async function loadCustomSites(db: LiaisonDb): Promise<CustomSiteDef[]> {
  const parsed = customSitesSchema.safeParse((await db.kv.get(KEY))?.value ?? []);
  // A stored list that no longer validates is ignored rather than trusted.
  return parsed.success ? parsed.data : [];
}

export async function saveCustomSites(db: LiaisonDb, sites: CustomSiteDef[]): Promise<void> {
  await db.kv.put({ key: KEY, value: customSitesSchema.parse(sites) });
}

export interface CustomSiteCache {
  ready(): Promise<void>;
  reload(): Promise<CustomSiteDef[]>;
  /** The custom site covering a page URL (its site id), validated against the stored definitions. */
  siteFor(url: string): string | undefined;
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
      const s = sites.find((d) => matchesPattern(d.pattern, url));
      return s ? siteIdOf(s) : undefined;
    },
    byId: (siteId) => sites.find((d) => siteIdOf(d) === siteId),
  };
}
