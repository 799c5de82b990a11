// The sidebar beside WhatsApp Web. The open chat's address comes from the page's own modules
// through the main-world bridge (entrypoints/whatsapp-bridge.content.ts); the reader uses it as
// ctx.facts and falls back to a weak, title-only key while the bridge has not answered.
import { scriptLifetime } from '@/lib/content/lifetime';
import { mountLiaison } from '@/lib/content/sidebar-host';
import { whatsappReader } from '@/lib/readers/sites/whatsapp';
import { BRIDGE_ASK_EVENT, BRIDGE_EVENT, parseBridgeDetail } from '@/lib/readers/sites/whatsapp-bridge';

export default defineContentScript({
  matches: [...whatsappReader.matches],
  runAt: 'document_idle',
  async main(ctx) {
    let facts: Readonly<Record<string, string>> = Object.freeze({});
    let seen = '{}';
    const pokes = new Set<() => void>();
    // Only the checked shape is kept (parseBridgeDetail): the page could fire this event too, and
    // it is trusted no more than the DOM it already controls.
    document.addEventListener(
      BRIDGE_EVENT,
      (e) => {
        const parsed = parseBridgeDetail((e as CustomEvent<unknown>).detail);
        if (!parsed) return;
        const json = JSON.stringify(parsed);
        if (json === seen) return;
        seen = json;
        facts = Object.freeze({ ...parsed });
        for (const poke of pokes) poke();
      },
      // As long as the sidebar's reader: a page's forged "newer script" message must not end it.
      { signal: scriptLifetime(ctx).signal },
    );

    // The bridge may have spoken before this script listened: ask it to say it again, before the
    // first read (it answers at once, inside this dispatch).
    document.dispatchEvent(new CustomEvent(BRIDGE_ASK_EVENT));

    await mountLiaison(ctx, whatsappReader, {
      // Matched by host: every page here is the chat (an unreadable one gets the health banner).
      isSitePage: () => true,
      pageFacts: () => facts,
      onReader(reader, signal) {
        const poke = () => reader.poke();
        pokes.add(poke);
        signal.addEventListener('abort', () => pokes.delete(poke), { once: true });
      },
    });
  },
});
