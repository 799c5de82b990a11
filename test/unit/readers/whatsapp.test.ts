// The WhatsApp Web reader over every saved variant (DOM: happy-dom, see fixture-dom). On the
// 'current' page the chat's address comes from the main-world bridge: here the fixture's own
// scaffolding script (its emulated module system) runs in the page's window and the real
// readOpenChat reads it, as entrypoints/whatsapp-bridge.content.ts does in Chromium.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MESSAGE_ID, parseDataId, parsePrePlainText, preSender, whatsappReader } from '../../../lib/readers/sites/whatsapp';
import { paneRowIds, readOpenChat } from '../../../lib/readers/sites/whatsapp-bridge';
import type { ModuleRequire } from '../../../lib/readers/sites/whatsapp-bridge';
import type { ReaderContext } from '../../../lib/readers/types';
import { FIXTURES, fixtureHtml, openFixture, watch } from './fixture-dom';
import { fakeReaderClock, settle } from './reader-clock';

let cleanup: (() => Promise<void>) | undefined;
beforeEach(fakeReaderClock);
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
  vi.useRealTimers();
});

const PHONE_KEY = '8613800138000@c.us';
const LID_KEY = '209876543210987@lid';
const GROUP_KEY = '120363041234567890@g.us';

interface Opts {
  /** run the fixture's emulated module system (default true on pages that have one) */
  modules?: boolean;
  prepare?(doc: Document): void;
}

function start(name: string, opts: Opts = {}) {
  const page = openFixture('whatsapp', name, 'https://web.whatsapp.com/');
  const doc = page.doc;
  // openFixture copies the <body> only; the page language decides the date order.
  doc.documentElement.lang = /<html lang="([^"]*)"/.exec(fixtureHtml('whatsapp', name))?.[1] ?? '';
  const win = page.window as unknown as { eval(code: string): unknown; require?: unknown };
  if (opts.modules !== false) for (const s of Array.from(doc.querySelectorAll('script:not([type])'))) win.eval(s.textContent ?? '');
  opts.prepare?.(doc);
  let facts: Record<string, string> = {};
  /** What the bridge does on a mutation or its poll: read the modules, keep the facts unless mid-switch. */
  const ask = () => {
    const req = typeof win.require === 'function' ? (win.require as ModuleRequire) : undefined;
    const r = readOpenChat(req, paneRowIds(doc));
    if ('facts' in r) facts = { ...r.facts } as Record<string, string>;
    else if (r.none !== 'pane') facts = {};
  };
  ask();
  const w = watch(whatsappReader, doc, { pageFacts: () => facts });
  cleanup = async () => {
    w.ac.abort();
    await page.close();
  };
  w.running.readNow();
  return {
    ...w,
    doc,
    win,
    /** After a change made to the page: its read has landed (on the faked clock, see reader-clock). */
    settle: () => settle(w),
    facts: () => facts,
    setFacts(f: Record<string, string>) {
      facts = f;
      w.running.poke();
    },
    /** The bridge speaks (after the page settled) and the content script pokes the reader. */
    async tell() {
      ask();
      w.running.poke();
      await settle(w);
    },
    /** A click on the chat list, as the user does: the page makes it active and replaces #main. */
    async click(item: string) {
      (doc.querySelector(`#pane-side [data-testid="${item}"] [role="gridcell"]`) as HTMLElement).click();
      await settle(w);
    },
  };
}

/** v2025 has no script: a switch is done by hand, as its unit tests always did. */
function openTemplate(doc: Document, id: string) {
  const tpl = doc.getElementById(`chat-${id}`) as HTMLTemplateElement | null;
  const pane = tpl?.content.firstElementChild?.cloneNode(true);
  if (!pane) throw new Error(`no template chat-${id}`);
  doc.getElementById('main')?.replaceWith(pane);
}

const local = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo - 1, d, h, mi).getTime();

