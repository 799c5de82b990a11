// The Feishu / Lark messenger reader over every saved variant (DOM: happy-dom, see fixture-dom).
import { afterEach, describe, expect, it } from 'vitest';
import { readerForUrl } from '../../../lib/readers/registry';
import { feishuReader, parseFeishuTime } from '../../../lib/readers/sites/feishu';
import { openFixture, sleep, watch } from './fixture-dom';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

function start(name: string, url = 'https://acme.feishu.cn/next/messenger/', prepare?: (doc: Document) => void) {
  const page = openFixture('feishu', name, url);
  prepare?.(page.doc);
  const w = watch(feishuReader, page.doc);
  cleanup = async () => {
    w.ac.abort();
    await page.close();
  };
  w.running.readNow();
  return { ...w, doc: page.doc };
}

/** What the fixture's inline script does on a card click: select it, re-render the window. */
function openChat(doc: Document, id: string) {
  for (const c of Array.from(doc.querySelectorAll('[data-feed-id]'))) c.setAttribute('aria-selected', String(c.getAttribute('data-feed-id') === id));
  const tpl = doc.getElementById(`chat-${id}`) as HTMLTemplateElement | null;
  const win = doc.querySelector('.chatWindow');
  if (!tpl || !win) throw new Error(`no template chat-${id}`);
  win.innerHTML = tpl.innerHTML;
}

const local = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo - 1, d, h, mi).getTime();

describe('feishu, variant current: a 1:1 chat', () => {
  it('reads through the current selectors', () => {
    const { health } = start('current').last();
    expect(health).toEqual({
      site: 'feishu',
      ok: true,
      fields: {
        root: 'current', pane: 'current', threadKey: 'current', title: 'current', messageList: 'current',
        messageRow: 'current', outgoing: 'current', sender: 'current', time: 'current', text: 'current', groupMarker: null,
      },
      missing: [],
    });
  });

  it('keys by the selected card’s oc_ id and picks up the phone the customer typed', () => {
    const c = start('current').last().conversation;
    expect(c?.threadKey).toBe('oc_5f3a9c2b7d1e4f60a8b9c0d1e2f3a4b5');
    expect(c?.isGroup).toBe(false);
    expect(c?.contact).toEqual({
      displayName: '王芳',
      handles: { phones: ['139-1234-5678'], emails: [], siteId: 'oc_5f3a9c2b7d1e4f60a8b9c0d1e2f3a4b5' },
    });
  });

  it('parses ids, direction, sender, time and hostile text', () => {
    expect(start('current').last().conversation?.messages).toEqual([
      { id: 'oc_5f3a9c2b7d1e4f60a8b9c0d1e2f3a4b5/7450000000000000001', direction: 'in', sender: '王芳', at: local(2025, 12, 14, 10, 2), text: '您好，想了解一下企业贷款。我的手机 139-1234-5678' },
      { id: 'oc_5f3a9c2b7d1e4f60a8b9c0d1e2f3a4b5/7450000000000000002', direction: 'out', sender: '我', at: local(2025, 12, 14, 10, 5), text: '好的王总，稍后给您电话。' },
      { id: 'oc_5f3a9c2b7d1e4f60a8b9c0d1e2f3a4b5/7450000000000000003', direction: 'in', text: '<a href="javascript:alert(1)">点我</a>' },
    ]);
  });

  it('follows a switch to a group: new key, new epoch, no phones from members', async () => {
    const w = start('current');
    openChat(w.doc, 'oc_0a1b2c3d4e5f60718293a4b5c6d7e8f9');
    await sleep(80);
    const { conversation: c, epoch } = w.last();
    expect(epoch).toBe(2);
    expect(c?.threadKey).toBe('oc_0a1b2c3d4e5f60718293a4b5c6d7e8f9');
    expect(c?.isGroup).toBe(true);
    expect(c?.contact).toEqual({ displayName: '华东渠道群', handles: { phones: [], emails: [], siteId: 'oc_0a1b2c3d4e5f60718293a4b5c6d7e8f9' } });
    expect(c?.messages.map((m) => [m.direction, m.sender ?? null, m.at ?? null])).toEqual([
      ['in', '李雷', local(new Date().getFullYear(), 12, 15, 9, 0)],
      ['out', null, null],
    ]);
  });

  it('takes the oc_ id from a deep link when no card is selected, and says so', () => {
    const { conversation, health } = start('current', 'https://acme.feishu.cn/next/messenger/?chatId=oc_11112222333344445555666677778888', (doc) =>
      doc.querySelector('[aria-selected="true"]')?.setAttribute('aria-selected', 'false'),
    ).last();
    expect(conversation?.threadKey).toBe('oc_11112222333344445555666677778888');
    expect(health.fields.threadKey).toBe('url');
  });
});

describe('feishu, variant legacy', () => {
  it('reads the chat id from the window, the hashed title class and .js-message-item rows', () => {
    const { conversation: c, health } = start('legacy', 'https://acme.feishu.cn/messenger/').last();
    expect(health.fields).toMatchObject({ threadKey: 'legacy', title: 'legacy', messageList: 'legacy', messageRow: 'legacy', text: 'legacy' });
    expect(health.missing).toEqual([]);
    expect(c?.threadKey).toBe('oc_9e8d7c6b5a4f30291807f6e5d4c3b2a1');
    expect(c?.contact.displayName).toBe('陈静');
    expect(c?.messages).toEqual([
      { id: 'oc_9e8d7c6b5a4f30291807f6e5d4c3b2a1/7300000000000000001', direction: 'in', sender: '陈静', at: local(2025, 11, 2, 16, 20), text: '合同已经签好了' },
      { id: 'oc_9e8d7c6b5a4f30291807f6e5d4c3b2a1/7300000000000000002', direction: 'out', at: local(2025, 11, 2, 16, 21), text: '好的，谢谢' },
    ]);
  });
});

describe('feishu, broken page', () => {
  it('reports the page unreadable and no conversation', () => {
    const { conversation, health } = start('broken').last();
    expect(conversation).toBeNull();
    expect(health.ok).toBe(false);
    expect(health.missing).toEqual(expect.arrayContaining(['threadKey', 'title', 'messageList', 'pane']));
  });
});

describe('feishu times and URLs', () => {
  const now = new Date(2026, 2, 5, 18, 0);
  it.each([
    ['2025年12月14日 10:02', local(2025, 12, 14, 10, 2)],
    ['2025/12/14 10:05', local(2025, 12, 14, 10, 5)],
    ['2025-11-02 16:20', local(2025, 11, 2, 16, 20)],
    ['12月15日 09:00', local(2026, 12, 15, 9, 0)],
    ['09:30', local(2026, 3, 5, 9, 30)],
    ['昨天 09:30', undefined],
    ['Yesterday', undefined],
    ['2025/13/01 10:00', undefined],
  ])('parseFeishuTime(%s)', (text, expected) => {
    expect(parseFeishuTime(text, now)).toBe(expected);
  });

  it.each([
    ['https://acme.feishu.cn/messenger/', 'feishu'],
    ['https://acme.feishu.cn/next/messenger/', 'feishu'],
    ['https://acme.larksuite.com/messenger/', 'feishu'],
    ['https://acme.feishu.cn/docx/abc', undefined],
    ['https://feishu.cn.evil.com/messenger/', undefined],
  ])('readerForUrl(%s)', (url, id) => {
    expect(readerForUrl(url)?.id).toBe(id);
  });
});
