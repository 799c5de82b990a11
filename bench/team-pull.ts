// Issue 15, a team on one CRM: what the periodic pull costs, against the fewest requests the API
// allows, and how fast a colleague's edit reaches the sidebar beside an open chat.
//
// (a) Requests per periodic pull, lib/sync/pull.ts pullConnection as the background's alarm runs
//     it, with Liaison's own database (Dexie on fake-indexeddb in Node) holding 1,000 customers
//     linked to the CRM:
//     - NocoDB (test/emulators/nocodb, strict like 0.301.3; changes 'modified-filter'): k of the
//       1,000 records edited by a colleague through the REST API since the last pull. API
//       minimum = max(1, ⌈k / 1000⌉) for the customers (NocoDB serves at most 1,000 rows a page;
//       a pull that finds nothing still needs one request to learn it) + max(1, ⌈f / 1000⌉) for
//       the follow-ups table, whose feed the pull also reads (f = 0 here: the same one request). Measured warm (the adapter's table ids and
//       metadata cached, the worker alive) and cold (a fresh adapter, as a service worker
//       restarted by the alarm has), and for a quiet pull right after a bulk import.
//     - 智邦ERP (test/emulators/zhibang; no modification filter, changes 'none'): per-customer
//       reads of the customers active in the last 30 days. API minimum = the number of active
//       customers (nothing tells a changed record from an unchanged one without reading it).
//     Rate limits: every request the adapter sends is timed at its fetch; the highest count in any
//     sliding 1-second window is compared with the connection's declared policy (spec.rateLimit)
//     and 429s are counted. NocoDB documents no limit (reference/nocodb.md: none observed); 智邦
//     documents none (reference/crm-apis.md); neither emulator throttles, so the declared policy
//     is the yardstick.
// (b) Freshness (benchFreshness): a real NocoDB 0.301.3 (scripts/nocodb/harness.ts) and the
//     built extension in Chromium, NocoDB connected through the options page, a customer created
//     beside the demo chat and the chat left open. Each sample: a colleague's edit of 客户阶段
//     through NocoDB's REST API, then the background's pull alarm fired (its real listener,
//     team.pullAll()); a probe inside the sidebar frame notes when the new stage is rendered.
//     Measured: edit sent → shown, with the pull starting at once. End to end the edit also waits
//     for the next alarm tick (uniform over the 拉取间隔, 5 min by default), added analytically.
//
// Run alone: `npx tsx bench/team-pull.ts` (prints the figures and the notes); in `npm run bench`
// as BENCH_ONLY=team-pull.
import 'fake-indexeddb/auto';
import { createNocodbAdapter } from '../lib/crm/nocodb/adapter';
import { nocodbSpec } from '../lib/crm/nocodb/spec';
import { createZhibangAdapter } from '../lib/crm/zhibang/adapter';
import { zhibangSpec } from '../lib/crm/zhibang/spec';
import { resetLimiters } from '../lib/crm/rate-limiter';
import { resetZhibangSessions } from '../lib/crm/zhibang/session';
import { resetZhibangEnumCache } from '../lib/crm/zhibang/enums';
import { resetZhibangMemory } from '../lib/crm/zhibang/state';
import { LiaisonDb } from '../lib/db/db';
import { LOCAL_CONNECTION_ID, linkSchema, type Connection, type Customer } from '../lib/model';
import { pullConnection } from '../lib/sync/pull';
import { startNocodbEmulator, type NocodbEmulator } from '../test/emulators/nocodb/index';
import { startZhibangEmulator } from '../test/emulators/zhibang/index';
import { percentile, round, type Figure, type Section } from './lib/report';

const MAPPED = 1000;
const DAY = 86_400_000;
const AREA = 'Team pull';

interface Timed {
  at: number;
  status: number;
}

/** A fetch that notes when each request left and how it was answered. */
function timedFetch(inner: typeof fetch, log: Timed[]): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const at = Date.now();
    try {
      const res = await inner(input, init);
      log.push({ at, status: res.status });
      return res;
    } catch (e) {
      log.push({ at, status: 0 });
      throw e;
    }
  }) as typeof fetch;
}

