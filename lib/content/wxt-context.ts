// WXT's content-script context (wxt/utils/content-script-context, 0.20.27) without its "a newer
// copy of this script started" window message. WXT posts that message to the page at every start
// and ends any running copy that receives one; the message's type names the extension's id. So
// any script on a chat page could learn that Liaison is installed (and its id) by listening, and
// switch it off by posting the message back (wxt-dev/wxt#1752 and #1359 describe both sides).
// wxt.config.ts points the content-script entrypoint's import at this module. Liaison ends a
// content script when the extension itself is gone instead (lib/content/lifetime.ts).
import { ContentScriptContext as WxtContentScriptContext } from 'wxt-original/content-script-context';

export class ContentScriptContext extends WxtContentScriptContext {
  /** Posts nothing to the page. */
  override stopOldScripts(): void {}
  /** Listens to nothing the page can send. */
  override listenForNewerScripts(): void {}
}
