// The sidebar on the bundled demo chat (served on loopback by `npm start` and the tests).
// Development build only: wxt.config.ts leaves this entrypoint and the loopback host permissions
// out of the store build (`npm run build`, `npm run zip`).
import { mountLiaison } from '@/lib/content/sidebar-host';
import { demoReader } from '@/lib/readers/sites/demo';

/** The demo chat says what it is; any other page on loopback (a dev server, a router's page) gets nothing. */
const isDemoChat = (doc: Document) => doc.querySelector('meta[name="application-name"]')?.getAttribute('content') === 'liaison-demo-chat';

export default defineContentScript({
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  runAt: 'document_idle',
  async main(ctx) {
    // Checked here, before anything is mounted or sent, as well as by the sidebar host.
    if (!isDemoChat(document)) return;
    await mountLiaison(ctx, demoReader, { isSitePage: isDemoChat });
  },
});
