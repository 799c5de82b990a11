// Message handlers for user-defined sites. The browser parts (registering content scripts,
// running a check on a tab) come in as ports from the background entrypoint.
import type { LiaisonDb } from '../db/db';
import type { Handler } from '../messaging/router';
import { MessageError } from '../messaging/router';
import type { CustomSiteDef, CustomSiteSelectors } from './definition';
import type { CustomSiteCheck } from './messages';
import { loadCustomSites, saveCustomSites, type CustomSiteCache } from './store';

export interface CustomSitePorts {
  cache: CustomSiteCache;
  /** Register a content script for each site whose host is granted; drop the others. */
  sync(sites: CustomSiteDef[]): Promise<void>;
  check(tabId: number, selectors: CustomSiteSelectors): Promise<CustomSiteCheck>;
}

type Types = 'customSite.list' | 'customSite.save' | 'customSite.remove' | 'customSite.forPage' | 'customSite.check';

export function createCustomSiteHandlers(deps: { db: LiaisonDb; customSites?: CustomSitePorts }): { [T in Types]: Handler<T> } {
  const { db } = deps;
  const ports = () => {
    if (!deps.customSites) throw new MessageError('invalid', 'custom sites are not available here');
    return deps.customSites;
  };
  const apply = async (sites: CustomSiteDef[]) => {
    await saveCustomSites(db, sites);
    const p = ports();
    await p.cache.reload();
    await p.sync(sites);
    return { sites };
  };
  return {
    async 'customSite.list'() {
      return { sites: await loadCustomSites(db) };
    },
    async 'customSite.save'({ site }) {
      const sites = (await loadCustomSites(db)).filter((s) => s.id !== site.id);
      return apply([...sites, site]);
    },
    async 'customSite.remove'({ id }) {
      return apply((await loadCustomSites(db)).filter((s) => s.id !== id));
    },
    async 'customSite.forPage'(_, ctx) {
      return { site: (ctx.site && deps.customSites?.cache.byId(ctx.site)) || null };
    },
    async 'customSite.check'({ tabId, selectors }) {
      try {
        return await ports().check(tabId, selectors);
      } catch (err) {
        if (err instanceof MessageError) throw err;
        throw new MessageError('forbidden', `无法读取此页面 / cannot read this page: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}
