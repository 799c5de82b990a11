// Reader for the Feishu / Lark web messenger. 'current' follows the 2025-26 messenger seen by
// several independent userscripts (.lark_feedMainList cards [data-feed-id], .chatWindow_chatName,
// .messageItem-wrapper[data-id] in .list_items); 'legacy' the older one (.feedCard_item cards,
// .js-message-item[id] rows). Feishu is the least documented site: keep fallbacks generous.
// Each variant name has a saved page: test/fixtures/sites/feishu/<name>.html.
import type { RawMessage, SiteReader } from '../types';

// Feishu chat ids: oc_ followed by hex (open chat id), in the feed card or the URL.
const CHAT_ID = /\boc_[0-9a-zA-Z]{8,64}\b/;

/**
 * Epoch ms from what .message-timestamp prints, only when it is unambiguous: a full date
 * ("2025/12/14 12:34", "2025-12-14 12:34", "2025年12月14日 12:34"), a date in this year
 * ("12月14日 12:34"), or a bare time, which Feishu shows only for today's messages.
 * Relative words ("昨天 12:34", "Yesterday") are localized text: no time rather than a guess.
 */
export function parseFeishuTime(text: string, now = new Date()): number | undefined {
  const t = text.trim();
  let m = /^(\d{4})[/\-年.](\d{1,2})[/\-月.](\d{1,2})日?\s+(\d{1,2}):(\d{2})$/.exec(t);
  if (m) return at(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  m = /^(\d{1,2})月(\d{1,2})日\s*(\d{1,2}):(\d{2})$/.exec(t);
  if (m) return at(now.getFullYear(), Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]));
  m = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (m) return at(now.getFullYear(), now.getMonth() + 1, now.getDate(), Number(m[1]), Number(m[2]));
  return undefined;
}

function at(y: number, mo: number, d: number, h: number, mi: number): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return undefined;
  return new Date(y, mo - 1, d, h, mi).getTime();
}

export const feishuReader: SiteReader = {
  id: 'feishu',
  matches: [
    'https://*.feishu.cn/messenger/*',
    'https://*.feishu.cn/next/messenger/*',
    'https://*.larksuite.com/messenger/*',
    'https://*.larksuite.com/next/messenger/*',
  ],
  selectors: {
    // The app root: the chat window is re-rendered on a switch, the root stays.
    root: [
      { name: 'current', css: '#root' },
      { name: 'legacy', css: '#app' },
    ],
    pane: [
      { name: 'current', css: '.chatWindow' },
      { name: 'legacy', css: '.chat-window' },
    ],
    // The open chat's card in the feed list carries its oc_ id (looked up in the document).
    threadKey: [
      { name: 'current', css: '[data-feed-id^="oc_"][aria-selected="true"], [data-feed-id^="oc_"].active' },
      { name: 'legacy', css: '[data-chat-id^="oc_"]' },
    ],
    title: [
      { name: 'current', css: '.chatWindow_chatName' },
      // Hashed class names keep their readable stem.
      { name: 'legacy', css: '[class*="chatName"]' },
    ],
    messageList: [
      { name: 'current', css: '.list_items' },
      { name: 'legacy', css: '.message-list' },
    ],
    messageRow: [
      { name: 'current', css: '.messageItem-wrapper[data-id]' },
      { name: 'legacy', css: '.js-message-item[id]' },
    ],
    outgoing: [{ name: 'current', css: '.message-self' }],
    sender: [{ name: 'current', css: '.message-info-name' }],
    time: [{ name: 'current', css: '.message-timestamp' }],
    text: [
      { name: 'current', css: '.richTextContainer' },
      { name: 'legacy', css: '.message-text' },
    ],
    groupMarker: [
      { name: 'current', css: '.chatWindow_memberCount' },
      { name: 'legacy', css: '[class*="memberCount"]' },
    ],
  },
  // Consecutive messages of one sender hide the name and time; images have no text.
  optional: ['sender', 'time', 'text', 'groupMarker'],
  // The messenger's app root, stable across chat switches (the chat window is re-rendered).
  layout: { container: ['#root', '#app', 'body > div'], widthPx: 340 },

  threadKey(ctx) {
    const el = ctx.query('threadKey', ctx.doc);
    const id = CHAT_ID.exec(el?.getAttribute('data-feed-id') ?? el?.getAttribute('data-chat-id') ?? '')?.[0];
    if (id) return id;
    // Deep links carry the chat id (?chatId=oc_…, #…oc_…).
    const fromUrl = CHAT_ID.exec(ctx.url)?.[0];
    if (fromUrl) ctx.note('threadKey', 'url');
    return fromUrl ?? null;
  },

  parseMessage(row, ctx): RawMessage | null {
    const siteId = row.getAttribute('data-id') || row.id || undefined;
    const sender = ctx.text('sender', row);
    const time = ctx.text('time', row);
    const at = time ? parseFeishuTime(time) : undefined;
    return {
      ...(siteId ? { siteId } : {}),
      direction: ctx.query('outgoing', row) ? 'out' : 'in',
      ...(sender ? { sender } : {}),
      ...(at !== undefined ? { at } : {}),
      text: (ctx.query('text', row)?.textContent ?? '').trim(),
    };
  },

  contact(ctx, threadKey) {
    const displayName = (ctx.text('title') ?? '').trim();
    // Feishu shows no phone in the chat; numbers the customer types are picked up by the runtime.
    return { displayName, handles: { phones: [], emails: [], siteId: threadKey } };
  },

  isGroup(ctx) {
    return ctx.query('groupMarker') !== null;
  },
};
