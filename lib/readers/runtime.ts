// The one runtime every site reader runs in: observe the smallest stable container, debounce
// bursts, count conversation switches (epochs), resolve selector variants and report health,
// and tear everything down when the signal aborts. Works on a given Document, no browser APIs.
import type { ChatMessage, Conversation, HealthIssue, ReaderHealth } from '../model/conversation';
import { phoneLike } from './phone-like';
import { scoped } from './scoped-css';
import { REQUIRED_FIELDS } from './types';
import type { FieldName, HealthCause, RawMessage, ReaderContext, SelectorVariant, SiteReader } from './types';

export interface ReaderSnapshot {
  conversation: Conversation | null;
  health: ReaderHealth;
  epoch: number;
}

export interface StartReaderOptions {
  doc: Document;
  signal: AbortSignal;
  onSnapshot(s: ReaderSnapshot): void;
  /** quiet time before a read after the last mutation (default 120 ms) */
  debounceMs?: number;
  /** how many of the most recent messages to read (default 200, at most 500: the schema cap) */
  maxMessages?: number;
  /**
   * Facts the page's own code handed over (WhatsApp's main-world bridge), read at every read and
   * given to the reader as ctx.facts. Call RunningReader.poke() when they change.
   */
  pageFacts?: () => Readonly<Record<string, string>> | undefined;
  /** how often to look for history-API navigation the page made (default 400 ms) */
  navigationPollMs?: number;
}

export interface RunningReader {
  /** the current conversation epoch; async work started under an older one must be dropped */
  epoch(): number;
  /** read and report now, even if nothing changed */
  readNow(): void;
  /** Something outside the DOM changed (page facts, navigation): check for a switch, read soon. */
  poke(): void;
}

