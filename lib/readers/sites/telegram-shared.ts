// What Telegram Web K and Web A share: one spelling of a chat's identity, so the same peer is
// the same thread key in both apps, and reading text as the user sees it (emoji from their
// image's alt, icon-font glyphs left out). Evidence: /work/shared/reference/real-sites-2026.md §1-2.
import { scoped } from '../scoped-css';

/**
 * A's supergroup/channel ids are `-(10^12 + channel id)`: telegram-tt's buildApiPeerId builds
 * `((id + CHANNEL_ID_BASE) * -1n)` with CHANNEL_ID_BASE = 10n ** 12n (src/config.ts), and its
 * own getEntityTypeById reads an id below -CHANNEL_ID_BASE as a channel, anything else negative
 * as a basic group (api/gramjs/gramjsBuilders/index.ts). So `-1001987654321` in A is channel
 * 1987654321, which K writes `-1987654321` (helpers/peerIdPolyfill.ts: every chat is
 * `-Math.abs(id)`).
 *
 * Why the conversion cannot turn a basic group into a supergroup: A spells a basic group
 * `-<chat id>`, and basic chat ids stay below 10^12 (TDLib's MAX_CHAT_ID = 999999999999, the
 * bound A's threshold is taken from), so only channels cross the threshold; K's ids, chats and
 * channels alike, are raw ids below 10^12 and pass through unchanged. What is lost is a
 * distinction K never had: K itself gives a basic group and a channel with the same raw id the
 * same peer id, relying on the server never issuing both.
 */
const CHANNEL_ID_BASE = 10n ** 12n;
const PEER_ID = /^-?[1-9]\d{0,19}$/;

/**
 * The one thread key for a Telegram peer across K and A, in K's spelling: a user is its positive
 * id, every basic group, supergroup and channel `-<id>`. Null when `raw` is not a peer id.
 */
export function canonicalPeerId(raw: string | null | undefined): string | null {
  const s = raw?.trim();
  if (!s || !PEER_ID.test(s)) return null;
  if (!s.startsWith('-')) return s;
  const n = BigInt(s.slice(1));
  return n > CHANNEL_ID_BASE ? `-${n - CHANNEL_ID_BASE}` : s;
}

// Telegram's icon fonts draw icons as text in the Unicode private-use area (K's span.tgico:
// components/icon.ts sets the glyph as textContent).
const PRIVATE_USE = /[\uE000-\uF8FF]/g;

/**
 * The text of `el` as the user reads it, without the parts matched by `strip`: emoji drawn as
 * `<img alt>` (both apps on every non-Apple system) and K's custom emoji (data-sticker-emoji)
 * give their character, `<br>` a line break. Never parses page text as HTML.
 */
export function visibleText(el: Element | null, strip?: string): string {
  if (!el) return '';
  const skip = strip ? new Set(Array.from(el.querySelectorAll(scoped(strip)))) : new Set<Element>();
  let out = '';
  const walk = (node: Node) => {
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) {
        out += c.nodeValue ?? '';
      } else if (c.nodeType === 1) {
        const e = c as Element;
        if (skip.has(e)) continue;
        const tag = e.tagName.toLowerCase();
        if (tag === 'img') out += e.getAttribute('alt') ?? '';
        else if (tag === 'br') out += '\n';
        else if (tag === 'custom-emoji-element' && e.hasAttribute('data-sticker-emoji')) out += e.getAttribute('data-sticker-emoji');
        else if (tag !== 'script' && tag !== 'style' && tag !== 'svg' && tag !== 'canvas') walk(e);
      }
    }
  };
  walk(el);
  return out.trim();
}

/** A name (title, sender) without icon glyphs and with whitespace folded. */
export function cleanName(el: Element | null, strip?: string): string {
  return visibleText(el, strip).replace(PRIVATE_USE, '').replace(/\s+/g, ' ').trim();
}

/** A message id while the message is still being sent: both apps use a fraction of the last id. */
export function isLocalMessageId(id: string): boolean {
  return /^\d+\.\d+$/.test(id);
}

/** Server message ids, as both apps print them once a message is sent. */
export const TELEGRAM_MESSAGE_ID = /^\d{1,16}$/;

/**
 * What a message without text shows, as a short bracketed word: a sticker, a photo, a voice note…
 * Taken from the classes each app puts on a media message (K: on the bubble, bubbles.ts media
 * switch; A: on .message-content, buildContentClassName), so a chat of stickers and photos reads
 * as such instead of as empty rows. The first class of `kinds` the element has wins.
 */
export function mediaPlaceholder(el: Element | null, kinds: readonly (readonly [string, string])[]): string {
  if (!el) return '';
  for (const [cls, word] of kinds) if (el.classList.contains(cls)) return `[${word}]`;
  return '';
}

/**
 * A parse of the page address, kept for the last address asked: every read asks (thread key,
 * contact) and the address rarely changes.
 */
export function lastAddress<T>(parse: (url: string) => T): (url: string) => T {
  let last: { url: string; value: T } | undefined;
  return (url) => {
    if (last?.url !== url) last = { url, value: parse(url) };
    return last.value;
  };
}
