// Record an entry's result in its own rw transaction, after the adapter call returned.
//
// Only the claim's holder may record (a worker that outlived its claim finds another token and
// writes nothing). Failures are classified by CrmError kind, never by vendor:
// - retryable / unknown-outcome: back to pending with capped, jittered backoff; unknown-outcome
//   also marks the entry for reconciliation; both count toward the breaker.
// - rate-limited: the whole connection waits until the CRM's reset; the entry's next attempt
//   is never earlier. A 429 is a refusal before processing, so it spends no attempt.
// - auth: the connection pauses (every entry waits) until the user reconnects or retries.
// - validation / unsupported: failed for good, the reason on the link.
// - not-found on anything but a create: the remote customer is gone; it is created again.
// - conflict on a create: reconcile (search / same key) on the next attempt.
import type { LiaisonDb } from '../db/db';
import { LOCAL_CONNECTION_ID, linkSchema, remoteRefKey, type Connection, type Link } from '../model';
import type { CrmError } from '../crm/port';
import { USER_MESSAGES } from '../crm/errors';
import { outboxEntry } from '../customers/sync';
import { deriveSearchKeys } from '../search/keys';
import { nextDelay, type BackoffOptions } from './backoff';
import { loadBreaker, onOutage, onResponse, saveBreaker, type BreakerOptions, type BreakerState } from './breaker';
import type { Claim } from './claim';
import { customerIdOf, customersWithActiveEntries, type SyncEntry } from './entry';
import type { ExecOutcome, WriteEffect } from './execute';
import { loadGate, saveGate } from './gate';
import { refreshLink } from './link-state';
import { withPlace } from './ticket-place';

export interface RecordContext {
  db: LiaisonDb;
  claim: Claim;
  connection: Connection;
  outcome: ExecOutcome;
  now: number;
  maxAttempts: number;
  backoff: BackoffOptions;
  breaker: BreakerOptions;
}

export type RecordResult =
  | 'done'
  | 'skipped'
  | 'retry'
  | 'failed'
  | 'paused'
  | 'rate-limited'
  | 'relink'
  | 'wait'
  /** The claim expired and someone else took the entry: nothing written. */
  | 'lost-claim';

export interface Recorded {
  result: RecordResult;
  /** Tables this changed, for the background's change notifications. */
  tables: string[];
}

/**
 * A stored reason: "<kind>: <message>". Where the adapter gave a specific user message (not the
 * kind's generic one) and its technical message is not already bilingual, the user message leads
 * in both languages ("中文 / English (technical)"), so a Chinese UI shows the real reason.
 */
const errorText = (e: CrmError, extra = '') => {
  const generic = USER_MESSAGES[e.kind];
  const specific = e.userMessage.zh_CN !== generic.zh_CN && !/[\u4e00-\u9fff]/.test(e.message);
  const body = specific ? `${e.userMessage.zh_CN} / ${e.userMessage.en} (${e.message})` : e.message;
  return `${e.kind}: ${body}${extra}`.slice(0, 1000);
};

