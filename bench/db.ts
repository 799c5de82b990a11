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
/** reliability-security.md goal 9: open < 1 s. */
export const OPEN_TARGET_MS = 1000;

type Api = {
  runDbBench(o: { customers: number; lookups: number }): Promise<DbBenchResult>;
  openOnly(): Promise<{ ms: number; count: number }>;
  deleteBenchDb(): Promise<void>;
};

export function dbFigures(res: DbBenchResult, opens: number[], where: string): Figure[] {
  const n = res.customers.toLocaleString('en-US');
  const lookups = res.resolveByPhoneMs.length;
  const pct = (xs: number[], p: number) => round(percentile(xs, p), 3);
  const figures: Figure[] = [
    { area: 'Local DB', metric: `import ${n} customers (bulkAdd, 10k per transaction)`, value: round(res.importCustomersMs), unit: 'ms', target: { op: '<=', value: IMPORT_TARGET_MS } },
    { area: 'Local DB', metric: 'secondary index entries written with the customers', value: res.indexEntries, unit: 'entries', note: `${round(res.indexEntries / res.customers, 1)} per customer (11 indexes, two of them multiEntry)` },
    { area: 'Local DB', metric: `import ${n} chat identities`, value: round(res.importIdentitiesMs), unit: 'ms', note: 'reported apart: identities are created as chats are recognised, not imported with customers' },
    { area: 'Local DB', metric: `lookup by phone, new chat (resolveConversation), p50 (n=${lookups})`, value: pct(res.resolveByPhoneMs, 50), unit: 'ms' },
    { area: 'Local DB', metric: 'lookup by phone, new chat (resolveConversation), p95', value: pct(res.resolveByPhoneMs, 95), unit: 'ms', target: { op: '<=', value: LOOKUP_P95_TARGET_MS }, note: 'includes recording the mapping (one strict-durability write)' },
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
  if (res.importCustomersMs > IMPORT_TARGET_MS) {
    out.push(
      `Import missed by ${round(res.importCustomersMs / IMPORT_TARGET_MS, 2)}×: ${perRow(res.importCustomersMs)} µs per customer row against ${perRow(res.importIdentitiesMs)} µs per identity row (a table with one secondary index) in the same run. Each customer row carries ${round(res.indexEntries / res.customers, 1)} secondary index entries (${res.indexEntries.toLocaleString('en-US')} in all; searchKeys multiEntry holds name words, pinyin initials, full pinyin, the code and two phone forms), and Chromium's IndexedDB maintains every entry inside the write transaction. Ways out, for whoever owns lib/db: fewer searchKeys per row, or importing in the background in chunks with the UI showing progress (a one-off 100k import at ~${round(res.importCustomersMs / 1000)} s), or relaxed durability for bulk imports only. The machine load during the run (see Machine) also inflates it.`,
    );
  }
  if (percentile(res.resolveByPhoneMs, 95) > LOOKUP_P95_TARGET_MS) {
    out.push(
      `Lookup by phone (new chat) missed its p95: the read part is fast (phones index p95 ${round(percentile(res.phoneIndexMs, 95), 2)} ms), but recognising a new chat also records the mapping in a readwrite transaction with strict durability (lib/identity/resolve.ts autoLink; lib/db/db.ts opens Dexie with chromeTransactionDurability 'strict'), which waits for the disk: that write alone is p50 ${round(percentile(res.mappingWriteMs, 50), 2)} ms, p95 ${round(percentile(res.mappingWriteMs, 95), 2)} ms here. It happens once per chat (the next time is a mapping hit, p95 ${round(percentile(res.resolveByIdentityMs, 95), 2)} ms). The view could be answered before the mapping write commits, or the mapping could be written with relaxed durability (losing it in a crash only costs one more phone match).`,
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
      `Chromium's IndexedDB through Dexie with the project's LiaisonDb schema (strict durability, as the background opens it), in a plain loopback page; bench/db-core.ts bundled by esbuild. Data: test/bench-data.ts generateBenchData(customers=${customers.toLocaleString('en-US')}, seed 42), generated in the page beforehand (${round(res.generateMs)} ms, not counted in the import). Import = Dexie bulkAdd of prepared rows (search keys already derived), 10,000 per transaction; there is no CSV/sheet parsing in this figure.`,
      `Lookups: ${lookups} random customers each (fixed seed). "By phone" is the whole first-time recognition: resolveConversation on a chat never seen before whose handle is the phone (normalize with libphonenumber, miss the identities table, match the phones multiEntry index, then record the mapping in a rw transaction with strict durability). "By thread identity" is resolveConversation on a chat already mapped (identities.get + customers.get). The bare index reads are shown for the breakdown.`,
      `Open: the database is closed and opened again in the same page (Dexie open + customers.count()), and then opened in ${opens} freshly reloaded pages (new JS context; Chromium's IndexedDB backend keeps its own caches, so this is a warm-disk open, not a cold browser start).`,
  ];
}
