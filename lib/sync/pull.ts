// The pull: remote changes come back from the CRMs (issue 15). Two entry points:
// - pullCustomer: one linked customer (a conversation opened with data older than 60 s, a
//   candidate just linked, an update refused as a conflict): its record, merged three-way with
//   the link's base, and its follow-ups and deals written by others.
// - pullConnection: the periodic alarm. Where the CRM filters on modification time
//   (spec.capabilities.read.changes 'modified-filter') it asks for the records modified since
//   the connection's watermark, a page at a time; otherwise it reads the customers active in the
//   last 30 days one by one, least recently read first, within a per-run cap.
//
// Adapter calls happen OUTSIDE Dexie transactions (a fetch would let one commit early); each
// record is applied in its own short transaction that re-reads the customer and the link, so a
// local edit made while the CRM was being read is merged, not overwritten. A pull keeps no
// state that matters in memory: watermark and read times are in the database, so a service
// worker killed mid-pull loses nothing (the next pull re-reads from the stored watermark).
import type { LiaisonDb } from '../db/db';
import { DEAL_STATUSES, FOLLOW_UP_METHODS, LOCAL_CONNECTION_ID, dealSchema, followUpSchema, linkSchema, remoteRefKey, type Connection, type Customer, type Deal, type FollowUp, type Link } from '../model';
import { CrmError, type CrmAdapter, type RemoteCustomerRecord, type RemoteDeal, type RemoteFollowUp } from '../crm/port';
import { findSpec } from '../crm/registry';
import type { ReadCapabilities } from '../crm/spec';
import { outboxEntry, supports } from '../customers/sync';
import { setNextFollowUp } from '../reminders/store';
import { deriveSearchKeys } from '../search/keys';
import { appendStageChange } from '../stats/stage-log';
import { loadGate, saveGate } from './gate';
import { mergeCustomer, normalize, type ConflictRule } from './merge';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Re-read this much before the watermark: records modified in the same instant as the last one seen. */
const WATERMARK_OVERLAP_MS = 2_000;
/**
 * How far behind the CRM's own clock (ChangesPage.asOf) a complete pass moves the watermark: the
 * CRM's application server (whose Date header we read) and its database (which stamps the
 * modified time) may disagree by a little. Records modified within this margin are read again
 * next time (the merge compares markers, so a repeat costs a row, never a wrong write).
 */
const SERVER_CLOCK_MARGIN_MS = 60_000;
/** …and only when its clock is this close to ours. */
const SERVER_CLOCK_TRUST_MS = 10 * MINUTE;
/** A follow-up found in the CRM with our content within this window of ours is ours (a lost reply). */
export const SAME_FOLLOW_UP_WINDOW_MS = 5 * MINUTE;

export interface PullDeps {
  db: LiaisonDb;
  connection: Connection;
  adapter: CrmAdapter;
  now: () => number;
  signal?: AbortSignal;
}

export interface CustomerPullResult {
  /** Local fields the CRM changed. */
  fields: string[];
  conflicts: number;
  followUps: number;
  deals: number;
  /** The CRM no longer has the record. */
  gone: boolean;
}

export function conflictRuleOf(c: Connection): ConflictRule {
  return c.settings.conflictRule === 'local' ? 'local' : 'remote';
}
const isCodeMaster = (c: Connection) => c.settings.codeMaster === true;

function readCaps(c: Connection): ReadCapabilities | undefined {
  return findSpec(c.kind)?.capabilities.read;
}

/** Whether a connection can be read back at all. */
export function canPull(c: Connection, adapter: CrmAdapter | undefined): adapter is CrmAdapter {
  if (!adapter || !c.enabled || c.id === LOCAL_CONNECTION_ID) return false;
  return typeof adapter.getCustomer === 'function' || typeof adapter.changesSince === 'function';
}

