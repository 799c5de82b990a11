// The Telegram Web K and A readers on pages rebuilt from the apps' source (DOM: happy-dom, see
// fixture-dom). Switches are made the way each app makes them: K keeps its .chat pane and
// replaces .bubbles-inner (hash rewritten in place); A replaces ChatInfo and MessageList and
// pushes a new address.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Window } from 'happy-dom';
import { readerForUrl } from '../../../lib/readers/registry';
import { telegramAHashKey, telegramAReader } from '../../../lib/readers/sites/telegram-a';
import { telegramKHashKey, telegramKReader } from '../../../lib/readers/sites/telegram-k';
import { canonicalPeerId } from '../../../lib/readers/sites/telegram-shared';
import type { ReaderSnapshot } from '../../../lib/readers/runtime';
import type { SiteReader } from '../../../lib/readers/types';
import { openFixture, watch, type Page } from './fixture-dom';
import { elapse, fakeReaderClock } from './reader-clock';

const K_URL = 'https://web.telegram.org/k/#@zhangwei_sh';
const A_URL = 'https://web.telegram.org/a/#5012345678';

const cleanups: (() => Promise<void>)[] = [];
beforeEach(fakeReaderClock);
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  vi.useRealTimers();
});

function start(reader: SiteReader, name: string, url: string, prepare?: (doc: Document) => void) {
  const page = openFixture(reader.id, name, url);
  prepare?.(page.doc);
  const w = watch(reader, page.doc, { navigationPollMs: 20 });
  cleanups.push(async () => {
    w.ac.abort();
    await page.close();
  });
  return { page, doc: page.doc, ...w };
}

function read(reader: SiteReader, name: string, url: string, prepare?: (doc: Document) => void): ReaderSnapshot {
  const w = start(reader, name, url, prepare);
  w.running.readNow();
  return w.last();
}

/** Waits until the latest snapshot satisfies `ok`, up to 1 s of faked time (the runtime debounces by 20 ms here). */
async function until(last: () => ReaderSnapshot, ok: (s: ReaderSnapshot) => boolean): Promise<ReaderSnapshot> {
  for (let i = 0; i < 100; i++) {
    try {
      const s = last();
      if (ok(s)) return s;
    } catch {
      // no snapshot yet
    }
    await elapse(10);
  }
  return last();
}

/** K's switch (appImManager.setPeer → chat.setPeer), as the fixture's scaffolding script does it. */
function switchK(page: Page, peerId: string) {
  const doc = page.doc;
  const tpl = doc.getElementById(`k-chat-${peerId}`) as HTMLTemplateElement;
  const f = tpl.content.cloneNode(true) as DocumentFragment;
  const chat = doc.querySelector('#column-center .chat.active')!;
  const person = chat.querySelector('.person')!;
  const old = person.querySelector(':scope > .person-avatar');
  person.prepend(f.querySelector('.person-avatar')!);
  old?.remove();
  chat.querySelector('.user-title')!.replaceChildren(f.querySelector('.peer-title')!);
  chat.querySelector('.bottom .info')!.replaceChildren(f.querySelector('.i18n')!);
  const inner = f.querySelector('.bubbles-inner')!;
  chat.querySelector('.bubbles-scrollable > .bubbles-inner')!.replaceWith(inner);
  chat.querySelector('.bubbles-remover')!.classList.toggle('is-chat', inner.classList.contains('is-chat'));
  page.window.history.replaceState(null, '', tpl.getAttribute('data-hash')!);
}

/** A's switch: new ChatInfo and MessageList in the same #MiddleColumn, then history.pushState. */
function switchA(page: Page, id: string) {
  const doc = page.doc;
  const tpl = doc.getElementById(`a-chat-${id}`) as HTMLTemplateElement;
  const f = tpl.content.cloneNode(true) as DocumentFragment;
  doc.querySelector('.MiddleHeader .chat-info-wrapper')!.replaceChildren(f.querySelector('.ChatInfo')!);
  doc.querySelector('#MiddleColumn .messages-layout > .Transition')!.replaceChildren(f.querySelector('.MessageList')!);
  page.window.history.pushState({}, '', tpl.getAttribute('data-hash')!);
}

const PRIVATE_USE = /[\uE000-\uF8FF]/;

