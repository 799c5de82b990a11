// Reader for WhatsApp Web (evidence: /work/shared/reference/real-sites-2026.md §3, fixtures'
// SOURCES.md). Two page designs, each with a saved page test/fixtures/sites/whatsapp/<name>.html:
// - 'current' (since about 2026-04-28): a row's data-id is the bare message id, the chat's
//   address is in neither the DOM nor the URL, no .message-in/-out. The address comes from the
//   page's own modules through the main-world bridge (ctx.facts, see whatsapp-bridge.ts); without
//   it the chat gets a weak, title-only key that is shown and never auto-linked.
// - 'v2025' (before): data-id = `<fromMe>_<chat address>_<message id>[_<participant>]`.
import type { RawContact, RawMessage, ReaderContext, SiteReader } from '../types';
import { validFacts } from './whatsapp-bridge';
import { addressesOf } from '../addresses';

// data-id before 2026-04: the chat address is the stable thread key (a rename changes the title, never this).
const DATA_ID = /^(true|false)_([^_@\s]+@(?:c\.us|g\.us|lid|s\.whatsapp\.net|broadcast|newsletter))_([^_\s]+)/;
/**
 * The site's own message ids, then and now: 20–32 hex characters (W2, W4, W5, W7). A message
 * keeps the id its sender's client chose, and the WhatsApp libraries that business bots and
 * shop systems send with choose others: `BAE5` + 12 hex (16, Baileys' generateMessageID before
 * 2024) and `3EB0` + 36 hex (40, Baileys' generateMessageID since, WhiskeySockets/Baileys
 * src/Utils/generics.ts); whatsmeow's `3EB0` + 16 hex (20) is already inside 20–32. One such
 * message must not make the whole chat unreadable (idFormat).
 */
export const MESSAGE_ID = /^(?:[0-9A-Fa-f]{20,32}|BAE5[0-9A-Fa-f]{12}|3EB0[0-9A-Fa-f]{36})$/;
// "[12:34, 12/14/2025] Alice: " — also "[9:05 PM, 14/12/2025]", "[下午5:18, 2026年5月18日]".
const PRE_PLAIN = /^\[([^,，\]]+)[,，]\s*([^\]]+)\]\s?(.*?):\s?$/s;
/** A weak key never looks like an address (no `@`), so it cannot collide with a real one. */
export const WEAK_PREFIX = 'title:';

// Bodies: the test id (W5, W3), the older class (W3, W7); span[dir] (W2) only when neither exists.
const BODY = '[data-testid="selectable-text"], span.selectable-text';
// Quote blocks and Facebook-ad header cards are .copyable-text without data-pre-plain-text (W4);
// the trailing time, ticks and "Edited" live in msg-meta (W3). A link's preview (the linked
// page's title, description and domain) and the reactions are in the row too (W3): not the
// sender's words, and a page's hotline in a preview is no number of the contact's.
const NOISE =
  'div.copyable-text:not([data-pre-plain-text]), [data-testid="msg-meta"], [data-testid="link-preview-container"], [data-testid="reaction-bubble"], .wds-icon, [data-icon], svg';
const TAIL = '[data-icon="tail-out"], [data-icon="tail-in"], [data-testid="tail-out"], [data-testid="tail-in"]';
// Delivery ticks exist on outgoing messages only (W4): these names, or any msg-* icon in msg-meta.
// Icons are named by data-icon (W4, W7) or by data-testid (W3's tails): the ticks either way.
const STATUS =
  '[data-icon="msg-check"], [data-icon="msg-dblcheck"], [data-icon="msg-time"], [data-testid="msg-meta"] [data-icon^="msg-"], [data-testid="msg-meta"] [data-testid^="msg-"]';
