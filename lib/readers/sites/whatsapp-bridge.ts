// What WhatsApp Web's own code knows about the open chat, read in the page's main world and
// handed to the content script as a few plain strings (docs/whatsapp-identity.md says why).
// Since about 2026-04-28 the chat's address is in neither the DOM nor the URL; the page's module
// system (window.require, Meta's loader since WhatsApp Web 2.3000) still holds it.
//
// Pure code, no browser APIs: the main-world script (entrypoints/whatsapp-bridge.content.ts)
// calls readOpenChat with the page's `require` and the message ids it sees in #main; the content
// script checks what arrives with parseBridgeDetail. Both ends share the shape below.

/** The DOM event the bridge fires on `document` (detail: a JSON string, see BridgeFacts). */
export const BRIDGE_EVENT = 'liaison:wa-open-chat';
/** The DOM event the content script fires to ask the bridge to say it again (no detail). */
export const BRIDGE_ASK_EVENT = 'liaison:wa-open-chat-ask';
/** A detail longer than this is not ours (the real one is under 200 characters). */
export const MAX_DETAIL = 600;

/**
 * Everything that crosses from the page's world: the open chat only, as strings (they become
 * ReaderContext.facts). An empty object means "no chat known" (no module system, no open chat).
 */
export interface BridgeFacts {
  /** the open chat's address: `<digits>@c.us`, `<digits>@lid` or `<id>@g.us` */
  chat?: string;
  /** a 1:1 contact's phone number, digits only, when the page has it */
  phone?: string;
  /** a 1:1 contact's `<digits>@lid` address, when the page has it */
  lid?: string;
  /** '1' for a group (or any chat that is not one person), '0' for a 1:1 chat */
  group?: '0' | '1';
  /**
   * The data-id of one message row in #main that belongs to this chat, or '' when #main shows
   * no message row: the reader uses the facts only for the pane they were read against (a
   * switch is rendered and announced at slightly different moments).
   */
  anchor?: string;
}

export type ModuleRequire = (name: string) => unknown;

/** Why readOpenChat found nothing; 'pane' means "#main shows another chat right now, ask again". */
export type NoChat = 'no-require' | 'no-module' | 'no-active' | 'bad-id' | 'pane';
export type OpenChatResult = { facts: BridgeFacts } | { none: NoChat };

const CHAT_JID = /^(\d{5,20}(?:-\d{5,20})?)@(c\.us|lid|g\.us)$/;
const PHONE_JID = /^(\d{6,15})@c\.us$/;
const LID_JID = /^\d{5,20}@lid$/;
const DIGITS = /^\d{6,15}$/;
/** data-id values: bare hex ids (2026) or `<fromMe>_<chat>_<id>[_<participant>]` (before). */
const ROW_ID = /^[\w.@:-]{1,160}$/;
/** Chats with many loaded messages: looking at this many is enough to recognise the pane. */
const MAX_MSGS = 2000;
/** Rows looked at to recognise the pane: the newest ones are enough. */
const MAX_ROWS = 40;

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null;
const fn = (o: unknown, name: string): ((...a: unknown[]) => unknown) | undefined => {
  const f = isRec(o) || typeof o === 'function' ? (o as Rec)[name] : undefined;
  return typeof f === 'function' ? (f as (...a: unknown[]) => unknown) : undefined;
};

/** Calls `f` on `self`; anything thrown (a renamed internal, a getter that fails) is "absent". */
function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** The page's module, or undefined (Meta's require throws for a name it does not know). */
function load(req: ModuleRequire, name: string): unknown {
  return attempt(() => req(name)) ?? undefined;
}

/** A Wid (WhatsApp's id object: `_serialized`, or toString()) or a plain string, as a string. */
export function widString(w: unknown): string | undefined {
  if (typeof w === 'string') return w;
  if (!isRec(w)) return undefined;
  if (typeof w._serialized === 'string') return w._serialized;
  const ts = fn(w, 'toString');
  if (ts && ts !== Object.prototype.toString) {
    const s = attempt(() => ts.call(w));
    if (typeof s === 'string') return s;
  }
  return undefined;
}

/**
 * The active chat model. Three ways the maintained projects reach it (docs/whatsapp-identity.md):
 * WAWebCollections.Chat (whatsapp-web.js, W6), WAWebChatCollection.ChatCollection.getActive()
 * (whatsapp-web-incognito), and `findFirst(c => c.active)` (wa-js getActiveChat).
 */
function activeChat(req: ModuleRequire): { chat: Rec } | { none: NoChat } {
  const collections = [
    (load(req, 'WAWebCollections') as Rec | undefined)?.Chat,
    (load(req, 'WAWebChatCollection') as Rec | undefined)?.ChatCollection,
  ].filter((c) => isRec(c));
  if (!collections.length) return { none: 'no-module' };
  const isActive = (c: unknown) => isRec(c) && c.active === true;
  for (const col of collections) {
    const getActive = fn(col, 'getActive');
    const findFirst = fn(col, 'findFirst');
    const all = fn(col, 'getModelsArray');
    const found =
      (getActive && attempt(() => getActive.call(col))) ||
      (findFirst && attempt(() => findFirst.call(col, isActive))) ||
      (all && attempt(() => (all.call(col) as unknown[] | undefined)?.find?.(isActive)));
    if (isRec(found)) return { chat: found };
  }
  return { none: 'no-active' };
}