describe('canonicalPeerId: one spelling of a chat across K and A', () => {
  it.each([
    ['5012345678', '5012345678'], // a user: the same in both
    ['-1987654321', '-1987654321'], // K's supergroup/channel, and any K chat
    ['-1001987654321', '-1987654321'], // A's spelling of the same supergroup
    ['-1000012345678', '-12345678'], // A pads a short channel id to 12 digits
    ['-123456789', '-123456789'], // a basic group in A: not a channel, unchanged
    ['-999999999999', '-999999999999'], // the largest basic group id stays a basic group
    ['-1000000000001', '-1'], // the smallest A channel
    ['0', null],
    ['-0123', null],
    ['12.5', null],
    ['@alice', null],
    ['', null],
    [null, null],
  ])('%s → %s', (raw, key) => {
    expect(canonicalPeerId(raw)).toBe(key);
  });
});

describe('telegram-k: a 1:1 chat with a premium user (current.html)', () => {
  const snap = () => read(telegramKReader, 'current', K_URL);

  it('reads through the current selectors, healthy', () => {
    const { health } = snap();
    expect(health).toEqual({
      site: 'telegram-k',
      ok: true,
      fields: {
        root: 'current', pane: 'current', threadKey: 'current', title: 'current', messageList: 'current',
        messageRow: 'current', outgoing: 'current', time: 'current', sender: null, text: 'current', groupMarker: null,
      },
      missing: [],
      issues: [],
    });
  });

  it('keys by the header avatar peer id, with the @username of the address as alias and handle', () => {
    const c = snap().conversation!;
    expect(c.threadKey).toBe('5012345678');
    expect(c.keyAliases).toEqual(['@zhangwei_sh']);
    expect(c.isGroup).toBe(false);
    expect(c.contact.handles).toEqual({ phones: ['186 1234 5678'], emails: [], username: 'zhangwei_sh', siteId: '5012345678' });
  });

  it('names the contact without the premium glyph, emoji kept from the image alt', () => {
    const name = snap().conversation!.contact.displayName;
    expect(name).toBe('张伟 🌿');
    expect(name).not.toMatch(PRIVATE_USE);
  });

  it('reads every message with its full text, direction and data-timestamp; no service row, no bubble still sending', () => {
    expect(snap().conversation!.messages).toEqual([
      { id: '5012345678/1201', direction: 'in', at: 1765715640_000, text: '你好，我想咨询一下经营贷 🙏' },
      { id: '5012345678/1202', direction: 'out', at: 1765715760_000, text: '张总您好！' },
      { id: '5012345678/1203', direction: 'in', at: 1765716000_000, text: '<img src=x onerror=alert(1)> 电话 186 1234 5678' },
      { id: '5012345678/1204', direction: 'out', at: 1765716120_000, text: '利率表在这里 https://example.com/rates' },
      { id: '5012345678/1206', direction: 'in', at: 1765716240_000, text: '👍' },
    ]);
  });

  it('reads the real list, not the empty .bubbles-remover that comes first in the page', () => {
    const w = start(telegramKReader, 'current', K_URL);
    expect(w.doc.querySelector('.bubbles-inner')?.classList.contains('bubbles-remover')).toBe(true);
    w.running.readNow();
    expect(w.last().conversation?.messages).toHaveLength(5);
  });

  it('says "decoy" rather than "ok with no messages" when a selector lands on the remover', () => {
    // The reader as it was: the first .bubbles-inner of the page.
    const naive: SiteReader = {
      ...telegramKReader,
      selectors: { ...telegramKReader.selectors, messageList: [{ name: 'current', css: '.bubbles-inner' }] },
    };
    const { conversation, health } = read(naive, 'current', K_URL);
    expect(conversation).toBeNull();
    expect(health.ok).toBe(false);
    expect(health.issues).toContainEqual({ cause: 'decoy', detail: 'remover' });
  });

  it('falls back to the address (#@username) when no element carries the peer id, and says so', () => {
    const { conversation, health } = read(telegramKReader, 'current', K_URL, (doc) => {
      for (const el of Array.from(doc.querySelectorAll('.topbar [data-peer-id]'))) el.removeAttribute('data-peer-id');
    });
    expect(conversation?.threadKey).toBe('@zhangwei_sh');
    expect(conversation?.keyAliases).toBeUndefined();
    expect(conversation?.contact.handles).toEqual({ phones: ['186 1234 5678'], emails: [], username: 'zhangwei_sh' });
    expect(health.fields.threadKey).toBe('url');
  });

  it('takes a message once it has its server id: the sending bubble is rewritten in place', async () => {
    const w = start(telegramKReader, 'current', K_URL);
    const first = await until(w.last, (s) => !!s.conversation);
    expect(first.conversation!.messages.map((m) => m.id)).not.toContain('5012345678/1206.0001');
    // What K does on message_sent: data-mid rewritten, then .is-outgoing dropped and the
    // sending icon in .time/.time-inner replaced by the sent one (bubbles.ts message_sent).
    const bubble = w.doc.querySelector('.bubble[data-mid="1206.0001"]')!;
    bubble.setAttribute('data-mid', '1207');
    bubble.classList.remove('is-outgoing', 'is-sending');
    bubble.classList.add('is-sent');
    for (const icon of Array.from(bubble.querySelectorAll('.time-sending-status'))) {
      const sent = w.doc.createElement('span');
      sent.className = 'tgico time-sending-status';
      sent.textContent = '\ue959';
      icon.replaceWith(sent);
    }
    const after = await until(w.last, (s) => !!s.conversation?.messages.some((m) => m.id === '5012345678/1207'));
    expect(after.conversation!.messages.at(-1)).toEqual({ id: '5012345678/1207', direction: 'out', at: 1765716300_000, text: '稍等，我发您资料' });
    expect(after.health.issues).toEqual([]);
    // No snapshot ever carried the temporary id.
    expect(w.snaps.flatMap((s) => s.conversation?.messages.map((m) => m.id) ?? []).filter((id) => id.includes('.'))).toEqual([]);
  });
});

