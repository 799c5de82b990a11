// 试读 / test read: the generic reader run once on the user's open tab with the definition as the
// form has it (saved or not), and what it read, or what it could not find. Runs in the tab
// (entrypoints/custom-site-probe.ts); the options page shows the result as text.
import type { ChatMessage } from '../model/conversation';
import { startReader, type ReaderSnapshot } from '../readers/runtime';
import type { CustomSiteDef } from './definition';
import { customSiteReader } from './reader';

export interface TestReadMessage {
  direction: ChatMessage['direction'];
  text: string;
  at?: number;
  sender?: string;
  id: string;
}

export interface TestReadResult {
  url: string;
  /** the reader reported a conversation */
  ok: boolean;
  title?: string;
  threadKey?: string;
  /** the key is the title (no thread key field, or the page does not show it) */
  weakKey: boolean;
  isGroup: boolean;
  messageCount: number;
  first?: TestReadMessage;
  last?: TestReadMessage;
  contact?: { phones: string[]; emails: string[]; wechat?: string; siteId?: string };
  /** fields the reader looked for and did not find */
  missing: string[];
  /** why the read cannot be trusted (health issues: cause and a short shape) */
  issues: { cause: string; detail?: string }[];
}

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
const brief = (m: ChatMessage): TestReadMessage => ({ direction: m.direction, text: cut(m.text, 200), id: cut(m.id, 120), ...(m.at !== undefined ? { at: m.at } : {}), ...(m.sender ? { sender: cut(m.sender, 60) } : {}) });

export function testRead(doc: Document, def: CustomSiteDef): TestReadResult {
  const ac = new AbortController();
  let snap: ReaderSnapshot | undefined;
  try {
    startReader(customSiteReader(def), { doc, signal: ac.signal, debounceMs: 10_000, onSnapshot: (s) => (snap = s) }).readNow();
  } finally {
    ac.abort();
  }
  const c = snap?.conversation ?? null;
  const health = snap?.health;
  const issues = ((health as { issues?: { cause: string; detail?: string }[] } | undefined)?.issues ?? []).map((i) => ({ cause: i.cause, ...(i.detail ? { detail: i.detail } : {}) }));
  const weakKey = !!(c as { weakKey?: boolean } | null)?.weakKey || issues.some((i) => i.cause === 'weakKey');
  const msgs = c?.messages ?? [];
  return {
    url: cut(doc.location?.href ?? '', 300),
    ok: !!c,
    ...(c ? { title: cut(c.contact.displayName, 100), threadKey: cut(c.threadKey, 120) } : {}),
    weakKey,
    isGroup: c?.isGroup ?? false,
    messageCount: msgs.length,
    ...(msgs[0] ? { first: brief(msgs[0]) } : {}),
    ...(msgs.length > 1 ? { last: brief(msgs[msgs.length - 1]!) } : {}),
    ...(c
      ? {
          contact: {
            phones: c.contact.handles.phones.slice(0, 5),
            emails: c.contact.handles.emails.slice(0, 3),
            ...(c.contact.handles.wechat ? { wechat: c.contact.handles.wechat } : {}),
            ...(c.contact.handles.siteId ? { siteId: cut(c.contact.handles.siteId, 120) } : {}),
          },
        }
      : {}),
    missing: health?.missing ?? [],
    issues,
  };
}
