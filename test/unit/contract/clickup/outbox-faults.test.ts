// The outbox fault test for ClickUp tickets (the shared run: test/unit/sync/fault-tickets.ts).
// ClickUp has no idempotency key: the adapter finds a retried ticket by its liaison-<key> tag,
// and the count finds each ticket's task by that tag. Every request goes through ClickUp's own
// file too (openapi.ts), as in the other contract tests: the run ends with 0 violations.
import { afterAll, afterEach, expect, it } from 'vitest';
import { createClickUpAdapter } from '../../../../lib/crm/clickup/adapter';
import { clickupSpec } from '../../../../lib/crm/clickup/spec';
import { resetLimiters } from '../../../../lib/crm/rate-limiter';
import { LIST, startClickUpEmulator, TEAM, type ClickUpEmulator } from '../../../emulators/clickup';
import { summaryLine, type SpecLog } from '../../../specs/openapi';
import { expectCleanRuns, httpFault, keyStripped, ticketFaultRun } from '../../sync/fault-tickets';
import { clickupFetch } from './openapi';

const SEEDS = Number(process.env.FAULT_CLICKUP_SEEDS ?? 3);
const TICKETS = Number(process.env.FAULT_CLICKUP_TICKETS ?? 20);

const logs: SpecLog[] = [];
let checked: Awaited<ReturnType<typeof clickupFetch>> | undefined;
const run = ticketFaultRun<ClickUpEmulator>(
  {
    kind: 'clickup',
    name: 'ClickUp',
    caps: clickupSpec.capabilities.tickets,
    idempotency: 'lookup',
    // The rate window is the adapter's to obey (reliability.test.ts); here it is out of the way.
    start: async (r) => {
      checked = await clickupFetch();
      logs.push(checked.log);
      return startClickUpEmulator({ now: r.clock.now, perMinute: 1_000_000 });
    },
    settings: () => ({ teamId: TEAM, listId: LIST }),
    setFaultPolicy: (emu, decide) => emu.control.setFaultPolicy((entry) => httpFault(decide(entry.api))),
    createApi: 'task.create',
    rateLimitFault: { name: '429', fault: { kind: 'fail', status: 429 } },
    limiter: () => ({ requestsPerSecond: 1000, burst: 100, concurrentWrites: 1 }),
    adapter: (conn, emu, r, reconcileDelaysMs) =>
      createClickUpAdapter({ db: r.db, connection: conn, secrets: { token: emu.token }, now: Date.now, fetch: checked!.fetch }, { baseUrl: emu.url, timeoutMs: 5000, reconcileDelaysMs }),
    mine: (emu, _t, entry) => emu.control.tasksTagged(`liaison-${entry.idempotencyKey}`.toLowerCase()),
    all: (emu) => [...emu.state.tasks.values()],
    after: () => expect(checked!.log.errors()).toEqual([]),
  },
  TICKETS,
);
afterEach(async () => {
  await run.close();
  resetLimiters();
});
afterAll(() => {
  if (logs.length) console.log(summaryLine(logs));
});

it(`ClickUp adapter + emulator, tickets through the outbox: 0 lost, 0 duplicated, each recorded beside the chat (${SEEDS} seeds × ${TICKETS} tickets)`, async () => {
  await expectCleanRuns(run, 'clickup', SEEDS, ['lost reply after commit', '500 after commit']);
}, 300_000);

it('the same run with the key stripped (a new key per attempt) duplicates tasks: the count can fail', async () => {
  const f = await run.scenario(101, { wrap: keyStripped });
  console.log(`clickup fault, keys stripped: ${f.remote} tasks for ${f.tickets} tickets`);
  expect(f.remote).toBeGreaterThan(f.tickets);
}, 300_000);