describe('telegram-k: a switch keeps the .chat pane and replaces .bubbles-inner', () => {
  it('follows the switch to the supergroup: K key, senders on every bubble, forwards as the forwarder’s', async () => {
    const w = start(telegramKReader, 'current', K_URL);
    await until(w.last, (s) => s.conversation?.threadKey === '5012345678');
    const pane = w.doc.querySelector('#column-center .chat.active');
    const epoch = w.running.epoch();
    switchK(w.page, '-1987654321');
    const s = await until(w.last, (x) => x.conversation?.threadKey === '-1987654321');
    expect(w.doc.querySelector('#column-center .chat.active')).toBe(pane);
    expect(s.epoch).toBeGreaterThan(epoch);
    const c = s.conversation!;
    expect(c.isGroup).toBe(true);
    expect(c.keyAliases).toBeUndefined();
    expect(c.contact).toEqual({ displayName: '贷款客户群', handles: { phones: [], emails: [], siteId: '-1987654321' } });
    expect(s.health.fields.groupMarker).toBe('current');
    expect(c.messages).toEqual([
      { id: '-1987654321/4295055297', direction: 'in', sender: '赵强', at: 1765890000_000, text: '利率多少？' },
      { id: '-1987654321/4295055298', direction: 'in', sender: '赵强', at: 1765890060_000, text: '经营贷年化 3.2% 起' },
      { id: '-1987654321/4295055299', direction: 'in', sender: '李娜', at: 1765890120_000, text: '我也想了解 👀' },
      { id: '-1987654321/4295055300', direction: 'out', at: 1765890300_000, text: '年化 3.5% 起，详情私聊' },
    ]);
    expect(s.health.fields.sender).toBe('current');
    expect(s.health.issues).toEqual([]);
  });

  it('takes no phone from a header: "1 234 567 users" on a bot, "1 234 members, 12 online" on a group', async () => {
    const w = start(telegramKReader, 'current', K_URL);
    await until(w.last, (s) => !!s.conversation);
    switchK(w.page, '7012345678');
    const bot = await until(w.last, (s) => s.conversation?.threadKey === '7012345678');
    expect(w.doc.querySelector('.topbar .bottom .info')?.textContent).toBe('1 234 567 users');
    expect(bot.conversation?.isGroup).toBe(false);
    expect(bot.conversation?.contact.handles).toEqual({ phones: [], emails: [], username: 'loancalc_bot', siteId: '7012345678' });
    switchK(w.page, '-1987654321');
    const group = await until(w.last, (s) => s.conversation?.threadKey === '-1987654321');
    expect(w.doc.querySelector('.topbar .bottom .info')?.textContent).toBe('1 234 members, 12 online');
    expect(group.conversation?.contact.handles.phones).toEqual([]);
  });
});