const LIST = '[data-testid="conversation-panel-messages"], [data-scrolltracepolicy="wa.web.conversation.messages"], [role="application"], #main';
const CLOCK_ONLY = /^(?:(?:上午|下午|凌晨|早上|中午|晚上|오전|오후|午前|午後)\s*)?\d{1,2}[:.]\d{2}(?:\s*(?:[AaPp]\.?\s?[Mm]\.?))?$/;
// Day halves of 12-hour clocks: en (AM/PM, a. m.), zh (W4), and ko/ja, which print them the same way.
const PM_WORD = /下午|晚上|오후|午後/;
const AM_WORD = /上午|凌晨|早上|오전|午前/;
/** Letters in a clock that are none of the above: a day half this reader cannot tell (no time). */
const UNKNOWN_WORD = /[^\d\s:.,，\u00a0\u202f]/;
const EDITED = /^(?:Edited|已编辑|已編輯|Editada|Editado|Düzenlendi|Bearbeitet|Modifié)$/i;
const TRAILING_META = /\s*(?:(?:Edited|已编辑|已編輯|Editada|Editado|Düzenlendi|Bearbeitet|Modifié)\s*)?(?:(?:上午|下午|凌晨|早上|中午|晚上|오전|오후|午前|午後)\s*)?\d{1,2}[:.]\d{2}(?:\s*(?:[AaPp]\.?\s?[Mm]\.?))?\s*$/i;
/** An unsaved contact is shown by number (W4: in data-pre-plain-text); only `+` numbers count. */
const SHOWN_NUMBER = /^\+\d[\d\s().-]{5,22}\d$/;
const MAX_WALK = 80;

/** The chat address and fromMe flag from a row's data-id, or null when it is not one. */
export function parseDataId(dataId: string | null | undefined): { fromMe: boolean; chat: string; msgId: string } | null {
  const m = dataId ? DATA_ID.exec(dataId) : null;
  if (!m) return null;
  return { fromMe: m[1] === 'true', chat: m[2] ?? '', msgId: m[3] ?? '' };
}

/**
 * Epoch ms from data-pre-plain-text, in the browser's time zone (the page prints local time).
 * Date order follows the digits: a 4-digit first part is Y/M/D (2026/5/18, 2026年5月18日); a part
 * over 12 tells day from month; dotted dates (tr 18.05.2026) are day-first; an ambiguous slashed
 * date (3/4/2026) follows `order` (what the chat's other dates settled, see dateOrder), else is
 * read month-first, as WhatsApp prints it in English, unless the page's language is another one
 * (no source says <html lang> follows the UI language: a best guess). A 12-hour clock whose day
 * half is written in a way not known here gives no time rather than one 12 hours off.
 */
export function parsePrePlainText(pre: string, lang = '', order?: DateOrder | (() => DateOrder | undefined)): { at?: number; sender?: string } {
  const m = PRE_PLAIN.exec(pre.trim() + (pre.trim().endsWith(':') ? '' : ':'));
  if (!m) return {};
  const sender = m[3]?.trim() || undefined;
  const time = m[1] ?? '';
  const date = m[2] ?? '';
  const clock = /(\d{1,2})[:.](\d{2})(?::\d{2})?\s*(am|pm|a\.\s?m\.|p\.\s?m\.)?/i.exec(time);
  const nums = date.split(/[^\d]+/).filter(Boolean).map(Number);
  if (!clock || nums.length !== 3) return { sender };
  let hour = Number(clock[1]);
  const minute = Number(clock[2]);
  const meridiem = (clock[3] ?? '').toLowerCase();
  const pm = meridiem.startsWith('p') || PM_WORD.test(time) || (/中午/.test(time) && hour < 11);
  const am = meridiem.startsWith('a') || AM_WORD.test(time);
  // A day half written some other way ("م", "μ.μ.") would put a 12-hour time 12 hours off.
  if (!pm && !am && hour <= 12 && UNKNOWN_WORD.test(time.replace(clock[0], '').replace(/中午/, ''))) return { sender };
  if (pm && hour < 12) hour += 12;
  if (am && hour === 12) hour = 0;
  const [a = 0, b = 0, c = 0] = nums;
  let y: number, mo: number, d: number;
  if (a > 999) [y, mo, d] = [a, b, c];
  else {
    y = c < 100 ? 2000 + c : c;
    // Only a date that leaves the order open asks the page (order may look at the other rows).
    const seen = a > 12 || b > 12 || /\d\.\d/.test(date) ? undefined : typeof order === 'function' ? order() : order;
    const dayFirst = a > 12 || (b <= 12 && (/\d\.\d/.test(date) || (seen ? seen === 'dmy' : !/^(en(-us)?)?$/i.test(lang))));
    [d, mo] = dayFirst ? [a, b] : [b, a];
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || hour > 23 || minute > 59) return { sender };
  return { at: new Date(y, mo - 1, d, hour, minute).getTime(), sender };
}