export async function recordResult(ctx: RecordContext): Promise<Recorded> {
  const { db, claim, outcome, now } = ctx;
  const tables = [db.outbox, db.links, db.customers, db.kv, db.followUps, db.deals, db.reminders, db.tickets];
  return db.transaction('rw', tables, async () => {
    const cur = (await db.outbox.get(claim.entry.id)) as SyncEntry | undefined;
    if (!cur || cur.state !== 'inflight' || cur.claimToken !== claim.token) return { result: 'lost-claim', tables: [] };
    const { claimToken: _t, claimedAt: _c, ...base } = cur;
    const conn = cur.connectionId;
    // The record may have been deleted since the claim; the entry still settles.
    const customerId = claim.customerId ?? (await customerIdOf(db, cur));
    const changed = new Set(['outbox', 'links']);
    const put = (e: SyncEntry) => db.outbox.put(e);
    const refresh = async (patch?: Parameters<typeof refreshLink>[3]) => {
      if (customerId) await refreshLink(db, customerId, conn, patch);
    };
    const breakerTo = async (f: (b: BreakerState) => BreakerState) => saveBreaker(db, conn, f(await loadBreaker(db, conn)));

    if (outcome.kind === 'skip') {
      await put({ ...base, state: 'done', lastError: `skipped: ${outcome.reason}` });
      await refresh();
      return { result: 'skipped', tables: [...changed] };
    }
    if (outcome.kind === 'wait') {
      await put({ ...base, state: 'pending', nextAttemptAt: now });
      await refresh();
      return { result: 'wait', tables: [...changed] };
    }

    if (outcome.kind === 'ok') {
      const { unknownOutcome: _u, lastError: _e, ...clean } = base;
      await put({ ...clean, state: 'done' });
      await breakerTo(() => onResponse());
      const gate = await loadGate(db, conn);
      await saveGate(db, conn, { ...gate, lastSuccessAt: now });
      const ref = outcome.customerRef;
      if (ref && customerId) {
        if (ref.remoteCode && ctx.connection.settings.codeMaster === true && (await adoptRemoteCode(db, customerId, ref.remoteCode))) changed.add('customers');
        // After an unknown outcome the CRM may hold an earlier attempt's row (a replayed key
        // returns the first result; a search finds what the killed call wrote), while edits made
        // meanwhile were skipped by update.ts because this create was pending: send the current
        // row as an update. Always, not by comparing timestamps: an edit can share the create's
        // millisecond. A record found by search on a first attempt gets an update only when the
        // customer was edited after the create was queued.
        if (cur.op === 'customer.create' && (outcome.replayed || outcome.reconciled)) {
          const c = await db.customers.get(customerId);
          if (c && (outcome.replayed || c.updatedAt > cur.createdAt)) await db.outbox.add(outboxEntry('customer.update', { table: 'customers', id: customerId }, conn, now));
        }
        await refresh({ remoteId: ref.remoteId, ...(ref.remoteCode ? { remoteCode: ref.remoteCode } : {}), lastSyncedAt: now });
      } else {
        await refresh({ lastSyncedAt: now });
      }
      if (outcome.effect && customerId) {
        // A create that replayed an earlier attempt or was found by search holds unknown values: no base, so its update sends everything.
        const trustBase = !(cur.op === 'customer.create' && (outcome.replayed || outcome.reconciled));
        await applyEffect(db, customerId, conn, outcome.effect, trustBase);
        if (outcome.effect.recordRef) changed.add(outcome.effect.recordRef.table);
      }
      const placed = outcome.effect?.ticketPlace;
      if (placed) {
        const ticket = await db.tickets.get(placed.id);
        if (ticket) await db.tickets.put(withPlace(ticket, placed.place, now));
        changed.add('tickets');
      }
      return { result: 'done', tables: [...changed] };
    }

    const err = outcome.error;
    const gate = await loadGate(db, conn);
    await saveGate(db, conn, { ...gate, lastFailureAt: now, lastError: errorText(err) });

    const retry = async (opts: { countAttempt: boolean; unknown?: boolean; retryAfterMs?: number }): Promise<RecordResult> => {
      const attempts = base.attempts + (opts.countAttempt ? 1 : 0);
      if (opts.countAttempt && attempts >= ctx.maxAttempts) {
        await put({ ...base, attempts, state: 'failed', lastError: errorText(err, ` (gave up after ${attempts} attempts)`), ...(opts.unknown ? { unknownOutcome: true } : {}) });
        return 'failed';
      }
      const delay = nextDelay(Math.max(1, attempts), { ...ctx.backoff, ...(opts.retryAfterMs !== undefined ? { retryAfterMs: opts.retryAfterMs } : {}) });
      await put({ ...base, attempts, state: 'pending', nextAttemptAt: now + delay, lastError: errorText(err), ...(opts.unknown ? { unknownOutcome: true } : {}) });
      return 'retry';
    };

    let result: RecordResult;
    switch (err.kind) {
      case 'retryable':
      case 'unknown-outcome':
        await breakerTo((b) => onOutage(b, now, ctx.breaker));
        result = await retry({ countAttempt: true, unknown: err.kind === 'unknown-outcome', ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}) });
        break;
      case 'rate-limited': {
        await breakerTo(() => onResponse());
        const wait = err.retryAfterMs ?? nextDelay(Math.max(1, base.attempts), ctx.backoff);
        await saveGate(db, conn, { ...(await loadGate(db, conn)), blockedUntil: Math.max(gate.blockedUntil ?? 0, now + wait) });
        await retry({ countAttempt: false, retryAfterMs: wait });
        result = 'rate-limited';
        break;
      }
      case 'auth': {
        await breakerTo(() => onResponse());
        await saveGate(db, conn, { ...(await loadGate(db, conn)), paused: { reason: 'auth', at: now } });
        await put({ ...base, state: 'pending', nextAttemptAt: now, lastError: errorText(err) });
        // Every customer waiting on this connection now shows 同步失败 · credentials rejected.
        for (const id of await customersWithActiveEntries(db, conn)) await refreshLink(db, id, conn);
        result = 'paused';
        break;
      }
      case 'not-found':
        await breakerTo(() => onResponse());
        // A colleague the system does not know (person.notify) is not a missing customer: failed, not re-created.
        if (cur.op === 'customer.create' || cur.op === 'person.notify' || !customerId) {
          await put({ ...base, state: 'failed', lastError: errorText(err) });
          result = 'failed';
        } else {
          result = await relink(ctx, base, customerId, err);
        }
        break;
      case 'conflict':
        await breakerTo(() => onResponse());
        result = await retry({ countAttempt: true, unknown: cur.op === 'customer.create' });
        break;
      case 'validation':
      case 'unsupported':
        await breakerTo(() => onResponse());
        await put({ ...base, state: 'failed', lastError: errorText(err) });
        result = 'failed';
        break;
    }
    await refresh();
    return { result, tables: [...changed] };
  });
}

