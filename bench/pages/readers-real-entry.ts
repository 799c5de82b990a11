// Runs in Chromium on a saved page of a real chat site (test/fixtures/sites/<site>/<name>.html,
// served on the bench host at the path and hash its reader expects): the project's reader runtime
// and every built-in site reader, bundled by esbuild, timed with performance.now. It scales the
// chat up by cloning the page's own last incoming message row with fresh ids in the site's own id
// format, then times a fresh reader's first read and the cost of each further message, checking
// every read: ok, the right number of messages, the newest text. Exposed as window.__realBench
// for bench/readers-real.ts.
import { startReader, type ReaderSnapshot } from '../../lib/readers/runtime';
import { feishuReader } from '../../lib/readers/sites/feishu';
import { linkedinReader } from '../../lib/readers/sites/linkedin';
import { telegramAReader } from '../../lib/readers/sites/telegram-a';
import { telegramKReader } from '../../lib/readers/sites/telegram-k';
import { whatsappReader } from '../../lib/readers/sites/whatsapp';
import type { SiteReader } from '../../lib/readers/types';
import { timeMessages, withTimedObserver } from './timed-reader';
import type { FirstRead, PerMessage as DemoPerMessage } from './reader-entry';

/**
 * What the bench knows of a site's page: where its message rows are (only to pick the row to
 * clone and where to put the clones; what the reader reads is the reader's business) and how the
 * site numbers a new message. The clone is the row's outermost wrapper that holds no other row.
 */
interface SiteSpec {
  reader: SiteReader;
  /** The document, or the open shadow root, that holds the open chat's rows. */
  scope(doc: Document): ParentNode;
  /** The message rows of the open chat (in `scope`), in page order. */
  rows: string;
  /** Give a cloned row the site's next id (n = 1, 2, … for this page). */
  renumber(row: Element, n: number, ctx: Renumber): void;
  /** What the site changes on the previous newest row when one is added after it. */
  retire?(previous: Element): void;
}

interface Renumber {
  /** The largest integer id on the page before the clones (Telegram). */
  maxInt: number;
  /** The template row as saved. */
  template: Element;
}

const setAll = (el: Element, sel: string, attr: string, value: string) => {
  if (el.matches(sel)) el.setAttribute(attr, value);
  for (const e of Array.from(el.querySelectorAll(sel))) e.setAttribute(attr, value);
};

/** A deterministic 64-bit-ish mix of n (to spread ids like the sites' random ones). */
function mix(n: number, salt: number): number {
  let h = Math.imul(n ^ salt, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca77);
  h ^= h >>> 13;
  return h >>> 0;
}
const hex8 = (x: number) => x.toString(16).toUpperCase().padStart(8, '0');
/** 2026-06-01T00:00:00Z in seconds: the clones' send times start here. */
const BASE_SECONDS = 1_780_272_000;

