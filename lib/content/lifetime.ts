// How long a content script lives: until the extension that injected it is reloaded, updated or
// removed. WXT's context also ends when the page posts a "newer copy of this script started"
// window message, which any page script can forge (wxt ContentScriptContext.listenForNewerScripts,
// 0.20.9 to 0.20.27): that alone would let a chat page switch Liaison off. So its end counts only when the
// extension is really gone (browser.runtime.id is undefined in an orphaned script).
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';

const CHECK_MS = 2000;

export function extensionAlive(): boolean {
  try {
    return !!browser.runtime?.id;
  } catch {
    return false;
  }
}

export function scriptLifetime(ctx: Pick<ContentScriptContext, 'onInvalidated'>, alive: () => boolean = extensionAlive): { signal: AbortSignal } {
  const ac = new AbortController();
  const check = () => {
    if (!ac.signal.aborted && !alive()) ac.abort();
  };
  ctx.onInvalidated(check);
  const timer = setInterval(check, CHECK_MS);
  ac.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  return { signal: ac.signal };
}
