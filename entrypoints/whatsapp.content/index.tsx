// The sidebar beside WhatsApp Web.
import '@/components/sidebar/sidebar.css';
import { mountLiaison } from '@/lib/content/sidebar-host';
import { whatsappReader } from '@/lib/readers/sites/whatsapp';

export default defineContentScript({
  matches: [...whatsappReader.matches],
  cssInjectionMode: 'ui',
  runAt: 'document_idle',
  async main(ctx) {
    // Matched by host: every page here is the chat (an unreadable one gets the health banner).
    await mountLiaison(ctx, whatsappReader, { isSitePage: () => true });
  },
});