export const SITES: Record<string, SiteSpec> = {
  // data-id is the bare message id since 2026-04: 20–32 hex; the web client's are 32.
  whatsapp: {
    reader: whatsappReader,
    scope: (d) => d,
    rows: '#main [data-testid^="conv-msg-"][data-id]',
    renumber(row, n) {
      const id = `3EB0${hex8(mix(n, 1))}${hex8(mix(n, 2))}${hex8(mix(n, 3))}${hex8(n).slice(4)}`;
      row.setAttribute('data-id', id);
      row.setAttribute('data-testid', `conv-msg-${id}`);
    },
  },
  // data-mid: the chat's message ids, increasing integers; data-timestamp: Unix seconds.
  'telegram-k': {
    reader: telegramKReader,
    scope: (d) => d,
    rows: '#column-center .chat.active .bubbles-scrollable .bubble[data-mid]',
    renumber(row, n, ctx) {
      row.setAttribute('data-mid', String(ctx.maxInt + n));
      setAll(row, '[data-timestamp]', 'data-timestamp', String(BASE_SECONDS + n * 60));
    },
  },
  // data-message-id (row and its bottom marker) and id="message-<id>": increasing integers.
  'telegram-a': {
    reader: telegramAReader,
    scope: (d) => d,
    rows: '#MiddleColumn .MessageList .Message[data-message-id]',
    renumber(row, n, ctx) {
      const id = String(ctx.maxInt + n);
      setAll(row, '[data-message-id]', 'data-message-id', id);
      row.id = `message-${id}`;
    },
    retire: (prev) => prev.classList.remove('last-in-list'),
  },
  // 19-digit ids whose top 32 bits are the Unix seconds of the send time (F-sources in SOURCES.md),
  // on the wrapper's data-id and the message elements' id.
  feishu: {
    reader: feishuReader,
    scope: (d) => d,
    rows: '.chatMessages .messageItem-wrapper[data-id]',
    renumber(row, n, ctx) {
      const old = ctx.template.getAttribute('data-id') ?? '';
      const id = ((BigInt(BASE_SECONDS + n * 60) << 32n) | BigInt(mix(n, 4) & 0xffffff)).toString();
      if (!/^\d{19}$/.test(id)) throw new Error(`feishu id ${id} is not 19 digits`);
      row.setAttribute('data-id', id);
      for (const e of Array.from(row.querySelectorAll('[id]'))) if (e.id === old) e.id = id;
      setAll(row, '[data-position]', 'data-position', String(1000 + n));
    },
    retire: (prev) => prev.classList.remove('message-last'),
  },
  // The message URN: urn:li:msg_message:(<member URN>,2-<base64 of "<sent ms>b<n>-100">).
  'linkedin-current': {
    reader: linkedinReader,
    scope: (d) => d,
    rows: 'main .msg-s-message-list-content > li.msg-s-message-list__event',
    renumber(row, n) {
      const item = row.querySelector('[data-event-urn]');
      const urn = item?.getAttribute('data-event-urn') ?? '';
      const m = /^(urn:li:msg_message:\([^,]+,)2-[^)]+\)$/.exec(urn);
      if (!item || !m) throw new Error('linkedin: the template row has no message URN');
      const id = `2-${btoa(`${(BASE_SECONDS + n * 60) * 1000}b${10_000 + (mix(n, 5) % 90_000)}-100`)}`;
      item.setAttribute('data-event-urn', `${m[1]}${id})`);
    },
  },
  // The rebuilt UI shows no message id at all; the rows are in #interop-outlet's open shadow root.
  'linkedin-shadow': {
    reader: linkedinReader,
    scope: (d) => {
      const root = d.querySelector('#interop-outlet')?.shadowRoot;
      if (!root) throw new Error('linkedin: no open shadow root on #interop-outlet');
      return root;
    },
    rows: 'div:has(> p):not([role="textbox"])',
    renumber() {},
  },
};

export interface Calibration {
  /** The template's index among the spec's rows. */
  templateIndex: number;
  /** Its message text as the reader reads it (one text node of the row holds exactly that). */
  templateText: string;
  /** Messages the reader reads on the saved page. */
  messages: number;
  threadKey: string;
  rowsInPage: number;
}

/** The demo reader's bench figures, without its last-text flag (every read here is checked). */
export type { FirstRead } from './reader-entry';
export type PerMessage = Omit<DemoPerMessage, 'lastTextOk'>;

interface State {
  site: string;
  spec: SiteSpec;
  cal: Calibration;
  template: Element;
  /** child indexes from the template's wrapper down to its row */
  rowPath: number[];
  maxInt: number;
  last: Element;
  n: number;
  /** rows added so far */
  added: number;
  lastText: string;
}

let state: State | undefined;

function specOf(site: string): SiteSpec {
  const spec = SITES[site];
  if (!spec) throw new Error(`no bench spec for ${site}`);
  return spec;
}

const rowsOf = (spec: SiteSpec): Element[] => Array.from(spec.scope(document).querySelectorAll(spec.rows));

