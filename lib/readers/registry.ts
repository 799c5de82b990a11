// Every site reader, in one visible list (a meta-test checks each has its fixtures).
import { demoReader } from './sites/demo';
import { feishuReader } from './sites/feishu';
import { linkedinReader } from './sites/linkedin';
import { telegramAReader } from './sites/telegram-a';
import { telegramKReader } from './sites/telegram-k';
import { whatsappReader } from './sites/whatsapp';
import type { SiteReader } from './types';
import { matchesPattern } from './match-pattern';
import { siteIdForUrl } from './addresses';

export { matchesPattern };

export const readers: readonly SiteReader[] = [
  demoReader,
  whatsappReader,
  telegramKReader,
  telegramAReader,
  feishuReader,
  linkedinReader,
];

/**
 * The reader whose content script runs on this page: its chat pages, or for a single-page app
 * (spa) any page the script is injected on, since the browser reports the address the page was
 * loaded at, not the one the app has navigated to since (LinkedIn /feed → /messaging).
 */
export function readerForUrl(url: string): SiteReader | undefined {
  const id = siteIdForUrl(url);
  return id === undefined ? undefined : readers.find((r) => r.id === id);
}