describe('telegram-a: a 1:1 chat with a premium user (current.html)', () => {
  const snap = () => read(telegramAReader, 'current', A_URL);

  it('reads through the current selectors, healthy', () => {
    const { health } = snap();
    expect(health).toEqual({
      site: 'telegram-a',
      ok: true,
      fields: {
        root: 'current', pane: 'current', threadKey: 'current', title: 'current', messageList: 'current',
        messageRow: 'current', outgoing: 'current', sender: null, text: 'current',
      },
      missing: [],
      issues: [],
    });
  });

  it('keys by the header avatar, names the contact from h3.fullName, takes no phone from "last seen 14.12.2025"', () => {
    const c = snap().conversation!;
    expect(c.threadKey).toBe('5012345678');
    expect(c.isGroup).toBe(false);
    expect(c.keyAliases).toBeUndefined();
    expect(c.contact).toEqual({ displayName: '张伟 🌿', handles: { phones: ['186 1234 5678'], emails: [], siteId: '5012345678' } });
  });

  it('reads every message once, without meta, reactions or the translation copy; no time is guessed; the sending one waits', () => {
    expect(snap().conversation!.messages).toEqual([
      { id: '5012345678/1201', direction: 'in', text: '你好，我想咨询一下经营贷 🙏' },
      { id: '5012345678/1202', direction: 'out', text: '张总您好！' },
      { id: '5012345678/1203', direction: 'in', text: '<svg onload=alert(1)> 我的电话 186 1234 5678' },
      { id: '5012345678/1204', direction: 'in', text: 'How much can I borrow?' },
    ]);
  });

  it('takes a message once it has its server id: the same element is rewritten', async () => {
    const w = start(telegramAReader, 'current', A_URL);
    await until(w.last, (s) => !!s.conversation);
    // What A does when the send completes: the element (render key = local id) gets the server id
    // and the pending icon becomes the sent one.
    const row = w.doc.querySelector('.Message[data-message-id="1205.000001"]')!;
    row.setAttribute('data-message-id', '1205');
    row.id = 'message-1205';
    row.querySelector('.bottom-marker')!.setAttribute('data-message-id', '1205');
    const icon = w.doc.createElement('i');
    icon.className = 'icon icon-message-succeeded';
    row.querySelector('.icon-message-pending')!.replaceWith(icon);
    const s = await until(w.last, (x) => !!x.conversation?.messages.some((m) => m.id === '5012345678/1205'));
    expect(s.conversation!.messages.at(-1)).toEqual({ id: '5012345678/1205', direction: 'out', text: '最高 300 万' });
    expect(w.snaps.flatMap((x) => x.conversation?.messages.map((m) => m.id) ?? []).filter((id) => id.includes('.'))).toEqual([]);
  });
});

describe('telegram-a: a switch by history.pushState', () => {
  it('follows the switch to the supergroup: A’s -100… spelled as K does, senders carried across runs', async () => {
    const w = start(telegramAReader, 'current', A_URL);
    await until(w.last, (s) => s.conversation?.threadKey === '5012345678');
    switchA(w.page, '-1001987654321');
    const s = await until(w.last, (x) => x.conversation?.threadKey === '-1987654321');
    expect(w.page.window.location.hash).toBe('#-1001987654321');
    const c = s.conversation!;
    expect(c.isGroup).toBe(true);
    expect(c.contact).toEqual({ displayName: '贷款客户群', handles: { phones: [], emails: [], siteId: '-1987654321' } });
    expect(c.messages).toEqual([
      { id: '-1987654321/88000', direction: 'in', sender: '李娜', text: '大家好' },
      { id: '-1987654321/88002', direction: 'in', sender: '赵强 💼', text: '利率多少？' },
      // Not first in its run: no .message-title; the run says who.
      { id: '-1987654321/88003', direction: 'in', sender: '赵强 💼', text: '能贷多少？' },
      // A forward names its origin; the member who forwarded it is the run's avatar (李娜, named
      // in her earlier run). The fact-check block is not the message.
      { id: '-1987654321/88004', direction: 'in', sender: '李娜', text: '经营贷年化 3.2% 起' },
      { id: '-1987654321/88005', direction: 'in', sender: '李娜', text: '我也想了解 👀' },
      { id: '-1987654321/88006', direction: 'out', text: '年化 3.5% 起，详情私聊' },
    ]);
    expect(s.health.issues).toEqual([]);
  });

  it('keys a Saved Messages sub-dialog by the peer, not by your own id on .saved-dialog-avatar', async () => {
    const w = start(telegramAReader, 'current', A_URL);
    await until(w.last, (s) => !!s.conversation);
    switchA(w.page, '5550001111_8012345678');
    const s = await until(w.last, (x) => x.conversation?.threadKey !== '5012345678');
    expect(s.conversation?.threadKey).toBe('8012345678');
    expect(s.conversation?.contact.displayName).toBe('王芳');
  });

  it('reads an all-incoming chat, the typed phone its only phone', async () => {
    const w = start(telegramAReader, 'current', A_URL);
    await until(w.last, (s) => !!s.conversation);
    switchA(w.page, '9012345678');
    const s = await until(w.last, (x) => x.conversation?.threadKey === '9012345678');
    expect(s.conversation?.messages.map((m) => [m.direction, m.text])).toEqual([
      ['in', '您好，朋友推荐来的'],
      ['in', '想办一笔房贷'],
      ['in', '我的电话 139 1234 5678'],
    ]);
    expect(s.conversation?.contact.handles.phones).toEqual(['139 1234 5678']);
  });

  it('takes a forum topic (no avatar) from the address, the group’s key', () => {
    const { conversation, health } = read(telegramAReader, 'current', 'https://web.telegram.org/a/#-1001987654321_12', (doc) => {
      doc.querySelector('.MiddleHeader .ChatInfo .Avatar')?.remove();
    });
    expect(conversation?.threadKey).toBe('-1987654321');
    expect(health.fields.threadKey).toBe('url');
  });
});

