// The messages the service worker's start answers itself, without loading its services
// (./services.ts, a chunk): the reads that every surface asks first when it opens (the options
// page, the popup and the sidebar read the settings and the connections; the sidebar asks for its
// tab's state, which a freshly started worker does not have yet). Each is the same lib/ call as its
// handler in ./handlers.ts; a sidebar.state for a tab the worker knows goes to the services.
import type { LiaisonDb } from '@/lib/db/db';
import type { Handlers } from '@/lib/messaging/router';
import { protocol, type ContentEvent, type MessageType } from '@/lib/messaging/protocol';
import { getSettings } from '@/lib/settings/store';
import { listConnections } from '@/lib/connections/list';
import { unseenTab, type TabStates } from './tab-state';

export interface StartHandlerDeps {
  db: LiaisonDb;
  tabs: { states: TabStates; toContent(tabId: number, event: ContentEvent): void };
  /** The services' handlers (loads them). */
  services(): Handlers;
}

export type StartHandlers = Partial<Handlers>;

export function createStartHandlers({ db, tabs, services }: StartHandlerDeps): StartHandlers {
  return {
    async 'settings.get'() {
      return getSettings(db);
    },
    async 'connection.list'() {
      return { connections: await listConnections(db) };
    },
    async 'sidebar.state'(payload, ctx) {
      const tabId = ctx.tabId ?? null;
      if (tabId === null || !tabs.states.get(tabId)) return unseenTab(tabId, tabs.toContent);
      return services()['sidebar.state'](payload, ctx);
    },
  };
}

/**
 * Every message type's handler: the start's own, else the services' (`services()` loads them on the
 * first such message). A services chunk that cannot be loaded fails that message, as an answer.
 */
export function routeToServices(start: StartHandlers, services: () => Handlers): Handlers {
  const later = (type: MessageType) => (payload: never, ctx: never) => Promise.resolve().then(() => (services()[type] as (p: never, c: never) => Promise<unknown>)(payload, ctx));
  return Object.fromEntries((Object.keys(protocol) as MessageType[]).map((type) => [type, start[type] ?? later(type)])) as Handlers;
}