/** The CRM no longer has the customer: forget the remote id and create it again; this entry follows. */
async function relink(ctx: RecordContext, base: SyncEntry, customerId: string, err: CrmError): Promise<RecordResult> {
  const { db, now } = ctx;
  const conn = base.connectionId;
  const link = await db.links.get([customerId, conn]);
  if (link) {
    const { remoteId: _r, remoteCode: _c, ...rest } = link;
    await db.links.put({ ...rest, syncState: 'pending' });
  }
  const attempts = base.attempts + 1;
  if (attempts >= ctx.maxAttempts) {
    await db.outbox.put({ ...base, attempts, state: 'failed', lastError: errorText(err) });
    return 'failed';
  }
  if (base.op === 'customer.update') {
    // The create sends the current row, so the update becomes the create (fresh key: the old one named an update).
    await db.outbox.put({ ...base, op: 'customer.create', idempotencyKey: crypto.randomUUID(), attempts, state: 'pending', nextAttemptAt: now, lastError: errorText(err) });
    return 'relink';
  }
  await db.outbox.put({ ...base, attempts, state: 'pending', nextAttemptAt: now, lastError: errorText(err) });
  const queued = await db.outbox.where('[entity.table+entity.id]').equals(['customers', customerId]).toArray();
  if (!queued.some((e) => e.connectionId === conn && e.op === 'customer.create' && (e.state === 'pending' || e.state === 'inflight'))) {
    await db.outbox.add(outboxEntry('customer.create', { table: 'customers', id: customerId }, conn, now));
  }
  return 'relink';
}

/** What a successful write leaves behind: the link's base, marker and warnings; a record's remote ref. */
async function applyEffect(db: LiaisonDb, customerId: string, connectionId: string, effect: WriteEffect, trustBase: boolean): Promise<void> {
  const link = await db.links.get([customerId, connectionId]);
  if (link && (effect.base || effect.marker || effect.warnings || link.warnings)) {
    const next: Link = { ...link };
    if (effect.base && trustBase) next.base = { ...(link.base ?? {}), ...effect.base };
    // Without a marker in the reply (Salesforce's 204) the stored one stays: the next guarded update
    // is refused by our own write, read back and resent, rather than going out unguarded.
    if (effect.marker) next.marker = effect.marker;
    if (effect.warnings?.length) next.warnings = effect.warnings.slice(0, 20);
    else delete next.warnings;
    await db.links.put(linkSchema.parse(next));
  }
  const r = effect.recordRef;
  if (r) {
    const key = remoteRefKey(connectionId, r.remoteId);
    const table = r.table === 'followUps' ? db.followUps : db.deals;
    const row = await table.get(r.id);
    if (row && !(row.remoteRefs ?? []).includes(key)) await table.put({ ...row, remoteRefs: [...(row.remoteRefs ?? []), key].slice(-20) } as never);
  }
}

/** 智邦 方案A: the CRM allocates 客户编号 and this connection is the master of codes. */
async function adoptRemoteCode(db: LiaisonDb, customerId: string, code: string): Promise<boolean> {
  const c = await db.customers.get(customerId);
  if (!c || (c.code === code && !c.codeTemporary)) return false;
  // updatedAt stays: it marks the user's edits, and this is the CRM's value, not an edit to send back.
  const { codeTemporary: _t, ...rest } = c;
  await db.customers.put({ ...rest, code, searchKeys: deriveSearchKeys({ ...rest, code }) });
  // The embedded CRM's link shows the customer's code; keep it in step.
  const local = await db.links.get([customerId, LOCAL_CONNECTION_ID]);
  if (local && local.remoteCode === c.code) await db.links.put({ ...local, remoteCode: code });
  return true;
}