/**
 * Only the sender named in data-pre-plain-text: what parsePrePlainText gives as `sender`, without
 * reading the date and time (a run's walk asks for senders alone, several times per new row).
 */
export function preSender(pre: string): string | undefined {
  const t = pre.trim();
  return PRE_PLAIN.exec(t + (t.endsWith(':') ? '' : ':'))?.[3]?.trim() || undefined;
}
/** The sender of a row's data-pre-plain-text element, if it has one. */
const senderOf = (pre: Element | null): string | undefined => (pre ? preSender(pre.getAttribute('data-pre-plain-text') ?? '') : undefined);

export type DateOrder = 'dmy' | 'mdy';
/** Per page: the date order its own unambiguous dates showed (the UI language is page-wide). */
const ORDER_SEEN = new WeakMap<Document, DateOrder>();

/**
 * The order of day and month in this page's slashed dates, when some date in the open chat
 * settles it (a first part over 12: day first; a second part over 12: month first). An English
 * UI outside the US prints 09/12/2025 for 9 December; <html lang> is not known to say which.
 */
export function dateOrder(doc: Document, scope: ParentNode): DateOrder | undefined {
  const known = ORDER_SEEN.get(doc);
  if (known) return known;
  let seen: DateOrder | undefined;
  for (const el of Array.from(scope.querySelectorAll('[data-pre-plain-text]')).slice(-100)) {
    const date = /^\[[^,，\]]+[,，]\s*(\d{1,2})\/(\d{1,2})\/\d{2,4}\]/.exec(el.getAttribute('data-pre-plain-text') ?? '');
    if (!date) continue;
    const [a, b] = [Number(date[1]), Number(date[2])];
    const here: DateOrder | undefined = a > 12 && b <= 12 ? 'dmy' : b > 12 && a <= 12 ? 'mdy' : undefined;
    if (here && seen && here !== seen) return undefined; // the page contradicts itself: guess per row
    seen ??= here;
  }
  if (seen) ORDER_SEEN.set(doc, seen);
  return seen;
}

/** Visible text as a reader sees it: emoji images as their alt text, icons and meta left out. */
export function visibleText(el: Element, skip?: ReadonlySet<Element>): string {
  let out = '';
  const walk = (node: Node) => {
    for (let n = node.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3) out += n.nodeValue ?? '';
      else if (n.nodeType === 1) {
        const e = n as Element;
        const tag = e.tagName.toLowerCase();
        if (tag === 'img') out += e.getAttribute('alt') ?? '';
        else if (tag === 'br') out += '\n';
        else if (!e.matches(NOISE) && !skip?.has(e)) walk(e);
      }
    }
  };
  walk(el);
  return out;
}

/** Whether el, or an ancestor below `scope`, matches css. */
function within(el: Element, scope: Element, css: string): boolean {
  for (let a: Element | null = el; a && a !== scope; a = a.parentElement) if (a.matches(css)) return true;
  return false;
}

/** The outermost elements under `scope` matching css, outside quotes and meta. */
function parts(scope: Element, css: string): Element[] {
  const found = Array.from(scope.querySelectorAll(css)).filter((el) => !within(el, scope, NOISE));
  return found.filter((el) => !found.some((other) => other !== el && other.contains(el)));
}

/** Whether the element shows only a clock or "Edited" (the message's meta, not its words). */
function metaOnly(el: Element): boolean {
  const t = (el.textContent ?? '').trim();
  return !!t && (CLOCK_ONLY.test(t) || EDITED.test(t));
}

/**
 * A message's full text: its body parts, never the quote it answers nor its time or "Edited".
 * A body is taken as it is, even when it reads like a clock ("14:00" answers "what time?").
 */
