// A team on one CRM (issue 15), the background's side: an unknown contact searched live in the
// connected CRMs; a CRM record linked to the chat (its fields, code, history come in, nothing is
// created twice); stale customers read back when their chat opens; the periodic pull; conflicts
// restored or dismissed. Adapters come from the caller (the background's cache), so this module
// holds no credentials and no browser API.
import Dexie from 'dexie';
import type { LiaisonDb } from '../db/db';
import { samePhone } from '../phone/same';
import { LOCAL_CONNECTION_ID, customerSchema, linkSchema, type Connection, type Customer, type ObservedIdentity, type RemoteCandidate } from '../model';
import { CrmError, type CrmAdapter, type CustomerQuery, type RemoteCustomer, type RemoteCustomerRecord } from '../crm/port';
import { findSpec } from '../crm/registry';
import { allocateCode, compact } from '../crm/local/adapter';
import { linkConversation } from '../identity';
import { getSettings } from '../settings/store';
import { setNextFollowUp } from '../reminders/store';
import { deriveSearchKeys } from '../search/keys';
import { connectionsForNewCustomer, outboxEntry, remoteConnections, supports } from '../customers/sync';
import { updateCustomer } from '../customers/update';
import { NotFoundError, ValidationError } from '../customers/errors';
import { createTtlMemo } from '../crm/ttl-memo';
import { normalize } from './merge';
import { canPull, importDeals, importFollowUps, pullConnection, pullCustomer, type ConnectionPullReport, type PullDeps } from './pull';
import type { ConvRef } from '../messaging/protocol';
import { pullTickets, TICKET_STALE_MS, type TicketPullReport } from './ticket-pull';

/** A customer's data older than this is read again when their chat opens. */
export const STALE_MS = 60_000;
const CANDIDATE_CACHE_MS = 60_000;

export interface TeamDeps {
  db: LiaisonDb;
  now(): number;
  adapterFor(connection: Connection): CrmAdapter | undefined;
  /** Data changed: refresh the open surfaces, reschedule reminders. */
  changed(tables: string[]): Promise<void>;
  /** Queued outbox rows: send soon. */
  kick(): void;
}

const errorText = (e: unknown) => (e instanceof CrmError ? `${e.kind}: ${e.message}` : e instanceof Error ? e.message : 'error').slice(0, 300);

