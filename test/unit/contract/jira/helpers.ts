// Shared set-up for the Jira contract tests: an emulator per test, an adapter on its own
// connection id whose every request and reply goes through Jira's own OpenAPI file (openapi.ts);
// each test ends with no violation and each file prints its count.
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createJiraAdapter, type JiraAdapterOverrides } from '../../../../lib/crm/jira/adapter';
import { startJiraEmulator, type JiraEmulator, type JiraEmulatorOptions } from '../../../emulators/jira';
import { summaryLine, type SpecLog } from '../../../specs/openapi';
import { jiraFetch, jiraSpecFile } from './openapi';

// jira.json is 2.45 MB: parsed and dereferenced once per file, before the tests' own clocks run
// (a loaded machine took over 5 s).
beforeAll(async () => {
  await jiraSpecFile().catch(() => undefined);
}, 120_000);

const open: JiraEmulator[] = [];
const fresh: SpecLog[] = [];
const all: SpecLog[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
  for (const log of fresh.splice(0)) expect(log.errors()).toEqual([]);
});
afterAll(() => {
  if (all.length) console.log(summaryLine(all));
});

export const SITE = 'https://liaison-demo.atlassian.net';

export async function harness(o: { emu?: JiraEmulatorOptions; emulator?: JiraEmulator; token?: string; email?: string; settings?: Record<string, unknown>; overrides?: JiraAdapterOverrides; fetch?: typeof fetch } = {}) {
  const emu = o.emulator ?? (await startJiraEmulator(o.emu));
  if (!o.emulator) open.push(emu);
  const checked = await jiraFetch(o.fetch);
  fresh.push(checked.log);
  all.push(checked.log);
  const connectionId = `jira-${crypto.randomUUID()}`;
  const make = (settings: Record<string, unknown> = {}) =>
    createJiraAdapter(
      {
        db: null,
        connection: { id: connectionId, kind: 'jira', name: 'Jira', enabled: true, createdAt: 0, settings: { site: SITE, email: o.email ?? emu.email, projectKey: 'SUP', issueTypeId: '10001', ...o.settings, ...settings } },
        secrets: { token: o.token ?? emu.token },
        now: Date.now,
        fetch: checked.fetch,
      },
      { baseUrl: emu.url, timeoutMs: 3000, ...o.overrides },
    );
  return { emu, adapter: make(), another: make, spec: checked.log, connectionId };
}

export { failure, followUp, ticket } from '../ticket-fixtures';
