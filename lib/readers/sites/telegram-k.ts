// Reader for Telegram Web K (web.telegram.org/k/). 'current' is today's K (title in
// .person .content .top, bubbles in .bubbles-inner, peer id on the top bar's avatar); 'legacy'
// the older K top bar (.peer-title directly under .chat-info) and bubble list without
// .bubbles-inner. Each variant name has a saved page: test/fixtures/sites/telegram-k/<name>.html.
import { phoneLike } from '../phone-like';
import type { RawMessage, ReaderContext, SiteReader } from '../types';

// Telegram peer ids: users positive, basic groups negative, supergroups/channels -100….
const PEER_ID = /^-?\d{1,20}$/;
// The URL hash names the open chat: #@username, #-100…, #<user id> (also #?tgaddr=…, ignored).
const HASH = /^#(@[A-Za-z0-9_]{4,32}|-?\d{1,20})(?:[?_].*)?$/;

/** The peer id or @username the URL hash names, or null. Shared with Telegram Web A. */
export function telegramHashKey(url: string): string | null {
  let hash: string;
  try {
    hash = decodeURIComponent(new URL(url).hash);
  } catch {
    return null;
  }
  return HASH.exec(hash)?.[1] ?? null;
}

/** Trimmed text of `el` without the parts Telegram nests inside a message body (time, reactions). */
export function bodyText(el: Element | null, strip: string): string {
  if (!el) return '';
  const copy = el.cloneNode(true) as Element;
  for (const x of Array.from(copy.querySelectorAll(strip))) x.remove();
  return (copy.textContent ?? '').trim();
}

/** The thread key: the page's peer id, else the URL's. Never the title. Shared with Web A. */
export function telegramThreadKey(ctx: ReaderContext): string | null {
  const id = ctx.query('threadKey')?.getAttribute('data-peer-id');
  if (id && PEER_ID.test(id)) return id;
  const fromUrl = telegramHashKey(ctx.url);
  if (fromUrl) ctx.note('threadKey', 'url');
  return fromUrl;
}

/** Contact handles: peer id as siteId, @username from the URL, phones as the header shows them. */
export function telegramContact(ctx: ReaderContext, threadKey: string) {
  const titleEl = ctx.query('title');
  const displayName = (titleEl?.textContent ?? '').trim();
  const hash = telegramHashKey(ctx.url);
  const username = hash?.startsWith('@') ? hash.slice(1) : undefined;
  return {
    displayName,
    handles: {
      phones: phoneLike(ctx.text('subtitle') ?? '', 3),
      emails: [],
      ...(username ? { username } : {}),
      ...(PEER_ID.test(threadKey) ? { siteId: threadKey } : {}),
    },
  };
}

export const telegramKReader: SiteReader = {
  id: 'telegram-k',
  matches: ['https://web.telegram.org/k/*'],
  selectors: {
    // K swaps the .chat element inside .chats-container on a switch.
    root: [
      { name: 'current', css: '#column-center .chats-container' },
      { name: 'legacy', css: '#column-center' },
    ],
    pane: [{ name: 'current', css: '#column-center .chat.active' }],
    threadKey: [
      { name: 'current', css: '.topbar .chat-info [data-peer-id]' },
      { name: 'legacy', css: '.bubbles .bubble[data-peer-id]' },
    ],
    title: [
      { name: 'current', css: '.topbar .chat-info .person .content .top .user-title' },
      { name: 'legacy', css: '.topbar .chat-info .peer-title' },
    ],
    subtitle: [{ name: 'current', css: '.topbar .chat-info .bottom' }],
    messageList: [
      { name: 'current', css: '.bubbles-inner' },
      { name: 'legacy', css: '.bubbles .scrollable' },
    ],
    messageRow: [{ name: 'current', css: '.bubble[data-mid]' }],
    outgoing: [{ name: 'current', css: '.is-out' }],
    time: [{ name: 'current', css: '[data-timestamp]' }],
    sender: [
      { name: 'current', css: '.name .peer-title' },
      { name: 'legacy', css: '.bubble-name' },
    ],
    text: [{ name: 'current', css: '.message' }],
    // K marks the bubble list of groups and channels.
    groupMarker: [{ name: 'current', css: '.bubbles-inner.is-chat' }],
  },
  // A 1:1 chat shows no sender names; a sticker has no .message; a user's header no phone.
  optional: ['subtitle', 'sender', 'text', 'groupMarker'],
  // The center column: the chat list (left column) and the composer (inside it) stay visible.
  layout: { container: ['#column-center', '#page-chats', '.whole.page-chats'], widthPx: 340 },

  threadKey: telegramThreadKey,

  parseMessage(row, ctx): RawMessage | null {
    // data-timestamp is in seconds.
    const ts = Number(ctx.query('time', row)?.getAttribute('data-timestamp'));
    const sender = ctx.text('sender', row);
    const mid = row.getAttribute('data-mid');
    return {
      ...(mid ? { siteId: mid } : {}),
      direction: ctx.is(row, 'outgoing') ? 'out' : 'in',
      ...(sender ? { sender } : {}),
      ...(ts > 0 ? { at: ts * 1000 } : {}),
      text: bodyText(ctx.query('text', row), '.time, .time-inner, .reactions, .bubble-name'),
    };
  },

  contact: telegramContact,

  isGroup(ctx, threadKey) {
    return threadKey.startsWith('-') || ctx.query('groupMarker') !== null;
  },
};
