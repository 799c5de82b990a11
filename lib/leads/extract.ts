// 客户搜索 → 生成线索 (seed 000): raw lead candidates from any page the user is looking at (search
// results, comment lists, lead/directory lists). Runs in the injected extraction script, so it
// works on a given Document only, carries no phone metadata and no zod: phones are returned as
// written and the background normalizes, validates and dedupes them (lib/leads/review.ts).
//
// How items are found: every phone-like string, tel: link or WeChat id is a "signal". The page's
// items are repeated sibling structures (same tag and classes under one parent); the sibling
// group that holds the most signals, one per member, is the item list. Groups nested inside an
// accepted item (the <p> fields of a card) or containing accepted items (page sections) are not
// items themselves. A signal outside every accepted group gets its nearest block as its item.
import { phoneLike } from '../readers/phone-like';

export interface LeadCandidate {
  /** Name-like text of the item (a name/author element, 姓名：…, 王先生…), when one was found. */
  name?: string;
  /** Phone-like strings exactly as written (the background normalizes and rejects). */
  phones: string[];
  wechatIds: string[];
  /** The item's text, whitespace collapsed: kept as the customer's notes. */
  content: string;
}

export interface PageLeads {
  url: string;
  title: string;
  /** 搜索关键词: the search the page shows results for, when it says. */
  keyword?: string;
  candidates: LeadCandidate[];
}

export interface ExtractOptions {
  /** Most candidates returned (a huge directory page must not flood the review). */
  max?: number;
}

const MAX_CONTENT = 1000;
const MAX_NAME = 40;
/** A fallback item (no repeated structure) bigger than this is a page section, not a lead. */
const MAX_FALLBACK_TEXT = 600;

const SKIP_TEXT_IN = 'script,style,noscript,template,textarea,select,option,svg,head';
/** Site chrome: a footer's 客服热线 is the site's number, not a lead. */
const CHROME =
  'header,footer,nav,aside,[role="navigation"],[role="contentinfo"],[role="banner"],[aria-hidden="true"],[class*="footer"],[id*="footer"],[class*="topbar"],[class*="copyright"]';
/** Never an item block by themselves: inline text and table cells (the row is the item). */
const INLINE = new Set([
  'A', 'ABBR', 'B', 'BR', 'CITE', 'CODE', 'EM', 'FONT', 'I', 'IMG', 'LABEL', 'MARK', 'Q', 'S', 'SMALL', 'SPAN',
  'STRONG', 'SUB', 'SUP', 'TD', 'TH', 'TIME', 'U', 'TBODY', 'THEAD', 'TFOOT', 'DT', 'BUTTON', 'INPUT',
]);
const FALLBACK_BLOCK = 'li,tr,article,dd,blockquote,p,section,div';

// 微信/VX/wx: id. A WeChat id starts with a letter and has 6–20 letters, digits, - or _.
const WECHAT = /(?:微信号?|威信|薇信|V信|加\s*[Vv]|(?<![a-z])(?:vx|wx|weixin|wechat)(?:\s*id)?)\s*(?:号)?\s*[:：]?\s*([A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])/gi;
const NAME_LABEL = /(?:姓名|联系人|称呼|名字|客户|Name|Contact)\s*[:：]\s*([^\s,，;；:：|/()（）\d]{1,20})/i;
// One character of surname before the title: "咨询王先生" is 王先生, not 咨询王先生.
const NAME_TITLE = /([\u4e00-\u9fa5](?:先生|女士|小姐|老板|经理|总监|老师|总(?![部额计共体结价量])))/;
const NAME_CLASS = /(?:^|[-_\s])(?:name|author|user|username|nick|nickname|contact|person|realname)(?:$|[-_\s])/i;
/** URL parameters search engines and sites put the query in. */
const KEYWORD_PARAMS = ['q', 'wd', 'word', 'keyword', 'keywords', 'kw', 'query', 'search', 'k', 'key', 'searchKey'];

type Signal = { el: Element; phones: string[]; wechats: string[] };

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Text of an element with a space at element boundaries ("<b>电话</b>138…" stays two words). */
function textOf(el: Element, exclude: readonly Element[] = []): string {
  const doc = el.ownerDocument;
  const parts: string[] = [];
  const walker = doc.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const parent = n.parentElement;
    if (parent && parent.closest(SKIP_TEXT_IN)) continue;
    if (exclude.some((x) => x.contains(n))) continue;
    const t = n.nodeValue ?? '';
    if (t.trim()) parts.push(t);
  }
  return collapse(parts.join(' '));
}

