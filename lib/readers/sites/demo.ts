// Reader for the bundled demo chat (demo/public). v1 is the demo's current DOM; v2 is the
// data-testid naming a redesign might switch to, kept so the fallback path is exercised.
// Each variant name has a saved page: test/fixtures/sites/demo/<name>.html.
import { phoneLike } from '../phone-like';
import type { RawMessage, SiteReader } from '../types';
import { addressesOf } from '../addresses';

// `#/chat/<threadId>` is how the demo (and the extension's links back) address a chat.
const HASH_THREAD = /^#\/chat\/([\w-]{1,200})$/;
// Thread ids of contacts with a phone: u_ followed by the international digits.
const PHONE_THREAD = /^u_(\d{7,15})$/;

/** The phones in the header's subtitle, found again only when the subtitle changes (every read asks). */
let lastSubtitle: { text: string; phones: readonly string[] } | undefined;
function subtitlePhones(text: string): readonly string[] {
  if (lastSubtitle?.text !== text) lastSubtitle = { text, phones: phoneLike(text, 5) };
  return lastSubtitle.phones;
}

export const demoReader: SiteReader = {
  id: 'demo',
  ...addressesOf('demo'),
  selectors: {
    root: [
      { name: 'v1', css: '#conversation-host' },
      { name: 'v2', css: '[data-testid="conversation-host"]' },
    ],
    pane: [
      { name: 'v1', css: '#conversation' },
      { name: 'v2', css: '[data-testid="conversation-panel"]' },
    ],
    threadKey: [
      { name: 'v1', css: '#conversation[data-thread-id]' },
      { name: 'v2', css: '[data-testid="conversation-panel"][data-conversation-id]' },
    ],
    title: [
      { name: 'v1', css: 'header .conv-title' },
      { name: 'v2', css: '[data-testid="conversation-title"]' },
    ],
    subtitle: [
      { name: 'v1', css: 'header .conv-subtitle' },
      { name: 'v2', css: '[data-testid="conversation-subtitle"]' },
    ],
    groupMarker: [
      { name: 'v1', css: '#conversation[data-chat-type="group"]' },
      { name: 'v2', css: '[data-testid="conversation-panel"][data-kind="group"]' },
    ],
    messageList: [
      { name: 'v1', css: '.msg-list' },
      { name: 'v2', css: '[data-testid="message-list"]' },
    ],
    messageRow: [
      { name: 'v1', css: '.msg[data-msg-id]' },
      { name: 'v2', css: '[data-testid="message"][data-message-id]' },
    ],
    outgoing: [
      { name: 'v1', css: '.msg-out' },
      { name: 'v2', css: '[data-direction="out"]' },
    ],
    sender: [
      { name: 'v1', css: '.msg-sender' },
      { name: 'v2', css: '[data-testid="message-author"]' },
    ],
    time: [
      { name: 'v1', css: 'time[datetime]' },
      { name: 'v2', css: '[data-testid="message-time"][datetime]' },
    ],
    text: [
      { name: 'v1', css: '.msg-text' },
      { name: 'v2', css: '[data-testid="message-text"]' },
    ],
  },
  optional: ['subtitle', 'groupMarker', 'outgoing', 'sender'],
  layout: {
    container: ['#app', '[data-testid="app-root"]'],
    widthPx: 360,
  },

  threadKey(ctx) {
    const el = ctx.query('threadKey');
    const id = el?.getAttribute('data-thread-id') ?? el?.getAttribute('data-conversation-id');
    if (id) return id;
    // The pane lost its id attribute (redesign): the URL still names the chat.
    const hash = HASH_THREAD.exec(new URL(ctx.url, 'http://x/').hash)?.[1];
    if (hash) ctx.note('threadKey', 'url');
    return hash ?? null;
  },

  parseMessage(row, ctx): RawMessage | null {
    const text = ctx.query('text', row)?.textContent ?? '';
    const datetime = ctx.query('time', row)?.getAttribute('datetime');
    const at = datetime ? Date.parse(datetime) : NaN;
    const sender = ctx.text('sender', row);
    const siteId = row.getAttribute('data-msg-id') ?? row.getAttribute('data-message-id') ?? undefined;
    return {
      ...(siteId ? { siteId } : {}),
      direction: ctx.is(row, 'outgoing') ? 'out' : 'in',
      ...(sender ? { sender } : {}),
      ...(Number.isFinite(at) ? { at } : {}),
      text: text.trim(),
    };
  },

  contact(ctx, threadKey) {
    const titleEl = ctx.query('title');
    // title attribute first: the visible text may be truncated with an ellipsis.
    const displayName = (titleEl?.getAttribute('title') ?? titleEl?.textContent ?? '').trim();
    const phones = [...subtitlePhones(ctx.text('subtitle') ?? '')];
    const fromId = PHONE_THREAD.exec(threadKey)?.[1];
    if (fromId && !phones.includes(`+${fromId}`)) phones.push(`+${fromId}`);
    return { displayName, handles: { phones, emails: [], siteId: threadKey } };
  },

  isGroup(ctx, threadKey) {
    if (threadKey.startsWith('g_')) return true;
    // Both designs mark the pane element itself: ask it, rather than search a 1:1 chat's whole
    // pane for a marker that is not there (20,000 rows on a first read).
    const pane = ctx.scope !== ctx.doc ? (ctx.scope as Element) : null;
    return pane ? ctx.is(pane, 'groupMarker') : ctx.query('groupMarker') !== null;
  },
};