/** One customer, now. `history`: also its follow-ups and deals. */
export async function pullCustomer(deps: PullDeps, customerId: string, opts: { record?: RemoteCustomerRecord; history?: boolean } = {}): Promise<CustomerPullResult> {
  const { db, connection, adapter } = deps;
  const result: CustomerPullResult = { fields: [], conflicts: 0, followUps: 0, deals: 0, gone: false };
  const link = await db.links.get([customerId, connection.id]);
  if (!link?.remoteId) return result;
  const remoteId = link.remoteId;
  let record: RemoteCustomerRecord | null | undefined = opts.record;
  if (record === undefined && adapter.getCustomer) record = await adapter.getCustomer(remoteId, signalOpt(deps));
  if (record === null) {
    await markGone(deps, customerId);
    result.gone = true;
    return result;
  }
  // The CRM answered with another record (HubSpot: merged contacts): that one is the customer now.
  if (record && record.remoteId !== remoteId) await touchLink(db, customerId, connection.id, { remoteId: record.remoteId, ...(record.remoteCode ? { remoteCode: record.remoteCode } : {}) });
  if (record) Object.assign(result, await applyRecord(deps, customerId, record));
  if (opts.history) {
    const since = link.pulledAt !== undefined ? link.pulledAt - 10 * MINUTE : undefined;
    if (adapter.listFollowUps) {
      const rows = await adapter.listFollowUps(remoteId, { ...signalOpt(deps), ...(since !== undefined ? { since } : {}), limit: 50 });
      result.followUps = await importFollowUps(deps, customerId, rows);
    }
    if (adapter.listDeals) {
      const rows = await adapter.listDeals(remoteId, { ...signalOpt(deps), limit: 50 });
      result.deals = await importDeals(deps, customerId, rows);
    }
  }
  await touchLink(db, customerId, connection.id, { pulledAt: deps.now() });
  return result;
}

const signalOpt = (deps: PullDeps) => (deps.signal ? { signal: deps.signal } : {});

async function touchLink(db: LiaisonDb, customerId: string, connectionId: string, patch: Partial<Link>): Promise<void> {
  await db.transaction('rw', db.links, async () => {
    const cur = await db.links.get([customerId, connectionId]);
    if (cur) await db.links.put(linkSchema.parse({ ...cur, ...patch }));
  });
}

async function markGone(deps: PullDeps, customerId: string): Promise<void> {
  await touchLink(deps.db, customerId, deps.connection.id, { pulledAt: deps.now(), warnings: ['CRM 中已找不到该客户 / the CRM no longer has this customer'] });
}

/**
 * Merge one remote record into the customer, in one transaction: fields (three-way, rule on
 * conflicts), 下次跟进 with its reminder, the stage log, the link's base/marker/conflicts, and
 * updates queued where Liaison now holds values a CRM lacks.
 */
