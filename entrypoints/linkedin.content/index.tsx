// The sidebar beside LinkedIn messaging.
import { mountLiaison } from '@/lib/content/sidebar-host';
import { linkedinReader } from '@/lib/readers/sites/linkedin';
import { matchesPattern } from '@/lib/readers/match-pattern';

// Injected on all of www.linkedin.com (in-app navigation reaches messaging without a page load);
// active only on the messaging pages.
export default defineContentScript({
  matches: [...(linkedinReader.spa?.injectOn ?? linkedinReader.matches)],
  runAt: 'document_idle',
  async main(ctx) {
    await mountLiaison(ctx, linkedinReader, {
      isSitePage: () => true,
      isActive: (url) => linkedinReader.matches.some((p) => matchesPattern(p, url)),
    });
  },
});
