// A reader that has been running while the chat changed must say exactly what a reader started
// afresh on the same page says. The runtime reads incrementally (it keeps the last window of rows,
// each row's parse, the page lookups, the derived message list, phones and flags, and walks only
// the rows after the last newest): every edit, deletion, reorder, re-render (a node recycled by a
// virtualised list) and insertion above must still give the snapshot of a full read. Each built-in
// reader runs on its saved real-site page (test/fixtures/sites) through fixed-seed random
// sequences of such changes; after each step the long-running reader's snapshot is compared with a
// fresh reader's on an independent copy of the page (its own elements and document, so no cache
// of the runtime or of a site reader, all keyed by element or document, carries over).
import { Window } from 'happy-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { startReader } from '../../../lib/readers/runtime';
import type { ReaderSnapshot } from '../../../lib/readers/runtime';
import { demoReader } from '../../../lib/readers/sites/demo';
import { feishuReader } from '../../../lib/readers/sites/feishu';
import { linkedinReader } from '../../../lib/readers/sites/linkedin';
import { telegramAReader } from '../../../lib/readers/sites/telegram-a';
import { telegramKReader } from '../../../lib/readers/sites/telegram-k';
import { whatsappReader } from '../../../lib/readers/sites/whatsapp';
import type { SiteReader } from '../../../lib/readers/types';
import { FIXTURES, fixtureHtml, openFixture } from './fixture-dom';
import type { Page } from './fixture-dom';
import { readFileSync, existsSync } from 'node:fs';
import { rng } from '../../bench-data'; // mulberry32: every run takes the same steps

interface Case {
  label: string;
  reader: SiteReader;
  site: string;
  fixture: string;
  url?: string;
  /** The open chat's message rows, in page order (in the document or the open shadow root). */
  rows: string;
  /** Give a cloned row ids of its own, in the site's format (n = 1, 2, … per sequence). */
  renumber(row: Element, n: number): void;
}

const setAll = (el: Element, sel: string, attr: string, value: string) => {
  if (el.matches(sel)) el.setAttribute(attr, value);
  for (const e of Array.from(el.querySelectorAll(sel))) e.setAttribute(attr, value);
};
const hex = (n: number, len: number) => n.toString(16).toUpperCase().padStart(len, '0');

const CASES: Case[] = [
  {
    label: 'demo v1',
    reader: demoReader,
    site: 'demo',
    fixture: 'v1',
    rows: '.msg[data-msg-id]',
    renumber: (row, n) => row.setAttribute('data-msg-id', `inc-${n}`),
  },
  {
    label: 'WhatsApp current (with its page facts)',
    reader: whatsappReader,
    site: 'whatsapp',
    fixture: 'current',
    url: 'https://web.whatsapp.com/',
    rows: '#main [data-testid^="conv-msg-"][data-id]',
    renumber(row, n) {
      const id = `3EB0${hex(n, 28)}`;
      row.setAttribute('data-id', id);
      row.setAttribute('data-testid', `conv-msg-${id}`);
    },
  },
  {
    label: 'Telegram K',
    reader: telegramKReader,
    site: 'telegram-k',
    fixture: 'current',
    url: 'https://web.telegram.org/k/#@zhangwei_sh',
    rows: '#column-center .chat.active .bubbles-scrollable .bubble[data-mid]',
    renumber: (row, n) => row.setAttribute('data-mid', String(900_000 + n)),
  },
  {
    label: 'Telegram A',
    reader: telegramAReader,
    site: 'telegram-a',
    fixture: 'current',
    url: 'https://web.telegram.org/a/#5012345678',
    rows: '#MiddleColumn .MessageList .Message[data-message-id]',
    renumber(row, n) {
      setAll(row, '[data-message-id]', 'data-message-id', String(900_000 + n));
      row.id = `message-${900_000 + n}`;
    },
  },
  {
    label: 'Feishu',
    reader: feishuReader,
    site: 'feishu',
    fixture: 'current',
    url: 'https://xyz.feishu.cn/next/messenger/',
    rows: '.chatMessages .messageItem-wrapper[data-id]',
    renumber(row, n) {
      const old = row.getAttribute('data-id') ?? '';
      const id = (BigInt(old) + BigInt(n) * 7919n).toString();
      row.setAttribute('data-id', id);
      for (const e of Array.from(row.querySelectorAll('[id]'))) if (e.id === old) e.id = id;
    },
  },
  {
    label: 'LinkedIn classic',
    reader: linkedinReader,
    site: 'linkedin',
    fixture: 'current',
    rows: 'main .msg-s-message-list-content > li.msg-s-message-list__event',
    renumber(row, n) {
      const item = row.querySelector('[data-event-urn]');
      const urn = item?.getAttribute('data-event-urn') ?? '';
      const m = /^(urn:li:msg_message:\([^,]+,)2-[^)]+\)$/.exec(urn);
      if (item && m) item.setAttribute('data-event-urn', `${m[1]}2-${btoa(`${1_780_272_000_000 + n * 60_000}b${10_000 + n}-100`)})`);
    },
  },
  {
    label: 'LinkedIn rebuilt (shadow root)',
    reader: linkedinReader,
    site: 'linkedin',
    fixture: 'shadow',
    rows: 'div:has(> p):not([role="textbox"])',
    renumber: () => {},
  },
];


