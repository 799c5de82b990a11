// Shared set-up for the ClickUp contract tests: an emulator per test, an adapter on its own
// connection id whose every request and reply goes through ClickUp's own OpenAPI file
// (openapi.ts); each test ends with no violation and each file prints its count.
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createClickUpAdapter, type ClickUpAdapterOverrides } from '../../../../lib/crm/clickup/adapter';
import { LIST, startClickUpEmulator, TEAM, type ClickUpEmulator, type ClickUpEmulatorOptions } from '../../../emulators/clickup';
import { summaryLine, type SpecLog } from '../../../specs/openapi';
import { clickupFetch, clickupSpecFile } from './openapi';

beforeAll(async () => {
  await clickupSpecFile().catch(() => undefined);
}, 120_000);

const open: ClickUpEmulator[] = [];
const fresh: SpecLog[] = [];
const all: SpecLog[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
  for (const log of fresh.splice(0)) expect(log.errors()).toEqual([]);
});
afterAll(() => {
  if (all.length) console.log(summaryLine(all));
});

export async function harness(o: { emu?: ClickUpEmulatorOptions; emulator?: ClickUpEmulator; token?: string; settings?: Record<string, unknown>; overrides?: ClickUpAdapterOverrides; fetch?: typeof fetch; now?: () => number } = {}) {
  const emu = o.emulator ?? (await startClickUpEmulator(o.emu));
  if (!o.emulator) open.push(emu);
  const checked = await clickupFetch(o.fetch);
  fresh.push(checked.log);
  all.push(checked.log);
  const connectionId = `clickup-${crypto.randomUUID()}`;
  const make = (settings: Record<string, unknown> = {}, id = connectionId) =>
    createClickUpAdapter(
      {
        db: null,
        connection: { id, kind: 'clickup', name: 'ClickUp', enabled: true, createdAt: 0, settings: { teamId: TEAM, listId: LIST, ...o.settings, ...settings } },
        secrets: { token: o.token ?? emu.token },
        now: o.now ?? Date.now,
        fetch: checked.fetch,
      },
      { baseUrl: emu.url, timeoutMs: 3000, reconcileDelaysMs: [0, 50], ...o.overrides },
    );
  return { emu, adapter: make(), another: make, spec: checked.log, connectionId };
}

export { failure, followUp, ticket } from '../ticket-fixtures';