function bodyText(row: Element, pre: Element | null): string {
  const scope = pre ?? row;
  const found = parts(scope, BODY);
  if (found.length) return found.map((el) => visibleText(el).trim()).filter(Boolean).join('\n');
  if (!pre) return '';
  // W2 (2026-04-30): no selectable-text at all, bodies in span[dir]. Only inside the message's
  // own .copyable-text: elsewhere in a row span[dir] is also the time or a name.
  const dirs = parts(pre, 'span[dir]');
  const words = dirs.filter((el) => !metaOnly(el));
  if (words.length) return words.map((el) => visibleText(el).trim()).filter(Boolean).join('\n');
  // W4 (2026-05+): the text sits on .copyable-text itself, with the time and "Edited" after it,
  // as elements of their own (left out) or as bare text (cut from the end).
  const metaEls = Array.from(pre.querySelectorAll('*')).filter((el) => el.childElementCount === 0 && metaOnly(el));
  const rest = visibleText(pre, new Set(metaEls)).trim();
  if (rest) return metaEls.length ? rest : rest.replace(TRAILING_META, '').trim();
  // Nothing but clock-like spans: the first is the message itself (its time is in msg-meta).
  return dirs[0] ? visibleText(dirs[0]).trim() : '';
}

/** Who wrote the row and when, from its data-pre-plain-text (text messages only). */
function preOf(row: Element): Element | null {
  return row.querySelector('.copyable-text[data-pre-plain-text]') ?? row.querySelector('[data-pre-plain-text]');
}

/** The row's own sign of direction, in the order this reader trusts them (see parseMessage). */
function ownDirection(row: Element): 'in' | 'out' | undefined {
  const tail = row.querySelector(TAIL);
  if (tail) return /out/.test(tail.getAttribute('data-icon') ?? tail.getAttribute('data-testid') ?? '') ? 'out' : 'in';
  if (row.matches('.message-out') || row.querySelector('.message-out')) return 'out';
  if (row.matches('.message-in') || row.querySelector('.message-in')) return 'in';
  if (row.querySelector(STATUS)) return 'out';
  if (row.querySelector('span[aria-label="You:"]')) return 'out';
  return undefined;
}

/** The message row before this one in the list (the ad pair's sibling first, then earlier rows). */
function previousRow(row: Element): Element | null {
  for (let host: Element | null = row; host && !host.matches(LIST); host = host.parentElement) {
    for (let s = host.previousElementSibling; s; s = s.previousElementSibling) {
      if (s.hasAttribute('data-id')) return s;
      const inner = s.querySelectorAll('[data-id]');
      if (inner.length) return inner[inner.length - 1] ?? null;
    }
  }
  return null;
}

/** The message row after this one in the list (mirror of previousRow). */
function nextRow(row: Element): Element | null {
  for (let host: Element | null = row; host && !host.matches(LIST); host = host.parentElement) {
    for (let s = host.nextElementSibling; s; s = s.nextElementSibling) {
      if (s.hasAttribute('data-id')) return s;
      const inner = s.querySelector('[data-id]');
      if (inner) return inner;
    }
  }
  return null;
}

/**
 * A row scrolled out of view: it keeps its place and id but not its content (an empty
 * data-virtualized="true" box, the counterpart of §3's data-virtualized=false). Nothing of it can
 * be read, not even whether it opened a run.
 */
function scrolledAway(row: Element): boolean {
  return !!row.querySelector('[data-virtualized="true"]') && !row.querySelector('[data-virtualized="false"], [data-pre-plain-text], img, video, audio') && !(row.textContent ?? '').trim();
}

/**
 * A row → how its walk back ended when it was last read: the direction and sender it found (before
 * any default) and the last row it looked at. The walk of a new row with no sign of its own
 * continues from the row before it in the very same state, so it can stop there.
 */
const WALKED = new WeakMap<Element, { direction?: 'in' | 'out'; sender?: string; last: Element | null; away: boolean; bounded?: true; v: number }>();

/**
 * This row's direction and sender, carried from the start of its run when the row has none.
 * `ahead` is called when the answer was looked for in the rows after it (ctx.readsAhead). Walks
 * are remembered (WALKED) only under a row-cache version (ReaderContext.rowsVersion): without
 * one, nothing is remembered nor taken from memory.
 */
