// The outbox fault test for tickets (issue 17) against the real Zendesk adapter and the Zendesk
// emulator over HTTP: tickets filed beside the chat become ticket.create entries, and the worker
// sends them while the emulator loses replies after the ticket was created, answers 500 after or
// before committing, 503 and 429, and the service worker is killed mid-request (its in-flight
// request may or may not reach Zendesk; a new worker with a new adapter takes over once the dead
// one's claims expire). Zendesk's own Idempotency-Key covers a retry within two hours with the
// same body; the adapter also stores the key as the ticket's external_id and lists by it before a
// create, so a retry after the key expired finds the first ticket too. Counted from the emulator's
// tickets: each local ticket has exactly one Zendesk ticket carrying its entry's key, and that is
// the place recorded beside the chat (0 lost, 0 duplicated, no orphan).
//
// Like fault.jira.test.ts, not the shared harness (fault-emulated.ts drives customers, follow-ups
// and deals, not tickets); unlike it, with worker kills.
import { afterEach, expect, it } from 'vitest';
import { createCustomer } from '../../../lib/customers/create';
import { createTicket } from '../../../lib/customers/ticket';
import { createZendeskAdapter } from '../../../lib/crm/zendesk/adapter';
import { zendeskSpec } from '../../../lib/crm/zendesk/spec';
import type { CrmAdapter } from '../../../lib/crm/port';
import { limiterFor, resetLimiters } from '../../../lib/crm/rate-limiter';
import { SYNC_DEFAULTS } from '../../../lib/sync';
import type { SyncEntry } from '../../../lib/sync/entry';
import { startZendeskEmulator, type ZendeskEmulator } from '../../emulators/zendesk';
import { rng } from './fake-crm';
import { CONN, rig, type Rig } from './helpers';

const SEEDS = Number(process.env.FAULT_ZENDESK_SEEDS ?? process.env.FAULT_EMU_SEEDS ?? 3);
const TICKETS = Number(process.env.FAULT_ZENDESK_TICKETS ?? 20);
const TICKETS_CAPS = zendeskSpec.capabilities.tickets;

const open: { r: Rig; emu: ZendeskEmulator }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.emu.close();
    await o.r.db.delete();
  }
  resetLimiters();
});

interface Figures { tickets: number; remote: number; lost: number; duplicated: number; orphans: number; misplaced: number; failed: number; kills: number; faults: Record<string, number> }

