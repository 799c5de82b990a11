// The element picker (options → 自定义网站 → 在页面上选取): runs in the user's tab of a saved
// custom site, injected by the background (entrypoints/custom-site-probe.ts). It highlights the
// element under the pointer in an overlay inside a closed shadow root (the page cannot script
// it), Esc cancels, a click picks; it proposes a selector for the field and counts its matches.
// The proposal (proposeSelector, proposeRow, proposeDirection) is plain DOM, testable apart.
import type { DirectionRule } from './definition';

/** What the options form asks to pick. */
export interface PickRequest {
  field: PickField;
  /** The form's message-row selector: row fields and the direction rule are relative to a row. */
  rowCss?: string;
  /** How long the picker waits for a click before giving up (ms). */
  timeoutMs?: number;
}

export const PICK_FIELDS = ['title', 'threadKey', 'messageList', 'messageRow', 'messageId', 'text', 'time', 'sender', 'phone', 'wechat', 'email', 'groupMarker', 'direction'] as const;
export type PickField = (typeof PICK_FIELDS)[number];
const ROW_RELATIVE: ReadonlySet<PickField> = new Set(['messageId', 'text', 'time', 'sender', 'direction']);

export type PickResult =
  | {
      picked: true;
      field: PickField;
      /** For row fields relative to the message row ('' = the row itself). */
      selector: string;
      /** Elements the selector matches in the document (for row fields: in every row together). */
      count: number;
      /** For the message row: how many of the picked row's siblings (itself included) match. */
      siblings?: number;
      /** For row fields: in how many of the rows the selector finds something. */
      rows?: { with: number; total: number };
      /** An attribute that looks like the value (a `datetime`, a data-…-id), when there is one. */
      attr?: string;
      /** For the direction field. */
      direction?: DirectionRule;
      tag: string;
    }
  | { picked: false; reason: 'cancelled' | 'timeout' | 'noRow' | 'busy' };

// ---- the proposal (plain DOM) ----------------------------------------------------------------

/** CSS-escaped identifier (CSS.escape is not everywhere the tests run). */
export function cssIdent(s: string): string {
  return s.replace(/^(-?)(\d)/, (_, dash: string, d: string) => `${dash}\\3${d} `).replace(/[^\w-]/g, (c) => `\\${c}`);
}
const attrValue = (v: string) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** A class a build tool generated (CSS modules, styled-components, emotion, Tailwind JIT…): it changes with every release. */
export function isHashedClass(c: string): boolean {
  if (c.length > 40) return true;
  if (/^(css|sc|jss|emotion|svelte|tw|jsx)-/i.test(c)) return true;
  if (/^_/.test(c)) return true;
  if (/__[A-Za-z0-9_-]{4,}$/.test(c) && /[0-9]|[a-z][A-Z]/.test(c.split('__').pop()!)) return true;
  if (/[:[\]/!.]/.test(c)) return true; // utility classes (sm:px-2, w-[30px])
  for (const part of c.split(/[-_]/)) {
    // a run mixing letters and digits (a1b2c, x9k3), or random casing (bdVaJa)
    if (part.length >= 4 && /\d/.test(part) && /[a-z]/i.test(part)) return true;
    if (/^\d{3,}$/.test(part)) return true;
    // styled-components' kVjKlq / bdVaJa: capitals among short lower-case runs (camelCase has long ones)
    const runs = part.match(/[a-z]+/g) ?? [];
    if (part.length >= 5 && (part.match(/[A-Z]/g) ?? []).length >= 2 && runs.length > 0 && Math.max(...runs.map((r) => r.length)) <= 3) return true;
  }
  return false;
}

/** An id the page did not number (`chat-header`, not `msg-10432` or `r:1a:`). */
export function isStableId(id: string): boolean {
  return !!id && id.length <= 40 && !/\d{2,}/.test(id) && !/[:]/.test(id) && !isHashedClass(id);
}

