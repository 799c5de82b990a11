// Runs the primary-backup task (failover.ts) after sync activity, one run at a time and
// coalesced: the worker reports many recorded results per run, and each would otherwise start
// its own pass over the outbox.
import type { LiaisonDb } from '../db/db';
import { runStrategyTasks, type StrategyTaskResult } from './failover';

export interface StrategyRunnerDeps {
  db: LiaisonDb;
  now(): number;
  /** The adapter's verify(): resolves true when the CRM answered. */
  probe?(connectionId: string): Promise<boolean>;
  /** Rows were written: refresh views and kick the worker. */
  onWrote(tables: string[]): void;
  /** A failover is active: wake up again later, or nobody notices the primary's recovery. */
  onActive?(): void;
  onError?(err: unknown): void;
}

export function createStrategyRunner(deps: StrategyRunnerDeps) {
  let running: Promise<void> | undefined;
  let again = false;

  async function loop(): Promise<void> {
    do {
      again = false;
      const r: StrategyTaskResult = await runStrategyTasks({ db: deps.db, now: deps.now(), ...(deps.probe ? { probe: deps.probe } : {}) });
      if (r.tables.length) deps.onWrote(r.tables);
      if (r.failoverActive) deps.onActive?.();
    } while (again);
  }

  return {
    trigger(): void {
      if (running) {
        again = true;
        return;
      }
      running = loop()
        .catch((err: unknown) => deps.onError?.(err))
        .finally(() => {
          running = undefined;
        });
    },
    /** For tests: the current run, if any. */
    settled(): Promise<void> {
      return running ?? Promise.resolve();
    },
  };
}