function runOf(row: Element, ahead?: () => void, version?: number, own = ownDirection(row)): { direction: 'in' | 'out'; sender?: string } {
  let direction = own;
  const pre = preOf(row);
  let sender = senderOf(pre);
  // A run starts at a tail icon: walk back to it (bounded) for what this row lacks.
  let prev: Element | null = row;
  // Where the walk ended (null: above the first loaded row) and whether that row was scrolled away.
  let last: Element | null = row;
  let away = false;
  /** The walk reached MAX_WALK rows (itself, or through the row before's record) with no direction. */
  let bounded = false;
  let i = 0;
  for (; i < MAX_WALK && (!direction || !sender) && prev && !prev.querySelector(TAIL); i++) {
    prev = previousRow(prev);
    // A row scrolled away may have been this run's first, with the tail: what is before it
    // belongs to another run as likely as to this one.
    if (!prev || scrolledAway(prev)) {
      [last, away] = [prev, !!prev];
      break;
    }
    last = prev;
    // With no direction of its own, this row's walk from the row before goes on exactly as that
    // row's own walk went (same state from there): take its outcome when it ended on its own
    // (not at the bound) and where it ended still stands, before it and not scrolled away.
    // A walk that reached the bound without a direction says no row from `last` to that row
    // shows one: this row's walk covers part of that stretch and finds none either. It only
    // stands in for this walk when this row names its own sender (a sender found nearer than
    // the bound is not remembered by position).
    // (Asked of the earlier row: Chromium's later.compareDocumentPosition(earlier) in a flat list
    // went through the list from its start, 4.9 µs at 1,000 rows and 24 µs at 3,000; the other
    // way round, 0.6-1 µs. Same answer: `last` precedes `prev` when `prev` follows `last`.)
    const known = i === 0 && !direction && version !== undefined ? WALKED.get(prev) : undefined;
    if (known && known.v === version && (!known.bounded || sender) && known.last && (known.last === prev || (known.last.isConnected && scrolledAway(known.last) === known.away && known.last.compareDocumentPosition(prev) & 4 /* FOLLOWING */))) {
      direction = known.direction;
      sender ??= known.sender;
      last = known.last;
      away = known.away;
      bounded = !!known.bounded;
      break;
    }
    const d = ownDirection(prev);
    if (direction && d && d !== direction) break;
    direction ??= d;
    const p = preOf(prev);
    sender ??= senderOf(p);
  }
  // Remember a walk that ended before the bound, for the row after this one; one that reached
  // the bound without a direction is remembered as such (a long run of continuation rows would
  // otherwise cost every new row the whole bounded walk).
  if (i >= MAX_WALK && !direction) bounded = true;
  if (version === undefined) {
    /* nothing remembered */
  } else if (bounded) WALKED.set(row, { last, away, bounded: true, v: version });
  else if (i < MAX_WALK) WALKED.set(row, { ...(direction ? { direction } : {}), ...(sender ? { sender } : {}), last, away, v: version });
  else WALKED.delete(row);
  // A photo that opens a run has no data-pre-plain-text, and its tail stops the walk back: the
  // rows after it in the same run (no tail of their own, same direction) name the same sender.
  let next: Element | null = row;
  if (!sender && direction !== 'out') ahead?.();
  for (let i = 0; i < MAX_WALK && !sender && direction !== 'out' && next; i++) {
    next = nextRow(next);
    if (!next || next.querySelector(TAIL) || scrolledAway(next)) break;
    const d = ownDirection(next);
    if (d && d !== (direction ?? 'in')) break;
    const p = preOf(next);
    sender = senderOf(p);
  }
  return { direction: direction ?? 'in', ...(sender ? { sender } : {}) };
}

interface Identity {
  key: string;
  aliases: string[];
  phone?: string;
  group: boolean;
  weak?: boolean;
}

/** The chat address shown in the rows' data-ids (before 2026-04), or null. */
function addressInRows(ctx: ReaderContext, first: Element | null): string | null {
  const firstId = first?.getAttribute('data-id');
  const found = parseDataId(firstId);
  if (found) return found.chat;
  // A row of today's design (a bare message id) says the page is today's, whose rows carry no
  // address: no search of the whole chat for one (it cost every read the chat's size).
  if (firstId && MESSAGE_ID.test(firstId)) return null;
  // Rows of neither design: one lookup that stops at the first hit (or finds none).
  const one = ctx.scope.querySelector('[data-id*="@"]');
  if (!one) return null;
  const chat = parseDataId(one.getAttribute('data-id'))?.chat;
  if (chat) return chat;
  for (const el of Array.from(ctx.scope.querySelectorAll('[data-id*="@"]')).slice(0, 50)) {
    const id = parseDataId(el.getAttribute('data-id'));
    if (id) return id.chat;
  }
  return null;
}

