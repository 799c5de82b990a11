// The Jira emulator refuses what Jira refuses — so an adapter that passes against it has not
// merely agreed with itself: Basic auth checked, fields not on the create screen, a missing
// required field, a summary with a line break, a label with a space, invalid ADF, an unknown
// option, JQL it does not implement (answered with Jira's 400 body, never a guess), an unbounded
// query, the removed /rest/api/3/search, page sizes over Jira's limits, and unknown body keys.
// Raw requests; the replies are checked against jira.json like the adapter's.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startJiraEmulator, type JiraEmulator } from '../../../emulators/jira';
import { parseJql } from '../../../emulators/jira/jql';
import { adfProblem } from '../../../emulators/jira/adf';
import { jiraFetch, jiraSpecFile } from './openapi';

let emu: JiraEmulator;
beforeAll(async () => {
  await jiraSpecFile().catch(() => undefined);
}, 120_000);
afterEach(() => emu?.close());

async function client(o: Parameters<typeof startJiraEmulator>[0] = {}) {
  emu = await startJiraEmulator(o);
  const checked = await jiraFetch();
  const auth = `Basic ${Buffer.from(`${emu.email}:${emu.token}`).toString('base64')}`;
  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await checked.fetch(`${emu.url}${path}`, { method, headers: { authorization: auth, 'content-type': 'application/json', ...headers }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    let json: unknown;
    try { json = JSON.parse(text); } catch { json = text; }
    return { status: res.status, body: json as Record<string, any>, headers: res.headers };
  };
  return { send, log: checked.log };
}
const doc = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const base = { project: { key: 'SUP' }, issuetype: { id: '10001' }, summary: 'x' };

describe('Jira emulator: create', () => {
  it('checks Basic auth', async () => {
    const c = await client();
    expect((await c.send('GET', '/rest/api/3/myself', undefined, { authorization: 'Basic eDp5' })).status).toBe(401);
    expect((await c.send('GET', '/rest/api/3/myself', undefined, { authorization: `Bearer ${emu.token}` })).status).toBe(401);
    expect((await c.send('GET', '/rest/api/3/myself')).status).toBe(200);
  });

  it('refuses fields not on the screen, missing required fields, bad summaries, spaced labels, bad ADF and options, each named', async () => {
    const c = await client();
    const r = await c.send('POST', '/rest/api/3/issue', { fields: { ...base, summary: 'a\nb', labels: ['a b'], description: 'plain text', customfield_10050: { value: '邮件' }, environment: 'x' } });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual({
      summary: 'The summary is invalid because it contains newline characters.',
      labels: "The label 'a b' contains spaces which is invalid.",
      description: expect.stringContaining('Operation value must be an Atlassian Document'),
      customfield_10050: "Option value '邮件' is not valid",
      environment: "Field 'environment' cannot be set. It is not on the appropriate screen, or unknown.",
    });
    const dev = await c.send('POST', '/rest/api/3/issue', { fields: { project: { key: 'DEV' }, issuetype: { id: '10005' }, summary: 'x' } });
    expect(dev.body.errors).toEqual({ customfield_10060: 'Environment details is required.' });
    expect((await c.send('POST', '/rest/api/3/issue', { fields: { ...base, issuetype: { id: '10003' } } })).body.errors).toHaveProperty('parent');
    expect((await c.send('POST', '/rest/api/3/issue', { fields: base, extra: 1 })).status).toBe(400);
    expect((await c.send('POST', '/rest/api/3/issue', { fields: { ...base, project: { key: 'OPS' } } })).status).toBe(403);
    expect(emu.state.issues.size).toBe(0);
    const ok = await c.send('POST', '/rest/api/3/issue', { fields: { ...base, description: doc('hello'), labels: ['liaison-1'] } });
    expect(ok).toMatchObject({ status: 201, body: { key: 'SUP-1' } });
    expect(c.log.errors()).toEqual([]);
  });

  it('ADF: unknown nodes and marks, empty text, misplaced nodes are invalid', () => {
    expect(adfProblem(doc('ok'))).toBeUndefined();
    expect(adfProblem({ ...doc('ok'), version: 2 })).toMatch(/version/);
    expect(adfProblem(doc(''))).toMatch(/non-empty/);
    expect(adfProblem({ type: 'doc', version: 1, content: [{ type: 'text', text: 'bare' }] })).toMatch(/not allowed in doc/);
    expect(adfProblem({ type: 'doc', version: 1, content: [{ type: 'heading', content: [] }] })).toMatch(/level/);
    expect(adfProblem({ type: 'doc', version: 1, content: [{ type: 'blockquote', content: [] }] })).toMatch(/must not be empty/);
    expect(adfProblem({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'bold' }] }] }] })).toMatch(/unknown mark/);
    expect(adfProblem({ type: 'doc', version: 1, content: [{ type: 'panel', content: [] }] })).toMatch(/not allowed/);
  });

  it('comments: body required and ADF, a deleted issue is 404', async () => {
    const c = await client();
    const id = (await c.send('POST', '/rest/api/3/issue', { fields: base })).body.id as string;
    expect((await c.send('POST', `/rest/api/3/issue/${id}/comment`, { body: 'text' })).status).toBe(400);
    expect((await c.send('POST', `/rest/api/3/issue/${id}/comment`, { text: doc('x') })).status).toBe(400);
    expect((await c.send('POST', `/rest/api/3/issue/${id}/comment`, { body: doc('ok') })).status).toBe(201);
    emu.control.deleteIssue(id);
    expect((await c.send('POST', `/rest/api/3/issue/${id}/comment`, { body: doc('ok') })).status).toBe(404);
    expect(c.log.errors()).toEqual([]);
  });
});

