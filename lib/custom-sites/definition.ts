// A site the user defines (options → 自定义网站): a URL pattern and, per field, where the value is
// on the page, as data. Never code: the definition is exportable JSON, and the one generic reader
// (reader.ts) turns it into a SiteReader. Content-script safe: no zod here (validation lives in
// schema.ts, which also upgrades stored version-1 definitions to this shape).

/** Where one value is on the page. */
export interface FieldSpec {
  /**
   * CSS selector. Page fields are looked up in the document; row fields (messageId, text, time,
   * sender) inside one message row, where '' means the row itself.
   */
  css: string;
  /** The value is this attribute of the element (e.g. 'data-conv-id', 'datetime'); default: its text. */
  attr?: string;
  /** A regular expression with one capture group: the value is what the group captured. */
  re?: string;
}

/**
 * How a time value is written: 'iso' (anything Date.parse reads, e.g. a `datetime` attribute),
 * 'epoch-s' / 'epoch-ms' (a number), or a pattern of YYYY MM DD HH mm ss and separators such as
 * 'YYYY-MM-DD HH:mm' or 'DD.MM.YYYY HH:mm', read in the browser's time zone.
 */
export type TimeFormat = string;

export interface TimeSpec extends FieldSpec {
  /** default 'iso' */
  format?: TimeFormat;
}

/** Which message rows are outgoing (sent by the user). Without a rule every row is incoming. */
export type DirectionRule =
  /** rows matching (or containing) the selector are outgoing, the rest incoming */
  | { kind: 'outgoingIf'; css: string }
  /** rows whose attribute `attr` equals `equals` are outgoing, the rest incoming */
  | { kind: 'outgoingAttr'; attr: string; equals: string }
  /** rows matching (or containing) the selector are incoming, the rest outgoing */
  | { kind: 'incomingIf'; css: string };

export interface CustomSiteFields {
  /** The conversation's title (the contact's name). */
  title: FieldSpec;
  /**
   * The conversation's own id (a stable key: a header attribute, a phone). Without it, or when
   * the page does not show it, the title is the key, marked weak (shown, never auto-linked).
   */
  threadKey?: FieldSpec;
  /** Container of the message rows (default: the document body). */
  messageList?: FieldSpec;
  messageRow: FieldSpec;
  /** The site's id of a message, usually an attribute of the row (css ''). */
  messageId?: FieldSpec;
  /** The message text inside a row (default: the row's text). */
  text?: FieldSpec;
  time?: TimeSpec;
  /** Who wrote the row (group chats). */
  sender?: FieldSpec;
  /** The contact's phone, WeChat id and email as the page shows them (page fields). */
  phone?: FieldSpec;
  wechat?: FieldSpec;
  email?: FieldSpec;
  /** Present on the page when the open chat is a group. */
  groupMarker?: FieldSpec;
}

export type FieldKey = keyof CustomSiteFields;
/** Fields looked up inside a message row. */
export const ROW_FIELD_KEYS = ['messageId', 'text', 'time', 'sender'] as const satisfies readonly FieldKey[];
export const isRowField = (k: string): boolean => (ROW_FIELD_KEYS as readonly string[]).includes(k);

export interface CustomSiteDef {
  version: 2;
  /** Short id; the reader's site id is `custom:<id>`. */
  id: string;
  name: string;
  /**
   * One site's pages: `scheme://host[:port]/path`, scheme http, https or *, host exact or
   * `*.domain`, port a number or `*` (any), path a glob. The port is ours to check: see
   * browserPatternsOf.
   */
  pattern: string;
  fields: CustomSiteFields;
  direction?: DirectionRule;
}

/** The first stored shape (before attributes, formats and the thread key field). */
export interface CustomSiteDefV1 {
  id: string;
  name: string;
  pattern: string;
  selectors: {
    title: string;
    messageList?: string;
    messageRow: string;
    outgoing?: string;
    text?: string;
    time?: string;
    contact?: string;
  };
}

/** A version-1 definition read as version 2, reading what it read before: its contact (a phone or
 *  an id) is the thread key and the phone, the outgoing selector the direction rule. */