// Fields looked up in the whole document rather than inside the pane.
const DOC_FIELDS: ReadonlySet<FieldName> = new Set(['root', 'pane']);
// Fields looked up inside one message row; their health is remembered across reads of one
// conversation because cached rows are not parsed again.
const ROW_FIELDS: ReadonlySet<FieldName> = new Set(['messageRow', 'outgoing', 'sender', 'time', 'text']);
// A burst that never pauses (a busy group) must still be read now and then.
const MAX_WAIT_MS = 1000;
// If the observed container is replaced, no mutation reaches us: check for that this often.
const DETACH_CHECK_MS = 2000;
const MAX_TEXT = 20_000;
/** A list with no rows but at least this much text shows messages the row selector missed. */
const UNMATCHED_TEXT = 20;
const NO_FACTS: Readonly<Record<string, string>> = Object.freeze({});
const MAX_SENDER = 200;
const MAX_ID = 400;
/** Selectors whose match depends on other elements than the one tested and its ancestors' own attributes. */
const COMPLEX = /:has\(|[+~]|:(?:nth|last|first|only|empty)/;
/** More elements added in one batch than this: the kept page lookups are all looked up again. */
const MAX_ADDED_CHECKED = 16;

type Hit = { el: Element; name: string; css: string };
/** A page lookup kept between reads (see `lookups` in startReader). */
type Kept = {
  within: ParentNode;
  hit: Hit | null;
  /** a complex selector's hit to check again before use */
  verify?: true;
  /** whether the hit precedes this message list, outside it (see precedesList) */
  before?: { list: Element; value: boolean };
};
/** Row-cache versions, unique across readers (ReaderContext.rowsVersion). */
let versions = 0;

export function startReader(reader: SiteReader, opts: StartReaderOptions): RunningReader {
  const { doc, signal, onSnapshot } = opts;
  const debounceMs = opts.debounceMs ?? 120;
  /** Lets the rest of the new pane's synchronous render land before reading it. */
  const SWITCH_DELAY_MS = 0;
  const maxMessages = Math.min(Math.max(Math.trunc(opts.maxMessages ?? 200), 1), 500);
  const win = doc.defaultView;

  let epoch = 0;
  let lastKey: string | null = null;
  let lastPane: Element | null | undefined;
  /**
   * Each row as last parsed and prepared (id hashed, text cut, phones found), so a new message
   * costs one row's work, not the window's: the cache entry goes when the row mutates.
   */
  let rowCache = new WeakMap<Element, PreparedRow | Skipped>();
  const rowNotes = new Map<FieldName, string | null>();
  /** The last delivered snapshot: the next is delivered only when something a consumer sees differs. */
  let lastDelivered: ReaderSnapshot | null = null;
  /** The last delivered messages, compared by id (cheaper than a string of every id). */
  let lastIds: readonly ChatMessage[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pendingSince: number | undefined;
  let observed: Node | null = null;
  /** Open shadow roots observed besides `observed` (selectors that pierce with ' >>> '). */
  const observedShadows = new Set<ShadowRoot>();
  /** shadowRoots() was called once at least (observedShadows says what it found). */
  let shadowsSeen = false;
  /** Where flag() calls go: the read's page-level list, or the row being parsed. */
  let flagSink: HealthIssue[] = [];
  /** The row being parsed called ctx.readsAhead(). */
  let rowAhead = false;
  /** ReaderContext.rowsVersion: a new value each time the row cache is dropped. */
  let rowsVersion = ++versions;
  /**
   * The last read's window of rows (oldest first) and the list and row variant it came from. When
   * nothing since then could have added, removed or reordered rows before its newest, the next
   * read walks only the rows after that newest one (a new message costs its own row, not 200).
   */
  let lastWindow: { list: Element; variant: SelectorVariant; rows: Element[]; entries?: (PreparedRow | Skipped)[] } | null = null;
  /** This read's rows that are the last window's (from its index `from`), with their prepared entries. */
  let carried: { from: number; count: number; entries: (PreparedRow | Skipped)[] } | null = null;
  /**
   * What the last read derived from its window, kept so a read that only appends rows to it (and
   * drops as many of the oldest) costs the new rows: nothing is copied or allocated per unchanged row.
   */
  let agg: WindowAgg | null = null;
  /** Rows taken as rows in this conversation: a change inside one re-parses it, nothing more. */
  let knownRows = new WeakSet<Element>();
  /** Known rows whose content changed since the last read: each must still be a row. */
  let touchedRows: Element[] = [];
  /** Elements added since the last read outside known rows: checked before the window is reused. */
  let addedSince: Element[] = [];
  /** Something since the last read may have reshaped the rows (removed or reordered one, an attribute): walk them all. */
  let reshaped = true;

  if (signal.aborted) return { epoch: () => epoch, readNow: () => {}, poke: () => {} };

  const variants = (field: FieldName): readonly SelectorVariant[] => reader.selectors[field] ?? [];
  /** The fields the reader has selectors for, and those with the required ones (listed once, not per read). */
  const selectorFields = Object.keys(reader.selectors) as FieldName[];
  const declaredFields = [...new Set<FieldName>([...selectorFields, ...REQUIRED_FIELDS])];

  // `within` itself counts: the thread id and group marker sit on the pane element.
  const firstMatch = (field: FieldName, within: ParentNode): Hit | null => {
    const self = (within as Node).nodeType === 1 ? (within as Element) : null;
    for (const v of variants(field)) {
      const el = (self && safeMatches(self, v.css) ? self : null) ?? safeQuery(within, v.css);
      if (el) return { el, name: v.name, css: v.css };
    }
    return null;
  };

  /**
   * Page-level lookups (root, pane, title, list, group marker…) as the last read found them, kept
   * while every mutation since was a change inside the message list (rows added, a row's text
   * edited, rows removed): a new message then costs no whole-page selector work (a `:has()` or
   * attribute selector over a 20,000-row pane). Anything else (a mutation outside the list, a
   * watched attribute, a navigation, a switch, a new observation) empties it, and a kept element
   * that left the page is looked up again.
   */
  let lookups = new Map<FieldName, Kept>();
  /** The message list the last read found: mutations inside it keep `lookups`. */
  let listEl: Element | null = null;
  const forgetLookups = () => {
    if (lookups.size) lookups = new Map();
  };
  /**
   * Per field, its variants as one selector list (one matches()/querySelector() per element
   * instead of one per variant), or null when a variant pierces shadow roots or the list does not
   * parse; and whether some variant's match can change with elements added elsewhere (`:has()`,
   * sibling and structural selectors).
   */
  const fieldCss = new Map<FieldName, string | null>();
  const complexFields = new Set<FieldName>();
  for (const [field, list] of Object.entries(reader.selectors) as [FieldName, readonly SelectorVariant[]][]) {
    if (list.some((v) => COMPLEX.test(v.css) || v.css.includes(PIERCE))) complexFields.add(field);
    const joined = list.map((v) => v.css).join(', ');
    fieldCss.set(field, joined.includes(PIERCE) ? null : joined);
  }
  /**
   * What one batch of mutations means for the kept lookups. Only changes inside the message list
   * keep them, and then only as long as they cannot alter an answer: a plain selector's answer
   * changes only where an added element (or one inside it) matches it, outside the kept hit or
   * where there was none; a complex selector's miss is looked up again and its hit checked to
   * still match before use. Many elements added at once (a page of history): all looked up again.
   */
  /** Whether `el` or an element inside it matches a variant of the field (an invalid variant matches nothing, as in lookups). */
  function addedMatches(el: Element, field: FieldName, css: string | null | undefined): boolean {
    if (css) {
      try {
        return el.matches(css) || !!el.querySelector(scoped(css));
      } catch {
        fieldCss.set(field, null); // one variant this engine cannot parse: each on its own from now on
      }
    }
    return variants(field).some((v) => safeMatches(el, v.css) || !!safeQuery(el, v.css));
  }

  function noteLookups(records: MutationRecord[]) {
    const added: Element[] = [];
    let removed = false;
    for (const r of records) {
      if (r.type === 'attributes' || !listEl || (r.target !== listEl && !listEl.contains(r.target))) return forgetLookups();
      if (r.type !== 'childList') continue; // text: no selector sees it
      if (r.removedNodes.length) removed = true;
      for (let i = 0; i < r.addedNodes.length; i++) {
        const n = r.addedNodes[i]!;
        if (n.nodeType === 1) added.push(n as Element);
      }
      if (added.length > MAX_ADDED_CHECKED) return forgetLookups();
    }
    if (!added.length && !removed) return;
    for (const [field, kept] of lookups) {
      if (complexFields.has(field)) {
        if (!kept.hit) lookups.delete(field);
        else if (removed || !stillMatches(kept.hit, added)) kept.verify = true;
        continue;
      }
      const css = fieldCss.get(field);
      const hit = kept.hit;
      // A hit before the list (a header's title) stays the first match of its variant whatever
      // is added inside the list; only an earlier variant matching an added element would win.
      const beforeList = !!hit && !!listEl && precedesList(kept, listEl);
      const earlier = hit ? earlierVariants(field, hit) : undefined;
      for (const el of added) {
        if (!el.isConnected) continue; // added and gone again in the same batch
        if (hit?.el.contains(el)) continue; // inside the kept hit (the pane): it stays the first
        // An element added after the hit (a new row after the list's first row, WhatsApp's
        // thread-key lookup) cannot come first for the hit's variant or a later one either.
        const hits = earlier && (beforeList || follows(el, hit!.el)) ? earlier.some((v) => safeMatches(el, v.css) || !!safeQuery(el, v.css)) : addedMatches(el, field, css);
        if (hits) {
          lookups.delete(field);
          break;
        }
      }
    }
  }
  /**
   * Whether the kept hit comes before the message list in document order, outside it (worked out
   * once per kept lookup and list: both stay where they are while the lookups are kept, since any
   * mutation outside the list forgets them). Every element added inside the list then comes
   * after the hit, so a selector's first match stays the hit.
   */
  function precedesList(kept: Kept, list: Element): boolean {
    if (kept.before?.list === list) return kept.before.value;
    const el = kept.hit?.el;
    let value = false;
    if (el && !el.contains(list) && !list.contains(el)) value = before(el, list);
    kept.before = { list, value };
    return value;
  }
  /** The field's variants tried before the one that made the hit (none when it was the first). */
  const earlierVariants = (field: FieldName, hit: Hit): readonly SelectorVariant[] => {
    const all = variants(field);
    const i = all.findIndex((v) => v.css === hit.css && v.name === hit.name);
    return i < 0 ? all : all.slice(0, i);
  };

  /**
   * Whether a kept hit of a `:has()` selector surely still matches after `added` were added
   * inside the message list (nothing removed): a `:has()` can stop matching only when it stands
   * in a `:not()` and an added element matches its argument (see hasGuards); a hit inside the
   * list itself could change by its siblings, so it is checked the usual way.
   */
  function stillMatches(hit: Hit, added: Element[]): boolean {
    const guards = hasGuards(hit.css);
    if (!guards || !listEl || (hit.el !== listEl && listEl.contains(hit.el))) return false;
    for (const el of added) {
      if (!el.isConnected) continue;
      for (const g of guards) {
        try {
          if (el.matches(g) || el.querySelector(scoped(g))) return false;
        } catch {
          return false;
        }
      }
    }
    return true;
  }

  const pageMatch = (field: FieldName, within: ParentNode): Hit | null => {
    const kept = lookups.get(field);
    if (kept && kept.within === within && (!kept.hit || kept.hit.el.isConnected)) {
      const hit = kept.hit;
      if (!kept.verify || !hit) return hit;
      const v = variants(field).find((x) => x.name === hit.name && safeMatches(hit.el, x.css));
      if (v) {
        delete kept.verify;
        return hit;
      }
    }
    const hit = firstMatch(field, within);
    lookups.set(field, { within, hit });
    return hit;
  };

  const closestRow = (node: Node | null): Element | null => {
    const el = node && (node.nodeType === 1 ? (node as Element) : node.parentElement);
    if (!el) return null;
    if (listEl) {
      // The list, or what holds it, is in no row (a message appended to the list lands here).
      if (el.contains(listEl)) return null;
      // Inside the list: its own ancestors up to the list, not closest(), which tests a
      // `:has()` row selector on every ancestor of the list up to the document.
      if (listEl.contains(el)) {
        for (let a: Element | null = el; a && a !== listEl; a = a.parentElement) {
          for (const v of variants('messageRow')) if (safeMatches(a, v.css)) return a;
        }
        return null;
      }
    }
    for (const v of variants('messageRow')) {
      const row = safeClosest(el, v.css);
      if (row) return row;
    }
    return null;
  };

  function makeContext(pageNotes: Map<FieldName, string | null>): ReaderContext {
    const pane = pageMatch('pane', doc);
    const scope: ParentNode = pane?.el ?? doc;
    const record = (field: FieldName, name: string | null) => {
      const notes = ROW_FIELDS.has(field) ? rowNotes : pageNotes;
      if (name !== null) {
        if (!notes.get(field)) notes.set(field, name);
      } else if (!notes.has(field)) notes.set(field, null);
    };
    record('pane', pane?.name ?? null);
    const facts = guard(() => opts.pageFacts?.(), undefined) ?? NO_FACTS;
    const url = hrefOf(doc);
    const ctx: ReaderContext = {
      doc,
      url,
      scope,
      facts,
      query(field, within) {
        const where = within ?? (DOC_FIELDS.has(field) ? doc : scope);
        const hit = !ROW_FIELDS.has(field) && (where === scope || where === doc) ? pageMatch(field, where) : firstMatch(field, where);
        record(field, hit?.name ?? null);
        return hit?.el ?? null;
      },
      text(field, within) {
        const t = ctx.query(field, within)?.textContent?.trim();
        return t ? t : undefined;
      },
      is(el, field) {
        for (const v of variants(field)) {
          if (safeMatches(el, v.css)) {
            record(field, v.name);
            return true;
          }
        }
        record(field, null);
        return false;
      },
      note(field, source) {
        record(field, source);
      },
      flag(cause, detail) {
        addIssue(flagSink, cause, detail);
      },
      readsAhead() {
        rowAhead = true;
      },
      get rowsVersion() {
        return rowsVersion;
      },
    };
    return ctx;
  }

  function switchTo(key: string) {
    lastKey = key;
    epoch += 1;
    // Rows and row-field health belong to the old conversation.
    dropRowCache();
    rowNotes.clear();
    forgetWindow();
  }

  /** Every row is parsed again on the next read (nothing parsed before is carried into it). */
  function dropRowCache() {
    carried = null;
    rowCache = new WeakMap();
    rowsVersion = ++versions;
  }

  function forgetWindow() {
    forgetLookups();
    lastWindow = null;
    agg = null;
    knownRows = new WeakSet();
    touchedRows = [];
    addedSince = [];
    reshaped = true;
  }

  /** An element that is a row, or holds one, under any row variant. */
  const isOrHasRow = (el: Element): boolean => variants('messageRow').some((v) => safeMatches(el, v.css) || !!safeQuery(el, v.css));
  /**
   * The same for an element taken out of the page: it is in no shadow tree any more, so a
   * variant that pierces a shadow root is tested by its part inside the shadow root alone.
   */
  const wasOrHadRow = (el: Element): boolean =>
    variants('messageRow').some((v) => {
      const parts = pierceParts(v.css);
      const own = parts[parts.length - 1] ?? v.css;
      try {
        return el.matches(own) || !!el.querySelector(scoped(own));
      } catch {
        return false;
      }
    });

  /**
   * What the mutations mean for the rows: the rows they changed lose their cached parse, and
   * anything that could change which elements are rows (a removal, a node added outside a row,
   * a watched attribute outside a row) is remembered for the next read's row walk.
   */
  function noteMutations(records: MutationRecord[]) {
    // Rows whose content changed are parsed again; new rows are not in the cache anyway.
    // The row of the previous record's target: a batch's records mostly share one target.
    let lastTarget: Node | null = null;
    let row: Element | null = null;
    if (lookups.size) noteLookups(records);
    for (const r of records) {
      if (r.target !== lastTarget) {
        lastTarget = r.target;
        row = closestRow(r.target);
        if (row) rowCache.delete(row);
      }
      if (reshaped) continue;
      if (row && knownRows.has(row)) {
        touchedRows.push(row);
        continue;
      }
      if (r.type === 'attributes') {
        reshaped = true;
        continue;
      }
      if (r.type !== 'childList') continue; // text outside a row never makes or unmakes one
      for (let i = 0; i < r.removedNodes.length; i++) {
        const n = r.removedNodes[i]!;
        if (n.nodeType === 1 && wasOrHadRow(n as Element)) {
          reshaped = true;
          break;
        }
      }
      for (let i = 0; i < r.addedNodes.length; i++) {
        const n = r.addedNodes[i]!;
        if (n.nodeType === 1) addedSince.push(n as Element);
      }
      if (addedSince.length > 64) reshaped = true;
    }
    if (reshaped) {
      touchedRows = [];
      addedSince = [];
    }
  }

  /** Every record of the batch is a child or text change inside the message list the last read used. */
  function insideList(records: MutationRecord[]): boolean {
    const list = listEl;
    if (!list?.isConnected) return false;
    for (const r of records) {
      if (r.type === 'attributes' || !list.contains(r.target)) return false;
    }
    return true;
  }

  function keyNow(ctx: ReaderContext): string | null {
    const key = guard(() => reader.threadKey(ctx), null);
    return key ? key.slice(0, 300) : null;
  }

  // Cheap switch detection on mutation: only when the pane element itself was replaced, so
  // the epoch moves before the debounced read and async consumers can drop late results.
  /** True when the conversation changed: the caller reads at once instead of debouncing. */
  function checkSwitch(force: boolean): boolean {
    const pane = pageMatch('pane', doc)?.el ?? null;
    if (!force && pane === lastPane) return false;
    lastPane = pane;
    const key = keyNow(makeContext(new Map()));
    if (key && key !== lastKey) {
      switchTo(key);
      return true;
    }
    return false;
  }

  // Attributes only where the reader says a change matters (an id rewritten in place, the active
  // card moved): observing every attribute of a chat app would wake the reader on each hover.
  const OBSERVE: MutationObserverInit = {
    childList: true,
    subtree: true,
    characterData: true,
    ...(reader.watchAttributes?.length ? { attributes: true, attributeFilter: [...reader.watchAttributes] } : {}),
  };
  /** The reader's selectors that pierce shadow roots: fixed strings, listed once. */
  const piercing: string[] = [];
  // One selector per chain of hosts: LinkedIn's six piercing selectors share one host, looked up
  // once per read instead of six times.
  const hostChains = new Set<string>();
  for (const list of Object.values(reader.selectors)) {
    for (const v of list ?? []) {
      const chain = v.css.includes(PIERCE) ? pierceParts(v.css).slice(0, -1).join(PIERCE) : '';
      if (chain && !hostChains.has(chain)) {
        hostChains.add(chain);
        piercing.push(v.css);
      }
    }
  }
  /** Every open shadow root a piercing selector of this reader reaches now. */
  function shadowRoots(): ShadowRoot[] {
    if (!piercing.length) return [];
    const roots = new Set<ShadowRoot>();
    for (const css of piercing) for (const r of pierceHosts(doc, css)) roots.add(r);
    return [...roots];
  }

  function ensureObserved(rescan = true) {
    // Until the root exists (the chat is still loading) watch the whole document.
    const target: Node | null = pageMatch('root', doc)?.el ?? doc.documentElement;
    // The roots observed now stand in for a new look while only the message list changed (see read).
    const shadows = rescan || !shadowsSeen ? shadowRoots() : [...observedShadows];
    shadowsSeen = true;
    const same =
      target === observed &&
      !!target?.isConnected &&
      shadows.length === observedShadows.size &&
      shadows.every((r) => observedShadows.has(r) && r.host.isConnected);
    if (!target || same) return;
    // Mutations before this point may not have reached us: the next read walks every row.
    forgetWindow();
    observer.disconnect();
    observer.observe(target, OBSERVE);
    observed = target;
    observedShadows.clear();
    // A shadow root inside the observed subtree still needs its own observation: mutations
    // inside it are not reported to an observer of the light DOM.
    for (const r of shadows) {
      observer.observe(r, OBSERVE);
      observedShadows.add(r);
    }
  }

  /**
   * The rows after the last read's newest, appended to its window, when nothing since could have
   * changed the rows before it; null when the whole window must be walked again.
   */
  function reuseWindow(list: Element): Element[] | null {
    const w = lastWindow;
    if (reshaped || !w || w.list !== list) return null;
    const last = w.rows[w.rows.length - 1];
    if (!last?.isConnected || !list.contains(last)) return null;
    const css = w.variant.css;
    const before = variants('messageRow').slice(0, variants('messageRow').indexOf(w.variant));
    for (const row of touchedRows) if (!safeMatches(row, css)) return null;
    // The rows after the newest, walked back from the list's end; `after` keeps every element the
    // walk passed that comes after the newest (rows, and wrappers not holding it).
    const fresh: Element[] = [];
    const after = new Set<Element>();
    let found = false;
    const walk = (container: Element) => {
      for (let c = container.lastElementChild; c && !found && fresh.length < maxMessages; c = c.previousElementSibling) {
        if (c === last) found = true;
        else if (safeMatches(c, css)) {
          fresh.push(c);
          after.add(c);
        } else if (c.contains(last)) walk(c);
        else {
          after.add(c);
          if (safeQuery(c, css)) walk(c);
        }
      }
    };
    walk(list);
    if (!found && fresh.length < maxMessages) return null;
    for (const el of addedSince) {
      if (!el.isConnected) continue; // added and gone again: its removal was checked
      // A row of a variant tried first would make the full walk choose that variant.
      if (before.some((v) => safeMatches(el, v.css) || safeQuery(el, v.css))) return null;
      // A window of new rows only: nothing added before them matters.
      if (!found) continue;
      // After the newest: walked above. (Told by its ancestors, not by compareDocumentPosition,
      // which counts through every earlier sibling: the whole chat in a flat list.)
      let a: Element | null = el;
      while (a && a !== list && !after.has(a)) a = a.parentElement;
      if (a && a !== list) continue;
      if (isOrHasRow(el)) return null; // a row inserted before the newest, or elsewhere: walk them all
    }
    return fresh.reverse();
  }

  /**
   * The window's rows; `appended` when the last window was kept in place and only these rows come
   * after it (the caller appends them to `agg`, which drops as many of the oldest).
   */
  function collectRows(list: Element, key: string): { rows: Element[]; appended?: Element[] } {
    const fresh = lastWindow && reuseWindow(list);
    if (fresh && lastWindow) {
      const w = lastWindow;
      rowNotes.set('messageRow', w.variant.name);
      // Nothing inside the kept rows changed, and none of them was read with the help of rows
      // after it: the window and what was derived from it grow in place.
      if (agg && agg.rows === w.rows && agg.key === key && touchedRows.length === 0 && fresh.length < maxMessages && agg.ahead === 0) {
        for (const row of fresh) knownRows.add(row);
        addedSince = [];
        reshaped = false;
        return { rows: w.rows, appended: fresh };
      }
      const count = Math.min(w.rows.length, Math.max(0, maxMessages - fresh.length));
      const rows = count === 0 ? fresh : [...w.rows.slice(w.rows.length - count), ...fresh];
      const entries = w.entries;
      // Rows only appended: the kept rows keep their entries but those read with rows after them.
      // A row changed inside: a reader may have read any kept row with its help (a run's first
      // row names the sender of the rows after it), so every row is parsed again.
      if (touchedRows.length) dropRowCache();
      else carried = entries && count > 0 ? { from: w.rows.length - count, count, entries } : null;
      return { rows: remember(list, w.variant, rows, fresh.length) };
    }
    // Rows removed, moved or inserted before the newest (or not known to be otherwise): the rows
    // around them may read differently now (a run's sender, its direction), so the whole window
    // is parsed again, as a fresh reader would.
    dropRowCache();
    const rowVariant = variants('messageRow').find((v) => safeQuery(list, v.css));
    if (!rowVariant) {
      if (!rowNotes.has('messageRow')) rowNotes.set('messageRow', null);
      lastWindow = null;
      agg = null;
      return { rows: [] };
    }
    rowNotes.set('messageRow', rowVariant.name);
    const css = rowVariant.css;
    const out: Element[] = [];
    // Walk backwards from the newest row so a 5,000-message chat costs only maxMessages rows.
    const walk = (container: Element) => {
      for (let c = container.lastElementChild; c && out.length < maxMessages; c = c.previousElementSibling) {
        if (safeMatches(c, css)) out.push(c);
        else if (safeQuery(c, css)) walk(c); // a wrapper (day group, virtual-scroll slice)
      }
    };
    walk(list);
    return { rows: remember(list, rowVariant, out.reverse()) };
  }

  /** The window this read walked (all of it, or only the rows after the last newest: `fresh`). */
  function remember(list: Element, variant: SelectorVariant, rows: Element[], fresh = rows.length): Element[] {
    for (let i = rows.length - fresh; i < rows.length; i++) knownRows.add(rows[i]!);
    lastWindow = { list, variant, rows };
    touchedRows = [];
    addedSince = [];
    reshaped = false;
    return rows;
  }

  function read(): ReaderSnapshot {
    // Mutations not yet handed to the observer's callback (a read right after a change).
    const pending = observer.takeRecords();
    if (pending.length) noteMutations(pending);
    /** Only the message list changed since the last read (its page lookups are still kept). */
    const onlyList = lookups.size > 0;
    const pageNotes = new Map<FieldName, string | null>();
    const issues: HealthIssue[] = [];
    flagSink = issues;
    const ctx = makeContext(pageNotes);
    // While every mutation since the last read was inside the message list (the page lookups are
    // kept), the shadow roots observed are not looked for again: a root attached to an existing
    // host makes no mutation at all, so only the detach check (every DETACH_CHECK_MS) and a
    // change outside the list look again. (A look cost LinkedIn's reads a document-wide query.)
    ensureObserved(!onlyList);
    ctx.query('root');

    const key = keyNow(ctx);
    if (key && key !== lastKey) switchTo(key);
    if (!pageNotes.get('threadKey') && key) pageNotes.set('threadKey', 'fn');
    const titleEl = ctx.query('title');
    const list = ctx.query('messageList');
    listEl = list;

    let conversation: Conversation | null = null;
    let rowCount = 0;
    if (key && titleEl && list) {
      const collected = collectRows(list, key);
      let a: WindowAgg;
      if (collected.appended && agg) {
        a = agg;
        appendToWindow(a, collected.appended, ctx);
      } else {
        const entries = prepareRows(collected.rows, key, ctx);
        a = agg = windowAgg(key, collected.rows, entries);
      }
      rowCount = a.rows.length;
      if (rowCount === 0) {
        // An empty list is a new chat, or the wrong element (a decoy, a renamed row): say which
        // it looks like rather than report a healthy chat with nothing in it.
        const elsewhere = variants('messageRow').some((v) => !!safeQuery(ctx.scope, v.css)) && ctx.scope !== list;
        const shown = (list.textContent ?? '').replace(/\s+/g, '').length;
        if (elsewhere) addIssue(issues, 'noRows', 'rows outside the list');
        else if (shown >= UNMATCHED_TEXT) addIssue(issues, 'noRows', 'text without rows');
      }
      // What each row found when it was parsed (flags, an id of an unknown format, blank text) is
      // kept with its entry and counted in `a`: a read walks the window only when a row has flags.
      rowIssues(a, issues);
      // A photo has no text; a chat of text messages that all read as empty has a stale selector.
      if (a.texts >= 2 && a.blanks === a.texts) addIssue(issues, 'emptyText', `${a.texts} rows`);
      // Rows were found and the list shows text, but the reader took none of them as a message.
      if (rowCount > 0 && a.prepared.length === 0 && (list.textContent ?? '').replace(/\s+/g, '').length >= UNMATCHED_TEXT) {
        addIssue(issues, 'noRows', 'rows skipped');
      }
      // The window's own list grows in place: the snapshot gets a copy (one array, no row work).
      const messages = a.messages.slice();
      const isGroup = guard(() => reader.isGroup(ctx, key), false);
      const contact = guard(() => reader.contact(ctx, key), null) ?? {
        displayName: titleEl.textContent?.trim() ?? '',
        handles: { phones: [], emails: [] },
      };
      const phones = [...contact.handles.phones];
      // A customer typing their number is the most common way a phone appears; in a group
      // the number could be anyone's, so only 1:1 chats.
      if (!isGroup) {
        if (!a.rowPhones) {
          a.rowPhones = [];
          for (const r of a.prepared) addPhones(a.rowPhones, r);
        }
        for (const p of a.rowPhones) {
          if (phones.length >= 50) break;
          if (!phones.includes(p)) phones.push(p);
        }
      }
      const aliases = [...new Set((contact.aliases ?? []).map((a) => a.slice(0, 300)).filter((a) => a && a !== key))].slice(0, 5);
      const weak = issues.some((i) => i.cause === 'weakKey');
      conversation = {
        site: reader.id,
        threadKey: key,
        ...(weak ? { weakKey: true } : {}),
        ...(aliases.length ? { keyAliases: aliases } : {}),
        url: ctx.url.slice(0, 2000) || undefined,
        isGroup,
        contact: {
          displayName: contact.displayName.slice(0, 200),
          handles: { ...contact.handles, phones },
        },
        messages,
      };
      // Only a weak key still shows the chat (marked); any other problem means this read is
      // not to be trusted: nothing is reported, so nothing is logged from it.
      if (issues.some((i) => i.cause !== 'weakKey')) conversation = null;
    }
    flagSink = [];

    // Complete the report: look up every declared field this read did not touch.
    for (const field of selectorFields) {
      if (!ROW_FIELDS.has(field) && !pageNotes.has(field)) ctx.query(field);
    }
    // A selector can match while threadKey() still fails (bad attribute, throwing code).
    if (!key) pageNotes.set('threadKey', null);
    const fields: Record<string, string | null> = {};
    const missing: string[] = [];
    for (const field of declaredFields) {
      const hit = (ROW_FIELDS.has(field) ? rowNotes.get(field) : pageNotes.get(field)) ?? null;
      fields[field] = hit;
      if (hit) continue;
      const required = (REQUIRED_FIELDS as readonly FieldName[]).includes(field);
      // Row fields can only be missing when there are rows to look in.
      if (ROW_FIELDS.has(field) && rowCount === 0) continue;
      if (required || !reader.optional.includes(field)) missing.push(field);
    }
    const missingRequired = missing.filter((f) => (REQUIRED_FIELDS as readonly string[]).includes(f));
    if (missingRequired.length) issues.unshift({ cause: 'fields', detail: missingRequired.join(',') });
    const health: ReaderHealth = { site: reader.id, ok: conversation !== null && issues.length === 0, fields, missing, issues: issues.slice(0, 10) };
    return { conversation, health, epoch };
  }

  /** One row's entry: from the cache when the row is unchanged (same thread key), else parsed now. */
  function entryFor(row: Element, key: string, ctx: ReaderContext): PreparedRow | Skipped {
    let p = rowCache.get(row);
    // A row read with the help of rows after it is read again (rows may have been appended).
    if (p === undefined || p.key !== key || p.ahead) {
      // Flags raised while parsing belong to the row: they are kept with its cache entry.
      const pageSink = flagSink;
      const rowFlags: HealthIssue[] = [];
      flagSink = rowFlags;
      rowAhead = false;
      const raw = guard(() => reader.parseMessage(row, ctx), null);
      flagSink = pageSink;
      // A row that is no message (a service row) may still have raised a flag: keep it.
      p = raw ? prepare(raw, key, rowFlags, reader.messageIdPattern) : { skipped: true, key, flags: rowFlags };
      if (rowAhead) p.ahead = true;
      rowAhead = false;
      rowCache.set(row, p);
    }
    return p;
  }

  /** The rows' entries, in order. */
  function prepareRows(rows: Element[], key: string, ctx: ReaderContext): (PreparedRow | Skipped)[] {
    // Rows kept from the last window and untouched since keep their entries without a lookup.
    const carry = carried;
    carried = null;
    const entries: (PreparedRow | Skipped)[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const kept = carry && i < carry.count ? carry.entries[carry.from + i] : undefined;
      entries[i] = kept && kept.key === key && !kept.ahead ? kept : entryFor(row, key, ctx);
    }
    if (lastWindow?.rows === rows) lastWindow.entries = entries;
    return entries;
  }

  /** The window appended to in place: the new rows' entries added, as many of the oldest dropped. */
  function appendToWindow(a: WindowAgg, fresh: Element[], ctx: ReaderContext) {
    for (const row of fresh) {
      const e = entryFor(row, a.key, ctx);
      a.rows.push(row);
      a.entries.push(e);
      addEntry(a, e);
    }
    while (a.rows.length > maxMessages) dropOldest(a);
    if (a.renumber) renumber(a);
  }

  function run(force: boolean) {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    pendingSince = undefined;
    if (signal.aborted) return;
    const snap = guard(read, null);
    if (!snap) return;
    const ids = snap.conversation?.messages ?? [];
    if (!force && lastDelivered && sameIds(ids, lastIds) && sameShown(snap, lastDelivered)) return;
    // Never deliver a result computed under an older epoch (a switch noticed meanwhile).
    if (signal.aborted || snap.epoch !== epoch) return;
    lastDelivered = snap;
    lastIds = ids;
    try {
      onSnapshot(snap);
    } catch (err) {
      // The consumer's bug must not stop the reader: report and keep observing.
      console.error(`[liaison reader ${reader.id}] onSnapshot failed`, err);
    }
  }

  function schedule(delay = debounceMs) {
    if (signal.aborted) return;
    const now = Date.now();
    pendingSince ??= now;
    if (timer !== undefined) clearTimeout(timer);
    const wait = now - pendingSince >= MAX_WAIT_MS ? 0 : delay;
    timer = setTimeout(() => run(false), wait);
  }

  const observer = new (win?.MutationObserver ?? globalThis.MutationObserver)((records) => {
    if (signal.aborted) return;
    noteMutations(records);
    // A new conversation is read on the next task, not after the burst debounce: the user is
    // waiting to see who this is (switch → sidebar is the figure people feel). Bursts of
    // messages inside one conversation are still debounced. The key is checked on every batch
    // that touched anything outside the message list, not only when the pane is replaced:
    // Telegram K keeps its pane across a switch (its header and address change). A batch of rows
    // added, edited or removed inside the list is a message, not a switch: looking the key up for
    // it was most of the observer's time per incoming message (issue 19, item 3; the per-message
    // p50 on the six real-site pages went down 0.02-0.07 ms), and the read it schedules checks
    // the key anyway.
    schedule(!insideList(records) && checkSwitch(true) ? SWITCH_DELAY_MS : debounceMs);
  });

  let lastHref = hrefOf(doc);
  const onNavigate = () => {
    lastHref = hrefOf(doc);
    forgetLookups(); // the address or the page's facts changed: every lookup is looked at again
    ensureObserved();
    schedule(checkSwitch(true) ? SWITCH_DELAY_MS : debounceMs);
  };
  win?.addEventListener('popstate', onNavigate, { signal });
  win?.addEventListener('hashchange', onNavigate, { signal });
  // The page's history.pushState/replaceState (Telegram A, LinkedIn, Telegram K in Firefox) fire
  // no event a content script sees: the Navigation API says so where it exists, and a cheap
  // address check catches the rest.
  const nav = (win as unknown as { navigation?: EventTarget } | null)?.navigation;
  nav?.addEventListener?.('currententrychange', () => onNavigate(), { signal });
  const navTimer = setInterval(() => {
    if (hrefOf(doc) !== lastHref) onNavigate();
  }, opts.navigationPollMs ?? 400);
  const detachTimer = setInterval(() => {
    const before = observed;
    const shadows = observedShadows.size;
    ensureObserved();
    // The observed container was replaced, or a shadow root appeared: nothing reached us.
    if (observed !== before || observedShadows.size !== shadows) onNavigate();
  }, DETACH_CHECK_MS);

  signal.addEventListener(
    'abort',
    () => {
      observer.disconnect();
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      clearInterval(detachTimer);
      clearInterval(navTimer);
    },
    { once: true },
  );

  ensureObserved();
  checkSwitch(true);
  schedule(0);

  return {
    epoch: () => epoch,
    readNow: () => run(true),
    poke: () => onNavigate(),
  };
}

/**
 * What a read derives from its window of rows, kept between reads so that rows appended to the
 * window (and as many of the oldest dropped) update it at the cost of those rows alone.
 */
interface WindowAgg {
  key: string;
  /** the window's rows, oldest first (the same array as the last window's) */
  rows: Element[];
  /** each row's entry, index for index */
  entries: (PreparedRow | Skipped)[];
  /** the entries that are messages, in order */
  prepared: PreparedRow[];
  /** their messages, identical ones told apart by a suffix */
  messages: ChatMessage[];
  /** how many of `prepared` have each id before the suffix */
  idCounts: Map<string, number>;
  /** entries with flags or an id of an unknown format: the read walks the window to report them */
  flagged: number;
  /** entries read with the help of rows after them (ctx.readsAhead): an append parses them again */
  ahead: number;
  /** messages that are not media, and those of them that are blank */
  texts: number;
  blanks: number;
  /** the phones found in incoming rows, in order, each once; null until needed or after a dropped row had one */
  rowPhones: string[] | null;
  /** a dropped message's id had a duplicate: the suffixes must be given again */
  renumber: boolean;
}

function windowAgg(key: string, rows: Element[], entries: (PreparedRow | Skipped)[]): WindowAgg {
  const a: WindowAgg = { key, rows, entries, prepared: [], messages: [], idCounts: new Map(), flagged: 0, ahead: 0, texts: 0, blanks: 0, rowPhones: null, renumber: false };
  for (const e of entries) addEntry(a, e);
  return a;
}

function addEntry(a: WindowAgg, e: PreparedRow | Skipped) {
  if (e.ahead) a.ahead++;
  if ('skipped' in e) {
    if (e.flags.length) a.flagged++;
    return;
  }
  if (e.flags || e.badId) a.flagged++;
  if (!e.media) {
    a.texts++;
    if (e.blank) a.blanks++;
  }
  a.prepared.push(e);
  a.messages.push(numbered(a.idCounts, e.message));
  if (a.rowPhones) addPhones(a.rowPhones, e);
}

/** Two identical messages without a site id ("ok" twice in a minute) get distinct ids. */
function numbered(counts: Map<string, number>, message: ChatMessage): ChatMessage {
  const n = counts.get(message.id) ?? 0;
  counts.set(message.id, n + 1);
  return n > 0 ? { ...message, id: `${message.id}~${n}`.slice(0, MAX_ID) } : message;
}

function dropOldest(a: WindowAgg) {
  a.rows.shift();
  const e = a.entries.shift();
  if (!e) return;
  if (e.ahead) a.ahead--;
  if ('skipped' in e) {
    if (e.flags.length) a.flagged--;
    return;
  }
  if (e.flags || e.badId) a.flagged--;
  if (!e.media) {
    a.texts--;
    if (e.blank) a.blanks--;
  }
  a.prepared.shift();
  a.messages.shift();
  const id = e.message.id;
  const n = a.idCounts.get(id) ?? 0;
  if (n > 1) {
    a.idCounts.set(id, n - 1);
    a.renumber = true;
  } else a.idCounts.delete(id);
  if (a.rowPhones && e.phones?.length) a.rowPhones = null;
}

function renumber(a: WindowAgg) {
  a.renumber = false;
  a.idCounts = new Map();
  a.messages = a.prepared.map((r) => numbered(a.idCounts, r.message));
}

/** The rows' flags and the first id of an unknown format, in window order: messages first, then skipped rows. */
function rowIssues(a: WindowAgg, issues: HealthIssue[]) {
  if (!a.flagged) return;
  let badId: string | undefined;
  for (const r of a.prepared) {
    if (r.flags) for (const f of r.flags) addIssue(issues, f.cause, f.detail);
    if (badId === undefined && r.badId) badId = r.siteId;
  }
  for (const e of a.entries) if ('skipped' in e) for (const f of e.flags) addIssue(issues, f.cause, f.detail);
  if (badId !== undefined) addIssue(issues, 'idFormat', shapeOf(badId));
}

/** A customer typing their number: the phones in an incoming message that is the contact's own words. */
function addPhones(list: string[], r: PreparedRow) {
  if (r.message.direction !== 'in' || r.notTheirs) return;
  r.phones ??= phoneLike(r.message.text, 3);
  for (const p of r.phones) if (!list.includes(p)) list.push(p);
}

/** A row the reader said is no message (a service row, a day separator), with any flag it raised. */
interface Skipped {
  skipped: true;
  key: string;
  flags: HealthIssue[];
  /** read with the help of rows after it (ctx.readsAhead) */
  ahead?: true;
}

interface PreparedRow {
  key: string;
  /** read with the help of rows after it (ctx.readsAhead) */
  ahead?: true;
  /** the site's own id as the reader gave it */
  siteId?: string;
  /** flags the reader raised while parsing this row */
  flags?: HealthIssue[];
  /** Its id before the suffix that tells identical messages apart. */
  message: ChatMessage;
  /** Phone-like strings in an incoming message's text, found once when first needed. */
  phones?: string[];
  /** not the contact's own words (RawMessage.notTheirs): no phone is taken from it */
  notTheirs?: boolean;
  /** a photo, sticker or file: no text is expected (RawMessage.media) */
  media?: boolean;
  /** its site id does not look like the site's ids (SiteReader.messageIdPattern) */
  badId?: boolean;
  /** its text is empty or only spaces */
  blank?: boolean;
}

function prepare(raw: RawMessage, key: string, flags: HealthIssue[], idPattern: RegExp | undefined): PreparedRow {
  const at = typeof raw.at === 'number' && Number.isFinite(raw.at) && raw.at >= 0 ? Math.trunc(raw.at) : undefined;
  const sender = raw.sender?.slice(0, MAX_SENDER);
  const text = raw.text.slice(0, MAX_TEXT);
  const id = raw.siteId ? `${key}/${raw.siteId}` : `${key}/h${hash(`${raw.direction}|${sender ?? ''}|${at ?? ''}|${text}`)}`;
  return {
    key,
    ...(raw.siteId !== undefined ? { siteId: raw.siteId } : {}),
    ...(flags.length ? { flags } : {}),
    ...(raw.notTheirs ? { notTheirs: true } : {}),
    ...(raw.media ? { media: true } : {}),
    ...(idPattern && raw.siteId !== undefined && !idPattern.test(raw.siteId) ? { badId: true } : {}),
    ...(text.trim() === '' ? { blank: true } : {}),
    message: {
      id: id.slice(0, MAX_ID),
      direction: raw.direction,
      ...(sender ? { sender } : {}),
      ...(at !== undefined ? { at } : {}),
      text,
    },
  };
}

/**
 * Whether two snapshots show the same to a consumer but for the message ids (compared apart, by
 * sameIds): epoch, health, key, aliases, address, contact, group, the newest text. Compared in
 * place: stringifying the health and contact on every read cost more than the rest of a read.
 */
function sameShown(a: ReaderSnapshot, b: ReaderSnapshot): boolean {
  const c = a.conversation;
  const d = b.conversation;
  if (a.epoch !== b.epoch || !sameValue(a.health, b.health) || !c !== !d) return false;
  if (!c || !d) return true;
  return (
    c.threadKey === d.threadKey &&
    c.weakKey === d.weakKey &&
    c.url === d.url &&
    c.isGroup === d.isGroup &&
    c.messages[c.messages.length - 1]?.text === d.messages[d.messages.length - 1]?.text &&
    sameValue(c.keyAliases, d.keyAliases) &&
    sameValue(c.contact, d.contact)
  );
}

/** Deep equality of JSON-like values (plain objects, arrays, primitives); key order ignored, undefined members equal absent ones. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const y = b as unknown[];
    if (a.length !== y.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], y[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k in x) if (!sameValue(x[k], y[k])) return false;
  for (const k in y) if (!(k in x) && y[k] !== undefined) return false;
  return true;
}

function sameIds(a: readonly ChatMessage[], b: readonly ChatMessage[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = a.length - 1; i >= 0; i--) if (a[i]!.id !== b[i]!.id) return false;
  return true;
}

function addIssue(list: HealthIssue[], cause: HealthCause, detail?: string) {
  const d = detail?.slice(0, 100);
  if (list.length >= 10 || list.some((i) => i.cause === cause && i.detail === d)) return;
  list.push(d ? { cause, detail: d } : { cause });
}

/** A value's shape, never the value: 'hex20', 'digits19', 'b64-24', 'text12'. */
export function shapeOf(value: string): string {
  const n = value.length;
  if (/^\d+$/.test(value)) return `digits${n}`;
  if (/^[0-9a-f]+$/i.test(value)) return `hex${n}`;
  if (/^[A-Za-z0-9+/=_-]+$/.test(value)) return `b64-${n}`;
  return `text${n}`;
}

/**
 * The page's address. document.URL is the same string as location.href (both serialize the
 * document's URL) at a fraction of the cost: Chromium's first location.href after the page ran
 * a task took ~20 µs in the bench, document.URL ~3 µs (every read and every mutation batch asks).
 */
function hrefOf(doc: Document): string {
  return doc.URL || doc.location?.href || '';
}

function guard<T, F>(fn: () => T, fallback: F): T | F {
  try {
    return fn();
  } catch (err) {
    console.error('[liaison reader] callback failed', err);
    return fallback;
  }
}

/** Separates a shadow host's selector from what to find inside its open shadow root. */
const PIERCE = '>>>';
const PIERCE_PARTS = new Map<string, readonly string[]>();
/** A selector's parts, split once (the selectors are a reader's fixed strings). */
const pierceParts = (css: string): readonly string[] => {
  let parts = PIERCE_PARTS.get(css);
  if (!parts) PIERCE_PARTS.set(css, (parts = css.split(PIERCE).map((p) => p.trim())));
  return parts;
};

/** The first match of `parts` from `within`, descending through open shadow roots. */
function pierce(within: ParentNode, parts: readonly string[]): Element | null {
  const [head, ...rest] = parts;
  if (head === undefined) return null;
  if (rest.length === 0) return within.querySelector((within as Node).nodeType === 1 ? scoped(head) : head);
  const self = (within as Node).nodeType === 1 && (within as Element).matches(head) ? [within as Element] : [];
  for (const host of [...self, ...Array.from(within.querySelectorAll(head))]) {
    const root = host.shadowRoot;
    const found = root ? pierce(root, rest) : null;
    if (found) return found;
  }
  return null;
}

/** The open shadow roots the host parts of a piercing selector reach from the document. */
function pierceHosts(doc: Document, css: string): ShadowRoot[] {
  const parts = pierceParts(css).slice(0, -1);
  let scopes: ParentNode[] = [doc];
  try {
    for (const part of parts) {
      const next: ParentNode[] = [];
      for (const s of scopes) for (const host of Array.from(s.querySelectorAll(part))) if (host.shadowRoot) next.push(host.shadowRoot);
      scopes = next;
    }
  } catch {
    return [];
  }
  return scopes as ShadowRoot[];
}

// A variant written for another engine or a typo must not break the other variants.
function safeQuery(within: ParentNode, css: string): Element | null {
  try {
    // From an element (a row, the pane): see scoped-css.ts.
    if (!css.includes(PIERCE)) return within.querySelector((within as Node).nodeType === 1 ? scoped(css) : css);
    const parts = pierceParts(css);
    // Inside a shadow tree already (the pane is in it): the host parts are behind us.
    const inShadow = (within as Node).getRootNode?.() !== (within as Node).ownerDocument && (within as Node).nodeType !== 9;
    for (let skip = 0; skip < (inShadow ? parts.length : 1); skip++) {
      const found = pierce(within, parts.slice(skip));
      if (found) return found;
    }
    return null;
  } catch {
    return null;
  }
}
function safeMatches(el: Element, css: string): boolean {
  try {
    if (!css.includes(PIERCE)) return el.matches(css);
    const parts = pierceParts(css);
    if (!el.matches(parts[parts.length - 1] ?? '')) return false;
    // The element's shadow host must match the part before it.
    const root = el.getRootNode() as ShadowRoot | Document;
    const host = (root as ShadowRoot).host;
    return !!host && host.matches(parts[parts.length - 2] ?? '');
  } catch {
    return false;
  }
}
function safeClosest(el: Element, css: string): Element | null {
  try {
    // closest() never leaves the element's own tree: the last part is what applies there.
    const parts = pierceParts(css);
    return el.closest(parts[parts.length - 1] ?? css);
  } catch {
    return null;
  }
}

const HAS_GUARDS = new Map<string, readonly string[] | null>();
/** Conditions on an element's siblings: structural pseudo-classes, sibling combinators. */
const STRUCTURAL = /:(?:nth|last|first|only|empty)|[+~]/;
/** ...and a negation: what an added element can make false for an element already there. */
const NOT_MONOTONE = /:not\(|:(?:nth|last|first|only|empty)|[+~]/;

/**
 * What elements added inside an element a selector matched can do to that match, read from
 * the selector's text (a reader's fixed strings, worked out once). Elements added below the
 * matched element or its ancestors can only change `:has()` answers: a `:has()` that already
 * holds keeps holding (its argument has no negation, sibling or structural part), and one inside
 * a `:not()` breaks the match if an added element matches its argument. Returns those arguments
 * (empty: nothing added can break the match), or null when the text says something else could
 * (a negation or structural part in a positive `:has()`, a sibling or structural part outside
 * them, a `:has()` in the host part of a piercing selector, a relative sibling argument).
 * Attribute changes are not covered: they forget every kept lookup anyway.
 */
export function hasGuards(css: string): readonly string[] | null {
  const known = HAS_GUARDS.get(css);
  if (known !== undefined) return known;
  const parts = pierceParts(css);
  const own = parts[parts.length - 1] ?? css;
  let out: string[] | null = [];
  if (parts.slice(0, -1).some((p) => p.includes(':has('))) out = null;
  // Quoted strings blanked (same length: arguments are cut from `own` at the same places):
  // [role="a + b"] holds no combinator.
  const text = own.replace(/"[^"]*"|'[^']*'/g, (q) => q[0] + ' '.repeat(q.length - 2) + q[0]);
  let outer = '';
  const stack: ('not' | 'has' | 'other')[] = [];
  for (let i = 0; out && i < text.length; i++) {
    const c = text[i]!;
    if (c === '(') {
      const kind = text.slice(0, i).endsWith(':not') ? 'not' : text.slice(0, i).endsWith(':has') ? 'has' : 'other';
      if (kind === 'has') {
        let depth = 1;
        let j = i + 1;
        for (; j < text.length && depth; j++) depth += text[j] === '(' ? 1 : text[j] === ')' ? -1 : 0;
        const arg = text.slice(i + 1, j - 1).trim();
        const negated = stack.filter((k) => k === 'not').length % 2 === 1;
        if (stack.includes('has') || arg.includes(':has(')) out = null;
        else if (negated) {
          if (STRUCTURAL.test(arg)) out = null;
          else out.push(own.slice(i + 1, j - 1).trim().replace(/^>\s*/, ''));
        } else if (NOT_MONOTONE.test(arg)) out = null;
        i = j - 1;
        outer += ' ';
        continue;
      }
      stack.push(kind);
    } else if (c === ')') stack.pop();
    outer += c;
  }
  if (out && STRUCTURAL.test(outer)) out = null;
  HAS_GUARDS.set(css, out);
  return out;
}

/**
 * Whether `el` comes after `hit` in the same tree, outside it. Asked of the later node: Chromium
 * walks back from the other node's branch (here the hit's) to its parent's first child, so a hit
 * near the start of a long flat list answers at once where hit.compareDocumentPosition(el) would
 * walk every row between them (see runOf in sites/whatsapp.ts). Across trees (a shadow root) the
 * order is arbitrary: false.
 */
function follows(el: Element, hit: Element): boolean {
  const p = el.compareDocumentPosition(hit);
  return (p & 1) === 0 && (p & 2) !== 0 && (p & 8) === 0; // connected, hit precedes el, hit does not contain it
}

/**
 * Whether `el` (outside `list`, not holding it) comes before `list` in the same tree: the
 * siblings before the list's branch under their common ancestor are looked at, not the document
 * (compareDocumentPosition walked a whole 5,000-row page in happy-dom). Another tree: false.
 */
function before(el: Element, list: Element): boolean {
  for (let a: Element = list, p = list.parentElement; p; a = p, p = p.parentElement) {
    if (!p.contains(el)) continue;
    for (let s = a.previousElementSibling; s; s = s.previousElementSibling) if (s === el || s.contains(el)) return true;
    return false;
  }
  return false;
}

/** Two FNV-1a passes with different offsets: 64 bits of spread in a short base-36 string. */
export function hash(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193 + 2);
  }
  return (a >>> 0).toString(36) + (b >>> 0).toString(36);
}
