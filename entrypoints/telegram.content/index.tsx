// The sidebar beside Telegram Web: K (/k/) and A (/a/) are different apps on one host, each
// with its own reader. Switching between them reloads the page, so the choice is made once.
import { mountLiaison } from '@/lib/content/sidebar-host';
import { telegramAReader } from '@/lib/readers/sites/telegram-a';
import { telegramKReader } from '@/lib/readers/sites/telegram-k';

export default defineContentScript({
  matches: [...telegramKReader.matches, ...telegramAReader.matches],
  runAt: 'document_idle',
  async main(ctx) {
    const reader = location.pathname.startsWith('/a/') ? telegramAReader : telegramKReader;
    await mountLiaison(ctx, reader, { isSitePage: () => true });
  },
});