describe('one identity per chat across K and A', () => {
  it('the same user and the same supergroup get the same key in both apps', async () => {
    const k = start(telegramKReader, 'current', K_URL);
    const a = start(telegramAReader, 'current', A_URL);
    const kUser = await until(k.last, (s) => !!s.conversation);
    const aUser = await until(a.last, (s) => !!s.conversation);
    expect(kUser.conversation?.threadKey).toBe(aUser.conversation?.threadKey);
    switchK(k.page, '-1987654321');
    switchA(a.page, '-1001987654321');
    const kGroup = await until(k.last, (s) => s.conversation?.threadKey.startsWith('-') ?? false);
    const aGroup = await until(a.last, (s) => s.conversation?.threadKey.startsWith('-') ?? false);
    expect(kGroup.conversation?.threadKey).toBe('-1987654321');
    expect(aGroup.conversation?.threadKey).toBe(kGroup.conversation?.threadKey);
  });
});

describe('telegram, broken pages', () => {
  it('K with renamed rows: the list shows text but no row is found, so nothing is reported (noRows)', () => {
    const { conversation, health } = read(telegramKReader, 'broken', K_URL);
    expect(conversation).toBeNull();
    expect(health.ok).toBe(false);
    expect(health.issues.map((i) => i.cause)).toContain('noRows');
  });

  it('A with no peer id in the header and no address: unreadable, never keyed by the title', () => {
    const { conversation, health } = read(telegramAReader, 'broken', 'https://web.telegram.org/a/');
    expect(conversation).toBeNull();
    expect(health.ok).toBe(false);
    expect(health.missing).toContain('threadKey');
    expect(health.issues[0]).toEqual({ cause: 'fields', detail: 'threadKey' });
  });
});

describe('telegram addresses', () => {
  it.each([
    ['https://web.telegram.org/k/#@alice_01', '@alice_01'],
    ['https://web.telegram.org/k/#-1987654321', '-1987654321'],
    ['https://web.telegram.org/k/#5012345678', '5012345678'],
    ['https://web.telegram.org/k/#@alice_01?start=x', '@alice_01'],
    ['https://web.telegram.org/k/#?tgaddr=tg%3A%2F%2Fresolve', null],
    ['https://web.telegram.org/k/', null],
    ['https://web.telegram.org/k/#@a', null],
  ])('K: %s → %s', (url, key) => {
    expect(telegramKHashKey(url)).toBe(key);
  });

  it.each([
    ['https://web.telegram.org/a/#5012345678', '5012345678'],
    ['https://web.telegram.org/a/#-1001987654321', '-1987654321'],
    ['https://web.telegram.org/a/#-1001987654321_12', '-1987654321'],
    ['https://web.telegram.org/a/#-123456789_pinned', '-123456789'],
    ['https://web.telegram.org/a/#@alice_01', null],
    ['https://web.telegram.org/a/', null],
  ])('A: %s → %s', (url, key) => {
    expect(telegramAHashKey(url)).toBe(key);
  });

  it('picks K or A by path', () => {
    expect(readerForUrl('https://web.telegram.org/k/#@alice_01')?.id).toBe('telegram-k');
    expect(readerForUrl('https://web.telegram.org/a/#777000')?.id).toBe('telegram-a');
    expect(readerForUrl('https://web.telegram.org/z/')).toBeUndefined();
  });
});

