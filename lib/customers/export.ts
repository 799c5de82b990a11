// Backup and move: every table as JSON, and back. Secrets never leave (they stay in the
// secrets table), and an import never changes where a stored secret is sent
// (backup-secrets.ts); counters travel so codes don't repeat after import.
//
// Import checks the file in order of cost, so a hostile one is refused early: its size, then
// (after JSON.parse) the rows per table, then every value's length (backup-limits.ts), then the
// whole document with the model schemas. A file refused at any step writes nothing. Of the kv
// table only the keys a backup carries are imported, each re-validated by its owner's schema;
// chat URLs must be chat pages (chat-url.ts). What was dropped is counted in the report.
//
// Writing goes in batches, one short transaction each, so the database is never held for the
// whole import (the sync worker and the sidebar keep working) and progress can be shown. Merge
// rule: rows already present are kept, except customers, where the one with the newer
// updatedAt wins (the same customer edited on two machines); counters take the larger value so
// no code is issued twice. Replace clears the tables first (in the first batch's transaction);
// should a later batch fail, the report's error says so and the rest can be imported again
// with merge. Outbox rows are imported as they are: an 'inflight' one is what a killed worker
// leaves too, and the worker already reconciles those; they are written last, after the
// connections and links they refer to.
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
  ticketSchema,
} from '../model';
import type { LiaisonDb } from '../db/db';
import { storedSearchKeys } from '../search/keys';
import { relaxed } from '../db/relaxed';
import { ValidationError } from './errors';
import { checkFileSize, checkRowCounts, checkValueSizes } from './backup-limits';
import { checkKvRows, CUSTOM_SITES_KEY, isBackedUpKey } from './backup-kv';
import { planConnectionSecrets, planLlmKey } from './backup-secrets';
import { LLM_SECRET_ID, UNDERSTANDING_KEY } from '../suggest/config';
import { customSitesSchema } from '../custom-sites/schema';
import { lazySchema } from '../model/lazy-schema';

export const EXPORT_FORMAT = 'liaison-export';
export const EXPORT_VERSION = 1;

const tablesSchema = lazySchema(() => z.object({
  customers: z.array(customerSchema),
  identities: z.array(identitySchema),
  links: z.array(linkSchema),
  followUps: z.array(followUpSchema),
  deals: z.array(dealSchema),
  reminders: z.array(reminderSchema),
  /** 工单 (schema v4); absent in exports made before it. */
  tickets: z.array(ticketSchema).default([]),
  outbox: z.array(outboxEntrySchema),
  connections: z.array(connectionSchema),
  kv: z.array(z.object({ key: z.string().min(1).max(500), value: z.unknown() })),
  counters: z.array(z.object({ key: z.string().min(1).max(200), value: z.number().int().nonnegative() })),
}));
type Tables = z.infer<typeof tablesSchema>;
type TableName = keyof Tables;
/** Read from the schema when first needed (reading .shape builds it; the worker's start need not). */
const tableNames = (): TableName[] => Object.keys(tablesSchema.shape) as TableName[];
/** Write order: what a row refers to is written before it (the outbox last). */
const WRITE_ORDER: TableName[] = ['counters', 'connections', 'customers', 'identities', 'links', 'followUps', 'deals', 'reminders', 'tickets', 'kv', 'outbox'];

const documentSchema = lazySchema(() => z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: z.number().int().nonnegative(),
  tables: tablesSchema,
}));

export type Counts = Record<string, number>;

/**
 * Keys of the import report, beside the per-table counts (the message protocol carries one
 * record of numbers). Non-zero ones are shown to the user as notices.
 */
export const REPORT = {
  /** Stored secrets deleted because the imported connection points elsewhere; those connections arrive switched off. */
  secretsDropped: 'report.secretsDropped',
  /** The LLM key deleted because the imported endpoint differs; the LLM arrives switched off. */
  llmKeyDropped: 'report.llmKeyDropped',
  /** Chat addresses that are not chat pages (file:, chrome:, data:, other sites). */
  chatUrlsDropped: 'report.chatUrlsDropped',
  /** Settings rows and fields no backup writes, or that failed validation. */
  settingsDropped: 'report.settingsDropped',
  /** Connection rows refused (a reserved id). */
  connectionsDropped: 'report.connectionsDropped',
} as const;

