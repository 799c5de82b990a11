// The ClickUp adapter when ClickUp or the network misbehaves, against the strict emulator with
// every request checked against clickup.json: a rejected or regenerated token (401 OAUTH_025), a
// token that is not a personal one, a Workspace the token does not reach (401 OAUTH_027), a 400
// with ClickUp's words, the per-token rate limit (429 with X-RateLimit-Reset, and Remaining 0
// obeyed before a 429), 5xx, a timeout and lost replies on create and comment (never a
// duplicate), and the List's task listing lagging a write.
import { describe, expect, it } from 'vitest';
import { UNSEEN_RETRY_AFTER_MS } from '../../../../lib/crm/clickup/tasks';
import { LIST_OTHER_TEAM } from '../../../emulators/clickup';
import { failure, followUp, harness, ticket } from './helpers';

describe('ClickUp adapter: refusals', () => {
  it('a wrong token is auth 401 OAUTH_025 with the next step, and the token never appears in the message', async () => {
    const wrong = 'pk_81942673_WRONGWRONGWRONGWRONGWRONGWRONGWR';
    const h = await harness({ token: wrong });
    const e = await failure(h.adapter.verify());
    expect(e).toMatchObject({ kind: 'auth', status: 401, vendorCode: 'OAUTH_025' });
    expect(e!.userMessage.zh_CN).toContain('设置 → 应用');
    expect(`${e!.message} ${JSON.stringify(e!.userMessage)}`).not.toContain(wrong);
    const regenerated = await harness();
    regenerated.emu.control.regenerateToken();
    expect(await failure(regenerated.adapter.createTicket(ticket(), { idempotencyKey: 'k' }))).toMatchObject({ kind: 'auth', status: 401, vendorCode: 'OAUTH_025' });
    expect(regenerated.emu.state.tasks.size).toBe(0);
  });

  it('a token that is not a personal token (pk_…), or a "Bearer" one, is refused before anything is sent', async () => {
    const h = await harness({ token: 'Bearer pk_1_x' });
    expect(await failure(h.adapter.verify())).toMatchObject({ kind: 'auth', vendorCode: 'NOT_A_PERSONAL_TOKEN' });
    const none = await harness({ token: ' ' });
    expect(await failure(none.adapter.verify())).toMatchObject({ kind: 'auth' });
    expect([...h.emu.requests, ...none.emu.requests]).toEqual([]);
  });

  it('a List in a Workspace the token does not reach is auth (OAUTH_027), told apart from a bad token', async () => {
    const h = await harness({ settings: { listId: LIST_OTHER_TEAM } });
    const e = await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'k' }));
    expect(e).toMatchObject({ kind: 'auth', status: 401, vendorCode: 'OAUTH_027' });
    expect(e!.userMessage.en).toContain('may not reach this Workspace or List');
  });

  it('a List id that names no List is not-found (ITEM_015)', async () => {
    const h = await harness({ settings: { listId: '901299999999' } });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'k' }))).toMatchObject({ kind: 'not-found', vendorCode: 'ITEM_015' });
  });

  it('a 400 carries ClickUp’s words and ECODE, without the customer’s phone or email', async () => {
    const h = await harness();
    const e = await failure(h.adapter.createTicket(ticket({ assignee: '55500001' }), { idempotencyKey: 'k' }));
    expect(e).toMatchObject({ kind: 'validation', status: 400, vendorCode: 'INPUT_010' });
    expect(e!.message).toBe('ClickUp 400 INPUT_010 Assignee is not a member of this Workspace');
    expect(h.emu.state.tasks.size).toBe(0);
  });
});

describe('ClickUp adapter: rate limits', () => {
  it('X-RateLimit-Remaining 0 is obeyed: the next call waits for X-RateLimit-Reset instead of meeting a 429', async () => {
    const h = await harness({ emu: { perMinute: 2, windowMs: 1500 } });
    const started = Date.now();
    // Five requests (user, team, list, space, fields) through a window of two per 1.5 s: after
    // every second one Remaining is 0, and the adapter waits for the reset each time.
    await h.adapter.verify();
    await h.adapter.fieldChoices('teamId');
    expect(h.emu.requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 1000);
  });

  it('concurrent calls past the limit: one is rate-limited with the wait from X-RateLimit-Reset (Unix seconds); the connection cools down', async () => {
    const h = await harness({ emu: { perMinute: 2, windowMs: 1500 } });
    const results = await Promise.all([1, 2, 3].map(() => failure(h.adapter.fieldChoices('teamId'))));
    const limited = results.filter((e) => e !== undefined);
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({ kind: 'rate-limited', status: 429 });
    expect(limited[0]!.retryAfterMs).toBeGreaterThan(0);
    expect(limited[0]!.retryAfterMs).toBeLessThanOrEqual(2500);
    await h.adapter.fieldChoices('teamId');
    expect(h.emu.requests.filter((r) => r.status === 429)).toHaveLength(1);
  });
});

