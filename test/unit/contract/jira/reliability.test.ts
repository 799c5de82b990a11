// The Jira adapter when Jira or the network misbehaves, against the strict emulator with every
// request checked against jira.json: credentials rejected (401) or lacking permission (403), a
// 400 naming the field, 429 from the per-endpoint burst limit and the per-issue write limit with
// Retry-After, 5xx and lost replies on create and comment (never a duplicate), the search index's
// lag after a lost reply, and Jira's XSRF filter on a browser User-Agent.
import { describe, expect, it } from 'vitest';
import { UNSEEN_RETRY_AFTER_MS } from '../../../../lib/crm/jira/issues';
import { createJiraAdapter } from '../../../../lib/crm/jira/adapter';
import { validatingFetch } from '../../../specs/openapi';
import { startJiraEmulator } from '../../../emulators/jira';
import { failure, followUp, harness, SITE, ticket } from './helpers';
import { jiraSpecFile } from './openapi';

const quick = { reconcileDelaysMs: [0, 50] };

describe('Jira adapter: refusals', () => {
  it('a wrong token is auth 401 with the next step, and the token never appears in the message', async () => {
    const h = await harness({ token: 'not-the-token' });
    const e = await failure(h.adapter.verify());
    expect(e).toMatchObject({ kind: 'auth', status: 401 });
    expect(e!.userMessage.zh_CN).toContain('id.atlassian.com');
    expect(`${e!.message} ${JSON.stringify(e!.userMessage)}`).not.toContain('not-the-token');
    const revoked = await harness();
    revoked.emu.control.revokeToken();
    expect(await failure(revoked.adapter.createTicket(ticket(), { idempotencyKey: 'k' }))).toMatchObject({ kind: 'auth', status: 401 });
  });

  it('a project the account may not create in lists no create fields: named before any create is sent', async () => {
    const h = await harness({ settings: { projectKey: 'OPS', issueTypeId: '10001' } });
    // Jira lists no create fields there: the adapter says so before sending the create.
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'k' }))).toMatchObject({ kind: 'validation', vendorCode: 'NO_CREATE_META' });
  });

  it('a 400 names Jira’s fields and words in the CrmError, without the customer’s phone', async () => {
    const h = await harness();
    const e = await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'k', fields: { assignee: 'no-such-account', customfield_77: '+8613800138000' } }));
    expect(e).toMatchObject({ kind: 'validation', status: 400, vendorCode: 'assignee,customfield_77' });
    expect(e!.message).toMatch(/assignee: Specified user does not exist.*customfield_77: Field 'customfield_77' cannot be set/);
    expect(e!.message).not.toContain('13800138000');
    expect(h.emu.state.issues.size).toBe(0);
  });
});

describe('Jira adapter: rate limits', () => {
  it('a burst over the endpoint’s limit is rate-limited with Jira’s Retry-After; the connection cools down', async () => {
    const h = await harness({ emu: { burstPerSecond: 2 } });
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'k' });
    await new Promise((r) => setTimeout(r, 1100));
    const results = await Promise.all([1, 2, 3].map(() => failure(h.adapter.getTicket(ref.remoteId))));
    const limited = results.filter((e) => e !== undefined);
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 1000 });
    const r429 = h.emu.requests.find((r) => r.status === 429)!;
    expect(r429.api).toBe('issue.get');
    // The next call waits out the cooldown instead of meeting another 429.
    await h.adapter.getTicket(ref.remoteId);
    expect(h.emu.requests.filter((r) => r.status === 429)).toHaveLength(1);
  });

  it('writes to one issue over Jira’s per-issue limit are rate-limited (jira-per-issue-on-write)', async () => {
    const h = await harness({ emu: { issueWritesPer10s: 2 } });
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'k' });
    await h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'a' });
    await h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'b' });
    const e = await failure(h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'c' }));
    expect(e).toMatchObject({ kind: 'rate-limited', status: 429 });
    expect(e!.retryAfterMs).toBeGreaterThanOrEqual(8000);
    expect(h.emu.state.issues.get(ref.remoteId)!.comments).toHaveLength(2);
  });
});