describe('whatsapp reader, variant current (2026: bare ids), with the bridge', () => {
  it('reads every required field through the current selectors, with no issue', () => {
    const { health } = start('current').last();
    expect(health.ok).toBe(true);
    expect(health.issues).toEqual([]);
    expect(health.fields).toMatchObject({
      root: 'current', pane: 'current', threadKey: 'current', title: 'current', messageList: 'current',
      messageRow: 'current', outgoing: 'current', time: 'current', text: 'current',
    });
    expect(health.missing).toEqual([]);
  });

  it('keys the 1:1 chat by <digits>@c.us from the bridge, with the @lid as an alias', () => {
    const c = start('current').last().conversation;
    expect(c?.threadKey).toBe(PHONE_KEY);
    expect(c?.keyAliases).toEqual(['201234567890123@lid']);
    expect(c?.weakKey).toBeUndefined();
    expect(c?.isGroup).toBe(false);
    expect(c?.contact.displayName).toBe('张伟');
    // The bridge's number first, then a number the customer typed (raw, as written).
    expect(c?.contact.handles).toEqual({ phones: ['+8613800138000', '186 1234 5678'], emails: [], siteId: PHONE_KEY });
  });

  it('reads every message: ids, directions across runs, senders carried, exact times, full texts', () => {
    const msgs = start('current').last().conversation?.messages ?? [];
    expect(msgs.map((m) => [m.id.slice(PHONE_KEY.length + 1), m.direction, m.sender, m.at])).toEqual([
      ['2A327AC82CD56D95E087', 'in', '张伟', local(2026, 5, 18, 17, 18)],
      // no tail icon: the run's direction and sender carry on
      ['3A8F0C1D2E3B4A5C6D7E', 'in', '张伟', local(2026, 5, 18, 17, 19)],
      // a photo: no data-pre-plain-text, so no time is invented
      ['AC1F3E5D7B9A0C2E4F60', 'in', '张伟', undefined],
      ['3EB0D1C2B3A4958677F1', 'out', 'Li Na', local(2026, 5, 18, 17, 22)],
      ['3EB0E2F3A4B5C6D7E8F9', 'out', 'Li Na', local(2026, 5, 18, 17, 23)],
      ['5C0DE2B4A6F8091B2C3D4E5F6A7B8C9D', 'in', '张伟', local(2026, 5, 18, 21, 5)],
      ['A1B2C3D4E5F60718293A4B5C6D7E8F90', 'in', '张伟', local(2026, 5, 18, 21, 6)],
    ]);
    expect(msgs.map((m) => m.text)).toEqual([
      // an emoji image is its alt text
      '你好，我想咨询一下经营贷 🙏',
      // span[dir] body without selectable-text; a link and a line break are part of it
      '我的另一个号码 186 1234 5678\nexample.com/rates',
      '',
      // [data-testid="selectable-text"] without the class
      '张总您好！额度按流水评估。',
      // the reply only: not the quoted message, not "Edited", not the time
      '年化 3.5% 起，最快三天放款',
      // text directly on .copyable-text: the trailing "已编辑" and time are not text
      '好的，明天联系',
      // hostile text stays text
      '<script>window.__pwned=1</script>"><svg onload=alert(1)>',
    ]);
  });

  it('never takes chat-list rows (also [role=row], with a phone in the preview) as messages or phones', () => {
    const c = start('current').last().conversation;
    expect(c?.messages.some((m) => m.text.includes('139 1234 5678'))).toBe(false);
    expect(c?.contact.handles.phones).not.toContain('139 1234 5678');
  });

  it('reports nothing for a new pane until the bridge names it, then the @lid chat; the ad pair is one message', async () => {
    const w = start('current');
    await w.click('list-item-1');
    // The pane changed before the bridge spoke: no read may carry the old chat's key.
    for (const s of w.snaps) {
      if (s.conversation?.messages.some((m) => m.text.includes('saw your ad'))) expect(s.conversation.threadKey).toBe(LID_KEY);
    }
    expect(w.last().conversation).toBeNull();
    await w.tell();
    const c = w.last().conversation;
    expect(c?.threadKey).toBe(LID_KEY);
    expect(c?.keyAliases).toBeUndefined();
    expect(c?.contact).toEqual({ displayName: '~Lina', handles: { phones: [], emails: [], siteId: LID_KEY } });
    expect(c?.messages.map((m) => [m.id, m.direction, m.sender, m.at, m.text])).toEqual([
      [`${LID_KEY}/3AD5F0E1D2C3B4A59687`, 'in', '~Lina', local(2026, 5, 19, 10, 0), 'Hi, I saw your ad about loans'],
      [`${LID_KEY}/3EB0F1E2D3C4B5A69788`, 'out', 'Li Na', local(2026, 5, 19, 10, 2), 'Hello Lina, happy to help.'],
    ]);
  });

  it('keys a @lid chat by its number once the page has it, keeping the @lid as an alias', async () => {
    const w = start('current');
    await w.click('list-item-1');
    const api = (w.win.require as ModuleRequire)('WAWebApiContact') as Record<string, unknown>;
    api.getPhoneNumber = (wid: unknown) => (String(wid) === LID_KEY ? { _serialized: '5511987654321@c.us' } : undefined);
    await w.tell();
    const c = w.last().conversation;
    expect(c?.threadKey).toBe('5511987654321@c.us');
    expect(c?.keyAliases).toEqual([LID_KEY]);
    expect(c?.contact.handles.phones).toEqual(['+5511987654321']);
  });

  it('reads a group: @g.us key, its name not its participant list, senders, zh times, no phones', async () => {
    const w = start('current');
    await w.click('list-item-2');
    await w.tell();
    const c = w.last().conversation;
    expect(c?.threadKey).toBe(GROUP_KEY);
    expect(c?.isGroup).toBe(true);
    expect(c?.contact.displayName).toBe('贷款客户群');
    expect(c?.contact.handles.phones).toEqual([]);
    expect(c?.messages.map((m) => [m.direction, m.sender, m.at])).toEqual([
      ['in', '赵强', local(2026, 5, 18, 15, 40)],
      ['in', '孙丽', local(2026, 5, 18, 15, 45)],
      ['out', 'Li Na', local(2026, 5, 18, 15, 49)],
    ]);
  });

  it('follows the chats back to the first one under the same key', async () => {
    const w = start('current');
    const first = w.last().epoch;
    await w.click('list-item-2');
    await w.tell();
    await w.click('list-item-0');
    await w.tell();
    expect(w.last().conversation?.threadKey).toBe(PHONE_KEY);
    expect(w.last().epoch).toBe(first + 2);
  });

  it('keeps the key when the contact is renamed', async () => {
    const w = start('current');
    const title = w.doc.querySelector('#main [data-testid="conversation-info-header-chat-title"]');
    if (title) title.textContent = '张伟 (VIP)';
    await w.settle();
    expect(w.last().conversation?.contact.displayName).toBe('张伟 (VIP)');
    expect(w.last().conversation?.threadKey).toBe(PHONE_KEY);
  });

  it('takes the name from the first header span that is no icon when the test id is gone', async () => {
    const w = start('current');
    await w.click('list-item-2');
    await w.tell();
    w.doc.querySelector('#main [data-testid="conversation-info-header-chat-title"]')?.removeAttribute('data-testid');
    await w.settle();
    expect(w.last().conversation?.contact.displayName).toBe('贷款客户群');
    expect(w.last().health.fields.title).toBe('current');
    // The @lid chat's header starts with an icon whose ligature text is not a name either.
    await w.click('list-item-1');
    await w.tell();
    w.doc.querySelector('#main [data-testid="conversation-info-header-chat-title"]')?.removeAttribute('data-testid');
    await w.settle();
    expect(w.last().conversation?.contact.displayName).toBe('~Lina');
  });

  it('flags a row id in an unknown format (idFormat) and reports no conversation', async () => {
    const w = start('current');
    // A new row arrives whose id has a shape the reader does not know.
    const row = w.doc.querySelector('[data-id="3A8F0C1D2E3B4A5C6D7E"]') as Element;
    const renamed = row.cloneNode(true) as Element;
    renamed.setAttribute('data-id', 'msg.v3:3A8F0C1D2E3B4A5C6D7E');
    row.replaceWith(renamed);
    await w.tell();
    const { conversation, health } = w.last();
    expect(conversation).toBeNull();
    expect(health.ok).toBe(false);
    expect(health.issues).toEqual([{ cause: 'idFormat', detail: 'text27' }]);
  });

  it('gives no key for facts that belong to another pane', () => {
    const w = start('current');
    w.setFacts({ chat: GROUP_KEY, group: '1', anchor: '3EB0C1000000000000B3' });
    w.running.readNow();
    expect(w.last().conversation).toBeNull();
    expect(w.last().health.fields.threadKey).toBeNull();
    expect(w.last().health.issues).toContainEqual({ cause: 'fields', detail: 'threadKey' });
  });
});