/** Most requests in any window (t − 1000 ms, t]. */
export function maxPerSecond(log: readonly Timed[]): number {
  const ts = log.map((e) => e.at).sort((a, b) => a - b);
  let max = 0;
  for (let lo = 0, hi = 0; hi < ts.length; hi++) {
    while (ts[lo]! <= ts[hi]! - 1000) lo++;
    max = Math.max(max, hi - lo + 1);
  }
  return max;
}

function localCustomer(i: number, over: Partial<Customer> = {}): Customer {
  const now = Date.now();
  return { id: `bench-${i}`, code: `KH${String(i).padStart(6, '0')}`, name: `客户${i}`, phones: [`+86137${String(10_000_000 + i).slice(-8)}`], tags: [], stage: '新客户', createdAt: now, updatedAt: now, searchKeys: [], ...over };
}

async function linkAll(db: LiaisonDb, connection: Connection, pairs: { customer: Customer; remoteId: string }[]) {
  await db.connections.put(connection);
  await db.transaction('rw', [db.customers, db.links], async () => {
    for (const { customer, remoteId } of pairs) {
      await db.customers.put(customer);
      await db.links.put(linkSchema.parse({ customerId: customer.id, connectionId: LOCAL_CONNECTION_ID, remoteId: customer.id, remoteCode: customer.code, syncState: 'synced' }));
      await db.links.put(linkSchema.parse({ customerId: customer.id, connectionId: connection.id, remoteId, syncState: 'synced' }));
    }
  });
}

// ---- (a) NocoDB ----

interface NocoRig {
  emu: NocodbEmulator;
  db: LiaisonDb;
  connection: Connection;
  log: Timed[];
  /** The worker's clock: real time plus a skew the bench moves to stand for the minutes between pulls. */
  skip(ms: number): void;
  pull(o: { cold: boolean }): Promise<{ requests: number; report: Awaited<ReturnType<typeof pullConnection>>; log: Timed[] }>;
}

async function nocoRig(): Promise<NocoRig> {
  resetLimiters();
  const emu = startNocodbEmulator();
  const log: Timed[] = [];
  let skew = 0;
  const now = () => Date.now() + skew;
  const connection: Connection = { id: `noco-bench-${crypto.randomUUID()}`, kind: 'nocodb', name: 'NocoDB', enabled: true, settings: { host: 'http://nocodb.emulator:8080', base_id: emu.baseId, codeMaster: true }, createdAt: 0 };
  const make = () => createNocodbAdapter({ db: undefined, connection, secrets: { api_token: emu.token }, now, fetch: timedFetch(emu.fetch, log) });
  const setup = await make().setupRecommendedTables();
  if (!setup.ok) throw new Error('NocoDB emulator: recommended tables not made');
  const db = new LiaisonDb(`bench-team-noco-${crypto.randomUUID()}`);
  let warm = make();
  return {
    emu,
    db,
    connection,
    log,
    skip: (ms) => void (skew += ms),
    async pull({ cold }) {
      if (cold) warm = make();
      const from = log.length;
      const report = await pullConnection({ db, connection, adapter: warm, now });
      return { requests: log.length - from, report, log: log.slice(from) };
    },
  };
}

async function seedNocodb(rig: NocoRig): Promise<string[]> {
  const adapter = createNocodbAdapter({ db: undefined, connection: rig.connection, secrets: { api_token: rig.emu.token }, now: Date.now, fetch: rig.emu.fetch });
  const ids: string[] = [];
  for (let i = 0; i < MAPPED; i += 100) {
    const made = await adapter.batchCreateCustomers(Array.from({ length: 100 }, (_, k) => ({ customer: localCustomer(i + k), idempotencyKey: crypto.randomUUID() })));
    for (const m of made) {
      if (!m.ok) throw new Error('seed create failed');
      ids.push(m.ref.remoteId);
    }
  }
  await linkAll(rig.db, rig.connection, ids.map((remoteId, i) => ({ customer: localCustomer(i), remoteId })));
  return ids;
}

