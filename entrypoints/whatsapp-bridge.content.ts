// WhatsApp Web's main world: the one place the page's own modules can be read. Hands the
// content script the open chat's address, a 1:1 contact's number and @lid, group yes/no and the
// id of one message row it checked against (lib/readers/sites/whatsapp-bridge.ts), as a JSON
// string on a DOM event. Nothing else crosses; nothing is sent anywhere; the page's state is
// only read (docs/whatsapp-identity.md).
import { BRIDGE_ASK_EVENT, BRIDGE_EVENT, paneRowIds, readOpenChat } from '@/lib/readers/sites/whatsapp-bridge';
import type { ModuleRequire } from '@/lib/readers/sites/whatsapp-bridge';

/** A switch is told within this long of the pane settling; bursts of mutations are coalesced. */
const SETTLE_MS = 60;
/** Safety net for changes no mutation shows (a number learned later for a @lid chat). */
const POLL_MS = 1500;

export default defineContentScript({
  matches: ['https://web.whatsapp.com/*'],
  world: 'MAIN',
  runAt: 'document_idle',
  main() {
    let last: string | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const say = (again: boolean) => {
      timer = undefined;
      const req = (window as unknown as { require?: unknown }).require;
      const result = readOpenChat(typeof req === 'function' ? (req as ModuleRequire) : undefined, paneRowIds(document));
      // #main and the page's model disagree for a moment during a switch: wait for them.
      if ('none' in result && result.none === 'pane') return;
      const detail = JSON.stringify('facts' in result ? result.facts : {});
      if (!again && detail === last) return;
      last = detail;
      document.dispatchEvent(new CustomEvent(BRIDGE_EVENT, { detail }));
    };
    const soon = () => {
      timer ??= setTimeout(() => say(false), SETTLE_MS);
    };

    document.addEventListener(BRIDGE_ASK_EVENT, () => say(true));
    new MutationObserver(soon).observe(document.documentElement, { childList: true, subtree: true });
    setInterval(() => say(false), POLL_MS);
    say(false);
  },
});
