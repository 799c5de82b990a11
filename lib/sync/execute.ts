// Run one claimed entry against its CRM adapter, OUTSIDE any Dexie transaction (a fetch inside
// one lets IndexedDB commit it early, and a slow CRM would hold the database).
//
// Outbox rows name records, not copies: the current row is read here, so a queued create also
// carries the edits made since. Before a customer create on a CRM without idempotency keys
// (spec.idempotency 'lookup') the CRM is searched first; after an unknown outcome the search
// also accepts an exact name when the customer has no phone or email. CRMs with keys ('key',
// 'upsert') get the same key again and deduplicate themselves. Follow-ups, deals and tasks have
// no search in the port: adapters dedupe those by the idempotency key (port.ts contract).
import type { LiaisonDb } from '../db/db';
import { samePhone } from '../phone/same';
import type { BaseValue, Connection, Customer, TicketPlace } from '../model';
import { MAPPABLE_CUSTOMER_FIELDS } from '../crm/spec';
import { changedFields, sentValues } from './merge';
import { keyForms, pullCustomer, SAME_FOLLOW_UP_WINDOW_MS } from './pull';
import { CrmError, type CrmAdapter, type CustomerPatch, type CustomerQuery, type RemoteCustomer, type RemoteRef, type TicketInput } from '../crm/port';
import type { Claim } from './claim';
import { templateFields } from './template-fields';
import { assignmentNotice } from '../assign/notice';
import { getSettings } from '../settings/store';

export type Idempotency = 'key' | 'upsert' | 'lookup';

export interface ExecuteContext {
  db: LiaisonDb;
  claim: Claim;
  connection: Connection;
  adapter: CrmAdapter;
  idempotency: Idempotency;
  /** spec.capabilities.findCustomers */
  canSearch: boolean;
  timeoutMs: number;
  /** Aborted when the worker stops; the call is abandoned and its claim left to expire. */
  signal?: AbortSignal;
  /** spec.capabilities.read.conditionalUpdate: updates carry the link's marker (ifMarker). */
  conditionalUpdate?: boolean;
  now?: () => number;
}

/** What a successful write leaves on the link and the records. */
export interface WriteEffect {
  /** Customer fields as sent: merged into the link's base. */
  base?: Record<string, BaseValue>;
  /** The record's marker after the write, when the reply carried one. */
  marker?: string;
  /** Values left out (RemoteRef.warnings). */
  warnings?: string[];
  /** A follow-up's or deal's place in the CRM (its remoteRefs). */
  recordRef?: { table: 'followUps' | 'deals'; id: string; remoteId: string };
  /** A ticket's place in this CRM after its create (number, status as created). */
  ticketPlace?: { id: string; place: TicketPlace };
}

export type ExecOutcome =
  /** `customerRef`: where the customer now lives (customer ops). `replayed`: the CRM may have kept an earlier attempt's data. */
  | { kind: 'ok'; customerRef?: RemoteRef; replayed: boolean; reconciled: boolean; effect?: WriteEffect }
  | { kind: 'error'; error: CrmError }
  /** The local record is gone: nothing to send. */
  | { kind: 'skip'; reason: string }
  /** The customer lost its remote id since the claim: back in the queue. */
  | { kind: 'wait' };

export class WorkerStopped extends Error {
  override readonly name = 'WorkerStopped';
}

export async function executeEntry(ctx: ExecuteContext): Promise<ExecOutcome> {
  try {
    return await run(ctx);
  } catch (err) {
    if (ctx.signal?.aborted) throw new WorkerStopped('worker stopped');
    if (err instanceof CrmError) return { kind: 'error', error: err };
    // An adapter bug (TypeError…) after the request may have left: treat a write as unknown.
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : 'non-error thrown';
    return { kind: 'error', error: new CrmError('unknown-outcome', `adapter error: ${detail}`.slice(0, 300), { cause: err }) };
  }
}

