// Issue 14: a page could overwrite another site's reader health and store 10 MB health payloads.
// Through the router and the real handler, as a content script would send it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRouter, type SenderInfo } from '../../../lib/messaging/router';
import { createHandlers, type HandlerDeps } from '../../../entrypoints/background/handlers';
import { LiaisonDb } from '../../../lib/db/db';

const EXT_ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT_ID}/`;
const whatsappTab: SenderInfo = { id: EXT_ID, url: 'https://web.whatsapp.com/', tab: { id: 7, url: 'https://web.whatsapp.com/' } };
const page: SenderInfo = { id: EXT_ID, url: `${ORIGIN}options.html` };

let db: LiaisonDb;
beforeEach(() => {
  db = new LiaisonDb('t-' + crypto.randomUUID());
});
afterEach(async () => {
  await db.delete();
});

/** The router with a fresh set of the real handlers, on this test's database unless given another. */
function route(on: LiaisonDb = db) {
  const deps = { db: on, now: () => 1_764_900_000_000, changed: vi.fn(async () => undefined) } as unknown as HandlerDeps;
  return createRouter(createHandlers(deps), {
    extensionId: EXT_ID,
    extensionOrigin: ORIGIN,
    siteForUrl: (url) => (url.startsWith('https://web.whatsapp.com/') ? 'whatsapp' : url.startsWith('https://web.telegram.org/') ? 'telegram-k' : undefined),
  });
}

const health = (over: Record<string, unknown> = {}) => ({ site: 'whatsapp', ok: false, fields: { title: null }, missing: ['title'], issues: [], ...over });
const report = (h: unknown) => ({ liaison: 1, type: 'health.report', payload: { health: h } });

describe('health.report', () => {
  it('stores a page’s report of its own site, which options then shows', async () => {
    const r = route();
    expect(await r(report(health()), whatsappTab)).toMatchObject({ ok: true });
    const got = await r({ liaison: 1, type: 'health.get', payload: {} }, page);
    expect(got).toMatchObject({ ok: true, data: { sites: [expect.objectContaining({ site: 'whatsapp', missing: ['title'] })] } });
  });

  it('keeps the newest report in the memory of its own handlers only', async () => {
    // The worker makes one set of handlers. Another set, with a database of its own (the next
    // test file in the same vitest worker), starts with nothing: until 2026-12-07 the newest
    // report sat in a module-level map, and a test's demo report showed in another file's options.
    expect(await route()(report(health()), whatsappTab)).toMatchObject({ ok: true });
    const other = new LiaisonDb('t-' + crypto.randomUUID());
    try {
      expect(await route(other)({ liaison: 1, type: 'health.get', payload: {} }, page)).toEqual({ ok: true, data: { sites: [] } });
    } finally {
      await other.delete();
    }
  });

  it('refuses a report for another site, and stores nothing', async () => {
    const r = route();
    const reply = await r(report(health({ site: 'telegram-k', ok: true, missing: [] })), whatsappTab);
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await db.kv.where('key').startsWith('readerHealth:').count()).toBe(0);
  });

  it.each([
    ['a 10 MB field name', health({ fields: { ['f'.repeat(10 * 1024 * 1024)]: null } })],
    ['a 10 MB variant name', health({ fields: { title: 'v'.repeat(10 * 1024 * 1024) } })],
    ['100,000 fields', health({ fields: Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`f${i}`, null])) })],
    ['100,000 missing entries', health({ missing: Array.from({ length: 100_000 }, (_, i) => `f${i}`) })],
    ['a long site id', health({ site: 'w'.repeat(100_000) })],
  ])('refuses %s, and stores nothing', async (_label, h) => {
    const reply = await route()(report(h), whatsappTab);
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await db.kv.count()).toBe(0);
  });

  it('a page cannot read the health of every site', async () => {
    const reply = await route()({ liaison: 1, type: 'health.get', payload: {} }, whatsappTab);
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
