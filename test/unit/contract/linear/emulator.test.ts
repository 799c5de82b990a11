// The Linear emulator itself, spoken to directly: it refuses what Linear refuses (a key sent as
// "Bearer", a missing key, a document Linear's schema rejects, a create without a team, an id that
// is not a UUID v4 or is taken, a priority outside 0–4, a malformed due date, another team's
// label) in Linear's error shape, and every reply carries the rate-limit headers. These requests
// are wrong on purpose, so they do not go through the contract validator.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLinearEmulator, type LinearEmulator } from '../../../emulators/linear';
import { loadGraphqlSchema } from '../../../specs/graphql';
import { LINEAR_FILE } from './helpers';

beforeAll(() => {
  loadGraphqlSchema(LINEAR_FILE);
}, 120_000);
const open: LinearEmulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});
async function emulator() {
  const e = await startLinearEmulator();
  open.push(e);
  return e;
}
async function post(e: LinearEmulator, query: string, variables: Record<string, unknown> = {}, auth: string | null = e.apiKey) {
  const res = await fetch(`${e.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth !== null ? { authorization: auth } : {}) }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions: Record<string, unknown> }[] } };
}
const CREATE = 'mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier } } }';
const uuid4 = () => crypto.randomUUID();

describe('Linear emulator', () => {
  it('takes the personal key bare, as Linear does; "Bearer <key>" and no key are authentication errors', async () => {
    const e = await emulator();
    expect((await post(e, 'query Q { viewer { id } }')).status).toBe(200);
    for (const auth of [`Bearer ${e.apiKey}`, null, 'lin_api_wrong']) {
      const r = await post(e, 'query Q { viewer { id } }', {}, auth);
      expect(r.status).toBe(400);
      expect(r.body.errors![0]!.extensions).toMatchObject({ type: 'authentication error', code: 'AUTHENTICATION_ERROR', statusCode: 401 });
    }
  });

  it('refuses a document Linear’s schema rejects, and a valid one it does not implement, by name', async () => {
    const e = await emulator();
    const bad = await post(e, 'query Q { viewer { id workspace } }');
    expect(bad.status).toBe(400);
    expect(bad.body.errors![0]).toMatchObject({ message: expect.stringContaining('workspace'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect((await post(e, CREATE, { input: { title: 'x' } })).body.errors![0]!.message).toMatch(/teamId/);
    const unimplemented = await post(e, 'query Q { projects { nodes { id } } }');
    expect(unimplemented.body.errors![0]!.extensions.code).toBe('NOT_IMPLEMENTED_BY_EMULATOR');
    expect((await post(e, 'query Q { issues(filter: { title: { eq: "x" } }) { nodes { id } } }')).body.errors![0]!.message).toMatch(/only the filter \{id: \{eq\}\}/);
  });

  it('issueCreate refuses what Linear refuses: a non-UUID-v4 or taken id, a priority outside 0–4, a bad due date, an empty title, another team’s label', async () => {
    const e = await emulator();
    const sup = e.control.team('SUP');
    const dev = e.control.team('DEV');
    const base = { teamId: sup.id, title: '漏水' };
    const refused = async (input: Record<string, unknown>) => (await post(e, CREATE, { input: { ...base, ...input } })).body.errors![0]!;
    expect((await refused({ id: 'not-a-uuid' })).extensions).toMatchObject({ type: 'invalid input', validationErrors: [{ property: 'id' }] });
    expect((await refused({ id: '0b5e3f56-2f4b-1c1a-9d8e-7f6a5b4c3d2e' })).extensions).toMatchObject({ validationErrors: [{ property: 'id' }] }); // version 1, not 4
    expect((await refused({ priority: 5 })).extensions).toMatchObject({ validationErrors: [{ property: 'priority' }] });
    expect((await refused({ dueDate: '2026-12-1' })).extensions).toMatchObject({ validationErrors: [{ property: 'dueDate' }] });
    expect((await refused({ title: '  ' })).extensions).toMatchObject({ validationErrors: [{ property: 'title' }] });
    expect((await refused({ labelIds: [dev.labels[0]!.id] })).message).toBe('Entity not found: IssueLabel');
    const id = uuid4();
    const ok = await post(e, CREATE, { input: { ...base, id } });
    expect(ok.body.data).toEqual({ issueCreate: { success: true, issue: { id, identifier: 'SUP-1' } } });
    expect((await refused({ id })).extensions).toMatchObject({ validationErrors: [{ property: 'id', constraints: { isUnique: 'id is already in use' } }] });
    expect(e.workspace.issues.size).toBe(1);
  });

  it('every reply carries the request and complexity budgets and this query’s cost; pages follow pageInfo', async () => {
    const e = await emulator();
    const r = await post(e, 'query Q($after: String) { teams(first: 1, after: $after) { nodes { id key } pageInfo { hasNextPage endCursor } } }');
    expect(Number(r.headers.get('x-ratelimit-requests-limit'))).toBe(5000);
    expect(Number(r.headers.get('x-ratelimit-requests-remaining'))).toBe(4999);
    expect(Number(r.headers.get('x-ratelimit-complexity-limit'))).toBe(3_000_000);
    expect(Number(r.headers.get('x-ratelimit-requests-reset'))).toBeGreaterThan(Date.now());
    // 1 (connection) + 1 × (1 (nodes) + 0.2 + 1 (pageInfo) + 0.2) → 4 points.
    expect(r.headers.get('x-complexity')).toBe('4');
    const page1 = r.body.data!.teams as { nodes: { key: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    expect(page1.nodes.map((t) => t.key)).toEqual(['SUP']);
    const page2 = (await post(e, 'query Q($after: String) { teams(first: 1, after: $after) { nodes { key } pageInfo { hasNextPage endCursor } } }', { after: page1.pageInfo.endCursor })).body.data!.teams as { nodes: { key: string }[]; pageInfo: { hasNextPage: boolean } };
    expect(page2).toMatchObject({ nodes: [{ key: 'DEV' }], pageInfo: { hasNextPage: false } });
  });

  it('a spent budget is RATELIMITED in Linear’s shape, with the reset headers', async () => {
    const e = await emulator();
    e.control.spend('requests', 0);
    const r = await post(e, 'query Q { viewer { id } }');
    expect(r.status).toBe(400);
    expect(r.body.errors![0]!.extensions).toMatchObject({ type: 'ratelimited', code: 'RATELIMITED' });
    expect(r.headers.get('x-ratelimit-requests-remaining')).toBe('0');
    expect(Number(r.headers.get('x-ratelimit-requests-reset'))).toBeGreaterThan(Date.now() + 3_500_000);
  });
});