function savedFacts(c: Case): Record<string, string> | undefined {
  const file = `${FIXTURES}${c.site}/${c.fixture}.facts.json`;
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : undefined;
}

/** Where the chat's rows live: the document, or #interop-outlet's open shadow root. */
const scopeOf = (doc: Document): ParentNode => doc.querySelector('#interop-outlet')?.shadowRoot ?? doc;

/**
 * An independent copy of the page as it is now: same address, language, body and open shadow
 * roots, in a Window and document of their own. The body is deep-cloned into the new document
 * rather than serialized and parsed again: the copy is node for node the DOM the running reader
 * sees, and the parse was most of this file's CPU (profiled alone 2026-12-07: the copies took 5.9
 * of the worker thread's 15.1 s with innerHTML out and in, 3.4 of 11.5 s cloned; on Feishu's page
 * 16-23 ms against 28-30 ms of CPU per copy, Window included). importNode gives every node the
 * new document, so caches keyed by element or document start empty (happy-dom builds the clones
 * with the page Window's classes; the readers never test an element's class or window). Shadow
 * roots are not cloned with their host (they are not clonable), so each light-DOM host gets one
 * here, as before.
 * Checked once against the parsed copy over all 378 comparisons: same serialized body and shadow
 * roots, same fresh snapshot.
 */
function mirror(page: Page, url: string): Page {
  const window = new Window({ url });
  const doc = window.document as unknown as Document;
  doc.documentElement.lang = page.doc.documentElement.lang;
  const body = doc.importNode(page.doc.body, true);
  doc.body.replaceWith(body);
  const all = Array.from(page.doc.body.querySelectorAll('*'));
  const hosts = all.filter((e) => e.shadowRoot);
  // The clone has the page's shape, so the n-th element of one is the n-th of the other.
  const copies = hosts.length ? Array.from(body.querySelectorAll('*')) : [];
  for (const h of hosts) {
    const copy = copies[all.indexOf(h)];
    if (!copy) throw new Error('mirror: the shadow host has no copy');
    copy.attachShadow({ mode: 'open' }).append(...Array.from(h.shadowRoot!.childNodes, (n) => doc.importNode(n, true)));
  }
  return { window, doc, close: () => window.happyDOM.close() };
}

function readOnce(reader: SiteReader, doc: Document, facts: Record<string, string> | undefined, maxMessages: number): ReaderSnapshot {
  const ac = new AbortController();
  let snap: ReaderSnapshot | undefined;
  const r = startReader(reader, { doc, signal: ac.signal, maxMessages, onSnapshot: (s) => (snap = s), ...(facts ? { pageFacts: () => facts } : {}) });
  r.readNow();
  ac.abort();
  if (!snap) throw new Error('no snapshot');
  return snap;
}

/** What a consumer sees: the conversation, and whether the read is trusted and why not. */
const shown = (s: ReaderSnapshot) => ({ conversation: s.conversation, ok: s.health.ok, issues: s.health.issues });

const OPS = ['append', 'append', 'append', 'burst', 'edit', 'remove', 'move', 'rerender', 'recycle', 'insertAbove'] as const;
type Op = (typeof OPS)[number];
const TEXTS = ['好的', '我的电话 139 1234 5678', '  ', 'edited', '利率能再低一点吗？', 'call +44 20 7946 0958 please', '好的'];

/**
 * Runs `steps` random changes on the case's page; after each batch of one to three changes the
 * long-running reader's snapshot must equal a fresh reader's on a copy of the page.
 */
