// Model-based fault test: 200 customers (and their follow-ups, plus edits and follow-ups made
// while the worker runs) synced to a fake CRM while the "service worker" is killed at random
// points (the CRM call hangs and the worker is abandoned; a fresh worker starts after the
// stale-claim timeout), with random 503s, lost replies after commit and 429s. The model is the
// local database: at the end the CRM must hold each customer exactly once, each follow-up
// exactly once, and the customer's latest notes.
import { createCustomer } from '../../../lib/customers/create';
import { logFollowUp } from '../../../lib/customers/follow-up';
import { updateCustomer } from '../../../lib/customers/update';
import { CrmError } from '../../../lib/crm/port';
import { SYNC_DEFAULTS } from '../../../lib/sync';
import { rig, CONN } from './helpers';
import { rng, seededUuids, type Fault } from './fake-crm';

export interface Figures {
  customers: number;
  followUps: number;
  kills: number;
  unknownAfterCommit: number;
  requests: number;
  lost: number;
  duplicated: number;
  followUpsLost: number;
  followUpsDuplicated: number;
  staleNotes: number;
  notDone: number;
  rateLimitViolations: number;
  lives: number;
}

export async function runScenario(mode: 'key' | 'lookup', seed: number, customers = 200): Promise<Figures> {
  const r = await rig({ mode, connection: { settings: { codeMaster: true } } });
  const { db, clock, crm } = r;
  const rand = rng(seed);
  // Ids from the seed too, so that SYNC_FAULT_FIRST=<seed> replays the very same run.
  const restoreUuids = seededUuids(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  try {
    const ids: string[] = [];
    for (let k = 0; k < customers; k++) {
      // Mostly phones; some only an email; some only a (unique) name: the hardest to reconcile.
      const fields =
        k % 10 === 0
          ? { name: `无号客户${seed}-${k}` }
          : k % 10 === 1
            ? { name: `客户${k}`, email: `c${k}@example.com` }
            : { name: `客户${k}`, phones: [`138${String(seed % 100).padStart(2, '0')}${String(k).padStart(6, '0')}`] };
      const c = await createCustomer(db, { fields }, clock.now());
      ids.push(c.id);
      if (rand() < 0.4) await logFollowUp(db, c.id, { method: '微信', content: `首次沟通 ${k}` }, clock.now());
    }

    const figures = { kills: 0, unknownAfterCommit: 0, lives: 0 };
    const mutations: Promise<unknown>[] = [];
    let notesSeq = 0;
    const mutate = () => {
      // A user acting in the sidebar while a CRM call is in flight.
      const id = pick(ids);
      if (rand() < 0.5) mutations.push(updateCustomer(db, id, { notes: `备注 ${++notesSeq}` }, clock.now()));
      else mutations.push(logFollowUp(db, id, { method: '电话', content: `回访 ${++notesSeq}` }, clock.now()));
    };

    for (;;) {
      if (++figures.lives > 5000) throw new Error(`seed ${seed}: no convergence`);
      const life = new AbortController();
      let killed = false;
      crm.faultFor = (): Fault | undefined => {
        if (killed) return { kind: 'hang' };
        if (rand() < 0.05) mutate();
        const x = rand();
        if (x < 0.03) {
          killed = true;
          queueMicrotask(() => life.abort());
          return { kind: rand() < 0.5 ? 'commit-then-hang' : 'hang' };
        }
        if (x < 0.06) {
          figures.unknownAfterCommit++;
          return { kind: 'commit-then-error' };
        }
        if (x < 0.09) return { kind: 'error', error: new CrmError('retryable', 'HTTP 503') };
        if (x < 0.095) {
          crm.rateLimitedUntil = clock.now() + 5_000;
          return { kind: 'error', error: new CrmError('rate-limited', 'HTTP 429', { retryAfterMs: 5_000 }) };
        }
        return undefined;
      };
      const w = r.worker({ signal: life.signal, random: rand });
      const report = await w.runOnce();
      await Promise.all(mutations.splice(0));
      if (killed) {
        figures.kills++;
        // The browser starts a new service worker later: past the stale-claim timeout.
        clock.advance(SYNC_DEFAULTS.claimTtlMs + 1);
        continue;
      }
      const next = report.nextWakeAt ?? (await w.nextWakeAt());
      if (next === undefined) break;
      clock.set(next);
    }
    crm.faultFor = undefined;

    // Compare the CRM with the model (the local database).
    let lost = 0;
    let duplicated = 0;
    let staleNotes = 0;
    for (const id of ids) {
      const remote = crm.customers.filter((c) => c.localId === id);
      if (remote.length === 0) lost++;
      if (remote.length > 1) duplicated += remote.length - 1;
      const local = await db.customers.get(id);
      const link = await db.links.get([id, CONN]);
      if (remote.length === 1) {
        if (link?.remoteId !== remote[0]!.remoteId || link.syncState !== 'synced' || local?.code !== remote[0]!.code) lost++;
        if ((local?.notes ?? undefined) !== remote[0]!.notes) staleNotes++;
      }
    }
    const followUps = await db.followUps.toArray();
    let followUpsLost = 0;
    let followUpsDuplicated = 0;
    for (const f of followUps) {
      const n = crm.followUps.filter((x) => x.localId === f.id).length;
      if (n === 0) followUpsLost++;
      if (n > 1) followUpsDuplicated += n - 1;
    }
    const notDone = await db.outbox.where('state').notEqual('done').count();
    return {
      customers: ids.length,
      followUps: followUps.length,
      ...figures,
      requests: crm.requests.length,
      lost,
      duplicated,
      followUpsLost,
      followUpsDuplicated,
      staleNotes,
      notDone,
      rateLimitViolations: crm.rateLimitViolations,
    };
  } finally {
    restoreUuids();
    await db.delete();
  }
}

export function sum(all: Figures[]): Figures {
  const out = { ...all[0]! };
  for (const k of Object.keys(out) as (keyof Figures)[]) out[k] = all.reduce((s, f) => s + f[k], 0);
  return out;
}
