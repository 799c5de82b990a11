// A site the user defines (options → 自定义网站): a URL pattern and CSS selectors, as data.
// Never code: the definition is exportable JSON, and the one generic reader (reader.ts) turns it
// into a SiteReader. Content-script safe: no zod here (validation lives in schema.ts).

export interface CustomSiteSelectors {
  /** The conversation's title (the contact's name). */
  title: string;
  /** Container of the message rows (default: the document). */
  messageList?: string;
  messageRow: string;
  /** A row matching this (or containing a match) is outgoing; anything else is incoming. */
  outgoing?: string;
  /** The message text inside a row (default: the row's text). */
  text?: string;
  time?: string;
  /** The contact's phone or id on the page (e.g. a header subtitle). */
  contact?: string;
}

export interface CustomSiteDef {
  /** Short id; the reader's site id is `custom:<id>`. */
  id: string;
  name: string;
  /** One match pattern, e.g. https://chat.example.com/* */
  pattern: string;
  selectors: CustomSiteSelectors;
}

export const CUSTOM_SITE_PREFIX = 'custom:';
export const siteIdOf = (def: Pick<CustomSiteDef, 'id'>) => `${CUSTOM_SITE_PREFIX}${def.id}`;

/** The host permission a pattern needs: its origin (host permissions ignore paths). */
export function originOf(pattern: string): string | null {
  const m = /^(\*|https?):\/\/(\*\.[^/*]+|[^/*]+)\//.exec(pattern);
  return m ? `${m[1]}://${m[2]}/*` : null;
}
