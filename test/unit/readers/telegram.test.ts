// The Telegram Web K and A readers over every saved variant (DOM: happy-dom, see fixture-dom).
import { afterEach, describe, expect, it } from 'vitest';
import { readerForUrl } from '../../../lib/readers/registry';
import { telegramAReader } from '../../../lib/readers/sites/telegram-a';
import { telegramHashKey, telegramKReader } from '../../../lib/readers/sites/telegram-k';
import type { SiteReader } from '../../../lib/readers/types';
import { openFixture, watch } from './fixture-dom';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

function read(reader: SiteReader, name: string, url: string, prepare?: (doc: Document) => void) {
  const page = openFixture(reader.id, name, url);
  prepare?.(page.doc);
  const w = watch(reader, page.doc);
  cleanup = async () => {
    w.ac.abort();
    await page.close();
  };
  w.running.readNow();
  return w.last();
}

describe('telegram-k, variant current: a 1:1 chat', () => {
  const snap = () => read(telegramKReader, 'current', 'https://web.telegram.org/k/#@zhangwei_sh');

  it('reads through the current selectors', () => {
    const { health } = snap();
    expect(health).toEqual({
      site: 'telegram-k',
      ok: true,
      fields: {
        root: 'current', pane: 'current', threadKey: 'current', title: 'current', subtitle: 'current',
        messageList: 'current', messageRow: 'current', outgoing: 'current', time: 'current',
        sender: null, text: 'current', groupMarker: null,
      },
      missing: [],
    });
  });

  it('keys by the peer id, with the @username and the header phone as handles', () => {
    const c = snap().conversation;
    expect(c?.threadKey).toBe('5012345678');
    expect(c?.isGroup).toBe(false);
    expect(c?.contact).toEqual({
      displayName: '张伟',
      handles: { phones: ['+86 138 0013 8000', '186 1234 5678'], emails: [], username: 'zhangwei_sh', siteId: '5012345678' },
    });
  });

  it('parses mid, direction, data-timestamp seconds and text without the nested time', () => {
    expect(snap().conversation?.messages).toEqual([
      { id: '5012345678/1201', direction: 'in', at: 1765715640_000, text: '你好，我想咨询一下经营贷' },
      { id: '5012345678/1202', direction: 'out', at: 1765715760_000, text: '张总您好！' },
      { id: '5012345678/1203', direction: 'in', at: 1765716000_000, text: '<img src=x onerror=alert(1)> 电话 186 1234 5678' },
    ]);
  });

  it('falls back to the URL hash when no element carries the peer id, and says so', () => {
    const { conversation, health } = read(telegramKReader, 'current', 'https://web.telegram.org/k/#-1001987654321', (doc) => {
      for (const el of Array.from(doc.querySelectorAll('[data-peer-id]'))) el.removeAttribute('data-peer-id');
    });
    expect(conversation?.threadKey).toBe('-1001987654321');
    expect(conversation?.isGroup).toBe(true);
    expect(health.fields.threadKey).toBe('url');
  });

  it('marks a chat with .bubbles-inner.is-chat as a group', () => {
    const { conversation, health } = read(telegramKReader, 'current', 'https://web.telegram.org/k/', (doc) =>
      doc.querySelector('.bubbles-inner')?.classList.add('is-chat'),
    );
    expect(conversation?.isGroup).toBe(true);
    expect(health.fields.groupMarker).toBe('current');
  });
});

describe('telegram-k, variant legacy: a supergroup', () => {
  it('reads the peer id from the bubbles and the older title and list', () => {
    const { conversation: c, health } = read(telegramKReader, 'legacy', 'https://web.telegram.org/k/#-1001987654321');
    expect(health.fields).toMatchObject({ threadKey: 'legacy', title: 'legacy', messageList: 'legacy', sender: 'legacy' });
    expect(health.missing).toEqual([]);
    expect(c?.threadKey).toBe('-1001987654321');
    expect(c?.isGroup).toBe(true);
    expect(c?.contact.displayName).toBe('贷款客户群');
    // "1 234 members" is not a phone, and members' messages give none either.
    expect(c?.contact.handles).toEqual({ phones: [], emails: [], siteId: '-1001987654321' });
    expect(c?.messages.map((m) => [m.direction, m.sender ?? null, m.at, m.text])).toEqual([
      ['in', '赵强', 1765890000_000, '利率多少？'],
      ['out', null, 1765890300_000, '年化 3.5% 起'],
    ]);
  });
});

