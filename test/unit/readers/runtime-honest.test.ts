// The runtime's honest health (a page that shows messages but yields none is never "ok"), open
// shadow roots, history-API navigation, switches that keep the pane, page facts and key aliases.
// Small synthetic readers over hand-built DOM: these test the runtime's mechanics, not a site.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Window } from 'happy-dom';
import type { SiteReader } from '../../../lib/readers/types';
import { shapeOf } from '../../../lib/readers/runtime';
import { watch } from './fixture-dom';
import { elapse, fakeReaderClock } from './reader-clock';

const windows: Window[] = [];
const aborts: AbortController[] = [];
beforeEach(fakeReaderClock);
afterEach(async () => {
  for (const a of aborts.splice(0)) a.abort();
  for (const w of windows.splice(0)) await w.happyDOM.close();
  vi.useRealTimers();
});

function page(html: string, url = 'https://chat.example/') {
  const window = new Window({ url });
  windows.push(window);
  const doc = window.document as unknown as Document;
  doc.body.innerHTML = html;
  return { window, doc };
}

function start(reader: SiteReader, doc: Document, opts: Parameters<typeof watch>[2] = {}) {
  const w = watch(reader, doc, opts);
  aborts.push(w.ac);
  w.running.readNow();
  return w;
}

/** A plain reader: `#pane[data-key]`, `h1` title, `.list > .row[data-id]`, `.out` outgoing. */
function reader(over: Partial<SiteReader> = {}): SiteReader {
  return {
    id: 'synthetic',
    matches: ['https://chat.example/*'],
    selectors: {
      pane: [{ name: 'a', css: '#pane' }],
      threadKey: [{ name: 'a', css: '#pane[data-key]' }],
      title: [{ name: 'a', css: 'h1' }],
      messageList: [{ name: 'a', css: '.list' }],
      messageRow: [{ name: 'a', css: '.row' }],
    },
    optional: [],
    layout: { container: ['body'], widthPx: 300 },
    threadKey: (ctx) => ctx.query('threadKey')?.getAttribute('data-key') ?? null,
    parseMessage: (row) => ({
      ...(row.getAttribute('data-id') ? { siteId: row.getAttribute('data-id')! } : {}),
      direction: row.classList.contains('out') ? 'out' : 'in',
      text: row.querySelector('.body')?.textContent?.trim() ?? '',
    }),
    contact: (ctx) => ({ displayName: ctx.text('title') ?? '', handles: { phones: [], emails: [] } }),
    isGroup: () => false,
    ...over,
  };
}

const rows = (n: number, text = (i: number) => `message number ${i}`) =>
  Array.from({ length: n }, (_, i) => `<div class="row" data-id="${1000 + i}"><span class="body">${text(i)}</span></div>`).join('');