export function wechatIds(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WECHAT)) {
    const id = m[1]!;
    // "微信同号" / "wx: see above" are words, not ids: an id has a digit or _ or - or is long.
    if (!/[\d_-]/.test(id) && id.length < 8) continue;
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

function signature(el: Element): string {
  // Numbered classes (item-1, item-2) and state classes are the same structure.
  const classes = [...el.classList]
    .map((c) => c.replace(/\d+/g, ''))
    .filter((c) => c && !/^(?:active|selected|odd|even|first|last|hover|open|show)$/i.test(c))
    .sort();
  return `${el.tagName}.${[...new Set(classes)].join('.')}`;
}

/** Members of el's repeated sibling group (el included), or null when el is not repeated. */
function siblingGroup(el: Element, cache: Map<Element, Map<string, Element[]>>): { key: string; members: Element[] } | null {
  const parent = el.parentElement;
  if (!parent || INLINE.has(el.tagName)) return null;
  let bySig = cache.get(parent);
  if (!bySig) {
    bySig = new Map();
    for (const c of parent.children) {
      const s = signature(c);
      const l = bySig.get(s) ?? [];
      l.push(c);
      bySig.set(s, l);
    }
    cache.set(parent, bySig);
  }
  const sig = signature(el);
  const members = bySig.get(sig)!;
  return members.length >= 2 ? { key: sig, members } : null;
}

function findSignals(doc: Document): Signal[] {
  const body = doc.body;
  if (!body) return [];
  const byEl = new Map<Element, Signal>();
  const add = (el: Element, phones: string[], wechats: string[]) => {
    if (!phones.length && !wechats.length) return;
    if (el.closest(CHROME)) return;
    const s = byEl.get(el) ?? { el, phones: [], wechats: [] };
    for (const p of phones) if (!s.phones.includes(p)) s.phones.push(p);
    for (const w of wechats) if (!s.wechats.includes(w)) s.wechats.push(w);
    byEl.set(el, s);
  };
  // An element's own text (its text children), so a label and its number in one <p> stay together.
  const walker = doc.createTreeWalker(body, 1 /* NodeFilter.SHOW_ELEMENT */);
  for (let n = walker.currentNode as Element | null; n; n = walker.nextNode() as Element | null) {
    if (n.matches(SKIP_TEXT_IN)) continue;
    let own = '';
    for (const c of n.childNodes) if (c.nodeType === 3) own += ` ${c.nodeValue ?? ''}`;
    // A label in its own element ("<b>微信：</b>abc_123") is read with its next text.
    const withLabel = collapse(`${n.previousElementSibling?.textContent ?? ''} ${own}`);
    if (own.trim()) add(n, phoneLike(own, 5), wechatIds(withLabel));
    if (n.tagName === 'A') {
      const href = n.getAttribute('href') ?? '';
      if (/^tel:/i.test(href)) add(n, [decodeURIComponent(href.slice(4)).trim()], []);
    }
  }
  return [...byEl.values()];
}

function hasNameElement(item: Element): boolean {
  for (const el of item.querySelectorAll('[class],[itemprop],[data-field]')) {
    const marker = `${el.getAttribute('class') ?? ''} ${el.getAttribute('itemprop') ?? ''} ${el.getAttribute('data-field') ?? ''}`;
    if (NAME_CLASS.test(marker) && collapse(el.textContent ?? '')) return true;
  }
  return false;
}

function nameOf(item: Element, content: string): string | undefined {
  const clean = (s: string | null | undefined) => {
    const t = collapse(s ?? '').replace(/^[\s:：@\-—·•|]+|[\s:：,，。.\-—·•|]+$/g, '');
    if (!t || t.length > MAX_NAME) return undefined;
    // A number or an id is not a name.
    if ((t.match(/\d/g) ?? []).length >= 5 || /^[\w.-]+@/.test(t)) return undefined;
    return t;
  };
  // The innermost marked element: "d_author" wraps the name and a level badge, "p_author_name" is the name.
  const marked = [...item.querySelectorAll('[class],[itemprop],[data-field]')].filter((el) =>
    NAME_CLASS.test(`${el.getAttribute('class') ?? ''} ${el.getAttribute('itemprop') ?? ''} ${el.getAttribute('data-field') ?? ''}`),
  );
  for (const el of marked) {
    if (marked.some((m) => m !== el && el.contains(m))) continue;
    const n = clean(el.textContent);
    if (n) return n;
  }
  const label = NAME_LABEL.exec(content)?.[1];
  if (clean(label)) return clean(label);
  const titled = NAME_TITLE.exec(content)?.[1];
  if (titled) return titled;
  for (const el of item.querySelectorAll('h1,h2,h3,h4,h5,h6,strong,b,dt,th')) {
    const n = clean(el.textContent);
    if (n && !/[:：]$/.test(collapse(el.textContent ?? ''))) return n;
  }
  return undefined;
}

export function pageKeyword(doc: Document): string | undefined {
  let url: URL | undefined;
  try {
    url = new URL(doc.location?.href ?? '');
  } catch {
    url = undefined;
  }
  if (url) {
    // Hash routes carry their own query ("#/search?q=…").
    const hashQuery = url.hash.includes('?') ? new URLSearchParams(url.hash.slice(url.hash.indexOf('?') + 1)) : undefined;
    for (const params of [url.searchParams, hashQuery]) {
      for (const k of KEYWORD_PARAMS) {
        const v = params?.get(k)?.trim();
        if (v) return v.slice(0, 200);
      }
    }
  }
  const box = doc.querySelector<HTMLInputElement>(
    'input[type="search"], input[name="q"], input[name="wd"], input[name="keyword"], input[name="kw"], input[name="query"], input[name="search"], input[role="searchbox"], [role="search"] input[type="text"]',
  );
  const v = box?.value?.trim() || box?.getAttribute('value')?.trim();
  return v ? v.slice(0, 200) : undefined;
}

export function extractLeads(doc: Document, opts: ExtractOptions = {}): PageLeads {
  const max = opts.max ?? 500;
  const signals = findSignals(doc);
  const cache = new Map<Element, Map<string, Element[]>>();

  // Which repeated groups the signals sit in, and how many members of each carry one.
  type Group = { id: string; members: Element[]; withSignal: Set<Element>; depth: number };
  const groups = new Map<string, Group>();
  const parentIds = new Map<Element, number>();
  for (const s of signals) {
    let depth = 0;
    for (let a: Element | null = s.el; a && a !== doc.body; a = a.parentElement, depth++) {
      const g = siblingGroup(a, cache);
      if (!g) continue;
      const parent = a.parentElement!;
      if (!parentIds.has(parent)) parentIds.set(parent, parentIds.size);
      const id = `${parentIds.get(parent)}|${g.key}`;
      let group = groups.get(id);
      if (!group) {
        group = { id, members: g.members, withSignal: new Set(), depth: 0 };
        groups.set(id, group);
      }
      group.withSignal.add(a);
    }
  }
  for (const g of groups.values()) {
    let d = 0;
    for (let a: Element | null = g.members[0]!; a; a = a.parentElement) d++;
    g.depth = d;
  }

  // Most members with a signal first; on a tie the outer group (a card beats its own fields).
  const ranked = [...groups.values()].filter((g) => g.withSignal.size >= 2).sort((a, b) => b.withSignal.size - a.withSignal.size || a.depth - b.depth);
  const accepted: Group[] = [];
  const acceptedMembers = new Set<Element>();
  for (const g of ranked) {
    const parent = g.members[0]!.parentElement!;
    const nested = [...acceptedMembers].some((m) => m.contains(parent));
    const containing = g.members.some((m) => [...acceptedMembers].some((a) => m.contains(a)));
    if (nested || containing) continue;
    accepted.push(g);
    for (const m of g.members) acceptedMembers.add(m);
  }

  // Replies under a comment are items of their own when each carries its author (a name
  // element), unlike a card's <p> fields, which hold no name of their own.
  for (const g of ranked) {
    if (accepted.includes(g)) continue;
    const parent = g.members[0]!.parentElement!;
    const nested = [...acceptedMembers].some((m) => m.contains(parent));
    const containing = g.members.some((m) => [...acceptedMembers].some((a) => m.contains(a)));
    if (!nested || containing) continue;
    if (![...g.withSignal].every(hasNameElement)) continue;
    accepted.push(g);
    for (const m of g.members) acceptedMembers.add(m);
  }

  // Each signal → its item: the nearest accepted member above it, else its nearest small block.
  const items = new Map<Element, Signal[]>();
  for (const s of signals) {
    let item: Element | null = null;
    for (let a: Element | null = s.el; a && a !== doc.body; a = a.parentElement) {
      if (acceptedMembers.has(a)) {
        item = a;
        break;
      }
    }
    if (!item) {
      const block = s.el.closest(FALLBACK_BLOCK);
      item = block && block !== doc.body && textOf(block).length <= MAX_FALLBACK_TEXT ? block : s.el;
    }
    const l = items.get(item) ?? [];
    l.push(s);
    items.set(item, l);
  }

  // Document order, and an item inside another fallback item folds into the outer one.
  const ordered = [...items.keys()].sort((a, b) => (a.compareDocumentPosition(b) & 4 /* FOLLOWING */ ? -1 : 1));
  const candidates: LeadCandidate[] = [];
  const taken: Element[] = [];
  for (const item of ordered) {
    if (candidates.length >= max) break;
    // A fallback block inside an item is part of it; a reply (an accepted member) is not.
    if (!acceptedMembers.has(item) && taken.some((t) => t.contains(item))) continue;
    taken.push(item);
    // A comment's text without its replies (they are items of their own).
    const nestedItems = [...acceptedMembers].filter((m) => m !== item && item.contains(m));
    const content = textOf(item, nestedItems);
    const phones: string[] = [];
    const wechats: string[] = [];
    for (const [el, sigs] of items) {
      // Its own signals, and those of small fallback blocks inside it.
      if (!item.contains(el) || (el !== item && acceptedMembers.has(el))) continue;
      for (const s of sigs) {
        for (const p of s.phones) if (!phones.includes(p)) phones.push(p);
        for (const w of s.wechats) if (!wechats.includes(w)) wechats.push(w);
      }
    }
    const name = nameOf(item, content);
    candidates.push({
      ...(name ? { name } : {}),
      phones: phones.slice(0, 10),
      wechatIds: wechats.slice(0, 5),
      content: content.slice(0, MAX_CONTENT),
    });
  }
  const keyword = pageKeyword(doc);
  return {
    url: (doc.location?.href ?? '').slice(0, 2000),
    title: collapse(doc.title ?? '').slice(0, 300),
    ...(keyword ? { keyword } : {}),
    candidates,
  };
}
