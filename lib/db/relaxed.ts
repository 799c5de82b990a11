// A second connection to the same database whose write transactions commit with relaxed
// durability (no flush to disk before `complete`), for writes whose loss in an OS crash or power
// cut costs nothing the user was told is done:
//   - bulk imports, where each batch's transaction also carries the import's own record of
//     what is done (so a lost batch is a batch the report shows as not done);
//   - the chat → customer mapping recorded when a chat is recognised by its phone (losing it
//     costs one more phone match the next time the chat opens).
// The outbox and every user action keep the strict connection (lib/db/db.ts).
//
// Dexie takes durability per connection (its constructor option), not per transaction; LiaisonDb
// fixes 'strict' in its constructor, so the twin sets the option Dexie reads when it creates
// each transaction (Dexie 4: `_options.chromeTransactionDurability`, read per transaction). Both
// connections see the same data: IndexedDB serialises their transactions, and Dexie's liveQuery
// reacts to writes of either (it keys changes by database name).
// Other engines (Firefox, fake-indexeddb) have no durability hint and ignore it.
import Dexie, { type DexieOptions } from 'dexie';
import { LiaisonDb } from './db';

class RelaxedLiaisonDb extends LiaisonDb {
  constructor(name: string) {
    super(name);
    (this._options as DexieOptions).chromeTransactionDurability = 'relaxed';
    // Like Dexie's own handler (close so another connection may upgrade or delete the database,
    // reopen on next use), without its console warning: the twin stepping aside is routine.
    const ev = this.on('versionchange') as unknown as { subscribers: ((e: unknown) => unknown)[]; unsubscribe(fn: (e: unknown) => unknown): void };
    for (const fn of [...ev.subscribers]) ev.unsubscribe(fn);
    this.on('versionchange', () => this.close({ disableAutoOpen: false }));
  }
}

const twins = new WeakMap<LiaisonDb, LiaisonDb>();

/** The relaxed-durability twin of `db` (same database, same schema); `db` itself if it already is one. */
export function relaxed(db: LiaisonDb): LiaisonDb {
  if (db instanceof RelaxedLiaisonDb) return db;
  let twin = twins.get(db);
  // A twin someone closed for good (close() without auto-open) is replaced, not reused.
  if (!twin || twin.hasBeenClosed()) {
    twin = new RelaxedLiaisonDb(db.name);
    twins.set(db, twin);
  }
  return twin;
}

/** The durability the twin's transactions ask for (for tests). */
export const durabilityOf = (db: LiaisonDb): string | undefined => db._options.chromeTransactionDurability;

/**
 * Where to write something whose loss in a crash costs nothing the user was told: the relaxed
 * twin, unless a transaction is open on `db` (the write must join it; the twin would wait for
 * it to end, and it for the write).
 */
export const relaxedUnlessInTransaction = (db: LiaisonDb): LiaisonDb => (Dexie.currentTransaction ? db : relaxed(db));