async function run(ctx: ExecuteContext): Promise<ExecOutcome> {
  const { db, claim, adapter } = ctx;
  const e = claim.entry;
  const key = e.idempotencyKey;
  const conn = e.connectionId;
  const call = <T>(write: boolean, fn: (signal: AbortSignal) => Promise<T>) => withTimeout(ctx, write, fn);

  switch (e.op) {
    case 'customer.create': {
      const customer = await db.customers.get(e.entity.id);
      if (!customer) return { kind: 'skip', reason: 'local record deleted' };
      const link = await db.links.get([customer.id, conn]);
      // Already there (a duplicate create entry, or a reconciled earlier attempt).
      if (link?.remoteId) return ok({ remoteId: link.remoteId, ...(link.remoteCode ? { remoteCode: link.remoteCode } : {}) }, false, true);
      if (ctx.idempotency === 'lookup') {
        if (ctx.canSearch) {
          const found = await lookup(ctx, customer, e.unknownOutcome === true).catch((err: unknown) => {
            if (err instanceof CrmError && err.kind === 'unsupported') return 'unsupported' as const;
            throw err;
          });
          if (found && found !== 'unsupported') return ok(found, e.unknownOutcome === true, true);
          if (found === 'unsupported' && e.unknownOutcome) return cannotVerify();
        } else if (e.unknownOutcome) return cannotVerify();
      }
      const fields = await templateFields(db, ctx.connection, { section: 'customer', customer });
      const ref = await call(true, (signal) => adapter.createCustomer(customer, { idempotencyKey: key, signal, ...(fields ? { fields } : {}) }));
      // The base: every field as created (a replayed key may have kept an earlier row; record.ts then queues an update).
      return ok(ref, e.unknownOutcome === true, false, { base: sentValues(customer, sendable(customer, ctx)), ...writeInfo(ref) });
    }
    case 'customer.update': {
      const customer = await db.customers.get(e.entity.id);
      if (!customer) return { kind: 'skip', reason: 'local record deleted' };
      return updateCustomerEntry(ctx, customer, key, true);
    }
    case 'followUp.create': {
      const row = await db.followUps.get(e.entity.id);
      if (!row) return { kind: 'skip', reason: 'local record deleted' };
      const remoteId = (await db.links.get([row.customerId, conn]))?.remoteId;
      if (!remoteId) return { kind: 'wait' };
      const customer = await db.customers.get(row.customerId);
      // After an unknown outcome, a CRM that lists follow-ups is asked first: the lost reply may
      // have followed a committed write (智邦 reply.asp keeps no key), and resending duplicates it.
      if (e.unknownOutcome && adapter.listFollowUps) {
        const since = row.at - SAME_FOLLOW_UP_WINDOW_MS;
        const found = await call(false, (signal) => adapter.listFollowUps!(remoteId, { since, limit: 50, signal }));
        const content = row.content.replace(/\s+/g, ' ').trim();
        const mine = new Set([...keyForms(key), ...keyForms(row.id)]);
        const hit = found.find((r) => r.liaisonKey !== undefined && keyForms(r.liaisonKey).some((k) => mine.has(k))) ?? found.find((r) => !r.liaisonKey && r.content.replace(/\s+/g, ' ').trim() === content && Math.abs(r.at - row.at) <= SAME_FOLLOW_UP_WINDOW_MS);
        if (hit) return ok(undefined, true, true, { recordRef: { table: 'followUps', id: row.id, remoteId: hit.remoteId } });
      }
      const fields = customer ? await templateFields(db, ctx.connection, { section: 'followUp', customer, followUp: row }) : undefined;
      const ref = await call(true, (signal) => adapter.addFollowUp(remoteId, row, { idempotencyKey: key, signal, ...(fields ? { fields } : {}) }));
      return ok(undefined, false, false, ref?.remoteId ? { recordRef: { table: 'followUps', id: row.id, remoteId: ref.remoteId } } : undefined);
    }
    case 'deal.create': {
      const row = await db.deals.get(e.entity.id);
      if (!row) return { kind: 'skip', reason: 'local record deleted' };
      const remoteId = (await db.links.get([row.customerId, conn]))?.remoteId;
      if (!remoteId) return { kind: 'wait' };
      const customer = await db.customers.get(row.customerId);
      const fields = customer ? await templateFields(db, ctx.connection, { section: 'deal', customer, deal: row }) : undefined;
      const ref = await call(true, (signal) => adapter.createDeal(remoteId, row, { idempotencyKey: key, signal, ...(fields ? { fields } : {}) }));
      return ok(undefined, false, false, ref?.remoteId ? { recordRef: { table: 'deals', id: row.id, remoteId: ref.remoteId } } : undefined);
    }
    case 'task.create': {
      const row = await db.reminders.get(e.entity.id);
      if (!row) return { kind: 'skip', reason: 'local record deleted' };
      const customer = await db.customers.get(row.customerId);
      const remoteId = (await db.links.get([row.customerId, conn]))?.remoteId;
      if (!customer) return { kind: 'skip', reason: 'local record deleted' };
      if (!remoteId) return { kind: 'wait' };
      const task = { title: `跟进 ${customer.name}`, dueAt: row.dueAt, ...(row.note ? { note: row.note } : {}) };
      await call(true, (signal) => adapter.createTask(remoteId, task, { idempotencyKey: key, signal }));
      return ok(undefined, false, false);
    }
    case 'ticket.create':
      return createTicketEntry(ctx, key);
    case 'customer.assign': {
      const who = e.assignee;
      if (!who) return { kind: 'error', error: new CrmError('validation', 'customer.assign without an assignee') };
      if (!adapter.assignOwner) return { kind: 'error', error: new CrmError('unsupported', `${ctx.connection.name}: this CRM assigns no owners`) };
      const remoteId = (await db.links.get([e.entity.id, conn]))?.remoteId;
      if (!(await db.customers.get(e.entity.id))) return { kind: 'skip', reason: 'local record deleted' };
      if (!remoteId) return { kind: 'wait' };
      await call(true, (signal) => adapter.assignOwner!(remoteId, who.userId, { idempotencyKey: key, signal }));
      return ok(undefined, false, false);
    }
    case 'ticket.comment': {
      const row = await db.followUps.get(e.entity.id);
      const ticket = e.ticketId ? await db.tickets.get(e.ticketId) : undefined;
      if (!row || !ticket) return { kind: 'skip', reason: 'local record deleted' };
      if (!adapter.addTicketComment) return { kind: 'error', error: new CrmError('unsupported', `${ctx.connection.name}: this system takes no comments on tickets`) };
      const place = ticket.places.find((p) => p.connectionId === conn);
      if (!place?.remoteId) return { kind: 'wait' };
      const ref = await call(true, (signal) => adapter.addTicketComment!(place.remoteId!, row, { idempotencyKey: key, signal }));
      return ok(undefined, false, false, ref?.remoteId ? { recordRef: { table: 'followUps', id: row.id, remoteId: ref.remoteId } } : undefined);
    }
    case 'person.notify': {
      const who = e.assignee;
      if (!who) return { kind: 'error', error: new CrmError('validation', 'person.notify without an assignee') };
      if (!adapter.notifyPerson) return { kind: 'error', error: new CrmError('unsupported', `${ctx.connection.name}: this system sends no messages to people`) };
      const customer = await db.customers.get(e.entity.id);
      if (!customer) return { kind: 'skip', reason: 'local record deleted' };
      const notice = assignmentNotice(customer, who.name, await getSettings(db));
      await call(true, (signal) => adapter.notifyPerson!(who.userId, notice, { idempotencyKey: key, signal }));
      return ok(undefined, false, false);
    }
  }
}

