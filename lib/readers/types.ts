// The shape of a site reader: selectors as data (named variants with fallbacks) plus a few
// small functions. Content-script code: type-only imports from lib/model, no browser APIs.
import type { ChatMessage, ContactHandles } from '../model/conversation';

/** One way a site has marked a field. `name` is shared across fields of one page design
 *  ('v1', 'v2'…) and each name has a saved page at test/fixtures/sites/<reader id>/<name>.html. */
export interface SelectorVariant {
  readonly name: string;
  readonly css: string;
}

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
}

/** A message as the site shows it; the runtime adds the id. */
export interface RawMessage {
  /** the site's own message id when the row has one */
  siteId?: string;
  direction: ChatMessage['direction'];
  sender?: string;
  at?: number;
  text: string;
}

export interface RawContact {
  displayName: string;
  handles: ContactHandles;
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
  threadKey(ctx: ReaderContext): string | null;
  parseMessage(row: Element, ctx: ReaderContext): RawMessage | null;
  /** Raw handles only (phones as seen); normalization happens in the background. */
  contact(ctx: ReaderContext, threadKey: string): RawContact;
  isGroup(ctx: ReaderContext, threadKey: string): boolean;
}
