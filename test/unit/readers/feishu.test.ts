// The Feishu / Lark messenger reader on the saved page of late 2026 (DOM: happy-dom, see
// fixture-dom). The fixture's structures and their sources: test/fixtures/sites/feishu/SOURCES.md.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readerForUrl } from '../../../lib/readers/registry';
import { feishuIdTime, feishuReader } from '../../../lib/readers/sites/feishu';
import type { SiteReader } from '../../../lib/readers/types';
import { openFixture, watch } from './fixture-dom';
import { fakeReaderClock, settle } from './reader-clock';

const CHEN = '7618414996506951681'; // the open 1:1 chat's feed id
const GROUP = '7540930767261466625';
const WANG = '7712662180133142529';
const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number) => Date.UTC(y, mo - 1, d, h, mi, s);

let cleanup: (() => Promise<void>) | undefined;
beforeEach(fakeReaderClock);
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
  vi.useRealTimers();
});

function start(name = 'current', prepare?: (doc: Document) => void, reader: SiteReader = feishuReader, url = 'https://xyz.feishu.cn/next/messenger/') {
  const page = openFixture('feishu', name, url);
  const doc = page.doc;
  // What the fixture's scaffolding script keeps at load: the first chat, to reopen it.
  const pane = doc.querySelector('.chatContainer');
  if (pane) {
    const first = doc.createElement('template');
    first.id = `chat-${CHEN}`;
    first.setAttribute('data-p2p', String(pane.classList.contains('p2pChat')));
    for (const n of Array.from(pane.childNodes)) first.content.append(n.cloneNode(true));
    doc.body.append(first);
  }
  prepare?.(doc);
  const w = watch(reader, doc);
  cleanup = async () => {
    w.ac.abort();
    await page.close();
  };
  w.running.readNow();
  return { ...w, doc };
}

/** What the fixture's scaffolding script does on a feed-card click (a React re-render). */
function openChat(doc: Document, feedId: string) {
  const card = doc.querySelector(`[data-feed-id="${feedId}"]`);
  const tpl = doc.getElementById(`chat-${feedId}`) as HTMLTemplateElement | null;
  const pane = doc.querySelector('.chatContainer');
  if (!card || !tpl || !pane) throw new Error(`no card or template for ${feedId}`);
  for (const item of Array.from(doc.querySelectorAll('[data-feed-id] .a11y_feed_card_item'))) {
    const on = item.closest('[data-feed-id]') === card;
    item.setAttribute('data-feed-active', String(on));
    item.classList.toggle('_2a5a61c', on);
  }
  pane.classList.toggle('p2pChat', tpl.getAttribute('data-p2p') === 'true');
  pane.replaceChildren(tpl.content.cloneNode(true));
}

