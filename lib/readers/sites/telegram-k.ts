// Reader for Telegram Web K (web.telegram.org/k/), as built from morethanwords/tweb since
// 2023-12 (the remover decoy) through the 2026 builds: evidence and line numbers in
// /work/shared/reference/real-sites-2026.md §1, saved page test/fixtures/sites/telegram-k/current.html.
//
// K keeps one `.chat` pane across ordinary switches and replaces only its `.bubbles-inner`; the
// first `.bubbles-inner` in the page is `.bubbles-remover`, always empty. The header never
// shows a phone ("last seen recently", "1 234 members, 12 online"): phones come only from what
// the customer types (the runtime adds them in 1:1 chats).
import type { RawContact, RawMessage, ReaderContext, SiteReader } from '../types';
import { canonicalPeerId, cleanName, isLocalMessageId, lastAddress, mediaPlaceholder, TELEGRAM_MESSAGE_ID, visibleText } from './telegram-shared';
import { scoped } from '../scoped-css';
import { addressesOf } from '../addresses';

// The hash K writes on a switch: `#@<first active username>`, else `#<peerId>`, with optional
// `?…` parameters (appImManager overrideHash / onHashChange).
const HASH = /^#(@[A-Za-z0-9_]{4,32}|-?\d{1,20})(?:\?.*)?$/;

/** The peer id (K's spelling) or `@username` K's address names, or null. */
export const telegramKHashKey = lastAddress(hashKey);

function hashKey(url: string): string | null {
  let hash: string;
  try {
    hash = decodeURIComponent(new URL(url).hash);
  } catch {
    return null;
  }
  const m = HASH.exec(hash)?.[1];
  if (!m) return null;
  return m.startsWith('@') ? m : canonicalPeerId(m);
}

// Inside `.message`, after the text: the time (with edited marker, views, sending status),
// the float clearer, reactions, link previews, fact checks, the spoiler canvas, icon glyphs.
const BODY_NOISE =
  '.time, .time-inner, .clearfix, reactions-element, .reactions, .webpage, .bubble-fact-check, .message-spoiler-overlay, .tgico, .contact';
// A bubble without text: the classes K's media switch puts on it (bubbles.ts), most specific first.
const MEDIA_KINDS = [
  ['sticker', 'sticker'],
  ['round', 'video message'],
  ['is-album', 'album'],
  ['video', 'video'],
  ['photo', 'photo'],
  ['poll-message', 'poll'],
  ['call-message', 'call'],
  ['is-single-document', 'file'],
  ['gift', 'gift'],
] as const;

/**
 * A shared contact card (bubbles.ts messageMediaContact: `.contact[data-peer-id]` with
 * `.contact-name` and `.contact-number` inside `.message`). Its number belongs to whoever the card
 * names: kept in the text only when that is the chat's own peer (the customer shared their own
 * card) or the viewer sent it. A third person's number in an incoming card would otherwise be
 * taken by the runtime for the customer's phone.
 */
function contactCardText(card: Element, direction: 'in' | 'out', peer: string | null): string {
  const name = cleanName(card.querySelector('.contact-name'));
  const number = (card.querySelector('.contact-number')?.textContent ?? '').trim();
  const own = peer !== null && canonicalPeerId(card.getAttribute('data-peer-id')) === peer;
  const withNumber = number && (direction === 'out' || own);
  return ['[contact]', name, withNumber ? number : ''].filter(Boolean).join(' ');
}
// Queried from a row: see scoped-css.ts.
const FORWARDED_NAME = scoped('.name .bubble-name-forwarded');
const PEER_TITLE = scoped('.name > .peer-title');
// Title icons beside the name: premium star (a glyph), emoji status, SCAM/FAKE badge.
const TITLE_NOISE = '.tgico, .badge-fake, .emoji-status, custom-emoji-element';

/** The forwarder is not named on a forward: its `.name` holds "Forwarded from <origin>". */
function isForward(bubble: Element): boolean {
  return bubble.classList.contains('forwarded') || bubble.querySelector(FORWARDED_NAME) !== null;
}

