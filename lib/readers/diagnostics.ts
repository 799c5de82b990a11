// 复制页面结构 / "copy page structure": the chat area's DOM skeleton, for a user to send us when a
// site changed and the reader stopped reading it (issue 13). Tags, class names and attribute
// names are kept; every text, name, number and attribute value is removed or replaced by its
// shape ({hex32}, {digits19}, {len12}…). Repeated siblings of the same structure are printed
// once with a count. Pure over a DOM node: runs in the content script (no zod, no browser APIs)
// and in unit tests on saved pages.
import type { ReaderSelectors } from './types';

export const SKELETON_HEADER = 'liaison page skeleton v1';
/** Size cap of the whole skeleton, in characters (the output is ASCII but for ×…·). */
export const SKELETON_MAX_CHARS = 200_000;

export interface SkeletonOptions {
  /** the site reader's id, named in the header */
  site?: string;
  /** what the printed node is ('root (current)', 'body') */
  area?: string;
  /** default SKELETON_MAX_CHARS */
  maxChars?: number;
}

// ---------------------------------------------------------------------------------------------
// Shapes

/** A number in a shape: never three digits in a row, so no number from the page survives. */
const count = (n: number) => (n > 99 ? '99+' : String(n));

/**
 * Values of these attributes are kept when they are a word of the HTML/ARIA vocabulary below
 * (role="row", dir="auto", aria-selected="true"): markup, not data.
 */
const ENUM_ATTRS = new Set(['role', 'type', 'dir', 'contenteditable', 'draggable', 'spellcheck', 'translate', 'hidden', 'autocomplete', 'inputmode', 'enterkeyhint', 'loading', 'decoding', 'rel', 'target', 'method', 'shadowrootmode']);
/** aria-* attributes that hold text or references, not an enumerated state: always shaped. */
const ARIA_TEXT = new Set(['aria-label', 'aria-labelledby', 'aria-describedby', 'aria-description', 'aria-roledescription', 'aria-placeholder', 'aria-valuetext', 'aria-controls', 'aria-owns', 'aria-activedescendant', 'aria-details', 'aria-errormessage', 'aria-flowto', 'aria-keyshortcuts', 'aria-braillelabel', 'aria-brailleroledescription']);

/** The words an enumerated attribute may keep: W3C vocabulary written here, never from a page. */
export const MARKUP_VOCABULARY: ReadonlySet<string> = new Set(
  (
    // states and tokens
    'true false mixed on off auto ltr rtl none polite assertive page step location date time lazy eager async sync ' +
    'horizontal vertical ascending descending other plaintext-only noopener noreferrer nofollow get post open closed ' +
    // ARIA roles
    'alert alertdialog application article banner blockquote button caption cell checkbox code columnheader combobox ' +
    'complementary contentinfo definition deletion dialog directory document emphasis feed figure form generic grid ' +
    'gridcell group heading img image insertion link list listbox listitem log main marquee math menu menubar menuitem ' +
    'menuitemcheckbox menuitemradio meter navigation note option paragraph presentation progressbar radio radiogroup ' +
    'region row rowgroup rowheader scrollbar search searchbox separator slider spinbutton status strong subscript ' +
    'superscript switch tab table tablist tabpanel term textbox timer toolbar tooltip tree treegrid treeitem ' +
    // input types
    'text password email tel url number submit reset file color range month week datetime-local'
  ).split(' '),
);