/**
 * ticket.create: the ticket as it is now, with the customer's id in this CRM when the link has
 * one (an entry queued to wait for it goes back to the queue until then). The same idempotency
 * key on every attempt: the adapter dedupes by it (spec.idempotency), so a retry after a lost
 * reply finds the first ticket instead of filing a second.
 */
async function createTicketEntry(ctx: ExecuteContext, key: string): Promise<ExecOutcome> {
  const { db, adapter, claim } = ctx;
  const e = claim.entry;
  const conn = e.connectionId;
  const row = await db.tickets.get(e.entity.id);
  if (!row) return { kind: 'skip', reason: 'local record deleted' };
  const customer = await db.customers.get(row.customerId);
  if (!customer) return { kind: 'skip', reason: 'local record deleted' };
  const placed = row.places.find((p) => p.connectionId === conn);
  // Already there (a duplicate entry, or an earlier attempt recorded after all).
  if (placed?.remoteId) return ok(undefined, false, true);
  if (!adapter.createTicket) return { kind: 'error', error: new CrmError('unsupported', `${ctx.connection.name}: this CRM takes no tickets`) };
  const remoteCustomerId = (await db.links.get([row.customerId, conn]))?.remoteId;
  if (e.waitsForCustomer && !remoteCustomerId) return { kind: 'wait' };
  const input: TicketInput = {
    subject: row.subject,
    description: row.description,
    category: row.category,
    priority: row.priority,
    customer: {
      id: customer.id,
      name: customer.name,
      phones: customer.phones,
      code: customer.code,
      ...(customer.email ? { email: customer.email } : {}),
      ...(customer.company ? { company: customer.company } : {}),
    },
    ...(remoteCustomerId ? { remoteCustomerId } : {}),
    messages: row.messages.map((m) => ({ at: m.at, from: m.from, text: m.text })),
  };
  const ref = await withTimeout(ctx, true, (signal) => adapter.createTicket!(input, { idempotencyKey: key, signal }));
  const now = (ctx.now ?? Date.now)();
  const place: TicketPlace = {
    connectionId: conn,
    remoteId: ref.remoteId,
    ...(ref.remoteCode ? { remoteCode: ref.remoteCode.slice(0, 64) } : {}),
    ...(ref.status ? { status: ref.status, readAt: now } : {}),
    ...(ref.vendorStatus ? { vendorStatus: ref.vendorStatus.slice(0, 100) } : {}),
    ...(ref.url ? { url: ref.url.slice(0, 2000) } : {}),
  };
  return ok(undefined, e.unknownOutcome === true, false, { ticketPlace: { id: row.id, place } });
}