describe('honest health', () => {
  it('reads a plain page as ok, with no issues', () => {
    const { doc } = page(`<div id="pane" data-key="k1"><h1>Alice</h1><div class="list">${rows(3)}</div></div>`);
    const s = start(reader(), doc).last();
    expect(s.health).toMatchObject({ ok: true, issues: [] });
    expect(s.conversation?.messages).toHaveLength(3);
  });

  it('says noRows when the list it found is an empty decoy and the rows are elsewhere in the pane', () => {
    const { doc } = page(`<div id="pane" data-key="k1"><h1>Alice</h1><div class="list"></div><div class="list real">${rows(3)}</div></div>`);
    const s = start(reader(), doc).last();
    expect(s.conversation).toBeNull();
    expect(s.health.ok).toBe(false);
    expect(s.health.issues).toEqual([{ cause: 'noRows', detail: 'rows outside the list' }]);
  });

  it('says noRows when the list shows text but no row matches (the site renamed its rows)', () => {
    const { doc } = page(`<div id="pane" data-key="k1"><h1>Alice</h1><div class="list"><div class="msg2">你好，我想咨询一下经营贷的利率和额度</div><div class="msg2">还在吗？麻烦回复一下</div></div></div>`);
    const s = start(reader(), doc).last();
    expect(s.conversation).toBeNull();
    expect(s.health.issues.map((i) => i.cause)).toEqual(['noRows']);
  });

  it('keeps an empty new chat ok: an empty list with no text is not an error', () => {
    const { doc } = page(`<div id="pane" data-key="k1"><h1>Alice</h1><div class="list"></div></div>`);
    const s = start(reader(), doc).last();
    expect(s.health).toMatchObject({ ok: true, issues: [] });
    expect(s.conversation?.messages).toEqual([]);
  });

  it('says emptyText when every row reads as empty text (the body selector went stale)', () => {
    const { doc } = page(`<div id="pane" data-key="k1"><h1>Alice</h1><div class="list">${rows(3)}</div></div>`);
    const s = start(reader({ parseMessage: (row) => ({ siteId: row.getAttribute('data-id')!, direction: 'in', text: row.querySelector('.gone')?.textContent ?? '' }) }), doc).last();
    expect(s.conversation).toBeNull();
    expect(s.health.issues).toEqual([{ cause: 'emptyText', detail: '3 rows' }]);
  });

  it('keeps a chat of photos ok (media rows have no text), and says emptyText only of text rows', () => {
    const { doc } = page(`<div id="pane" data-key="k1"><h1>Alice</h1><div class="list">${rows(3)}</div></div>`);
    const photos = reader({ parseMessage: (row) => ({ siteId: row.getAttribute('data-id')!, direction: 'in', text: '', media: true }) });
    const s = start(photos, doc).last();
    expect(s.health).toMatchObject({ ok: true, issues: [] });
    expect(s.conversation?.messages).toHaveLength(3);
  });

  it('says noRows when rows are found but the reader takes none of them as a message', () => {
    const { doc } = page(`<div id="pane" data-key="k1"><h1>Alice</h1><div class="list">${rows(3)}</div></div>`);
    const s = start(reader({ parseMessage: () => null }), doc).last();
    expect(s.conversation).toBeNull();
    expect(s.health.issues).toEqual([{ cause: 'noRows', detail: 'rows skipped' }]);
  });

  it('says idFormat with the shape (never the value) of an id the reader does not recognise', () => {
    const { doc } = page(`<div id="pane" data-key="k1"><h1>Alice</h1><div class="list"><div class="row" data-id="3EB0A1B2C3D4E5F60001"><span class="body">hi</span></div></div></div>`);
    const s = start(reader({ messageIdPattern: /^(true|false)_/ }), doc).last();
    expect(s.conversation).toBeNull();
    expect(s.health.issues).toEqual([{ cause: 'idFormat', detail: 'hex20' }]);
    expect(JSON.stringify(s.health)).not.toContain('3EB0A1');
  });

  it('keeps a weak-key conversation, marked weak, and reports the cause', () => {
    const { doc } = page(`<div id="pane"><h1>Alice</h1><div class="list">${rows(2)}</div></div>`);
    const r = reader({
      threadKey(ctx) {
        ctx.flag('weakKey', 'title');
        return `title:${ctx.text('title')}`;
      },
    });
    const s = start(r, doc).last();
    expect(s.conversation).toMatchObject({ threadKey: 'title:Alice', weakKey: true });
    expect(s.health.ok).toBe(false);
    expect(s.health.issues).toEqual([{ cause: 'weakKey', detail: 'title' }]);
  });

  it('keeps a flag raised while parsing a row on later reads, when the row comes from the cache', async () => {
    const { doc } = page(`<div id="pane" data-key="k1"><h1>Alice</h1><div class="list">${rows(2)}</div></div>`);
    let parses = 0;
    const r = reader({
      parseMessage(row, ctx) {
        parses += 1;
        if (row.getAttribute('data-id') === '1000') ctx.flag('decoy', 'row');
        return { direction: 'in', text: 'x' };
      },
    });
    const w = start(r, doc);
    expect(w.last().health.issues).toEqual([{ cause: 'decoy', detail: 'row' }]);
    doc.querySelector('.list')!.insertAdjacentHTML('beforeend', '<div class="row" data-id="2000"><span class="body">new</span></div>');
    // Past the 20 ms debounce and 30 ms more: the read after the new row has parsed it, and only it.
    await elapse(50);
    expect(parses).toBe(3); // the two old rows came from the cache
    expect(w.last().health.issues).toEqual([{ cause: 'decoy', detail: 'row' }]);
  });

  it('names the missing required fields as a "fields" issue', () => {
    const { doc } = page(`<div id="pane" data-key="k1"><div class="list">${rows(1)}</div></div>`);
    const s = start(reader(), doc).last();
    expect(s.conversation).toBeNull();
    expect(s.health.issues).toEqual([{ cause: 'fields', detail: 'title' }]);
  });

  it('gives shapes, not values', () => {
    expect(shapeOf('7514210624573128705')).toBe('digits19');
    expect(shapeOf('3EB0A1B2C3D4E5F6')).toBe('hex16');
    expect(shapeOf('2-YmU2ZjA=')).toBe('b64-10');
    expect(shapeOf('张伟 13800138000')).toBe('text14');
  });
});

