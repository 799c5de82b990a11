// Several key reads in one read-only IndexedDB transaction, answered when the last one succeeds
// (issue 19: a new chat's first lookup). Dexie's transaction() wraps each request in its zone and
// promise machinery; measured in Chromium (bench/db-core.ts, 20,000 customers, load 15 on 2
// cores), the three reads of a first sight took p50 1.39 ms through db.transaction + Promise.all
// against 0.92 ms issued on the IDBDatabase Dexie opened, and one Dexie index read 0.82 ms.
// So the hot path issues its requests on Dexie's own connection (db.backendDB()), and resolves
// on the last request's success, not on the transaction's `complete` (a read-only transaction
// has nothing to commit).
//
// Not for use inside a Dexie transaction: a native transaction on stores that transaction holds
// for writing would wait for it, and it for us; and awaiting this (a native promise) inside one
// lets it commit under the caller — so check Dexie.currentTransaction before calling. It returns
// undefined inside one, and when the connection is closed or being upgraded, and the caller
// reads through Dexie instead.
import Dexie from 'dexie';

/** One read: a primary-key get, or every row under one key of an index (getAll). */
export type KeyRead = { store: string; key: IDBValidKey; index?: string };

export async function readTogether(db: Dexie, reads: readonly KeyRead[]): Promise<unknown[] | undefined> {
  if (Dexie.currentTransaction) return undefined;
  if (!db.isOpen()) await db.open();
  let tx: IDBTransaction;
  try {
    tx = db.backendDB().transaction([...new Set(reads.map((r) => r.store))], 'readonly');
  } catch {
    // Closed meanwhile (another connection's upgrade), or a store this schema lacks: Dexie's way.
    return undefined;
  }
  if (reads.length === 0) return [];
  return new Promise((resolve, reject) => {
    const out = new Array<unknown>(reads.length);
    let left = reads.length;
    const fail = () => reject(tx.error ?? new Error('IndexedDB read transaction aborted'));
    tx.onabort = fail;
    tx.onerror = fail;
    reads.forEach((r, i) => {
      const store = tx.objectStore(r.store);
      const req: IDBRequest = r.index ? store.index(r.index).getAll(r.key) : store.get(r.key);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB read failed'));
      req.onsuccess = () => {
        out[i] = req.result;
        if (--left === 0) resolve(out);
      };
    });
  });
}
