// definition → SiteReader: the generic reader for user-defined sites. Every selector is the
// user's, tried as one variant named 'user'; the thread key is the contact field when the site
// shows one (a phone or an id is stable), else the title.
import { phoneLike } from '../readers/phone-like';
import type { ReaderSelectors, SelectorVariant, SiteReader } from '../readers/types';
import { siteIdOf, type CustomSiteDef } from './definition';

const v = (css: string | undefined): readonly SelectorVariant[] | undefined => (css?.trim() ? [{ name: 'user', css: css.trim() }] : undefined);

export function customSiteReader(def: CustomSiteDef): SiteReader {
  const s = def.selectors;
  const selectors: ReaderSelectors = Object.fromEntries(
    Object.entries({
      title: v(s.title),
      // The title element carries the thread (see threadKey below).
      threadKey: v(s.title),
      messageList: v(s.messageList) ?? [{ name: 'user', css: 'body' }],
      messageRow: v(s.messageRow),
      outgoing: v(s.outgoing),
      text: v(s.text),
      time: v(s.time),
    }).filter(([, x]) => x !== undefined),
  );
  const contactText = (doc: Document): string | undefined => {
    if (!s.contact?.trim()) return undefined;
    try {
      return doc.querySelector(s.contact)?.textContent?.trim() || undefined;
    } catch {
      return undefined; // a selector typo must not stop the reader
    }
  };
  return {
    id: siteIdOf(def),
    matches: [def.pattern],
    selectors,
    optional: ['time', 'text', 'outgoing'],
    layout: { container: ['body'], widthPx: 340 },
    threadKey(ctx) {
      const contact = contactText(ctx.doc);
      const title = ctx.text('title');
      return contact ?? title ?? null;
    },
    parseMessage(row, ctx) {
      const text = (s.text ? ctx.text('text', row) : row.textContent?.trim()) ?? '';
      if (!text) return null;
      const out = !!s.outgoing && (ctx.is(row, 'outgoing') || !!ctx.query('outgoing', row));
      const when = s.time ? ctx.text('time', row) : undefined;
      const at = when ? Date.parse(when) : NaN;
      return { direction: out ? 'out' : 'in', text, ...(Number.isFinite(at) ? { at } : {}) };
    },
    contact(ctx) {
      const contact = contactText(ctx.doc);
      const phones = contact ? phoneLike(contact, 3) : [];
      return {
        displayName: ctx.text('title') ?? contact ?? '',
        handles: { phones, emails: [], ...(contact && phones.length === 0 ? { siteId: contact.slice(0, 300) } : {}) },
      };
    },
    isGroup: () => false,
  };
}
