// The outbox fault test for tickets (issue 17) against the real Jira adapter and the Jira
// emulator over HTTP (the shared run: fault-tickets.ts). Jira has no idempotency key: the adapter
// finds a retried ticket by its liaison-<key> label (JQL); the count finds each ticket's issue by
// that label. The search index here shows writes at once (indexLagMs 0): the lag case is covered,
// and its residual risk pinned, in test/unit/contract/jira/reliability.test.ts. No worker kills
// here, only what the emulator does to requests.
import { afterEach, expect, it } from 'vitest';
import { createJiraAdapter } from '../../../lib/crm/jira/adapter';
import { jiraSpec } from '../../../lib/crm/jira/spec';
import { resetLimiters } from '../../../lib/crm/rate-limiter';
import { startJiraEmulator, type JiraEmulator } from '../../emulators/jira';
import { expectCleanRuns, httpFault, keyStripped, ticketFaultRun } from './fault-tickets';

const SEEDS = Number(process.env.FAULT_JIRA_SEEDS ?? 3);
const TICKETS = Number(process.env.FAULT_JIRA_TICKETS ?? 20);

const run = ticketFaultRun<JiraEmulator>(
  {
    kind: 'jira',
    name: 'Jira',
    caps: jiraSpec.capabilities.tickets,
    idempotency: 'lookup',
    start: (r) => startJiraEmulator({ now: r.clock.now, burstPerSecond: 10_000, issueWritesPer10s: 10_000 }),
    settings: (emu) => ({ site: 'https://liaison-demo.atlassian.net', email: emu.email, projectKey: 'SUP', issueTypeId: '10001' }),
    setFaultPolicy: (emu, decide) => emu.control.setFaultPolicy((entry) => httpFault(decide(entry.api))),
    createApi: 'issue.create',
    rateLimitFault: { name: '429', fault: { kind: 'fail', status: 429 } },
    limiter: () => ({ requestsPerSecond: 1000, burst: 100, concurrentWrites: 1 }),
    adapter: (conn, emu, r, reconcileDelaysMs) => createJiraAdapter({ db: r.db, connection: conn, secrets: { token: emu.token }, now: Date.now }, { baseUrl: emu.url, timeoutMs: 5000, reconcileDelaysMs }),
    mine: (emu, _t, entry) => emu.control.issuesLabelled(`liaison-${entry.idempotencyKey}`),
    all: (emu) => [...emu.state.issues.values()],
  },
  TICKETS,
);
afterEach(async () => {
  await run.close();
  resetLimiters();
});

it(`Jira adapter + emulator, tickets through the outbox: 0 lost, 0 duplicated, each recorded beside the chat (${SEEDS} seeds × ${TICKETS} tickets)`, async () => {
  await expectCleanRuns(run, 'jira', SEEDS, ['lost reply after commit', '500 after commit']);
}, 300_000);

it('the same run with the key stripped (a new key per attempt) duplicates tickets: the count can fail', async () => {
  const f = await run.scenario(101, { wrap: keyStripped });
  console.log(`jira fault, keys stripped: ${f.remote} issues for ${f.tickets} tickets`);
  expect(f.remote).toBeGreaterThan(f.tickets);
}, 300_000);
