// The sync worker asks for adapters synchronously, so connections and their secrets are kept
// in memory here, loaded at every worker start and reloaded whenever a connection changes.
// One adapter instance per connection keeps its session/token cache warm between runs.
import type { LiaisonDb } from '@/lib/db/db';
import type { Connection } from '@/lib/model';
import type { CrmAdapter } from '@/lib/crm/port';
import { adapterFor } from '@/lib/crm/adapters';
import { mergeSecrets } from '@/lib/connections/oauth';

export function createAdapterCache(db: LiaisonDb, now: () => number) {
  let secrets = new Map<string, Record<string, string>>();
  const adapters = new Map<string, { connection: Connection; adapter: CrmAdapter | undefined }>();
  let loaded: Promise<void> | undefined;

  async function load() {
    const rows = await db.secrets.toArray();
    secrets = new Map(rows.map((r) => [r.connectionId, r.value]));
    adapters.clear();
  }

  /**
   * Refreshed OAuth tokens: into the database (so the next worker start uses them instead of
   * refreshing again) and into the in-memory map, without rebuilding adapters — the adapter's
   * session already holds the new token, and a rebuild would drop its warm caches.
   */
  async function persistSecrets(connectionId: string, patch: Record<string, string>): Promise<void> {
    if (!(await mergeSecrets(db, connectionId, patch))) return;
    secrets.set(connectionId, { ...(secrets.get(connectionId) ?? {}), ...patch });
  }

  return {
    /** Await before the first sync run of a worker. */
    ready(): Promise<void> {
      loaded ??= load();
      return loaded;
    },
    /** A connection was saved, paused or removed. */
    async reload(): Promise<void> {
      loaded = load();
      await loaded;
    },
    get(connection: Connection): CrmAdapter | undefined {
      const cached = adapters.get(connection.id);
      // Settings may have changed (edit): a different row object means rebuild.
      if (cached && JSON.stringify(cached.connection) === JSON.stringify(connection)) return cached.adapter;
      const adapter = adapterFor(connection.kind, { db, connection, secrets: secrets.get(connection.id) ?? {}, now, onSecrets: (patch) => persistSecrets(connection.id, patch) });
      adapters.set(connection.id, { connection, adapter });
      return adapter;
    },
  };
}
