// Shared set-up for the sync tests: a fresh database, a fake clock, a fake CRM on one
// connection, and a worker wired like the background will wire it.
import { LiaisonDb } from '../../../lib/db/db';
import type { Connection } from '../../../lib/model';
import { createSyncWorker, type SyncOptions, type SyncWorker, type SyncWorkerDeps } from '../../../lib/sync';
import { fakeClock, FakeCrm, type Clock } from './fake-crm';

export const CONN = 'crm';

export function connectionRow(over: Partial<Connection> = {}): Connection {
  return { id: CONN, kind: 'fake', name: 'Fake CRM', enabled: true, settings: {}, createdAt: 0, ...over };
}

export interface Rig {
  db: LiaisonDb;
  clock: Clock;
  crm: FakeCrm;
  scheduled: number[];
  changed: string[][];
  worker(over?: Partial<SyncWorkerDeps> & { options?: Partial<SyncOptions> }): SyncWorker;
}

export async function rig(opts: { mode?: 'key' | 'lookup'; connection?: Partial<Connection>; db?: LiaisonDb } = {}): Promise<Rig> {
  const db = opts.db ?? new LiaisonDb('t-' + crypto.randomUUID());
  const clock = fakeClock();
  const crm = new FakeCrm(opts.mode ?? 'key', clock);
  await db.connections.put(connectionRow(opts.connection));
  const scheduled: number[] = [];
  const changed: string[][] = [];
  return {
    db,
    clock,
    crm,
    scheduled,
    changed,
    worker: (over = {}) =>
      createSyncWorker({
        db,
        adapterFor: (c) => (c.id === CONN ? crm.adapter() : undefined),
        now: clock.now,
        random: () => 0.5,
        idempotencyOf: () => crm.mode,
        schedule: async (at) => void scheduled.push(at),
        onChanged: (t) => void changed.push(t),
        ...over,
      }),
  };
}

/**
 * Run the worker the way alarms would: run, jump the clock to the wake-up it asked for, run
 * again, until nothing is left to do or `untilMs` of fake time passed.
 */
export async function drive(r: Rig, w: SyncWorker, untilMs = 24 * 3600_000): Promise<void> {
  const end = r.clock.now() + untilMs;
  for (let i = 0; i < 10_000; i++) {
    const report = await w.runOnce();
    const next = report.nextWakeAt;
    if (next === undefined || next > end) return;
    r.clock.set(Math.max(next, r.clock.now()));
  }
  throw new Error('drive: no progress');
}