/** The row's outermost wrapper that holds no other row: what the site adds per message. */
function unitOf(row: Element, spec: SiteSpec): Element {
  let unit = row;
  for (let p = row.parentElement; p && p.querySelectorAll(spec.rows).length === 1; p = p.parentElement) unit = p;
  return unit;
}

function textNodes(root: Node): Text[] {
  const out: Text[] = [];
  const walk = (n: Node) => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) out.push(c as Text);
      else walk(c);
    }
  };
  walk(root);
  return out;
}

/** The page's facts as the WhatsApp content script hands them to its reader: one frozen object per change. */
function pageFactsOf(facts: Record<string, string> | undefined): { pageFacts?: () => Readonly<Record<string, string>> } {
  if (!facts) return {};
  const frozen = Object.freeze({ ...facts });
  return { pageFacts: () => frozen };
}

function read(spec: SiteSpec, facts: Record<string, string> | undefined): ReaderSnapshot {
  const ac = new AbortController();
  let snap: ReaderSnapshot | undefined;
  const r = startReader(spec.reader, { doc: document, signal: ac.signal, onSnapshot: (s) => (snap = s), ...pageFactsOf(facts) });
  r.readNow();
  ac.abort();
  if (!snap) throw new Error('the reader produced no snapshot');
  return snap;
}

/**
 * On the saved page as served (run once, on a page load of its own, so the timed loads stay
 * cold): which row to clone. The newest incoming message whose text, as the reader reads it, is
 * one text node of its row (so a clone's text can be replaced without touching the markup).
 */
function calibrate(site: string, facts?: Record<string, string>): Calibration {
  const spec = specOf(site);
  const snap = read(spec, facts);
  const c = snap.conversation;
  if (!snap.health.ok || !c) throw new Error(`${site}: the reader does not read the saved page: ${JSON.stringify(snap.health)}`);
  const rows = rowsOf(spec);
  for (const m of [...c.messages].reverse()) {
    if (m.direction !== 'in' || !m.text.trim()) continue;
    for (let i = rows.length - 1; i >= 0; i--) {
      if (textNodes(rows[i]!).some((t) => t.nodeValue?.trim() === m.text)) {
        return { templateIndex: i, templateText: m.text, messages: c.messages.length, threadKey: c.threadKey, rowsInPage: rows.length };
      }
    }
  }
  throw new Error(`${site}: no incoming message whose text is one text node of its row`);
}

/** A clone of the template with the site's next id and `text`, added after the newest row. */
function addRow(s: State, text: string): void {
  s.n += 1;
  const unit = s.template.cloneNode(true) as Element;
  let row: Element | undefined = unit;
  for (const i of s.rowPath) row = row?.children[i];
  if (!row) throw new Error(`${s.site}: the clone has no row`);
  s.spec.renumber(row, s.n, { maxInt: s.maxInt, template: s.template });
  let replaced = 0;
  for (const t of textNodes(unit)) {
    if (t.nodeValue?.trim() === s.cal.templateText) {
      t.nodeValue = text;
      replaced++;
    }
  }
  if (!replaced) throw new Error(`${s.site}: the clone's text was not found`);
  s.spec.retire?.(s.last);
  s.last.after(unit);
  s.last = unit;
  s.added += 1;
  s.lastText = text;
}

/** The reader's default window (StartReaderOptions.maxMessages). */
const WINDOW = 200;

const newText = (n: number) => `第 ${n} 条：利率能再低一点吗？ (bench)`;

