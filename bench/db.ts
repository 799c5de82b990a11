// Local database with 100,000 customers, measured in Chromium's IndexedDB (not fake-indexeddb):
// bench/db-core.ts bundled by esbuild into a plain loopback page. See db-core.ts for what each
// figure covers.
import os from 'node:os';
import type { BrowserContext } from 'playwright-core';
import type { DbBenchResult } from './db-core';
import type { FixtureServer } from './lib/fixture-server';
import { percentile, round, type Figure, type Section } from './lib/report';

export const LOOKUP_P95_TARGET_MS = 5;
export const IMPORT_TARGET_MS = 10_000;
/** Issue 19: import ≤ 3× the floor; a new chat's first lookup ≤ 2× the bare phones-index read (p95 each, same run). */
export const IMPORT_FLOOR_RATIO = 3;
export const LOOKUP_FLOOR_RATIO = 2;
/** reliability-security.md goal 9: open < 1 s. */
export const OPEN_TARGET_MS = 1000;

type Api = {
  runDbBench(o: { customers: number; lookups: number }): Promise<DbBenchResult>;
  openOnly(): Promise<{ ms: number; count: number }>;
  deleteBenchDb(): Promise<void>;
};

/** "code 1, name 1, phones 1, searchKeys 3, …" per customer, the indexes that hold entries first. */
function perIndex(res: DbBenchResult): string {
  return Object.entries(res.indexEntriesByIndex)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${round(v / res.customers, 2)}`)
    .join(', ');
}

export function dbFigures(res: DbBenchResult, opens: number[], where: string): Figure[] {
  const n = res.customers.toLocaleString('en-US');
  const lookups = res.resolveByPhoneMs.length;
  const pct = (xs: number[], p: number) => round(percentile(xs, p), 3);
  const figures: Figure[] = [
    { area: 'Local DB', metric: `import ${n} customers (bulkAdd, 10k per transaction, relaxed durability, report written strict)`, value: round(res.importCustomersMs), unit: 'ms', target: { op: '<=', value: IMPORT_TARGET_MS }, note: `floor ${round(res.floorMs)} ms` },
    { area: 'Local DB', metric: `floor: the same ${n} objects into an object store with no index (same chunks, alternating with the import's, same run)`, value: round(res.floorMs), unit: 'ms' },
    { area: 'Local DB', metric: 'import / floor', value: round(res.importCustomersMs / res.floorMs, 2), unit: '×', target: { op: '<=', value: IMPORT_FLOOR_RATIO } },
    { area: 'Local DB', metric: `derive the stored search keys of ${n} customers (storedSearchKeys, JS, before the writes)`, value: round(res.deriveKeysMs), unit: 'ms', note: `${round((res.deriveKeysMs / res.customers) * 1000, 1)} µs per row; not in the import figure above (its rows come prepared)` },
    { area: 'Local DB', metric: 'secondary index entries written with the customers', value: res.indexEntries, unit: 'entries', note: `${round(res.indexEntries / res.customers, 1)} per customer (${perIndex(res)}; search keys in the stored form of lib/search/keys.ts; 12.4 per customer before issue 19)` },
    { area: 'Local DB', metric: `import ${n} chat identities`, value: round(res.importIdentitiesMs), unit: 'ms', note: 'reported apart: identities are created as chats are recognised, not imported with customers' },
    { area: 'Local DB', metric: `lookup by phone, new chat (resolveConversation), p50 (n=${lookups})`, value: pct(res.resolveByPhoneMs, 50), unit: 'ms' },
    { area: 'Local DB', metric: 'lookup by phone, new chat (resolveConversation), p95', value: pct(res.resolveByPhoneMs, 95), unit: 'ms', target: { op: '<=', value: LOOKUP_P95_TARGET_MS }, note: `to the answer; the mapping is written after it (below); floor (phones index read alone) p95 ${pct(res.phoneIndexMs, 95)} ms` },
    { area: 'Local DB', metric: 'mapping written after the answer (relaxed twin), p50 / p95', value: pct(res.deferredWriteMs, 95), unit: 'ms p95', note: `p50 ${pct(res.deferredWriteMs, 50)} ms; not on the path that shows the sidebar` },
    { area: 'Local DB', metric: 'lookup by phone, new chat, p95 / phones index read alone, p95', value: round(percentile(res.resolveByPhoneMs, 95) / percentile(res.phoneIndexMs, 95), 2), unit: '×', target: { op: '<=', value: LOOKUP_FLOOR_RATIO } },
    { area: 'Local DB', metric: `lookup by thread identity (resolveConversation), p50 (n=${lookups})`, value: pct(res.resolveByIdentityMs, 50), unit: 'ms' },
    { area: 'Local DB', metric: 'lookup by thread identity (resolveConversation), p95', value: pct(res.resolveByIdentityMs, 95), unit: 'ms', target: { op: '<=', value: LOOKUP_P95_TARGET_MS } },
    { area: 'Local DB', metric: 'phones index read alone, p50 / p95', value: pct(res.phoneIndexMs, 95), unit: 'ms p95', note: `p50 ${pct(res.phoneIndexMs, 50)} ms` },
    { area: 'Local DB', metric: 'mapping write alone (rw transaction, strict durability), p50 / p95', value: pct(res.mappingWriteMs, 95), unit: 'ms p95', note: `p50 ${pct(res.mappingWriteMs, 50)} ms` },
    { area: 'Local DB', metric: 'identities.get + customers.get alone, p50 / p95', value: pct(res.identityGetMs, 95), unit: 'ms p95', note: `p50 ${pct(res.identityGetMs, 50)} ms` },
    { area: 'Local DB', metric: `open with ${n} customers (close → open → first count), same page`, value: round(res.reopenMs, 1), unit: 'ms', target: { op: '<=', value: OPEN_TARGET_MS } },
    ...(opens.length
      ? [{ area: 'Local DB', metric: `open in a freshly loaded page, p50 of ${opens.length} (max ${round(Math.max(...opens), 1)} ms)`, value: round(percentile(opens, 50), 1), unit: 'ms', target: { op: '<=' as const, value: OPEN_TARGET_MS } }]
      : []),
  ];
  return figures.map((f) => ({ ...f, note: f.note ? `${f.note}; ${where}` : where }));
}