async function scenario(seed: number, wrap?: (a: CrmAdapter) => CrmAdapter): Promise<Figures> {
  const r = await rig({ mode: 'key', connection: { enabled: false, kind: 'zendesk', name: 'Zendesk', settings: {} } });
  const emu = await startZendeskEmulator({ now: r.clock.now, perMinute: 1_000_000 });
  open.push({ r, emu });
  await r.db.connections.update(CONN, { settings: { subdomain: emu.subdomain, email: emu.email } });
  const random = rng(seed);
  const faults: Record<string, number> = {};
  const count = (name: string) => void (faults[name] = (faults[name] ?? 0) + 1);
  let killed = false;
  let life = new AbortController();
  emu.control.setFaultPolicy((entry) => {
    if (killed) return { kind: 'drop' }; // a dead worker's request: nothing happens
    const x = random();
    if (x < 0.04) {
      // The service worker dies with this request in flight: it may or may not have reached Zendesk.
      killed = true;
      life.abort();
      count('worker killed');
      return { kind: 'drop', ...(random() < 0.5 ? { commit: true } : {}) };
    }
    if (entry.api === 'tickets.create') {
      if (x < 0.2) return count('lost reply after commit'), { kind: 'drop', commit: true };
      if (x < 0.25) return count('lost request'), { kind: 'drop' };
      if (x < 0.3) return count('500 after commit'), { kind: 'fail', status: 500, commit: true };
      if (x < 0.35) return count('500'), { kind: 'fail', status: 500 };
      if (x < 0.4) return count('503'), { kind: 'fail', status: 503 };
      if (x < 0.43) return count('429'), { kind: 'fail', status: 429 };
      return undefined;
    }
    if (x < 0.1) return count(`503 on ${entry.api}`), { kind: 'fail', status: 503 };
    return undefined;
  });
  // Customers with an email (the requester) or a phone only (made a Zendesk user first).
  const customers = [];
  for (let i = 0; i < Math.ceil(TICKETS / 2); i++) {
    const fields = i % 2 === 0 ? { name: `客户${seed}-${i}`, email: `c${seed}-${i}@example.com` } : { name: `客户${seed}-${i}`, phones: [`1380013${String(8000 + i).padStart(4, '0')}`] };
    customers.push(await createCustomer(r.db, { fields }, r.clock.now()));
  }
  await r.db.connections.update(CONN, { enabled: true });
  const tickets = [];
  for (let i = 0; i < TICKETS; i++) {
    const c = customers[i % customers.length]!;
    tickets.push(await createTicket(r.db, c.id, { subject: `第${i}号：净水器漏水`, description: `种子 ${seed}，第 ${i} 张`, category: (['售后', '客户服务', '技术支持', '产品反馈'] as const)[i % 4], priority: (['低', '中', '高', '紧急'] as const)[i % 4], messages: [{ id: `m${i}`, at: r.clock.now(), from: 'customer', text: `漏水了 ${i}` }] }, r.clock.now(), { ticketsOf: () => TICKETS_CAPS }));
  }

  let kills = 0;
  for (let lives = 0; ; lives++) {
    if (lives > 500) throw new Error(`seed ${seed}: no convergence`);
    killed = false;
    life = new AbortController();
    // A new service worker: module state (limiters) is gone; fast pacing for the test.
    resetLimiters();
    limiterFor(`zendesk:${CONN}`, { requestsPerSecond: 1000, burst: 100 });
    const signal = life.signal;
    const send: typeof fetch = (input, init) => (killed ? Promise.reject(new DOMException('the service worker is gone', 'AbortError')) : globalThis.fetch(input, init));
    const worker = r.worker({
      adapterFor: (conn) => {
        if (conn.id !== CONN) return undefined;
        const a = createZendeskAdapter({ db: r.db, connection: conn, secrets: { apiToken: emu.token }, now: r.clock.now, fetch: send }, { baseUrl: emu.url, timeoutMs: 5000 });
        return wrap ? wrap(a) : a;
      },
      idempotencyOf: () => zendeskSpec.idempotency,
      signal,
      options: { maxAttempts: 40 },
    });
    const report = await worker.runOnce();
    if (killed) {
      kills++;
      r.clock.advance(SYNC_DEFAULTS.claimTtlMs + 1); // the dead worker's claims expire
      continue;
    }
    const next = report.nextWakeAt ?? (await worker.nextWakeAt());
    if (next === undefined) break;
    r.clock.set(Math.max(next, r.clock.now()));
  }
  emu.control.setFaultPolicy(undefined);

  const entries = ((await r.db.outbox.toArray()) as SyncEntry[]).filter((e) => e.op === 'ticket.create');
  const remote = [...emu.state.tickets.values()].filter((t) => !t.deleted);
  const fig: Figures = { tickets: tickets.length, remote: remote.length, lost: 0, duplicated: 0, orphans: 0, misplaced: 0, failed: entries.filter((e) => e.state !== 'done').length, kills, faults };
  const keys = new Set<string>();
  for (const t of tickets) {
    const entry = entries.find((e) => e.entity.id === t.id);
    if (!entry) {
      fig.lost++;
      continue;
    }
    keys.add(entry.idempotencyKey);
    const mine = remote.filter((x) => x.external_id === entry.idempotencyKey);
    if (mine.length === 0) fig.lost++;
    fig.duplicated += Math.max(0, mine.length - 1);
    const place = (await r.db.tickets.get(t.id))?.places.find((p) => p.connectionId === CONN);
    if (mine.length >= 1 && (place?.remoteId === undefined || !mine.some((x) => String(x.id) === place.remoteId))) fig.misplaced++;
  }
  fig.orphans = remote.filter((x) => !x.external_id || !keys.has(x.external_id)).length;
  return fig;
}

it(`Zendesk adapter + emulator, tickets through the outbox: 0 lost, 0 duplicated, each recorded beside the chat, across worker kills (${SEEDS} seeds × ${TICKETS} tickets)`, async () => {
  const all: Figures[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const f = await scenario(seed);
    all.push(f);
    console.log(`zendesk fault seed ${seed}: ${f.tickets} tickets, ${f.remote} at Zendesk, lost ${f.lost}, duplicated ${f.duplicated}, orphans ${f.orphans}, misplaced ${f.misplaced}, not done ${f.failed}, kills ${f.kills}; faults ${JSON.stringify(f.faults)}`);
    expect({ seed, lost: f.lost, duplicated: f.duplicated, orphans: f.orphans, misplaced: f.misplaced, failed: f.failed }).toEqual({ seed, lost: 0, duplicated: 0, orphans: 0, misplaced: 0, failed: 0 });
  }
  const total = (name: string) => all.reduce((n, f) => n + (f.faults[name] ?? 0), 0);
  expect(total('lost reply after commit')).toBeGreaterThan(0);
  expect(total('worker killed')).toBeGreaterThan(0);
}, 300_000);

it('the same run with the key stripped (a new key per attempt) duplicates tickets: the count can fail', async () => {
  const stripped = (a: CrmAdapter): CrmAdapter => ({ ...a, createTicket: (t, opts) => a.createTicket!(t, { ...opts, idempotencyKey: crypto.randomUUID() }) });
  const f = await scenario(101, stripped);
  console.log(`zendesk fault, keys stripped: ${f.remote} tickets at Zendesk for ${f.tickets}`);
  expect(f.remote).toBeGreaterThan(f.tickets);
}, 300_000);
