// The service worker's start (entrypoints/background/handlers-start.ts, issue 19 item 4): the
// reads every surface asks first are answered without loading the services chunk; every other
// message loads it once; a chunk that cannot be loaded fails that message as an answer.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRouter, type Handlers, type SenderInfo } from '../../../lib/messaging/router';
import { protocol } from '../../../lib/messaging/protocol';
import { createStartHandlers, routeToServices } from '../../../entrypoints/background/handlers-start';
import { createTabStates } from '../../../entrypoints/background/tab-state';
import { LiaisonDb } from '../../../lib/db/db';
import { ensureLocalConnection } from '../../../lib/crm/local/bootstrap';

const EXT_ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT_ID}/`;
const page: SenderInfo = { id: EXT_ID, url: `${ORIGIN}options.html` };
const sidebarIn = (tabId: number): SenderInfo => ({ id: EXT_ID, url: `${ORIGIN}sidebar.html`, tab: { id: tabId, url: 'https://web.whatsapp.com/' }, frameId: 3 });

let db: LiaisonDb;
beforeEach(async () => {
  db = new LiaisonDb('t-' + crypto.randomUUID());
  await ensureLocalConnection(db, 1);
});
afterEach(async () => {
  await db.delete();
});

function setUp(services: () => Handlers) {
  const tabs = createTabStates();
  const toContent = vi.fn();
  const loads = vi.fn(services);
  const start = createStartHandlers({ db, tabs: { states: tabs, toContent }, services: loads });
  const route = createRouter(routeToServices(start, loads), { extensionId: EXT_ID, extensionOrigin: ORIGIN, siteForUrl: () => undefined });
  return { route, loads, tabs, toContent };
}

const servicesAnswering = (answers: Partial<Record<keyof Handlers, unknown>>) => () =>
  new Proxy({} as Handlers, { get: (_t, type: string) => async () => (type in answers ? answers[type as keyof Handlers] : Promise.reject(new Error(`services: ${type} not expected`))) });

describe("the worker's start", () => {
  it('answers the settings, the connections and an unseen tab\'s sidebar without loading the services', async () => {
    const { route, loads, toContent } = setUp(servicesAnswering({}));
    expect(await route({ liaison: 1, type: 'settings.get', payload: {} }, page)).toMatchObject({ ok: true, data: { pullMinutes: expect.any(Number) } });
    expect(await route({ liaison: 1, type: 'connection.list', payload: {} }, page)).toMatchObject({ ok: true, data: { connections: [expect.objectContaining({ id: 'local', storedSecrets: [] })] } });
    expect(await route({ liaison: 1, type: 'sidebar.state', payload: {} }, sidebarIn(9))).toEqual({ ok: true, data: { tabId: 9, seq: 0, conv: null, view: null, health: null } });
    // The forgotten tab's content script is asked to report again.
    expect(toContent).toHaveBeenCalledWith(9, { liaison: 1, event: 'reader.reobserve' });
    expect(loads).not.toHaveBeenCalled();
  });

  it("hands a known tab's sidebar and every other message to the services", async () => {
    const view = { tabId: 4, seq: 7, conv: null, view: null, health: null };
    const { route, loads, tabs } = setUp(servicesAnswering({ 'sidebar.state': view, 'dashboard.get': { due: [] } }));
    tabs.set(4, { conversation: null, health: null, url: 'https://web.whatsapp.com/' });
    expect(await route({ liaison: 1, type: 'sidebar.state', payload: {} }, sidebarIn(4))).toEqual({ ok: true, data: view });
    expect(await route({ liaison: 1, type: 'dashboard.get', payload: {} }, page)).toEqual({ ok: true, data: { due: [] } });
    expect(loads).toHaveBeenCalledTimes(2);
  });

  it('routes every message type of the protocol', () => {
    const handlers = routeToServices({}, servicesAnswering({}));
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(protocol).sort());
  });

  it('answers with an error when the services chunk cannot be loaded, and the start keeps answering', async () => {
    const { route } = setUp(() => {
      throw new Error('background chunk "services": background-services.js did not define it');
    });
    expect(await route({ liaison: 1, type: 'dashboard.get', payload: {} }, page)).toEqual({ ok: false, error: { code: 'internal', message: expect.stringMatching(/did not define it/) } });
    expect(await route({ liaison: 1, type: 'settings.get', payload: {} }, page)).toMatchObject({ ok: true });
  });
});

describe('the chat tabs the worker knows', () => {
  it('subscribe to tabs closing once, at the first report, and forget a closed tab', () => {
    const watch = vi.fn();
    const tabs = createTabStates(watch);
    expect(watch).not.toHaveBeenCalled();
    tabs.set(4, { url: 'https://web.whatsapp.com/' });
    tabs.set(5, { url: 'https://web.whatsapp.com/' });
    expect(watch).toHaveBeenCalledTimes(1);
    const closed = watch.mock.calls[0]![0] as (tabId: number) => void;
    closed(4);
    expect(tabs.get(4)).toBeUndefined();
    expect(tabs.get(5)).toBeDefined();
  });
});
