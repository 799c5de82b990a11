// Backup and move: every table as JSON, and back. Secrets never leave (they stay in the
// secrets table, untouched by import); counters travel so codes don't repeat after import.
//
// Import validates the whole document with the model schemas before the transaction, so a
// malformed file writes nothing. Merge rule: rows already present are kept, except customers,
// where the one with the newer updatedAt wins (the same customer edited on two machines);
// counters take the larger value so no code is issued twice. Replace clears the tables first.
// Outbox rows are imported as they are: an 'inflight' one is what a killed worker leaves
// too, and the worker already reconciles those.
import { z } from 'zod';
import type { Table } from 'dexie';
import {
  connectionSchema,
  customerSchema,
  dealSchema,
  followUpSchema,
  identitySchema,
  linkSchema,
  outboxEntrySchema,
  reminderSchema,
} from '../model';
import type { LiaisonDb } from '../db/db';
import { ValidationError } from './errors';

export const EXPORT_FORMAT = 'liaison-export';
export const EXPORT_VERSION = 1;

const tablesSchema = z.object({
  customers: z.array(customerSchema),
  identities: z.array(identitySchema),
  links: z.array(linkSchema),
  followUps: z.array(followUpSchema),
  deals: z.array(dealSchema),
  reminders: z.array(reminderSchema),
  outbox: z.array(outboxEntrySchema),
  connections: z.array(connectionSchema),
  kv: z.array(z.object({ key: z.string().min(1), value: z.unknown() })),
  counters: z.array(z.object({ key: z.string().min(1), value: z.number().int().nonnegative() })),
});
type Tables = z.infer<typeof tablesSchema>;
type TableName = keyof Tables;
const TABLE_NAMES = Object.keys(tablesSchema.shape) as TableName[];

const documentSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: z.number().int().nonnegative(),
  tables: tablesSchema,
});

export type Counts = Record<string, number>;

const tablesOf = (db: LiaisonDb) => TABLE_NAMES.map((n) => db.table(n));

export async function exportAll(db: LiaisonDb, now: number): Promise<{ json: string; counts: Counts }> {
  const tables = {} as Record<TableName, unknown[]>;
  await db.transaction('r', tablesOf(db), async () => {
    for (const name of TABLE_NAMES) tables[name] = await db.table(name).toArray();
  });
  const counts = Object.fromEntries(TABLE_NAMES.map((n) => [n, tables[n].length]));
  const doc = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: now, tables };
  return { json: JSON.stringify(doc), counts };
}

function parseDocument(json: string): Tables {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new ValidationError(`导入文件不是有效的 JSON / the file is not valid JSON: ${(e as Error).message}`);
  }
  const r = documentSchema.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ValidationError(`导入文件格式不正确，未写入任何数据 / malformed export file, nothing was imported: ${first}`);
  }
  return r.data.tables;
}

/** Adds the rows whose primary key is not present yet; returns how many were added. */
async function addMissing<T>(table: Table<T, unknown>, rows: T[]): Promise<number> {
  if (rows.length === 0) return 0;
  const keyPath = table.schema.primKey.keyPath;
  const keyOf = (row: T): unknown =>
    Array.isArray(keyPath) ? keyPath.map((p) => (row as Record<string, unknown>)[p]) : (row as Record<string, unknown>)[keyPath as string];
  const existing = await table.bulkGet(rows.map(keyOf) as never[]);
  const fresh = rows.filter((_, i) => existing[i] === undefined);
  await table.bulkAdd(fresh);
  return fresh.length;
}

export async function importAll(db: LiaisonDb, json: string, mode: 'merge' | 'replace', _now: number): Promise<Counts> {
  const data = parseDocument(json);
  const counts: Counts = {};
  await db.transaction('rw', tablesOf(db), async () => {
    if (mode === 'replace') {
      for (const name of TABLE_NAMES) {
        await db.table(name).clear();
        await db.table(name).bulkAdd(data[name]);
        counts[name] = data[name].length;
      }
      return;
    }
    for (const name of TABLE_NAMES) {
      if (name === 'customers' || name === 'counters') continue;
      counts[name] = await addMissing(db.table(name), data[name]);
    }
    // Customers: newer updatedAt wins.
    const current = await db.customers.bulkGet(data.customers.map((c) => c.id));
    const winners = data.customers.filter((c, i) => {
      const mine = current[i];
      return mine === undefined || c.updatedAt > mine.updatedAt;
    });
    await db.customers.bulkPut(winners);
    counts.customers = winners.length;
    // Counters: the larger value, so an imported code is never issued again.
    const mine = await db.counters.bulkGet(data.counters.map((c) => c.key));
    const raised = data.counters.filter((c, i) => c.value > (mine[i]?.value ?? 0));
    await db.counters.bulkPut(raised);
    counts.counters = raised.length;
  });
  return counts;
}