export async function benchDb(o: { context: BrowserContext; server: FixtureServer; customers?: number; lookups?: number; opens?: number }): Promise<Section> {
  const customers = o.customers ?? 100_000;
  const lookups = o.lookups ?? 500;
  const page = await o.context.newPage();
  await page.goto(o.server.pageUrl('db'));
  await page.waitForFunction(() => '__dbBench' in window);
  const res = await page.evaluate(([c, l]) => (window as unknown as { __dbBench: Api }).__dbBench.runDbBench({ customers: c, lookups: l }), [customers, lookups] as const);
  if (!res.correct) throw new Error('the database bench found a wrong answer (a lookup returned another customer, or rows are missing)');
  const opens: number[] = [];
  for (let i = 0; i < (o.opens ?? 5); i++) {
    await page.reload();
    await page.waitForFunction(() => '__dbBench' in window);
    const r = await page.evaluate(() => (window as unknown as { __dbBench: Api }).__dbBench.openOnly());
    if (r.count !== customers) throw new Error(`reopened database has ${r.count} customers`);
    opens.push(r.ms);
  }
  await page.evaluate(() => (window as unknown as { __dbBench: Api }).__dbBench.deleteBenchDb());
  await page.close();
  return {
    area: 'Local DB',
    figures: dbFigures(res, opens, 'Chromium IndexedDB'),
    notes: [...dbNotes(customers, lookups, o.opens ?? 5, res), ...whyMissed(res)],
  };
}