/** Clone the template row until the chat has `total` rows (the saved page's and the clones). */
function scale(site: string, cal: Calibration, total: number): { rowsInPage: number } {
  const spec = specOf(site);
  const rows = rowsOf(spec);
  if (rows.length !== cal.rowsInPage) throw new Error(`${site}: ${rows.length} rows, calibrated on ${cal.rowsInPage}`);
  const templateRow = rows[cal.templateIndex]!;
  const unit = unitOf(templateRow, spec);
  const rowPath: number[] = [];
  for (let e: Element = templateRow; e !== unit; e = e.parentElement!) rowPath.unshift(Array.prototype.indexOf.call(e.parentElement!.children, e));
  const template = unit.cloneNode(true) as Element;
  let maxInt = 0;
  for (const r of rows) for (const a of ['data-mid', 'data-message-id']) {
    const v = Number(r.getAttribute(a));
    if (Number.isInteger(v) && v > maxInt) maxInt = v;
  }
  const s: State = { site, spec, cal, template, rowPath, maxInt, last: unitOf(rows[rows.length - 1]!, spec), n: 0, added: 0, lastText: cal.templateText };
  state = s;
  while (rows.length + s.added < total) addRow(s, newText(s.n + 1));
  return { rowsInPage: rowsOf(spec).length };
}

function expectRead(s: State, snap: ReaderSnapshot | undefined, what: string): number {
  const c = snap?.conversation;
  if (!snap || !snap.health.ok || !c) throw new Error(`${s.site} ${what}: not ok: ${JSON.stringify(snap?.health)}`);
  // The reader reads the newest 200 rows. Once the clones fill that window, or while the whole
  // saved page still fits in it, the count is exact; in between, saved rows the reader skips
  // (service rows, a message still sending) may or may not be in the window.
  const n = c.messages.length;
  const exact = s.added >= WINDOW ? WINDOW : s.cal.rowsInPage + s.added <= WINDOW ? s.cal.messages + s.added : undefined;
  const lo = exact ?? Math.min(WINDOW, s.added);
  const hi = exact ?? Math.min(WINDOW, s.cal.messages + s.added);
  if (n < lo || n > hi) throw new Error(`${s.site} ${what}: ${n} messages, expected ${lo === hi ? lo : `${lo}–${hi}`}`);
  const last = c.messages[c.messages.length - 1]!;
  if (last.text !== s.lastText || last.direction !== 'in') throw new Error(`${s.site} ${what}: newest message ${JSON.stringify([last.direction, last.text])}, expected ${JSON.stringify(['in', s.lastText])}`);
  if (c.threadKey !== s.cal.threadKey) throw new Error(`${s.site} ${what}: thread key ${c.threadKey}, expected ${s.cal.threadKey}`);
  return n;
}

/** A fresh reader (empty row cache) reading the open conversation once, synchronously. */
function firstRead(facts?: Record<string, string>): FirstRead {
  const s = state;
  if (!s) throw new Error('scale() first');
  const ac = new AbortController();
  let snap: ReaderSnapshot | undefined;
  const t0 = performance.now();
  const r = startReader(s.spec.reader, { doc: document, signal: ac.signal, onSnapshot: (x) => (snap = x), ...pageFactsOf(facts) });
  r.readNow();
  const ms = performance.now() - t0;
  ac.abort();
  const messages = expectRead(s, snap, 'first read');
  return { ms, isolated: globalThis.crossOriginIsolated === true, messages, rowsInPage: rowsOf(s.spec).length };
}

/** `count` more messages, one at a time: the reader's MutationObserver callback + the read it schedules. */
async function perMessage(count: number, facts?: Record<string, string>): Promise<PerMessage> {
  const s = state;
  if (!s) throw new Error('scale() first');
  const ac = new AbortController();
  let snap: ReaderSnapshot | undefined;
  const timed = withTimedObserver(() =>
    startReader(s.spec.reader, { doc: document, signal: ac.signal, onSnapshot: (x) => (snap = x), ...pageFactsOf(facts) }),
  );
  const reader = timed.value;
  reader.readNow(); // fills the row cache; the first read is measured elsewhere
  expectRead(s, snap, 'before the new messages');
  let messages = 0;
  const times = await timeMessages(
    reader,
    timed,
    count,
    () => addRow(s, newText(s.n + 1)),
    (i) => void (messages = expectRead(s, snap, `message ${i + 1}`)),
  );
  ac.abort();
  return { ...times, messages };
}

(window as unknown as { __realBench: unknown }).__realBench = { calibrate, scale, firstRead, perMessage };
