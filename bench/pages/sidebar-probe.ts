// Runs in the demo chat's main world (the sidebar's shadow root is open, so the page can watch
// it): switch with window.demoChat.open and time, with performance.now and a MutationObserver
// on the shadow root, until the sidebar shows the expected customer code (or, for a contact
// with no customer, the unknown-contact card with the contact's name and no code).
// Exposed as window.__sidebarBench for bench/sidebar.ts.

export interface Expected {
  code?: string;
  name?: string;
}

export interface SwitchTiming {
  /** open() returned (the page rendered the new chat) → the sidebar shows the right state. */
  ms: number;
  /** The page's own switch (demoChat.open), not Liaison's. */
  openMs: number;
}

function shows(root: ShadowRoot, e: Expected): boolean {
  const code = root.querySelector('[data-testid="customer-code"]')?.textContent?.trim();
  if (e.code) return code === e.code;
  return code === undefined && root.querySelector('[data-testid="identity-name"]')?.textContent?.trim() === e.name;
}

function switchTo(threadId: string, expected: Expected, timeoutMs: number): Promise<SwitchTiming> {
  const host = document.querySelector('liaison-sidebar');
  const root = host?.shadowRoot;
  if (!root) return Promise.reject(new Error('no sidebar shadow root'));
  const demo = (window as unknown as { demoChat: { open(id: string): boolean } }).demoChat;
  return new Promise((resolve, reject) => {
    let tOpen = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const t = performance.now();
      mo.disconnect();
      clearTimeout(timer);
      resolve({ ms: t - tOpen, openMs });
    };
    const mo = new MutationObserver(() => {
      if (tOpen && shows(root, expected)) finish();
    });
    mo.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
    const timer = setTimeout(() => {
      mo.disconnect();
      reject(new Error(`sidebar did not show ${JSON.stringify(expected)} for ${threadId} within ${timeoutMs} ms`));
    }, timeoutMs);
    const t0 = performance.now();
    if (!demo.open(threadId)) reject(new Error(`no thread ${threadId}`));
    tOpen = performance.now();
    const openMs = tOpen - t0;
    // Already right (only possible if the previous chat showed the same state): count it as 0.
    if (shows(root, expected)) finish();
  });
}

(window as unknown as { __sidebarBench: unknown }).__sidebarBench = { switchTo };
