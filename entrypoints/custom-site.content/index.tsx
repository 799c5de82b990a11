// The sidebar on a site the user defined in options (自定义网站). Not in the manifest: the
// background registers it with chrome.scripting.registerContentScripts on each granted site's
// origin (the widest match pattern the browser can express; see browserPatternsOf). The page's
// definition (data, never code) comes from the background, which found it by this page's URL; the
// generic reader runs it only while the user's full pattern, port and path included, matches
// location.href (a single-page console may navigate in and out of its chat).
import { mountLiaison } from '@/lib/content/sidebar-host';
import { send } from '@/lib/messaging/client';
import { customSiteReader, isSitePage } from '@/lib/custom-sites/reader';

export default defineContentScript({
  registration: 'runtime',
  matches: [],
  runAt: 'document_idle',
  async main(ctx) {
    const { site } = await send('customSite.forPage', {});
    if (!site) return;
    await mountLiaison(ctx, customSiteReader(site), {
      isSitePage: () => isSitePage(site, location.href),
      isActive: (url) => isSitePage(site, url),
    });
  },
});