export function upgradeV1(d: CustomSiteDefV1): CustomSiteDef {
  const s = d.selectors;
  const f = (css: string | undefined): FieldSpec | undefined => (css?.trim() ? { css: css.trim() } : undefined);
  const fields: CustomSiteFields = { title: { css: s.title.trim() }, messageRow: { css: s.messageRow.trim() } };
  const opt = { messageList: f(s.messageList), text: f(s.text), time: f(s.time), threadKey: f(s.contact), phone: f(s.contact) };
  for (const [k, v] of Object.entries(opt)) if (v) (fields as unknown as Record<string, FieldSpec>)[k] = v;
  return {
    version: 2,
    id: d.id,
    name: d.name,
    pattern: d.pattern,
    fields,
    ...(s.outgoing?.trim() ? { direction: { kind: 'outgoingIf' as const, css: s.outgoing.trim() } } : {}),
  };
}

export const CUSTOM_SITE_PREFIX = 'custom:';
export const siteIdOf = (def: Pick<CustomSiteDef, 'id'>) => `${CUSTOM_SITE_PREFIX}${def.id}`;

// ---- URL patterns ------------------------------------------------------------------------

export interface ParsedPattern {
  scheme: '*' | 'http' | 'https';
  /** exact host or `*.domain` (lower case) */
  host: string;
  /** '*' or undefined (none written): any port, as browsers read a pattern without one; a number: that port */
  port?: '*' | number;
  /** path glob, starting with '/' */
  path: string;
}

const PATTERN = /^(\*|https?):\/\/(\*\.[a-z0-9.-]+|[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\*|\d{1,5}))?(\/[^\s#]*)$/i;

export function parsePattern(pattern: string): ParsedPattern | null {
  const m = PATTERN.exec(pattern.trim());
  if (!m) return null;
  const [, scheme = '', host = '', port, path = '/'] = m;
  // `*.com` would be every site of a top-level domain: one site's subdomains only.
  if (host.startsWith('*.') && !host.slice(2).replace(/^\.+|\.+$/g, '').includes('.')) return null;
  let p: ParsedPattern['port'];
  if (port === '*') p = '*';
  else if (port !== undefined) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65535) return null;
    p = n;
  }
  return { scheme: scheme.toLowerCase() as ParsedPattern['scheme'], host: host.toLowerCase(), ...(p !== undefined ? { port: p } : {}), path };
}

/**
 * What the browser is told, from the user's pattern. Chrome's match patterns take a port
 * (`host:8080`, `host:*`, no port = any port); Firefox's take none (a pattern with a port is
 * refused; without one it matches every port): https://developer.chrome.com/docs/extensions/develop/concepts/match-patterns,
 * https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/Match_patterns (Firefox bugs
 * 1362809, 1468162). So the browser gets the widest pattern it can express (one port on Chrome,
 * every port on Firefox) over the whole origin (a single-page console reaches its chat without a
 * page load), and the content script stays active only where the user's full pattern, port
 * included, matches location.href (matchesSitePattern).
 */
export function browserPatternsOf(pattern: string, opts: { portsInPatterns: boolean }): { matches: string; origin: string } | null {
  const p = parsePattern(pattern);
  if (!p) return null;
  const port = opts.portsInPatterns && typeof p.port === 'number' ? `:${p.port}` : '';
  const origin = `${p.scheme}://${p.host}${port}/*`;
  return { matches: origin, origin };
}

const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** The part of a URL the browser pattern stands for: scheme, host and port (any path). */
export function matchesSiteOrigin(pattern: string, url: string): boolean {
  return matchParts(pattern, url, false);
}

/** The user's full pattern, port and path included, against a page's address. */
export function matchesSitePattern(pattern: string, url: string): boolean {
  return matchParts(pattern, url, true);
}

function matchParts(pattern: string, url: string, withPath: boolean): boolean {
  const p = parsePattern(pattern);
  if (!p) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  if (p.scheme !== '*' && `${p.scheme}:` !== u.protocol) return false;
  const host = u.hostname.toLowerCase();
  if (p.host.startsWith('*.')) {
    const base = p.host.slice(2);
    if (host !== base && !host.endsWith(`.${base}`)) return false;
  } else if (host !== p.host) return false;
  // A URL without a port is on the scheme's own (http://host/ is :80).
  if (typeof p.port === 'number' && String(p.port) !== (u.port || DEFAULT_PORT[u.protocol])) return false;
  if (!withPath) return true;
  const glob = new RegExp(`^${p.path.split('*').map(escapeRegExp).join('.*')}$`);
  return glob.test(u.pathname) || glob.test(u.pathname + u.search);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
