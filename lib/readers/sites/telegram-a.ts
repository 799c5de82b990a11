// Reader for Telegram Web A (web.telegram.org/a/), as built from Ajaxy/telegram-tt 12.x:
// evidence and line numbers in /work/shared/reference/real-sites-2026.md §2, saved page
// test/fixtures/sites/telegram-a/current.html.
//
// A re-creates the message list and the header's chat info per chat inside the always-mounted
// #MiddleColumn, and switches with history.pushState (no hashchange). Its ids spell a
// supergroup `-100…`; the thread key is K's spelling (telegram-shared), so a chat opened in K
// and in A is one identity. A prints no machine-readable time ("12:34" under a "Today" chip):
// no `at` is guessed. The header never shows a phone ("last seen 14.12.2025" is a date).
import type { RawContact, RawMessage, ReaderContext, SiteReader } from '../types';
import { canonicalPeerId, cleanName, isLocalMessageId, lastAddress, mediaPlaceholder, TELEGRAM_MESSAGE_ID, visibleText } from './telegram-shared';
import { scoped } from '../scoped-css';
import { addressesOf } from '../addresses';

// A's address: `#<chatId>[_<threadId>][_pinned|_scheduled]` (util/routing.ts), never @username.
const HASH = /^#(-?\d{1,20})(?:_[^?]*)?(?:\?.*)?$/;

/** The peer id (K's spelling) A's address names, or null. */
export const telegramAHashKey = lastAddress(hashKey);

function hashKey(url: string): string | null {
  let hash: string;
  try {
    hash = decodeURIComponent(new URL(url).hash);
  } catch {
    return null;
  }
  return canonicalPeerId(HASH.exec(hash)?.[1]);
}

// Inside .text-content, after the text: the time/views/status (MessageMeta), reactions, the
// copy of the text a pending translation animates, the fact-check block (a hashed class; its
// global marker is the peer-color class PeerColorWrapper adds), icons (no text anyway).
const BODY_NOISE = '.MessageMeta, .Reactions, .translation-animation, .text-content > [class*="peer-color-"], .icon';
// Replies quote another message, link previews describe a page: not this message's text.
const NOT_BODY = '.EmbeddedMessage, .WebPage';
// Queried from a row: see scoped-css.ts.
const FORWARD = scoped('.content-inner.forwarded-message, .message-title .forward-title, .forward-custom-shape-subheader');
const PRINTED_SENDER = scoped('.message-title .message-title-name > .sender-title');

/** A forward names its origin in .message-title, not the member who forwarded it. */
function isForward(row: Element): boolean {
  return row.querySelector(FORWARD) !== null;
}

/** The sender A prints on the first message of a run, glyph-free (badges are siblings). */
function printedSender(row: Element): string | undefined {
  if (isForward(row)) return undefined;
  const el = row.querySelector(PRINTED_SENDER);
  return cleanName(el) || undefined;
}

/** The run's avatar: the .Avatar of the .sender-group-container, not a forward's micro avatar. */
function runAvatar(container: Element): Element | null {
  for (const a of Array.from(container.querySelectorAll('.Avatar[data-peer-id]'))) {
    if (!a.closest('.Message')) return a;
  }
  return null;
}
const runAvatarId = (container: Element) => runAvatar(container)?.getAttribute('data-peer-id') ?? null;

/**
 * The name A gives the run's avatar (Avatar.tsx: `author` = the user's full name or the chat's
 * title): the aria-label of a lettered avatar, the alt of a photo. Used when no message of the
 * run prints the name (its first message is a forward, which names the origin instead).
 */
function avatarName(avatar: Element | null): string | undefined {
  if (!avatar) return undefined;
  const label = avatar.getAttribute('aria-label') ?? avatar.querySelector('img[alt]')?.getAttribute('alt') ?? '';
  return label.replace(/[\uE000-\uF8FF]/g, '').replace(/\s+/g, ' ').trim() || undefined;
}

/**
 * The sender of a message without a printed name: A prints it only on the first message of a
 * run (MessageListContent: withSenderName requires isFirstInGroup), so take it from the run's
 * first message, else from another run of the same sender (the run avatar's data-peer-id).
 * Anything but a name printed at or before the row may change when messages are appended
 * (`ahead` says so: ctx.readsAhead).
 */
function runSender(row: Element, ahead: () => void): string | undefined {
  const run = row.closest('.sender-group-container');
  if (!run) return undefined;
  let passed = false;
  // A live collection, walked only as far as the first printed name (usually the run's first
  // message): querySelectorAll listed the whole run, which grows with a contact's every message.
  for (const r of run.getElementsByClassName('Message')) {
    const name = printedSender(r);
    if (name) {
      if (passed) ahead();
      return name;
    }
    if (r === row) passed = true;
  }
  ahead();
  const who = runAvatarId(run);
  const list = run.closest('.messages-container');
  if (who && list) {
    for (const other of Array.from(list.querySelectorAll('.sender-group-container'))) {
      if (other === run || runAvatarId(other) !== who) continue;
      for (const r of Array.from(other.querySelectorAll('.Message'))) {
        const name = printedSender(r);
        if (name) return name;
      }
    }
  }
  return avatarName(runAvatar(run));
}

// A message without text: the kind buildContentClassName puts on .message-content, most specific
// first ('custom-shape' is a sticker, an animated emoji or a round video drawn without a bubble).
const MEDIA_KINDS = [
  ['round', 'video message'],
  ['sticker', 'sticker'],
  ['emoji-only', 'emoji'],
  ['custom-shape', 'sticker'],
  ['voice', 'voice message'],
  ['audio', 'audio'],
  ['video', 'video'],
  ['media', 'media'],
  ['document', 'file'],
  ['contact', 'contact'],
  ['poll', 'poll'],
  ['giveaway', 'giveaway'],
  ['gift', 'gift'],
] as const;