async function runSequence(c: Case, seed: number, steps: number, maxMessages: number, pages: Page[]): Promise<{ ops: Record<Op, number>; compared: number; withMessages: number }> {
  const random = rng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const page = openFixture(c.site, c.fixture, c.url);
  pages.push(page);
  const { doc } = page;
  doc.documentElement.lang = /<html lang="([^"]*)"/.exec(fixtureHtml(c.site, c.fixture))?.[1] ?? '';
  const url = doc.location.href;
  const facts = savedFacts(c);
  const anchor = facts?.anchor;
  const scope = scopeOf(doc);
  /** A row's outermost wrapper that holds no other row: what a site adds or removes per message. */
  const unitOf = (row: Element) => {
    let unit = row;
    for (let p = row.parentElement; p && p.querySelectorAll(c.rows).length === 1; p = p.parentElement) unit = p;
    return unit;
  };
  const units = () => Array.from(scope.querySelectorAll(c.rows), unitOf);
  /** Units that may be removed or rewritten: not the one the page facts were checked against. */
  const holdsAnchor = (u: Element) => !!anchor && (u.getAttribute('data-id') === anchor || !!u.querySelector(`[data-id="${anchor}"]`));
  const templates = units().map((u) => u.cloneNode(true) as Element);
  let n = 0;
  const fresh = () => {
    const unit = pick(templates).cloneNode(true) as Element;
    const row = unit.matches(c.rows) ? unit : unit.querySelector(c.rows);
    if (row) c.renumber(row, ++n);
    setText(unit, `${pick(TEXTS)} #${n}`);
    return unit;
  };
  /** Rewrites the longest text node of the unit (its message text, as a site would re-render it). */
  function setText(unit: Element, text: string) {
    const walker = doc.createTreeWalker(unit, 4 /* SHOW_TEXT */);
    let best: Text | null = null;
    for (let t = walker.nextNode() as Text | null; t; t = walker.nextNode() as Text | null) {
      if ((t.nodeValue ?? '').trim().length > (best?.nodeValue ?? '').trim().length) best = t;
    }
    if (best) best.nodeValue = text;
  }

  const running = (() => {
    const ac = new AbortController();
    let snap: ReaderSnapshot | undefined;
    const r = startReader(c.reader, { doc, signal: ac.signal, maxMessages, onSnapshot: (s) => (snap = s), ...(facts ? { pageFacts: () => facts } : {}) });
    return { read: () => (r.readNow(), snap!), stop: () => ac.abort() };
  })();
  const first = running.read();
  if (!first.health.ok) throw new Error(`${c.label}: the saved page does not read: ${JSON.stringify(first.health)}`);

  const ops = Object.fromEntries(OPS.map((o) => [o, 0])) as Record<Op, number>;
  let compared = 0;
  let withMessages = 0;
  const log: string[] = [];
  for (let step = 0; step < steps; ) {
    const batch = 1 + Math.floor(random() * 3);
    for (let b = 0; b < batch && step < steps; b++, step++) {
      // One query per step: nothing changes the page between the two lists.
      const all = units();
      const free = all.filter((u) => !holdsAnchor(u));
      const op = pick(OPS);
      const last = all[all.length - 1];
      if (!last) break;
      switch (op) {
        case 'append':
          last.after(fresh());
          break;
        case 'burst':
          last.after(fresh(), fresh(), fresh());
          break;
        case 'edit': {
          const u = pick(all);
          setText(u, `${pick(TEXTS)} (edited ${step})`);
          break;
        }
        case 'remove':
          if (free.length > 2) pick(free).remove();
          break;
        case 'move': {
          const u = pick(free.length ? free : all);
          const before = pick(all);
          if (u !== before && !u.contains(before)) before.before(u);
          break;
        }
        case 'rerender': {
          // The site renders the same message again: a new node, same ids and text.
          const u = pick(all);
          u.replaceWith(u.cloneNode(true));
          break;
        }
        case 'recycle': {
          // A virtualised list reuses a node for another message: new ids and text in place.
          if (!free.length) break;
          const u = pick(free);
          const row = u.matches(c.rows) ? u : u.querySelector(c.rows);
          if (row) c.renumber(row, ++n);
          setText(u, `${pick(TEXTS)} (recycled ${n})`);
          break;
        }
        case 'insertAbove':
          pick(all).before(fresh());
          break;
      }
      ops[op]++;
      log.push(op);
    }
    log.push('|');
    const incremental = running.read();
    const copy = mirror(page, url);
    const full = readOnce(c.reader, copy.doc, facts, maxMessages);
    await copy.close();
    expect(shown(incremental), `${c.label}, seed ${seed}, after step ${step} (${log.join(' ')})`).toEqual(shown(full));
    compared++;
    if (full.conversation?.messages.length) withMessages++;
  }
  running.stop();
  return { ops, compared, withMessages };
}

describe('incremental reads equal full reads on the saved real-site pages', () => {
  const pages: Page[] = [];
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.close();
  });

  for (const c of CASES) {
    it(`${c.label}: random edits, deletions, reorders, re-renders, recycled nodes and insertions (fixed seeds)`, async () => {
      const totals = Object.fromEntries(OPS.map((o) => [o, 0])) as Record<Op, number>;
      let compared = 0;
      let withMessages = 0;
      // A window smaller than the page (rows leave it as others arrive) and the default one.
      for (const [seed, maxMessages] of [
        [1, 3],
        [2, 5],
        [3, 200],
      ] as const) {
        const r = await runSequence(c, seed * 7919 + c.label.length, 36, maxMessages, pages);
        for (const o of OPS) totals[o] += r.ops[o];
        compared += r.compared;
        withMessages += r.withMessages;
      }
      // The sequences did take every kind of step, and most comparisons had messages to compare.
      for (const o of OPS) expect(totals[o], `${c.label}: ${o}`).toBeGreaterThan(0);
      expect(compared).toBeGreaterThan(40);
      expect(withMessages).toBeGreaterThan(compared / 2);
    }, 120_000);
  }
});
