// Reader for LinkedIn messaging (www.linkedin.com/messaging/thread/<id>/), in both UIs served in
// late 2026 (evidence: shared/reference/real-sites-2026.md §4; fixtures and their sources:
// test/fixtures/sites/linkedin/, SOURCES.md there).
// - 'current': the classic (Ember) page: .msg-s-* classes, each message's exact send time in its
//   data-event-urn.
// - 'shadow': the rebuilt page (rolling out since 2026-07) inside the open shadow root of
//   #interop-outlet, with machine-generated class names: matched by structure only (one <h2> in the
//   conversation, rows of profile link + <time> + <p>, a [role=textbox] composer). It shows times
//   only as localized text ("9:14 AM"): no `at` is read there.
// The thread id is only in the address: the conversation list has no links or ids since 2026-03.
import type { RawMessage, ReaderContext, SiteReader } from '../types';
import { scoped } from '../scoped-css';
import { addressesOf } from '../addresses';

const THREAD = /\/messaging\/thread\/([^/?#]{1,200})/;
/** LinkedIn's internal member id in a profile link: /in/ACoA…, not the vanity slug. */
const MEMBER = /\/in\/(ACoA[A-Za-z0-9_-]{8,80})(?:[/?#]|$)/;
/** Any other /in/<slug> is the member's public vanity name. */
const VANITY = /\/in\/([A-Za-z0-9%_-]{2,100})(?:[/?#]|$)/;
/** urn:li:msg_message:(urn:li:fsd_profile:<viewer>,<message id>) */
const URN = /^urn:li:msg_message:\(urn:li:fsd_profile:[A-Za-z0-9_-]+,(2-[A-Za-z0-9+/]+={0,2})\)$/;
/** The message id's base64 part decodes to "<sent ms>b<n>-<n>", in 2023 followed by
 *  "&<uuid>_<n>" (observed 2023–2026, undocumented). */
const SENT = /^(\d{12,14})b\d+-\d+(?:&[0-9a-f-]{36}_\d+)?$/;
// Plausible send times: LinkedIn's launch (2003) to 2100. Anything else is not a time.
const MIN_MS = Date.UTC(2003, 0, 1);
const MAX_MS = Date.UTC(2100, 0, 1);

const HOST = '#interop-outlet[data-testid="interop-shadowdom"]';
/** A selector inside the rebuilt UI's shadow root. */
const inShadow = (css: string) => `${HOST} >>> ${css}`;
const BUBBLE = '.msg-overlay-conversation-bubble';
const MEMBER_LINK = 'a[href*="/in/ACoA"]';

/** The thread id from a URL or link, or null. */
export function linkedinThreadId(href: string | null | undefined): string | null {
  const raw = href ? THREAD.exec(href)?.[1] : undefined;
  if (!raw || raw === 'new') return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The member id (ACoA…) of a profile link, or undefined. */
export function linkedinMemberId(href: string | null | undefined): string | undefined {
  return href ? MEMBER.exec(href)?.[1] : undefined;
}

/** The send time in a classic message URN's id part, or undefined when it does not decode to one. */
export function linkedinSentAt(messageId: string): number | undefined {
  try {
    const ms = Number(SENT.exec(atob(messageId.slice(2)))?.[1]);
    return ms >= MIN_MS && ms < MAX_MS ? ms : undefined;
  } catch {
    return undefined;
  }
}

/** An element's text as shown: <br> is a line break, runs of spaces collapse. */
function shownText(el: Element): string {
  const walk = (node: Node): string => {
    let out = '';
    for (const c of Array.from(node.childNodes)) {
      if (c.nodeType === 3) out += c.nodeValue ?? '';
      else if (c.nodeType === 1) out += (c as Element).tagName === 'BR' ? '\n' : walk(c);
    }
    return out;
  };
  return walk(el)
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join('\n')
    .trim();
}

const isShadowRow = (row: Element) => row.getRootNode() !== row.ownerDocument;

// ---- classic UI ----------------------------------------------------------------------------

function parseClassic(row: Element, ctx: ReaderContext): RawMessage {
  const urn = ctx.query('time', row)?.getAttribute('data-event-urn') ?? undefined;
  const messageId = urn ? URN.exec(urn)?.[1] : undefined;
  // An URN of another shape is kept whole, so messageIdPattern reports the change.
  const siteId = messageId ?? urn;
  const at = messageId ? linkedinSentAt(messageId) : undefined;
  const direction = ctx.query('outgoing', row) ? 'out' : 'in';
  const sender = classicSender(row, direction, ctx);
  const text = Array.from(row.querySelectorAll('p.msg-s-event-listitem__body'), shownText).join('\n');
  if (!text) ctx.query('text', row); // records the miss
  else ctx.note('text', 'current');
  return { ...(siteId ? { siteId } : {}), direction, ...(sender ? { sender } : {}), ...(at !== undefined ? { at } : {}), text };
}

/** The run's sender: only its first item shows the name; stop where the direction changes. */
function classicSender(row: Element, direction: 'in' | 'out', ctx: ReaderContext): string | undefined {
  RUN_START.delete(row);
  const v = ctx.rowsVersion;
  for (let el: Element | null = row; el; el = el.previousElementSibling) {
    if (!el.querySelector('.msg-s-event-listitem')) continue; // loader, anything not a message
    if (el !== row && (ctx.query('outgoing', el) ? 'out' : 'in') !== direction) return undefined;
    const name = el === row ? ctx.text('sender', el) : el.querySelector('.msg-s-message-group__name')?.textContent?.trim();
    if (name) {
      if (el !== row) RUN_START.set(row, { start: el, direction, v });
      return name;
    }
    // The row before was read already, with the same direction: its run's first item, if it still
    // stands where it stood (before it, among the same rows) and still names someone, names this
    // row's sender too. A new message then costs one step, not the run's whole length.
    const known = el === row ? undefined : RUN_START.get(el);
    if (known && known.v === v && known.direction === direction && known.start.parentElement === el.parentElement && known.start.isConnected && known.start.compareDocumentPosition(el) & 4 /* FOLLOWING: asked of the earlier item, see runOf in whatsapp.ts */) {
      const first = known.start.querySelector('.msg-s-message-group__name')?.textContent?.trim();
      if (first) {
        RUN_START.set(row, { start: known.start, direction, v });
        return first;
      }
    }
  }
  return undefined;
}
/** A continuation row → the earlier row that named its run's sender (when last read, under ReaderContext.rowsVersion v). */
const RUN_START = new WeakMap<Element, { start: Element; direction: 'in' | 'out'; v: number }>();

// ---- rebuilt (shadow root) UI --------------------------------------------------------------

interface ShadowPeople {
  header: string;
  /** the member id of the row links that name the header's person */
  contactId?: string;
  /** distinct member ids linked from the rows */
  ids: Set<string>;
  /** whether some element of the list holds a message paragraph (asked only when no row links a member) */
  hasRows: () => boolean;
}

// Worked out once per read (the runtime makes one context per read).
const people = new WeakMap<ReaderContext, ShadowPeople>();

/** A member link's name: its text, else its label without the English "View …'s profile". */
function linkName(a: Element): string {
  const text = (a.textContent ?? '').replace(/\s+/g, ' ').trim();
  if (text) return text;
  const label = (a.getAttribute('aria-label') ?? '').replace(/\s+/g, ' ').trim();
  return /^View (.+?)['’]s profile$/.exec(label)?.[1] ?? label;
}

/**
 * Who is who in the open rebuilt-UI thread. Rows link both sides to /in/ACoA…; the header <h2>
 * names the contact (no link there). The contact's id is the one whose links carry the header's
 * name (their text or their label, which quotes the name in any language); every other id is the
 * viewer's, in a 1:1 thread.
 */
function shadowPeople(ctx: ReaderContext): ShadowPeople {
  const known = people.get(ctx);
  if (known) return known;
  const header = (ctx.text('title') ?? '').replace(/\s+/g, ' ');
  const list = ctx.query('messageList');
  const { ids, contactId } = list ? shadowLinks(list, header, ctx.rowsVersion) : { ids: new Set<string>(), contactId: undefined };
  // Testing every row against the row selector (:has) is the costly part: only when it matters.
  const hasRows = () => !!list && Array.from(list.children).some((c) => ctx.is(c, 'messageRow'));
  const found = { header, contactId, ids, hasRows };
  people.set(ctx, found);
  return found;
}

interface LinksSeen {
  header: string;
  ids: Set<string>;
  contactId?: string;
  first: Element | null;
  last: Element | null;
  /** ReaderContext.rowsVersion when counted: while it stands, rows were only appended */
  v: number;
}

/** The member links under `within`: their ids, and the first whose name or label is the header's. */
function addLinks(within: Element, seen: LinksSeen) {
  for (const a of Array.from(within.querySelectorAll(MEMBER_LINK))) {
    const id = linkedinMemberId(a.getAttribute('href'));
    if (!id) continue;
    seen.ids.add(id);
    if (seen.contactId || !seen.header) continue;
    const label = (a.getAttribute('aria-label') ?? '').replace(/\s+/g, ' ');
    if (linkName(a) === seen.header || label.includes(seen.header)) seen.contactId = id;
  }
}

/**
 * Per rebuilt-UI message list: the member links seen in it, kept across reads like the classic
 * list's (only the children after the last counted one, and that one, are looked at when
 * messages are appended; history loaded above, a removal, an edit or another header counts them
 * all: the runtime's rowsVersion changes with anything but an append).
 */
const SHADOW_LINKS = new WeakMap<Element, LinksSeen>();

function shadowLinks(list: Element, header: string, v: number): LinksSeen {
  const known = SHADOW_LINKS.get(list);
  if (known && known.v === v && known.header === header && known.first === list.firstElementChild && (!known.last || known.last.parentElement === list)) {
    for (let c = list.lastElementChild; c && c !== known.last; c = c.previousElementSibling) addLinks(c, known);
    if (known.last) addLinks(known.last, known);
    known.last = list.lastElementChild;
    return known;
  }
  const seen: LinksSeen = { header, ids: new Set(), first: list.firstElementChild, last: list.lastElementChild, v };
  addLinks(list, seen);
  SHADOW_LINKS.set(list, seen);
  return seen;
}

/** In a 1:1 thread there are at most two members, and the contact's links name the header. */
function shadowOneToOne(p: ShadowPeople): boolean {
  return p.ids.size <= 1 || (p.ids.size === 2 && p.contactId !== undefined);
}

/** A rebuilt-UI row → the row whose member link started its run, and that link (when last read). */
const RUN_LINK = new WeakMap<Element, { row: Element; link: Element; v: number }>();

function parseShadow(row: Element, ctx: ReaderContext): RawMessage | null {
  const p = shadowPeople(ctx);
  // Who wrote what cannot be told (contact() says so for the whole read).
  if (!shadowOneToOne(p)) return null;
  // The run's first row links its author; the rows after it carry none.
  let link: Element | null = null;
  let from: Element | null = null;
  for (let el: Element | null = row; el && !link; el = el.previousElementSibling) {
    // The row before, read already: the link that started its run, if that row still stands
    // before it among the same rows (one step per new message, not the run's whole length).
    const known: { row: Element; link: Element; v: number } | undefined = el === row ? undefined : RUN_LINK.get(el);
    if (known && known.v === ctx.rowsVersion && known.row.parentElement === el.parentElement && known.link.isConnected && known.row.contains(known.link) && (known.row === el || known.row.compareDocumentPosition(el) & 4) /* FOLLOWING: asked of the earlier row, see runOf in whatsapp.ts */) {
      [link, from] = [known.link, known.row];
      break;
    }
    link = el === row ? ctx.query('sender', el) : ctx.is(el, 'messageRow') ? el.querySelector(MEMBER_LINK) : null;
    from = el;
  }
  if (link && from) RUN_LINK.set(row, { row: from, link, v: ctx.rowsVersion });
  else RUN_LINK.delete(row);
  const id = linkedinMemberId(link?.getAttribute('href'));
  if (!link || !id) return null; // a continuation whose run starts above the loaded rows
  // With no link naming the contact, every linked row is the viewer's (they have not replied);
  // a row appended later may name them.
  if (p.contactId === undefined) ctx.readsAhead();
  const direction = id === p.contactId ? 'in' : 'out';
  const sender = linkName(link);
  ctx.note('outgoing', 'members');
  // Several <p> in one row are one message's paragraphs.
  const paragraphs = Array.from(row.querySelectorAll('p'), shownText).filter(Boolean);
  if (paragraphs.length) ctx.note('text', 'shadow');
  else ctx.query('text', row);
  return { direction, ...(sender ? { sender } : {}), text: paragraphs.join('\n') };
}

/** Queried from a list item, or the whole list: see scoped-css.ts. */
const OTHER_LINK = scoped(`.msg-s-event-listitem--other ${MEMBER_LINK}`);

/** The other members' ids linked under `within`, added to `into` (stops at two). */
function othersIn(within: ParentNode, into: Set<string>): Set<string> {
  for (const a of Array.from(within.querySelectorAll(OTHER_LINK))) {
    if (into.size > 1) break;
    const id = linkedinMemberId(a.getAttribute('href'));
    if (id) into.add(id);
  }
  return into;
}

/**
 * Per classic message list: the other members seen in its items, its first and last item, under
 * the runtime's rowsVersion when counted. A new message appends an item: only the items after the
 * last counted one (and that one) are looked at; the whole thread's links were collected on every
 * read before. History loaded above, an item removed or edited (a new rowsVersion: anything but
 * an append) counts the whole list again. (Not by comparing child counts: childElementCount
 * walks every item of the list.)
 */
const CLASSIC_OTHERS = new WeakMap<Element, { others: Set<string>; first: Element | null; last: Element | null; v: number }>();

function classicOthers(list: Element, v: number): Set<string> {
  const known = CLASSIC_OTHERS.get(list);
  if (known && known.v === v && known.first === list.firstElementChild && (!known.last || known.last.parentElement === list)) {
    for (let li = list.lastElementChild; li && li !== known.last; li = li.previousElementSibling) othersIn(li, known.others);
    // The last counted item may have grown (a wrapper of a day's messages): looked at again.
    if (known.last) othersIn(known.last, known.others);
    known.last = list.lastElementChild;
    return known.others;
  }
  const others = othersIn(list, new Set());
  CLASSIC_OTHERS.set(list, { others, first: list.firstElementChild, last: list.lastElementChild, v });
  return others;
}

export const linkedinReader: SiteReader = {
  id: 'linkedin',
  // spa: people open messaging from the feed, a profile or the top bar's icon: in-app navigation.
  ...addressesOf('linkedin'),
  selectors: {
    root: [
      { name: 'current', css: '.scaffold-layout__detail' },
      { name: 'shadow', css: HOST },
    ],
    // The full-page thread lives in <main>; the overlay bubbles float outside it.
    pane: [
      { name: 'current', css: 'main .msg-thread' },
      // The conversation: what holds both the header <h2> and the composer.
      { name: 'shadow', css: inShadow(':has(h2):has([role="textbox"])') },
    ],
    title: [
      { name: 'current', css: 'h2.msg-entity-lockup__entity-title' },
      { name: 'shadow', css: inShadow('h2') },
    ],
    messageList: [
      { name: 'current', css: 'ul.msg-s-message-list-content' },
      // The outermost element of the conversation holding the rows (each a <p> and a <time>)
      // without the header <h2> or the composer. Not tied to how a day separator's <time> is
      // wrapped: bare among the rows or in an element of its own.
      { name: 'shadow', css: inShadow(':has(p):has(time):not(p, [role="textbox"], :has(h2, [role="textbox"]))') },
    ],
    messageRow: [
      { name: 'current', css: 'li.msg-s-message-list__event:has(.msg-s-event-listitem)' },
      { name: 'shadow', css: inShadow(':has(p):not([role="textbox"], :has([role="textbox"], h2))') },
    ],
    // The other side's items are marked; anything else is the viewer's.
    outgoing: [{ name: 'current', css: '.msg-s-event-listitem:not(.msg-s-event-listitem--other)' }],
    sender: [
      { name: 'current', css: '.msg-s-message-group__name' },
      { name: 'shadow', css: inShadow(MEMBER_LINK) },
    ],
    // The exact send time is in the item's URN.
    time: [{ name: 'current', css: '.msg-s-event-listitem[data-event-urn]' }],
    text: [
      { name: 'current', css: 'p.msg-s-event-listitem__body' },
      { name: 'shadow', css: inShadow('p') },
    ],
  },
  // The rebuilt UI shows no machine-readable time; a run's later items name no sender.
  optional: ['time', 'sender'],
  messageIdPattern: /^2-[A-Za-z0-9+/]{16,}={0,2}$/,
  watchAttributes: ['data-event-urn'],
  // The page beside the sidebar: the conversation list and the composer shrink with it.
  layout: { container: ['main', HOST, 'body'], widthPx: 340 },

  threadKey(ctx) {
    const key = linkedinThreadId(ctx.url);
    if (!key) return null;
    ctx.note('threadKey', 'url');
    // The address names the full-page thread; an overlay bubble is another conversation.
    if (ctx.scope !== ctx.doc && (ctx.scope as Element).closest(BUBBLE)) ctx.flag('decoy', 'bubble');
    return key;
  },

  parseMessage(row, ctx) {
    return isShadowRow(row) ? parseShadow(row, ctx) : parseClassic(row, ctx);
  },

  contact(ctx) {
    const displayName = (ctx.text('title') ?? '').replace(/\s+/g, ' ');
    const pane = ctx.scope as Element;
    if (ctx.scope !== ctx.doc && isShadowRow(pane)) {
      const p = shadowPeople(ctx);
      const { contactId } = p;
      // A group, or a header naming nobody in the rows: the viewer's id is unknown in this UI, so
      // who wrote what cannot be told. Say so rather than guess.
      if (!shadowOneToOne(p)) ctx.flag('fields', 'direction');
      // Rows without any member link are not what the evidence describes.
      else if (p.ids.size === 0 && p.hasRows()) ctx.flag('fields', 'members');
      return { displayName, handles: { phones: [], emails: [], ...(contactId ? { siteId: contactId } : {}) } };
    }
    // The header links the contact's profile by member id (a vanity slug, should it appear, is
    // a different thing: the public username).
    const href = ctx.scope.querySelector('a.msg-thread__link-to-profile')?.getAttribute('href');
    const memberId = linkedinMemberId(href);
    const vanity = memberId ? undefined : href ? VANITY.exec(href)?.[1] : undefined;
    return {
      displayName,
      handles: { phones: [], emails: [], ...(memberId ? { siteId: memberId } : {}), ...(vanity ? { username: vanity } : {}) },
    };
  },

  isGroup(ctx) {
    if (ctx.scope !== ctx.doc && isShadowRow(ctx.scope as Element)) return !shadowOneToOne(shadowPeople(ctx));
    // More than one other member writing in the thread; stop at two.
    const list = ctx.query('messageList');
    if (!list) return othersIn(ctx.scope, new Set()).size > 1;
    return classicOthers(list, ctx.rowsVersion).size > 1;
  },
};
