// The outbox fault run for tickets (issue 17), shared by the trackers' tests (fault.jira here;
// contract/linear, clickup and trello outbox-faults): tickets filed beside the chat become
// ticket.create entries, and the real sync worker sends them through the real adapter to its
// emulator over HTTP while the emulator loses replies after the object was created, answers 500
// after or before committing, 503 and the vendor's rate-limit refusal, and 503 on lookups and
// comments. Counted from the emulator: each local ticket has exactly one remote object (found the
// way the target says: its key's label or tag, its marker, or its unique title), that object is
// the place recorded beside the chat, and nothing else was created (0 lost, 0 duplicated, no
// orphan, none misplaced or failed). Each file also runs it with the key stripped, to show the
// count can fail. The customers exist in Liaison only; the connection is switched on afterwards.
import { expect } from 'vitest';
import { createCustomer } from '../../../lib/customers/create';
import { createTicket } from '../../../lib/customers/ticket';
import type { CrmAdapter } from '../../../lib/crm/port';
import { limiterFor, type RateLimiterOptions } from '../../../lib/crm/rate-limiter';
import type { TicketCapabilities } from '../../../lib/crm/spec';
import type { Connection, Ticket } from '../../../lib/model';
import type { SyncEntry } from '../../../lib/sync/entry';
import type { Idempotency } from '../../../lib/sync/execute';
import { rng } from './fake-crm';
import { CONN, drive, rig, type Rig } from './helpers';

export type TicketFault = { kind: 'fail'; status?: number; commit?: boolean } | { kind: 'drop'; commit?: boolean } | { kind: 'ratelimited' };
export type HttpFault = Exclude<TicketFault, { kind: 'ratelimited' }>;

/** For emulators whose faults are HTTP only (a rate-limit refusal is a 429 'fail'). */
export const httpFault = (f: TicketFault | undefined): HttpFault | undefined => (f && f.kind !== 'ratelimited' ? f : undefined);

export interface TicketFaultTarget<E extends { close(): Promise<unknown> }> {
  kind: string;
  name: string;
  caps: TicketCapabilities;
  idempotency: Idempotency;
  /** The ticket category filed (the route it would take). */
  category?: '售后' | '技术支持';
  start(r: Rig): Promise<E>;
  settings(emu: E): Record<string, unknown>;
  /** Installs the run's fault decisions; `decide` takes the request's operation name. */
  setFaultPolicy(emu: E, decide: (api: string) => TicketFault | undefined): void;
  /** The operation that creates the remote object. */
  createApi: string;
  /** The vendor's rate-limit refusal on a create (a 429, or Linear's RATELIMITED). */
  rateLimitFault: { name: string; fault: TicketFault };
  /** The limiter the adapter finds by its key (`<kind>:<connection>`), paced for the test. */
  limiter(r: Rig): RateLimiterOptions;
  adapter(conn: Connection, emu: E, r: Rig, reconcileDelaysMs: number[]): CrmAdapter;
  /** The remote objects that are this ticket's (by its entry's key, marker or title). */
  mine(emu: E, ticket: Ticket, entry: SyncEntry): { id: string }[];
  /** Every remote object created. */
  all(emu: E): { id: string }[];
  /** After the run (e.g. the vendor-description log has no violations). */
  after?(): void;
}

export interface TicketFigures { tickets: number; remote: number; lost: number; duplicated: number; orphans: number; misplaced: number; failed: number; faults: Record<string, number> }

export interface TicketFaultRun {
  scenario(seed: number, opts?: { wrap?: (a: CrmAdapter) => CrmAdapter; reconcileDelaysMs?: number[] }): Promise<TicketFigures>;
  /** Every run's rigs and emulators (afterEach). */
  close(): Promise<void>;
}