describe('ClickUp adapter: unknown outcomes never duplicate', () => {
  it('a lost reply after the task was created: the adapter finds it by its tag and returns it', async () => {
    const h = await harness();
    await h.adapter.listFields(); // the List's details cached: the log below is the create alone
    h.emu.control.clearLog();
    h.emu.control.dropNext({ api: 'task.create', commit: true });
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'lost' });
    expect(ref).toMatchObject({ status: '新建', vendorStatus: 'to do' });
    expect(h.emu.control.tasksTagged('liaison-lost')).toHaveLength(1);
    expect(h.emu.requests.map((r) => `${r.api}:${r.outcome}`)).toEqual(['task.list:replied', 'task.create:dropped', 'task.list:replied']);
  });

  it('a reply that comes after the timeout: unknown outcome resolved by the lookup, exactly one task', async () => {
    const slow = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const res = await fetch(input, init);
      if ((init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase() === 'POST') await new Promise((r) => setTimeout(r, 1600));
      return res;
    }) as typeof fetch;
    // Only the create is slow; the timeout leaves the reads (the List, the lookup) time enough on a loaded machine.
    const h = await harness({ fetch: slow, overrides: { timeoutMs: 1000 } });
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'late' });
    expect(h.emu.control.tasksTagged('liaison-late').map((t) => t.id)).toEqual([ref.remoteId]);
  });

  it('a 500 after commit is resolved by the lookup; a 500 before commit leaves nothing, and the retry creates one', async () => {
    const h = await harness();
    h.emu.control.failNext({ api: 'task.create', status: 500, commit: true });
    const a = await h.adapter.createTicket(ticket(), { idempotencyKey: 'a' });
    expect(h.emu.control.tasksTagged('liaison-a').map((t) => t.id)).toEqual([a.remoteId]);
    h.emu.control.failNext({ api: 'task.create', status: 500 });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'b' }))).toMatchObject({ kind: 'unknown-outcome', retryAfterMs: UNSEEN_RETRY_AFTER_MS });
    await h.adapter.createTicket(ticket(), { idempotencyKey: 'b' });
    expect([h.emu.control.tasksTagged('liaison-a').length, h.emu.control.tasksTagged('liaison-b').length]).toEqual([1, 1]);
  });

  it('a 503 is retryable and nothing was written; the server unreachable before sending is retryable too', async () => {
    // 3 s: at load 18 the first GET /user took over the 1 s this had.
    const h = await harness({ overrides: { timeoutMs: 3000 } });
    await h.adapter.verify();
    h.emu.control.failNext({ api: 'task.create', status: 503 });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'c' }))).toMatchObject({ kind: 'retryable', status: 503 });
    h.emu.control.setDown(true);
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'c' }))).toMatchObject({ kind: 'retryable' });
    h.emu.control.setDown(false);
    expect(h.emu.state.tasks.size).toBe(0);
    await h.adapter.createTicket(ticket(), { idempotencyKey: 'c' });
    expect(h.emu.control.tasksTagged('liaison-c')).toHaveLength(1);
  });

  it('the List’s listing lagging a lost write: unknown with a 30 s wait; the retry after the lag finds the task', async () => {
    let t = Date.now();
    const h = await harness({ emu: { listLagMs: 10_000, now: () => t } });
    h.emu.control.dropNext({ api: 'task.create', commit: true });
    const e = await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'lag' }));
    expect(e).toMatchObject({ kind: 'unknown-outcome', retryAfterMs: 30_000 });
    t += UNSEEN_RETRY_AFTER_MS;
    await h.adapter.createTicket(ticket(), { idempotencyKey: 'lag' });
    expect(h.emu.control.tasksTagged('liaison-lag')).toHaveLength(1);
  });

  it('a create whose key tag ClickUp did not keep is returned with a warning saying a retry could duplicate', async () => {
    const h = await harness();
    h.emu.control.setNewTagsKept(false);
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'untagged' });
    expect(ref.warnings).toEqual(['tags: ClickUp did not keep the idempotency tag liaison-untagged; a retry after a lost reply could create a second task']);
    h.emu.control.setNewTagsKept(true);
    expect((await h.adapter.createTicket(ticket(), { idempotencyKey: 'tagged' })).warnings).toBeUndefined();
  });

  it('a retried comment: lost reply after commit, found by its marker line; a 502 before commit, then one comment', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'i' });
    h.emu.control.dropNext({ api: 'comment.create', commit: true });
    const c = await h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'fu' });
    expect(h.emu.state.tasks.get(ref.remoteId)!.comments.map((x) => x.id)).toEqual([c.remoteId]);
    h.emu.control.failNext({ api: 'comment.create', status: 502 });
    expect(await failure(h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'fu2' }))).toMatchObject({ kind: 'unknown-outcome' });
    await h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'fu2' });
    await h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'fu2' });
    expect(h.emu.state.tasks.get(ref.remoteId)!.comments).toHaveLength(2);
  });
});