export interface ImportProgress {
  done: number;
  total: number;
}

/** Rows per write transaction: small enough that other writers wait milliseconds, not minutes. */
export const IMPORT_BATCH = 1000;

const tablesOf = (db: LiaisonDb) => tableNames().map((n) => db.table(n));

export async function exportAll(db: LiaisonDb, now: number): Promise<{ json: string; counts: Counts }> {
  const tables = {} as Record<TableName, unknown[]>;
  await db.transaction('r', tablesOf(db), async () => {
    for (const name of tableNames()) tables[name] = await db.table(name).toArray();
  });
  // Runtime state in kv (breakers, health, caches) belongs to this machine, not to the backup.
  tables.kv = (tables.kv as { key: string }[]).filter((r) => isBackedUpKey(r.key));
  const counts = Object.fromEntries(tableNames().map((n) => [n, tables[n].length]));
  const doc = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: now, tables };
  return { json: JSON.stringify(doc), counts };
}

function parseDocument(json: string): Tables {
  checkFileSize(json.length);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new ValidationError(`导入文件不是有效的 JSON / the file is not valid JSON: ${(e as Error).message}`);
  }
  const tables = raw && typeof raw === 'object' ? (raw as { tables?: unknown }).tables : undefined;
  checkRowCounts(tables);
  checkValueSizes(tables);
  const r = documentSchema.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ValidationError(`导入文件格式不正确，未写入任何数据 / malformed export file, nothing was imported: ${first}`);
  }
  return r.data.tables;
}

function keyOf<T>(table: Table<T, unknown>): (row: T) => unknown {
  const keyPath = table.schema.primKey.keyPath;
  return (row) => (Array.isArray(keyPath) ? keyPath.map((p) => (row as Record<string, unknown>)[p]) : (row as Record<string, unknown>)[keyPath as string]);
}

/** Adds the rows whose primary key is not present yet; returns how many were added. */
async function addMissing<T>(table: Table<T, unknown>, rows: T[]): Promise<number> {
  if (rows.length === 0) return 0;
  const existing = await table.bulkGet(rows.map(keyOf(table)) as never[]);
  const fresh = rows.filter((_, i) => existing[i] === undefined);
  await table.bulkAdd(fresh);
  return fresh.length;
}

/** The rows to write, with the secret and chat-URL rules applied, and the report's counts. */
async function prepare(db: LiaisonDb, data: Tables, mode: 'merge' | 'replace'): Promise<{ rows: Tables; report: Counts; deleteSecrets: string[] }> {
  const report: Counts = Object.fromEntries(Object.values(REPORT).map((k) => [k, 0]));
  const [storedConnections, secrets, storedSites, storedUnderstanding] = await db.transaction('r', [db.connections, db.secrets, db.kv], () =>
    Promise.all([db.connections.toArray(), db.secrets.toArray(), db.kv.get(CUSTOM_SITES_KEY), db.kv.get(UNDERSTANDING_KEY)]),
  );
  const secretIds = new Set(secrets.map((s) => s.connectionId));
  const storedIds = new Set(storedConnections.map((c) => c.id));

  // Merge never overwrites a stored connection, so only the rows it adds are checked.
  const incoming = mode === 'merge' ? data.connections.filter((c) => !storedIds.has(c.id)) : data.connections;
  const plan = planConnectionSecrets(incoming, storedConnections, secretIds);
  report[REPORT.secretsDropped] = plan.deleteSecrets.length;
  report[REPORT.connectionsDropped] = plan.dropped;
  const deleteSecrets = [...plan.deleteSecrets];

  // Chat URLs may point at the sites the user defined here, before the import, too.
  const sites = customSitesSchema.safeParse(storedSites?.value ?? []);
  const kv = checkKvRows(data.kv, sites.success ? sites.data.map((s) => s.pattern) : []);
  report[REPORT.chatUrlsDropped] = kv.droppedChatUrls;
  report[REPORT.settingsDropped] = kv.droppedKeys;
  const understanding = kv.keep.find((r) => r.key === UNDERSTANDING_KEY);
  if (understanding && (mode === 'replace' || !storedUnderstanding)) {
    const llm = planLlmKey(understanding.value, storedUnderstanding?.value, secretIds.has(LLM_SECRET_ID));
    understanding.value = llm.value;
    if (llm.dropKey) {
      deleteSecrets.push(LLM_SECRET_ID);
      report[REPORT.llmKeyDropped] = 1;
    }
  }
  // Search keys are derived from the customer, never taken from the file: a backup without them
  // would hide its customers from search, and a doctored one could make a customer turn up in
  // searches for someone else. Stored in the form that costs fewest index entries (issue 19).
  const customers = data.customers.map((c) => ({ ...c, searchKeys: storedSearchKeys(c) }));
  return { rows: { ...data, customers, connections: plan.connections, kv: kv.keep }, report, deleteSecrets };
}