/** Attributes whose values are addresses. */
const URL_ATTRS = new Set(['href', 'src', 'srcset', 'action', 'formaction', 'poster', 'cite', 'background', 'xlink:href', 'data', 'ping', 'manifest', 'longdesc', 'imagesrcset']);
/** Attributes whose values are text a person reads: shaped whole (their word lengths are not shown). */
const TEXT_ATTRS = new Set(['title', 'alt', 'placeholder', 'value', 'label', 'content', 'summary', 'style', 'download']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An address with a letter before the @ (a WhatsApp 8613800138000@c.us is an id: shaped by its parts). */
const EMAIL = /^(?=[^@]*[A-Za-z])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const PHONE = /^\+?\d[\d\s().-]{5,}\d$/;
/** ASCII punctuation: what separates the parts of a compound id (true_123@c.us_3EB0…). */
const SEP = /([\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+)/;

/** One part of a compound value: its kind and length, never its characters. */
function tokenShape(t: string): string {
  const n = count(t.length);
  if (t === 'true' || t === 'false') return '{bool}';
  if (/^\d+$/.test(t)) return `{digits${n}}`;
  if (t.length >= 6 && /\d/.test(t) && /[a-f]/i.test(t) && (/^[0-9a-f]+$/.test(t) || /^[0-9A-F]+$/.test(t))) return `{hex${n}}`;
  if (/^[A-Za-z0-9]+$/.test(t) && /\d/.test(t)) return `{mix${n}}`;
  return `{len${n}}`;
}

/** Punctuation kept between shaped parts; quotes and angle brackets never reach the output. */
const sepText = (s: string) => s.replace(/[<>"'`\\{}]/g, '?');

function urlShape(v: string): string {
  const s = v.trim();
  if (!s) return '{empty}';
  if (s.startsWith('#')) return '{hash}';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(s)?.[1]?.toLowerCase();
  if (!scheme) return s.includes(' ') && /\s\d+[wx]\b/.test(s) ? '{srcset}' : '{path}';
  if (['http', 'https', 'ws', 'wss', 'ftp', 'blob', 'data', 'mailto', 'tel', 'javascript', 'chrome-extension', 'file', 'about'].includes(scheme)) return `{${scheme}-url}`;
  return '{other-url}';
}

/** The shape of an attribute value: what kind of thing it is, never the thing. */
export function valueShape(name: string, value: string): string {
  const v = value;
  if (v === '') return '';
  if ((ENUM_ATTRS.has(name) || (name.startsWith('aria-') && !ARIA_TEXT.has(name))) && MARKUP_VOCABULARY.has(v)) return v;
  if (URL_ATTRS.has(name) || /^(https?|blob|data|mailto|tel|javascript):/i.test(v)) return urlShape(v);
  const n = count(v.length);
  if (v.length > 2000) return `{len${n}}`;
  const s = v.trim();
  if (UUID.test(s)) return '{uuid}';
  if (EMAIL.test(s)) return '{email}';
  if (PHONE.test(s) && (s.match(/\d/g)?.length ?? 0) >= 7 && !/^\d+$/.test(s)) return '{phone}';
  // Text a person reads, and inline script (onclick, onerror): their word lengths are not shown either.
  if (TEXT_ATTRS.has(name) || ARIA_TEXT.has(name) || name.startsWith('on') || /\s/.test(s)) {
    if (/^\d+$/.test(s)) return `{digits${count(s.length)}}`;
    return `{len${n}}`;
  }
  if (s.length >= 16 && /^[A-Za-z0-9+/]+={0,2}$/.test(s) && /\d/.test(s) && /[a-z]/.test(s) && /[A-Z]/.test(s)) return `{b64:${n}}`;
  // split() with a capturing group alternates: part, separator, part, … (parts may be empty).
  const parts = s.split(SEP);
  if (parts.length > 48) return `{len${n}}`;
  return parts.map((p, i) => (i % 2 === 1 ? sepText(p) : p ? tokenShape(p) : '')).join('');
}

/**
 * A class name, id, tag or attribute name: kept when it is markup, shaped where it carries data
 * (a run of 3+ digits, a long hex or mixed token, characters outside CSS identifiers).
 */
export function nameShape(name: string, allowed = /^-?[A-Za-z_][A-Za-z0-9_-]*$/): string {
  if (!allowed.test(name) || name.length > 64) return `{name${count(name.length)}}`;
  return name
    .split(/([-_:.]+)/)
    .map((seg) => {
      if (/^[-_:.]*$/.test(seg)) return seg;
      if (/^\d+$/.test(seg) && seg.length >= 3) return `{digits${count(seg.length)}}`;
      if (seg.length >= 8 && /\d/.test(seg) && /^[0-9a-f]+$/i.test(seg) && /[a-f]/i.test(seg)) return `{hex${count(seg.length)}}`;
      if (seg.length >= 16 && /\d/.test(seg)) return `{mix${count(seg.length)}}`;
      return seg.replace(/\d{3,}/g, (d) => `{digits${count(d.length)}}`);
    })
    .join('');
}

const TAG = /^[A-Za-z][A-Za-z0-9-]*$/;
const ATTR = /^[A-Za-z_:][A-Za-z0-9_:.-]*$/;

function head(el: Element): string {
  const tag = nameShape(el.localName, TAG);
  const id = el.getAttribute('id');
  let out = tag;
  if (id) out += `#${nameShape(id)}`;
  const classes = (el.getAttribute('class') ?? '').split(/\s+/).filter(Boolean).slice(0, 40);
  for (const c of classes) out += `.${nameShape(c)}`;
  const attrs = Array.from(el.attributes).filter((a) => a.name !== 'id' && a.name !== 'class');
  for (const a of attrs.slice(0, 30)) {
    const name = nameShape(a.name, ATTR);
    const shape = valueShape(a.name.toLowerCase(), a.value);
    out += shape === '' ? ` [${name}]` : ` [${name}=${shape}]`;
  }
  if (attrs.length > 30) out += ` [+${count(attrs.length - 30)} more]`;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tree

interface Built {
  head: string;
  /** structure without lengths: rows of one kind with different text lengths collapse */
  sig: string;
  kids: { b: Built; n: number }[];
}

const MAX_DEPTH = 80;
const MAX_NODES = 60_000;

/** The structure signature ignores shape lengths ({len12} → {len}) and text sizes. */
const sigOf = (h: string) => h.replace(/\{([a-z-]+)[\d:+]*\}/g, '{$1}');

function fnv(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000197);
  }
  return (a >>> 0).toString(36) + (b >>> 0).toString(36);
}

/** Liaison's own UI in the page (the sidebar's shadow host) is never part of the page's skeleton. */
const ours = (el: Element) => el.localName.startsWith('liaison-');

function build(node: Node, depth: number, budget: { nodes: number }): Built | null {
  if (--budget.nodes < 0) return null;
  if (node.nodeType === 3) {
    const len = (node.nodeValue ?? '').trim().length;
    if (!len) return null;
    return { head: `#text {len${count(len)}}`, sig: '#text', kids: [] };
  }
  let h: string;
  let children: Node[];
  if (node.nodeType === 1) {
    const el = node as Element;
    if (ours(el)) return null;
    h = head(el);
    children = Array.from(el.childNodes);
    // Open shadow roots are descended (closed ones cannot be seen from here).
    const shadow = el.shadowRoot;
    if (shadow) children.unshift(shadow);
  } else if (node.nodeType === 11) {
    h = (node as ShadowRoot).host ? `#shadow-root (${(node as ShadowRoot).mode === 'closed' ? 'closed' : 'open'})` : '#fragment';
    children = Array.from(node.childNodes);
  } else if (node.nodeType === 9) {
    const root = (node as Document).documentElement;
    return root ? build(root, depth, budget) : null;
  } else {
    return null; // comments, processing instructions, doctype
  }
  const kids: Built['kids'] = [];
  if (depth >= MAX_DEPTH && children.length) {
    kids.push({ b: { head: '… (deeper levels left out)', sig: '…', kids: [] }, n: 1 });
  } else {
    const bySig = new Map<string, { b: Built; n: number }>();
    for (const c of children) {
      const b = build(c, depth + 1, budget);
      if (!b) continue;
      const same = bySig.get(b.sig);
      if (same) same.n++;
      else {
        const entry = { b, n: 1 };
        bySig.set(b.sig, entry);
        kids.push(entry);
      }
    }
  }
  const sig = fnv(`${sigOf(h)}(${kids.map((k) => `${k.b.sig}*${k.n}`).join(',')})`);
  return { head: h, sig, kids };
}

/** The skeleton of `node` and everything under it (open shadow roots included), as text. */
export function skeletonOf(node: Node, opts: SkeletonOptions = {}): string {
  const max = opts.maxChars ?? SKELETON_MAX_CHARS;
  const budget = { nodes: MAX_NODES };
  const tree = build(node, 0, budget);
  const lines = [SKELETON_HEADER, `site: ${nameShape(opts.site ?? 'unknown')} · area: ${opts.area ?? 'node'} · shapes only: no text, names, numbers or values`];
  let size = lines.join('\n').length;
  let cut = false;
  const print = (b: Built, n: number, depth: number) => {
    if (cut) return;
    const line = `${'  '.repeat(depth)}${b.head}${n > 1 ? ` ×${count(n)}` : ''}`;
    if (size + line.length + 1 > max - 40) {
      cut = true;
      return;
    }
    lines.push(line);
    size += line.length + 1;
    for (const k of b.kids) print(k.b, k.n, depth + 1);
  };
  if (tree) print(tree, 1, 0);
  if (cut) lines.push('… (cut here: size cap)');
  else if (budget.nodes < 0) lines.push('… (cut here: too many nodes)');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// The chat area, and checking what a content script hands back

/** The first element a selector finds, descending into open shadow roots at ` >>> `. */
function queryPiercing(doc: Document, css: string): Element | null {
  const parts = css.split('>>>').map((p) => p.trim());
  let scopes: ParentNode[] = [doc];
  try {
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1) {
        for (const s of scopes) {
          const hit = s.querySelector(part);
          if (hit) return hit;
        }
        return null;
      }
      const next: ParentNode[] = [];
      for (const s of scopes) for (const host of Array.from(s.querySelectorAll(part))) if (host.shadowRoot) next.push(host.shadowRoot);
      scopes = next;
    }
  } catch {
    // a variant this engine cannot parse
  }
  return null;
}

/** What "the chat area" is: the reader's root, else its pane, else the whole body. */
export function chatArea(doc: Document, selectors: ReaderSelectors): { node: Node; area: string } {
  for (const field of ['root', 'pane'] as const) {
    for (const v of selectors[field] ?? []) {
      const el = queryPiercing(doc, v.css);
      if (el) return { node: el, area: `${field} (${nameShape(v.name)})` };
    }
  }
  return { node: doc.body ?? doc, area: 'body' };
}

/** The skeleton of a page's chat area, as the in-page sidebar and the content script hand it over. */
export function pageSkeleton(doc: Document, reader: { id: string; selectors: ReaderSelectors }, maxChars?: number): string {
  const { node, area } = chatArea(doc, reader.selectors);
  return skeletonOf(node, { site: reader.id, area, ...(maxChars ? { maxChars } : {}) });
}

/**
 * Whether a string handed over by a content script can only be a skeleton: the header, plain
 * ASCII (no page text in any script), no run of 3+ digits, no e-mail address, within the cap.
 * The background refuses anything else (a compromised page could send raw text instead).
 */
export function isSkeleton(s: unknown): s is string {
  if (typeof s !== 'string' || s.length > SKELETON_MAX_CHARS || !s.startsWith(`${SKELETON_HEADER}\n`)) return false;
  if (!/^[\x20-\x7e\n×…·]*$/.test(s)) return false;
  if (/\d{3,}/.test(s)) return false;
  if (/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}/.test(s)) return false;
  return !/[<>"'`]/.test(s);
}
