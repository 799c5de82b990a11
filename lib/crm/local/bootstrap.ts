import type { LiaisonDb } from '../../db/db';
import { LOCAL_CONNECTION_ID } from '../../model';

/** The embedded local CRM is always a connection, so links and sync states have one shape for every CRM. */
export async function ensureLocalConnection(db: LiaisonDb, now: number): Promise<void> {
  // Every wake of the worker asks; the row is missing only on the first start after install (or
  // after a restore without it). A read-only look first: a read-write transaction on each wake
  // would hold the connections table against the waking event's own reads (connection.list).
  if (await db.connections.get(LOCAL_CONNECTION_ID)) return;
  await db.transaction('rw', db.connections, async () => {
    if (!(await db.connections.get(LOCAL_CONNECTION_ID))) {
      await db.connections.add({ id: LOCAL_CONNECTION_ID, kind: 'local', name: '本地 CRM', enabled: true, settings: {}, createdAt: now });
    }
  });
}