// ---- Red-team cases: pages built from the apps' source, not from the fixtures -------------------
// K: teidesu/tweb eb57231 (= morethanwords/tweb 27b79e69 + later), src/components/chat/bubbles.ts
// (messageMediaContact: .contact[data-peer-id] > .contact-details > .contact-name + .contact-number
// inside .message; a sticker or a photo without caption loses its .message, is-message-empty).
// A: telegram-tt 12.0.32 (meanwebuser/telegram-tt-beauty 8f40a77): MiddleColumn.tsx/MiddleHeader.tsx
// keep the previous key's slide (cleanupExceptionKey) after a stacked navigation; Avatar.tsx puts
// the author's name in aria-label; buildContentClassName names a media message's kind.

/** A page from markup, at `url`, the way openFixture builds one. */
function openHtml(body: string, url: string): Page {
  const window = new Window({ url });
  const doc = window.document as unknown as Document;
  doc.body.innerHTML = body;
  return { window, doc, close: () => window.happyDOM.close() };
}

async function readHtml(reader: SiteReader, body: string, url: string): Promise<ReaderSnapshot> {
  const page = openHtml(body, url);
  const w = watch(reader, page.doc, { navigationPollMs: 20 });
  cleanups.push(async () => {
    w.ac.abort();
    await page.close();
  });
  return until(w.last, (s) => s.health.fields.messageList !== undefined);
}

const kTime = (hm: string) => `<span class="time"><span class="i18n">${hm}</span><div class="time-inner" title="Saturday, 5 December 2026 at ${hm}:00"><span class="i18n">${hm}</span></div></span>`;
function kBubble(mid: number, peer: string, dir: 'in' | 'out', inner: string, cls = '', ts = 1796464800 + mid): string {
  return `<div class="bubble is-${dir} can-have-tail hide-name ${cls}" data-mid="${mid}" data-peer-id="${peer}" data-timestamp="${ts}"><div class="bubble-content-wrapper"><div class="bubble-content">${inner}</div></div></div>`;
}
const kMessage = (html: string, hm = '10:00') => `<div class="message spoilers-container" dir="auto">${html}${kTime(hm)}<div class="clearfix"></div></div>`;
const kCard = (peer: string, name: string, number: string) =>
  `<div class="contact" data-peer-id="${peer}"><div class="avatar avatar-like avatar-54" data-peer-id="${peer}"></div><div class="contact-details"><div class="contact-name">${name}</div><div class="contact-number">${number}</div></div></div>`;
function kPage(peer: string, title: string, bubbles: string[]): string {
  const inner = '<div class="bubbles-inner">';
  return `<div id="column-center"><div class="chats-container tabs-container"><div class="chat tabs-tab active" data-type="chat">
<div class="sidebar-header topbar"><div class="chat-info-container"><div class="chat-info"><div class="person"><div class="avatar avatar-like avatar-40 person-avatar" data-peer-id="${peer}"></div><div class="content"><div class="top"><div class="user-title"><span class="peer-title" data-peer-id="${peer}">${title}</span></div></div><div class="bottom"><div class="info"><span class="i18n">last seen recently</span></div></div></div></div></div></div></div>
<div class="bubbles"><div class="bubbles-remover-container"><div class="bubbles-remover bubbles-inner"></div></div><div class="scrollable scrollable-y bubbles-scrollable"><div class="bubbles-padding bubbles-padding-top"></div>${inner}<section class="bubbles-date-group"><div class="bubble service is-date"><div class="bubble-content"><div class="service-msg">Today</div></div></div><div class="bubble service is-date is-fake"><div class="bubble-content"><div class="service-msg">Today</div></div></div><div class="bubbles-group">${bubbles.join('')}</div></section></div><div class="bubbles-padding bubbles-padding-bottom"></div></div><div class="bubbles-floating-separators-container"></div></div>
</div></div></div>`;
}

