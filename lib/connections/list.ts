// The connections as surfaces list them (which secrets are stored, never their values). Apart from
// ./store.ts, which needs every CRM's spec: the service worker's start answers this read alone.
import type { LiaisonDb } from '../db/db';
import { LOCAL_CONNECTION_ID } from '../model';
import type { ConnectionView } from './views';

export async function listConnections(db: LiaisonDb): Promise<ConnectionView[]> {
  const [connections, secrets] = await Promise.all([db.connections.orderBy('id').toArray(), db.secrets.toArray()]);
  const stored = new Map(secrets.map((s) => [s.connectionId, Object.keys(s.value).filter((k) => s.value[k])]));
  return connections
    .sort((a, b) => (a.id === LOCAL_CONNECTION_ID ? -1 : b.id === LOCAL_CONNECTION_ID ? 1 : a.createdAt - b.createdAt))
    .map((c) => ({ ...c, storedSecrets: stored.get(c.id) ?? [] }));
}
