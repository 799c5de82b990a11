// The frame the sidebar lives in: an extension page (sidebar.html) framed at the right edge of
// the chat page. The page's scripts see only a host element with a closed shadow root; the
// frame's document is in the extension's origin (and, in Chromium, its own process), so the
// customer data shown there is out of the page's reach.
import { COLLAPSED_WIDTH, SIDEBAR_WIDTH } from './dock';

const STYLE = `
:host { all: initial; }
iframe {
  position: fixed; top: 0; right: 0; z-index: 2147483646;
  height: 100vh; border: 0; margin: 0; padding: 0;
  background: transparent; color-scheme: normal;
  box-shadow: -1px 0 0 rgba(31, 35, 41, 0.12);
}`;

export interface SidebarFrame {
  /** Put the frame on the page (again, if the page removed it). */
  mount(): void;
  unmount(): void;
  setCollapsed(collapsed: boolean): void;
  readonly mounted: boolean;
}

/** `src` is the sidebar page's address (browser.runtime.getURL, the dynamic one where the browser has it). */
export function createSidebarFrame(doc: Document, src: string): SidebarFrame {
  const host = doc.createElement('liaison-sidebar');
  // Closed: the page's scripts cannot reach the frame element, so they cannot read its address
  // (the extension's per-session dynamic id, which would identify the user's browser) nor move
  // or restyle it; a frame in a shadow tree is not in window.frames either, so the page cannot
  // navigate it. What the frame shows is another origin's either way.
  const root = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = STYLE;
  const frame = doc.createElement('iframe');
  frame.setAttribute('title', 'Liaison 联络');
  frame.setAttribute('allow', 'clipboard-write');
  frame.style.width = `${SIDEBAR_WIDTH}px`;
  root.append(style, frame);
  let mounted = false;
  return {
    get mounted() {
      return mounted;
    },
    mount() {
      mounted = true;
      if (host.isConnected) return;
      // On <html>, not <body>: single-page apps replace the body's children.
      doc.documentElement.append(host);
      // Set after insertion, so the frame loads once.
      if (!frame.getAttribute('src')) frame.setAttribute('src', src);
    },
    unmount() {
      mounted = false;
      host.remove();
      frame.removeAttribute('src');
    },
    setCollapsed(collapsed) {
      frame.style.width = `${collapsed ? COLLAPSED_WIDTH : SIDEBAR_WIDTH}px`;
    },
  };
}