const STAGES = ['已联系', '跟进中', '方案沟通', '谈判中'] as const;

async function colleagueEdits(emu: NocodbEmulator, ids: readonly string[], k: number, round: number): Promise<void> {
  // Spread over the table (every ⌊1000/k⌋-th row), a value that differs from the last round's.
  const step = Math.max(1, Math.floor(ids.length / k));
  for (let i = 0; i < k; i++) await emu.colleague.patch('客户', Number(ids[(i * step) % ids.length]), { 客户阶段: STAGES[round % STAGES.length] });
}

interface PullRow {
  label: string;
  k: number;
  minimum: number;
  requests: number;
  applied: number;
  fieldsChanged: number;
  maxPerSecond: number;
  status429: number;
}

async function benchNocodbPulls(): Promise<PullRow[]> {
  const rig = await nocoRig();
  const rows: PullRow[] = [];
  try {
    const ids = await seedNocodb(rig);
    const row = (label: string, k: number, r: Awaited<ReturnType<NocoRig['pull']>>): PullRow => {
      if (r.report.error) throw new Error(`pull failed: ${r.report.error}`);
      // Customers' changes + the follow-ups feed (no colleague follow-ups here: one request to learn that).
      return { label, k, minimum: Math.max(1, Math.ceil(k / 1000)) + 1, requests: r.requests, applied: r.report.applied, fieldsChanged: r.report.fieldsChanged, maxPerSecond: maxPerSecond(r.log), status429: r.log.filter((e) => e.status === 429).length };
    };
    // The first pull after linking reads everything of the last 30 days (all 1,000): not a periodic one.
    rig.emu.advance(60_000);
    rig.skip(60_000);
    const first = await rig.pull({ cold: true });
    rows.push(row('first pull after linking 1,000 (initial 30-day window)', MAPPED, first));
    // A quiet pull right after a bulk import (every row created in the same second).
    rig.emu.advance(300_000);
    rig.skip(300_000);
    rows.push(row('quiet pull, nothing changed, right after the bulk import', 0, await rig.pull({ cold: false })));
    // Steady state: one edit seen by the previous pull, then k edits.
    let round = 0;
    await colleagueEdits(rig.emu, ids, 1, round++);
    rig.emu.advance(300_000);
    rig.skip(300_000);
    await rig.pull({ cold: false });
    for (const k of [0, 50, 500]) {
      for (const cold of [false, true]) {
        rig.emu.advance(60_000);
        await colleagueEdits(rig.emu, ids, k, round++);
        rig.emu.advance(240_000);
        rig.skip(300_000);
        rows.push(row(`k = ${k} changed of 1,000, ${cold ? 'cold worker (fresh adapter)' : 'warm worker'}`, k, await rig.pull({ cold })));
      }
    }
  } finally {
    await rig.db.delete();
  }
  return rows;
}

// ---- (a) 智邦ERP ----