export function ticketFaultRun<E extends { close(): Promise<unknown> }>(target: TicketFaultTarget<E>, count: number): TicketFaultRun {
  const open: { r: Rig; emu: E }[] = [];
  return {
    async close() {
      for (const o of open.splice(0)) {
        await o.emu.close();
        await o.r.db.delete();
      }
    },
    async scenario(seed, opts = {}) {
      const r = await rig({ mode: target.idempotency === 'key' ? 'key' : 'lookup', connection: { enabled: false, kind: target.kind, name: target.name, settings: {} } });
      const emu = await target.start(r);
      open.push({ r, emu });
      await r.db.connections.update(CONN, { settings: target.settings(emu) });
      const random = rng(seed);
      const faults: Record<string, number> = {};
      target.setFaultPolicy(emu, (api) => {
        const x = random();
        const f = (name: string, fault: TicketFault) => ((faults[name] = (faults[name] ?? 0) + 1), fault);
        if (api === target.createApi) {
          if (x < 0.2) return f('lost reply after commit', { kind: 'drop', commit: true });
          if (x < 0.25) return f('lost request', { kind: 'drop' });
          if (x < 0.3) return f('500 after commit', { kind: 'fail', status: 500, commit: true });
          if (x < 0.35) return f('500', { kind: 'fail', status: 500 });
          if (x < 0.4) return f('503', { kind: 'fail', status: 503 });
          if (x < 0.43) return f(target.rateLimitFault.name, target.rateLimitFault.fault);
          return undefined;
        }
        if (x < 0.08) return f(`503 on ${api}`, { kind: 'fail', status: 503 });
        return undefined;
      });
      const customers = [];
      for (let i = 0; i < Math.ceil(count / 2); i++) customers.push(await createCustomer(r.db, { fields: { name: `客户${seed}-${i}`, phones: [`1380013${String(8000 + i).padStart(4, '0')}`] } }, r.clock.now()));
      await r.db.connections.update(CONN, { enabled: true });
      const tickets: Ticket[] = [];
      for (let i = 0; i < count; i++) {
        const c = customers[i % customers.length]!;
        const input = { subject: `第${i}号：净水器漏水`, description: `种子 ${seed}，第 ${i} 张`, category: target.category ?? '售后', priority: (['低', '中', '高', '紧急'] as const)[i % 4], messages: [{ id: `m${i}`, at: r.clock.now(), from: 'customer' as const, text: `漏水了 ${i}` }] };
        tickets.push(await createTicket(r.db, c.id, input, r.clock.now(), { ticketsOf: () => target.caps }));
      }
      limiterFor(`${target.kind}:${CONN}`, target.limiter(r));
      const worker = r.worker({
        adapterFor: (conn) => {
          if (conn.id !== CONN) return undefined;
          const a = target.adapter(conn, emu, r, opts.reconcileDelaysMs ?? [0]);
          return opts.wrap ? opts.wrap(a) : a;
        },
        idempotencyOf: () => target.idempotency,
        options: { maxAttempts: 30 },
      });
      await drive(r, worker);
      target.after?.();

      const entries = ((await r.db.outbox.toArray()) as SyncEntry[]).filter((e) => e.op === 'ticket.create');
      const all = target.all(emu);
      const fig: TicketFigures = { tickets: tickets.length, remote: all.length, lost: 0, duplicated: 0, orphans: 0, misplaced: 0, failed: entries.filter((e) => e.state === 'failed').length, faults };
      const claimed = new Set<string>();
      for (const t of tickets) {
        const entry = entries.find((e) => e.entity.id === t.id);
        if (!entry) {
          fig.lost++;
          continue;
        }
        const mine = target.mine(emu, t, entry);
        mine.forEach((m) => claimed.add(m.id));
        if (mine.length === 0) fig.lost++;
        fig.duplicated += Math.max(0, mine.length - 1);
        const place = (await r.db.tickets.get(t.id))?.places.find((p) => p.connectionId === CONN);
        if (mine.length >= 1 && (place?.remoteId === undefined || !mine.some((m) => m.id === place.remoteId))) fig.misplaced++;
      }
      fig.orphans = all.filter((x) => !claimed.has(x.id)).length;
      return fig;
    },
  };
}

/** The seeds 1…n: each clean, and the faults that matter each hit at least once. */
export async function expectCleanRuns(run: TicketFaultRun, label: string, seeds: number, mustHit: string[]): Promise<void> {
  const all: TicketFigures[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const f = await run.scenario(seed);
    all.push(f);
    console.log(`${label} fault seed ${seed}: ${f.tickets} tickets, ${f.remote} created there, lost ${f.lost}, duplicated ${f.duplicated}, orphans ${f.orphans}, misplaced ${f.misplaced}, failed ${f.failed}; faults ${JSON.stringify(f.faults)}`);
    expect({ seed, lost: f.lost, duplicated: f.duplicated, orphans: f.orphans, misplaced: f.misplaced, failed: f.failed }).toEqual({ seed, lost: 0, duplicated: 0, orphans: 0, misplaced: 0, failed: 0 });
  }
  const faults = all.flatMap((f) => Object.entries(f.faults));
  for (const kind of mustHit) expect(faults.filter(([k]) => k === kind).reduce((n, [, v]) => n + v, 0), kind).toBeGreaterThan(0);
}

/** A new key per attempt: what an adapter without idempotency would do. */
export const keyStripped = (a: CrmAdapter): CrmAdapter => ({ ...a, createTicket: (t, opts) => a.createTicket!(t, { ...opts, idempotencyKey: crypto.randomUUID() }) });