describe('phones from messages', () => {
  it("takes a number the contact typed, not one in words that are not theirs (a forward)", () => {
    const { doc } = page(`<div id="pane" data-key="k1"><h1>Alice</h1><div class="list">
      <div class="row" data-id="1"><span class="body">我的电话 13800138000</span></div>
      <div class="row fwd" data-id="2"><span class="body">转发：王经理 13912345678</span></div></div></div>`);
    const r = reader({
      parseMessage: (row) => ({ siteId: row.getAttribute('data-id')!, direction: 'in', text: row.textContent!.trim(), ...(row.classList.contains('fwd') ? { notTheirs: true } : {}) }),
    });
    const s = start(r, doc).last();
    expect(s.conversation?.contact.handles.phones).toEqual(['13800138000']);
    expect(s.conversation?.messages).toHaveLength(2);
  });
});

describe('open shadow roots', () => {
  const shadowReader = reader({
    selectors: {
      root: [{ name: 'a', css: '#outlet >>> main' }],
      pane: [{ name: 'a', css: '#outlet >>> main' }],
      title: [{ name: 'a', css: '#outlet >>> main h2' }],
      messageList: [{ name: 'a', css: '#outlet >>> main ul' }],
      messageRow: [{ name: 'a', css: 'li' }],
    },
    threadKey: (ctx) => /\/thread\/([^/]+)\//.exec(ctx.url)?.[1] ?? null,
    parseMessage: (row) => ({ direction: 'in', text: row.querySelector('p')?.textContent ?? '' }),
  });

  function shadowPage() {
    const p = page('<div id="outlet"></div>', 'https://chat.example/thread/t1/');
    const root = p.doc.getElementById('outlet')!.attachShadow({ mode: 'open' });
    root.innerHTML = '<main><h2>Bob</h2><ul><li><p>first</p></li><li><p>second</p></li></ul></main>';
    return { ...p, root };
  }

  it('reads fields inside an open shadow root with " >>> " selectors', () => {
    const { doc } = shadowPage();
    const s = start(shadowReader, doc).last();
    expect(s.health).toMatchObject({ ok: true, issues: [] });
    expect(s.conversation?.contact.displayName).toBe('Bob');
    expect(s.conversation?.messages.map((m) => m.text)).toEqual(['first', 'second']);
  });

  it('observes mutations inside the shadow root', async () => {
    const { doc, root } = shadowPage();
    const w = start(shadowReader, doc);
    expect(w.last().conversation?.messages).toHaveLength(2);
    root.querySelector('ul')!.insertAdjacentHTML('beforeend', '<li><p>third</p></li>');
    // Within the debounce: the observer's own records, not the navigation poll or the detach check.
    await elapse(20);
    expect(w.last().conversation?.messages.map((m) => m.text)).toEqual(['first', 'second', 'third']);
  });

  // A read looks for new shadow roots only when something outside the message list changed
  // since the last read; while only the list changed, the detach check (every 2 s) does. A
  // mutation inside a root reaches the reader once that root is observed: the observer's switch
  // check then asks for the page facts, which is what these tests count.
  describe('a shadow root attached to a host outside the chat (LinkedIn classic beside its rebuilt UI)', () => {
    const lightReader = reader({
      selectors: {
        pane: [{ name: 'a', css: '#pane' }],
        threadKey: [{ name: 'a', css: '#pane[data-key]' }],
        title: [{ name: 'a', css: 'h1' }],
        messageList: [{ name: 'a', css: '.list' }, { name: 'b', css: '#outlet >>> ul' }],
        messageRow: [{ name: 'a', css: '.row[data-id]' }],
      },
    });
    function twoUis() {
      const p = page(`<div id="pane" data-key="k1"><h1>Alice</h1><div class="list">${rows(2)}</div></div><div id="outlet"></div>`);
      let asked = 0;
      const w = start(lightReader, p.doc, { pageFacts: () => (asked++, undefined) });
      const root = p.doc.getElementById('outlet')!.attachShadow({ mode: 'open' });
      root.innerHTML = '<ul><li>x</li></ul>';
      return { ...p, w, root, asked: () => asked };
    }
    const seenInRoot = async (t: ReturnType<typeof twoUis>, timeout: number) => {
      const before = t.asked();
      t.root.querySelector('ul')!.insertAdjacentHTML('beforeend', '<li>y</li>');
      // On the faked clock: up to `timeout` in 20 ms steps, until the reader has seen the change.
      for (let waited = 0; waited < timeout && t.asked() <= before; waited += 20) await elapse(20);
      expect(t.asked()).toBeGreaterThan(before);
    };

    it('is observed at the next read after a change outside the list', async () => {
      const t = twoUis();
      t.doc.querySelector('h1')!.textContent = 'Alice Chen';
      t.w.running.readNow();
      await seenInRoot(t, 500);
    });

    it('is observed by the detach check when only the list changed', async () => {
      const t = twoUis();
      t.doc.querySelector('.list')!.insertAdjacentHTML('beforeend', '<div class="row" data-id="m9"><span class="body">new</span></div>');
      t.w.running.readNow();
      expect(t.w.last().conversation?.messages.at(-1)?.text).toBe('new');
      await elapse(2_100); // the detach check's period
      await seenInRoot(t, 2_000);
    });
  });

  it('finds nothing without the piercing syntax (a document query does not enter shadow roots)', () => {
    const { doc } = shadowPage();
    const unpierced = Object.fromEntries(Object.entries(shadowReader.selectors).map(([f, vs]) => [f, vs!.map((v) => ({ ...v, css: v.css.replace('#outlet >>> ', '') }))]));
    const s = start(reader({ ...shadowReader, selectors: unpierced }), doc).last();
    expect(s.conversation).toBeNull();
    expect(s.health.issues[0]).toEqual({ cause: 'fields', detail: 'title,messageList' });
  });
});