const TEST_ATTRS = ['data-testid', 'data-test-id', 'data-test', 'data-qa', 'data-cy'];
const SEMANTIC = new Set(['header', 'main', 'nav', 'aside', 'article', 'section', 'footer', 'time', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'table', 'form', 'address', 'dialog']);
// Attributes whose names say nothing stable (framework bookkeeping, per-build hashes).
const NOISE_ATTR = /^data-(v-[0-9a-f]{6,}|reactid|react|styled|emotion|rk|radix)|^data-[a-z0-9]*\d{3,}/i;
const shortStable = (v: string) => v.length > 0 && v.length <= 40 && !/\d{2,}/.test(v) && !/["\\\n]/.test(v);

/** The simple selectors that describe `el`, most stable first. */
export function segments(el: Element): string[] {
  const tag = el.tagName.toLowerCase();
  const out: string[] = [];
  if (el.id && isStableId(el.id)) out.push(`#${cssIdent(el.id)}`);
  for (const a of TEST_ATTRS) {
    const v = el.getAttribute(a);
    if (v !== null) out.push(shortStable(v) ? `[${a}=${attrValue(v)}]` : `[${a}]`);
  }
  const role = el.getAttribute('role');
  if (role && shortStable(role)) out.push(`[role=${attrValue(role)}]`);
  for (const { name } of [...el.attributes]) {
    if (name.startsWith('data-') && !TEST_ATTRS.includes(name) && !NOISE_ATTR.test(name) && /^[a-z][\w-]*$/i.test(name)) out.push(`[${name}]`);
  }
  for (const { name } of [...el.attributes]) {
    if (name.startsWith('aria-') && !['aria-label', 'aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns', 'aria-activedescendant'].includes(name)) out.push(`${tag}[${name}]`);
  }
  if (SEMANTIC.has(tag)) out.push(tag);
  if (tag === 'time' && el.hasAttribute('datetime')) out.push('time[datetime]');
  const classes = [...el.classList].filter((c) => !isHashedClass(c));
  for (const c of classes) out.push(`.${cssIdent(c)}`);
  if (classes.length >= 2) out.push(`.${cssIdent(classes[0]!)}.${cssIdent(classes[1]!)}`);
  for (const c of classes) out.push(`${tag}.${cssIdent(c)}`);
  out.push(tag);
  return [...new Set(out)];
}

const all = (root: ParentNode, css: string): Element[] => {
  try {
    return [...root.querySelectorAll(css)];
  } catch {
    return [];
  }
};
const matches = (el: Element, css: string) => {
  try {
    return el.matches(css);
  } catch {
    return false;
  }
};

/**
 * A selector for `el` inside `scope` (the document, or the message row for row fields): the
 * first simple selector that finds only `el`, else one with an ancestor's hook before it (a
 * descendant combinator, so wrappers can change), else a child path with :nth-of-type. When
 * `scope` is an element, it never matches the scope itself (the reader tries the row first).
 */
export function proposeSelector(el: Element, scope: ParentNode): string {
  if (el === scope) return '';
  const scopeEl = (scope as Node).nodeType === 1 ? (scope as Element) : null;
  const finds = (css: string, strict: boolean) => {
    if (scopeEl && matches(scopeEl, css)) return false;
    const hits = all(scope, css);
    return strict ? hits.length === 1 && hits[0] === el : hits[0] === el;
  };
  const own = segments(el);
  const ancestors: Element[] = [];
  for (let a = el.parentElement; a && a !== scopeEl && ancestors.length < 6; a = a.parentElement) {
    if (a === (scope as Document).documentElement || a.tagName === 'BODY') break;
    ancestors.push(a);
  }
  for (const strict of [true, false]) {
    for (const s of own) if (finds(s, strict)) return s;
    for (const a of ancestors) {
      // An ancestor's hooks (not its bare tag: `div .name` says little).
      for (const as of segments(a).filter((x) => x !== a.tagName.toLowerCase()).slice(0, 4)) {
        for (const s of own.slice(0, 4)) {
          const css = `${as} ${s}`;
          if (finds(css, strict)) return css;
        }
      }
    }
  }
  // A child path from the scope (or the nearest ancestor with a stable id).
  const path: string[] = [];
  for (let cur: Element | null = el; cur && cur !== scopeEl; cur = cur.parentElement) {
    if (cur.id && isStableId(cur.id)) {
      path.unshift(`#${cssIdent(cur.id)}`);
      break;
    }
    const tag = cur.tagName.toLowerCase();
    if (tag === 'html') break;
    const same = cur.parentElement ? [...cur.parentElement.children].filter((c) => c.tagName === cur!.tagName) : [cur];
    path.unshift(same.length > 1 ? `${tag}:nth-of-type(${same.indexOf(cur) + 1})` : tag);
  }
  return scopeEl ? `:scope > ${path.join(' > ')}` : path.join(' > ');
}

/**
 * The message row around a clicked element: of the element and its ancestors, the one whose
 * selector is shared by the most siblings (the rows of a list repeat; the parts of one bubble
 * mostly do not), its selector, and how many siblings share it.
 */
export function proposeRow(el: Element): { row: Element; selector: string; siblings: number } {
  let best = { row: el, selector: segments(el)[0] ?? el.tagName.toLowerCase(), siblings: 1 };
  let depth = 0;
  for (let cur: Element | null = el; cur && cur.parentElement && depth < 10; cur = cur.parentElement, depth++) {
    if (cur.tagName === 'BODY' || cur.tagName === 'HTML') break;
    const siblings = [...cur.parentElement.children];
    // The most stable hook several siblings share (ids are unique: not a row's).
    for (const s of segments(cur).filter((x) => !x.startsWith('#'))) {
      const n = siblings.filter((c) => matches(c, s)).length;
      if (n >= 2) {
        if (n > best.siblings) best = { row: cur, selector: s, siblings: n };
        break;
      }
    }
  }
  return best;
}

const ID_ATTR = /^data-([\w-]*[-_])?(id|key|uid|mid|msgid|cid)$/i;
const TIME_ATTR = /^(datetime|data-([\w-]*[-_])?(time|ts|timestamp|date))$/i;

/**
 * What tells the picked (outgoing) row from the others: an attribute with two or three values
 * across the rows (data-direction="out"), else a class or attribute only some rows have.
 */
export function proposeDirection(row: Element, rows: readonly Element[]): DirectionRule | undefined {
  if (rows.length < 2) return undefined;
  for (const { name, value } of [...row.attributes]) {
    if (name === 'class' || name === 'id' || name === 'style' || !value || value.length > 40) continue;
    if (ID_ATTR.test(name) || TIME_ATTR.test(name)) continue;
    // A direction takes two or three values that repeat across the rows (ids and times do not).
    const values = new Set(rows.map((r) => r.getAttribute(name) ?? ''));
    if (values.size >= 2 && values.size <= 3 && values.size < rows.length) return { kind: 'outgoingAttr', attr: name, equals: value };
  }
  for (const s of segments(row).filter((x) => !x.startsWith('#'))) {
    const n = rows.filter((r) => matches(r, s)).length;
    if (n >= 1 && n < rows.length) return { kind: 'outgoingIf', css: s };
  }
  return undefined;
}


/** The element (from the clicked one up to `stop`, then inside `stop`) and attribute that look like the field's value. */
export function proposeAttr(field: PickField, el: Element, stop: Element | null): { el: Element; attr: string } | undefined {
  const want = field === 'time' ? TIME_ATTR : field === 'messageId' || field === 'threadKey' ? ID_ATTR : null;
  if (!want) return undefined;
  const has = (e: Element) => [...e.attributes].find((a) => want.test(a.name) && a.value.trim());
  for (let cur: Element | null = el, n = 0; cur && n < 4; cur = cur.parentElement, n++) {
    const a = has(cur);
    if (a) return { el: cur, attr: a.name };
    if (cur === stop) break;
  }
  if (stop) for (const d of stop.querySelectorAll('*')) {
    const a = has(d);
    if (a) return { el: d, attr: a.name };
  }
  return undefined;
}

/** Everything the picker reports for a click on `target`. */
export function proposeFor(doc: Document, req: PickRequest, target: Element): PickResult {
  const tag = target.tagName.toLowerCase();
  if (req.field === 'messageRow') {
    const r = proposeRow(target);
    return { picked: true, field: 'messageRow', selector: r.selector, count: all(doc, r.selector).length, siblings: r.siblings, tag: r.row.tagName.toLowerCase() };
  }
  if (!ROW_RELATIVE.has(req.field)) {
    const hint = proposeAttr(req.field, target, null);
    const el = hint?.el ?? target;
    const selector = proposeSelector(el, doc);
    return { picked: true, field: req.field, selector, count: all(doc, selector).length, ...(hint ? { attr: hint.attr } : {}), tag: el.tagName.toLowerCase() };
  }
  const rowCss = req.rowCss?.trim() ?? '';
  const row = rowCss ? (() => { try { return target.closest(rowCss); } catch { return null; } })() : null;
  if (!row) return { picked: false, reason: 'noRow' };
  const rows = all(doc, rowCss);
  if (req.field === 'direction') {
    const direction = proposeDirection(row, rows);
    const css = direction && direction.kind !== 'outgoingAttr' ? direction.css : '';
    const count = direction ? rows.filter((r) => (direction.kind === 'outgoingAttr' ? r.getAttribute(direction.attr) === direction.equals : matches(r, css) || !!r.querySelector(css))).length : 0;
    return { picked: true, field: 'direction', selector: css, count, rows: { with: count, total: rows.length }, ...(direction ? { direction } : {}), tag };
  }
  const hint = proposeAttr(req.field, target, row);
  const el = hint?.el ?? target;
  const selector = proposeSelector(el, row);
  const within = (r: Element) => (selector ? (matches(r, selector) ? [] : all(r, selector)) : [r]);
  const per = rows.map(within);
  return {
    picked: true,
    field: req.field,
    selector,
    count: per.reduce((n, hits) => n + hits.length, 0),
    rows: { with: per.filter((h) => h.length > 0).length, total: rows.length },
    ...(hint ? { attr: hint.attr } : {}),
    tag: el.tagName.toLowerCase(),
  };
}

// ---- the picker on the page --------------------------------------------------------------------

const ACTIVE = '__liaisonPickerCancel';

/** Highlight, pick, report. Resolves on a click (the proposal), Esc or the timeout. */
export function runPicker(doc: Document, req: PickRequest): Promise<PickResult> {
  const win = doc.defaultView!;
  const g = win as unknown as Record<string, (() => void) | undefined>;
  // A second picker in the same tab replaces the first.
  g[ACTIVE]?.();
  return new Promise<PickResult>((resolve) => {
    const host = doc.createElement('liaison-picker');
    host.setAttribute('style', 'all:initial;position:fixed;inset:0;pointer-events:none;z-index:2147483647');
    const root = host.attachShadow({ mode: 'closed' });
    const box = doc.createElement('div');
    box.setAttribute('style', 'position:fixed;pointer-events:none;border:2px solid #1677ff;background:rgba(22,119,255,.12);border-radius:3px;display:none;box-sizing:border-box');
    const label = doc.createElement('div');
    label.setAttribute('style', 'position:fixed;left:8px;bottom:8px;max-width:70vw;pointer-events:none;font:12px/1.4 system-ui,sans-serif;color:#fff;background:#1f2329;padding:4px 8px;border-radius:4px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis');
    label.textContent = '联络：点击要选取的元素，Esc 取消 / Liaison: click the element to pick, Esc to cancel';
    root.append(box, label);
    doc.documentElement.append(host);

    let hovered: Element | null = null;
    let frame = 0;
    const targetOf = (e: Event): Element | null => {
      const t = e.composedPath()[0];
      return t instanceof win.Element && t !== host ? t : null;
    };
    const show = () => {
      frame = 0;
      if (!hovered) return;
      const r = hovered.getBoundingClientRect();
      Object.assign(box.style, { display: 'block', left: `${r.left}px`, top: `${r.top}px`, width: `${r.width}px`, height: `${r.height}px` });
      const p = proposeFor(doc, req, hovered);
      // Page text never goes in here: only the selector we built and a count.
      label.textContent = p.picked ? `${p.selector || '(row)'} · ${p.count}` : '…';
    };
    const onMove = (e: Event) => {
      const t = targetOf(e);
      if (!t || t === hovered) return;
      hovered = t;
      if (!frame) frame = win.requestAnimationFrame(show);
    };
    const swallow = (e: Event) => {
      e.preventDefault();
      e.stopImmediatePropagation();
    };
    const onClick = (e: Event) => {
      swallow(e);
      const t = targetOf(e);
      if (t) finish(proposeFor(doc, req, t));
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      swallow(e);
      finish({ picked: false, reason: 'cancelled' });
    };
    const ac = new AbortController();
    const opts = { capture: true, signal: ac.signal } as const;
    win.addEventListener('mousemove', onMove, opts);
    win.addEventListener('pointerover', onMove, opts);
    for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'dblclick', 'contextmenu']) win.addEventListener(type, swallow, opts);
    win.addEventListener('click', onClick, opts);
    win.addEventListener('keydown', onKey, opts);
    const timer = win.setTimeout(() => finish({ picked: false, reason: 'timeout' }), req.timeoutMs ?? 120_000);
    function finish(result: PickResult) {
      ac.abort();
      win.clearTimeout(timer);
      if (frame) win.cancelAnimationFrame(frame);
      host.remove();
      if (g[ACTIVE] === cancel) delete g[ACTIVE];
      resolve(result);
    }
    const cancel = () => finish({ picked: false, reason: 'busy' });
    g[ACTIVE] = cancel;
  });
}