describe('current.facts.json (the page facts the meta-test reads current.html with)', () => {
  it('is what the bridge reads from the fixture’s emulated module system', () => {
    const w = start('current');
    expect(JSON.parse(readFileSync(`${FIXTURES}whatsapp/current.facts.json`, 'utf8'))).toEqual(w.facts());
  });
});

describe('whatsapp reader, variant current, without the bridge (module system absent)', () => {
  it('shows the chat under a weak title key, flagged, with no phone from the page', () => {
    const { conversation: c, health } = start('current', { modules: false }).last();
    expect(c?.threadKey).toBe('title:张伟');
    expect(c?.weakKey).toBe(true);
    expect(c?.keyAliases).toBeUndefined();
    expect(health.ok).toBe(false);
    expect(health.issues).toEqual([{ cause: 'weakKey', detail: 'title' }]);
    // Only what the customer typed; no number from any address, no siteId.
    expect(c?.contact.handles).toEqual({ phones: ['186 1234 5678'], emails: [] });
    expect(c?.messages).toHaveLength(7);
  });

  it('never takes a phone from the title or the header status, even when they look like one', () => {
    const { conversation: c } = start('current', {
      modules: false,
      prepare(doc) {
        const title = doc.querySelector('#main [data-testid="conversation-info-header-chat-title"]');
        if (title) title.textContent = '+86 138 0013 8000';
        doc.querySelector('#main header span[title]')?.setAttribute('title', '+86 139 0000 0000');
        for (const el of Array.from(doc.querySelectorAll('#main [data-pre-plain-text]'))) {
          el.setAttribute('data-pre-plain-text', (el.getAttribute('data-pre-plain-text') ?? '').replace('张伟', '张总'));
        }
      },
    }).last();
    expect(c?.contact.displayName).toBe('+86 138 0013 8000');
    expect(c?.contact.handles.phones).toEqual(['186 1234 5678']);
  });

  it('takes an unsaved contact’s number from the sender name of its messages (W4)', () => {
    const { conversation: c } = start('current', {
      modules: false,
      prepare(doc) {
        for (const el of Array.from(doc.querySelectorAll('#main [data-pre-plain-text]'))) {
          el.setAttribute('data-pre-plain-text', (el.getAttribute('data-pre-plain-text') ?? '').replace('张伟', '+86 138 0013 8000'));
        }
      },
    }).last();
    expect(c?.weakKey).toBe(true);
    expect(c?.contact.handles.phones[0]).toBe('+86 138 0013 8000');
  });

  it('tells a group from its participant subtitle and takes no phones from it', () => {
    const { conversation: c } = start('current', {
      modules: false,
      prepare: (doc) => openTemplate(doc, 'group'),
    }).last();
    expect(c?.threadKey).toBe('title:贷款客户群');
    expect(c?.isGroup).toBe(true);
    expect(c?.contact.handles.phones).toEqual([]);
  });
});

