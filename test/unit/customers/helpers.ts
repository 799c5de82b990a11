// One fresh database per test (Dexie captures fake-indexeddb at import; isolate by name).
import { afterEach, beforeEach } from 'vitest';
import { LiaisonDb } from '../../../lib/db/db';
import type { Connection } from '../../../lib/model';

export function useDb(): { readonly db: LiaisonDb } {
  const holder = {} as { db: LiaisonDb };
  beforeEach(() => {
    holder.db = new LiaisonDb('t-' + crypto.randomUUID());
  });
  afterEach(async () => {
    await holder.db.delete();
  });
  return holder;
}

/** Local time, so code prefixes and "today" don't depend on the machine's time zone. */
export const at = (y: number, m: number, d: number, h = 10, min = 0) => new Date(y, m - 1, d, h, min).getTime();

export function connection(over: Partial<Connection> = {}): Connection {
  return { id: 'hub', kind: 'hubspot', name: 'HubSpot', enabled: true, settings: {}, createdAt: 0, ...over };
}

/** Every table's rows, for "nothing was written" and round-trip assertions. */
export async function snapshot(db: LiaisonDb) {
  const out: Record<string, unknown[]> = {};
  for (const t of db.tables) out[t.name] = await t.toArray();
  return out;
}