function ok(customerRef: RemoteRef | undefined, replayed: boolean, reconciled: boolean, effect?: WriteEffect): ExecOutcome {
  return { kind: 'ok', ...(customerRef ? { customerRef } : {}), replayed, reconciled, ...(effect ? { effect } : {}) };
}

function writeInfo(ref: RemoteRef): Pick<WriteEffect, 'marker' | 'warnings'> {
  return { ...(ref.marker ? { marker: ref.marker } : {}), ...(ref.warnings?.length ? { warnings: ref.warnings } : {}) };
}

/** The fields a write may carry (the mappable ones; `code` never to its master, never a temporary one). */
function sendable(customer: Customer, ctx: ExecuteContext): string[] {
  return changedFields(customer, undefined, MAPPABLE_CUSTOMER_FIELDS, ctx.connection.settings.codeMaster === true);
}

/**
 * customer.update: only the fields changed since the base (the last synced values), so a
 * colleague's edits to other fields survive; guarded by the record's marker where the CRM can
 * refuse a stale write. A refusal (conflict) reads the record back, merges it by the
 * connection's rule, and sends what is still ours once more.
 */
async function updateCustomerEntry(ctx: ExecuteContext, first: Customer, key: string, mayRetry: boolean): Promise<ExecOutcome> {
  const { db, adapter } = ctx;
  const conn = ctx.connection.id;
  let link = await db.links.get([first.id, conn]);
  const remoteId = link?.remoteId;
  if (!link || !remoteId) return { kind: 'wait' };
  let customer = first;
  // A CRM that cannot refuse a stale write (no conditional update) is read first: a field a
  // colleague changed since our base is merged by the connection's rule (and shown), never
  // silently overwritten by a blind write. One read per update; the window left is the read→write gap.
  if (mayRetry && !ctx.conditionalUpdate && adapter.getCustomer && link.base) {
    await pullCustomer({ db, connection: ctx.connection, adapter, now: ctx.now ?? Date.now, ...(ctx.signal ? { signal: ctx.signal } : {}) }, first.id);
    const fresh = await db.customers.get(first.id);
    if (!fresh) return { kind: 'skip', reason: 'local record deleted' };
    customer = fresh;
    link = (await db.links.get([first.id, conn])) ?? link;
  }
  const codeMaster = ctx.connection.settings.codeMaster === true;
  const changed = changedFields(customer, link.base, MAPPABLE_CUSTOMER_FIELDS, codeMaster);
  const fields = await templateFields(db, ctx.connection, { section: 'customer', customer });
  if (changed.length === 0 && !fields) return ok({ remoteId, ...(link.remoteCode ? { remoteCode: link.remoteCode } : {}) }, false, true);
  const rec = customer as unknown as Record<string, unknown>;
  const patch: CustomerPatch = {};
  for (const f of changed) (patch as Record<string, unknown>)[f] = rec[f];
  const ifMarker = ctx.conditionalUpdate && link.marker ? { ifMarker: link.marker } : {};
  try {
    const ref = await withTimeout(ctx, true, (signal) => adapter.updateCustomer(remoteId, patch, { idempotencyKey: key, signal, ...ifMarker, ...(fields ? { fields } : {}) }));
    return ok({ ...ref, remoteId: ref.remoteId || remoteId }, false, false, { base: sentValues(customer, changed), ...writeInfo(ref) });
  } catch (err) {
    if (!(mayRetry && err instanceof CrmError && err.kind === 'conflict' && adapter.getCustomer)) throw err;
    // The CRM changed since our base: read it, merge (the rule decides, conflicts are recorded), then send what is left.
    await pullCustomer({ db, connection: ctx.connection, adapter, now: ctx.now ?? Date.now, ...(ctx.signal ? { signal: ctx.signal } : {}) }, customer.id);
    const again = await db.customers.get(customer.id);
    if (!again) return { kind: 'skip', reason: 'local record deleted' };
    return updateCustomerEntry(ctx, again, key, false);
  }
}

