// Zendesk tickets under seeded faults (issue 17): every request may lose its reply after the
// commit or answer 503 (before or after it), each attempt is made by a fresh adapter (a restarted
// worker), and Zendesk's clock moves 45 minutes per failed attempt, so a ticket's Idempotency-Key
// expires (two hours) while it is still being retried: every ticket and every comment exists once,
// found by its external_id / marker. With a new key per attempt the same faults duplicate (the
// check can fail). The outbox-level fault harness (test/unit/sync/fault-emulated.ts) makes no
// tickets yet; this is the adapter's half of that evidence.
import { describe, expect, it } from 'vitest';
import { limiterFor } from '../../../../lib/crm/rate-limiter';
import { customer, followUp, harness, ticket } from './helpers';

/** A test about faults, not pacing: the connection's limiter (3/s in the spec) made roomy before the adapter takes it. */
async function unpaced(o: Parameters<typeof harness>[0] = {}) {
  const h = await harness(o);
  limiterFor(`zendesk:${h.connectionId}`, { requestsPerSecond: 1000, burst: 1000 });
  return h;
}

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STEP_MS = 45 * 60 * 1000;

describe.each([1, 2, 3])('Zendesk tickets under seeded faults (seed %i)', (seed) => {
  it('10 tickets (requester by link or by email) and a comment on each: 0 lost, 0 duplicated, keys expiring mid-retry', async () => {
    let now = Date.UTC(2026, 11, 6, 1, 0);
    const h = await unpaced({ emu: { now: () => now } });
    const rand = rng(seed);
    const linked = await h.adapter.createCustomer(customer({ name: '已关联客户' }), { idempotencyKey: `s${seed}-u` });
    let lost = 0;
    let unavailable = 0;
    h.emu.control.setFaultPolicy(() => {
      const x = rand();
      if (x < 0.15) return (lost++, { kind: 'drop', commit: true });
      if (x < 0.25) return (unavailable++, { kind: 'fail', status: 503, ...(rand() < 0.5 ? { commit: true } : {}) });
      return undefined;
    });
    const retry = async <T>(op: () => Promise<T>): Promise<T> => {
      for (let i = 0; ; i++) {
        try {
          return await op();
        } catch (e) {
          const kind = (e as { kind?: string }).kind;
          if (i > 40 || (kind !== 'unknown-outcome' && kind !== 'retryable')) throw e;
          now += STEP_MS; // the outbox's backoff, and Zendesk's two-hour key window running out
        }
      }
    };
    const ids: string[] = [];
    const marks: string[] = [];
    for (let n = 0; n < 10; n++) {
      const c = customer({ name: `客户 ${seed}-${n}` });
      const input = n % 2 === 0 ? ticket(c, { remoteCustomerId: linked.remoteId, subject: `工单 ${n}` }) : ticket(c, { subject: `工单 ${n}` });
      const ref = await retry(() => h.another().createTicket(input, { idempotencyKey: `s${seed}-t${n}` }));
      ids.push(ref.remoteId);
      const f = followUp({ content: `跟进 ${n}` });
      marks.push(`[Liaison ${f.id}]`);
      await retry(() => h.another().addTicketComment(ref.remoteId, f, { idempotencyKey: `s${seed}-n${n}` }));
    }
    h.emu.control.setFaultPolicy(undefined);
    // The faults did happen.
    expect(lost).toBeGreaterThan(2);
    expect(h.emu.requests.filter((r) => r.outcome === 'dropped').length).toBe(lost);
    const tickets = [...h.emu.state.tickets.values()];
    expect(tickets).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
    expect(tickets.map((t) => String(t.id)).sort()).toEqual([...ids].sort());
    expect(tickets.map((t) => t.external_id).sort()).toEqual(Array.from({ length: 10 }, (_, n) => `s${seed}-t${n}`).sort());
    for (const [n, id] of ids.entries()) {
      const t = h.emu.state.tickets.get(Number(id))!;
      expect(t.comments.filter((c) => c.body.includes(marks[n]!))).toHaveLength(1);
      expect(t.comments).toHaveLength(2);
    }
    expect(h.spec.counts().violations).toBe(0);
    const expired = Math.floor((now - Date.UTC(2026, 11, 6, 1, 0)) / STEP_MS);
    console.log(`[zendesk faults] seed ${seed}: ${h.emu.requests.length} requests, ${lost} replies lost after commit, ${unavailable} 503s, ${expired} retries 45 min apart; ${tickets.length} tickets, ${tickets.length} comments, 0 lost, 0 duplicated`);
  }, 60_000);
});

it('the same faults with a new key per attempt (no idempotency) make duplicates: the check above can fail', async () => {
  const h = await unpaced();
  const rand = rng(1);
  h.emu.control.setFaultPolicy((r) => (r.api === 'tickets.create' && rand() < 0.5 ? { kind: 'drop', commit: true } : undefined));
  let attempt = 0;
  for (let n = 0; n < 10; n++) {
    for (;;) {
      try {
        await h.another().createTicket(ticket(customer(), { subject: `工单 ${n}` }), { idempotencyKey: `dup-${n}-${++attempt}` });
        break;
      } catch (e) {
        if ((e as { kind?: string }).kind !== 'unknown-outcome') throw e;
      }
    }
  }
  h.emu.control.setFaultPolicy(undefined);
  expect(h.emu.state.tickets.size).toBeGreaterThan(10);
}, 60_000);
