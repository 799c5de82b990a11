// Shared set-up for the Linear contract tests: an emulator per test, an adapter on its own
// connection id whose every GraphQL document goes through Linear's own schema
// (../shared/specs/linear.graphql, test/specs/graphql.ts: graphql-js validate + variable
// coercion) on its way out. Each test ends with no violation; each file prints its count, and in
// specs mode (`npm run test:specs`) the records join the run's per-vendor table.
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createLinearAdapter, type LinearAdapterOverrides } from '../../../../lib/crm/linear/adapter';
import { startLinearEmulator, type LinearEmulator, type LinearEmulatorOptions } from '../../../emulators/linear';
import { execute, parse } from 'graphql';
import { loadGraphqlSchema, validatingGraphqlFetch, type GraphqlLog } from '../../../specs/graphql';

export const LINEAR_FILE = 'linear.graphql';

// linear.graphql is 1.25 MB: built once per file, before the tests' own clocks run.
beforeAll(() => {
  loadGraphqlSchema(LINEAR_FILE);
}, 120_000);

const open: LinearEmulator[] = [];
const fresh: GraphqlLog[] = [];
const all: GraphqlLog[] = [];
/** Replies checked against the schema: each `data` re-executed with the document it answers (below). */
const replies: { operation: string; errors: string[] }[] = [];
const freshReplies: { operation: string; errors: string[] }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
  for (const log of fresh.splice(0)) expect(log.errors()).toEqual([]);
  expect(freshReplies.splice(0).flatMap((r) => r.errors.map((e) => `${r.operation} reply: ${e}`))).toEqual([]);
});

/**
 * A reply's `data` held to the schema: the document is executed again with the reply as the
 * root value (graphql-js's default resolvers read each field from it), so a missing non-null
 * field, a wrong scalar or a list that is not one is an error. The adapter's documents use no
 * aliases, so each key of `data` is its field's name.
 */
export async function replyProblems(query: string, variables: Record<string, unknown>, data: unknown, operationName?: string): Promise<string[]> {
  const r = await execute({ schema: loadGraphqlSchema(LINEAR_FILE), document: parse(query), rootValue: data, variableValues: variables, ...(operationName ? { operationName } : {}) });
  return (r.errors ?? []).map((e) => `${e.path?.join('.') ?? ''}: ${e.message}`);
}

function checkingReplies(base: typeof fetch): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const sent = (await req.clone().json().catch(() => ({}))) as { query?: string; variables?: Record<string, unknown>; operationName?: string };
    const res = await base(req);
    const body = (await res.clone().json().catch(() => undefined)) as { data?: unknown; errors?: unknown } | undefined;
    if (res.ok && body && body.data && !body.errors && typeof sent.query === 'string') {
      const entry = { operation: sent.operationName ?? 'anonymous', errors: await replyProblems(sent.query, sent.variables ?? {}, body.data, sent.operationName) };
      replies.push(entry);
      freshReplies.push(entry);
    }
    return res;
  }) as typeof fetch;
}
afterAll(() => {
  const validated = all.reduce((n, l) => n + l.counts().validated, 0);
  const violations = all.reduce((n, l) => n + l.counts().violations, 0);
  const replyViolations = replies.reduce((n, r) => n + r.errors.length, 0);
  if (validated) console.log(`[${LINEAR_FILE}] requests validated ${validated}, violations ${violations}; replies checked ${replies.length}, violations ${replyViolations}`);
  // In specs mode, the records join the run's table (test/specs/global-setup.ts) as requests of vendor "linear".
  const out = process.env.LIAISON_SPECS_REPORT;
  if (out) {
    const lines = all.flatMap((l) => l.records.map((r) => JSON.stringify({ vendor: 'linear', operation: `POST /graphql ${r.operation} (${LINEAR_FILE})`, ok: !r.errors.length, errors: r.errors, method: 'POST', url: '/graphql', patches: [] })));
    lines.push(...replies.map((r) => JSON.stringify({ vendor: 'linear', operation: `POST /graphql ${r.operation} (${LINEAR_FILE})`, status: 200, ok: !r.errors.length, errors: r.errors, method: 'POST', url: '/graphql', patches: [] })));
    if (lines.length) appendFileSync(resolve(out, `${process.pid}.jsonl`), `${lines.join('\n')}\n`);
  }
});

export async function harness(o: { emu?: LinearEmulatorOptions; emulator?: LinearEmulator; apiKey?: string; settings?: Record<string, unknown>; overrides?: LinearAdapterOverrides; fetch?: typeof fetch } = {}) {
  const emu = o.emulator ?? (await startLinearEmulator(o.emu));
  if (!o.emulator) open.push(emu);
  const checked = validatingGraphqlFetch('linear', LINEAR_FILE, checkingReplies(o.fetch ?? globalThis.fetch));
  fresh.push(checked.log);
  all.push(checked.log);
  const connectionId = `linear-${crypto.randomUUID()}`;
  const sup = emu.control.team('SUP');
  const make = (settings: Record<string, unknown> = {}) =>
    createLinearAdapter(
      {
        db: null,
        connection: { id: connectionId, kind: 'linear', name: 'Linear', enabled: true, createdAt: 0, settings: { teamId: sup.id, ...o.settings, ...settings } },
        secrets: { apiKey: o.apiKey ?? emu.apiKey },
        now: Date.now,
        fetch: checked.fetch,
      },
      { baseUrl: emu.url, timeoutMs: 3000, ...o.overrides },
    );
  return { emu, adapter: make(), another: make, log: checked.log, connectionId, sup };
}

export { failure, followUp, ticket } from '../ticket-fixtures';
