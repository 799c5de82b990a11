// Loads saved-HTML fixtures into a fresh happy-dom Window per test and starts readers on it.
// A Window of our own rather than `@vitest-environment happy-dom`: in the unit project that
// environment cannot start (WxtVitest's setup imports vite, which breaks under happy-dom's
// URL global), and a Window per page also gives each test its own URL and history.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';
import { startReader } from '../../../lib/readers/runtime';
import type { ReaderSnapshot, StartReaderOptions } from '../../../lib/readers/runtime';
import type { SiteReader } from '../../../lib/readers/types';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/sites/', import.meta.url));

export function fixtureHtml(site: string, name: string): string {
  return readFileSync(`${FIXTURES}${site}/${name}.html`, 'utf8');
}

export interface Page {
  window: Window;
  doc: Document;
  close(): Promise<void>;
}

/**
 * A page with the fixture's <body> (as saved HTML: its scripts never run). The address is
 * `url`, else the fixture's own `<meta name="liaison-fixture-url">`, else the demo's. What a
 * fixture's script would build is built here the same way: each `template[data-shadow-host]`
 * becomes the open shadow root of the element it names (LinkedIn's rebuilt UI).
 */
export function openFixture(site: string, name: string, url?: string): Page {
  const html = fixtureHtml(site, name);
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1];
  if (body === undefined) throw new Error(`${site}/${name}.html has no <body>`);
  const saved = /<meta name="liaison-fixture-url" content="([^"]+)"/.exec(html)?.[1];
  const window = new Window({ url: url ?? saved ?? 'http://127.0.0.1:5300/' });
  // happy-dom's Document type is structurally the DOM's; the runtime only needs the DOM API.
  const doc = window.document as unknown as Document;
  doc.body.innerHTML = body;
  for (const tpl of Array.from(doc.querySelectorAll<HTMLTemplateElement>('template[data-shadow-host]'))) {
    const host = doc.querySelector(tpl.getAttribute('data-shadow-host') ?? '');
    if (host && !host.shadowRoot) host.attachShadow({ mode: 'open' }).append(tpl.content.cloneNode(true));
  }
  return { window, doc, close: () => window.happyDOM.close() };
}

/** Starts a reader on the page and records every snapshot. */
export function watch(
  reader: SiteReader,
  doc: Document,
  opts: Partial<Omit<StartReaderOptions, 'doc' | 'signal'>> = {},
) {
  const ac = new AbortController();
  const snaps: ReaderSnapshot[] = [];
  const running = startReader(reader, {
    doc,
    signal: ac.signal,
    debounceMs: 20,
    ...opts,
    onSnapshot: opts.onSnapshot ?? ((s) => snaps.push(s)),
  });
  const last = () => {
    const s = snaps[snaps.length - 1];
    if (!s) throw new Error('no snapshot yet');
    return s;
  };
  return { ac, snaps, running, last };
}

/** A v1 message row as the demo renders it. */
export function v1Row(doc: Document, id: string, dir: 'in' | 'out', text: string, iso = '2026-03-04T01:00:00.000Z'): HTMLElement {
  const row = doc.createElement('div');
  row.className = `msg msg-${dir}`;
  row.setAttribute('data-msg-id', id);
  const bubble = doc.createElement('div');
  bubble.className = 'bubble';
  const t = doc.createElement('div');
  t.className = 'msg-text';
  t.textContent = text;
  const time = doc.createElement('time');
  time.setAttribute('datetime', iso);
  time.textContent = '09:00';
  bubble.append(t, time);
  row.append(bubble);
  return row;
}

/** A v1 conversation pane with `count` messages, as the demo builds it on a switch. */
export function v1Pane(doc: Document, threadId: string, title: string, count: number): HTMLElement {
  const pane = doc.createElement('section');
  pane.id = 'conversation';
  pane.setAttribute('data-thread-id', threadId);
  pane.setAttribute('data-chat-type', threadId.startsWith('g_') ? 'group' : 'direct');
  const header = doc.createElement('header');
  const h = doc.createElement('h2');
  h.className = 'conv-title';
  h.setAttribute('title', title);
  h.textContent = title;
  const sub = doc.createElement('div');
  sub.className = 'conv-subtitle';
  header.append(h, sub);
  const list = doc.createElement('div');
  list.className = 'msg-list';
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  for (let i = 1; i <= count; i++) {
    list.append(v1Row(doc, `${threadId}-${i}`, i % 3 === 0 ? 'out' : 'in', `消息 message ${i}`, new Date(base + i * 60_000).toISOString()));
  }
  pane.append(header, list);
  return pane;
}

/** Replaces #conversation the way the demo (and WhatsApp's #main) does on a switch. */
export function switchPane(doc: Document, pane: HTMLElement): void {
  const host = doc.getElementById('conversation-host');
  if (!host) throw new Error('no #conversation-host');
  host.replaceChildren(pane);
}

export function messageList(doc: Document): Element {
  const list = doc.querySelector('#conversation .msg-list');
  if (!list) throw new Error('no .msg-list');
  return list;
}
