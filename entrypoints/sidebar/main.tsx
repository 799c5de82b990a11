// The sidebar beside a chat: an extension page the chat tab's content script frames. It runs in
// the extension's own origin and process, so nothing on the chat page (its scripts, an XSS, a
// third-party tag) can read it or click into it. It learns which conversation is open from the
// background, by its own tab, never from the page.
import '@/components/sidebar/sidebar.css';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { SidebarPage } from './app';

const root = document.getElementById('root');
if (root) {
  render(
    <SidebarPage
      uiLanguage={browser.i18n.getUILanguage()}
      openOptions={() => void browser.runtime.openOptionsPage()}
      copyText={(text) => navigator.clipboard.writeText(text)}
    />,
    root,
  );
}
