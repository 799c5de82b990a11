// The WhatsApp Web reader over every saved variant (DOM: happy-dom, see fixture-dom).
import { afterEach, describe, expect, it } from 'vitest';
import { parseDataId, parsePrePlainText, whatsappReader } from '../../../lib/readers/sites/whatsapp';
import { fixtureHtml, openFixture, sleep, watch } from './fixture-dom';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

function start(name: string, prepare?: (doc: Document) => void) {
  const page = openFixture('whatsapp', name, 'https://web.whatsapp.com/');
  // openFixture copies the <body> only; the page language decides the date order.
  page.doc.documentElement.lang = /<html lang="([^"]*)"/.exec(fixtureHtml('whatsapp', name))?.[1] ?? '';
  prepare?.(page.doc);
  const w = watch(whatsappReader, page.doc);
  cleanup = async () => {
    w.ac.abort();
    await page.close();
  };
  w.running.readNow();
  return { ...w, doc: page.doc };
}

/** What the fixture's inline script does on a chat-list click: replace #main. */
function openChat(doc: Document, id: string) {
  const tpl = doc.getElementById(`chat-${id}`) as HTMLTemplateElement | null;
  const pane = tpl?.content.firstElementChild?.cloneNode(true);
  if (!pane) throw new Error(`no template chat-${id}`);
  doc.getElementById('main')?.replaceWith(pane);
}

const local = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo - 1, d, h, mi).getTime();

describe('whatsapp reader, variant current: a 1:1 chat with a phone address', () => {
  it('reads every field through the current selectors', () => {
    const { health } = start('current').last();
    expect(health).toEqual({
      site: 'whatsapp',
      ok: true,
      fields: {
        root: 'current', pane: 'current', threadKey: 'current', title: 'current', messageList: 'current',
        messageRow: 'current', outgoing: 'current', time: 'current', text: 'current',
      },
      missing: [],
    });
  });

  it('keys the thread by the chat address and turns @c.us into a phone handle', () => {
    const c = start('current').last().conversation;
    expect(c?.threadKey).toBe('8613800138000@c.us');
    expect(c?.isGroup).toBe(false);
    expect(c?.contact.displayName).toBe('张伟');
    // The address's number, then numbers the customer typed (raw, as written).
    expect(c?.contact.handles).toEqual({ phones: ['+8613800138000', '186 1234 5678'], emails: [], siteId: '8613800138000@c.us' });
  });

  it('parses direction, sender, local time, text and the site message id of every row', () => {
    const msgs = start('current').last().conversation?.messages ?? [];
    expect(msgs.map((m) => [m.id, m.direction, m.sender, m.at])).toEqual([
      ['8613800138000@c.us/3EB0A1B2C3D4E5F60001', 'in', '张伟', local(2025, 12, 14, 12, 34)],
      ['8613800138000@c.us/3EB0A1B2C3D4E5F60002', 'out', 'Me', local(2025, 12, 14, 12, 36)],
      ['8613800138000@c.us/3EB0A1B2C3D4E5F60003', 'in', '张伟', local(2025, 12, 15, 21, 5)],
      ['8613800138000@c.us/3EB0A1B2C3D4E5F60004', 'in', '张伟', local(2025, 12, 15, 21, 6)],
    ]);
    expect(msgs[0]?.text).toBe('你好，我想咨询一下经营贷');
    // Hostile text stays text; a photo row has none.
    expect(msgs[2]?.text).toBe('<script>window.__pwned=1</script>"><svg onload=alert(1)> 我的另一个号码 186 1234 5678');
    expect(msgs[3]?.text).toBe('');
  });

  it('says a @lid chat has no phone: no phone handle, siteId the lid address', async () => {
    const w = start('current');
    openChat(w.doc, 'lid');
    await sleep(80);
    const { conversation: c, epoch } = w.last();
    expect(epoch).toBe(2);
    expect(c?.threadKey).toBe('201234567890123@lid');
    expect(c?.contact).toEqual({ displayName: '~Lina', handles: { phones: [], emails: [], siteId: '201234567890123@lid' } });
    expect(c?.messages.map((m) => m.direction)).toEqual(['in', 'out']);
  });

  it('reads a group: @g.us, senders, and no phones taken from members’ messages', async () => {
    const w = start('current');
    openChat(w.doc, 'group');
    await sleep(80);
    const c = w.last().conversation;
    expect(c?.threadKey).toBe('120363041234567890@g.us');
    expect(c?.isGroup).toBe(true);
    expect(c?.contact.handles.phones).toEqual([]);
    expect(c?.messages.map((m) => [m.id, m.direction, m.sender])).toEqual([
      ['120363041234567890@g.us/3EB0C1000000000000B1', 'in', '赵强'],
      ['120363041234567890@g.us/3EB0C1000000000000B2', 'in', '孙丽'],
      ['120363041234567890@g.us/3EB0C1000000000000B3', 'out', 'Me'],
    ]);
  });

  it('keeps a hostile display name as text and keys it by address, not name', async () => {
    const w = start('current');
    openChat(w.doc, 'hostile');
    await sleep(80);
    const c = w.last().conversation;
    expect(c?.threadKey).toBe('8613700000001@c.us');
    expect(c?.contact.displayName).toBe('<img src=x onerror=alert(1)>');
    expect(c?.messages[0]?.sender).toBe('<img src=x onerror=alert(1)>');
    expect(c?.messages[0]?.text).toBe('</span><script>alert(2)</script>');
  });

  it('keeps the same key when the contact is renamed', async () => {
    const w = start('current');
    const title = w.doc.querySelector('#main header span[title]');
    title?.setAttribute('title', '张伟 (VIP)');
    if (title) title.textContent = '张伟 (VIP)';
    await sleep(80);
    expect(w.last().conversation?.contact.displayName).toBe('张伟 (VIP)');
    expect(w.last().conversation?.threadKey).toBe('8613800138000@c.us');
    expect(w.last().epoch).toBe(1);
  });
});

