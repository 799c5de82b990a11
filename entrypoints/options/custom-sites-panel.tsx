// 自定义网站 in options: the browser side of CustomSitesSection (host permission from the click,
// the tab to check, the background messages).
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { CustomSitesSection } from '@/components/options/CustomSitesSection';
import { originOf, type CustomSiteDef } from '@/lib/custom-sites/definition';
import { send } from '@/lib/messaging/client';
import { matchesPattern } from '@/lib/readers/registry';

/** Only the pattern's own host, asked from the user's click (before any other await). */
async function grant(pattern: string, zh: boolean): Promise<void> {
  const origin = originOf(pattern);
  if (!origin) throw new Error(zh ? '网址规则无效，例如 https://chat.example.com/*' : 'Invalid URL pattern, e.g. https://chat.example.com/*');
  if (!(await browser.permissions.request({ origins: [origin] }))) throw new Error(zh ? `未获得 ${origin} 的访问权限` : `Access to ${origin} was not granted`);
}

export function CustomSitesPanel({ locale, onDownload }: { locale: string; onDownload(filename: string, json: string): void }) {
  const [sites, setSites] = useState<CustomSiteDef[]>([]);
  const zh = locale === 'zh_CN';
  useEffect(() => {
    void send('customSite.list', {}).then((r) => setSites(r.sites));
  }, []);
  return (
    <CustomSitesSection
      locale={locale}
      sites={sites}
      onDownload={onDownload}
      actions={{
        async save(site) {
          await grant(site.pattern, zh);
          setSites((await send('customSite.save', { site })).sites);
        },
        async remove(id) {
          setSites((await send('customSite.remove', { id })).sites);
        },
        async check(pattern, selectors) {
          await grant(pattern, zh);
          const tab = (await browser.tabs.query({})).find((t) => t.url && matchesPattern(pattern, t.url));
          if (tab?.id === undefined) throw new Error(zh ? '请先在另一个标签页打开这个网站' : 'Open the site in another tab first');
          return send('customSite.check', { tabId: tab.id, selectors });
        },
      }}
    />
  );
}