export function createTeam(deps: TeamDeps) {
  const { db } = deps;
  const memo = createTtlMemo<string, RemoteCustomer[]>(deps.now, CANDIDATE_CACHE_MS);
  const inFlight = new Map<string, Promise<unknown>>();
  const lastTried = new Map<string, number>();
  /** The candidates last offered, by "<connection> <remote id>" (for CRMs without getCustomer). */
  const seen = new Map<string, RemoteCustomer>();

  const pullDeps = (connection: Connection, adapter: CrmAdapter): PullDeps => ({ db, connection, adapter, now: deps.now });

  async function searchable(): Promise<{ connection: Connection; adapter: CrmAdapter }[]> {
    const out = [];
    for (const c of await remoteConnections(db)) {
      if ((findSpec(c.kind)?.capabilities.findCustomers as boolean | undefined) === false) continue;
      const adapter = deps.adapterFor(c);
      if (adapter) out.push({ connection: c, adapter });
    }
    return out;
  }

  /** The phones and emails read from the chat, each a query (vendors OR keys poorly: one key per call). */
  function queriesOf(identity: ObservedIdentity): CustomerQuery[] {
    const qs: CustomerQuery[] = [];
    for (const phone of identity.phones.slice(0, 2)) qs.push({ phone });
    for (const email of identity.emails.slice(0, 1)) qs.push({ email });
    return qs;
  }

  async function candidates(identity: ObservedIdentity) {
    const found: RemoteCandidate[] = [];
    const searched: { connectionId: string; connectionName: string; ok: boolean; error?: string }[] = [];
    const queries = queriesOf(identity);
    if (queries.length === 0 || identity.isGroup) return { candidates: found, searched };
    for (const { connection, adapter } of await searchable()) {
      try {
        const hits = new Map<string, RemoteCustomer>();
        for (const q of queries) {
          const key = `${connection.id}\u0000${JSON.stringify(q)}`;
          // Cached a minute: the sidebar re-renders, the user switches back and forth.
          const rows = await memo.get(key, () => adapter.findCustomers(q));
          for (const r of rows) {
            const prev = hits.get(r.remoteId);
            hits.set(r.remoteId, prev ? { ...prev, matchedBy: [...new Set([...prev.matchedBy, ...r.matchedBy])] } : r);
          }
        }
        for (const r of hits.values()) {
          // Vendor searches may be fuzzy: keep what really matches the chat's phone or email.
          const phoneHit = r.phones.some((p) => identity.phones.some((mine) => samePhone(p, mine)));
          const emailHit = !!r.email && identity.emails.some((e) => e.toLowerCase() === r.email!.toLowerCase());
          if (!phoneHit && !emailHit) continue;
          seen.set(`${connection.id} ${r.remoteId}`, r);
          const linked = await db.links.where('[connectionId+remoteId]').equals([connection.id, r.remoteId]).first();
          const f = r.fields ?? {};
          found.push({
            connectionId: connection.id,
            connectionName: connection.name,
            kind: connection.kind,
            remoteId: r.remoteId,
            ...(r.remoteCode ? { remoteCode: r.remoteCode } : {}),
            name: r.name,
            phones: r.phones,
            ...(r.email ? { email: r.email } : {}),
            ...(r.company ? { company: r.company } : {}),
            matchedBy: [...new Set([...(phoneHit ? ['phone'] : []), ...(emailHit ? ['email'] : [])])],
            ...(typeof f.stage === 'string' ? { stage: f.stage } : {}),
            ...(typeof f.grade === 'string' ? { grade: f.grade } : {}),
            ...(typeof f.owner === 'string' ? { owner: f.owner } : {}),
            ...(linked ? { localCustomerId: linked.customerId } : {}),
          });
        }
        searched.push({ connectionId: connection.id, connectionName: connection.name, ok: true });
      } catch (err) {
        searched.push({ connectionId: connection.id, connectionName: connection.name, ok: false, error: errorText(err) });
      }
    }
    return { candidates: found, searched };
  }

  /** Link the chat to a CRM record: an existing local customer, or a new one made from the record. */
  async function linkRemote(conv: ConvRef, connectionId: string, remoteId: string): Promise<Customer> {
    const connection = await db.connections.get(connectionId);
    if (!connection || !connection.enabled) throw new NotFoundError(`连接不存在或已停用 / no such connection: ${connectionId}`);
    const adapter = deps.adapterFor(connection);
    if (!adapter) throw new ValidationError(`无法连接 ${connection.name} / ${connection.name} has no adapter`);
    const now = deps.now();
    const already = await db.links.where('[connectionId+remoteId]').equals([connectionId, remoteId]).first();
    if (already) {
      await linkConversation(db, conv, already.customerId, now);
      const c = await db.customers.get(already.customerId);
      if (!c) throw new NotFoundError(`客户不存在 / no such customer: ${already.customerId}`);
      await deps.changed(['identities', 'customers']);
      return c;
    }
    // The record itself, not a search line: its fields, code and marker become the base.
    let record: RemoteCustomerRecord | null | undefined;
    if (adapter.getCustomer) record = await adapter.getCustomer(remoteId);
    else {
      // A CRM without a read of one record: the search line the user just clicked is all there is.
      const hit = seen.get(`${connectionId} ${remoteId}`);
      if (hit) record = { remoteId: hit.remoteId, ...(hit.remoteCode ? { remoteCode: hit.remoteCode } : {}), fields: { name: hit.name, phones: hit.phones, ...(hit.email ? { email: hit.email } : {}), ...(hit.company ? { company: hit.company } : {}), ...(hit.fields ?? {}) } };
    }
    if (!record) throw new NotFoundError(`${connection.name} 中已找不到该客户 / ${connection.name} no longer has this customer`);
    const settings = await getSettings(db);
    const f = record.fields;
    const name = typeof f.name === 'string' && f.name.trim() ? f.name.trim() : undefined;
    if (!name) throw new ValidationError(`${connection.name} 中的客户没有名称 / the customer in ${connection.name} has no name`);
    const id = crypto.randomUUID();
    const remoteCode = record.remoteCode || (typeof f.code === 'string' ? f.code : undefined);
    const codeMaster = connection.settings.codeMaster === true;
    const base: Record<string, ReturnType<typeof normalize>> = {};
    for (const [k, v] of Object.entries(f)) if (v !== undefined) base[k] = normalize(k, v);
    const stage = typeof f.stage === 'string' && f.stage.trim() ? f.stage.trim() : (settings.stages[0] ?? '新客户');

    const tables = [db.customers, db.counters, db.kv, db.identities, db.links, db.outbox, db.connections, db.reminders];
    const customer = await db.transaction('rw', tables, async () => {
      // A second click (or a colleague's record linked meanwhile from another chat) links, never duplicates.
      const again = await db.links.where('[connectionId+remoteId]').equals([connectionId, remoteId]).first();
      if (again) {
        await linkConversation(db, conv, again.customerId, now);
        return (await db.customers.get(again.customerId))!;
      }
      const code = codeMaster && remoteCode ? remoteCode : await allocateCode(db, settings.codeFormat, now);
      const row = customerSchema.parse(
        compact({
          id,
          code,
          name,
          company: str(f.company),
          phones: Array.isArray(f.phones) ? f.phones.slice(0, 20) : [],
          wechatId: str(f.wechatId),
          email: str(f.email),
          source: str(f.source),
          product: str(f.product),
          amount: typeof f.amount === 'number' && f.amount >= 0 ? f.amount : undefined,
          intentLevel: f.intentLevel ?? undefined,
          stage,
          grade: str(f.grade),
          tags: Array.isArray(f.tags) ? f.tags.slice(0, 50) : [],
          owner: str(f.owner),
          keyword: str(f.keyword),
          notes: str(f.notes),
          createdAt: now,
          updatedAt: now,
          searchKeys: [],
        }),
      );
      row.searchKeys = deriveSearchKeys(row);
      await db.customers.add(row);
      await db.links.put(linkSchema.parse({ customerId: id, connectionId: LOCAL_CONNECTION_ID, remoteId: id, remoteCode: code, syncState: 'synced', lastSyncedAt: now }));
      await db.links.put(
        linkSchema.parse({
          customerId: id,
          connectionId,
          remoteId,
          ...(remoteCode ? { remoteCode } : {}),
          syncState: 'synced',
          lastSyncedAt: now,
          pulledAt: now,
          base,
          ...(record.marker ? { marker: record.marker } : {}),
        }),
      );
      await linkConversation(db, conv, id, now);
      if (typeof f.nextFollowUpAt === 'number') {
        await setNextFollowUp(db, id, f.nextFollowUpAt, now);
        const r = await db.reminders.where('customerId').equals(id).filter((x) => x.state !== 'done').first();
        if (r) await db.reminders.put({ ...r, source: connectionId });
      }
      // The other CRMs the routing strategy sends new customers to get it too; never the one it came from.
      for (const c of await connectionsForNewCustomer(db)) {
        if (c.id === connectionId || !supports(c, 'createCustomer')) continue;
        await db.links.put(linkSchema.parse({ customerId: id, connectionId: c.id, syncState: 'pending' }));
        await db.outbox.add(outboxEntry('customer.create', { table: 'customers', id }, c.id, now));
      }
      return (await db.customers.get(id))!;
    });
    // The history, outside the transaction (network). A failure here leaves the link in place; the next pull retries.
    if (customer.id === id) {
      const d = pullDeps(connection, adapter);
      try {
        if (adapter.listFollowUps) await importFollowUps(d, id, await adapter.listFollowUps(remoteId, { limit: 50 }));
        if (adapter.listDeals) await importDeals(d, id, await adapter.listDeals(remoteId, { limit: 50 }));
      } catch (err) {
        console.warn('[liaison] history of a linked customer:', err instanceof Error ? err.name : 'error');
      }
    }
    deps.kick();
    await deps.changed(['customers', 'identities', 'links', 'followUps', 'deals', 'reminders', 'outbox']);
    return customer;
  }


  /** Read a customer back from every CRM that can be read, now, and their open tickets' status. Errors per connection, never thrown. */
  async function pullNow(customerId: string, opts: { history: boolean } = { history: true }): Promise<string[]> {
    return [...(await pullLinks(customerId, opts)), ...(await customerTickets(customerId, 0))];
  }

  async function pullLinks(customerId: string, opts: { history: boolean }): Promise<string[]> {
    const errors: string[] = [];
    const links = await db.links.where('[customerId+connectionId]').between([customerId, Dexie.minKey], [customerId, Dexie.maxKey]).toArray();
    let changedAny = false;
    for (const l of links) {
      if (l.connectionId === LOCAL_CONNECTION_ID || !l.remoteId) continue;
      const connection = await db.connections.get(l.connectionId);
      const adapter = connection ? deps.adapterFor(connection) : undefined;
      if (!connection || !canPull(connection, adapter)) continue;
      const key = `${customerId} ${connection.id}`;
      const run = inFlight.get(key) ?? pullCustomer(pullDeps(connection, adapter), customerId, opts).finally(() => inFlight.delete(key));
      inFlight.set(key, run);
      lastTried.set(key, deps.now());
      try {
        await run;
        changedAny = true;
      } catch (err) {
        errors.push(`${connection.name}: ${errorText(err)}`);
      }
    }
    if (changedAny) {
      deps.kick();
      await deps.changed(['customers', 'links', 'followUps', 'deals', 'reminders']);
    }
    return errors;
  }

  /**
   * The customer's open tickets read back from every connection that holds one and can read
   * tickets (getTicket), when their status is older than staleMs. Errors per connection.
   */
  async function customerTickets(customerId: string, staleMs: number): Promise<string[]> {
    const tickets = await db.tickets.where('customerId').equals(customerId).toArray();
    const holders = new Set(tickets.flatMap((t) => t.places.filter((p) => p.remoteId && p.connectionId !== LOCAL_CONNECTION_ID).map((p) => p.connectionId)));
    const errors: string[] = [];
    let changed = false;
    for (const id of holders) {
      const connection = await db.connections.get(id);
      const adapter = connection ? deps.adapterFor(connection) : undefined;
      if (!connection || !adapter?.getTicket) continue;
      const key = `tickets ${customerId} ${id}`;
      const run = (inFlight.get(key) as Promise<TicketPullReport> | undefined) ?? pullTickets({ db, connection, adapter, now: deps.now }, { customerId, staleMs }).finally(() => inFlight.delete(key));
      inFlight.set(key, run);
      try {
        const r = await run;
        if (r.changed > 0) changed = true;
        if (r.error) errors.push(`${connection.name}: ${r.error}`);
      } catch (err) {
        errors.push(`${connection.name}: ${errorText(err)}`);
      }
    }
    if (changed) await deps.changed(['tickets']);
    return errors;
  }

  /** A chat opened: read its customer back if the data is older than a minute (never more than once a minute per CRM). */
  async function pullIfStale(customerId: string): Promise<void> {
    const now = deps.now();
    const links = await db.links.where('[customerId+connectionId]').between([customerId, Dexie.minKey], [customerId, Dexie.maxKey]).toArray();
    const stale = links.some((l) => {
      if (l.connectionId === LOCAL_CONNECTION_ID || !l.remoteId) return false;
      const tried = lastTried.get(`${customerId} ${l.connectionId}`) ?? 0;
      return now - Math.max(l.pulledAt ?? 0, tried) > STALE_MS;
    });
    if (stale) await pullLinks(customerId, { history: true });
    await customerTickets(customerId, TICKET_STALE_MS);
  }

  /** The periodic pull (alarm): every connection that can be read. */
  async function pullAll(): Promise<Record<string, ConnectionPullReport>> {
    const out: Record<string, ConnectionPullReport> = {};
    let changedAny = false;
    let followUps = false;
    for (const connection of await remoteConnections(db)) {
      const adapter = deps.adapterFor(connection);
      if (!canPull(connection, adapter)) continue;
      const r = await pullConnection(pullDeps(connection, adapter));
      out[connection.id] = r;
      if (r.applied > 0) changedAny = true;
      if (r.followUps > 0) followUps = true;
    }
    if (changedAny || followUps) {
      if (changedAny) deps.kick();
      await deps.changed(['customers', 'links', 'reminders', ...(followUps ? ['followUps'] : [])]);
    }
    // Open tickets' status, from every connection that reads tickets (trackers and help desks have no customers to pull).
    let tickets = false;
    for (const connection of await remoteConnections(db)) {
      const adapter = deps.adapterFor(connection);
      if (!adapter?.getTicket) continue;
      const r = await pullTickets({ db, connection, adapter, now: deps.now }, { staleMs: TICKET_STALE_MS });
      if (r.changed > 0) tickets = true;
    }
    if (tickets) await deps.changed(['tickets']);
    return out;
  }

  async function restoreConflict(customerId: string, connectionId: string, field: string, at: number): Promise<Customer> {
    const link = await db.links.get([customerId, connectionId]);
    const conflict = link?.conflicts?.find((c) => c.field === field && c.at === at);
    if (!link || !conflict) throw new NotFoundError('没有这条冲突记录 / no such conflict');
    const value = conflict.replacedValue;
    const patch: Record<string, unknown> = {};
    if (field === 'nextFollowUpAt') patch.nextFollowUpAt = typeof value === 'number' ? value : null;
    else if (field === 'amount') patch.amount = typeof value === 'number' ? value : null;
    else if (field === 'intentLevel') patch.intentLevel = value ?? null;
    else if (field === 'phones' || field === 'tags') patch[field] = Array.isArray(value) ? value : [];
    else if (field === 'code') throw new ValidationError('客户编号由 CRM 分配，不能恢复 / the code is assigned by the CRM');
    else patch[field] = value === null ? '' : String(value);
    // An edit like the user's own: queued for every CRM that holds the customer (the base makes it a one-field update).
    const customer = await updateCustomer(db, customerId, patch, deps.now());
    await dismissConflict(customerId, connectionId, field);
    deps.kick();
    return customer;
  }

  async function dismissConflict(customerId: string, connectionId: string, field?: string): Promise<void> {
    await db.transaction('rw', db.links, async () => {
      const link = await db.links.get([customerId, connectionId]);
      if (!link?.conflicts) return;
      const rest = field ? link.conflicts.filter((c) => c.field !== field) : [];
      const next = { ...link };
      if (rest.length > 0) next.conflicts = rest;
      else delete next.conflicts;
      await db.links.put(linkSchema.parse(next));
    });
    await deps.changed(['links']);
  }

  return { candidates, linkRemote, pullNow, pullIfStale, pullAll, restoreConflict, dismissConflict };
}
export type Team = ReturnType<typeof createTeam>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