describe('telegram-k: red-team pages from tweb’s source', () => {
  const P = '6012345678';
  const K = `https://web.telegram.org/k/#${P}`;

  it('a contact card from the customer naming someone else: the card is read, its number is not taken for the customer', async () => {
    const s = await readHtml(telegramKReader, kPage(P, 'Alice Walker', [
      kBubble(1, P, 'in', kMessage('My number is +44 7700 900123')),
      kBubble(2, P, 'in', kMessage(kCard('6099999999', 'Bob Builder', '+44 7700 900456')), 'contact-message'),
      kBubble(3, P, 'in', kMessage(kCard('0', 'Carol', '+44 7700 900789')), 'contact-message'),
    ]), K);
    expect(s.health.ok).toBe(true);
    expect(s.conversation?.messages.map((m) => m.text)).toEqual(['My number is +44 7700 900123', '[contact] Bob Builder', '[contact] Carol']);
    expect(s.conversation?.contact.handles.phones).toEqual(['+44 7700 900123']);
  });

  it('the customer’s own card (its peer id is the chat’s) keeps its number, and so does a card the viewer sent', async () => {
    const s = await readHtml(telegramKReader, kPage(P, 'Alice Walker', [
      kBubble(1, P, 'in', kMessage(kCard(P, 'Alice Walker', '+44 7700 900123')), 'contact-message'),
      kBubble(2, P, 'out', kMessage(kCard('6099999999', 'Bob Builder', '+44 7700 900456')), 'contact-message'),
    ]), K);
    expect(s.conversation?.messages.map((m) => [m.direction, m.text])).toEqual([
      ['in', '[contact] Alice Walker +44 7700 900123'],
      ['out', '[contact] Bob Builder +44 7700 900456'],
    ]);
    expect(s.conversation?.contact.handles.phones).toEqual(['+44 7700 900123']);
  });

  it('a chat of a sticker and a photo without caption reads as such, healthy (not "every row empty")', async () => {
    const s = await readHtml(telegramKReader, kPage(P, 'Dana Fox', [
      kBubble(1, P, 'in', `<div class="attachment media-sticker-wrapper"><img class="media-sticker" src="blob:x"></div>${kTime('10:00').replace('"time"', '"time is-floating"')}`, 'sticker just-media is-message-empty has-floating-time'),
      kBubble(2, P, 'in', `<div class="attachment media-container"><img class="media-photo" src="blob:y"></div>${kTime('10:01').replace('"time"', '"time is-floating"')}`, 'photo just-media is-message-empty has-floating-time'),
    ]), K);
    expect(s.health.ok).toBe(true);
    expect(s.health.issues).toEqual([]);
    expect(s.conversation?.messages.map((m) => m.text)).toEqual(['[sticker]', '[photo]']);
  });
});

const aMeta = (hm: string) => `<span class="MessageMeta" dir="ltr" data-ignore-on-paste="true"><span class="message-time">${hm}</span></span>`;
function aMsg(id: number, inner: string, cls = '', contentCls = 'text has-shadow'): string {
  return `<div id="message-${id}" class="Message message-list-item allow-selection ${cls}" data-message-id="${id}"><div class="bottom-marker" data-message-id="${id}"></div><div class="message-select-control no-selection"></div><div class="message-content-wrapper can-select-text"><div class="message-content ${contentCls}" dir="auto">${inner}</div></div></div>`;
}
const aText = (t: string) => `<div class="content-inner" dir="auto"><div class="text-content clearfix with-meta" dir="auto">${t}${aMeta('10:00')}</div></div>`;
const aAvatar = (peer: string, name: string, cls = '') =>
  `<div class="Avatar ${cls} size-small no-photo" data-peer-id="${peer}" aria-label="${name}"><div class="inner"><span class="letters">${name.slice(0, 1)}</span></div></div>`;
function aHeader(peer: string | null, name: string, slide: string): string {
  return `<div class="Transition_slide ${slide}"><div class="chat-info-wrapper"><div class="ChatInfo">${peer ? aAvatar(peer, name) : '<div class="topic-header-icon"></div>'}<div class="info">${peer ? `<div class="title"><h3 dir="auto" role="button" class="fullName">${name}</h3></div>` : `<h3 dir="auto" class="fullName">${name}</h3>`}<span class="status" dir="auto"><span class="user-status">online</span></span></div></div></div></div>`;
}
const aList = (rows: string, slide: string) =>
  `<div class="MessageList custom-scroll Transition Transition_slide ${slide}"><div class="messages-container Transition_slide Transition_slide-active"><div class="message-date-group"><div class="sticky-date"><span dir="auto">Today</span></div>${rows}</div></div></div>`;
function aPage(headers: string[], lists: string[]): string {
  return `<div id="Main"><div id="MiddleColumn"><div class="messages-layout"><div class="MiddleHeader"><div class="Transition">${headers.join('')}</div></div><div class="Transition">${lists.join('')}</div></div></div></div>`;
}

