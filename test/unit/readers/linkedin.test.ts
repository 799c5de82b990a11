// The LinkedIn messaging reader over both UIs of late 2026: the classic page ('current') and the
// rebuilt one inside #interop-outlet's open shadow root ('shadow'). DOM: happy-dom, see fixture-dom.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { matchesPattern, readerForUrl } from '../../../lib/readers/registry';
import { linkedinMemberId, linkedinReader, linkedinSentAt, linkedinThreadId } from '../../../lib/readers/sites/linkedin';
import { fixtureHtml, openFixture, watch, type Page } from './fixture-dom';
import { elapse, fakeReaderClock } from './reader-clock';

let cleanup: (() => Promise<void>) | undefined;
beforeEach(fakeReaderClock);
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
  vi.useRealTimers();
});

const CLASSIC_URL = 'https://www.linkedin.com/messaging/thread/2-NWU4YTFjNGYtMmI3ZC00ZTE5LTlhNjMtMGM0ZDhmMmU3YjE1XzEwMA==/';
const CLASSIC_B = '2-YzE5ZjNhNzItOGUwNS00ZDZiLWIyZjQtN2ExZTljMGQzZTg4XzEwMA==';
const SHADOW_URL = 'https://www.linkedin.com/messaging/thread/2-M2Q3YjllMjAtNmYxNC00YzhhLWE1ZDEtZTJiMDhjNDdmOWE2XzEwMA==/';
const SHADOW_B = '2-YTRmMDhjMzEtOWQyZS00YjU3LThlNmMtMWYzYTdkOTBiMmM0XzEwMA==';
const VIEWER = 'ACoAAiBZwzqjmMcvu3hRZGD6Zb724ZygPTRvuDQ';
const CHEN = 'ACoAAxptZUEDi56sOfYhRaHZDqL8lfZDO27kUfI';
const WANG = 'ACoAAGkEhOZdTm6JM11Gq8OQCO0nzRfRukBaHBz';
const SUN = 'ACoAAPtkRWPN22KlFd04x2GPmz1z1OobbHQgstN';

/** The address a fixture says it is read at. */
function fixtureUrl(name: string): string {
  const url = /<meta name="liaison-fixture-url" content="([^"]+)"/.exec(fixtureHtml('linkedin', name))?.[1];
  if (!url) throw new Error(`linkedin/${name}.html names no address`);
  return url;
}

/** Does what the page's script does where scripts do not run: template[data-shadow-host] becomes
 *  that element's open shadow root. */
function attachShadows(doc: Document) {
  for (const tpl of Array.from(doc.querySelectorAll<HTMLTemplateElement>('template[data-shadow-host]'))) {
    const host = doc.querySelector(tpl.getAttribute('data-shadow-host') ?? '');
    if (host && !host.shadowRoot) host.attachShadow({ mode: 'open' }).append(tpl.content.cloneNode(true));
  }
}

function open(name: string, url = fixtureUrl(name)) {
  const page = openFixture('linkedin', name, url);
  attachShadows(page.doc);
  return page;
}

function start(page: Page) {
  const w = watch(linkedinReader, page.doc, { navigationPollMs: 20 });
  cleanup = async () => {
    w.ac.abort();
    await page.close();
  };
  return w;
}

function read(name: string, url?: string, edit?: (doc: Document) => void) {
  const page = open(name, url);
  edit?.(page.doc);
  const w = start(page);
  w.running.readNow();
  return w.last();
}

const shadowRoot = (doc: Document) => {
  const root = doc.getElementById('interop-outlet')?.shadowRoot;
  if (!root) throw new Error('no shadow root');
  return root;
};

/** The template a click on another conversation renders, cloned. */
function threadContent(doc: Document, key: string): DocumentFragment {
  const tpl = doc.getElementById(`thread-${key}`) as HTMLTemplateElement | null;
  if (!tpl) throw new Error(`no template for ${key}`);
  return tpl.content.cloneNode(true) as DocumentFragment;
}

