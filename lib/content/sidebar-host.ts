// One content script per site calls mountLiaison(ctx, reader). It runs the site reader, reports
// what the page shows (the conversation, its own site's health) to the background, and holds
// the frame the sidebar page lives in, docked on the right. It never receives customer data:
// the sidebar page asks the background by its tab. Everything is torn down when the extension
// that injected it is gone.
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { Conversation, ReaderHealth } from '../model';
import { send } from '../messaging/client';
import type { ContentEvent } from '../messaging/protocol';
import { startReader, type RunningReader } from '../readers/runtime';
import type { SiteReader } from '../readers/types';
import { createDock } from './dock';
import { createSidebarFrame } from './sidebar-frame';
import { scriptLifetime } from './lifetime';

export interface MountOptions {
  /**
   * Is this page the site at all? The real chat hosts are matched by host, so always yes; the
   * demo's match patterns cover every loopback page, so it checks the page identifies itself.
   * A recognised page that cannot be read gets the sidebar with the "can't read" banner.
   */
  isSitePage(doc: Document): boolean;
  /**
   * For a chat inside a single-page app (SiteReader.spa): is this address the chat? The reader
   * runs and the sidebar shows only while it is; in-app navigation starts and stops them.
   */
  isActive?(url: string): boolean;
  /** Facts the page's own code hands over (WhatsApp's main-world bridge), read at each read. */
  pageFacts?: () => Readonly<Record<string, string>> | undefined;
  /** Each reading session's reader, to poke when something outside the DOM changes (page facts). */
  onReader?(reader: RunningReader, signal: AbortSignal): void;
}

/** How long a recognised page may stay unreadable before the sidebar says so. */
const UNREADABLE_GRACE_MS = 3000;
/** How long a read page may stay unreadable (a pane mid-render) before the sidebar says so. */
const UNREADABLE_SETTLE_MS = 1500;
/** How often to check that the frame is still on the page and the SPA's address. */
const CHECK_MS = 400;

/** A snapshot is worth reporting when the thread, its newest message or the read's health changed. */
function fingerprint(c: Conversation, h: ReaderHealth): string {
  const last = c.messages[c.messages.length - 1];
  return `${c.site}|${c.threadKey}|${c.weakKey ? 'weak' : ''}|${c.messages.length}|${last?.id ?? ''}|${last?.text.length ?? 0}|${c.contact.displayName}|${h.ok}`;
}

export async function mountLiaison(ctx: ContentScriptContext, reader: SiteReader, opts: MountOptions): Promise<void> {
  // WXT ends its context when the page posts a forged "newer script started" message; Liaison
  // ends only when the extension itself is gone (lifetime.ts).
  const life = scriptLifetime(ctx);
  const signal = life.signal;
  const dock = createDock(document, reader);
  const frame = createSidebarFrame(document, browser.runtime.getURL('/sidebar.html'));
  let collapsed = false;
  const mount = () => {
    if (signal.aborted) return;
    frame.mount();
    frame.setCollapsed(collapsed);
    dock.apply(collapsed);
  };
  const unmount = () => {
    frame.unmount();
    dock.release();
  };
  signal.addEventListener('abort', unmount, { once: true });

  let lastReported = '';
  let readerRef: RunningReader | undefined;
  // A chat switch is read at once, which can catch the new pane mid-render: a page is only
  // declared unreadable when it stays so for a moment (no banner flashing on every switch).
  let unreadableTimer: ReturnType<typeof setTimeout> | undefined;
  const settle = () => {
    if (unreadableTimer !== undefined) clearTimeout(unreadableTimer);
    unreadableTimer = undefined;
  };
  signal.addEventListener('abort', settle, { once: true });

  const report = (conversation: Conversation, health: ReaderHealth) => {
    const fp = fingerprint(conversation, health);
    if (fp === lastReported) return;
    lastReported = fp;
    // Let the next snapshot report it again if this one did not arrive.
    send('conversation.observed', { conversation, health }).catch(() => (lastReported = ''));
  };
  /** The page shows no conversation it can read (or none is open): the sidebar says which. */
  const reportHealth = (health: ReaderHealth) => {
    lastReported = '';
    void send('health.report', { health }).catch(() => undefined);
  };

  /** One reading session: the whole life of the script, or one visit to the chat route of an SPA. */
  const startSession = (session: AbortSignal) => {
    const reader$ = startReader(reader, {
      doc: document,
      signal: session,
      ...(opts.pageFacts ? { pageFacts: opts.pageFacts } : {}),
      onSnapshot({ conversation, health }) {
        if (conversation) {
          settle();
          mount();
          report(conversation, health);
          return;
        }
        // The app is there but no chat is open (WhatsApp's start screen): nothing to read, and
        // nothing wrong either. Only a page whose app we cannot recognise gets the banner.
        const idle = health.fields.root != null && health.fields.pane == null;
        settle();
        if (idle) reportHealth({ ...health, ok: true, missing: [], issues: [] });
        else unreadableTimer = setTimeout(() => reportHealth(health), UNREADABLE_SETTLE_MS);
      },
    });
    readerRef = reader$;
    opts.onReader?.(reader$, session);
    const grace = setTimeout(() => {
      if (!session.aborted && opts.isSitePage(document)) mount();
    }, UNREADABLE_GRACE_MS);
    session.addEventListener('abort', () => clearTimeout(grace), { once: true });
  };

  let spaSession: AbortController | undefined;
  const follow = () => {
    if (signal.aborted || !opts.isActive) return;
    const active = opts.isActive(location.href);
    if (active && !spaSession) {
      spaSession = new AbortController();
      startSession(AbortSignal.any([signal, spaSession.signal]));
    } else if (!active && spaSession) {
      spaSession.abort();
      spaSession = undefined;
      settle();
      readerRef = undefined;
      lastReported = '';
      unmount();
    }
  };
  if (!opts.isActive) startSession(signal);
  else follow();

  // The page may remove the frame (a single-page app re-rendering <html>), and an SPA navigates
  // with history.pushState, which fires nothing a content script sees: check both now and then.
  let lastHref = location.href;
  const timer = setInterval(() => {
    if (frame.mounted) frame.mount();
    if (location.href !== lastHref) {
      lastHref = location.href;
      follow();
    }
  }, CHECK_MS);
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  window.addEventListener('popstate', follow, { signal });

  // Word from the background: the sidebar was collapsed or expanded; report again (a restarted
  // worker forgot this tab). (复制页面结构 is a script the background injects on demand:
  // entrypoints/page-skeleton.ts.)
  const onMessage = (message: unknown): undefined => {
    const m = message as Partial<ContentEvent>;
    if (m?.liaison !== 1) return undefined;
    if (m.event === 'sidebar.layout' && typeof m.collapsed === 'boolean') {
      collapsed = m.collapsed;
      if (frame.mounted) mount();
    } else if (m.event === 'reader.reobserve') {
      lastReported = '';
      readerRef?.readNow();
    }
    return undefined;
  };
  browser.runtime.onMessage.addListener(onMessage);
  signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(onMessage), { once: true });
}
