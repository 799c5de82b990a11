// One content script per site calls mountLiaison(ctx, reader). It runs the site reader,
// reports conversations to the background, mounts the sidebar in a shadow root docked on the
// right, and tears everything down through WXT's ctx when the script is invalidated.
import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import type { Conversation } from '../model';
import { onChanged, send } from '../messaging/client';
import { startReader } from '../readers/runtime';
import type { RunningReader } from '../readers/runtime';
import type { SiteReader } from '../readers/types';
import { SidebarApp } from './sidebar-app';
import { createSidebarStore } from './sidebar-store';
import { createDock } from './dock';

export interface MountOptions {
  /**
   * Is this page the site at all? The real chat hosts are matched by host, so always yes; the
   * demo's match patterns cover every loopback page, so it checks the page identifies itself.
   * A recognised page that cannot be read gets the sidebar with the "can't read" banner.
   */
  isSitePage(doc: Document): boolean;
  /** The sidebar's CSS, for a script registered at runtime (its CSS file is not web-accessible). */
  css?: string;
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

/** A snapshot is worth reporting when the thread or its newest message changed. */
function fingerprint(c: Conversation): string {
  const last = c.messages[c.messages.length - 1];
  return `${c.site}|${c.threadKey}|${c.messages.length}|${last?.id ?? ''}|${c.contact.displayName}`;
}

export async function mountLiaison(ctx: ContentScriptContext, reader: SiteReader, opts: MountOptions): Promise<void> {
  const store = createSidebarStore({ conv: null, view: null, health: null, collapsed: false, error: null });
  const dock = createDock(document, reader);
  ctx.onInvalidated(() => dock.release());

  let mounted = false;
  const ui = await createShadowRootUi(ctx, {
    name: 'liaison-sidebar',
    ...(opts.css ? { css: opts.css } : {}),
    position: 'inline',
    anchor: 'body',
    append: 'last',
    onMount(container) {
      render(
        <SidebarApp
          store={store}
          uiLanguage={browser.i18n.getUILanguage()}
          openOptions={() => void send('options.open', {}).catch((err: Error) => store.set({ error: err.message }))}
          onCollapse={(collapsed) => dock.apply(collapsed)}
          reobserve={() => reobserve()}
        />,
        container,
      );
      // Handed back to onRemove, so Preact unmounts before WXT empties the container (a stale
      // tree would make the next mount, after an SPA comes back to the chat, render nothing).
      return container;
    },
    onRemove(container) {
      if (container) render(null, container);
    },
  });
  const mount = () => {
    if (mounted || ctx.isInvalid) return;
    mounted = true;
    ui.mount();
    dock.apply(store.get().collapsed);
  };
  ctx.onInvalidated(() => ui.remove());

  let lastReported = '';
  let readerRef: { readNow(): void } | undefined;
  /**
   * Report the open conversation again even though it did not change: after a create or link the
   * background can now understand it for a known customer (suggestions for what was said before).
   */
  const reobserve = () => {
    lastReported = '';
    readerRef?.readNow();
  };
  // A chat switch is read at once, which can catch the new pane mid-render: a page is only
  // declared unreadable when it stays so for a moment (no banner flashing on every switch).
  let unreadableTimer: number | undefined;
  const settle = () => {
    if (unreadableTimer !== undefined) clearTimeout(unreadableTimer);
    unreadableTimer = undefined;
  };
  /** One reading session: the whole life of the script, or one visit to the chat route of an SPA. */
  const startSession = (signal: AbortSignal) => {
    const reader$ = startReader(reader, {
      doc: document,
      signal,
      ...(opts.pageFacts ? { pageFacts: opts.pageFacts } : {}),
      onSnapshot({ conversation, health, epoch }) {
        // The app is there but no chat is open (WhatsApp's start screen): nothing to read, and
        // nothing wrong either. Only a page whose app we cannot recognise gets the banner.
        const idle = !conversation && health.fields.root != null && health.fields.pane == null;
        if (!conversation) {
          // Nothing is logged from a half-read page: no conversation, no view.
          const clear = () => {
            store.set({ health: idle ? { ...health, ok: true, missing: [], issues: [] } : health, conv: null, view: null });
            lastReported = '';
            // The options page's site status learns the page could not be read (health only, no page content).
            if (!idle) void send('health.report', { health }).catch(() => undefined);
          };
          if (idle) {
            settle();
            clear();
          } else {
            settle();
            unreadableTimer = ctx.setTimeout(clear, UNREADABLE_SETTLE_MS);
          }
          return;
        }
        settle();
        store.set({ health });
        mount();
        const conv = { site: conversation.site, threadKey: conversation.threadKey };
        if (store.get().conv?.threadKey !== conv.threadKey) store.set({ conv, view: null });
        const fp = fingerprint(conversation);
        if (fp === lastReported) return;
        lastReported = fp;
        send('conversation.observed', { conversation, health })
          .then((view) => {
            // A reply for a conversation the user has already left is dropped.
            if (reader$.epoch() === epoch && !ctx.isInvalid && !signal.aborted) store.set({ view, error: null });
          })
          .catch((err: Error) => {
            // Let the next snapshot (or the retry button) report it again.
            lastReported = '';
            store.set({ error: err.message });
          });
      },
    });

    readerRef = reader$;
    opts.onReader?.(reader$, signal);
    const grace = ctx.setTimeout(() => {
      if (!signal.aborted && opts.isSitePage(document)) mount();
    }, UNREADABLE_GRACE_MS);
    signal.addEventListener('abort', () => clearTimeout(grace), { once: true });
  };

  if (!opts.isActive) {
    startSession(ctx.signal);
  } else {
    // A single-page app: follow its navigation into and out of the chat route.
    let session: AbortController | undefined;
    const follow = () => {
      if (ctx.isInvalid) return;
      const active = opts.isActive!(location.href);
      if (active && !session) {
        session = new AbortController();
        startSession(AbortSignal.any([ctx.signal, session.signal]));
      } else if (!active && session) {
        session.abort();
        session = undefined;
        settle();
        readerRef = undefined;
        lastReported = '';
        store.set({ conv: null, view: null, health: null, error: null });
        if (mounted) {
          ui.remove();
          mounted = false;
        }
        dock.release();
      }
    };
    follow();
    // WXT's location watcher (history.pushState does not fire popstate), plus popstate for Back.
    ctx.addEventListener(window, 'wxt:locationchange', follow);
    ctx.addEventListener(window, 'popstate', follow);
  }

  const off = onChanged(() => {
    const conv = store.get().conv;
    if (!conv || ctx.isInvalid) return;
    send('conversation.view', { conv })
      .then((view) => {
        if (store.get().conv?.threadKey === conv.threadKey) store.set({ view, error: null });
      })
      .catch((err: Error) => store.set({ error: err.message }));
  });
  ctx.onInvalidated(off);
}
