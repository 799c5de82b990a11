// Message handlers for user-defined sites. The browser parts (registering content scripts,
// finding the user's tab of a site and running the test read or the picker in it) come in as
// ports from the background entrypoint.
import type { LiaisonDb } from '../db/db';
import type { Handler } from '../messaging/router';
import { MessageError } from '../messaging/router';
import type { CustomSiteDef } from './definition';
import type { PickRequest, PickResult } from './picker';
import { loadCustomSites, saveCustomSites, type CustomSiteCache } from './store';
import type { TestReadResult } from './test-read';

export interface CustomSitePorts {
  cache: CustomSiteCache;
  /** Register a content script for each site whose host is granted; drop the others. */
  sync(sites: CustomSiteDef[]): Promise<void>;
  /** The user's most recently used tab whose address the site's full pattern matches. */
  findTab(site: CustomSiteDef): Promise<number | undefined>;
  /** Whether the site's host is granted (it is once the site was saved from the user's click). */
  granted(site: CustomSiteDef): Promise<boolean>;
  testRead(tabId: number, site: CustomSiteDef): Promise<TestReadResult>;
  pick(tabId: number, req: PickRequest): Promise<PickResult>;
}

type Types = 'customSite.list' | 'customSite.save' | 'customSite.remove' | 'customSite.forPage' | 'customSite.testRead' | 'customSite.pick';

const noTab = (site: CustomSiteDef) =>
  new MessageError('not-found', `请先在一个标签页打开 ${site.pattern} 的页面 / open a page of ${site.pattern} in a tab first`);

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
  /** A page the browser would not let us script (the host withdrawn meanwhile, a crashed tab). */
  const inTab = async <R>(fn: () => Promise<R>): Promise<R> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof MessageError) throw err;
      throw new MessageError('forbidden', `无法读取此页面 / cannot read this page: ${err instanceof Error ? err.message : String(err)}`);
    }
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
    async 'customSite.testRead'({ site }) {
      const p = ports();
      if (!(await p.granted(site))) throw new MessageError('forbidden', `未获得 ${site.pattern} 的访问权限 / access to ${site.pattern} was not granted`);
      const tabId = await p.findTab(site);
      if (tabId === undefined) throw noTab(site);
      return inTab(() => p.testRead(tabId, site));
    },
    async 'customSite.pick'({ id, field, rowCss }) {
      const p = ports();
      const site = (await loadCustomSites(db)).find((s) => s.id === id);
      if (!site) throw new MessageError('not-found', '请先保存这个网站，再在页面上选取 / save the site first, then pick on its page');
      if (!(await p.granted(site))) throw new MessageError('forbidden', `未获得 ${site.pattern} 的访问权限，请重新保存 / access to ${site.pattern} was not granted: save the site again`);
      const tabId = await p.findTab(site);
      if (tabId === undefined) throw noTab(site);
      return inTab(() => p.pick(tabId, { field, ...(rowCss?.trim() ? { rowCss: rowCss.trim() } : {}) }));
    },
  };
}