/** Waits until `fn` gives a value, up to `ms` of faked time (Date and the timers are faked: reader-clock). */
async function until<T>(fn: () => T | undefined, ms = 2000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await elapse(10);
  }
}

describe('linkedin classic UI (current.html)', () => {
  it('keys by the thread id in the address and reads every field through the classic selectors', () => {
    const { conversation: c, health } = read('current');
    expect(c?.threadKey).toBe('2-NWU4YTFjNGYtMmI3ZC00ZTE5LTlhNjMtMGM0ZDhmMmU3YjE1XzEwMA==');
    expect(health.fields).toEqual({
      root: 'current', pane: 'current', threadKey: 'url', title: 'current', messageList: 'current',
      messageRow: 'current', outgoing: 'current', sender: 'current', time: 'current', text: 'current',
    });
    expect(health.missing).toEqual([]);
    expect(health.issues).toEqual([]);
    expect(health.ok).toBe(true);
  });

  it('takes the contact’s member id (ACoA…) as siteId, never as a username, and a phone only from their messages', () => {
    const c = read('current').conversation;
    expect(c?.isGroup).toBe(false);
    // The overlay bubble's person (Zhou Lei, +86 138 0013 8000) is not this conversation.
    expect(c?.contact).toEqual({ displayName: 'Chen Jing', handles: { phones: ['+44 7700 900123'], emails: [], siteId: CHEN } });
  });

  it('reads each message’s id and exact send time from its URN, direction from --other, and the run’s sender across continuations', () => {
    const key = '2-NWU4YTFjNGYtMmI3ZC00ZTE5LTlhNjMtMGM0ZDhmMmU3YjE1XzEwMA==';
    expect(read('current').conversation?.messages).toEqual([
      { id: `${key}/2-MTc5NTUxMTY0NzMxMmI5NzY0NS0xMDA=`, direction: 'in', sender: 'Chen Jing', at: Date.parse('2026-11-24T09:14:07.312Z'), text: 'Hello, I saw your post about working-capital loans for small firms.' },
      { id: `${key}/2-MTc5NTUxMTc0MTA1OGI5NzcwMi0xMDA=`, direction: 'in', sender: 'Chen Jing', at: Date.parse('2026-11-24T09:15:41.058Z'), text: 'Could you send me the rates? My number is +44 7700 900123 <img src=x onerror=alert(1)>' },
      { id: `${key}/2-MTc5NTUxMjAxOTkzMGI5ODExNC0xMDA=`, direction: 'out', sender: 'Li Ming', at: Date.parse('2026-11-24T09:20:19.930Z'), text: 'Thanks Chen Jing, I will send the rate sheet today.' },
      { id: `${key}/2-MTc5NjMxMzk1NTQwMWIxMjA4OC0xMDA=`, direction: 'in', sender: 'Chen Jing', at: Date.parse('2026-12-03T16:05:55.401Z'), text: 'Received, thank you.' },
      { id: `${key}/2-MTc5NjMxMzk3Mjc3N2IxMjEzMS0xMDA=`, direction: 'in', sender: 'Chen Jing', at: Date.parse('2026-12-03T16:06:12.777Z'), text: 'Can we talk on Friday? Our expansion plan is attached.' },
    ]);
  });

  it('reads no loader, day heading or visually hidden group heading as a message or as text', () => {
    const page = open('current');
    // They are there to be mistaken.
    expect(page.doc.querySelector('li.msg-s-message-list__loader')).not.toBeNull();
    expect(page.doc.querySelectorAll('main time.msg-s-message-list__time-heading').length).toBe(2);
    const w = start(page);
    w.running.readNow();
    const texts = w.last().conversation?.messages.map((m) => m.text).join('|') ?? '';
    expect(w.last().conversation?.messages).toHaveLength(5);
    expect(texts).not.toMatch(/sent the following|Nov 24|Thursday|Loading|9:14 AM/);
  });

  it('reads the full-page thread, not the overlay bubble, wherever the bubble sits in the page', () => {
    const { conversation: c } = read('current', undefined, (doc) => {
      const bubble = doc.querySelector('aside.msg-overlay-container');
      doc.body.prepend(bubble!); // first in document order
    });
    expect(c?.contact.displayName).toBe('Chen Jing');
    expect(c?.messages.some((m) => m.text.includes('invoice'))).toBe(false);
  });

  it('reads nothing when only the bubble is open (its conversation is not the address’s thread)', () => {
    const { conversation, health } = read('current', undefined, (doc) => doc.querySelector('main .msg-thread')?.remove());
    expect(conversation).toBeNull();
    expect(health.ok).toBe(false);
    expect(health.missing).toEqual(expect.arrayContaining(['pane', 'title']));
  });

  it('flags a thread pane found inside an overlay bubble as a decoy', () => {
    const { conversation, health } = read('current', undefined, (doc) => {
      const bubble = doc.querySelector('.msg-overlay-conversation-bubble')!;
      const pane = doc.querySelector('main .msg-thread')!;
      doc.querySelector('main')!.append(bubble);
      bubble.append(pane);
    });
    expect(conversation).toBeNull();
    expect(health.issues).toContainEqual({ cause: 'decoy', detail: 'bubble' });
  });

  it('reports a message URN of another shape as idFormat and reads nothing from it', () => {
    const { conversation, health } = read('current', undefined, (doc) => {
      doc.querySelector('main [data-event-urn]')!.setAttribute('data-event-urn', 'urn:li:messagingMessage:7409999999999999999');
    });
    expect(conversation).toBeNull();
    expect(health.issues).toContainEqual({ cause: 'idFormat', detail: expect.stringMatching(/^text\d+$/) });
  });

  it('keeps line breaks in a body and stores a vanity slug as the username, not as siteId', () => {
    const { conversation: c } = read('current', undefined, (doc) => {
      const body = doc.querySelectorAll('main p.msg-s-event-listitem__body')[3]!;
      body.replaceChildren('Received,', doc.createElement('br'), '  thank   you.');
      doc.querySelector('a.msg-thread__link-to-profile')!.setAttribute('href', 'https://www.linkedin.com/in/chen-jing-8a1b2c/');
    });
    expect(c?.messages[3]?.text).toBe('Received,\nthank you.');
    expect(c?.contact.handles).toEqual({ phones: ['+44 7700 900123'], emails: [], username: 'chen-jing-8a1b2c' });
  });

  it('follows a switch to another thread by history.pushState with the same pane element', async () => {
    const page = open('current');
    const w = start(page);
    w.running.readNow();
    const pane = page.doc.querySelector('main .msg-thread')!;
    const before = w.last().epoch;
    page.window.history.pushState({}, '', `/messaging/thread/${CLASSIC_B}/`);
    pane.replaceChildren(threadContent(page.doc, CLASSIC_B));
    const snap = await until(() => (w.last().conversation?.threadKey === CLASSIC_B ? w.last() : undefined));
    expect(page.doc.querySelector('main .msg-thread')).toBe(pane);
    expect(snap.epoch).toBeGreaterThan(before);
    expect(snap.conversation?.contact).toEqual({ displayName: 'Wang Fang', handles: { phones: [], emails: [], siteId: WANG } });
    expect(snap.conversation?.messages.map((m) => [m.direction, m.sender, m.at, m.text])).toEqual([
      ['in', 'Wang Fang', Date.parse('2026-12-01T08:30:02.145Z'), 'Good morning, we are looking for a supplier of packaging film.'],
      ['in', 'Wang Fang', Date.parse('2026-12-01T08:31:47.520Z'), 'Our monthly volume is about 20 tonnes.'],
      ['in', 'Wang Fang', Date.parse('2026-12-04T11:02:33.006Z'), 'Are you free for a call on Monday?'],
    ]);
    // Nothing of the first thread is carried over.
    expect(snap.conversation?.messages.every((m) => m.id.startsWith(`${CLASSIC_B}/`))).toBe(true);
  });

  it('marks a thread where two other members write as a group and takes no phone from it', () => {
    const { conversation: c } = read('current', undefined, (doc) => {
      const last = doc.querySelectorAll('main li.msg-s-message-list__event');
      const item = last[last.length - 2]!; // Chen Jing's second run, first item
      for (const a of Array.from(item.querySelectorAll('a'))) a.setAttribute('href', `/in/${WANG}`);
    });
    expect(c?.isGroup).toBe(true);
    expect(c?.contact.handles.phones).toEqual([]);
  });
});