describe('Jira adapter: unknown outcomes never duplicate', () => {
  it('a lost reply after the issue was created: the adapter finds it by its label and returns it', async () => {
    const h = await harness({ overrides: quick });
    h.emu.control.dropNext({ api: 'issue.create', commit: true });
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'lost' });
    expect(ref).toMatchObject({ remoteCode: 'SUP-1', status: '新建' });
    expect(h.emu.control.issuesLabelled('liaison-lost')).toHaveLength(1);
    expect(h.emu.requests.map((r) => `${r.api}:${r.outcome}`)).toEqual(['createmeta.fields:replied', 'search:replied', 'issue.create:dropped', 'search:replied']);
  });

  it('a 500 after commit is an unknown outcome resolved by the lookup; a 500 before commit leaves nothing, and the retry creates one', async () => {
    const h = await harness({ overrides: quick });
    h.emu.control.failNext({ api: 'issue.create', status: 500, commit: true });
    expect(await h.adapter.createTicket(ticket(), { idempotencyKey: 'a' })).toMatchObject({ remoteCode: 'SUP-1' });
    h.emu.control.failNext({ api: 'issue.create', status: 500 });
    const e = await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'b' }));
    expect(e).toMatchObject({ kind: 'unknown-outcome', retryAfterMs: UNSEEN_RETRY_AFTER_MS });
    expect(await h.adapter.createTicket(ticket(), { idempotencyKey: 'b' })).toMatchObject({ remoteCode: 'SUP-2' });
    expect([h.emu.control.issuesLabelled('liaison-a').length, h.emu.control.issuesLabelled('liaison-b').length]).toEqual([1, 1]);
  });

  it('a 503 is retryable with its Retry-After and nothing was written', async () => {
    const h = await harness();
    h.emu.control.failNext({ api: 'issue.create', status: 503 });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'c' }))).toMatchObject({ kind: 'retryable', status: 503, retryAfterMs: 1000 });
    expect(h.emu.state.issues.size).toBe(0);
  });

  it('the server unreachable: the lookup before create fails as retryable, nothing is written, and the retry creates one', async () => {
    // A down server closes the connection at once, so no short timeout is needed for it; the
    // requests before and after run under load too (1 s timed out a first request in a fresh
    // clone's npm test, 2026-12-07), so they get 5 s.
    const h = await harness({ overrides: { ...quick, timeoutMs: 5000 } });
    await h.adapter.verify();
    h.emu.control.setDown(true);
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'down' }))).toMatchObject({ kind: 'retryable' });
    h.emu.control.setDown(false);
    expect(await h.adapter.createTicket(ticket(), { idempotencyKey: 'down' })).toMatchObject({ remoteCode: 'SUP-1' });
  });

  it('search index lag: a lost reply inside the lag is reported unknown with a 30 s wait; a retry after the lag finds the issue', async () => {
    let t = Date.now();
    const h = await harness({ emu: { indexLagMs: 10_000, now: () => t }, overrides: quick });
    h.emu.control.dropNext({ api: 'issue.create', commit: true });
    const e = await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'lag' }));
    expect(e).toMatchObject({ kind: 'unknown-outcome', retryAfterMs: 30_000 });
    expect(e!.message).toContain('search index may lag');
    t += UNSEEN_RETRY_AFTER_MS;
    expect(await h.adapter.createTicket(ticket(), { idempotencyKey: 'lag' })).toMatchObject({ remoteCode: 'SUP-1' });
    expect(h.emu.control.issuesLabelled('liaison-lag')).toHaveLength(1);
  });

  it('the residual risk, shown: a retry made while the index still lags cannot see the first issue and creates a second', async () => {
    // Jira's search is eventually consistent ("from a few seconds to minutes") and offers no
    // strongly consistent lookup by label; the outbox must wait longer than the lag (record.ts
    // honouring retryAfterMs on unknown outcomes; docs/jira.md). This test pins the behaviour.
    let t = Date.now();
    const h = await harness({ emu: { indexLagMs: 120_000, now: () => t }, overrides: quick });
    h.emu.control.dropNext({ api: 'issue.create', commit: true });
    await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'risk' }));
    t += UNSEEN_RETRY_AFTER_MS;
    await h.adapter.createTicket(ticket(), { idempotencyKey: 'risk' });
    expect(h.emu.control.issuesLabelled('liaison-risk')).toHaveLength(2);
  });

  it('a comment whose reply was lost is found in the issue’s comments (read from the issue, no lag)', async () => {
    const h = await harness({ emu: { indexLagMs: 60_000 }, overrides: quick });
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'i' });
    h.emu.control.dropNext({ api: 'comment.create', commit: true });
    const c = await h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'fu' });
    expect(h.emu.state.issues.get(ref.remoteId)!.comments.map((x) => x.id)).toEqual([c.remoteId]);
    h.emu.control.failNext({ api: 'comment.create', status: 502 });
    expect(await failure(h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'fu2' }))).toMatchObject({ kind: 'unknown-outcome' });
    await h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'fu2' });
    expect(h.emu.state.issues.get(ref.remoteId)!.comments).toHaveLength(2);
  });
});

describe('Jira’s XSRF filter', () => {
  it('a POST with a browser User-Agent is refused 403 "XSRF check failed", told apart from a permission problem', async () => {
    // Jira answers this 403 in plain text, which its own file does not describe (it declares an
    // ErrorCollection for 403): checked here with a log of its own that must show exactly that
    // drift, kept out of the specs report.
    const browserUa = (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init);
      req.headers.set('user-agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36');
      return fetch(req);
    };
    const emu = await startJiraEmulator();
    try {
      const checked = await validatingFetch('jira', [jiraSpecFile()], { base: browserUa as typeof fetch, report: false });
      const adapter = createJiraAdapter({ db: null, connection: { id: `jira-${crypto.randomUUID()}`, kind: 'jira', name: 'Jira', enabled: true, createdAt: 0, settings: { site: SITE, email: emu.email, projectKey: 'SUP', issueTypeId: '10001' } }, secrets: { token: emu.token }, now: Date.now, fetch: checked.fetch }, { baseUrl: emu.url });
      await adapter.verify(); // GET is exempt
      const e = await failure(adapter.createTicket(ticket(), { idempotencyKey: 'x' }));
      expect(e).toMatchObject({ kind: 'auth', status: 403, vendorCode: 'XSRF' });
      expect(e!.userMessage.en).toContain('not a permission problem');
      expect(emu.state.issues.size).toBe(0);
      if (checked.log.available) expect(checked.log.errors()).toEqual(['POST /rest/api/3/issue → 403: reply: must be object']);
    } finally {
      await emu.close();
    }
  });
});