describe('whatsapp reader, variant legacy: data-testid builds, en-GB', () => {
  it('falls back to the legacy selectors', () => {
    const { health } = start('legacy').last();
    expect(health.ok).toBe(true);
    expect(health.fields).toMatchObject({ threadKey: 'legacy', title: 'legacy', messageList: 'legacy', messageRow: 'legacy' });
    expect(health.missing).toEqual([]);
  });

  it('reads an old-style group address with 12-hour, day-first times', () => {
    const c = start('legacy').last().conversation;
    expect(c?.threadKey).toBe('8613800138000-1600000000@g.us');
    expect(c?.isGroup).toBe(true);
    expect(c?.contact.displayName).toBe('Loan clients');
    expect(c?.contact.handles).toEqual({ phones: [], emails: [], siteId: '8613800138000-1600000000@g.us' });
    expect(c?.messages.map((m) => [m.direction, m.sender, m.at, m.text])).toEqual([
      ['in', 'Bob Smith', local(2025, 12, 14, 21, 5), 'Can I refinance?'],
      ['out', 'Me', local(2025, 12, 14, 21, 10), 'Yes, send me your details.'],
      ['in', 'Alice Jones', local(2026, 1, 3, 0, 1), 'Call me on 07700 900456'],
    ]);
  });
});

describe('whatsapp reader, broken page (everything renamed)', () => {
  it('reports the page unreadable and no conversation', () => {
    const { conversation, health } = start('broken').last();
    expect(conversation).toBeNull();
    expect(health.ok).toBe(false);
    expect(health.missing).toEqual(expect.arrayContaining(['threadKey', 'title', 'messageList', 'pane']));
  });
});

describe('whatsapp ids and times', () => {
  it.each([
    ['false_8613800138000@c.us_3EB0ABC', { fromMe: false, chat: '8613800138000@c.us', msgId: '3EB0ABC' }],
    ['true_120363@g.us_3EB0X_4915@c.us', { fromMe: true, chat: '120363@g.us', msgId: '3EB0X' }],
    ['false_99887766@lid_ABC', { fromMe: false, chat: '99887766@lid', msgId: 'ABC' }],
    ['8613800138000@c.us', null],
    ['maybe_1@c.us_X', null],
    ['', null],
  ])('parseDataId(%s)', (id, expected) => {
    expect(parseDataId(id)).toEqual(expected);
  });

  it.each([
    ['[12:34, 12/14/2025] Alice: ', 'en', { at: local(2025, 12, 14, 12, 34), sender: 'Alice' }],
    ['[12:34, 3/4/2025] Alice: ', 'en', { at: local(2025, 3, 4, 12, 34), sender: 'Alice' }],
    ['[12:34, 3/4/2025] Alice: ', 'de', { at: local(2025, 4, 3, 12, 34), sender: 'Alice' }],
    ['[12:00 AM, 1/2/25] Bob: Jr: ', 'en-US', { at: local(2025, 1, 2, 0, 0), sender: 'Bob: Jr' }],
    ['[下午9:05, 2025/12/14] 张伟: ', 'zh-CN', { at: local(2025, 12, 14, 21, 5), sender: '张伟' }],
    ['[25:00, 12/14/2025] A: ', 'en', { sender: 'A' }],
    ['no brackets', 'en', {}],
  ])('parsePrePlainText(%s, %s)', (pre, lang, expected) => {
    expect(parsePrePlainText(pre, lang)).toEqual(expected);
  });
});