export async function importAll(
  db: LiaisonDb,
  json: string,
  mode: 'merge' | 'replace',
  _now: number,
  onProgress?: (p: ImportProgress) => void,
): Promise<Counts> {
  const data = parseDocument(json);
  const { rows, report, deleteSecrets } = await prepare(db, data, mode);
  const counts: Counts = Object.fromEntries(tableNames().map((n) => [n, 0]));
  const total = WRITE_ORDER.reduce((n, name) => n + rows[name].length, 0);
  let done = 0;
  onProgress?.({ done, total });

  // First transaction: the secrets that must not follow an imported row, and (replace) the clear.
  // Secrets go before any connection row is written, so no moment exists where both are present.
  await db.transaction('rw', [...tablesOf(db), db.secrets], async () => {
    await db.secrets.bulkDelete(deleteSecrets);
    if (mode === 'replace') for (const name of tableNames()) await db.table(name).clear();
  });

  // The batches commit with relaxed durability (lib/db/relaxed.ts): no flush to disk per batch.
  // An OS crash may then lose the last batches, but only before the report exists: the report
  // is returned after one strict transaction (recording it under IMPORT_REPORT_KEY), and a
  // strict commit flushes the database's log with every write before it. So a report the user
  // sees is on disk, and an import cut off before its report is one the user never saw finish
  // (merge again: rows already present are kept).
  const w = relaxed(db);
  for (const name of WRITE_ORDER) {
    const all = rows[name] as unknown[];
    for (let i = 0; i < all.length; i += IMPORT_BATCH) {
      const batch = all.slice(i, i + IMPORT_BATCH);
      counts[name]! += await w.transaction('rw', w.table(name), () => writeBatch(w, name, batch, mode));
      done += batch.length;
      onProgress?.({ done, total });
    }
  }
  const result = { ...counts, ...report };
  await db.kv.put({ key: IMPORT_REPORT_KEY, value: { at: _now, mode, counts: result } });
  return result;
}

/** The last backup import's report, written strictly after its last batch (see importAll). */
export const IMPORT_REPORT_KEY = 'backup.import.last';

async function writeBatch(db: LiaisonDb, name: TableName, batch: unknown[], mode: 'merge' | 'replace'): Promise<number> {
  const table = db.table(name);
  if (mode === 'replace') {
    await table.bulkPut(batch);
    return batch.length;
  }
  if (name === 'customers') {
    // Newer updatedAt wins.
    const customers = batch as Tables['customers'];
    const current = await db.customers.bulkGet(customers.map((c) => c.id));
    const winners = customers.filter((c, i) => current[i] === undefined || c.updatedAt > current[i]!.updatedAt);
    await db.customers.bulkPut(winners);
    return winners.length;
  }
  if (name === 'counters') {
    // The larger value, so an imported code is never issued again.
    const counters = batch as Tables['counters'];
    const mine = await db.counters.bulkGet(counters.map((c) => c.key));
    const raised = counters.filter((c, i) => c.value > (mine[i]?.value ?? 0));
    await db.counters.bulkPut(raised);
    return raised.length;
  }
  return addMissing(table as Table<unknown, unknown>, batch);
}