describe('feishu: the open 1:1 chat', () => {
  it('reads through the current selectors, with no issue', () => {
    const { health } = start().last();
    expect(health).toEqual({
      site: 'feishu',
      ok: true,
      fields: {
        root: 'current', pane: 'current', threadKey: 'current', title: 'current', messageList: 'current',
        messageRow: 'current', outgoing: 'current', sender: null, text: 'current', groupMarker: null,
      },
      missing: [],
      issues: [],
    });
  });

  it('keys by the active feed card’s 19-digit data-feed-id', () => {
    const c = start().last().conversation;
    expect(c?.threadKey).toBe(CHEN);
    expect(c?.weakKey).toBeUndefined();
    expect(c?.isGroup).toBe(false);
  });

  it('takes the phone typed in a second paragraph, never the signature’s, the quote’s or our own', () => {
    // Signature: 总机 021-6288 3500; our message and the quote of it: 400-820-1234.
    expect(start().last().conversation?.contact).toEqual({ displayName: '陈思远', handles: { phones: ['139-1234-5678'], emails: [] } });
  });

  it('reads every message once: all paragraphs, emoji as text, no quote/reactions/tips, exact times from ids', () => {
    const k = (id: string) => `${CHEN}/${id}`;
    expect(start().last().conversation?.messages).toEqual([
      // The three 1-px rows scrolled away still hold their message (F3): read, not invented.
      { id: k('7714623748495081473'), direction: 'in', at: utc(2026, 12, 2, 8, 40, 12), text: '上次说的资料我收到了' },
      { id: k('7714623966570070017'), direction: 'out', at: utc(2026, 12, 2, 8, 41, 3), text: '好的，有问题随时联系' },
      { id: k('7714624113105436673'), direction: 'out', at: utc(2026, 12, 2, 8, 41, 37), text: '明天上午给您回电' },
      // (the date divider is no message)
      { id: k('7715263367651131393'), direction: 'in', at: utc(2026, 12, 4, 2, 2, 15), text: '您好，我想了解一下企业贷款的方案。\n我的手机 139-1234-5678，下午方便电话联系' },
      { id: k('7715263509559689217'), direction: 'in', at: utc(2026, 12, 4, 2, 2, 48), text: '谢谢[呲牙]' },
      { id: k('7715264206614528001'), direction: 'out', at: utc(2026, 12, 4, 2, 5, 31), text: '好的陈总，稍后给您电话。\n也可以直接打我们的热线 400-820-1234' },
      { id: k('7715264599459233793'), direction: 'in', at: utc(2026, 12, 4, 2, 7, 2), text: '好的，等您电话' },
      { id: k('7715265018555908097'), direction: 'in', at: utc(2026, 12, 4, 2, 8, 40), text: '<img src=x onerror=alert(1)>' },
    ]);
  });

  it('the id repeated on wrapper, item and menu trigger gives one message per id', () => {
    const { doc, last } = start();
    const ids = last().conversation?.messages.map((m) => m.id) ?? [];
    expect(doc.querySelectorAll('[id="7715263367651131393"]').length).toBe(2); // the fixture has the duplicate
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.some((id) => id.includes('~'))).toBe(false);
  });

  it('skips a row scrolled away whose content is gone, rather than reporting an empty message', () => {
    const { conversation } = start('current', (doc) => {
      doc.querySelector('[data-id="7714623748495081473"] .message-container')?.replaceChildren();
    }).last();
    expect(conversation?.messages.map((m) => m.id)).not.toContain(`${CHEN}/7714623748495081473`);
    expect(conversation?.messages.every((m) => m.text !== '')).toBe(true);
  });

  it('takes no number from the personal signature, whatever it says', () => {
    const { conversation } = start('current', (doc) => {
      const sig = doc.querySelector('.chatNewWindow_chatterDescription');
      if (sig) sig.textContent = '手机 138 0013 8000 微信同号';
      doc.querySelector('[data-id="7715263367651131393"] .richTextContainer:nth-child(2)')?.remove();
    }).last();
    expect(conversation?.contact.handles.phones).toEqual([]);
    expect(conversation?.contact.displayName).toBe('陈思远');
  });
});

describe('feishu: thread key', () => {
  it('has no key when no card is active, and does not make one up from the title', () => {
    const { conversation, health } = start('current', (doc) => {
      doc.querySelector('[data-feed-active="true"]')?.setAttribute('data-feed-active', 'false');
    }).last();
    expect(conversation).toBeNull();
    expect(health.ok).toBe(false);
    expect(health.fields.threadKey).toBeNull();
    expect(health.issues).toContainEqual({ cause: 'fields', detail: 'threadKey' });
  });

  it('finds the active card one wrapper deeper (the 2026 desktop tree has a hashed level there)', () => {
    const { conversation } = start('current', (doc) => {
      for (const wrapper of Array.from(doc.querySelectorAll('[data-feed-id]'))) {
        const level = doc.createElement('div');
        level.className = '_13e3ffd';
        level.append(...Array.from(wrapper.childNodes));
        wrapper.append(level);
      }
    }).last();
    expect(conversation?.threadKey).toBe(CHEN);
  });

  it('without any data-feed-active, takes the card with a class of its own and the chat’s name, marked weak', () => {
    const { conversation, health } = start('current', (doc) => {
      for (const it of Array.from(doc.querySelectorAll('[data-feed-active]'))) it.removeAttribute('data-feed-active');
    }).last();
    expect(conversation?.threadKey).toBe(CHEN);
    expect(conversation?.weakKey).toBe(true);
    expect(health.fields.threadKey).toBe('cardClass');
    expect(health.issues).toEqual([{ cause: 'weakKey', detail: 'cardClass' }]);
  });

  it('without data-feed-active, a card with a class of its own but another name is no key', () => {
    const { conversation } = start('current', (doc) => {
      for (const it of Array.from(doc.querySelectorAll('[data-feed-active]'))) it.removeAttribute('data-feed-active');
      const title = doc.querySelector('.chatWindow_chatName');
      if (title) title.textContent = '陈思远（恒通）';
    }).last();
    expect(conversation).toBeNull();
  });

  it('flags a feed id that is not 19 digits (the oc_ ids other projects assumed never appear)', () => {
    const { conversation, health } = start('current', (doc) => {
      doc.querySelector(`[data-feed-id="${CHEN}"]`)?.setAttribute('data-feed-id', 'oc_5f3a9c2b7d1e4f60a8b9c0d1e2f3a4b5');
    }).last();
    expect(conversation).toBeNull();
    expect(health.issues).toContainEqual({ cause: 'idFormat', detail: 'feedId' });
  });

  it('flags message ids of another format', () => {
    const { conversation, health } = start('current', (doc) => {
      doc.querySelector('[data-id="7715265018555908097"]')?.setAttribute('data-id', 'om_dc13264520392913993dd051dba21dcf');
    }).last();
    expect(conversation).toBeNull();
    expect(health.issues.map((i) => i.cause)).toContain('idFormat');
  });
});

