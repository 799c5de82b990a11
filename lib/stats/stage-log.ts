// Stage history. Customers hold only their current stage, so "moved to 方案沟通 this week" and
// "median days in 跟进中" need a log of changes. Proposal (no schema change needed): an
// append-only log in the kv table, one row per change, keyed
//   stageChange:<at, 13 digits>:<customerId>:<random>
// so the primary key itself is a time index: a range of changes is one key-range read, and
// the log travels with the JSON backup (lib/customers/export.ts exports kv).
// Writers: lib/customers/bulk.ts today; updateCustomer should call appendStageChange inside
// its transaction (add db.kv to its table list) when the stage changes. Until every writer
// does, reports mark stage figures as approximated where the log cannot cover the range.
import type { LiaisonDb } from '../db/db';

export const STAGE_LOG_PREFIX = 'stageChange:';
/** kv row holding when the log started: before it, stage moves are approximated. */
export const STAGE_LOG_SINCE_KEY = 'stageChangeLog.since';

export interface StageChange {
  customerId: string;
  /** undefined for the stage a customer was created with. */
  from?: string;
  to: string;
  at: number;
}

const pad = (ms: number) => String(Math.max(0, Math.floor(ms))).padStart(13, '0');

export function stageChangeKey(c: StageChange): string {
  return `${STAGE_LOG_PREFIX}${pad(c.at)}:${c.customerId}:${crypto.randomUUID().slice(0, 8)}`;
}

/** Appends one change; joins the caller's rw transaction when it includes kv. */
export async function appendStageChange(db: LiaisonDb, change: StageChange): Promise<void> {
  await db.transaction('rw', db.kv, async () => {
    if (!(await db.kv.get(STAGE_LOG_SINCE_KEY))) await db.kv.put({ key: STAGE_LOG_SINCE_KEY, value: change.at });
    await db.kv.add({ key: stageChangeKey(change), value: { ...change } });
  });
}

export async function stageLogSince(db: LiaisonDb): Promise<number | undefined> {
  const v = (await db.kv.get(STAGE_LOG_SINCE_KEY))?.value;
  return typeof v === 'number' ? v : undefined;
}

function asChange(v: unknown): StageChange | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.customerId !== 'string' || typeof o.to !== 'string' || typeof o.at !== 'number') return undefined;
  return { customerId: o.customerId, to: o.to, at: o.at, ...(typeof o.from === 'string' ? { from: o.from } : {}) };
}

/** Changes with from ≤ at < to (whole log without bounds), oldest first. */
export async function readStageChanges(db: LiaisonDb, range: { from?: number; to?: number } = {}): Promise<StageChange[]> {
  const lo = `${STAGE_LOG_PREFIX}${pad(range.from ?? 0)}`;
  // Exclusive upper bound 'stageChange:<to>': every key of an earlier instant sorts below it.
  const hi = range.to === undefined ? `${STAGE_LOG_PREFIX}\uffff` : `${STAGE_LOG_PREFIX}${pad(range.to)}`;
  const rows = await db.kv.where('key').between(lo, hi, true, false).toArray();
  return rows.map((r) => asChange(r.value)).filter((c): c is StageChange => c !== undefined);
}
