// The floor of bench/worker-start.ts: the least a service worker must do to answer Liaison's
// `settings.get` — open the same IndexedDB database (name and schema of lib/db/schema.ts, through
// the same Dexie) and read the settings row. No router, no zod, no other listener. Bundled by
// esbuild into a classic worker of a minimal extension the bench writes beside Liaison.
import Dexie from 'dexie';
import { DB_NAME, SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4 } from '../../lib/db/schema';

declare const chrome: {
  runtime: { onMessage: { addListener(fn: (m: unknown, sender: unknown, respond: (r: unknown) => void) => boolean | undefined): void } };
};

const db = new Dexie(DB_NAME, { chromeTransactionDurability: 'strict' });
db.version(1).stores(SCHEMA_V1);
db.version(2).stores(SCHEMA_V2);
db.version(3).stores(SCHEMA_V3);
db.version(4).stores(SCHEMA_V4);

chrome.runtime.onMessage.addListener((m, _sender, respond) => {
  const msg = m as { liaison?: unknown; type?: unknown } | null;
  if (msg?.liaison !== 1 || msg.type !== 'settings.get') return undefined;
  db.table('kv')
    .get('settings')
    .then(
      (row: { value?: unknown } | undefined) => respond({ ok: true, data: row?.value ?? {} }),
      (err: unknown) => respond({ ok: false, error: { code: 'internal', message: String(err) } }),
    );
  return true;
});
