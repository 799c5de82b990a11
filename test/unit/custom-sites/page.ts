// A custom-site fixture page in a fresh happy-dom Window (its scripts never run), and one read of
// it through the runtime.
import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import type { CustomSiteDef } from '../../../lib/custom-sites/definition';
import { customSiteReader } from '../../../lib/custom-sites/reader';
import { startReader, type ReaderSnapshot } from '../../../lib/readers/runtime';

export function openPage(name: string, url: string): { doc: Document; close(): void } {
  const html = readFileSync(new URL(`../../fixtures/custom-site/${name}`, import.meta.url), 'utf8');
  const window = new Window({ url });
  const doc = window.document as unknown as Document;
  doc.body.innerHTML = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)![1]!;
  return { doc, close: () => void window.happyDOM.close() };
}

export function readOnce(def: CustomSiteDef, doc: Document): ReaderSnapshot {
  const ac = new AbortController();
  let last: ReaderSnapshot | undefined;
  startReader(customSiteReader(def), { doc, signal: ac.signal, onSnapshot: (s) => (last = s) }).readNow();
  ac.abort();
  return last!;
}

/** The console fixture's definition: every value the reader needs is in an attribute or cut from text. */
export const CONSOLE: CustomSiteDef = {
  version: 2,
  id: 'console',
  name: '云客服',
  pattern: 'http://127.0.0.1:*/console/*',
  fields: {
    title: { css: '.conv-header .customer-name' },
    threadKey: { css: '.conv-header', attr: 'data-conv-id' },
    messageList: { css: '.timeline' },
    messageRow: { css: '.msg-row' },
    messageId: { css: '', attr: 'data-msg-id' },
    text: { css: '.msg-text' },
    time: { css: 'time', attr: 'datetime', format: 'iso' },
    wechat: { css: '.customer-wechat', re: '微信：(\\S+)' },
    email: { css: '.customer-email' },
  },
  direction: { kind: 'outgoingAttr', attr: 'data-direction', equals: 'out' },
};
