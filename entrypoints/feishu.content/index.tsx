// The sidebar beside the Feishu / Lark web messenger.
import { mountLiaison } from '@/lib/content/sidebar-host';
import { feishuReader } from '@/lib/readers/sites/feishu';

export default defineContentScript({
  matches: [...feishuReader.matches],
  runAt: 'document_idle',
  async main(ctx) {
    await mountLiaison(ctx, feishuReader, { isSitePage: () => true });
  },
});
