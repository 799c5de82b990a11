// The reader registry: URL matching, and a meta-test that every registered reader follows the
// conventions (a saved fixture per selector variant, a broken page, valid match patterns).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { matchesPattern, readerForUrl, readers } from '../../../lib/readers/registry';
import { SITE_ADDRESSES, siteIdForUrl } from '../../../lib/readers/addresses';
import { startReader } from '../../../lib/readers/runtime';
import type { ReaderSnapshot } from '../../../lib/readers/runtime';
import { REQUIRED_FIELDS } from '../../../lib/readers/types';
import type { SiteReader } from '../../../lib/readers/types';
import { FIXTURES, openFixture } from './fixture-dom';
import type { Page } from './fixture-dom';

describe('matchesPattern', () => {
  it.each([
    ['http://127.0.0.1/*', 'http://127.0.0.1:5300/#/chat/u_1', true],
    ['http://127.0.0.1/*', 'https://127.0.0.1/', false],
    ['*://web.whatsapp.com/*', 'https://web.whatsapp.com/', true],
    ['*://web.whatsapp.com/*', 'ftp://web.whatsapp.com/', false],
    ['*://web.whatsapp.com/*', 'https://web.whatsapp.com.evil.com/', false],
    ['https://*.feishu.cn/messenger/*', 'https://acme.feishu.cn/messenger/', true],
    ['https://*.feishu.cn/messenger/*', 'https://feishu.cn/messenger/x', true],
    ['https://*.feishu.cn/messenger/*', 'https://acme.feishu.cn/docs/', false],
    ['https://*.feishu.cn/messenger/*', 'https://evilfeishu.cn/messenger/', false],
    ['https://web.telegram.org/k/*', 'https://web.telegram.org/k/#@alice', true],
    ['https://web.telegram.org/k/*', 'https://web.telegram.org/a/', false],
    ['https://www.linkedin.com/messaging/*', 'https://www.linkedin.com/messaging/thread/2-abc/?x=1', true],
    ['<all_urls>', 'https://example.com/', true],
    ['<all_urls>', 'chrome://extensions/', false],
    ['not a pattern', 'https://example.com/', false],
    ['https://example.com/*', 'not a url', false],
  ])('%s vs %s → %s', (pattern, url, expected) => {
    expect(matchesPattern(pattern, url)).toBe(expected);
  });
});

describe('the sites\' addresses (lib/readers/addresses.ts, what the service worker\'s start reads)', () => {
  it('list every reader, in the registry\'s order, with the reader\'s own patterns', () => {
    expect(SITE_ADDRESSES.map(([id]) => id)).toEqual(readers.map((r) => r.id));
    for (const r of readers) {
      const a = SITE_ADDRESSES.find(([id]) => id === r.id)![1];
      expect(r.matches).toEqual(a.matches);
      expect(r.spa?.injectOn).toEqual('spa' in a ? a.spa.injectOn : undefined);
    }
  });

  it('name the same site as the reader registry for chat pages, pages a single-page app starts on, and others', () => {
    for (const url of [
      'http://127.0.0.1:5300/#/chat/u_1',
      'https://web.whatsapp.com/',
      'https://web.telegram.org/k/#@alice',
      'https://web.telegram.org/a/#123',
      'https://web.telegram.org/',
      'https://acme.feishu.cn/next/messenger/',
      'https://acme.feishu.cn/docs/x',
      'https://www.linkedin.com/feed/',
      'https://www.linkedin.com/messaging/thread/2-abc/',
      'https://example.com/',
    ]) expect(siteIdForUrl(url)).toBe(readerForUrl(url)?.id);
    expect(siteIdForUrl('https://www.linkedin.com/feed/')).toBe('linkedin');
    expect(siteIdForUrl('https://example.com/')).toBeUndefined();
  });
});

describe('readerForUrl', () => {
  it('finds the demo reader on the demo server, on any port', () => {
    expect(readerForUrl('http://127.0.0.1:5300/#/chat/u_8613800138000')?.id).toBe('demo');
    expect(readerForUrl('http://localhost:41234/')?.id).toBe('demo');
  });
  it('finds none elsewhere', () => {
    expect(readerForUrl('https://example.com/')).toBeUndefined();
  });
});

/** Every variant name a reader declares, over all its fields. */
function variantNames(reader: SiteReader): string[] {
  const names = new Set<string>();
  for (const variants of Object.values(reader.selectors)) for (const v of variants ?? []) names.add(v.name);
  return [...names].sort();
}

/**
 * The page facts a site's own code hands over on this saved page (WhatsApp's main-world bridge),
 * saved beside it as <name>.facts.json (a unit test checks they equal what the bridge reads).
 */