/** Data-driven explanations for the targets this run missed (nothing here is a fixed figure). */
export function whyMissed(res: DbBenchResult): string[] {
  const out: string[] = [];
  const perRow = (ms: number) => round((ms / res.customers) * 1000, 1);
  if (res.importCustomersMs > IMPORT_TARGET_MS || res.importCustomersMs / res.floorMs > IMPORT_FLOOR_RATIO) {
    out.push(
      `Import: ${round(res.importCustomersMs)} ms, ${round(res.importCustomersMs / res.floorMs, 2)}× the floor measured beside it, chunk by chunk (${round(res.floorMs)} ms for the same objects into a store with no index: ${perRow(res.floorMs)} µs per row against ${perRow(res.importCustomersMs)} µs with ${round(res.indexEntries / res.customers, 1)} index entries per row). Where the floor itself is over ${IMPORT_TARGET_MS} ms, the time goes to Chromium writing one record per customer, which no index choice removes; the machine's load (see Machine) inflates both. Index entries per customer: ${perIndex(res)} — every index has a query that needs it (lib/db/schema.ts SCHEMA_V4 lists them).`,
    );
  }
  if (percentile(res.resolveByPhoneMs, 95) > LOOKUP_P95_TARGET_MS || percentile(res.resolveByPhoneMs, 95) / percentile(res.phoneIndexMs, 95) > LOOKUP_FLOOR_RATIO) {
    out.push(
      `Lookup by phone (new chat): p95 ${round(percentile(res.resolveByPhoneMs, 95), 2)} ms against the bare phones-index read p95 ${round(percentile(res.phoneIndexMs, 95), 2)} ms. It is one read-only transaction of three plain key reads issued together on Dexie's connection (the mapping, the phones index getAll, the earlier unlink: lib/db/read-together.ts) plus normalizing the phone; the mapping is written after the answer (relaxed twin, p95 ${round(percentile(res.deferredWriteMs, 95), 2)} ms, not counted); for comparison the strict-durability write alone is p50 ${round(percentile(res.mappingWriteMs, 50), 2)} ms, p95 ${round(percentile(res.mappingWriteMs, 95), 2)} ms here.`,
    );
  }
  if (percentile(res.resolveByIdentityMs, 95) > LOOKUP_P95_TARGET_MS) {
    const [l1] = os.loadavg();
    out.push(
      `Lookup by thread identity missed its p95 (${round(percentile(res.resolveByIdentityMs, 95), 2)} ms) while its p50 is ${round(percentile(res.resolveByIdentityMs, 50), 2)} ms: it is two primary-key reads (identities.get + customers.get, alone p95 ${round(percentile(res.identityGetMs, 95), 2)} ms), so the tail is waiting, not work — the 1-minute load average was ${round(l1 ?? 0, 2)} on ${os.cpus().length} cores when this section finished, i.e. the renderer and Chromium's IndexedDB thread were queued behind other processes.`,
    );
  }
  return out;
}

function dbNotes(customers: number, lookups: number, opens: number, res: DbBenchResult): string[] {
  return [
      `Chromium's IndexedDB through Dexie with the project's LiaisonDb schema (the background's connection is strict; bulk writes and the first-sight mapping go through its relaxed twin, lib/db/relaxed.ts, as in the product), in a plain loopback page; bench/db-core.ts bundled by esbuild. Data: test/bench-data.ts generateBenchData(customers=${customers.toLocaleString('en-US')}, seed 42), generated in the page beforehand (${round(res.generateMs)} ms, not counted in the import). Import = Dexie bulkAdd of prepared rows (search keys already derived, in the stored form of lib/search/keys.ts storedSearchKeys), 10,000 per transaction on the relaxed twin, then the report written in one strict transaction (which flushes everything before it); there is no CSV/sheet parsing in this figure. Floor = the same objects, same chunks, relaxed durability, into a separate database whose only store has no secondary index, in the same page, chunk by chunk alternating with the import's chunks (and which of the two goes first), so that both see the same load on a shared machine. Lookups: the new chat's lookup and the bare phones-index read are likewise timed back to back in alternating order.`,
      `Lookups: ${lookups} random customers each (fixed seed). "By phone" is the first-time recognition up to its answer: resolveConversation on a chat never seen before whose handle is the phone (normalize with libphonenumber, miss the identities table, match the phones multiEntry index; the three key reads issued together in one read-only transaction on Dexie's connection, lib/db/read-together.ts), as the background runs it (lib/customers/view.ts: answer first, write after); the mapping it hands back is then written in a rw transaction with relaxed durability and timed apart (checked written each time). "By thread identity" is resolveConversation on a chat already mapped (identities.get + customers.get). The bare index reads are shown for the breakdown.`,
      `Open: the database is closed and opened again in the same page (Dexie open + customers.count()), and then opened in ${opens} freshly reloaded pages (new JS context; Chromium's IndexedDB backend keeps its own caches, so this is a warm-disk open, not a cold browser start).`,
  ];
}