async function benchZhibangPull(active: number, changed: number): Promise<PullRow & { cold: PullRow }> {
  resetLimiters();
  resetZhibangSessions();
  resetZhibangEnumCache();
  resetZhibangMemory();
  const emu = await startZhibangEmulator({ replyShape: 'body' });
  const db = new LiaisonDb(`bench-team-zb-${crypto.randomUUID()}`);
  try {
    const store = emu.state;
    const ords: number[] = [];
    for (let i = 0; i < MAPPED; i++) {
      const c = store.insert(1);
      store.commitCustomer(c, { name: `公司${i}`, person_name: `客户${i}`, sort1: store.sort1Options[0]!, mobile: `137${String(10_000_000 + i).slice(-8)}` });
      ords.push(c.ord);
    }
    const now = Date.now();
    const connection: Connection = { id: `zb-bench-${crypto.randomUUID()}`, kind: 'zhibang', name: '智邦ERP', enabled: true, settings: { host: emu.url, user: 'sales01', apiStyle: 'v1', defaultSource: '1001' }, createdAt: 0 };
    // The first `active` customers were contacted this week; the rest last touched 90 days ago.
    await linkAll(
      db,
      connection,
      ords.map((ord, i) => ({ customer: localCustomer(i, i < active ? { lastContactAt: now - 2 * DAY } : { createdAt: now - 90 * DAY, updatedAt: now - 90 * DAY }), remoteId: String(ord) })),
    );
    const log: Timed[] = [];
    const memory = new Map<string, unknown>();
    const make = () =>
      createZhibangAdapter({ db: undefined, connection, secrets: { password: 'pa55word' }, now: Date.now, fetch: timedFetch(globalThis.fetch, log), state: { get: async (k) => memory.get(k), set: async (k, v) => void memory.set(k, v) } });
    let adapter = make();
    const pull = async () => {
      const from = log.length;
      const report = await pullConnection({ db, connection, adapter, now: Date.now });
      if (report.error) throw new Error(`智邦 pull failed: ${report.error}`);
      const l = log.slice(from);
      return { requests: l.length, report, log: l };
    };
    // The first pull reads every active customer and sets each link's base and marker.
    await pull();
    const sort1 = store.sort1Options[1] ?? store.sort1Options[0]!;
    const editSome = () => {
      for (let i = 0; i < changed; i++) {
        const why = store.editAsColleague(ords[i * Math.floor(active / changed)]!, { sort1, intro: `同事改过 ${Date.now()}-${i}` });
        if (why) throw new Error(`colleague edit refused: ${why}`);
      }
    };
    editSome();
    const warm = await pull();
    const toRow = (label: string, r: Awaited<ReturnType<typeof pull>>): PullRow => ({ label, k: changed, minimum: active, requests: r.requests, applied: r.report.applied, fieldsChanged: r.report.fieldsChanged, maxPerSecond: maxPerSecond(r.log), status429: r.log.filter((e) => e.status === 429).length });
    // A restarted worker: a fresh adapter (its session and enum lists are remembered in `state`).
    adapter = make();
    resetZhibangSessions();
    resetZhibangEnumCache();
    editSome();
    const cold = await pull();
    return { ...toRow(`${active} active of 1,000, ${changed} changed, warm worker`, warm), cold: toRow(`${active} active of 1,000, ${changed} changed, cold worker`, cold) };
  } finally {
    await db.delete();
    await emu.close();
  }
}

// ---- (b) freshness, real NocoDB + the built extension ----

export interface FreshnessResult {
  /** Edit → shown, the periodic pull's alarm fired at once. */
  samples: number[];
  /** Edit → shown, the sidebar's 刷新 (pull-now: the pullNow that the stale-on-open read runs). */
  refresh: number[];
  pullMinutes: number;
  note: string;
}

