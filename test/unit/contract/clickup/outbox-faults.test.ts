// The outbox fault test for ClickUp tickets, as test/unit/sync/fault.jira.test.ts does for Jira:
// tickets filed beside the chat become ticket.create entries, and the real sync worker sends them
// through the real ClickUp adapter to the emulator over HTTP, while the emulator loses replies
// after the task was created, answers 500 after or before committing, 503 and 429, and 503 on the
// lookups and comments. ClickUp has no idempotency key: the adapter finds a retried ticket by its
// liaison-<key> tag. Counted from the emulator's tasks: each local ticket has exactly one task
// carrying its entry's key, and that task is the place recorded beside the chat (0 lost, 0
// duplicated, no orphan). A second run with the key stripped shows the count can fail. Every
// request goes through ClickUp's own file too (openapi.ts), as in the other contract tests.
import { afterEach, expect, it } from 'vitest';
import { createCustomer } from '../../../../lib/customers/create';
import { createTicket } from '../../../../lib/customers/ticket';
import { createClickUpAdapter } from '../../../../lib/crm/clickup/adapter';
import { clickupSpec } from '../../../../lib/crm/clickup/spec';
import type { CrmAdapter } from '../../../../lib/crm/port';
import { limiterFor, resetLimiters } from '../../../../lib/crm/rate-limiter';
import type { SyncEntry } from '../../../../lib/sync/entry';
import { LIST, startClickUpEmulator, TEAM, type ClickUpEmulator } from '../../../emulators/clickup';
import { rng } from '../../sync/fake-crm';
import { CONN, drive, rig, type Rig } from '../../sync/helpers';
import { summaryLine, type SpecLog } from '../../../specs/openapi';
import { clickupFetch } from './openapi';

const SEEDS = Number(process.env.FAULT_CLICKUP_SEEDS ?? 3);
const TICKETS = Number(process.env.FAULT_CLICKUP_TICKETS ?? 20);
const TICKETS_CAPS = clickupSpec.capabilities.tickets;
const SETTINGS = { teamId: TEAM, listId: LIST };

let open: { r: Rig; emu: ClickUpEmulator }[] = [];
const logs: SpecLog[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.emu.close();
    await o.r.db.delete();
  }
  resetLimiters();
});

interface Figures { tickets: number; tasks: number; lost: number; duplicated: number; orphans: number; misplaced: number; failed: number; faults: Record<string, number> }

