// Shared set-up for the Trello contract tests: an emulator per test, an adapter on its own
// connection id whose every request and reply goes through Trello's own OpenAPI file
// (openapi.ts); each test ends with no violation and each file prints its count.
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createTrelloAdapter, type TrelloAdapterOverrides } from '../../../../lib/crm/trello/adapter';
import { BOARD, LISTS, startTrelloEmulator, type TrelloEmulator, type TrelloEmulatorOptions } from '../../../emulators/trello';
import { summaryLine, type SpecLog } from '../../../specs/openapi';
import { trelloFetch, trelloSpecFile } from './openapi';

beforeAll(async () => {
  await trelloSpecFile().catch(() => undefined);
}, 120_000);

const open: TrelloEmulator[] = [];
const fresh: SpecLog[] = [];
const all: SpecLog[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
  for (const log of fresh.splice(0)) expect(log.errors()).toEqual([]);
});
afterAll(() => {
  if (all.length) console.log(summaryLine(all));
});

export async function harness(o: { emu?: TrelloEmulatorOptions; token?: string; key?: string; settings?: Record<string, unknown>; overrides?: TrelloAdapterOverrides; fetch?: typeof fetch } = {}) {
  const emu = await startTrelloEmulator(o.emu);
  open.push(emu);
  const checked = await trelloFetch(o.fetch);
  fresh.push(checked.log);
  all.push(checked.log);
  const connectionId = `trello-${crypto.randomUUID()}`;
  const make = (settings: Record<string, unknown> = {}) =>
    createTrelloAdapter(
      {
        db: null,
        connection: { id: connectionId, kind: 'trello', name: 'Trello', enabled: true, createdAt: 0, settings: { idBoard: BOARD, idList: LISTS.inbox, ...o.settings, ...settings } },
        secrets: { apiKey: o.key ?? emu.key, token: o.token ?? emu.token },
        now: Date.now,
        fetch: checked.fetch,
      },
      { baseUrl: emu.api, timeoutMs: 3000, ...o.overrides },
    );
  return { emu, adapter: make(), another: make, spec: checked.log, connectionId };
}

export { failure, followUp, ticket } from '../ticket-fixtures';