describe('navigation and switches', () => {
  it('follows history.pushState, which fires no event a content script sees', async () => {
    const { doc, window } = page(`<div id="pane"><h1>Alice</h1><div class="list">${rows(1)}</div></div>`, 'https://chat.example/c/1');
    const r = reader({ threadKey: (ctx) => /\/c\/(\d+)/.exec(ctx.url)?.[1] ?? null });
    const w = start(r, doc, { navigationPollMs: 20 });
    expect(w.last().conversation?.threadKey).toBe('1');
    window.history.pushState({}, '', '/c/2');
    await elapse(40); // two polls
    expect(w.last()).toMatchObject({ epoch: 2, conversation: { threadKey: '2' } });
  });

  it('notices a switch that keeps the pane element (only the key attribute and the rows change)', async () => {
    const { doc } = page(`<div id="pane" data-key="k1"><h1>Alice</h1><div class="list">${rows(2)}</div></div>`);
    const w = start(reader(), doc, { debounceMs: 200 });
    const pane = doc.getElementById('pane')!;
    pane.setAttribute('data-key', 'k2');
    pane.querySelector('h1')!.textContent = 'Carol';
    await Promise.resolve();
    await elapse(0);
    // The epoch moved on the mutation itself, before the (long) debounce.
    expect(w.running.epoch()).toBe(2);
    await elapse(40);
    expect(w.last().conversation).toMatchObject({ threadKey: 'k2', contact: { displayName: 'Carol' } });
    expect(doc.getElementById('pane')).toBe(pane);
  });

  it('gives page facts to the reader and re-reads when poked', async () => {
    const { doc } = page(`<div id="pane"><h1>Alice</h1><div class="list">${rows(1)}</div></div>`);
    let facts: Record<string, string> = { chat: '111@c.us' };
    const r = reader({
      threadKey: (ctx) => ctx.facts.chat ?? null,
      contact: (ctx) => ({ displayName: ctx.text('title') ?? '', handles: { phones: [], emails: [] }, aliases: ctx.facts.lid ? [ctx.facts.lid, ctx.facts.chat!] : [] }),
    });
    const w = start(r, doc, { pageFacts: () => facts });
    expect(w.last().conversation?.threadKey).toBe('111@c.us');
    expect(w.last().conversation?.keyAliases).toBeUndefined();
    facts = { chat: '222@c.us', lid: '999@lid' };
    w.running.poke();
    await elapse(20);
    // The key itself is never listed among its aliases.
    expect(w.last().conversation).toMatchObject({ threadKey: '222@c.us', keyAliases: ['999@lid'] });
    expect(w.last().epoch).toBe(2);
  });
});