/** Do the facts belong to the pane on screen? (The bridge names a row it checked, or none.) */
function anchored(ctx: ReaderContext, anchor: string): boolean {
  if (anchor === '') {
    for (const el of Array.from(ctx.scope.querySelectorAll('[data-id]'))) if (!el.closest('#pane-side')) return false;
    return true;
  }
  // The row found last time, if it still is that row here, answers without a search.
  const last = ANCHOR_SEEN.get(ctx.scope);
  if (last && last !== ctx.scope && last.isConnected && last.getAttribute('data-id') === anchor && ctx.scope.contains(last) && !last.closest('#pane-side')) return true;
  // The anchor is one message id (the bridge's facts are checked: ROW_ID, no quotes or brackets).
  const sel = /^[\w.@:-]+$/.test(anchor) ? `[data-id="${anchor}"]` : null;
  const rows = sel ? Array.from(ctx.scope.querySelectorAll(sel)) : Array.from(ctx.scope.querySelectorAll('[data-id]')).filter((el) => el.getAttribute('data-id') === anchor);
  const hit = rows.find((el) => !el.closest('#pane-side'));
  if (hit) ANCHOR_SEEN.set(ctx.scope, hit);
  return !!hit;
}
/** Per pane: the row the bridge's anchor named when last found (a WeakMap: panes come and go). */
const ANCHOR_SEEN = new WeakMap<ParentNode, Element>();

function fromAddress(chat: string, more: { phone?: string; lid?: string; group?: boolean }): Identity {
  const server = chat.slice(chat.indexOf('@') + 1);
  const group = more.group ?? !(server === 'c.us' || server === 'lid' || server === 's.whatsapp.net');
  if (group) return { key: chat, aliases: [], group: true };
  const phone = more.phone ?? /^(\d{6,15})@(?:c\.us|s\.whatsapp\.net)$/.exec(chat)?.[1];
  const lid = more.lid ?? (server === 'lid' ? chat : undefined);
  // A number known makes the key `<digits>@c.us`; the @lid is the same chat by another name.
  const key = phone ? `${phone}@c.us` : chat;
  const aliases = [...new Set([lid, chat].filter((a): a is string => !!a && a !== key))];
  return { key, aliases, group: false, ...(phone ? { phone } : {}) };
}

/**
 * Who the open chat is with. Order: the bridge's facts when they belong to this pane; the
 * address in the rows' data-ids (before 2026-04); else the title, as a weak key. Facts that
 * belong to another pane (mid-switch) give nothing: better no read than one under the wrong key.
 */
function identity(ctx: ReaderContext): Identity | null {
  // Once per context: threadKey, contact and isGroup of one read (and the runtime's switch
  // check) each ask, and the page does not change within one synchronous read.
  if (IDENTITY.has(ctx)) return IDENTITY.get(ctx) ?? null;
  const who = identityNow(ctx);
  IDENTITY.set(ctx, who);
  return who;
}
const IDENTITY = new WeakMap<ReaderContext, Identity | null>();

function identityNow(ctx: ReaderContext): Identity | null {
  const first = ctx.query('threadKey');
  const shown = addressInRows(ctx, first);
  const facts = validFacts(ctx.facts);
  if (facts?.chat && facts.anchor !== undefined) {
    const here = anchored(ctx, facts.anchor);
    const same = !shown || shown === facts.chat || shown === facts.lid || shown === `${facts.phone}@c.us`;
    if (here && same) {
      if (!first) ctx.note('threadKey', 'facts');
      return fromAddress(facts.chat, {
        ...(facts.phone ? { phone: facts.phone } : {}),
        ...(facts.lid ? { lid: facts.lid } : {}),
        group: facts.group === '1',
      });
    }
    if (!shown) return null;
  }
  if (shown) return fromAddress(shown, {});
  const name = title(ctx);
  if (!name) return null;
  ctx.flag('weakKey', 'title');
  return { key: `${WEAK_PREFIX}${name}`, aliases: [], group: groupByPage(ctx), weak: true };
}

