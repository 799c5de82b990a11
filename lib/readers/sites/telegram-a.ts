// Reader for Telegram Web A (web.telegram.org/a/). 'current' is today's A (.MessageList,
// rows .Message.message-list-item[data-message-id], .fullName title, avatar with data-peer-id);
// 'legacy' older A builds (rows id="message<id>" without data-message-id, h3 title,
// .messages-container). Each variant name has a saved page: test/fixtures/sites/telegram-a/<name>.html.
// A prints times only as localized text ("12:34" under a "Today" chip): no `at` is guessed.
import type { RawMessage, SiteReader } from '../types';
import { bodyText, telegramContact, telegramThreadKey } from './telegram-k';

const ROW_ID = /^message-?(\d+)$/;

export const telegramAReader: SiteReader = {
  id: 'telegram-a',
  matches: ['https://web.telegram.org/a/*'],
  selectors: {
    root: [
      { name: 'current', css: '#MiddleColumn' },
      { name: 'legacy', css: '#Main' },
    ],
    pane: [{ name: 'current', css: '#MiddleColumn' }],
    threadKey: [
      { name: 'current', css: '.MiddleHeader .ChatInfo .Avatar[data-peer-id]' },
      { name: 'legacy', css: '.ChatInfo [data-peer-id]' },
    ],
    title: [
      { name: 'current', css: '.MiddleHeader .ChatInfo .info .fullName' },
      { name: 'legacy', css: '.ChatInfo .info h3' },
    ],
    subtitle: [{ name: 'current', css: '.MiddleHeader .ChatInfo .status' }],
    messageList: [
      { name: 'current', css: '.MessageList' },
      { name: 'legacy', css: '.messages-container' },
    ],
    messageRow: [
      { name: 'current', css: '.Message.message-list-item[data-message-id]' },
      { name: 'legacy', css: '.Message[id^="message"]' },
    ],
    outgoing: [{ name: 'current', css: '.own' }],
    sender: [
      { name: 'current', css: '.message-title .sender-title' },
      { name: 'legacy', css: '.message-title' },
    ],
    text: [{ name: 'current', css: '.text-content' }],
  },
  optional: ['subtitle', 'sender', 'text'],
  // The middle column: the chat list (left) and the composer (inside it) stay visible.
  layout: { container: ['#MiddleColumn', '#Main'], widthPx: 340 },

  threadKey: telegramThreadKey,

  parseMessage(row, ctx): RawMessage | null {
    const siteId = row.getAttribute('data-message-id') ?? ROW_ID.exec(row.id)?.[1];
    const sender = ctx.text('sender', row);
    return {
      ...(siteId ? { siteId } : {}),
      direction: ctx.is(row, 'outgoing') ? 'out' : 'in',
      ...(sender ? { sender } : {}),
      text: bodyText(ctx.query('text', row), '.MessageMeta, .Reactions, .message-title'),
    };
  },

  contact: telegramContact,

  isGroup(_ctx, threadKey) {
    return threadKey.startsWith('-');
  },
};
