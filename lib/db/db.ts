// The "liaison" IndexedDB database, owned by the background service worker only
// (a content script's IndexedDB belongs to the page's origin).
//
// Schema history is append-only: never edit a shipped version, add a new one with an
// upgrade function and a test in test/unit/db/ that seeds the old version with plain Dexie.
import Dexie, { type Table } from 'dexie';
import type { Connection, Customer, Deal, FollowUp, Identity, Link, OutboxEntry, Reminder, Ticket } from '../model';
import { deriveSearchKeys } from '../search/keys';

export interface KvRow {
  key: string;
  value: unknown;
}
/** Credentials per connection. Read by the background only; never sent to any other context. */
export interface SecretRow {
  connectionId: string;
  value: Record<string, string>;
}
/** Sequence counters (customer codes), keyed by the rendered code prefix. */
export interface CounterRow {
  key: string;
  value: number;
}

export { DB_NAME, SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4 } from './schema';
import { DB_NAME, SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4 } from './schema';

export class LiaisonDb extends Dexie {
  customers!: Table<Customer, string>;
  identities!: Table<Identity, [string, string]>;
  links!: Table<Link, [string, string]>;
  followUps!: Table<FollowUp, string>;
  deals!: Table<Deal, string>;
  reminders!: Table<Reminder, string>;
  outbox!: Table<OutboxEntry, string>;
  connections!: Table<Connection, string>;
  secrets!: Table<SecretRow, string>;
  kv!: Table<KvRow, string>;
  counters!: Table<CounterRow, string>;
  tickets!: Table<Ticket, string>;

  constructor(name = DB_NAME) {
    // Strict durability: an acknowledged outbox row must survive a browser crash (Chrome 121 made "relaxed" the default).
    super(name, { chromeTransactionDurability: 'strict' });
    this.version(1).stores(SCHEMA_V1);
    this.version(2)
      .stores(SCHEMA_V2)
      .upgrade((tx) =>
        tx
          .table<Customer>('customers')
          .toCollection()
          .modify((c) => {
            c.searchKeys = deriveSearchKeys(c);
          }),
      );
    this.version(3).stores(SCHEMA_V3);
    this.version(4).stores(SCHEMA_V4);
  }
}

let instance: LiaisonDb | undefined;
/** The background's database. Tests may pass their own name for isolation. */
export function getDb(): LiaisonDb {
  instance ??= new LiaisonDb();
  return instance;
}