describe('linkedin rebuilt UI in the shadow root (shadow.html)', () => {
  it('is invisible to document.querySelector, and read through the shadow root', () => {
    const page = open('shadow');
    expect(page.doc.querySelector('h2')).toBeNull();
    expect(shadowRoot(page.doc).querySelectorAll('h2')).toHaveLength(1);
    const w = start(page);
    w.running.readNow();
    const { conversation: c, health } = w.last();
    expect(c?.threadKey).toBe('2-M2Q3YjllMjAtNmYxNC00YzhhLWE1ZDEtZTJiMDhjNDdmOWE2XzEwMA==');
    expect(health.fields).toEqual({
      root: 'shadow', pane: 'shadow', threadKey: 'url', title: 'shadow', messageList: 'shadow',
      messageRow: 'shadow', outgoing: 'members', sender: 'shadow', time: null, text: 'shadow',
    });
    expect(health.missing).toEqual([]);
    expect(health.issues).toEqual([]);
  });

  it('names the contact from the header <h2> and takes their member id from the row links that name them', () => {
    const c = read('shadow').conversation;
    expect(c?.isGroup).toBe(false);
    expect(c?.contact).toEqual({ displayName: 'Sun Wei', handles: { phones: ['+86 139 1234 5678'], emails: [], siteId: SUN } });
  });

  it('tells directions by whose member id links the run, carries it over continuations, and reads no separator or composer', () => {
    const c = read('shadow').conversation;
    expect(c?.messages.map((m) => [m.direction, m.sender, m.text])).toEqual([
      ['in', 'Sun Wei', 'Hi Li Ming, we need 5,000 units of the PX-20 pump.'],
      ['in', 'Sun Wei', 'Delivery to Ningbo before March.\nPlease call +86 139 1234 5678 <b>today</b>'],
      ['out', 'Li Ming', 'Thank you, Sun Wei. I will prepare a quote.'],
      ['in', 'Sun Wei', 'Any news on the quote?'],
    ]);
    // The page shows only "10:02 AM": no time is made up, and ids are the runtime's hashes.
    expect(c?.messages.every((m) => m.at === undefined && /\/h[0-9a-z]+$/.test(m.id))).toBe(true);
  });

  it('reads rows whatever wraps a day separator’s <time> or a row’s parts (L4 names only <time>, <p>, the links)', () => {
    // The same conversation with each separator in an element of its own and each row as avatar
    // link + (name link and <time>) + <p>: hashed classes say nothing, so only structure counts.
    const c = read('shadow', undefined, (doc) => {
      const list = shadowRoot(doc).querySelector('time')!.parentElement!;
      for (const t of Array.from(list.querySelectorAll(':scope > time'))) {
        const wrap = doc.createElement('div');
        wrap.className = '_f0f0f0f0';
        t.replaceWith(wrap);
        wrap.append(t);
      }
      for (const row of Array.from(list.querySelectorAll(':scope > div:has(p)'))) {
        const link = row.querySelector('a');
        const head = doc.createElement('div');
        head.className = '_77cc22dd';
        const body = doc.createElement('div');
        body.className = '_55aa11bb';
        if (link) {
          const avatar = doc.createElement('a');
          avatar.setAttribute('href', link.getAttribute('href')!);
          avatar.setAttribute('aria-label', link.getAttribute('aria-label')!);
          row.prepend(avatar);
          head.append(link, row.querySelector(':scope > time')!);
          body.append(head);
        }
        body.append(...Array.from(row.querySelectorAll(':scope > p')));
        row.append(body);
      }
    }).conversation;
    expect(c?.messages.map((m) => [m.direction, m.sender, m.text])).toEqual([
      ['in', 'Sun Wei', 'Hi Li Ming, we need 5,000 units of the PX-20 pump.'],
      ['in', 'Sun Wei', 'Delivery to Ningbo before March.\nPlease call +86 139 1234 5678 <b>today</b>'],
      ['out', 'Li Ming', 'Thank you, Sun Wei. I will prepare a quote.'],
      ['in', 'Sun Wei', 'Any news on the quote?'],
    ]);
  });

  it('sees a message added inside the shadow root without being asked', async () => {
    const page = open('shadow');
    const w = start(page);
    w.running.readNow();
    const list = shadowRoot(page.doc).querySelector('._2a7c9e14')!;
    const row = list.querySelector('._8e4b2d67')!.cloneNode(true) as Element;
    row.querySelector('time')!.textContent = '9:01 AM';
    row.querySelector('p')!.textContent = 'I can also take 8,000 units.';
    list.append(row);
    const snap = await until(() => (w.last().conversation?.messages.length === 5 ? w.last() : undefined));
    expect(snap.conversation?.messages[4]).toMatchObject({ direction: 'in', sender: 'Sun Wei', text: 'I can also take 8,000 units.' });
  });

  it('follows a switch to another thread by history.pushState inside the same conversation element', async () => {
    const page = open('shadow');
    const w = start(page);
    w.running.readNow();
    const pane = shadowRoot(page.doc).querySelector('._9f3a2c71')!;
    const before = w.last().epoch;
    page.window.history.pushState({}, '', `/messaging/thread/${SHADOW_B}/`);
    pane.replaceChildren(threadContent(page.doc, SHADOW_B));
    const snap = await until(() => (w.last().conversation?.threadKey === SHADOW_B ? w.last() : undefined));
    expect(shadowRoot(page.doc).querySelector('._9f3a2c71')).toBe(pane);
    expect(snap.epoch).toBeGreaterThan(before);
    // Only the viewer has written: no row link names Liu Yang, so no member id is known for them.
    expect(snap.conversation?.contact).toEqual({ displayName: 'Liu Yang', handles: { phones: [], emails: [] } });
    expect(snap.conversation?.messages.map((m) => [m.direction, m.sender, m.text])).toEqual([
      ['out', 'Li Ming', 'Hello Liu Yang, following up on our talk at the Guangzhou trade fair.'],
      ['out', 'Li Ming', 'Our catalogue: https://example.com/catalogue'],
    ]);
  });

  it('refuses to guess directions when the rows link more members than a 1:1 thread has', () => {
    const { conversation, health } = read('shadow', undefined, (doc) => {
      const links = shadowRoot(doc).querySelectorAll('a[href*="/in/ACoA"]');
      links[links.length - 1]!.setAttribute('href', `/in/${WANG}`);
    });
    expect(conversation).toBeNull();
    expect(health.issues).toContainEqual({ cause: 'fields', detail: 'direction' });
  });

  it('says so when the rows carry no member link at all', () => {
    const { conversation, health } = read('shadow', undefined, (doc) => {
      for (const a of Array.from(shadowRoot(doc).querySelectorAll('a[href*="/in/"]'))) a.remove();
    });
    expect(conversation).toBeNull();
    expect(health.issues).toContainEqual({ cause: 'fields', detail: 'members' });
  });

  it('reads nothing while the shadow root is not built yet, and the conversation once LinkedIn builds it', async () => {
    const page = open('shadow');
    // A host whose shadow root does not exist yet, as right after the page loads.
    const fresh = page.doc.createElement('div');
    fresh.id = 'interop-outlet';
    fresh.setAttribute('data-testid', 'interop-shadowdom');
    page.doc.getElementById('interop-outlet')!.replaceWith(fresh);
    const w = start(page);
    w.running.readNow();
    expect(w.last().conversation).toBeNull();
    expect(w.last().health.ok).toBe(false);
    const tpl = page.doc.getElementById('interop-messaging') as HTMLTemplateElement;
    fresh.attachShadow({ mode: 'open' }).append(tpl.content.cloneNode(true));
    const snap = await until(() => (w.last().conversation ? w.last() : undefined), 5000);
    expect(snap.conversation?.contact.displayName).toBe('Sun Wei');
    expect(snap.conversation?.messages).toHaveLength(4);
  });
});