describe('telegram-a, variant current: a 1:1 chat', () => {
  it('reads through the current selectors and keys by the avatar peer id', () => {
    const { conversation: c, health } = read(telegramAReader, 'current', 'https://web.telegram.org/a/#5012345678');
    expect(health.fields).toEqual({
      root: 'current', pane: 'current', threadKey: 'current', title: 'current', subtitle: 'current',
      messageList: 'current', messageRow: 'current', outgoing: 'current', sender: null, text: 'current',
    });
    expect(health.missing).toEqual([]);
    expect(c?.threadKey).toBe('5012345678');
    expect(c?.isGroup).toBe(false);
    expect(c?.contact).toEqual({ displayName: '张伟', handles: { phones: ['+86 186 1234 5678'], emails: [], siteId: '5012345678' } });
    // No machine-readable time on A: none is guessed.
    expect(c?.messages).toEqual([
      { id: '5012345678/1201', direction: 'in', text: '你好，我想咨询一下经营贷' },
      { id: '5012345678/1202', direction: 'out', text: '张总您好！' },
      { id: '5012345678/1203', direction: 'in', text: '我的电话 +86 186 1234 5678 <svg onload=alert(1)>' },
    ]);
  });
});

describe('telegram-a, variant legacy: a supergroup', () => {
  it('reads ids from id="message<id>" and senders from .message-title', () => {
    const { conversation: c, health } = read(telegramAReader, 'legacy', 'https://web.telegram.org/a/#-1001987654321');
    expect(health.fields).toMatchObject({ threadKey: 'legacy', title: 'legacy', messageList: 'legacy', messageRow: 'legacy', sender: 'legacy' });
    expect(c?.threadKey).toBe('-1001987654321');
    expect(c?.isGroup).toBe(true);
    expect(c?.messages).toEqual([
      { id: '-1001987654321/88001', direction: 'in', sender: '赵强', text: '利率多少？' },
      { id: '-1001987654321/88002', direction: 'out', text: '年化 3.5% 起' },
    ]);
  });
});

describe('telegram, broken pages', () => {
  it.each([
    [telegramKReader, 'https://web.telegram.org/k/'],
    [telegramAReader, 'https://web.telegram.org/a/'],
  ])('%s: unreadable, no conversation', (reader, url) => {
    const { conversation, health } = read(reader, 'broken', url);
    expect(conversation).toBeNull();
    expect(health.ok).toBe(false);
    expect(health.missing).toEqual(expect.arrayContaining(['threadKey', 'title', 'messageList']));
  });
});

describe('telegram URLs', () => {
  it.each([
    ['https://web.telegram.org/k/#@alice_01', '@alice_01'],
    ['https://web.telegram.org/k/#-1001234567890', '-1001234567890'],
    ['https://web.telegram.org/a/#777000', '777000'],
    ['https://web.telegram.org/a/#777000_12', '777000'],
    ['https://web.telegram.org/k/#?tgaddr=tg%3A%2F%2Fresolve', null],
    ['https://web.telegram.org/k/', null],
    ['https://web.telegram.org/k/#@a', null],
  ])('telegramHashKey(%s) = %s', (url, key) => {
    expect(telegramHashKey(url)).toBe(key);
  });

  it('picks K or A by path', () => {
    expect(readerForUrl('https://web.telegram.org/k/#@alice_01')?.id).toBe('telegram-k');
    expect(readerForUrl('https://web.telegram.org/a/#777000')?.id).toBe('telegram-a');
    expect(readerForUrl('https://web.telegram.org/z/')).toBeUndefined();
  });
});
