// The sync worker asks for adapters synchronously, so connections and their secrets are kept
// in memory here, loaded at every worker start and reloaded whenever a connection changes.
// One adapter instance per connection keeps its session/token cache warm between runs.
import type { LiaisonDb } from '@/lib/db/db';
import type { Connection } from '@/lib/model';
import type { CrmAdapter } from '@/lib/crm/port';
import { adapterFor } from '@/lib/crm/adapters';

export function createAdapterCache(db: LiaisonDb, now: () => number) {
  let secrets = new Map<string, Record<string, string>>();
  const adapters = new Map<string, { connection: Connection; adapter: CrmAdapter | undefined }>();
  let loaded: Promise<void> | undefined;

  async function load() {
    const rows = await db.secrets.toArray();
    secrets = new Map(rows.map((r) => [r.connectionId, r.value]));
    adapters.clear();
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
      const adapter = adapterFor(connection.kind, { db, connection, secrets: secrets.get(connection.id) ?? {}, now });
      adapters.set(connection.id, { connection, adapter });
      return adapter;
    },
  };
}