/** The sender K prints on an incoming group bubble (`.name > .peer-title`), glyph-free. */
function printedSender(bubble: Element): string | undefined {
  if (isForward(bubble)) return undefined;
  const title = bubble.querySelector(PEER_TITLE);
  const inner = title?.querySelector('.peer-title-inner');
  return cleanName(inner ?? title ?? null, TITLE_NOISE) || undefined;
}

/**
 * A forward's sender: a bubble of the same run (`.bubbles-group`, one sender) that names them,
 * else another run of the same sender (its avatar's data-peer-id) in the list.
 */
function runSender(bubble: Element, ahead: () => void): string | undefined {
  const group = bubble.closest('.bubbles-group');
  if (!group) return undefined;
  // A name from a bubble after this one, or from elsewhere, may change when bubbles are appended.
  let passed = false;
  for (const b of Array.from(group.querySelectorAll('.bubble[data-mid]'))) {
    const name = b !== bubble ? printedSender(b) : undefined;
    if (name) {
      if (passed) ahead();
      return name;
    }
    if (b === bubble) passed = true;
  }
  ahead();
  const who = group.querySelector('.bubbles-group-avatar[data-peer-id]')?.getAttribute('data-peer-id');
  const list = group.closest('.bubbles-inner');
  if (!who || !list) return undefined;
  for (const g of Array.from(list.querySelectorAll('.bubbles-group'))) {
    if (g === group || g.querySelector('.bubbles-group-avatar')?.getAttribute('data-peer-id') !== who) continue;
    for (const b of Array.from(g.querySelectorAll('.bubble[data-mid]'))) {
      const name = printedSender(b);
      if (name) return name;
    }
  }
  return undefined;
}

