// The outbox fault test for tickets (issue 17) against the real Linear adapter and the Linear
// emulator over HTTP (the shared run: test/unit/sync/fault-tickets.ts), with Linear's
// RATELIMITED (a spent request budget, with its reset header) as the rate-limit refusal. Linear
// takes Liaison's id on issueCreate (ids.ts), so a retry names the same issue. Counted from the
// emulator's issues by title (each ticket's subject is unique), not by id, so a duplicate under
// another id would show. The limiter runs on the rig's fake clock. (The documents here are not
// run through linear.graphql: the other files of this folder do that; this one counts.)
import { afterEach, expect, it } from 'vitest';
import { createLinearAdapter } from '../../../../lib/crm/linear/adapter';
import { linearSpec } from '../../../../lib/crm/linear/spec';
import { resetLimiters } from '../../../../lib/crm/rate-limiter';
import { startLinearEmulator, type LinearEmulator } from '../../../emulators/linear';
import { expectCleanRuns, keyStripped, ticketFaultRun } from '../../sync/fault-tickets';

const SEEDS = Number(process.env.FAULT_LINEAR_SEEDS ?? 3);
const TICKETS = Number(process.env.FAULT_LINEAR_TICKETS ?? 20);

const run = ticketFaultRun<LinearEmulator>(
  {
    kind: 'linear',
    name: 'Linear',
    caps: linearSpec.capabilities.tickets,
    idempotency: 'key',
    category: '技术支持',
    start: (r) => startLinearEmulator({ now: r.clock.now }),
    settings: (emu) => ({ teamId: emu.control.team('SUP').id }),
    setFaultPolicy: (emu, decide) => emu.control.setFaultPolicy((entry) => decide(entry.operation)),
    createApi: 'IssueCreate',
    rateLimitFault: { name: 'RATELIMITED', fault: { kind: 'ratelimited' } },
    limiter: (r) => ({ requestsPerSecond: 1000, burst: 100, now: r.clock.now, sleep: async (ms) => r.clock.advance(ms) }),
    adapter: (conn, emu, r, reconcileDelaysMs) => createLinearAdapter({ db: r.db, connection: conn, secrets: { apiKey: emu.apiKey }, now: r.clock.now }, { baseUrl: emu.url, timeoutMs: 5000, reconcileDelaysMs }),
    mine: (emu, t) => [...emu.workspace.issues.values()].filter((i) => i.title === t.subject),
    all: (emu) => [...emu.workspace.issues.values()],
  },
  TICKETS,
);
afterEach(async () => {
  await run.close();
  resetLimiters();
});

it(`Linear adapter + emulator, tickets through the outbox: 0 lost, 0 duplicated, each recorded beside the chat (${SEEDS} seeds × ${TICKETS} tickets)`, async () => {
  await expectCleanRuns(run, 'linear', SEEDS, ['lost reply after commit', '500 after commit', 'RATELIMITED']);
}, 300_000);

it('without the look-again after an unknown outcome, the retry’s own lookup (or Linear refusing the taken id) still finds the issue: 0 duplicated', async () => {
  const f = await run.scenario(7, { reconcileDelaysMs: [] });
  console.log(`linear fault, no in-call reconcile: ${f.remote} issues for ${f.tickets} tickets, duplicated ${f.duplicated}; faults ${JSON.stringify(f.faults)}`);
  expect({ lost: f.lost, duplicated: f.duplicated, misplaced: f.misplaced, failed: f.failed }).toEqual({ lost: 0, duplicated: 0, misplaced: 0, failed: 0 });
  expect(f.faults['lost reply after commit']).toBeGreaterThan(0);
}, 300_000);

it('the same run with the key stripped (a new key, so a new id, per attempt; no look-again) duplicates issues: the count can fail', async () => {
  const f = await run.scenario(101, { wrap: keyStripped, reconcileDelaysMs: [] });
  console.log(`linear fault, keys stripped: ${f.remote} issues for ${f.tickets} tickets; faults ${JSON.stringify(f.faults)}`);
  expect(f.remote).toBeGreaterThan(f.tickets);
}, 300_000);
