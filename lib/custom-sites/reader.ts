// definition → SiteReader: the generic reader for user-defined sites. Every selector is the
// user's, tried as one variant named 'user'; a value is the element's text or one of its
// attributes, optionally cut by a regular expression (values.ts). The thread key is the
// definition's threadKey field; without it (or when the page does not show it) the title, as a
// weak key: shown, never auto-linked.
import { phoneLike } from '../readers/phone-like';
import type { ReaderContext, ReaderSelectors, SelectorVariant, SiteReader } from '../readers/types';
import type { FieldName } from '../readers/types';
import { matchesSitePattern, siteIdOf, type CustomSiteDef, type FieldSpec } from './definition';
import { cutter, parseTime } from './values';

const variant = (css: string | undefined): readonly SelectorVariant[] | undefined => (css?.trim() ? [{ name: 'user', css: css.trim() }] : undefined);
const MAX_VALUE = 300;

/** A field as the reader reads it: where (a runtime field, or a selector of our own) and how. */
interface Getter {
  (ctx: ReaderContext, within?: ParentNode): string | undefined;
}

export function customSiteReader(def: CustomSiteDef): SiteReader {
  const f = def.fields;
  const dir = def.direction;
  const selectors: ReaderSelectors = Object.fromEntries(
    Object.entries({
      title: variant(f.title.css),
      threadKey: variant(f.threadKey?.css),
      messageList: variant(f.messageList?.css) ?? [{ name: 'user', css: 'body' }],
      messageRow: variant(f.messageRow.css),
      outgoing: dir && dir.kind !== 'outgoingAttr' ? variant(dir.css) : undefined,
      // Row fields whose css is '' are the row itself: nothing to look up.
      text: variant(f.text?.css),
      time: variant(f.time?.css),
      sender: variant(f.sender?.css),
      groupMarker: variant(f.groupMarker?.css),
    }).filter(([, x]) => x !== undefined),
  );

  /** A value through a runtime field (health is recorded) or, for fields the runtime does not
   *  know (phone, WeChat, email, message id), a selector of our own. */
  const getter = (spec: FieldSpec | undefined, field?: FieldName): Getter | undefined => {
    if (!spec) return undefined;
    const cut = cutter(spec.re);
    const css = spec.css.trim();
    return (ctx, within) => {
      let el: Element | null;
      if (!css) el = within && (within as Node).nodeType === 1 ? (within as Element) : null;
      else if (field) el = ctx.query(field, within);
      else el = safeQuery(within ?? ctx.doc, css);
      if (!el) return undefined;
      const raw = spec.attr ? el.getAttribute(spec.attr) : el.textContent;
      const value = raw?.replace(/\s+/g, ' ').trim();
      if (!value) return undefined;
      return cut(value)?.slice(0, MAX_VALUE);
    };
  };
  const title = getter(f.title, 'title')!;
  const key = getter(f.threadKey, f.threadKey?.css.trim() ? 'threadKey' : undefined);
  const messageId = getter(f.messageId);
  const text = f.text ? getter(f.text, f.text.css.trim() ? 'text' : undefined)! : undefined;
  const time = getter(f.time, f.time?.css.trim() ? 'time' : undefined);
  const sender = getter(f.sender, f.sender?.css.trim() ? 'sender' : undefined);
  const phone = getter(f.phone);
  const wechat = getter(f.wechat);
  const email = getter(f.email);

  const outgoing = (row: Element, ctx: ReaderContext): boolean => {
    if (!dir) return false;
    if (dir.kind === 'outgoingAttr') {
      ctx.note('outgoing', 'attr');
      return (row.getAttribute(dir.attr) ?? '').trim() === dir.equals;
    }
    const hit = ctx.is(row, 'outgoing') || !!ctx.query('outgoing', row);
    return dir.kind === 'outgoingIf' ? hit : !hit;
  };

  return {
    id: siteIdOf(def),
    matches: [def.pattern],
    selectors,
    optional: ['time', 'text', 'outgoing', 'sender', 'groupMarker'],
    layout: { container: ['body'], widthPx: 340 },
    threadKey(ctx) {
      const strong = key?.(ctx);
      if (strong) return strong;
      // The title is a name, not an id: two customers can share it, and it changes.
      const weak = title(ctx);
      if (!weak) return null;
      ctx.flag('weakKey', 'title');
      return weak;
    },
    parseMessage(row, ctx) {
      const body = text ? text(ctx, row) : row.textContent?.replace(/\s+/g, ' ').trim();
      if (!body) return null;
      const siteId = messageId?.(ctx, row);
      const who = sender?.(ctx, row);
      const when = time?.(ctx, row);
      const at = when ? parseTime(when, f.time?.format ?? 'iso') : undefined;
      return {
        direction: outgoing(row, ctx) ? 'out' : 'in',
        text: body,
        ...(siteId ? { siteId } : {}),
        ...(who ? { sender: who } : {}),
        ...(at !== undefined ? { at } : {}),
      };
    },
    contact(ctx, threadKey) {
      const shown = phone?.(ctx);
      const phones = shown ? phoneLike(shown, 3) : [];
      const mail = email?.(ctx);
      const wx = wechat?.(ctx);
      const strongKey = !!key && key(ctx) === threadKey;
      return {
        displayName: title(ctx) ?? shown ?? '',
        handles: {
          phones,
          emails: mail && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(mail) ? [mail.slice(0, 320)] : [],
          ...(wx ? { wechat: wx.slice(0, 100) } : {}),
          // The site's own id of the chat, unless it is the phone already listed.
          ...(strongKey && !(threadKey === shown && phones.length > 0) ? { siteId: threadKey } : {}),
        },
      };
    },
    isGroup: (ctx) => !!f.groupMarker?.css.trim() && !!ctx.query('groupMarker'),
  };
}

/** Whether the definition's reader should run on this address (its full pattern, port included). */
export const isSitePage = (def: CustomSiteDef, url: string) => matchesSitePattern(def.pattern, url);

function safeQuery(root: ParentNode, css: string): Element | null {
  try {
    return root.querySelector(css);
  } catch {
    return null; // a selector typo must not stop the reader
  }
}
