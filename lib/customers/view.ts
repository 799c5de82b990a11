// What the sidebar shows for a conversation. A full Conversation (the content script just
// read the page) goes through identity resolution; a bare {site, threadKey} (live refresh
// after a change) uses the stored mapping and the identity last observed in that chat.
import Dexie from 'dexie';
import {
  LOCAL_CONNECTION_ID,
  observedIdentitySchema,
  type Conversation,
  type Customer,
  type CustomerSummary,
  type CustomerView,
  type LinkView,
  type ObservedIdentity,
  type Settings,
} from '../model';
import type { ConvRef } from '../messaging/protocol';
import type { LiaisonDb } from '../db/db';
import { identityRow, observedKey, resolveConversation } from '../identity';
import { relaxedUnlessInTransaction } from '../db/relaxed';
import { activeReminder } from '../reminders/store';
import { getSettings } from '../settings/store';
import { localSpec } from '../crm/local/spec';
import { findSpec } from '../crm/registry';
import type { Localized } from '../crm/spec';

const RECENT_FOLLOW_UPS = 20;

/** Whether a CRM kind declares any read side (spec.capabilities.read). */
function readableKind(kind: string): boolean {
  const r = findSpec(kind)?.capabilities.read as { getCustomer: boolean; changes: string } | undefined;
  return !!r && (r.getCustomer || r.changes !== 'none');
}

/** Only for a link whose connection row is missing (normally the bootstrap writes the local one). */
function pick(names: Localized, language: Settings['language']): string {
  return names[language === 'en' ? 'en' : 'zh_CN'];
}

async function linkViews(db: LiaisonDb, customerId: string, settings: Settings): Promise<LinkView[]> {
  const links = await db.links.where('[customerId+connectionId]').between([customerId, Dexie.minKey], [customerId, Dexie.maxKey]).toArray();
  const views: LinkView[] = [];
  for (const l of links) {
    const conn = await db.connections.get(l.connectionId);
    const isLocal = l.connectionId === LOCAL_CONNECTION_ID;
    views.push({
      connectionId: l.connectionId,
      connectionName: conn?.name ?? (isLocal ? pick(localSpec.names, settings.language) : l.connectionId),
      kind: conn?.kind ?? (isLocal ? localSpec.id : 'unknown'),
      syncState: l.syncState,
      ...(l.remoteCode !== undefined ? { remoteCode: l.remoteCode } : {}),
      ...(l.remoteId !== undefined && !isLocal ? { remoteId: l.remoteId } : {}),
      ...(l.lastSyncedAt !== undefined ? { lastSyncedAt: l.lastSyncedAt } : {}),
      ...(l.lastError !== undefined ? { lastError: l.lastError } : {}),
      ...(l.pulledAt !== undefined ? { pulledAt: l.pulledAt } : {}),
      ...(!isLocal && conn ? { readable: readableKind(conn.kind) } : {}),
      ...(l.conflicts?.length ? { conflicts: l.conflicts } : {}),
      ...(l.warnings?.length ? { warnings: l.warnings } : {}),
    });
  }
  return views;
}

export interface ViewOptions {
  /**
   * Answer first, write after (issue 19): the writes a first sight makes (the chat → customer
   * mapping, the identity observed) are handed here, for the caller to run once the view is shown;
   * without it they are written before the view is built. Losing them costs a repeat lookup.
   */
  defer?: (write: () => Promise<unknown>) => void;
}

export async function buildCustomerView(db: LiaisonDb, conv: Conversation | ConvRef, now: number, opts: ViewOptions = {}): Promise<CustomerView> {
  // Read beside the resolution, not before it (issue 19: one round trip less before the answer).
  const settingsRead = getSettings(db);
  settingsRead.catch(() => undefined); // awaited below; not "unhandled" should resolving throw first
  let identity: ObservedIdentity;
  let customerId: string | undefined;
  let resolved: Customer | undefined;
  let candidates: CustomerSummary[] = [];

  if ('contact' in conv) {
    const r = await resolveConversation(db, conv, { now, ...(opts.defer ? { defer: opts.defer } : {}) });
    identity = r.identity;
    customerId = r.customerId;
    resolved = r.customer;
    candidates = r.candidates;
    // Kept so a bare-ref refresh of this chat still shows who it is with. Relaxed durability
    // (issue 19): on the path that shows the sidebar; a crash loses only this hint.
    const observe = () => relaxedUnlessInTransaction(db).kv.put({ key: observedKey(conv), value: identity });
    if (opts.defer) opts.defer(observe);
    else await observe();
  } else {
    const last = observedIdentitySchema.safeParse((await db.kv.get(observedKey(conv)))?.value);
    identity = last.success ? last.data : { displayName: '', phones: [], emails: [], isGroup: false };
    // A chat last seen under a weak key stays unlinked until its real key is read.
    if (!identity.weakKey) customerId = (await identityRow(db, conv.site, conv.threadKey))?.customerId;
  }

  const settings = await settingsRead;
  // The row the resolution read, unless it was written by a deferred step (not yet) or absent.
  const customer = customerId ? (resolved?.id === customerId ? resolved : await db.customers.get(customerId)) : undefined;
  const base = {
    site: conv.site,
    threadKey: conv.threadKey,
    identity,
    options: { stages: settings.stages, sources: settings.sources, products: settings.products, language: settings.language },
  };
  if (!customer) return { ...base, status: 'unknown', candidates, links: [], followUps: [], deals: [] };

  const [links, followUps, deals, reminder] = await Promise.all([
    linkViews(db, customer.id, settings),
    db.followUps
      .where('[customerId+at]')
      .between([customer.id, Dexie.minKey], [customer.id, Dexie.maxKey])
      .reverse()
      .limit(RECENT_FOLLOW_UPS)
      .toArray(),
    db.deals.where('customerId').equals(customer.id).sortBy('createdAt'),
    activeReminder(db, customer.id),
  ]);
  return {
    ...base,
    identity: identity.displayName ? identity : { ...identity, displayName: customer.name },
    status: 'known',
    candidates,
    customer,
    links,
    followUps,
    deals,
    ...(reminder ? { reminder } : {}),
  };
}
