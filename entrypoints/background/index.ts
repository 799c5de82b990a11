// The background service worker: owns the database and the message router; everything else (the
// outbox, pulls, reminders, rules, imports, reports…) is its services (./services.ts), a chunk
// loaded on first use (lib/background-start/boundary.ts). Listeners are registered synchronously
// in main() so an event that wakes the worker is never missed; main() runs again on every worker
// start. A wake by one of the reads every surface asks first (./handlers-start.ts) is answered
// without the services; the housekeeping then loads them, after the waking event.
import { browser } from 'wxt/browser';
import { getDb } from '@/lib/db/db';
import { createRouter } from '@/lib/messaging/router';
import { siteIdForUrl } from '@/lib/readers/addresses';
import { ensureLocalConnection } from '@/lib/crm/local/bootstrap';
import { setSidebarFrames } from './broadcast';
import { createTabStates } from './tab-state';
import { registerLeadMenu } from './leads';
import { customSitePorts } from './custom-sites';
import { createStartHandlers, routeToServices } from './handlers-start';
import { createServices, type Services } from './services';
import { installChunks } from '@/lib/background-start/chunks';
import { provideShared } from '@/lib/background-start/shared';
import { deferHousekeeping } from './housekeeping';

/** A start with no event within this (the browser's own start, an install): the housekeeping goes. */
const HOUSEKEEPING_QUIET_MS = 200;
/** The waking event still running after this (a CRM call, an import): the housekeeping goes anyway. */
const HOUSEKEEPING_MAX_MS = 3000;
/** The events answered, no other within this: the housekeeping goes (a page's next question comes sooner). */
const HOUSEKEEPING_SETTLE_MS = 150;

export default defineBackground(() => {
  // The light start (lib/background-start): the services, vendors, pinyin and phone metadata are
  // chunks loaded on first use (the model's weights a data file); the chunks read the modules they
  // share with this bundle (Dexie, the database, the router…) from here.
  provideShared();
  installChunks();
  const db = getDb();
  const now = () => Date.now();
  // The local CRM's row is ensured at once: its one transaction is queued before any message's, so
  // a change on the first start after install still finds the local connection.
  const localConnection = ensureLocalConnection(db, now());
  // User-defined sites: the router must know them before the first message (siteForUrl is sync).
  const customSites = customSitePorts(db);
  // What each chat tab's content script reported, for the sidebar framed in that tab.
  const tabStates = createTabStates((forget) => browser.tabs.onRemoved.addListener(forget));
  setSidebarFrames(() => tabStates.sidebars());

  let loaded: Services | undefined;
  /** The services chunk, loaded (synchronously) and built on first use. */
  const services = (): Services => (loaded ??= createServices({ db, now, localConnection, customSites, tabStates }));
  /** A services' call as a promise: a chunk that cannot be loaded fails the event, not the listener. */
  const withServices = <T>(call: (s: Services) => T | Promise<T>): Promise<T> => Promise.resolve().then(() => call(services()));
  /** An event no one answers (an alarm, a click, back online): its failure is logged, never left unhandled. */
  const warn = (what: string) => (err: unknown) => console.warn(`[liaison] ${what}:`, err instanceof Error ? err.message : 'error');
  const housekeeping = deferHousekeeping(() => void withServices((s) => s.housekeep()).catch(warn('housekeeping')), {
    quietMs: HOUSEKEEPING_QUIET_MS,
    maxMs: HOUSEKEEPING_MAX_MS,
    settleMs: HOUSEKEEPING_SETTLE_MS,
  });

  const start = createStartHandlers({
    db,
    tabs: {
      states: tabStates,
      // The tab's top frame only: the chat page's content script, never a frame inside it.
      toContent: (tabId, event) => void browser.tabs.sendMessage(tabId, event, { frameId: 0 }).catch(() => undefined),
    },
    services: () => services().handlers,
  });
  const route = createRouter(routeToServices(start, () => services().handlers), {
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL('/'),
    // A user-defined site first: its pattern may sit on a host a built-in reader matches (loopback).
    // Else a user-defined site's origin: its script runs on the whole origin (a console that navigated in-app).
    siteForUrl: (url) => customSites.cache.siteFor(url) ?? siteIdForUrl(url) ?? customSites.cache.siteForOrigin(url),
    mapError(err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'invalid' || code === 'not-found' || code === 'forbidden' || code === 'conflict') {
        return { code, message: (err as Error).message };
      }
      return undefined;
    },
    onError(type, err) {
      // Never log payloads: they carry names, phones and messages.
      console.warn(`[liaison] ${type} failed:`, err instanceof Error ? err.name : 'error');
    },
  });

  browser.runtime.onMessage.addListener((message, sender) => {
    // Answer only our envelopes; returning undefined leaves other messages (change events) alone.
    if ((message as { liaison?: unknown; type?: unknown })?.liaison !== 1 || typeof (message as { type?: unknown }).type !== 'string') return undefined;
    return housekeeping.track(customSites.cache.ready().then(() => route(message, sender)));
  });
  // The page's context menu runs the popup's message, as if from an extension page.
  registerLeadMenu((tabId) => route({ liaison: 1, type: 'leads.extract', payload: { tabId, open: true } }, { id: browser.runtime.id, url: browser.runtime.getURL('/') }));
  browser.alarms.onAlarm.addListener((alarm) => void housekeeping.track(withServices((s) => s.onAlarm(alarm.name))).catch(warn(`alarm ${alarm.name}`)));
  // Back online: what waited for the network goes now (navigator.onLine=false is trustworthy, true is not; fetch outcomes decide).
  self.addEventListener('online', () => void withServices((s) => s.kickSync()).catch(warn('online')));
  browser.notifications.onButtonClicked?.addListener((id, index) => void housekeeping.track(withServices((s) => s.onNotificationButton(id, index))).catch(warn('notification button')));
  browser.notifications.onClicked.addListener((id) => void housekeeping.track(withServices((s) => s.onNotificationClick(id))).catch(warn('notification click')));
});