export const telegramKReader: SiteReader = {
  id: 'telegram-k',
  ...addressesOf('telegram-k'),
  // Every field has one design, 'current'; a second selector of the same name is a fallback
  // anchor inside that same design, not an older page.
  selectors: {
    // chats-container is created once (appImManager); the .chat inside it is kept across switches.
    root: [{ name: 'current', css: '#column-center .chats-container' }],
    pane: [{ name: 'current', css: '#column-center .chat.active' }],
    // The header avatar; the title's peer-title carries the same data-peer-id.
    threadKey: [
      { name: 'current', css: '.topbar .chat-info .person > .person-avatar[data-peer-id]' },
      { name: 'current', css: '.topbar .chat-info .user-title > .peer-title[data-peer-id]' },
    ],
    title: [
      { name: 'current', css: '.topbar .chat-info .person .content .top .user-title > .peer-title' },
      { name: 'current', css: '.topbar .chat-info .user-title' },
    ],
    // Never the first .bubbles-inner of the page: that is the always-empty .bubbles-remover.
    messageList: [
      { name: 'current', css: '.bubbles > .scrollable.bubbles-scrollable > .bubbles-inner' },
      { name: 'current', css: '.bubbles .scrollable .bubbles-inner' },
    ],
    // Service rows (joins, pins) keep data-mid; sponsored bubbles are ads. Neither is a message.
    messageRow: [{ name: 'current', css: '.bubble[data-mid]:not(.service):not(.is-sponsored)' }],
    outgoing: [{ name: 'current', css: '.is-out' }],
    time: [{ name: 'current', css: '[data-timestamp]' }],
    sender: [{ name: 'current', css: '.name > .peer-title' }],
    text: [
      { name: 'current', css: '.bubble-content > .message' },
      { name: 'current', css: '.message' },
    ],
    // Toggled on the bubble lists of groups and channels.
    groupMarker: [{ name: 'current', css: '.bubbles-inner.is-chat, .bubbles-inner.is-broadcast' }],
  },
  // 1:1 chats name no sender; stickers and media have no .message.
  optional: ['sender', 'text', 'groupMarker'],
  // The center column: the chat list (left column) and the composer (inside it) stay visible.
  layout: { container: ['#column-center', '#page-chats', '.whole.page-chats'], widthPx: 340 },
  // Server ids: private chats and basic groups the id itself, channels/supergroups 0x100000000 + id.
  messageIdPattern: TELEGRAM_MESSAGE_ID,
  // A sent message's data-mid is rewritten in place (bubbles.ts:829); K keeps its pane across a
  // switch and sets the new peer id on the same avatar.
  watchAttributes: ['data-mid', 'data-peer-id'],

  threadKey(ctx: ReaderContext): string | null {
    const id = canonicalPeerId(ctx.query('threadKey')?.getAttribute('data-peer-id'));
    if (id) return id;
    const fromUrl = telegramKHashKey(ctx.url);
    if (fromUrl) ctx.note('threadKey', 'url');
    return fromUrl;
  },

  parseMessage(row, ctx): RawMessage | null {
    const mid = row.getAttribute('data-mid') ?? '';
    // While sending K shows `id + 0.0001` (.is-outgoing) and rewrites the same bubble to the
    // server id, which it cannot know in advance: the message is read once it has that id, so it
    // has one id for its life and a failed send (still fractional, .is-error) is never read.
    if (isLocalMessageId(mid)) return null;
    const direction = ctx.is(row, 'outgoing') ? 'out' : 'in';
    const ts = Number(ctx.query('time', row)?.getAttribute('data-timestamp'));
    const body = ctx.query('text', row);
    let text = visibleText(body, BODY_NOISE);
    const card = body?.querySelector('.contact');
    if (card) text = [text, contactCardText(card, direction, canonicalPeerId(ctx.query('threadKey')?.getAttribute('data-peer-id')))].filter(Boolean).join('\n');
    // An emoji-only message is drawn big in .attachment; .message keeps only the time.
    if (!text && row.classList.contains('emoji-big')) text = visibleText(row.querySelector('.attachment'), BODY_NOISE);
    if (!text) text = mediaPlaceholder(row, MEDIA_KINDS);
    let sender: string | undefined;
    if (direction === 'in') {
      sender = isForward(row) ? runSender(row, () => ctx.readsAhead()) : ctx.query('sender', row) ? printedSender(row) : undefined;
    }
    return {
      ...(mid ? { siteId: mid } : {}),
      direction,
      ...(sender ? { sender } : {}),
      ...(ts > 0 ? { at: ts * 1000 } : {}),
      text,
      // A forward is someone else's words: a number in it is not the contact's.
      ...(isForward(row) ? { notTheirs: true } : {}),
    };
  },

  contact(ctx, threadKey): RawContact {
    const title = ctx.query('title');
    const inner = title?.querySelector('.peer-title-inner');
    const hash = telegramKHashKey(ctx.url);
    const username = hash?.startsWith('@') ? hash.slice(1) : undefined;
    // A list the selectors should never reach; said out loud if a page change makes them.
    const list = ctx.query('messageList');
    if (list?.classList.contains('bubbles-remover') || list?.closest('.bubbles-remover-container')) ctx.flag('decoy', 'remover');
    const isPeer = !threadKey.startsWith('@');
    return {
      displayName: cleanName(inner ?? title, TITLE_NOISE),
      // No phone: K's header shows none (status text only); typed numbers come from the runtime.
      handles: { phones: [], emails: [], ...(username ? { username } : {}), ...(isPeer ? { siteId: threadKey } : {}) },
      // The @username key K's address gives before the peer id is on the page.
      ...(isPeer && username ? { aliases: [`@${username}`] } : {}),
    };
  },

  isGroup(ctx, threadKey) {
    if (threadKey.startsWith('-')) return true;
    // The marker is a class of the list element itself: ask it, not every bubble of the pane.
    const list = ctx.query('messageList');
    return list ? ctx.is(list, 'groupMarker') : ctx.query('groupMarker') !== null;
  },
};
