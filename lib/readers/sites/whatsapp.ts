// Reader for WhatsApp Web. 'current' is the 2025-26 DOM (header span[title], messages under
// [role="application"] in [role="row"] wrappers); 'legacy' the data-testid builds WhatsApp is
// still replacing (conversation-info-header-chat-title, conversation-panel-messages).
// Each variant name has a saved page: test/fixtures/sites/whatsapp/<name>.html.
import type { RawMessage, ReaderContext, SiteReader } from '../types';

// data-id = `<fromMe>_<chat address>_<message id>[_<participant>]`; the chat address is the
// stable thread key (a rename changes the title, never this).
const DATA_ID = /^(true|false)_([^_@\s]+@(?:c\.us|g\.us|lid|s\.whatsapp\.net|broadcast|newsletter))_([^_\s]+)/;
// "[12:34, 12/14/2025] Alice: " — also "[9:05 PM, 14/12/2025]" and "[下午9:05, 2025/12/14]".
const PRE_PLAIN = /^\[([^,\]]+),\s*([^\]]+)\]\s?(.*?):\s?$/s;

/** The chat address and fromMe flag from a row's data-id, or null when it is not one. */
export function parseDataId(dataId: string | null | undefined): { fromMe: boolean; chat: string; msgId: string } | null {
  const m = dataId ? DATA_ID.exec(dataId) : null;
  if (!m) return null;
  return { fromMe: m[1] === 'true', chat: m[2] ?? '', msgId: m[3] ?? '' };
}

/**
 * Epoch ms from data-pre-plain-text, in the browser's time zone (the page prints local time).
 * Date order follows the digits: a 4-digit first part is Y/M/D; a part over 12 tells day from
 * month; an ambiguous date (3/4/2025) is read month-first, as WhatsApp prints in English, unless
 * the page's language is a day-first one.
 */
export function parsePrePlainText(pre: string, lang = ''): { at?: number; sender?: string } {
  const m = PRE_PLAIN.exec(pre.trim() + (pre.trim().endsWith(':') ? '' : ':'));
  if (!m) return {};
  const sender = m[3]?.trim() || undefined;
  const clock = /(\d{1,2})[:.](\d{2})(?::\d{2})?\s*(am|pm|a\.m\.|p\.m\.)?/i.exec(m[1] ?? '');
  const nums = (m[2] ?? '').split(/[^\d]+/).filter(Boolean).map(Number);
  if (!clock || nums.length !== 3) return { sender };
  let hour = Number(clock[1]);
  const minute = Number(clock[2]);
  const meridiem = (clock[3] ?? '').toLowerCase();
  const pm = meridiem.startsWith('p') || /下午|晚上/.test(m[1] ?? '');
  const am = meridiem.startsWith('a') || /上午|凌晨|早上/.test(m[1] ?? '');
  if (pm && hour < 12) hour += 12;
  if (am && hour === 12) hour = 0;
  const [a = 0, b = 0, c = 0] = nums;
  let y: number, mo: number, d: number;
  if (a > 999) [y, mo, d] = [a, b, c];
  else {
    y = c < 100 ? 2000 + c : c;
    const dayFirst = a > 12 || (b <= 12 && !/^(en(-us)?)?$/i.test(lang));
    [d, mo] = dayFirst ? [a, b] : [b, a];
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || hour > 23 || minute > 59) return { sender };
  return { at: new Date(y, mo - 1, d, hour, minute).getTime(), sender };
}

function chatAddress(ctx: ReaderContext): string | null {
  const first = ctx.query('threadKey');
  const found = parseDataId(first?.getAttribute('data-id'));
  if (found || !first?.parentElement) return found?.chat ?? null;
  // The first [data-id] can be a row of another kind: try its siblings' ids.
  for (const el of Array.from(first.parentElement.closest('[role="application"], [data-testid="conversation-panel-messages"]')?.querySelectorAll('[data-id]') ?? [])) {
    const id = parseDataId(el.getAttribute('data-id'));
    if (id) return id.chat;
  }
  return null;
}

export const whatsappReader: SiteReader = {
  id: 'whatsapp',
  matches: ['https://web.whatsapp.com/*'],
  selectors: {
    // The parent of #main: WhatsApp replaces #main on every switch, its parent stays.
    root: [
      { name: 'current', css: 'div:has(> #main)' },
      { name: 'legacy', css: '#app' },
    ],
    pane: [{ name: 'current', css: '#main' }],
    threadKey: [
      { name: 'current', css: '#main [role="application"] [data-id]' },
      { name: 'legacy', css: '#main [data-testid="conversation-panel-messages"] [data-id]' },
    ],
    title: [
      { name: 'current', css: '#main header span[title]' },
      { name: 'legacy', css: '#main [data-testid="conversation-info-header-chat-title"]' },
    ],
    messageList: [
      { name: 'current', css: '#main [role="application"]' },
      { name: 'legacy', css: '#main [data-testid="conversation-panel-messages"]' },
    ],
    messageRow: [
      { name: 'current', css: '[role="row"] > [data-id]' },
      { name: 'legacy', css: '[data-id]' },
    ],
    outgoing: [{ name: 'current', css: '.message-out' }],
    time: [{ name: 'current', css: '.copyable-text[data-pre-plain-text]' }],
    text: [{ name: 'current', css: 'span.selectable-text' }],
  },
  // Sender comes with the time (data-pre-plain-text); an image or sticker row has no text.
  optional: ['text'],
  layout: {
    // The app wrapper, not #app: #app also hosts full-screen overlays that must stay full width.
    container: ['#app > div.app-wrapper-web', '#app > div', '#app'],
    widthPx: 340,
  },

  threadKey: chatAddress,

  parseMessage(row, ctx): RawMessage | null {
    const id = parseDataId(row.getAttribute('data-id'));
    // System rows (date chips, "messages are end-to-end encrypted") have no message data-id.
    if (!id) return null;
    const meta = ctx.query('time', row);
    const { at, sender } = parsePrePlainText(meta?.getAttribute('data-pre-plain-text') ?? '', ctx.doc.documentElement.lang);
    const textEl = ctx.query('text', row);
    const outgoing = ctx.query('outgoing', row) !== null;
    return {
      siteId: id.msgId,
      // fromMe in the id is the site's own truth; the class is the fallback the DOM shows.
      direction: id.fromMe || outgoing ? 'out' : 'in',
      ...(sender ? { sender } : {}),
      ...(at !== undefined ? { at } : {}),
      text: (textEl?.textContent ?? '').trim(),
    };
  },

  contact(ctx, threadKey) {
    const titleEl = ctx.query('title');
    const displayName = (titleEl?.getAttribute('title') ?? titleEl?.textContent ?? '').trim();
    // Only @c.us addresses are phone numbers (international digits). A @lid address is a
    // hidden-number id: no phone handle, and siteId says which kind it is.
    const phone = /^(\d{6,15})@c\.us$/.exec(threadKey)?.[1];
    return { displayName, handles: { phones: phone ? [`+${phone}`] : [], emails: [], siteId: threadKey } };
  },

  isGroup(_ctx, threadKey) {
    return threadKey.endsWith('@g.us');
  },
};
