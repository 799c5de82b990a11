// The outbox fault test for tickets (issue 17) against the real Trello adapter and the Trello
// emulator over HTTP (the shared run: test/unit/sync/fault-tickets.ts), with Trello's 429 (its
// JSON, no header). Trello has no idempotency key: the adapter finds a retried card by its
// description's marker line on the board, and the count finds each ticket's card the same way.
// The limiter runs on the rig's fake clock, so Trello's 10-second wait after a 429 costs no real
// time. (The requests here are not run through trello.json: the other files of this folder do
// that; this one counts cards.)
import { afterEach, expect, it } from 'vitest';
import { createTrelloAdapter } from '../../../../lib/crm/trello/adapter';
import { trelloSpec } from '../../../../lib/crm/trello/spec';
import { resetLimiters } from '../../../../lib/crm/rate-limiter';
import { BOARD, LISTS, startTrelloEmulator, type TrelloEmulator } from '../../../emulators/trello';
import { expectCleanRuns, httpFault, keyStripped, ticketFaultRun } from '../../sync/fault-tickets';

const SEEDS = Number(process.env.FAULT_TRELLO_SEEDS ?? 3);
const TICKETS = Number(process.env.FAULT_TRELLO_TICKETS ?? 20);

const run = ticketFaultRun<TrelloEmulator>(
  {
    kind: 'trello',
    name: 'Trello',
    caps: trelloSpec.capabilities.tickets,
    idempotency: 'lookup',
    start: (r) => startTrelloEmulator({ now: r.clock.now, tokenPer10s: 100_000, keyPer10s: 100_000 }),
    settings: () => ({ idBoard: BOARD, idList: LISTS.inbox }),
    setFaultPolicy: (emu, decide) => emu.control.setFaultPolicy((entry) => httpFault(decide(entry.api))),
    createApi: 'cards.create',
    rateLimitFault: { name: '429', fault: { kind: 'fail', status: 429 } },
    limiter: (r) => ({ requestsPerSecond: 1000, burst: 100, concurrentWrites: 1, now: r.clock.now, sleep: async (ms) => r.clock.advance(ms) }),
    adapter: (conn, emu, r, reconcileDelaysMs) =>
      createTrelloAdapter({ db: r.db, connection: conn, secrets: { apiKey: emu.key, token: emu.token }, now: r.clock.now }, { baseUrl: emu.api, timeoutMs: 5000, reconcileDelaysMs }),
    mine: (emu, _t, entry) => emu.control.cardsMarked(entry.idempotencyKey),
    all: (emu) => [...emu.state.cards.values()],
  },
  TICKETS,
);
afterEach(async () => {
  await run.close();
  resetLimiters();
});

it(`Trello adapter + emulator, tickets through the outbox: 0 lost, 0 duplicated, each recorded beside the chat (${SEEDS} seeds × ${TICKETS} tickets)`, async () => {
  await expectCleanRuns(run, 'trello', SEEDS, ['lost reply after commit', '500 after commit', '429']);
}, 300_000);

it('without the look-again after an unknown outcome, the next attempt’s lookup alone still finds the card: 0 duplicated', async () => {
  const f = await run.scenario(7, { reconcileDelaysMs: [] });
  console.log(`trello fault, no in-call reconcile: ${f.remote} cards for ${f.tickets} tickets, duplicated ${f.duplicated}; faults ${JSON.stringify(f.faults)}`);
  expect({ lost: f.lost, duplicated: f.duplicated, misplaced: f.misplaced, failed: f.failed }).toEqual({ lost: 0, duplicated: 0, misplaced: 0, failed: 0 });
  expect(f.faults['lost reply after commit']).toBeGreaterThan(0);
}, 300_000);

it('the same run with the key stripped (a new key per attempt, no look-again) duplicates cards: the count can fail', async () => {
  const f = await run.scenario(101, { wrap: keyStripped, reconcileDelaysMs: [] });
  console.log(`trello fault, keys stripped: ${f.remote} cards for ${f.tickets} tickets; faults ${JSON.stringify(f.faults)}`);
  expect(f.remote).toBeGreaterThan(f.tickets);
}, 300_000);