export async function benchFreshness(samples = 15): Promise<FreshnessResult> {
  const { startNocodb } = await import('../scripts/nocodb/harness');
  const { launchWithExtension } = await import('../scripts/lib/chromium.mjs');
  const { startDemoServer } = await import('../demo/server.mjs');
  const { sidebarFrame } = await import('../test/e2e/sidebar-locator');
  const server = await startNocodb();
  const demo = await startDemoServer({ port: 0 });
  const ext = await launchWithExtension({});
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(new URL(path, server.url), { method, headers: { 'xc-token': server.token, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  try {
    resetLimiters();
    const base = (await api('POST', '/api/v2/meta/bases', { title: 'freshness' })) as { id: string };
    const setupAdapter = createNocodbAdapter({ db: undefined, connection: { id: 'fresh-setup', kind: 'nocodb', name: 'NocoDB', enabled: true, settings: { host: server.url, base_id: base.id }, createdAt: 0 }, secrets: { api_token: server.token }, now: Date.now });
    const tables = await setupAdapter.setupRecommendedTables();
    const customersTable = tables.tables.customers!;

    const options = await ext.context.newPage();
    await options.goto(ext.extensionUrl('options.html'));
    await options.locator('[data-testid="conn-add-nocodb"]').click();
    const form = options.locator('[data-testid="connection-form"]');
    await form.locator('[data-testid="conn-field-host"]').fill(server.url);
    await form.locator('[data-testid="conn-field-base_id"]').fill(base.id);
    await form.locator('[data-testid="conn-field-api_token"]').fill(server.token);
    await form.locator('[data-testid="conn-test"]').click();
    await form.locator('[data-testid="conn-test-ok"]').waitFor({ timeout: 30_000 });
    await form.locator('[data-testid="conn-save"]').click();
    await options.locator('[data-testid="connection"]', { hasText: 'NocoDB' }).waitFor({ timeout: 15_000 });

    const chat = await ext.context.newPage();
    await chat.goto(new URL('/?live=0#/chat/u_8613800138000', demo.url).href);
    const frame = async () => {
      for (let i = 0; i < 200; i++) {
        const f = sidebarFrame(chat);
        if (f) return f;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('no sidebar frame');
    };
    await (await frame()).locator('[data-testid="create-submit"]').click({ timeout: 20_000 });
    let id = 0;
    for (let i = 0; i < 300 && !id; i++) {
      const list = (await api('GET', `/api/v2/tables/${customersTable}/records?limit=1`)) as { list: { Id: number; 客户编号: string }[] };
      const code = list.list[0]?.['客户编号'];
      if (code && (await (await frame()).locator('[data-testid="customer-code"]').innerText().catch(() => '')) === code) id = list.list[0]!.Id;
      else await new Promise((r) => setTimeout(r, 200));
    }
    if (!id) throw new Error('the customer never reached NocoDB with its code shown');

    const fireAlarm = async () => {
      const sw = await ext.worker();
      await sw.evaluate(async () => {
        const alarms = (globalThis as unknown as { chrome: { alarms: { create(n: string, i: { when: number; periodInMinutes: number }): Promise<void> } } }).chrome.alarms;
        await alarms.create('liaison.pull', { when: Date.now() + 1, periodInMinutes: 5 });
      });
    };
    const out: number[] = [];
    const refresh: number[] = [];
    const stages = ['已联系', '跟进中', '方案沟通', '谈判中'];
    for (let i = 0; i < 2 * samples; i++) {
      const viaAlarm = i % 2 === 0;
      const stage = stages[i % stages.length]!;
      const f = await frame();
      // The probe: the frame's own clock when the stage badge first reads the new stage.
      // A string, not a function: tsx would wrap a function's inner closures in its __name helper, absent in the page.
      await f.evaluate(`(() => {
        const want = ${JSON.stringify(stage)};
        window.__probe?.disconnect();
        delete window.__shownAt;
        window.__probe = new MutationObserver(() => {
          const el = document.querySelector('[data-testid="stage-badge"]');
          if (el && el.textContent && el.textContent.includes(want) && window.__shownAt === undefined) window.__shownAt = Date.now();
        });
        window.__probe.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
      })()`);
      const t0 = Date.now();
      await api('PATCH', `/api/v2/tables/${customersTable}/records`, [{ Id: id, 客户阶段: stage }]);
      if (viaAlarm) await fireAlarm();
      else await f.locator('[data-testid="pull-now"]').first().click();
      let shown: number | undefined;
      for (let w = 0; w < 300 && shown === undefined; w++) {
        shown = await f.evaluate(() => (window as unknown as { __shownAt?: number }).__shownAt);
        if (shown === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      if (shown === undefined) {
        const badge = await f.locator('[data-testid="stage-badge"]').allInnerTexts().catch((e: Error) => [e.message]);
        const alarms = await (await ext.worker()).evaluate(() => (globalThis as unknown as { chrome: { alarms: { getAll(): Promise<unknown> } } }).chrome.alarms.getAll());
        throw new Error(`sample ${i}: the stage ${stage} was never shown (badge: ${JSON.stringify(badge)}, alarms ${JSON.stringify(alarms)}, probe ${await f.evaluate('typeof window.__probe')})`);
      }
      (viaAlarm ? out : refresh).push(shown - t0);
      // Next edit in a later second than this one (NocoDB's UpdatedAt is to the second).
      await new Promise((r) => setTimeout(r, 1100));
    }
    return {
      samples: out,
      refresh,
      pullMinutes: 5,
      note: `NocoDB ${server.version} at ${server.url} (SQLite), one Chromium with the built extension, customer created beside the demo chat and linked; ${samples} samples`,
    };
  } finally {
    await ext.close();
    await demo.close();
    await server.stop();
  }
}

// ---- the section ----

export async function benchTeamPull(o: { freshness?: boolean } = {}): Promise<Section> {
  const figures: Figure[] = [];
  const notes: string[] = [];
  const noco = await benchNocodbPulls();
  const zbActive = 100;
  const zb = await benchZhibangPull(zbActive, 50);
  const ratio = (r: PullRow) => round(r.requests / r.minimum, 2);
  const declared = (spec: { rateLimit: { requestsPerSecond?: number } }) => spec.rateLimit.requestsPerSecond ?? Infinity;
  for (const r of noco) {
    if (r.label.startsWith('k = 50 ')) {
      figures.push({ area: AREA, metric: `NocoDB: requests per periodic pull vs API minimum (${r.label})`, value: ratio(r), unit: '×', target: { op: '<=', value: 1.2 }, note: `${r.requests} requests, minimum ${r.minimum}; ${r.applied} records applied` });
    }
  }
  for (const r of [zb, zb.cold]) figures.push({ area: AREA, metric: `智邦ERP: requests per periodic pull vs API minimum (${r.label})`, value: ratio(r), unit: '×', target: { op: '<=', value: 1.2 }, note: `${r.requests} requests, minimum ${r.minimum} (one read per active customer)` });
  const all = [...noco, zb, zb.cold];
  // Neither emulator throttles (neither vendor documents a limit), so a "violation" is a 429 the
  // pull caused, and the pull's own pace is shown beside the connection's declared policy.
  figures.push({ area: AREA, metric: 'rate-limit violations: 429s answered during the pulls (both CRMs, every pull above)', value: all.reduce((a, r) => a + r.status429, 0), unit: '', target: { op: '<=', value: 0 } });
  figures.push({ area: AREA, metric: 'NocoDB: most requests in any 1 s window of a pull', value: Math.max(...noco.map((r) => r.maxPerSecond)), unit: 'req', note: `declared policy ${declared(nocodbSpec)}/s, burst ${nocodbSpec.rateLimit.burst}; NocoDB documents no limit` });
  figures.push({ area: AREA, metric: '智邦ERP: most requests in any 1 s window of a pull', value: Math.max(zb.maxPerSecond, zb.cold.maxPerSecond), unit: 'req', note: `declared policy ${declared(zhibangSpec)}/s, burst ${zhibangSpec.rateLimit.burst} (a token bucket: a full bucket plus one second's refill can put up to 5 in one window); 智邦 documents no limit` });
  notes.push(
    'Requests per pull are counted at the adapter\'s fetch (every request, including table and metadata lookups and 智邦\'s login). Liaison\'s database is Dexie on fake-indexeddb in Node; 1,000 customers linked to the CRM record; the pull is lib/sync/pull.ts pullConnection as the alarm runs it, with its defaults (page size: the adapter\'s, per-run cap 200 reads).',
    `NocoDB (emulator, strict like 0.301.3; Liaison's declared limit ${nocodbSpec.rateLimit.requestsPerSecond}/s burst ${nocodbSpec.rateLimit.burst}). A colleague's edits go through the emulator's REST API with a second token; the emulator's clock moves 5 minutes between pulls, and so does the worker's (real time plus a skew, which also ages the 5-minute metadata cache as it would age). Minimum = max(1, ⌈k / 1000⌉) for the customers + 1 for the follow-ups feed (no colleague follow-ups here).`,
    '| pull | k | requests | minimum | ratio | applied | fields changed | max req in 1 s | 429 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...noco.map((r) => `| ${r.label} | ${r.k} | ${r.requests} | ${r.minimum} | ${ratio(r)} | ${r.applied} | ${r.fieldsChanged} | ${r.maxPerSecond} | ${r.status429} |`),
    `智邦ERP (emulator; declared limit ${zhibangSpec.rateLimit.requestsPerSecond}/s burst ${zhibangSpec.rateLimit.burst}; no modification filter): 1,000 linked, ${zbActive} active in the last 30 days (lastContactAt 2 days ago), 900 last touched 90 days ago; 50 of the active edited by a colleague (跟进程度 and 备注) before each pull. The first pull (not counted) set each link's base and marker.`,
    '| pull | changed | requests | minimum | ratio | applied | fields changed | max req in 1 s | 429 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...[zb, zb.cold].map((r) => `| ${r.label} | ${r.k} | ${r.requests} | ${r.minimum} | ${ratio(r)} | ${r.applied} | ${r.fieldsChanged} | ${r.maxPerSecond} | ${r.status429} |`),
  );
  if (o.freshness !== false) {
    const f = await benchFreshness();
    const p50 = percentile(f.samples, 50);
    const p95 = percentile(f.samples, 95);
    const period = f.pullMinutes * 60_000;
    figures.push({ area: AREA, metric: `freshness, NocoDB REST edit → shown in the open chat's sidebar, pull fired at once, p95 (${f.samples.length})`, value: round(p95, 0), unit: 'ms', note: `p50 ${round(p50, 0)} ms` });
    figures.push({ area: AREA, metric: `freshness end to end with the ${f.pullMinutes}-minute pull alarm, p95 (edit uniform over the period)`, value: round((0.95 * period + p95) / 1000, 1), unit: 's', note: 'computed: 0.95 × the period + the measured p95 above' });
    const r95 = percentile(f.refresh, 95);
    figures.push({ area: AREA, metric: `freshness, NocoDB REST edit → shown after 刷新 (pull-now: the read a chat opened on stale data runs), p95 (${f.refresh.length})`, value: round(r95, 0), unit: 'ms', note: `p50 ${round(percentile(f.refresh, 50), 0)} ms` });
    notes.push(
      `Freshness: ${f.note}. Each sample: PATCH 客户阶段 through NocoDB's REST API (t0 = just before the request), then the background's own pull alarm (liaison.pull) re-created to fire at once; a MutationObserver inside the sidebar frame notes Date.now() when the stage badge first reads the new stage. Samples (ms): ${f.samples.map((x) => round(x, 0)).join(', ')}. p50 ${round(p50, 0)} ms, p95 ${round(p95, 0)} ms. The same with the sidebar's 刷新 button (pull-now → crm.pullCustomer → pullNow: the customer's record, follow-ups and deals) instead of the alarm, alternating with the alarm samples: ${f.refresh.map((x) => round(x, 0)).join(', ')} ms. End to end an edit also waits for the next alarm tick, uniform over the ${f.pullMinutes}-minute period: p95 ≈ 0.95 × ${f.pullMinutes} min + ${round(p95, 0)} ms (computed, not measured). A chat opened with data older than 60 s reads its customer back at once (sidebar.state → pullIfStale → the same pullNow as 刷新): not sampled as such (each sample needs 60 s of staleness); within 60 s of the last read an edit waits for the alarm or 刷新.`,
    );
  }
  return { area: AREA, figures, notes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const freshness = process.env.BENCH_FRESHNESS !== '0';
  const s = await benchTeamPull({ freshness });
  for (const f of s.figures) console.log(`${f.metric}: ${f.value} ${f.unit}${f.target ? ` (target ${f.target.op} ${f.target.value})` : ''}${f.note ? ` — ${f.note}` : ''}`);
  console.log('\n' + s.notes.join('\n'));
  process.exit(0);
}
