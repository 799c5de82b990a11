// The sidebar beside LinkedIn messaging.
import '@/components/sidebar/sidebar.css';
import { mountLiaison } from '@/lib/content/sidebar-host';
import { linkedinReader } from '@/lib/readers/sites/linkedin';

export default defineContentScript({
  matches: [...linkedinReader.matches],
  cssInjectionMode: 'ui',
  runAt: 'document_idle',
  async main(ctx) {
    await mountLiaison(ctx, linkedinReader, { isSitePage: () => true });
  },
});
