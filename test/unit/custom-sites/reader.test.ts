// The generic reader built from a user's definition, on the fixture chat page; the definition's
// validation (one site's pattern only); and the router's view of custom sites (the cache).
import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { customSiteReader } from '../../../lib/custom-sites/reader';
import { customSiteSchema } from '../../../lib/custom-sites/schema';
import { createCustomSiteCache, saveCustomSites } from '../../../lib/custom-sites/store';
import { originOf, type CustomSiteDef } from '../../../lib/custom-sites/definition';
import { startReader, type ReaderSnapshot } from '../../../lib/readers/runtime';
import { useDb } from '../customers/helpers';

const DEF: CustomSiteDef = {
  id: 'shop',
  name: '小店客服',
  pattern: 'http://127.0.0.1/custom-chat/*',
  selectors: { title: '.topbar .peer-name', messageList: '.thread', messageRow: '.msg', outgoing: '.mine', text: '.body', time: 'time', contact: '.topbar .peer-phone' },
};

function read(def: CustomSiteDef): ReaderSnapshot {
  const window = new Window({ url: 'http://127.0.0.1:5300/custom-chat/room' });
  const doc = window.document as unknown as Document;
  doc.body.innerHTML = /<body[^>]*>([\s\S]*)<\/body>/i.exec(readFileSync(new URL('../../fixtures/custom-site/chat.html', import.meta.url), 'utf8'))![1]!;
  const ac = new AbortController();
  let last: ReaderSnapshot | undefined;
  startReader(customSiteReader(def), { doc, signal: ac.signal, onSnapshot: (s) => (last = s) }).readNow();
  ac.abort();
  void window.happyDOM.close();
  return last!;
}

describe('customSiteReader', () => {
  it('reads the contact, phone, directions, texts and times from the user selectors', () => {
    const { conversation: c, health } = read(DEF);
    expect(health.ok).toBe(true);
    expect(c?.site).toBe('custom:shop');
    expect(c?.threadKey).toBe('139 1000 2233');
    expect(c?.contact).toEqual({ displayName: '赵敏', handles: { phones: ['139 1000 2233'], emails: [] } });
    expect(c?.messages.map((m) => [m.direction, m.text])).toEqual([
      ['in', '你好，想问下装修贷的利率'],
      ['out', '您好，目前年化 3.6% 起'],
      ['in', '好的，我预算 20 万，稍后联系'],
    ]);
    expect(c?.messages[0]?.at).toBe(Date.parse('2026-03-01T10:00:00+08:00'));
  });

  it('reports the page unreadable when a required selector matches nothing, and survives a bad selector', () => {
    const { conversation, health } = read({ ...DEF, selectors: { ...DEF.selectors, title: '.nope', contact: '[[bad' } });
    expect(conversation).toBeNull();
    expect(health.missing).toContain('title');
  });
});

describe('definitions', () => {
  it('accept one site pattern, never every host', () => {
    expect(customSiteSchema.safeParse(DEF).success).toBe(true);
    for (const pattern of ['<all_urls>', '*://*/*', 'https://*/*', 'chat.example.com', 'ftp://x.example/*']) {
      expect(customSiteSchema.safeParse({ ...DEF, pattern }).success, pattern).toBe(false);
    }
    expect(originOf('https://chat.example.com/app/*')).toBe('https://chat.example.com/*');
  });

  const h = useDb();
  it('are what the router accepts custom content-script senders by', async () => {
    await saveCustomSites(h.db, [DEF]);
    const cache = createCustomSiteCache(h.db);
    await cache.ready();
    expect(cache.siteFor('http://127.0.0.1:8080/custom-chat/room')).toBe('custom:shop');
    expect(cache.siteFor('http://127.0.0.1:8080/other')).toBeUndefined();
    expect(cache.byId('custom:shop')?.name).toBe('小店客服');
  });
});
