// Reader for the Feishu / Lark web messenger (<tenant>.feishu.cn/next/messenger/, the same on
// larksuite.com). The evidence, per structure: test/fixtures/sites/feishu/SOURCES.md.
// The page is a React SPA: no chat id in the URL or in the chat pane. The open chat is the feed
// card whose .a11y_feed_card_item has data-feed-active="true"; its wrapper's data-feed-id (19
// digits) is the thread key. `oc_…` ids are Open-API ids and appear nowhere on the page.
// Message ids are 19 digits whose top 32 bits are Unix seconds: the exact time of each message.
// One page design ('current', 2025-26). A required field's second variant is the same design
// read more loosely (a wrapper level more or less), not an older page: no other build since 2024
// is documented well enough to read (the `oc_`-keyed pages other projects use are hand-made).
import type { RawMessage, ReaderContext, SiteReader } from '../types';
import { addressesOf } from '../addresses';

/** Message ids and feed ids: 19 decimal digits (a time in the top 32 bits). */
const ID = /^\d{19}$/;

const ROW = '.messageItem-wrapper[data-id]';
const PARAGRAPH = '.richTextContainer';
// Parts of a message row that are not its words: the quoted message ("回复 X"), reactions
// (the reactors' names), the read mark, thread tips ("3 条回复").
const NOT_TEXT = '.quote_reply_title, .message-reactions, .read-status-bar, .reply-meta-tips';
// Beside a sender's name: the bot tag ("机器人") and a bot's description.
const NOT_NAME = '.ud__tag__content, .description';
// Inside a feed card, before its name: the avatar with the unread count.
const NOT_CARD_NAME = '.avatarWithBadge, .ud__badge';

/** Epoch ms from a Feishu message or feed id: its top 32 bits are Unix seconds. Exact (BigInt). */
export function feishuIdTime(id: string): number | undefined {
  if (!ID.test(id)) return undefined;
  return Number(BigInt(id) >> 32n) * 1000;
}

/** Text of `el`, skipping elements that match `skip`; <br> and rich-text paragraphs are line breaks. */
function textOf(el: Element, skip: string): string {
  let out = '';
  const walk = (node: Element) => {
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) out += c.nodeValue ?? '';
      else if (c.nodeType === 1) {
        const child = c as Element;
        if (child.tagName === 'BR') out += '\n';
        else if (!child.matches(skip)) {
          const block = child.classList.contains('rich-text-paragraph');
          if (block && out && !out.endsWith('\n')) out += '\n';
          walk(child);
        }
      }
    }
  };
  walk(el);
  return out.replace(/\u00a0/g, ' ').trim();
}

/** The first text inside a feed card outside its badge: the chat's name (F1, F3). */
function cardName(item: Element): string {
  const walk = (node: Element): string => {
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3 && c.nodeValue?.trim()) return c.nodeValue.trim();
      if (c.nodeType === 1 && !(c as Element).matches(NOT_CARD_NAME)) {
        const t = walk(c as Element);
        if (t) return t;
      }
    }
    return '';
  };
  return walk(item);
}

/**
 * Last resort when no card carries data-feed-active at all (the marker was renamed): the one
 * card that both carries a class no other card has (the 2026 desktop build marks the open card
 * only by an extra hashed class, F3) and shows the chat's title as its name. Neither source is
 * trusted alone, and together they are still a guess: flagged weak, never auto-linked.
 */
function keyFromCardClass(ctx: ReaderContext): string | null {
  if (ctx.doc.querySelector('[data-feed-active]')) return null; // the marker exists: no chat is open
  const items = Array.from(ctx.doc.querySelectorAll('[data-feed-id] .a11y_feed_card_item'));
  const title = ctx.text('title');
  if (items.length < 2 || !title) return null;
  const seen = new Map<string, number>();
  for (const it of items) for (const c of Array.from(it.classList)) seen.set(c, (seen.get(c) ?? 0) + 1);
  const hits = items.filter((it) => Array.from(it.classList).some((c) => seen.get(c) === 1) && cardName(it) === title);
  const id = hits.length === 1 ? hits[0]!.closest('[data-feed-id]')?.getAttribute('data-feed-id') : null;
  if (!id || !ID.test(id)) return null;
  ctx.note('threadKey', 'cardClass');
  ctx.flag('weakKey', 'cardClass');
  return id;
}

const squash = (t: string) => t.replace(/\s+/g, ' ').trim();

/**
 * A click on another feed card moves data-feed-active and replaces the chat at two different
 * moments (which comes first is not documented): in between, the open card names one chat and
 * the pane shows another. It shows: the pane's title is not the open card's name but another
 * card's. Then nothing is read (rather than one chat's messages under the other's key). A title
 * that matches no card at all (written differently, or a chat not in the loaded feed) is no sign.
 */
function midSwitch(ctx: ReaderContext, open: Element): boolean {
  const title = squash(ctx.text('title') ?? '');
  if (!title || squash(cardName(open)) === title) return false;
  for (const it of Array.from(ctx.doc.querySelectorAll('[data-feed-id] .a11y_feed_card_item'))) {
    if (it !== open && squash(cardName(it)) === title) return true;
  }
  return false;
}

/** The sender's name in this row (groups), without the bot tag. */
function nameIn(row: Element, ctx: ReaderContext): string | undefined {
  const el = ctx.query('sender', row);
  const name = el ? textOf(el, NOT_NAME) : '';
  return name || undefined;
}

/**
 * The sender of a group message: its own name, else the name on the first row of its run
 * (Feishu names only `.message-item-first`, F1). A run ends at a change of direction, a divider
 * or a system row; if its first row is not in the list, the sender is unknown.
 */