describe('feishu: the sidebar’s .list_items comes first', () => {
  it('is in the fixture, before the chat’s list', () => {
    const { doc } = start();
    expect(doc.querySelector('.list_items')?.closest('.lark_feedMainList')).not.toBeNull();
  });

  it('the old selectors (.chatWindow pane, .list_items) read the sidebar: the runtime says noRows, not ok', () => {
    // No .chatWindow exists, so .list_items was looked up in the document: the sidebar's came first.
    const naive: SiteReader = {
      ...feishuReader,
      selectors: { ...feishuReader.selectors, pane: [{ name: 'old', css: '.chatWindow' }], messageList: [{ name: 'old', css: '.list_items' }] },
    };
    const { conversation, health } = start('current', undefined, naive).last();
    expect(conversation).toBeNull();
    expect(health.issues.map((i) => i.cause)).toContain('noRows');
  });

  it('when the chat’s list is renamed, the sidebar’s is not taken instead', () => {
    const { conversation, health } = start('current', (doc) => {
      doc.querySelector('.chatMessages .list_items')?.setAttribute('class', 'virtual_rows');
    }).last();
    expect(conversation).toBeNull();
    expect(health.ok).toBe(false);
    expect(health.fields.messageList).toBeNull();
    expect(health.issues).toContainEqual({ cause: 'fields', detail: 'messageList' });
  });
});

describe('feishu: switching chats by feed-card click', () => {
  it('follows a switch to the group: new key and epoch, senders carried across runs, no phones, no system row or card', async () => {
    const w = start();
    const before = w.last().epoch;
    openChat(w.doc, GROUP);
    await settle(w, 80);
    const { conversation: c, epoch, health } = w.last();
    expect(epoch).toBe(before + 1);
    expect(health.issues).toEqual([]);
    expect(c?.threadKey).toBe(GROUP);
    expect(c?.isGroup).toBe(true);
    expect(c?.contact).toEqual({ displayName: '华东渠道合作群', handles: { phones: [], emails: [] } });
    const k = (id: string) => `${GROUP}/${id}`;
    expect(c?.messages).toEqual([
      { id: k('7714879458983559169'), direction: 'in', sender: '李雷', at: utc(2026, 12, 3, 1, 12, 30), text: '@所有人 本周线索已导入，请大家跟进' },
      { id: k('7714879599523774465'), direction: 'in', sender: '李雷', at: utc(2026, 12, 3, 1, 13, 2), text: '新客户电话 137 0000 1111，明天联系' },
      { id: k('7714885448288813057'), direction: 'out', sender: '李娜', at: utc(2026, 12, 3, 1, 35, 44), text: '收到，陈总那边我来跟进' },
      { id: k('7714886591149817857'), direction: 'in', sender: '韩梅梅', at: utc(2026, 12, 3, 1, 40, 10), text: '辛苦了' },
      { id: k('7714886678996303873'), direction: 'in', sender: '韩梅梅', at: utc(2026, 12, 3, 1, 40, 31), text: '[呲牙]' },
    ]);
    expect(health.fields).toMatchObject({ groupMarker: 'current', sender: 'current' });
  });

  it('keeps the bot tag out of the name and does not carry a name across a break in the run', async () => {
    const w = start();
    openChat(w.doc, GROUP);
    // The card's row (线索助手 + 机器人 tag) becomes a text message, and 李娜's row loses its name.
    const card = w.doc.querySelector('[data-id="7714883969034240001"] .card-message-container');
    card?.replaceWith(w.doc.querySelector('[data-id="7714879599523774465"] .message-content-container')!.cloneNode(true));
    // The tag inside the name element rather than beside it (F3 only says "beside"): still not the name.
    const bot = w.doc.querySelector('[data-id="7714883969034240001"] .message-info');
    bot?.querySelector('.message-info-name')?.append(bot.querySelector('.ud__tag')!);
    w.doc.querySelector('[data-id="7714885448288813057"] .message-info')?.remove();
    w.doc.querySelector('[data-id="7714885448288813057"] .js-message-item')?.classList.remove('message-item-first');
    await settle(w, 80);
    const senders = w.last().conversation?.messages.map((m) => [m.id.split('/')[1], m.sender ?? null]);
    expect(senders).toContainEqual(['7714883969034240001', '线索助手']);
    // An outgoing row after incoming ones is a new run: it is not 线索助手's.
    expect(senders).toContainEqual(['7714885448288813057', null]);
  });

  it('switches back to the same key, and on to another 1:1 chat', async () => {
    const w = start();
    openChat(w.doc, GROUP);
    await settle(w, 60);
    openChat(w.doc, CHEN);
    await settle(w, 60);
    expect(w.last().conversation?.threadKey).toBe(CHEN);
    expect(w.last().conversation?.contact.handles.phones).toEqual(['139-1234-5678']);
    openChat(w.doc, WANG);
    await settle(w, 60);
    const c = w.last().conversation;
    expect(c?.threadKey).toBe(WANG);
    expect(c?.isGroup).toBe(false);
    expect(c?.contact).toEqual({ displayName: '王芳', handles: { phones: [], emails: [] } });
    expect(c?.messages.map((m) => [m.direction, m.text])).toEqual([
      ['in', '你好，我是王芳，展会上加过您'],
      ['out', '王总您好，资料稍后发您'],
    ]);
  });

  // Found by an independent check on pages built from §5 alone (2026-12-05): §5 says nothing
  // of what a switch re-creates or in which order, and between the card moving and the chat
  // being replaced the reader used to report one chat's messages (and typed numbers) under the
  // other chat's key.
  it.each(['card first', 'chat first'] as const)('reads nothing half-way through a switch (%s), then the new chat', async (order) => {
    const w = start();
    const doc = w.doc;
    const moveCard = () => {
      for (const item of Array.from(doc.querySelectorAll('[data-feed-id] .a11y_feed_card_item'))) {
        item.setAttribute('data-feed-active', String(item.closest('[data-feed-id]')?.getAttribute('data-feed-id') === GROUP));
      }
    };
    const replaceChat = () => {
      const tpl = doc.getElementById(`chat-${GROUP}`) as HTMLTemplateElement;
      const pane = doc.querySelector('.chatContainer')!;
      pane.classList.toggle('p2pChat', false);
      pane.replaceChildren(tpl.content.cloneNode(true));
    };
    const [first, second] = order === 'card first' ? [moveCard, replaceChat] : [replaceChat, moveCard];
    first();
    await settle(w);
    expect(w.last().conversation).toBeNull();
    expect(w.last().health.ok).toBe(false);
    second();
    await settle(w);
    expect(w.last().conversation?.threadKey).toBe(GROUP);
    // Every conversation ever reported pairs a key with its own chat's title.
    const titleOf: Record<string, string> = { [CHEN]: '陈思远', [GROUP]: '华东渠道合作群' };
    for (const s of w.snaps) if (s.conversation) expect(s.conversation.contact.displayName).toBe(titleOf[s.conversation.threadKey]);
    expect(w.last().conversation?.contact.handles.phones).toEqual([]);
  });

  it('treats a chat with neither a member count nor a 1:1 mark as a group (no one’s number is taken)', () => {
    const { conversation } = start('current', (doc) => {
      doc.querySelector('.chatContainer')?.classList.remove('p2pChat');
      for (const el of Array.from(doc.querySelectorAll('.message-is-p2p'))) el.classList.remove('message-is-p2p');
    }).last();
    expect(conversation?.isGroup).toBe(true);
    expect(conversation?.contact.handles.phones).toEqual([]);
  });
});

