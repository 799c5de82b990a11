// The sidebar on the bundled demo chat (served on loopback by `npm start` and the tests).
import '@/components/sidebar/sidebar.css';
import { mountLiaison } from '@/lib/content/sidebar-host';
import { demoReader } from '@/lib/readers/sites/demo';

export default defineContentScript({
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  cssInjectionMode: 'ui',
  runAt: 'document_idle',
  async main(ctx) {
    // Loopback pages other than the demo chat get nothing.
    await mountLiaison(ctx, demoReader, {
      isSitePage: (doc) => doc.querySelector('meta[name="application-name"]')?.getAttribute('content') === 'liaison-demo-chat',
    });
  },
});