/** A header span that is no name: an icon's ligature, or a group's participant list. */
function notAName(el: Element, testIdTitle: boolean): boolean {
  if (el.closest('.wds-icon, [data-icon]')) return true;
  const text = (el.textContent ?? '').trim();
  if (!text || /^wds-ic-/.test(text)) return true;
  // A group's subtitle carries its participant list in title="A, B, You" (W2, W8).
  return !testIdTitle && (el.getAttribute('title') ?? '').includes(', ');
}

/** The chat's name from the header; never an icon ligature nor the participant list. */
function title(ctx: ReaderContext): string {
  const el = ctx.query('title');
  const byTestId = !!el?.matches('[data-testid="conversation-info-header-chat-title"]');
  if (el && !notAName(el, byTestId)) return visibleText(el).trim().slice(0, 200);
  // The selector hit something else (W2: the first header span also holds icons): look further.
  for (const span of Array.from(ctx.scope.querySelectorAll('header span[dir="auto"], header span[title]'))) {
    if (!notAName(span, false) && !span.querySelector('span[dir="auto"], span[title]')) return visibleText(span).trim().slice(0, 200);
  }
  return '';
}

/** Group signs the page itself shows: a participant-list subtitle, or two incoming senders. */
function groupByPage(ctx: ReaderContext): boolean {
  for (const el of Array.from(ctx.scope.querySelectorAll('header span[title]'))) {
    if (!el.matches('[data-testid="conversation-info-header-chat-title"]') && (el.getAttribute('title') ?? '').includes(', ')) return true;
  }
  const senders = new Set<string>();
  for (const row of Array.from(ctx.scope.querySelectorAll('[data-id]')).slice(-60)) {
    if (runOf(row, undefined, ctx.rowsVersion).direction !== 'in') continue;
    const s = senderOf(preOf(row));
    if (s) senders.add(s);
  }
  return senders.size >= 2;
}