describe('linkedin, broken page', () => {
  it('reports the page unreadable and no conversation', () => {
    const { conversation, health } = read('broken');
    expect(conversation).toBeNull();
    expect(health.ok).toBe(false);
    expect(health.missing).toEqual(expect.arrayContaining(['title', 'messageList']));
  });
});

describe('linkedin ids', () => {
  it.each([
    ['https://www.linkedin.com/messaging/thread/2-abc==/', '2-abc=='],
    ['https://www.linkedin.com/messaging/thread/2-abc%3D%3D/', '2-abc=='],
    ['/messaging/thread/2-abc/?trk=x', '2-abc'],
    ['https://www.linkedin.com/messaging/thread/new/', null],
    ['https://www.linkedin.com/messaging/', null],
    [null, null],
  ])('linkedinThreadId(%s) = %s', (href, id) => {
    expect(linkedinThreadId(href)).toBe(id);
  });

  it.each([
    ['2-MTc3MTk1MDM0NjYwM2I5NzY0NS0xMDA=', 1771950346603], // "1771950346603b97645-100"
    ['2-MTc5NTUxMTY0NzMxMmI5NzY0NS0xMDA=', Date.parse('2026-11-24T09:14:07.312Z')],
    // The longer form of the 2023 page: "1796113802145b55012-100&7b2e91d4-…_100".
    ['2-MTc5NjExMzgwMjE0NWI1NTAxMi0xMDAmN2IyZTkxZDQtMGM1YS00ZjgzLWI2ZTItOWQxNGEwYzNmNTcxXzEwMA==', Date.parse('2026-12-01T08:30:02.145Z')],
    ['2-aGVsbG8gd29ybGQgaGVsbG8=', undefined], // "hello world hello"
    ['2-OTk5OTk5OTk5OTk5OWIxLTEwMA==', undefined], // "9999999999999b1-100": year 2286
    ['2-%%%', undefined],
  ])('linkedinSentAt(%s) = %s', (id, at) => {
    expect(linkedinSentAt(id)).toBe(at);
  });

  it.each([
    [`/in/${CHEN}`, CHEN],
    [`https://www.linkedin.com/in/${VIEWER}/?miniProfileUrn=x`, VIEWER],
    ['/in/chen-jing-8a1b2c/', undefined],
    [null, undefined],
  ])('linkedinMemberId(%s) = %s', (href, id) => {
    expect(linkedinMemberId(href)).toBe(id);
  });

  it('reads messaging pages only, and is the reader of every www.linkedin.com page its script runs on (in-app navigation)', () => {
    expect(readerForUrl(CLASSIC_URL)?.id).toBe('linkedin');
    expect(linkedinReader.matches.some((p) => matchesPattern(p, SHADOW_URL))).toBe(true);
    expect(linkedinReader.matches.some((p) => matchesPattern(p, 'https://www.linkedin.com/feed/'))).toBe(false);
    expect(readerForUrl('https://www.linkedin.com/feed/')?.id).toBe('linkedin');
    expect(readerForUrl('https://linkedin.com/messaging/')).toBeUndefined();
    expect(readerForUrl('https://evil.example/www.linkedin.com/messaging/')).toBeUndefined();
  });
});