function savedFacts(site: string, name: string): Record<string, string> | undefined {
  const file = `${FIXTURES}${site}/${name}.facts.json`;
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : undefined;
}

function readPage(reader: SiteReader, page: Page, facts?: Record<string, string>): ReaderSnapshot {
  const ac = new AbortController();
  let snap: ReaderSnapshot | undefined;
  const r = startReader(reader, { doc: page.doc, signal: ac.signal, onSnapshot: (s) => (snap = s), ...(facts ? { pageFacts: () => facts } : {}) });
  r.readNow();
  ac.abort();
  if (!snap) throw new Error('no snapshot');
  return snap;
}

describe('meta: every registered reader', () => {
  const pages: Page[] = [];
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.close();
  });

  it('has unique ids', () => {
    const ids = readers.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  describe.each(readers.map((r) => [r.id, r] as const))('%s', (id, reader) => {
    it('declares valid match patterns that select it', () => {
      expect(reader.matches.length).toBeGreaterThan(0);
      for (const p of reader.matches) expect(p).toMatch(/^(\*|https?|file):\/\/(\*|\*\.[^/*]+|[^/*]+)\/.*$/);
    });

    // A thread key may come from the address only (LinkedIn since 2026-03): then no selector, and
    // every saved page must be read through the address ('url', checked with the fixtures below).
    const fromPage = (f: string) => f !== 'threadKey' || (reader.selectors.threadKey?.length ?? 0) > 0;
    it('declares every required field and a dock container', () => {
      for (const f of REQUIRED_FIELDS.filter(fromPage)) expect(reader.selectors[f]?.length ?? 0, f).toBeGreaterThan(0);
      expect(reader.selectors.messageRow?.length ?? 0).toBeGreaterThan(0);
      expect(reader.layout.container.length).toBeGreaterThan(0);
    });

    it('has at least two variants for each required field (a fallback)', () => {
      for (const f of REQUIRED_FIELDS.filter(fromPage)) expect(reader.selectors[f]?.length ?? 0, f).toBeGreaterThanOrEqual(2);
    });

    it.each(variantNames(reader))(`has test/fixtures/sites/${id}/%s.html, read with that variant`, (name) => {
      expect(existsSync(`${FIXTURES}${id}/${name}.html`)).toBe(true);
      const page = openFixture(id, name);
      pages.push(page);
      const { conversation, health } = readPage(reader, page, savedFacts(id, name));
      expect(health.ok, JSON.stringify(health.issues)).toBe(true);
      expect(conversation?.messages.length ?? 0).toBeGreaterThan(0);
      // Each required field that has a variant of this name must be read through it.
      for (const f of REQUIRED_FIELDS) {
        if (reader.selectors[f]?.some((v) => v.name === name)) expect(health.fields[f], f).toBe(name);
      }
      if (!fromPage('threadKey')) expect(health.fields.threadKey, 'threadKey from the address').toBe('url');
    });

    it(`has test/fixtures/sites/${id}/broken.html, reported as unreadable`, () => {
      expect(existsSync(`${FIXTURES}${id}/broken.html`)).toBe(true);
      const page = openFixture(id, 'broken');
      pages.push(page);
      const { conversation, health } = readPage(reader, page);
      expect(conversation).toBeNull();
      expect(health.ok).toBe(false);
    });
  });
});

/** Every saved page of every site: site folder × file name (without .html). */
function allFixtures(): [string, string][] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(`${FIXTURES}${d.name}`).filter((f) => f.endsWith('.html')).map((f) => [d.name, f.slice(0, -5)] as [string, string]));
}

describe('meta: honest health (every reader on every saved page)', () => {
  const fixtures = allFixtures();
  const pages: Page[] = [];
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.close();
  });

  it('has saved pages to run on', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(readers.length * 2);
  });

  describe.each(readers.map((r) => [r.id, r] as const))('%s', (_id, reader) => {
    it.each(fixtures)('never says ok without message text on %s/%s', (site, name) => {
      const page = openFixture(site, name);
      pages.push(page);
      const { conversation, health } = readPage(reader, page, savedFacts(site, name));
      if (!health.ok) {
        // Not ok must say why.
        expect(health.issues.length + health.missing.length, JSON.stringify(health)).toBeGreaterThan(0);
        return;
      }
      expect(health.issues).toEqual([]);
      expect(conversation, 'ok with no conversation').not.toBeNull();
      const texts = conversation!.messages.map((m) => m.text.trim()).filter(Boolean);
      expect(texts.length, `${reader.id} on ${site}/${name}: ok with no message text`).toBeGreaterThan(0);
    });
  });
});