export async function applyRecord(deps: PullDeps, customerId: string, record: RemoteCustomerRecord): Promise<Pick<CustomerPullResult, 'fields' | 'conflicts'>> {
  const { db, connection } = deps;
  const now = deps.now();
  const tables = [db.customers, db.links, db.reminders, db.outbox, db.kv, db.connections];
  return db.transaction('rw', tables, async () => {
    const customer = await db.customers.get(customerId);
    const link = await db.links.get([customerId, connection.id]);
    if (!customer || !link || link.remoteId !== record.remoteId) return { fields: [], conflicts: 0 };
    // No shortcut on an unchanged marker: NocoDB's and Bitable's are to the second, so an edit in
    // the same second as the last read keeps it. The merge of unchanged values changes nothing.
    const merged = mergeCustomer({ local: customer, base: link.base, remote: record.fields, rule: conflictRuleOf(connection), codeMaster: isCodeMaster(connection), now });
    const { nextFollowUpAt, ...rest } = merged.patch as Partial<Customer> & { nextFollowUpAt?: number };
    const nextGiven = 'nextFollowUpAt' in merged.patch;
    const fields = Object.keys(merged.patch);

    if (Object.keys(rest).length > 0) {
      const next: Customer = { ...customer };
      for (const [k, v] of Object.entries(rest)) {
        if (v === undefined) delete (next as Record<string, unknown>)[k];
        else (next as Record<string, unknown>)[k] = v;
      }
      if (rest.code !== undefined) delete next.codeTemporary;
      next.searchKeys = deriveSearchKeys(next);
      // updatedAt stays: it marks this user's edits, and these are the CRM's values.
      await db.customers.put(next);
      if (rest.stage !== undefined && rest.stage !== customer.stage) await appendStageChange(db, { customerId, from: customer.stage, to: String(rest.stage), at: now });
      if (rest.code !== undefined) {
        const local = await db.links.get([customerId, LOCAL_CONNECTION_ID]);
        if (local) await db.links.put({ ...local, remoteCode: String(rest.code) });
      }
    }
    if (nextGiven) {
      await setNextFollowUp(db, customerId, nextFollowUpAt ?? null, now);
      // The reminder says where its due time came from.
      const active = await db.reminders.where('customerId').equals(customerId).filter((r) => r.state !== 'done').first();
      if (active) await db.reminders.put({ ...active, source: connection.id });
      // setNextFollowUp stamps updatedAt as an edit; this was the CRM's value.
      await db.customers.update(customerId, { updatedAt: customer.updatedAt });
    }

    const conflicts = [...merged.conflicts, ...(link.conflicts ?? [])].slice(0, 20);
    const nextLink: Link = {
      ...link,
      base: merged.base,
      pulledAt: now,
      ...(record.marker !== undefined ? { marker: record.marker } : {}),
      ...(record.remoteCode ? { remoteCode: record.remoteCode } : {}),
      ...(conflicts.length > 0 ? { conflicts } : {}),
    };
    delete nextLink.warnings;
    await db.links.put(linkSchema.parse(nextLink));

    // Liaison holds values this CRM lacks, or another CRM now lags behind the one just read.
    const changedHere = fields.length > 0;
    await queueUpdates(db, customerId, now, (c) => c.id === connection.id ? merged.pushNeeded : changedHere);
    return { fields, conflicts: merged.conflicts.length };
  });
}