/** Marks the failure retryNow may clear the reconcile flag for: the user checked the CRM by hand. */
export const CANNOT_VERIFY = 'outcome unknown and this CRM cannot be searched';

function cannotVerify(): ExecOutcome {
  return {
    kind: 'error',
    error: new CrmError('unsupported', `${CANNOT_VERIFY}: check the CRM for the record, then retry`),
  };
}


/**
 * The customer's record in the CRM, if one is there. Vendor searches may be fuzzy (contains),
 * so every hit is checked again here. The local code is only a key when this connection is not
 * the code master: a code-master CRM assigns its own codes, and ours could collide with them.
 */
async function lookup(ctx: ExecuteContext, c: Customer, afterUnknown: boolean): Promise<RemoteRef | undefined> {
  const codeMaster = ctx.connection.settings.codeMaster === true;
  const q: CustomerQuery = {};
  if (c.phones[0]) q.phone = c.phones[0];
  if (c.email) q.email = c.email;
  if (c.code && !codeMaster) q.code = c.code;
  const byName = Object.keys(q).length === 0;
  // A name alone may be a namesake: only trusted to find our own possibly-committed write.
  if (byName && !afterUnknown) return undefined;
  if (byName) q.name = c.name;
  const hits = await withTimeout(ctx, false, (signal) => ctx.adapter.findCustomers(q, { signal }));
  const email = c.email?.toLowerCase();
  const match = (r: RemoteCustomer) =>
    r.phones.some((p) => c.phones.some((mine) => samePhone(p, mine))) ||
    (email !== undefined && r.email?.toLowerCase() === email) ||
    (q.code !== undefined && r.remoteCode === q.code) ||
    (byName && r.name.trim() === c.name.trim());
  const hit = hits.find(match);
  return hit ? { remoteId: hit.remoteId, ...(hit.remoteCode ? { remoteCode: hit.remoteCode } : {}) } : undefined;
}

/** The adapter call with the worker's signal and a timeout; a timed-out write is an unknown outcome. */
async function withTimeout<T>(ctx: ExecuteContext, write: boolean, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (ctx.signal?.aborted) throw new WorkerStopped('worker stopped');
  const ac = new AbortController();
  let stop: (err: Error) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => {
    stop = reject;
  });
  const onStop = () => {
    ac.abort(ctx.signal?.reason);
    stop(new WorkerStopped('worker stopped'));
  };
  ctx.signal?.addEventListener('abort', onStop, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new CrmError(write ? 'unknown-outcome' : 'retryable', `no reply within ${ctx.timeoutMs} ms`);
      ac.abort(err);
      reject(err);
    }, ctx.timeoutMs);
  });
  try {
    // Raced, so an adapter that ignores its signal still cannot hold the entry past the timeout.
    return await Promise.race([fn(ac.signal), timeout, stopped]);
  } finally {
    clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', onStop);
  }
}