async function scenario(seed: number, wrap?: (a: CrmAdapter) => CrmAdapter): Promise<Figures> {
  const r = await rig({ mode: 'lookup', connection: { enabled: false, kind: 'clickup', name: 'ClickUp', settings: SETTINGS } });
  // The rate window is the adapter's to obey (reliability.test.ts); here it is out of the way.
  const emu = await startClickUpEmulator({ now: r.clock.now, perMinute: 1_000_000 });
  open.push({ r, emu });
  const random = rng(seed);
  const faults: Record<string, number> = {};
  emu.control.setFaultPolicy((entry) => {
    const x = random();
    const f = (name: string, fault: { kind: 'fail' | 'drop'; status?: number; commit?: boolean }) => ((faults[name] = (faults[name] ?? 0) + 1), fault);
    if (entry.api === 'task.create') {
      if (x < 0.2) return f('lost reply after commit', { kind: 'drop', commit: true });
      if (x < 0.25) return f('lost request', { kind: 'drop' });
      if (x < 0.3) return f('500 after commit', { kind: 'fail', status: 500, commit: true });
      if (x < 0.35) return f('500', { kind: 'fail', status: 500 });
      if (x < 0.4) return f('503', { kind: 'fail', status: 503 });
      if (x < 0.43) return f('429', { kind: 'fail', status: 429 });
      return undefined;
    }
    if (x < 0.08) return f(`503 on ${entry.api}`, { kind: 'fail', status: 503 });
    return undefined;
  });
  const customers = [];
  for (let i = 0; i < Math.ceil(TICKETS / 2); i++) customers.push(await createCustomer(r.db, { fields: { name: `客户${seed}-${i}`, phones: [`1390013${String(8000 + i).padStart(4, '0')}`] } }, r.clock.now()));
  await r.db.connections.update(CONN, { enabled: true });
  const tickets = [];
  for (let i = 0; i < TICKETS; i++) {
    const c = customers[i % customers.length]!;
    tickets.push(await createTicket(r.db, c.id, { subject: `第${i}号：净水器漏水`, description: `种子 ${seed}，第 ${i} 张`, category: '售后', priority: (['低', '中', '高', '紧急'] as const)[i % 4], messages: [{ id: `m${i}`, at: r.clock.now(), from: 'customer', text: `漏水了 ${i}` }] }, r.clock.now(), { ticketsOf: () => TICKETS_CAPS }));
  }
  // Fast pacing for the test; the adapter finds this limiter by its key.
  limiterFor(`clickup:${CONN}`, { requestsPerSecond: 1000, burst: 100, concurrentWrites: 1 });
  const checked = await clickupFetch();
  logs.push(checked.log);
  const worker = r.worker({
    adapterFor: (conn) => {
      if (conn.id !== CONN) return undefined;
      const a = createClickUpAdapter({ db: r.db, connection: conn, secrets: { token: emu.token }, now: Date.now, fetch: checked.fetch }, { baseUrl: emu.url, timeoutMs: 5000, reconcileDelaysMs: [0] });
      return (wrap ? wrap(a as unknown as CrmAdapter) : a) as CrmAdapter;
    },
    idempotencyOf: () => 'lookup',
    options: { maxAttempts: 30 },
  });
  await drive(r, worker);
  expect(checked.log.errors()).toEqual([]);

  const entries = ((await r.db.outbox.toArray()) as SyncEntry[]).filter((e) => e.op === 'ticket.create');
  const tasks = [...emu.state.tasks.values()];
  const fig: Figures = { tickets: tickets.length, tasks: tasks.length, lost: 0, duplicated: 0, orphans: 0, misplaced: 0, failed: entries.filter((e) => e.state === 'failed').length, faults };
  const keys = new Set<string>();
  for (const t of tickets) {
    const entry = entries.find((e) => e.entity.id === t.id);
    if (!entry) {
      fig.lost++;
      continue;
    }
    const tag = `liaison-${entry.idempotencyKey}`.toLowerCase();
    keys.add(tag);
    const mine = emu.control.tasksTagged(tag);
    if (mine.length === 0) fig.lost++;
    fig.duplicated += Math.max(0, mine.length - 1);
    const place = (await r.db.tickets.get(t.id))?.places.find((p) => p.connectionId === CONN);
    if (mine.length >= 1 && (place?.remoteId === undefined || !mine.some((x) => x.id === place.remoteId))) fig.misplaced++;
  }
  fig.orphans = tasks.filter((x) => !x.tags.some((l) => keys.has(l))).length;
  return fig;
}

it(`ClickUp adapter + emulator, tickets through the outbox: 0 lost, 0 duplicated, each recorded beside the chat (${SEEDS} seeds × ${TICKETS} tickets)`, async () => {
  const all: Figures[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const f = await scenario(seed);
    all.push(f);
    console.log(`clickup fault seed ${seed}: ${f.tickets} tickets, ${f.tasks} tasks, lost ${f.lost}, duplicated ${f.duplicated}, orphans ${f.orphans}, misplaced ${f.misplaced}, failed ${f.failed}; faults ${JSON.stringify(f.faults)}`);
    expect({ seed, lost: f.lost, duplicated: f.duplicated, orphans: f.orphans, misplaced: f.misplaced, failed: f.failed }).toEqual({ seed, lost: 0, duplicated: 0, orphans: 0, misplaced: 0, failed: 0 });
  }
  console.log(summaryLine(logs));
  const faults = all.flatMap((f) => Object.entries(f.faults));
  expect(faults.filter(([k]) => k === 'lost reply after commit').reduce((n, [, v]) => n + v, 0)).toBeGreaterThan(0);
  expect(faults.filter(([k]) => k === '500 after commit').reduce((n, [, v]) => n + v, 0)).toBeGreaterThan(0);
}, 300_000);

it('the same run with the key stripped (a new key per attempt) duplicates tasks: the count can fail', async () => {
  const stripped = (a: CrmAdapter): CrmAdapter => ({ ...a, createTicket: (t, opts) => a.createTicket!(t, { ...opts, idempotencyKey: crypto.randomUUID() }) });
  const f = await scenario(101, stripped);
  console.log(`clickup fault, keys stripped: ${f.tasks} tasks for ${f.tickets} tickets`);
  expect(f.tasks).toBeGreaterThan(f.tickets);
}, 300_000);