export const whatsappReader: SiteReader = {
  id: 'whatsapp',
  ...addressesOf('whatsapp'),
  selectors: {
    // The parent of #main (believed replaced on every switch), else the app.
    root: [
      { name: 'current', css: 'div:has(> #main)' },
      { name: 'v2025', css: '#app' },
    ],
    pane: [{ name: 'current', css: '#main' }],
    // The rows whose data-id the bridge's facts are checked against; before 2026-04 the rows
    // carried the chat address themselves.
    threadKey: [
      { name: 'current', css: '#main [data-testid^="conv-msg-"][data-id]' },
      { name: 'v2025', css: '#main [data-id*="@"]' },
    ],
    title: [
      { name: 'current', css: '#main header [data-testid="conversation-info-header-chat-title"]' },
      { name: 'v2025', css: '#main header span[title]' },
      // W2: with no test id, the name is the first header span that is no icon.
      { name: 'current', css: '#main header span[dir="auto"]:not([title])' },
    ],
    messageList: [
      { name: 'current', css: '#main [data-testid="conversation-panel-messages"]' },
      { name: 'v2025', css: '#main [data-scrolltracepolicy="wa.web.conversation.messages"]' },
      { name: 'current', css: '#main [role="application"]' },
    ],
    messageRow: [
      { name: 'current', css: '[role="row"] > [data-id]' },
      { name: 'current', css: '[data-testid^="conv-msg-"][data-id]' },
    ],
    // For the health report only: direction is decided in parseMessage.
    outgoing: [
      { name: 'current', css: '[data-icon="tail-out"], [data-testid="tail-out"]' },
      { name: 'current', css: STATUS },
      { name: 'v2025', css: '.message-out' },
    ],
    time: [{ name: 'current', css: '.copyable-text[data-pre-plain-text]' }],
    text: [
      { name: 'current', css: BODY },
      { name: 'current', css: '.copyable-text[data-pre-plain-text] span[dir]' },
    ],
  },
  // A photo row has no text and no data-pre-plain-text; a chat of incoming messages only shows
  // no outgoing sign.
  optional: ['text', 'time', 'outgoing'],
  layout: {
    // The app wrapper, not #app: #app also hosts full-screen overlays that must stay full width.
    container: ['#app > div.app-wrapper-web', '#app > div', '#app'],
    widthPx: 340,
  },
  messageIdPattern: MESSAGE_ID,
  // A row's id or its data-pre-plain-text set after the row was rendered must be read again.
  watchAttributes: ['data-id', 'data-pre-plain-text'],

  threadKey(ctx) {
    return identity(ctx)?.key ?? null;
  },

  /**
   * Direction, most trusted first: the tail icon (tail-out / tail-in: W7, W4, W3), which only
   * the first row of a run has; the .message-out/-in classes of builds before 2026-06; a
   * delivery tick (msg-check, msg-dblcheck: outgoing only, W4); `aria-label="You:"` (W7); else
   * the direction of the run the row belongs to (walking back to its tail icon); else incoming.
   */
  parseMessage(row, ctx): RawMessage | null {
    if (row.closest('#pane-side')) {
      ctx.flag('decoy', 'chat list row');
      return null;
    }
    const dataId = row.getAttribute('data-id') ?? '';
    const old = parseDataId(dataId);
    // The Facebook-ad pair: two sibling rows share one data-id (W4); the first is the ad card.
    const next = row.nextElementSibling;
    const pre = ctx.query('time', row);
    // Whether it is the pair's first row depends on the row after it.
    const adLike = !pre && !!row.querySelector('.copyable-text');
    if (adLike) ctx.readsAhead();
    if (adLike && next?.getAttribute('data-id') === dataId) return null;
    // A row scrolled out of view: nothing of it can be read now, and it is no empty message.
    if (!pre && scrolledAway(row)) return null;
    const lang = ctx.doc.documentElement.lang;
    const own = ownDirection(row);
    const run = runOf(row, () => ctx.readsAhead(), ctx.rowsVersion, own);
    // For the health report only. A row with no sign of direction of its own (a run's later
    // message) has none of the outgoing selectors' marks either: nothing to look for.
    if (own !== undefined) ctx.query('outgoing', row);
    ctx.query('text', pre ?? row);
    // An ambiguous date the chat's other dates do not settle yet may be settled by a later row.
    const order = () => dateOrder(ctx.doc, ctx.scope) ?? void ctx.readsAhead();
    const { at } = pre ? parsePrePlainText(pre.getAttribute('data-pre-plain-text') ?? '', lang, order) : {};
    return {
      siteId: old ? old.msgId : dataId,
      // Before 2026-04 fromMe was in the id: the site's own truth.
      direction: old ? (old.fromMe ? 'out' : 'in') : run.direction,
      ...(run.sender ? { sender: run.sender } : {}),
      ...(at !== undefined ? { at } : {}),
      text: bodyText(row, pre),
      // Media rows carry no data-pre-plain-text (W3, W4): a photo may have no text at all.
      ...(pre ? {} : { media: true }),
    };
  },

  contact(ctx, threadKey): RawContact {
    const who = identity(ctx);
    const displayName = title(ctx);
    const phones: string[] = who?.phone ? [`+${who.phone}`] : [];
    // W4: an unsaved contact's number is the name in its messages' data-pre-plain-text. The
    // title alone never counts (it can be anything the user typed).
    if (!phones.length && who && !who.group) {
      for (const row of Array.from(ctx.scope.querySelectorAll('[data-id]')).slice(-60)) {
        const sender = senderOf(preOf(row));
        if (sender && SHOWN_NUMBER.test(sender) && runOf(row, undefined, ctx.rowsVersion).direction === 'in') {
          phones.push(sender);
          break;
        }
      }
    }
    const strong = who && !who.weak && who.key === threadKey;
    return {
      displayName,
      handles: { phones, emails: [], ...(strong ? { siteId: threadKey } : {}) },
      ...(strong && who.aliases.length ? { aliases: who.aliases } : {}),
    };
  },

  isGroup(ctx, threadKey) {
    const who = identity(ctx);
    return who && who.key === threadKey ? who.group : threadKey.endsWith('@g.us');
  },
};