describe('whatsapp reader, variant v2025 (before 2026-04: the address in data-id)', () => {
  it('reads the required fields through the v2025 selectors', () => {
    const { health } = start('v2025').last();
    expect(health.ok).toBe(true);
    expect(health.fields).toMatchObject({ threadKey: 'v2025', title: 'v2025', messageList: 'v2025', messageRow: 'current', outgoing: 'current' });
    expect(health.missing).toEqual([]);
  });

  it('keys by the address in the rows and turns @c.us into a phone', () => {
    const c = start('v2025').last().conversation;
    expect(c?.threadKey).toBe(PHONE_KEY);
    expect(c?.weakKey).toBeUndefined();
    expect(c?.contact).toEqual({ displayName: '张伟', handles: { phones: ['+8613800138000', '186 1234 5678'], emails: [], siteId: PHONE_KEY } });
    expect(c?.messages.map((m) => [m.id, m.direction, m.sender, m.at, m.text])).toEqual([
      [`${PHONE_KEY}/3EB0A1B2C3D4E5F60001`, 'in', '张伟', local(2025, 12, 9, 22, 54), '你好，我想咨询一下经营贷'],
      [`${PHONE_KEY}/3EB0A1B2C3D4E5F60002`, 'out', 'Li Na', local(2025, 12, 9, 22, 56), '张总您好！额度按流水评估。'],
      [`${PHONE_KEY}/3EB0A1B2C3D4E5F60003`, 'in', '张伟', local(2025, 12, 10, 9, 5), '我的另一个号码 186 1234 5678'],
      [`${PHONE_KEY}/3EB0A1B2C3D4E5F60004`, 'in', '张伟', undefined, ''],
    ]);
  });

  it('says a @lid chat has no phone', async () => {
    const w = start('v2025');
    openTemplate(w.doc, 'lid');
    await w.settle();
    const c = w.last().conversation;
    expect(c?.threadKey).toBe('201234567890123@lid');
    expect(c?.contact.handles.phones).toEqual([]);
    expect(c?.messages.map((m) => m.direction)).toEqual(['in', 'out']);
  });

  it('reads a group: @g.us, participant ids left out of message ids, senders', async () => {
    const w = start('v2025');
    openTemplate(w.doc, 'group');
    await w.settle();
    const c = w.last().conversation;
    expect(c?.threadKey).toBe(GROUP_KEY);
    expect(c?.isGroup).toBe(true);
    expect(c?.contact.displayName).toBe('贷款客户群');
    expect(c?.contact.handles.phones).toEqual([]);
    expect(c?.messages.map((m) => [m.id, m.direction, m.sender])).toEqual([
      [`${GROUP_KEY}/3EB0C1000000000000B1`, 'in', '赵强'],
      [`${GROUP_KEY}/3EB0C1000000000000B2`, 'in', '孙丽'],
      [`${GROUP_KEY}/3EB0C1000000000000B3`, 'out', 'Li Na'],
    ]);
  });

  it('adds the bridge’s @lid as an alias when its facts name the same chat', () => {
    const w = start('v2025');
    w.setFacts({ chat: PHONE_KEY, phone: '8613800138000', lid: '201234567890123@lid', group: '0', anchor: 'false_8613800138000@c.us_3EB0A1B2C3D4E5F60003' });
    w.running.readNow();
    expect(w.last().conversation?.threadKey).toBe(PHONE_KEY);
    expect(w.last().conversation?.keyAliases).toEqual(['201234567890123@lid']);
  });

  it('trusts the rows’ address over facts naming another chat', () => {
    const w = start('v2025');
    w.setFacts({ chat: GROUP_KEY, group: '1', anchor: '' });
    w.running.readNow();
    expect(w.last().conversation?.threadKey).toBe(PHONE_KEY);
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

describe('whatsapp parseMessage on a decoy', () => {
  it('flags a chat-list row handed to it as a decoy and reads nothing from it', () => {
    const page = openFixture('whatsapp', 'current', 'https://web.whatsapp.com/');
    cleanup = () => page.close();
    const flags: string[] = [];
    const ctx = {
      doc: page.doc,
      url: 'https://web.whatsapp.com/',
      scope: page.doc,
      facts: {},
      query: () => null,
      text: () => undefined,
      is: () => false,
      note: () => undefined,
      flag: (cause: string, detail?: string) => flags.push(`${cause}:${detail ?? ''}`),
    } as unknown as ReaderContext;
    const row = page.doc.querySelector('#pane-side [role="row"]') as Element;
    expect(whatsappReader.parseMessage(row, ctx)).toBeNull();
    expect(flags).toEqual(['decoy:chat list row']);
  });
});

describe('whatsapp ids and times', () => {
  it.each([
    ['2A327AC82CD56D95E087', true],
    ['5C0DE2B4A6F8091B2C3D4E5F6A7B8C9D', true],
    ['3EB0A1B2C3D4E5F6000', false],
    ['5C0DE2B4A6F8091B2C3D4E5F6A7B8C9D0', false],
    ['false_8613800138000@c.us_3EB0A1B2C3D4E5F60001', false],
    ['msg.v3:3A8F0C1D2E3B4A5C6D7E', false],
  ])('MESSAGE_ID %s → %s', (id, ok) => {
    expect(MESSAGE_ID.test(id)).toBe(ok);
  });

  it.each([
    ['false_8613800138000@c.us_3EB0ABC', { fromMe: false, chat: '8613800138000@c.us', msgId: '3EB0ABC' }],
    ['true_120363@g.us_3EB0X_4915@c.us', { fromMe: true, chat: '120363@g.us', msgId: '3EB0X' }],
    ['false_99887766@lid_ABC', { fromMe: false, chat: '99887766@lid', msgId: 'ABC' }],
    ['2A327AC82CD56D95E087', null],
    ['8613800138000@c.us', null],
    ['maybe_1@c.us_X', null],
    ['', null],
  ])('parseDataId(%s)', (id, expected) => {
    expect(parseDataId(id)).toEqual(expected);
  });

  it.each([
    // en, 12-hour (W7), month first
    ['[10:54 PM, 12/9/2025] Alice: ', 'en', { at: local(2025, 12, 9, 22, 54), sender: 'Alice' }],
    ['[12:00 AM, 1/2/25] Bob: Jr: ', 'en-US', { at: local(2025, 1, 2, 0, 0), sender: 'Bob: Jr' }],
    // 24-hour (W5)
    ['[10:30, 4/26/2026] Alice: ', 'en', { at: local(2026, 4, 26, 10, 30), sender: 'Alice' }],
    ['[10:30, 3/4/2026] Alice: ', 'en', { at: local(2026, 3, 4, 10, 30), sender: 'Alice' }],
    // pt-BR, day first (W8)
    ['[10:30, 28/09/2026] Ana: ', 'pt-BR', { at: local(2026, 9, 28, 10, 30), sender: 'Ana' }],
    ['[10:30, 3/4/2026] Ana: ', 'pt-BR', { at: local(2026, 4, 3, 10, 30), sender: 'Ana' }],
    // tr, D.MM.YYYY (W3): dots are day first whatever the page language says
    ['[14:05, 1.10.2026] Ayşe: ', 'tr', { at: local(2026, 10, 1, 14, 5), sender: 'Ayşe' }],
    ['[14:05, 1.10.2026] Ayşe: ', '', { at: local(2026, 10, 1, 14, 5), sender: 'Ayşe' }],
    // zh (W4): 下午 and 年月日
    ['[下午5:18, 2026/5/18] 张伟: ', 'zh-CN', { at: local(2026, 5, 18, 17, 18), sender: '张伟' }],
    ['[下午5:18, 2026年5月18日] 张伟: ', 'zh-CN', { at: local(2026, 5, 18, 17, 18), sender: '张伟' }],
    ['[17:18，2026年5月18日] 张伟: ', 'zh-CN', { at: local(2026, 5, 18, 17, 18), sender: '张伟' }],
    ['[上午12:05, 2026年5月18日] 张伟: ', 'zh-CN', { at: local(2026, 5, 18, 0, 5), sender: '张伟' }],
    ['[中午12:30, 2026年5月18日] 张伟: ', 'zh-CN', { at: local(2026, 5, 18, 12, 30), sender: '张伟' }],
    // an unsaved contact: the name is the number (W4)
    ['[9:05 PM, 5/18/2026] +86 138 0013 8000: ', 'en', { at: local(2026, 5, 18, 21, 5), sender: '+86 138 0013 8000' }],
    ['[25:00, 12/14/2025] A: ', 'en', { sender: 'A' }],
    ['no brackets', 'en', {}],
  ])('parsePrePlainText(%s, %s)', (pre, lang, expected) => {
    expect(parsePrePlainText(pre, lang)).toEqual(expected);
    // The run walk's sender-only reading gives the same sender, dates aside.
    expect(preSender(pre)).toBe((expected as { sender?: string }).sender);
  });
});

// An independent check (2026-12-05) read the reader on pages built from real-sites-2026.md §3
// alone, not from these fixtures. Each case below is one of its failures, rebuilt in the current
// fixture's message list: rows as §3 "Row (2026)" shows them, bare hex ids, tail on a run's first.
interface RowSpec {
  id: string;
  tail?: 'in' | 'out';
  /** data-pre-plain-text; none on photos (§3 Sender/Time) */
  pre?: string;
  /** the body: inside span.selectable-text (W3), span[dir] (W2), or as the .copyable-text's own text (W4) */
  body?: { text: string; as: 'selectable' | 'dir' | 'own' };
  /** what W4 says sits inside a bare .copyable-text after the text: the time and "Edited" */
  trailing?: string[];
  photo?: boolean;
  /** §3: the row's content replaced by an empty box while scrolled away */
  virtualized?: boolean;
  tick?: boolean;
}
function rowEl(doc: Document, r: RowSpec): Element {
  const el = (tag: string, attrs: Record<string, string> = {}, ...kids: (Node | string)[]) => {
    const e = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    e.append(...kids);
    return e;
  };
  const meta = el('div', { 'data-testid': 'msg-meta' }, el('span', { dir: 'auto' }, '8:01 AM'));
  if (r.tick) meta.append(el('span', { 'data-icon': 'msg-dblcheck', 'aria-label': ' Read ' }));
  const parts: Node[] = [];
  if (r.tail) parts.push(el('span', { 'data-icon': `tail-${r.tail}`, 'aria-hidden': 'true' }));
  if (r.photo) parts.push(el('div', { role: 'button', 'aria-label': 'Open picture' }, el('img', { src: 'data:,', alt: '' })));
  if (r.body) {
    const t = r.body.text;
    const inner =
      r.body.as === 'selectable'
        ? el('div', {}, el('span', { dir: 'ltr', class: 'selectable-text copyable-text', 'data-testid': 'selectable-text' }, el('span', {}, t)))
        : r.body.as === 'dir'
          ? el('div', {}, el('span', { dir: 'ltr' }, el('span', {}, t)))
          : t;
    const copy = el('div', { class: 'copyable-text', ...(r.pre ? { 'data-pre-plain-text': r.pre } : {}) }, inner);
    for (const s of r.trailing ?? []) copy.append(el('span', { dir: 'auto' }, s));
    parts.push(copy);
  }
  parts.push(meta);
  const content = r.virtualized
    ? el('div', { 'data-virtualized': 'true', style: 'height:64px' })
    : el('div', { 'data-virtualized': 'false' }, el('div', {}, el('div', { 'data-testid': 'msg-container' }, ...parts)));
  return el('div', { role: 'row' }, el('div', { 'data-testid': `conv-msg-${r.id}`, 'data-id': r.id, tabindex: '-1' }, content));
}
/** The open chat's list holding exactly these rows (the module system off: a weak title key). */
function chatOf(rows: RowSpec[], lang?: string) {
  return start('current', {
    modules: false,
    prepare(doc) {
      if (lang !== undefined) doc.documentElement.lang = lang;
      doc.querySelector('#main [data-testid="conversation-panel-messages"]')!.replaceChildren(...rows.map((r) => rowEl(doc, r)));
    },
  });
}
const texts = (w: ReturnType<typeof chatOf>) => w.last().conversation?.messages.map((m) => m.text);

describe('whatsapp reader: failures found by reading pages built from §3 alone', () => {
  it('keeps a reply that reads like a clock ("14:00", "9.15"): a body is the message, not its time', () => {
    const w = chatOf([
      { id: 'A0000000000000000000000000000001', tail: 'out', pre: '[8:00 AM, 12/1/2026] 李娜: ', body: { text: '您几点方便？', as: 'selectable' }, tick: true },
      { id: 'A0000000000000000000000000000002', tail: 'in', pre: '[8:01 AM, 12/1/2026] 张伟: ', body: { text: '14:00', as: 'selectable' } },
      { id: 'A0000000000000000000000000000003', pre: '[8:02 AM, 12/1/2026] 张伟: ', body: { text: '10:30 PM', as: 'selectable' } },
      { id: 'A0000000000000000000000000000004', pre: '[8:03 AM, 12/1/2026] 张伟: ', body: { text: '9.15', as: 'dir' } },
    ]);
    expect(w.last().health.issues).toEqual([{ cause: 'weakKey', detail: 'title' }]);
    expect(texts(w)).toEqual(['您几点方便？', '14:00', '10:30 PM', '9.15']);
  });

  it('reads text on .copyable-text itself (W4) when its time and "Edited" are elements of their own', () => {
    const w = chatOf([
      { id: 'B0000000000000000000000000000001', tail: 'in', pre: '[14:05, 3.10.2026] Ayşe: ', body: { text: 'Merhaba, fiyat nedir?', as: 'own' }, trailing: ['14:05'] },
      { id: 'B0000000000000000000000000000002', tail: 'out', pre: '[14:07, 3.10.2026] Mehmet: ', body: { text: 'Toplantı 10:30', as: 'own' }, trailing: ['Düzenlendi', '14:07'], tick: true },
      { id: 'B0000000000000000000000000000003', tail: 'in', pre: '[14:09, 3.10.2026] Ayşe: ', body: { text: '15:00', as: 'own' }, trailing: ['14:09'] },
    ], 'tr');
    const c = w.last().conversation;
    expect(w.last().health.issues).toEqual([{ cause: 'weakKey', detail: 'title' }]);
    expect(c?.messages.map((m) => [m.direction, m.text])).toEqual([
      ['in', 'Merhaba, fiyat nedir?'],
      ['out', 'Toplantı 10:30'],
      ['in', '15:00'],
    ]);
    expect(c?.messages[0]?.at).toBe(local(2026, 10, 3, 14, 5));
  });

  it('skips rows scrolled out of view (an empty data-virtualized="true" box) rather than report empty messages', () => {
    const w = chatOf([
      { id: 'C0000000000000000000000000000001', tail: 'in', virtualized: true },
      { id: 'C0000000000000000000000000000002', tail: 'out', virtualized: true },
      { id: 'C0000000000000000000000000000003', tail: 'in', pre: '[8:01 AM, 12/1/2026] 张伟: ', body: { text: '还在吗', as: 'selectable' } },
      { id: 'C0000000000000000000000000000004', tail: 'out', pre: '[8:02 AM, 12/1/2026] 李娜: ', body: { text: '在的', as: 'selectable' }, tick: true },
    ]);
    const c = w.last().conversation;
    expect(c?.messages.map((m) => [m.id.split('/')[1], m.direction, m.text])).toEqual([
      ['C0000000000000000000000000000003', 'in', '还在吗'],
      ['C0000000000000000000000000000004', 'out', '在的'],
    ]);
  });

  it('does not carry a direction or sender across a row scrolled away (it may have opened the run)', () => {
    const w = chatOf([
      { id: 'C1000000000000000000000000000001', tail: 'out', pre: '[8:00 AM, 12/5/2026] Max: ', body: { text: 'Angebot anbei', as: 'selectable' }, tick: true },
      // The first row of Anna's run, with her tail, scrolled away; the rest of her run is shown.
      { id: 'C1000000000000000000000000000002', tail: 'in', virtualized: true },
      { id: 'C1000000000000000000000000000003', pre: '[8:05 AM, 12/5/2026] Anna: ', body: { text: 'Danke, ich melde mich', as: 'selectable' } },
      { id: 'C1000000000000000000000000000004', photo: true },
    ], 'de');
    expect(w.last().conversation?.messages.map((m) => [m.direction, m.sender ?? null, m.text])).toEqual([
      ['out', 'Max', 'Angebot anbei'],
      ['in', 'Anna', 'Danke, ich melde mich'],
      ['in', 'Anna', ''],
    ]);
  });

  it('tells our message by its tick named by data-testid when its run began before the loaded history', async () => {
    const w = chatOf([
      // The list starts in the middle of our run: no tail on this row, the tick named as W3 names icons.
      { id: 'C2000000000000000000000000000001', pre: '[8:00 AM, 12/5/2026] 李娜: ', body: { text: '资料已发您邮箱', as: 'selectable' } },
      { id: 'C2000000000000000000000000000002', tail: 'in', pre: '[8:05 AM, 12/5/2026] 张伟: ', body: { text: '收到', as: 'selectable' } },
    ], 'zh-CN');
    const tick = w.doc.createElement('span');
    tick.setAttribute('data-testid', 'msg-dblcheck');
    tick.setAttribute('aria-label', ' 已读 ');
    w.doc.querySelector('[data-id="C2000000000000000000000000000001"] [data-testid="msg-meta"]')!.append(tick);
    await w.settle();
    expect(w.last().conversation?.messages.map((m) => m.direction)).toEqual(['out', 'in']);
  });

  it('names the sender of a photo that opens a run from the rows after it in the same run (groups)', () => {
    const w = chatOf([
      { id: 'D0000000000000000000000000000001', tail: 'in', pre: '[9:00 AM, 12/5/2026] Anna: ', body: { text: 'Guten Morgen', as: 'selectable' } },
      { id: 'D0000000000000000000000000000002', tail: 'in', photo: true },
      { id: 'D0000000000000000000000000000003', pre: '[9:07 AM, 12/5/2026] Ben: ', body: { text: 'Siehe Katalog', as: 'selectable' } },
      { id: 'D0000000000000000000000000000004', tail: 'in', photo: true },
      { id: 'D0000000000000000000000000000005', tail: 'out', pre: '[9:08 AM, 12/5/2026] Max: ', body: { text: 'Danke', as: 'selectable' }, tick: true },
    ], 'de');
    const senders = w.last().conversation?.messages.map((m) => [m.direction, m.sender ?? null]);
    // The last photo is a run of its own, followed by an outgoing row: its sender stays unknown.
    expect(senders).toEqual([['in', 'Anna'], ['in', 'Ben'], ['in', 'Ben'], ['in', null], ['out', 'Max']]);
  });

  it('reads a chat holding messages sent by WhatsApp libraries (ids BAE5 + 12 hex, 3EB0 + 36 hex), not idFormat', () => {
    const w = chatOf([
      { id: 'BAE5F2D3C4B5A6E7', tail: 'in', pre: '[8:00 AM, 12/1/2026] 张伟: ', body: { text: '您的订单已发货', as: 'selectable' } },
      { id: `3EB0${'AB12'.repeat(9)}`, pre: '[8:01 AM, 12/1/2026] 张伟: ', body: { text: '物流单号 SF1234567', as: 'selectable' } },
      { id: '3EB0C767D8E1A7A4A0F1', tail: 'out', pre: '[8:02 AM, 12/1/2026] 李娜: ', body: { text: '收到', as: 'selectable' }, tick: true },
    ]);
    expect(w.last().health.issues).toEqual([{ cause: 'weakKey', detail: 'title' }]);
    expect(w.last().conversation?.messages.map((m) => m.id.split('/')[1])).toEqual(['BAE5F2D3C4B5A6E7', `3EB0${'AB12'.repeat(9)}`, '3EB0C767D8E1A7A4A0F1']);
  });

  it('takes the day/month order from the chat’s own unambiguous dates (09/12 is 9 December beside 13/12)', () => {
    const w = chatOf([
      { id: 'E0000000000000000000000000000001', tail: 'in', pre: '[22:54, 09/12/2025] Oliver: ', body: { text: 'Evening', as: 'selectable' } },
      { id: 'E0000000000000000000000000000002', pre: '[08:10, 13/12/2025] Oliver: ', body: { text: 'Morning', as: 'selectable' } },
    ], 'en');
    expect(w.last().conversation?.messages.map((m) => m.at)).toEqual([local(2025, 12, 9, 22, 54), local(2025, 12, 13, 8, 10)]);
  });

  it('leaves a link preview out of the text (span[dir] bodies, W2): its page’s hotline is not the contact’s number', async () => {
    const w = chatOf([{ id: 'F0000000000000000000000000000001', tail: 'in', pre: '[8:00 AM, 12/1/2026] 张伟: ', body: { text: '看这个 https://acme.example/contact', as: 'dir' } }], 'zh-CN');
    // The preview as W3 names it, inside the message's .copyable-text, its lines in span[dir] too.
    const copy = w.doc.querySelector('#main [data-pre-plain-text]')!;
    const preview = w.doc.createElement('div');
    preview.setAttribute('data-testid', 'link-preview-container');
    for (const line of ['ACME 工业 – 联系我们', '服务热线 400 800 1234，欢迎来电', 'acme.example']) {
      const span = w.doc.createElement('span');
      span.setAttribute('dir', 'auto');
      span.textContent = line;
      preview.append(w.doc.createElement('div'), span);
    }
    copy.prepend(preview);
    // The text changes in the same step, so the expected snapshot differs from the one before the
    // preview came: a reader that never read again could not pass.
    const body = [...copy.querySelectorAll('span[dir]')].find((e) => e.textContent?.includes('看这个'))!;
    body.textContent = '看这个 https://acme.example/contact 呢';
    await w.settle();
    const c = w.last().conversation;
    expect(c?.messages.map((m) => m.text)).toEqual(['看这个 https://acme.example/contact 呢']);
    expect(c?.contact.handles.phones).toEqual([]);
  });

  it.each([
    ['BAE5F2D3C4B5A6E7', true],
    [`3EB0${'0'.repeat(36)}`, true],
    ['BAE5F2D3C4B5A6E', false],
    [`3EB0${'0'.repeat(37)}`, false],
    ['F2D3C4B5A6E7F2D3', false],
  ])('MESSAGE_ID also knows the libraries’ ids: %s → %s', (id, ok) => {
    expect(MESSAGE_ID.test(id)).toBe(ok);
  });

  it.each([
    // ko and ja print the day half before the clock, like zh
    ['[오후 5:18, 2026. 5. 18.] 김: ', 'ko', { at: local(2026, 5, 18, 17, 18), sender: '김' }],
    ['[오전 12:05, 2026. 5. 18.] 김: ', 'ko', { at: local(2026, 5, 18, 0, 5), sender: '김' }],
    ['[午後5:18, 2026/05/18] 佐藤: ', 'ja', { at: local(2026, 5, 18, 17, 18), sender: '佐藤' }],
    // a day half this reader does not know: no time rather than one 12 hours off
    ['[5:18 μ.μ., 18/5/2026] Νίκος: ', 'el', { sender: 'Νίκος' }],
    // no day half at all: a 24-hour clock, read as it is
    ['[5:18, 18/5/2026] Ana: ', 'pt-BR', { at: local(2026, 5, 18, 5, 18), sender: 'Ana' }],
  ])('parsePrePlainText(%s, %s), more day halves', (pre, lang, expected) => {
    expect(parsePrePlainText(pre, lang)).toEqual(expected);
  });
});
