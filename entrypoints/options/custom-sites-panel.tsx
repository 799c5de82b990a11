// 自定义网站 in options: the browser side of CustomSitesSection (the host permission from the
// click, the background messages for saving, the test read and the element picker).
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { CustomSitesSection } from '@/components/options/CustomSitesSection';
import { browserPatternsOf, type CustomSiteDef } from '@/lib/custom-sites/definition';
import { send } from '@/lib/messaging/client';

/** Only the pattern's own host (and port, where the browser can say so), asked from the user's click (before any other await). */
async function grant(pattern: string, zh: boolean): Promise<void> {
  const origin = browserPatternsOf(pattern, { portsInPatterns: !import.meta.env.FIREFOX })?.origin;
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
        async testRead(site) {
          await grant(site.pattern, zh);
          return send('customSite.testRead', { site });
        },
        pick: (id, field, rowCss) => send('customSite.pick', { id, field, ...(rowCss ? { rowCss } : {}) }),
      }}
    />
  );
}