describe('Jira emulator: search', () => {
  it('answers the JQL subset and refuses the rest with Jira’s 400 body', async () => {
    const c = await client({ burstPerSecond: 100 }); // many searches in a row: not a burst-limit test
    await c.send('POST', '/rest/api/3/issue', { fields: { ...base, labels: ['liaison-k1'] } });
    await c.send('POST', '/rest/api/3/issue', { fields: { ...base, labels: ['other'] } });
    const q = (jql: string, extra = '') => c.send('GET', `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}&fields=summary,labels${extra}`);
    expect((await q('project = "SUP" AND labels = "liaison-k1"')).body.issues.map((i: any) => i.key)).toEqual(['SUP-1']);
    expect((await q('project = SUP AND labels in (liaison-k1, other) ORDER BY key ASC')).body.issues.map((i: any) => i.key)).toEqual(['SUP-1', 'SUP-2']);
    for (const [jql, msg] of [
      ['project = SUP OR labels = x', /does not implement OR/],
      ['summary ~ "漏水"', /does not implement the field "summary"/],
      ['project = SUP AND labels is EMPTY', /operator "is"/],
      ['ORDER BY created DESC', /Unbounded JQL/],
      ['projekt = SUP', /Field 'projekt' does not exist/],
      ['project = NOPE', /The value 'NOPE' does not exist for the field 'project'/],
      ['labels = "unterminated', /not terminated/],
      ['project = SUP AND labels in membersOf("x")', /function membersOf/],
    ] as const) {
      const r = await q(jql);
      expect(r.status, jql).toBe(400);
      expect(r.body.errorMessages[0], jql).toMatch(msg);
    }
    expect((await q('project = SUP', '&maxResults=5001')).status).toBe(400);
    const idsOnly = await c.send('GET', `/rest/api/3/search/jql?jql=${encodeURIComponent('project = SUP')}`);
    expect(idsOnly.body.issues).toEqual([{ id: expect.any(String) }, { id: expect.any(String) }]);
    const paged = await q('project = SUP', '&maxResults=1');
    expect(paged.body).toMatchObject({ isLast: false, nextPageToken: expect.any(String) });
    expect((await q('project = SUP', `&maxResults=1&nextPageToken=${paged.body.nextPageToken}`)).body).toMatchObject({ isLast: true, issues: [{ key: 'SUP-1' }] });
    expect(c.log.errors()).toEqual([]);
  });

  it('the removed /rest/api/3/search answers 410; the index lags by indexLagMs unless the id is reconciled', async () => {
    let t = Date.now();
    emu = await startJiraEmulator({ indexLagMs: 5000, now: () => t });
    const auth = { authorization: `Basic ${Buffer.from(`${emu.email}:${emu.token}`).toString('base64')}`, 'content-type': 'application/json' };
    expect((await fetch(`${emu.url}/rest/api/3/search?jql=project=SUP`, { headers: auth })).status).toBe(410);
    const created = (await (await fetch(`${emu.url}/rest/api/3/issue`, { method: 'POST', headers: auth, body: JSON.stringify({ fields: base }) })).json()) as { id: string };
    const search = async (body: unknown) => (await (await fetch(`${emu.url}/rest/api/3/search/jql`, { method: 'POST', headers: auth, body: JSON.stringify(body) })).json()) as { issues: unknown[] };
    expect((await search({ jql: 'project = SUP' })).issues).toEqual([]);
    expect((await search({ jql: 'project = SUP', reconcileIssues: [Number(created.id)] })).issues).toHaveLength(1);
    t += 5000;
    expect((await search({ jql: 'project = SUP' })).issues).toHaveLength(1);
  });

  it('the JQL parser itself: AND chains, IN lists, ORDER BY, currentUser()', () => {
    expect(parseJql('project = "S\\"UP" AND labels != x AND reporter = currentUser() ORDER BY created DESC, key')).toEqual({
      clauses: [{ field: 'project', op: '=', values: ['S"UP'] }, { field: 'labels', op: '!=', values: ['x'] }, { field: 'reporter', op: '=', values: ['\u0000currentUser'] }],
      order: [{ field: 'created', dir: 'desc' }, { field: 'key', dir: 'asc' }],
    });
    expect(() => parseJql('project = SUP AND (labels = x)')).toThrow(/parentheses/);
    expect(() => parseJql('NOT project = SUP')).toThrow(/NOT/);
  });
});