describe('feishu: broken page', () => {
  it('reports the page unreadable (message list not found) and no conversation', () => {
    const { conversation, health } = start('broken').last();
    expect(conversation).toBeNull();
    expect(health.ok).toBe(false);
    expect(health.fields.threadKey).toBe('current');
    expect(health.missing).toContain('messageList');
  });
});

describe('feishu ids and URLs', () => {
  it('decodes the time from a message id exactly (top 32 bits = Unix seconds)', () => {
    // The worked example of §5: 7514210624573128705 → 2025-06-10 06:54:56 UTC (14:54 at UTC+8).
    expect(feishuIdTime('7514210624573128705')).toBe(utc(2025, 6, 10, 6, 54, 56));
    // Low 32 bits all ones: a float division would round up to the next second.
    expect(Math.floor(Number('7715263368298233855') / 2 ** 32)).toBe(1796349736);
    expect(feishuIdTime('7715263368298233855')).toBe(utc(2026, 12, 4, 2, 2, 15));
    expect(feishuIdTime('771526336829823385')).toBeUndefined();
    expect(feishuIdTime('oc_5f3a9c2b7d1e4f60a8b9')).toBeUndefined();
  });

  it.each([
    ['https://acme.feishu.cn/messenger/', 'feishu'],
    ['https://acme.feishu.cn/next/messenger/', 'feishu'],
    ['https://acme.larksuite.com/messenger/', 'feishu'],
    ['https://acme.larksuite.com/next/messenger/', 'feishu'],
    ['https://acme.feishu.cn/docx/abc', undefined],
    ['https://feishu.cn.evil.com/messenger/', undefined],
  ])('readerForUrl(%s)', (url, id) => {
    expect(readerForUrl(url)?.id).toBe(id);
  });
});