// The open chat's header and list are the active (or incoming) slide of their Transition: after
// a stacked navigation (a mention, "open chat" from Saved Messages) A keeps the previous chat's
// slide mounted, inactive and before the new one (MiddleColumn/MiddleHeader cleanupExceptionKey).
const LIVE = ['.Transition_slide-active', '.Transition_slide-to'];
const live = (css: (slide: string) => string) => LIVE.map(css).join(', ');
const LIVE_HEADER = live((s) => `.MiddleHeader ${s} .ChatInfo`);

export const telegramAReader: SiteReader = {
  id: 'telegram-a',
  ...addressesOf('telegram-a'),
  // Every field has one design, 'current'; a second selector of the same name is a fallback
  // anchor inside that same design, not an older page.
  selectors: {
    root: [{ name: 'current', css: '#MiddleColumn' }],
    pane: [{ name: 'current', css: '#MiddleColumn' }],
    // In a Saved Messages sub-dialog the first .Avatar (.saved-dialog-avatar) is your own id.
    threadKey: [
      { name: 'current', css: live((s) => `.MiddleHeader ${s} .ChatInfo .Avatar[data-peer-id]:not(.saved-dialog-avatar)`) },
      { name: 'current', css: '.MiddleHeader .ChatInfo .Avatar[data-peer-id]:not(.saved-dialog-avatar)' },
    ],
    title: [
      { name: 'current', css: live((s) => `.MiddleHeader ${s} .ChatInfo .info .title > h3.fullName`) },
      { name: 'current', css: live((s) => `.MiddleHeader ${s} .ChatInfo .fullName`) },
      { name: 'current', css: '.MiddleHeader .ChatInfo .fullName' },
    ],
    messageList: [
      { name: 'current', css: live((s) => `.MessageList${s}, ${s} > .MessageList`) },
      { name: 'current', css: '.MessageList' },
    ],
    // Service rows are .ActionMessage.message-list-item (no .Message); the .bottom-marker
    // inside each row repeats data-message-id.
    messageRow: [{ name: 'current', css: '.Message.message-list-item[data-message-id]' }],
    outgoing: [{ name: 'current', css: '.own' }],
    sender: [{ name: 'current', css: '.message-title .message-title-name > .sender-title' }],
    text: [{ name: 'current', css: '.text-content' }],
  },
  optional: ['sender', 'text'],
  // The middle column: the chat list (left) and the composer (inside it) stay visible.
  layout: { container: ['#MiddleColumn', '#Main'], widthPx: 340 },
  messageIdPattern: TELEGRAM_MESSAGE_ID,
  // A sent message's id is rewritten in place; the header avatar's peer id changes on a switch.
  watchAttributes: ['data-message-id', 'data-peer-id'],

  threadKey(ctx: ReaderContext): string | null {
    // Once A has marked its slides, only the live header's avatar names the open chat: a forum
    // topic's live header has none, and the previous chat's slide must not answer for it.
    const liveHeader = ctx.doc.querySelector(LIVE_HEADER);
    if (liveHeader) {
      const avatar = liveHeader.querySelector(':scope > .Avatar[data-peer-id]:not(.saved-dialog-avatar)');
      const id = canonicalPeerId(avatar?.getAttribute('data-peer-id'));
      if (id) {
        ctx.note('threadKey', 'current');
        return id;
      }
    } else {
      const id = canonicalPeerId(ctx.query('threadKey')?.getAttribute('data-peer-id'));
      if (id) return id;
    }
    // Forum topics show no avatar: the address names the group (and the topic, ignored).
    const fromUrl = telegramAHashKey(ctx.url);
    if (fromUrl) ctx.note('threadKey', 'url');
    return fromUrl;
  },

  parseMessage(row, ctx): RawMessage | null {
    const siteId = row.getAttribute('data-message-id') ?? '';
    // While sending A shows `lastId + n/LIMIT` and rewrites the same element to the server id
    // (render key = the local id): read once it has the server id, so it has one id for its life.
    if (isLocalMessageId(siteId)) return null;
    const direction = ctx.is(row, 'outgoing') ? 'out' : 'in';
    // Inverted media puts the text in the first of two .text-content; the second holds meta.
    ctx.query('text', row);
    const parts = Array.from(row.querySelectorAll('.text-content'))
      .filter((el) => !el.parentElement?.closest(NOT_BODY))
      .map((el) => visibleText(el, BODY_NOISE))
      .filter(Boolean);
    let sender: string | undefined;
    if (direction === 'in') {
      sender = !isForward(row) && ctx.query('sender', row) ? printedSender(row) : runSender(row, () => ctx.readsAhead());
    }
    const text = parts.join('\n') || mediaPlaceholder(row.querySelector('.message-content'), MEDIA_KINDS);
    return {
      ...(siteId ? { siteId } : {}),
      direction,
      ...(sender ? { sender } : {}),
      text,
      // A forward is someone else's words: a number in it is not the contact's.
      ...(isForward(row) ? { notTheirs: true } : {}),
    };
  },

  contact(ctx, threadKey): RawContact {
    // Verified/fake/premium/emoji-status icons are siblings of the h3: its text is the name.
    return {
      displayName: cleanName(ctx.query('title')),
      // No phone: A's header shows status text only; typed numbers come from the runtime.
      handles: { phones: [], emails: [], siteId: threadKey },
    };
  },

  isGroup(_ctx, threadKey) {
    return threadKey.startsWith('-');
  },
};
