// Shared set-up for the Asana contract tests: an emulator per test, an adapter on its own
// connection id whose every request and reply goes through Asana's own OpenAPI file
// (openapi.ts); each test ends with no violation and each file prints its count.
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createAsanaAdapter, type AsanaAdapterOverrides } from '../../../../lib/crm/asana/adapter';
import { P_SUPPORT, startAsanaEmulator, WS_PAID, type AsanaEmulator, type AsanaEmulatorOptions } from '../../../emulators/asana';
import { summaryLine, type SpecLog } from '../../../specs/openapi';
import { asanaFetch, asanaSpecFile } from './openapi';

// asana.yaml is 3.1 MB: parsed and dereferenced once per file, before the tests' own clocks run.
beforeAll(async () => {
  await asanaSpecFile().catch(() => undefined);
}, 180_000);

const open: AsanaEmulator[] = [];
const fresh: SpecLog[] = [];
const all: SpecLog[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
  for (const log of fresh.splice(0)) expect(log.errors()).toEqual([]);
});
afterAll(() => {
  if (all.length) console.log(summaryLine(all));
});

export async function harness(o: { emu?: AsanaEmulatorOptions; token?: string; settings?: Record<string, unknown>; overrides?: AsanaAdapterOverrides; fetch?: typeof fetch; now?: () => number } = {}) {
  const emu = await startAsanaEmulator(o.emu);
  open.push(emu);
  const checked = await asanaFetch(o.fetch);
  fresh.push(checked.log);
  all.push(checked.log);
  const connectionId = `asana-${crypto.randomUUID()}`;
  const make = (settings: Record<string, unknown> = {}) =>
    createAsanaAdapter(
      {
        db: null,
        connection: { id: connectionId, kind: 'asana', name: 'Asana', enabled: true, createdAt: 0, settings: { workspaceGid: WS_PAID, projectGid: P_SUPPORT, ...o.settings, ...settings } },
        secrets: { token: o.token ?? emu.token },
        now: o.now ?? Date.now,
        fetch: checked.fetch,
      },
      { baseUrl: emu.url, timeoutMs: 3000, ...o.overrides },
    );
  return { emu, adapter: make(), another: make, spec: checked.log, connectionId };
}

export { failure, followUp, ticket } from '../ticket-fixtures';