/** A customer.update for each remote link that wants one and has none waiting. Inside the caller's transaction. */
async function queueUpdates(db: LiaisonDb, customerId: string, now: number, wants: (c: Connection) => boolean): Promise<void> {
  const links = await db.links.where('[customerId+connectionId]').between([customerId, ''], [customerId, '\uffff']).toArray();
  if (links.length === 0) return;
  const queued = await db.outbox.where('[entity.table+entity.id]').equals(['customers', customerId]).toArray();
  for (const l of links) {
    if (l.connectionId === LOCAL_CONNECTION_ID || !l.remoteId) continue;
    const c = await db.connections.get(l.connectionId);
    if (!c || !c.enabled || !supports(c, 'updateCustomer') || !wants(c)) continue;
    if (queued.some((e) => e.connectionId === c.id && (e.state === 'pending' || e.state === 'inflight') && (e.op === 'customer.update' || e.op === 'customer.create'))) continue;
    await db.outbox.add(outboxEntry('customer.update', { table: 'customers', id: customerId }, c.id, now));
  }
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** A key as adapters write it: a UUID with or without dashes, any case. */
export function keyForms(key: string): string[] {
  const k = key.trim().toLowerCase();
  const bare = k.replace(/-/g, '');
  const dashed = /^[0-9a-f]{32}$/.test(bare) ? `${bare.slice(0, 8)}-${bare.slice(8, 12)}-${bare.slice(12, 16)}-${bare.slice(16, 20)}-${bare.slice(20)}` : k;
  return [...new Set([key.trim(), k, dashed])];
}

/**
 * Liaison's own row behind a key a CRM row carries: adapters write either the outbox entry's
 * idempotency key (Bitable, 智邦) or the record's own id (HubSpot, Salesforce Liaison_Id__c).
 */
async function ownRecord<T extends { id: string }>(db: LiaisonDb, table: 'followUps' | 'deals', key: string, mine: readonly T[]): Promise<T | undefined> {
  const forms = keyForms(key);
  const byId = mine.find((x) => forms.includes(x.id.toLowerCase()));
  if (byId) return byId;
  for (const k of forms) {
    const entry = await db.outbox.where('idempotencyKey').equals(k).first();
    if (entry?.entity.table === table) return mine.find((x) => x.id === entry.entity.id);
  }
  return undefined;
}

/**
 * Follow-ups from the CRM not already here: not imported before (remoteRefs), not Liaison's own
 * (the idempotency key the row carries, or — for CRMs that keep no key — our content at nearly
 * the same time). Our own rows found this way get their remote ref, so the next pull skips them
 * by index.
 */
export async function importFollowUps(deps: PullDeps, customerId: string, rows: readonly RemoteFollowUp[]): Promise<number> {
  const { db, connection } = deps;
  if (rows.length === 0) return 0;
  return db.transaction('rw', [db.followUps, db.outbox, db.customers], async () => {
    if (!(await db.customers.get(customerId))) return 0;
    const mine = await db.followUps.where('customerId').equals(customerId).toArray();
    let added = 0;
    for (const r of rows) {
      const ref = remoteRefKey(connection.id, r.remoteId);
      if ((await db.followUps.where('remoteRefs').equals(ref).count()) > 0) continue;
      let own: FollowUp | undefined;
      if (r.liaisonKey) own = await ownRecord(db, 'followUps', r.liaisonKey, mine);
      const content = squash(r.content);
      own ??= mine.find((f) => f.origin !== 'remote' && !(f.remoteRefs ?? []).some((x) => x.startsWith(`${connection.id} `)) && squash(f.content) === content && Math.abs(f.at - r.at) <= SAME_FOLLOW_UP_WINDOW_MS);
      if (own) {
        await db.followUps.put({ ...own, remoteRefs: [...(own.remoteRefs ?? []), ref].slice(-20) });
        continue;
      }
      if (!content) continue;
      const row = followUpSchema.safeParse({
        id: crypto.randomUUID(),
        customerId,
        method: r.method && (FOLLOW_UP_METHODS as readonly string[]).includes(r.method) ? r.method : '其他',
        content: r.content.slice(0, 10_000),
        ...(r.result ? { result: r.result } : {}),
        ...(r.nextAction ? { nextAction: r.nextAction.slice(0, 500) } : {}),
        ...(r.nextAt !== undefined ? { nextAt: r.nextAt } : {}),
        at: r.at,
        ...(r.by ? { by: r.by.slice(0, 100) } : {}),
        origin: 'remote',
        messageIds: [],
        source: connection.id,
        remoteRefs: [ref],
      });
      // A row that does not fit Liaison's model (a negative time…) is skipped, never half-stored.
      if (!row.success) continue;
      await db.followUps.add(row.data);
      mine.push(row.data);
      added++;
    }
    return added;
  });
}

export async function importDeals(deps: PullDeps, customerId: string, rows: readonly RemoteDeal[]): Promise<number> {
  const { db, connection } = deps;
  if (rows.length === 0) return 0;
  return db.transaction('rw', [db.deals, db.outbox, db.customers], async () => {
    if (!(await db.customers.get(customerId))) return 0;
    const mine = await db.deals.where('customerId').equals(customerId).toArray();
    let added = 0;
    for (const r of rows) {
      const ref = remoteRefKey(connection.id, r.remoteId);
      const existing = await db.deals.where('remoteRefs').equals(ref).first();
      if (existing) {
        // A deal's status moves on in the CRM (进行中 → 已放款): follow it.
        if (existing.status !== r.status || existing.closedAt !== r.closedAt) {
          await db.deals.put(dealSchema.parse({ ...existing, status: r.status, ...(r.closedAt !== undefined ? { closedAt: r.closedAt } : {}) }));
        }
        continue;
      }
      let own: Deal | undefined;
      if (r.liaisonKey) own = await ownRecord(db, 'deals', r.liaisonKey, mine);
      own ??= mine.find((d) => !d.source && !(d.remoteRefs ?? []).some((x) => x.startsWith(`${connection.id} `)) && d.product === r.product && d.amount === r.amount);
      if (own) {
        await db.deals.put({ ...own, remoteRefs: [...(own.remoteRefs ?? []), ref].slice(-20) });
        continue;
      }
      const row = dealSchema.safeParse({
        id: crypto.randomUUID(),
        customerId,
        product: r.product.slice(0, 100) || '—',
        ...(r.amount !== undefined ? { amount: r.amount } : {}),
        status: (DEAL_STATUSES as readonly string[]).includes(r.status) ? r.status : '进行中',
        ...(r.closedAt !== undefined ? { closedAt: r.closedAt } : {}),
        createdAt: r.createdAt ?? deps.now(),
        source: connection.id,
        ...(r.by ? { by: r.by.slice(0, 100) } : {}),
        remoteRefs: [ref],
      });
      if (!row.success) continue;
      await db.deals.add(row.data);
      added++;
    }
    return added;
  });
}

// ---- The periodic pull of a whole connection ----

export interface PullState {
  /** Records modified at or after this (the CRM's clock) are read next time. */
  since?: number;
  /** The same for the follow-ups feed (adapter.followUpsSince). */
  followUpsSince?: number;
  lastRunAt?: number;
  lastOkAt?: number;
  lastError?: string;
  /** Requests the last run made (for the health page and the bench). */
  requests?: number;
}
export const pullStateKey = (connectionId: string) => `pull:state:${connectionId}`;

export async function loadPullState(db: LiaisonDb, connectionId: string): Promise<PullState> {
  const row = await db.kv.get(pullStateKey(connectionId));
  const v = row?.value;
  return v && typeof v === 'object' ? (v as PullState) : {};
}
async function savePullState(db: LiaisonDb, connectionId: string, s: PullState): Promise<void> {
  await db.kv.put({ key: pullStateKey(connectionId), value: s });
}

export interface ConnectionPullOptions {
  /** Customers contacted or edited within this long are read one by one where the CRM cannot filter (default 30 days). */
  activeWindowMs?: number;
  /** At most this many per-customer reads per run; the rest follow next run (default 200). */
  maxReads?: number;
  /** Records per changes page (default 1,000, capped by each adapter at its API's maximum). */
  pageSize?: number;
  /** First run without a watermark: changes since this long ago (default 30 days). */
  initialWindowMs?: number;
}

export interface ConnectionPullReport {
  mode: 'changes' | 'per-customer' | 'skipped';
  records: number;
  applied: number;
  fieldsChanged: number;
  conflicts: number;
  requests: number;
  /** Colleagues' follow-ups imported from the follow-ups feed. */
  followUps: number;
  error?: string;
}

async function pullChanges(deps: PullDeps, state: PullState, startedAt: number, opts: ConnectionPullOptions, overlap: number, report: ConnectionPullReport): Promise<void> {
  const { db, connection, adapter } = deps;
  report.mode = 'changes';
  const since = state.since ?? startedAt - (opts.initialWindowMs ?? 30 * DAY);
  let watermark = since;
  let page: string | undefined;
  let firstAsOf: number | undefined;
  let first = true;
  do {
    // The largest page the API allows (the adapter caps it): fewer requests per pull.
    const res = await adapter.changesSince!({ since, ...(page ? { page } : {}), limit: opts.pageSize ?? 1000, ...signalOpt(deps) });
    report.requests++;
    if (first) firstAsOf = res.asOf;
    first = false;
    for (const rec of res.records) {
      report.records++;
      if (rec.modifiedAt !== undefined) watermark = Math.max(watermark, rec.modifiedAt - overlap);
      const link = await db.links.where('[connectionId+remoteId]').equals([connection.id, rec.remoteId]).first();
      if (link) tally(report, await applyRecord(deps, link.customerId, rec));
    }
    page = res.next;
  } while (page);
  // Every record modified before the first page was read has now been offered: without this, a
  // quiet CRM after a bulk import re-reads the whole import every run (the newest record's time
  // never moves). `overlap` also covers a CRM whose search index lags its writes.
  // A server clock far from ours is not trusted for this (a wrong Date header would skip edits
  // for good); the newest record's time still moves the watermark then.
  if (firstAsOf !== undefined && Math.abs(firstAsOf - startedAt) <= SERVER_CLOCK_TRUST_MS) watermark = Math.max(watermark, firstAsOf - Math.max(SERVER_CLOCK_MARGIN_MS, overlap));
  await savePullState(db, connection.id, { ...withoutError(state), since: watermark, lastRunAt: startedAt, lastOkAt: deps.now(), requests: report.requests });
  if (adapter.followUpsSince && readCaps(connection)?.followUpChanges !== false) await pullFollowUpChanges(deps, since, startedAt, opts, overlap, report);
}

/**
 * Colleagues' follow-ups of every linked customer from the CRM's follow-up feed, since its own
 * watermark (first run: the customers' window), grouped by customer and imported as on opening a
 * chat (own rows recognised by their key, nothing twice). A CRM that cannot filter them after all
 * (unsupported) leaves them to the per-customer reads on opening a chat.
 */
async function pullFollowUpChanges(deps: PullDeps, customersSince: number, startedAt: number, opts: ConnectionPullOptions, overlap: number, report: ConnectionPullReport): Promise<void> {
  const { db, connection, adapter } = deps;
  const state = await loadPullState(db, connection.id);
  const since = state.followUpsSince ?? customersSince;
  let watermark = since;
  let page: string | undefined;
  let firstAsOf: number | undefined;
  let first = true;
  try {
    do {
      const res = await adapter.followUpsSince!({ since, ...(page ? { page } : {}), limit: opts.pageSize ?? 1000, ...signalOpt(deps) });
      report.requests++;
      if (first) firstAsOf = res.asOf;
      first = false;
      const byCustomer = new Map<string, RemoteFollowUp[]>();
      for (const row of res.rows) {
        if (row.modifiedAt !== undefined) watermark = Math.max(watermark, row.modifiedAt - overlap);
        const { customerRemoteId, modifiedAt: _m, ...f } = row;
        byCustomer.set(customerRemoteId, [...(byCustomer.get(customerRemoteId) ?? []), f]);
      }
      for (const [remoteId, rows] of byCustomer) {
        const link = await db.links.where('[connectionId+remoteId]').equals([connection.id, remoteId]).first();
        if (link) report.followUps += await importFollowUps(deps, link.customerId, rows);
      }
      page = res.next;
    } while (page);
  } catch (err) {
    if (err instanceof CrmError && err.kind === 'unsupported') return;
    throw err;
  }
  if (firstAsOf !== undefined && Math.abs(firstAsOf - startedAt) <= SERVER_CLOCK_TRUST_MS) watermark = Math.max(watermark, firstAsOf - Math.max(SERVER_CLOCK_MARGIN_MS, overlap));
  await savePullState(db, connection.id, { ...(await loadPullState(db, connection.id)), followUpsSince: watermark, requests: report.requests });
}

async function pullEach(deps: PullDeps, state: PullState, startedAt: number, opts: ConnectionPullOptions, report: ConnectionPullReport): Promise<void> {
  const { db, connection, adapter } = deps;
  report.mode = 'per-customer';
  const activeSince = startedAt - (opts.activeWindowMs ?? 30 * DAY);
  const links = (await db.links.where('connectionId').equals(connection.id).toArray()).filter((l) => l.remoteId);
  const customers = new Map((await db.customers.bulkGet(links.map((l) => l.customerId))).filter((c): c is Customer => !!c).map((c) => [c.id, c]));
  const active = links
    .filter((l) => {
      const c = customers.get(l.customerId);
      return c && Math.max(c.lastContactAt ?? 0, c.updatedAt, c.nextFollowUpAt ?? 0) >= activeSince;
    })
    .sort((a, b) => (a.pulledAt ?? 0) - (b.pulledAt ?? 0))
    .slice(0, opts.maxReads ?? 200);
  for (const l of active) {
    const rec = await adapter.getCustomer!(l.remoteId!, signalOpt(deps));
    report.requests++;
    if (rec === null) {
      await markGone(deps, l.customerId);
      continue;
    }
    report.records++;
    tally(report, await applyRecord(deps, l.customerId, rec));
  }
  await savePullState(db, connection.id, { ...withoutError(state), lastRunAt: startedAt, lastOkAt: deps.now(), requests: report.requests });
}

function tally(report: ConnectionPullReport, r: Pick<CustomerPullResult, 'fields' | 'conflicts'>): void {
  report.applied++;
  report.fieldsChanged += r.fields.length;
  report.conflicts += r.conflicts;
}

function withoutError(s: PullState): PullState {
  const { lastError: _e, ...rest } = s;
  return rest;
}

export async function pullConnection(deps: PullDeps, opts: ConnectionPullOptions = {}): Promise<ConnectionPullReport> {
  const { db, connection, adapter } = deps;
  const report: ConnectionPullReport = { mode: 'skipped', records: 0, applied: 0, fieldsChanged: 0, conflicts: 0, requests: 0, followUps: 0 };
  if (!canPull(connection, adapter)) return report;
  const gate = await loadGate(db, connection.id);
  if (gate.paused || (gate.blockedUntil ?? 0) > deps.now()) {
    report.error = gate.paused ? 'paused: credentials rejected' : 'rate-limited';
    return report;
  }
  const state = await loadPullState(db, connection.id);
  const startedAt = deps.now();
  try {
    // A kind without a spec (tests, a CRM not shipped yet) is read with whatever its adapter has.
    const caps = readCaps(connection);
    let fallback = false;
    if ((caps ? caps.changes === 'modified-filter' : true) && adapter.changesSince) {
      try {
        await pullChanges(deps, state, startedAt, opts, Math.max(WATERMARK_OVERLAP_MS, caps?.changesLagMs ?? 0), report);
      } catch (err) {
        // This table cannot be filtered after all (a Bitable base without a modified-time field): read one by one.
        if (!(err instanceof CrmError && err.kind === 'unsupported' && adapter.getCustomer)) throw err;
        fallback = true;
      }
    }
    if ((report.mode === 'skipped' || fallback) && adapter.getCustomer) await pullEach(deps, state, startedAt, opts, report);
    return report;
  } catch (err) {
    if (deps.signal?.aborted) throw err;
    const message = err instanceof CrmError ? `${err.kind}: ${err.message}` : err instanceof Error ? err.message : 'error';
    report.error = message.slice(0, 300);
    // A 429 holds the writes too: one budget per connection.
    if (err instanceof CrmError && err.kind === 'rate-limited') {
      const g = await loadGate(db, connection.id);
      await saveGate(db, connection.id, { ...g, blockedUntil: Math.max(g.blockedUntil ?? 0, deps.now() + (err.retryAfterMs ?? MINUTE)) });
    }
    // The watermarks stay where the last completed pass left them (the customers' may have moved
    // this run before the follow-ups failed): the next run reads the rest again.
    await savePullState(db, connection.id, { ...(await loadPullState(db, connection.id)), lastRunAt: startedAt, lastError: report.error, requests: report.requests });
    return report;
  }
}

/** For tests and the view: a base value as text. */
export function baseText(v: unknown): string {
  const n = normalize('', v);
  return n === null ? '' : Array.isArray(n) ? n.join(', ') : String(n);
}
