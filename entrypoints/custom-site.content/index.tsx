// The sidebar on a site the user defined in options (自定义网站). Not in the manifest: the
// background registers it with chrome.scripting.registerContentScripts for each site's own
// pattern once the user granted that host. The page's definition (selectors as data) comes from
// the background, which found it by this page's URL; the generic reader runs it.
import sidebarCss from '@/components/sidebar/sidebar.css?inline';
import { mountLiaison } from '@/lib/content/sidebar-host';
import { send } from '@/lib/messaging/client';
import { customSiteReader } from '@/lib/custom-sites/reader';

export default defineContentScript({
  registration: 'runtime',
  matches: [],
  // The CSS goes into the shadow root as text: a runtime-registered site's host is unknown at
  // build time, so no web-accessible CSS file is exposed for it.
  cssInjectionMode: 'manual',
  runAt: 'document_idle',
  async main(ctx) {
    const { site } = await send('customSite.forPage', {});
    if (!site) return;
    await mountLiaison(ctx, customSiteReader(site), { isSitePage: () => true, css: sidebarCss });
  },
});
