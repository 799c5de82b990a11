// The shape of a site reader: selectors as data (named variants with fallbacks) plus a few
// small functions. Content-script code: type-only imports from lib/model, no browser APIs.
import type { ChatMessage, ContactHandles } from '../model/conversation';

/** One way a site has marked a field. `name` is shared across fields of one page design
 *  ('v1', 'v2'…) and each name has a saved page at test/fixtures/sites/<reader id>/<name>.html.
 *
 *  `css` may pierce open shadow roots with ` >>> `: `#interop-outlet >>> main h2` finds the
 *  host(s) matching the left part and queries inside each host's open shadow root (several
 *  levels: `a >>> b >>> c`). The runtime also observes mutations inside those shadow roots. */
export interface SelectorVariant {
  readonly name: string;
  readonly css: string;
}

/**
 * Why a page that looks like the chat cannot be trusted this read. Each is shown with its own
 * text in the sidebar banner and in options → 网站状态. Except for `weakKey`, a read with an
 * issue reports no conversation (nothing is logged from it).
 * - fields: a required field (thread key, title, message list) was not found
 * - noRows: the message list was found but no row in it, while the chat area shows message-like content
 * - emptyText: rows were found but every one of them read as empty text
 * - idFormat: rows carry a message id in a format the reader does not recognise
 * - weakKey: the thread key comes from a weak source (the title): shown, never auto-linked
 * - decoy: the element a selector found is a known decoy (reader-specific detail)
 */
export const HEALTH_CAUSES = ['fields', 'noRows', 'emptyText', 'idFormat', 'weakKey', 'decoy'] as const;
export type HealthCause = (typeof HEALTH_CAUSES)[number];

/**
 * Fields a reader may declare. Page-level fields are looked up in the document (or in the
 * pane); row-level fields (outgoing, sender, time, text) inside one message row.
 */
export type FieldName =
  /** the smallest stable container to observe (the parent of the pane the site replaces) */
  | 'root'
  /** the open conversation pane (replaced on every switch) */
  | 'pane'
  | 'title'
  | 'subtitle'
  /** the element that carries the site's thread id */
  | 'threadKey'
  /** the container of message rows */
  | 'messageList'
  | 'messageRow'
  /** a row matching this is outgoing; anything else is incoming */
  | 'outgoing'
  | 'sender'
  | 'time'
  | 'text'
  /** present in the pane when the open chat is a group */
  | 'groupMarker';

export type ReaderSelectors = Readonly<Partial<Record<FieldName, readonly SelectorVariant[]>>>;

/** The fields without which nothing is reported (conversation null, health ok=false). */
export const REQUIRED_FIELDS = ['threadKey', 'title', 'messageList'] as const satisfies readonly FieldName[];

/** What the runtime hands to a reader's functions for one read. Lookups try the variants in
 *  order and record which one matched, so the reader never has to report health itself. */
export interface ReaderContext {
  readonly doc: Document;
  readonly url: string;
  /** the resolved conversation pane, or the document when the pane was not found */
  readonly scope: ParentNode;
  /** First element for the field (variants tried in order), inside `within` (default: scope). */
  query(field: FieldName, within?: ParentNode): Element | null;
  /** Trimmed textContent of query(field, within), or undefined. */
  text(field: FieldName, within?: ParentNode): string | undefined;
  /** Whether `el` itself matches any variant of the field. */
  is(el: Element, field: FieldName): boolean;
  /** Record a non-selector source for a field (e.g. the thread key taken from the URL). */
  note(field: FieldName, source: string): void;
  /**
   * Report a problem with this read (see HealthCause). `detail` is a short shape, never page
   * text (e.g. 'hex20', 'title'). `weakKey` keeps the conversation (marked weak); any other
   * cause drops it from this read.
   */
  flag(cause: HealthCause, detail?: string): void;
  /**
   * Facts the page's own code handed over for this read (WhatsApp's main-world bridge: the open
   * chat's id and number), as plain strings; empty when the site has no bridge or it has not
   * answered. See StartReaderOptions.pageFacts.
   */
  readonly facts: Readonly<Record<string, string>>;
  /**
   * Inside parseMessage: this row was read with the help of rows AFTER it (a run's later message
   * that names the sender, the second row of a pair). The runtime then parses it again when rows
   * are appended, so a reader that has been running says what a fresh read would. Rows before
   * a row need no such call: any change there makes the next read parse its whole window again.
   */
  readsAhead(): void;
  /**
   * Changes whenever the rows may have changed other than by messages appended after the newest
   * (a row removed, moved, edited, or inserted above, a re-render): what a reader remembers per
   * row from another value (where a run started, who wrote it) must not be trusted any more.
   */
  readonly rowsVersion: number;
}

/** A message as the site shows it; the runtime adds the id. */
export interface RawMessage {
  /** the site's own message id when the row has one */
  siteId?: string;
  direction: ChatMessage['direction'];
  sender?: string;
  at?: number;
  text: string;
  /**
   * The text is not the contact's own words (a forward, someone else's contact card): a number
   * in it is not taken as the contact's phone.
   */
  notTheirs?: boolean;
  /** A photo, sticker, voice note or file: its text may be empty without the page being unreadable. */
  media?: boolean;
}

export interface RawContact {
  displayName: string;
  handles: ContactHandles;
  /**
   * Other thread keys this same chat is or was known by on this site (WhatsApp `…@lid` beside
   * `…@c.us`; Telegram's other spelling of a supergroup). The background keeps an established
   * link when the key changes to one of these.
   */
  aliases?: string[];
}

export interface SiteReader {
  /** Also Conversation.site and the fixture folder name. */
  readonly id: string;
  /** Match patterns (`scheme://host/path*`) of the chat pages (the content script's too unless `spa` says otherwise). */
  readonly matches: readonly string[];
  /**
   * For a chat that is one route of a single-page app (LinkedIn's /messaging inside the app of
   * /feed): users reach it without a page load, where a content script matching only the chat's
   * path would never run. The script is injected on `injectOn` (whole origins the manifest's
   * host permissions already cover) and reads, shows the sidebar and reports only while the
   * location matches `matches`; it stops and tears the sidebar down when the app navigates away.
   */
  readonly spa?: { readonly injectOn: readonly string[] };
  readonly selectors: ReaderSelectors;
  /** Declared fields whose absence is normal (a 1:1 chat has no sender, a contact no subtitle). */
  readonly optional: readonly FieldName[];
  /** Where to dock the sidebar: the first of `container` (CSS, tried in order) is shrunk on the
   *  right (its margin-right) by about `widthPx`, so the site's list and composer stay visible. */
  readonly layout: { readonly container: readonly string[]; readonly widthPx: number };
  /**
   * The site's own message ids (RawMessage.siteId) look like this. When a row carries an id that
   * does not match, the read is flagged `idFormat` (the site changed its ids) and dropped.
   */
  readonly messageIdPattern?: RegExp;
  /**
   * Attributes whose change alone means something to read (a message id rewritten in place when
   * a sent message is confirmed, the peer id of a pane kept across a switch, the active feed
   * card): the runtime observes these, and no other attribute.
   */
  readonly watchAttributes?: readonly string[];
  threadKey(ctx: ReaderContext): string | null;
  parseMessage(row: Element, ctx: ReaderContext): RawMessage | null;
  /** Raw handles only (phones as seen); normalization happens in the background. */
  contact(ctx: ReaderContext, threadKey: string): RawContact;
  isGroup(ctx: ReaderContext, threadKey: string): boolean;
}