/** The bare message ids (MsgKey.id) of the chat's loaded messages, and their full keys. */
function loadedIds(chat: Rec): Set<string> {
  const out = new Set<string>();
  const all = fn(chat.msgs, 'getModelsArray');
  const models = (all && attempt(() => all.call(chat.msgs))) ?? [];
  if (!Array.isArray(models)) return out;
  for (const m of models.slice(-MAX_MSGS)) {
    const id = isRec(m) ? m.id : undefined;
    if (!isRec(id)) continue;
    if (typeof id.id === 'string') out.add(id.id);
    const full = widString(id);
    if (full) out.add(full);
  }
  return out;
}

/** A row's data-id as the message's own id: the bare id, or the id part of the old `_` form. */
function bareRowId(dataId: string): string {
  const parts = dataId.split('_');
  return parts.length >= 3 && /@/.test(parts[1] ?? '') ? (parts[2] ?? dataId) : dataId;
}

/** The first of the page's own lookups that gives an address of this shape. */
function firstAddress(shape: RegExp, tries: Array<() => unknown>): string | undefined {
  for (const t of tries) {
    const s = widString(attempt(t));
    if (s && shape.test(s)) return s;
  }
  return undefined;
}

/** The data-ids of the newest message rows in #main, newest first (what readOpenChat checks). */
export function paneRowIds(doc: Document): string[] {
  const rows = Array.from(doc.querySelectorAll('#main [data-id]')).slice(-MAX_ROWS).reverse();
  return rows.map((el) => el.getAttribute('data-id') ?? '');
}

/**
 * The open chat's facts from the page's modules, tolerant of every missing module or field.
 * `domIds`: the data-id of each message row in #main now (any order). The facts are given only
 * when #main shows this chat (one of its rows is a loaded message of the active chat) or shows
 * no message row at all; otherwise the pane and the model disagree for a moment: 'pane'.
 */
export function readOpenChat(req: ModuleRequire | undefined | null, domIds: readonly string[]): OpenChatResult {
  if (typeof req !== 'function') return { none: 'no-require' };
  const found = activeChat(req);
  if ('none' in found) return found;
  const { chat } = found;
  const wid = chat.id;
  const id = widString(wid);
  const m = id ? CHAT_JID.exec(id) : null;
  if (!id || !m) return { none: 'bad-id' };
  const server = m[2];

  const rows = domIds.filter((d) => ROW_ID.test(d));
  let anchor = '';
  if (rows.length) {
    const loaded = loadedIds(chat);
    anchor = rows.find((d) => loaded.has(d) || loaded.has(bareRowId(d))) ?? '';
    if (!anchor) return { none: 'pane' };
  }

  if (server === 'g.us') return { facts: { chat: id, group: '1', anchor } };

  const api = load(req, 'WAWebApiContact') as Rec | undefined;
  const cache = isRec(api) ? api.lidPnCache : undefined;
  const contact = isRec(chat.contact) ? chat.contact : undefined;
  const facts: BridgeFacts = { chat: id, group: '0', anchor };
  if (server === 'c.us') {
    facts.phone = m[1];
    // whatsapp-web.js Utils.js getCurrentLid, wa-js lidPnCache, incognito chat.accountLid.
    const lid = firstAddress(LID_JID, [
      () => fn(api, 'getCurrentLid')?.call(api, wid),
      () => fn(cache, 'getCurrentLid')?.call(cache, wid),
      () => chat.accountLid,
    ]);
    if (lid) facts.lid = lid;
  } else {
    facts.lid = id;
    // The number behind a @lid, only where the page already has it (no lookup is made).
    const pn = firstAddress(PHONE_JID, [
      () => fn(api, 'getPhoneNumber')?.call(api, wid),
      () => fn(cache, 'getPhoneNumber')?.call(cache, wid),
      () => contact?.phoneNumber,
    ]);
    const digits = pn ? PHONE_JID.exec(pn)?.[1] : undefined;
    if (digits) facts.phone = digits;
  }
  return { facts };
}

/**
 * The content script's check of what arrived from the page's world: a JSON string of at most
 * MAX_DETAIL characters holding only BridgeFacts' keys, each of its exact shape. Anything else
 * (another shape, extra keys, a page script's imitation gone wrong) is refused: null.
 */
export function parseBridgeDetail(detail: unknown): BridgeFacts | null {
  if (typeof detail !== 'string' || detail.length > MAX_DETAIL) return null;
  return validFacts(attempt(() => JSON.parse(detail) as unknown));
}

/** BridgeFacts of exactly their shape from any value, or null (also the reader's check of ctx.facts). */
export function validFacts(value: unknown): BridgeFacts | null {
  if (!isRec(value) || Array.isArray(value)) return null;
  // The content script hands over one frozen object per change, asked for at every read: a frozen
  // object's answer cannot change, so it is worked out once.
  const frozen = Object.isFrozen(value);
  if (frozen && CHECKED.has(value)) return CHECKED.get(value) ?? null;
  const out = checkFacts(value);
  if (frozen) CHECKED.set(value, out && Object.freeze(out));
  return out;
}
const CHECKED = new WeakMap<object, BridgeFacts | null>();

function checkFacts(value: Record<string, unknown>): BridgeFacts | null {
  const out: BridgeFacts = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') return null;
    if (k === 'chat' && CHAT_JID.test(v)) out.chat = v;
    else if (k === 'phone' && DIGITS.test(v)) out.phone = v;
    else if (k === 'lid' && LID_JID.test(v)) out.lid = v;
    else if (k === 'group' && (v === '0' || v === '1')) out.group = v;
    else if (k === 'anchor' && (v === '' || ROW_ID.test(v))) out.anchor = v;
    else return null;
  }
  // Facts without the chat are no facts; a chat without its anchor cannot be placed.
  if (!out.chat) return Object.keys(out).length ? null : {};
  if (out.anchor === undefined || out.group === undefined) return null;
  return out;
}