function senderOf(row: Element, item: Element, ctx: ReaderContext): string | undefined {
  const own = nameIn(row, ctx);
  if (own || item.classList.contains('message-item-first') || item.classList.contains('message-is-p2p')) return own;
  const self = item.classList.contains('message-self');
  const top = row.closest('.messageList-row-wrapper') ?? row;
  for (let el = top.previousElementSibling; el; el = el.previousElementSibling) {
    const prev = el.matches(ROW) ? el : el.querySelector(ROW);
    const prevItem = prev?.querySelector('.js-message-item');
    if (!prev || !prevItem?.classList.contains('message-item')) return undefined;
    if (prevItem.classList.contains('message-self') !== self) return undefined;
    const name = nameIn(prev, ctx);
    if (name) return name;
    if (prevItem.classList.contains('message-item-first')) return undefined;
  }
  return undefined;
}

export const feishuReader: SiteReader = {
  id: 'feishu',
  ...addressesOf('feishu'),
  selectors: {
    // The app root holds both the feed (where the open card is marked) and the chat.
    root: [{ name: 'current', css: '#root' }],
    // The chat container; `.p2pChat` on it for a 1:1 chat (F3).
    pane: [{ name: 'current', css: '.chatContainer.post-container' }],
    // The open card (looked up in the document: the feed is outside the pane). F1's tree has
    // the item right under [data-feed-id]; F3's 2026 tree has a hashed level in between.
    threadKey: [
      { name: 'current', css: '[data-feed-id] > .a11y_feed_card_item[data-feed-active="true"]' },
      { name: 'current', css: '[data-feed-id] .a11y_feed_card_item[data-feed-active="true"]' },
    ],
    // In the chat header; never .chatNewWindow_chatterDescription beside it (a signature).
    title: [
      { name: 'current', css: '.chatContainer__headerWrapper .chatWindow_chatName' },
      { name: 'current', css: '.chatWindow_chatName' },
    ],
    // The first .list_items in the document is the sidebar's: only the one in the chat.
    messageList: [
      { name: 'current', css: '.chatMessages > .messageContainer > .scroller > .list_items' },
      { name: 'current', css: '.chatMessages .list_items' },
    ],
    messageRow: [{ name: 'current', css: ROW }],
    outgoing: [{ name: 'current', css: '.message-self' }],
    sender: [{ name: 'current', css: '.message-info .message-info-name' }],
    text: [{ name: 'current', css: PARAGRAPH }],
    // The member count in a group's header (F3); 1:1 chats have .p2pChat instead.
    groupMarker: [{ name: 'current', css: '.chatNewWindow_count' }],
  },
  // 1:1 chats and later rows of a run have no sender; images and files no text; only groups
  // have a member count; the browser build's app root is not documented.
  optional: ['root', 'sender', 'text', 'groupMarker'],
  layout: { container: ['#root', 'body > div'], widthPx: 340 },
  messageIdPattern: ID,
  // A switch moves data-feed-active from one card to another and may change nothing else at once.
  watchAttributes: ['data-feed-active', 'data-id'],

  threadKey(ctx) {
    const item = ctx.query('threadKey', ctx.doc);
    if (!item) return keyFromCardClass(ctx);
    const id = item.closest('[data-feed-id]')?.getAttribute('data-feed-id') ?? '';
    if (ID.test(id)) return midSwitch(ctx, item) ? null : id;
    ctx.flag('idFormat', 'feedId');
    return null;
  },

  parseMessage(row, ctx): RawMessage | null {
    const item = row.querySelector('.js-message-item');
    // System rows ("X 发起群聊…") are .js-message-item without .message-item; a row scrolled
    // away may be left empty; cards (.universal-card-root) have no text body: none is a message.
    if (!item?.classList.contains('message-item')) return null;
    const body = item.querySelector('.message-content');
    if (!body?.querySelector('.message-text') && item.querySelector('.universal-card-root')) return null;
    const siteId = row.getAttribute('data-id') || item.id || undefined;
    const paragraphs = body ? Array.from(body.querySelectorAll(PARAGRAPH)) : [];
    if (paragraphs.length) ctx.query('text', body!);
    const text = paragraphs
      // Not inside the quote or another paragraph (rich posts nest them).
      .filter((p) => !p.closest(NOT_TEXT) && !p.parentElement?.closest(PARAGRAPH))
      .map((p) => textOf(p, NOT_TEXT))
      .join('\n')
      .trim();
    const sender = senderOf(row, item, ctx);
    const at = siteId ? feishuIdTime(siteId) : undefined;
    return {
      ...(siteId ? { siteId } : {}),
      direction: ctx.is(item, 'outgoing') ? 'out' : 'in',
      ...(sender ? { sender } : {}),
      ...(at !== undefined ? { at } : {}),
      text,
    };
  },

  contact(ctx) {
    // Feishu shows no phone in the chat chrome (the signature beside the title is not one);
    // numbers the customer types are picked up by the runtime in 1:1 chats.
    return { displayName: ctx.text('title') ?? '', handles: { phones: [], emails: [] } };
  },

  isGroup(ctx) {
    // A member count says group; .p2pChat or 1:1 rows say 1:1; neither: treated as a group,
    // so no one's number is taken for the contact's.
    // The member count sits in the chat's header (F3 §5.1): ask the header, not every message
    // of a 1:1 chat, which has none.
    const header = ctx.scope.querySelector('.chatContainer__headerWrapper');
    if (ctx.query('groupMarker', header ?? undefined)) return true;
    const scope = ctx.scope;
    const pane = (scope as Node).nodeType === 1 ? (scope as Element) : null;
    return !(pane?.matches('.p2pChat') || scope.querySelector('.p2pChat, .message-is-p2p'));
  },
};