describe('telegram-a: red-team pages from telegram-tt’s source', () => {
  const OLD = '6012345678';
  const NEW = '6055555555';
  const oldRows = aMsg(10, aText('old chat message'), 'first-in-group last-in-group');
  const newRows = aMsg(20, aText('new chat message'), 'first-in-group last-in-group');

  it('after a stacked navigation the previous chat’s slide stays before the new one: the active slide is read', async () => {
    const s = await readHtml(telegramAReader, aPage(
      [aHeader(OLD, 'Alice Walker', 'Transition_slide-inactive'), aHeader(NEW, 'Carl Stone', 'Transition_slide-active')],
      [aList(oldRows, 'Transition_slide-inactive'), aList(newRows, 'Transition_slide-active')],
    ), `https://web.telegram.org/a/#${NEW}`);
    expect(s.conversation?.threadKey).toBe(NEW);
    expect(s.conversation?.contact.displayName).toBe('Carl Stone');
    expect(s.conversation?.messages.map((m) => m.text)).toEqual(['new chat message']);
  });

  it('during the slide animation the incoming (-to) slide is read, not the outgoing (-from) one', async () => {
    const s = await readHtml(telegramAReader, aPage(
      [aHeader(OLD, 'Alice Walker', 'Transition_slide-from'), aHeader(NEW, 'Carl Stone', 'Transition_slide-to')],
      [aList(oldRows, 'Transition_slide-from'), aList(newRows, 'Transition_slide-to')],
    ), `https://web.telegram.org/a/#${NEW}`);
    expect(s.conversation?.threadKey).toBe(NEW);
    expect(s.conversation?.messages.map((m) => m.text)).toEqual(['new chat message']);
  });

  it('a forum topic opened over a chat: its live header has no avatar, so the address keys it, not the old slide’s avatar', async () => {
    const s = await readHtml(telegramAReader, aPage(
      [aHeader(OLD, 'Alice Walker', 'Transition_slide-inactive'), aHeader(null, 'Releases', 'Transition_slide-active')],
      [aList(oldRows, 'Transition_slide-inactive'), aList(newRows, 'Transition_slide-active')],
    ), 'https://web.telegram.org/a/#-1001987654321_15');
    expect(s.conversation?.threadKey).toBe('-1987654321');
    expect(s.health.fields.threadKey).toBe('url');
  });

  it('a run whose first message is a forward: the run’s sender comes from its avatar’s name, not from the forward’s origin', async () => {
    const fwdTitle = '<div class="message-title" dir="ltr"><span class="message-title-name-container interactive"><span class="forward-title-container"><span class="forward-title">Forwarded from</span></span><span class="message-title-name"><span class="sender-title">Fiona Gray</span></span></span></div>';
    const run = `<div id="message-group-51-52" class="sender-group-container"><div class="ak7nBGmo">${aAvatar('6011111111', 'Ann Lee')}</div>${aMsg(51, fwdTitle + aText('Report attached').replace('content-inner"', 'content-inner forwarded-message"'), 'first-in-group', 'text is-forwarded')}${aMsg(52, aText('Who has the report?'), 'last-in-group')}</div>`;
    const s = await readHtml(telegramAReader, aPage([aHeader('-4012345678', 'Sales team', 'Transition_slide-active')], [aList(run, 'Transition_slide-active')]), 'https://web.telegram.org/a/#-4012345678');
    expect(s.conversation?.messages.map((m) => [m.sender, m.text])).toEqual([
      ['Ann Lee', 'Report attached'],
      ['Ann Lee', 'Who has the report?'],
    ]);
  });

  it('a chat of a sticker and a photo without caption reads as such, healthy', async () => {
    const rows = aMsg(31, '<div class="content-inner"><div class="media-inner sticker"></div></div>' + aMeta('10:00'), 'first-in-group', 'no-text custom-shape')
      + aMsg(32, '<div class="content-inner"><div class="media-inner"><img class="full-media"></div></div>' + aMeta('10:01'), 'last-in-group', 'no-text media');
    const s = await readHtml(telegramAReader, aPage([aHeader('6066666666', 'Dana Fox', 'Transition_slide-active')], [aList(rows, 'Transition_slide-active')]), 'https://web.telegram.org/a/#6066666666');
    expect(s.health.ok).toBe(true);
    expect(s.conversation?.messages.map((m) => m.text)).toEqual(['[sticker]', '[media]']);
  });
});
