// The Jira spec as declared data (auth fields with help, host permission from the site, what Jira
// takes and refuses), the methods present exactly where declared, and a check that the validator
// over Jira's own file can fail — and that the overlay lifts only the recorded defect.
import { describe, expect, it } from 'vitest';
import { createJiraAdapter } from '../../../../lib/crm/jira/adapter';
import { readConfig } from '../../../../lib/crm/jira/config';
import { jiraSpec } from '../../../../lib/crm/jira/spec';
import { crmSpecSchema, hostPatternsFor } from '../../../../lib/crm/spec';
import type { CrmAdapter } from '../../../../lib/crm/port';
import { failure } from './helpers';
import { jiraSpecFile } from './openapi';

const deps = (settings: Record<string, unknown> = {}, secrets: Record<string, string> = {}) => ({
  db: null,
  connection: { id: 'j', kind: 'jira', name: 'Jira', enabled: true, createdAt: 0, settings },
  secrets,
  now: Date.now,
});

describe('Jira spec', () => {
  it('is a valid spec: token auth with site, email and API token (help in both languages), remote choices for project, type and priorities', () => {
    const parsed = crmSpecSchema.parse(jiraSpec);
    expect(parsed.auth.kind).toBe('token');
    expect(parsed.auth.fields.map((f) => [f.key, f.secret])).toEqual([['site', false], ['email', false], ['token', true]]);
    for (const f of [...parsed.auth.fields, ...parsed.configFields]) {
      expect(f.help.zh_CN.length, f.key).toBeGreaterThan(10);
      expect(f.help.en.length, f.key).toBeGreaterThan(10);
    }
    expect(parsed.auth.fields[2]!.help.en).toContain('id.atlassian.com/manage-profile/security/api-tokens');
    expect(parsed.configFields.filter((f) => f.remoteChoices).map((f) => f.key)).toEqual(['projectKey', 'issueTypeId', 'priorityLow', 'priorityMedium', 'priorityHigh', 'priorityUrgent']);
    expect(parsed.capabilities.tickets).toEqual({ noun: { zh_CN: 'Jira 问题', en: 'Jira issue' }, read: true, comments: true, needsCustomer: false });
    expect(parsed.capabilities.read).toEqual({ getCustomer: false, followUps: false, deals: false, changes: 'none', conditionalUpdate: false });
  });

  it('asks for the user’s site only', () => {
    expect(hostPatternsFor(jiraSpec, { site: 'https://acme.atlassian.net/jira/your-work' })).toEqual(['https://acme.atlassian.net/*']);
    expect(hostPatternsFor(jiraSpec, {})).toEqual([]);
  });

  it('has the ticket methods and no read side, as declared; customers, deals and tasks are refused as unsupported', async () => {
    const a = createJiraAdapter(deps());
    const asPort: CrmAdapter = a; // what adapters.ts's factory table will hold
    expect(asPort.verify).toBe(a.verify);
    expect([typeof a.createTicket, typeof a.getTicket, typeof a.addTicketComment]).toEqual(['function', 'function', 'function']);
    expect([a.getCustomer, a.listFollowUps, a.listDeals, a.changesSince, a.followUpsSince]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const c = { id: 'c', code: 'K', name: 'n', phones: [], tags: [], stage: '新客户', createdAt: 0, updatedAt: 0, searchKeys: [] };
    for (const p of [a.findCustomers({ name: 'x' }), a.createCustomer(c, { idempotencyKey: 'k' }), a.updateCustomer('1', {}, { idempotencyKey: 'k' }), a.createDeal('1', {} as never, { idempotencyKey: 'k' }), a.createTask('1', { title: 't', dueAt: 0 }, { idempotencyKey: 'k' }), a.addFollowUp('1', {} as never, { idempotencyKey: 'k' })]) {
      expect(await failure(p)).toMatchObject({ kind: 'unsupported' });
    }
  });

  it('reads settings at operation time: an http site, a missing email or token are named, never the token', async () => {
    expect(() => readConfig(deps({ site: 'http://acme.atlassian.net', email: 'a@b.c' }, { token: 't' }))).toThrow(/site/);
    expect(() => readConfig(deps({ site: 'https://acme.atlassian.net' }, { token: 't' }))).toThrow(/email/);
    const e = await failure(createJiraAdapter(deps({ site: 'https://acme.atlassian.net', email: 'a@b.c' })).verify());
    expect(e).toMatchObject({ kind: 'auth' });
    const cfg = readConfig(deps({ site: 'https://acme.atlassian.net/', email: 'a@b.c', projectKey: 'SUP' }, { token: ' secret-token ' }));
    expect(cfg).toMatchObject({ site: 'https://acme.atlassian.net', baseUrl: 'https://acme.atlassian.net', token: 'secret-token' });
    expect(() => readConfig(deps({ site: 'https://acme.atlassian.net', email: 'a@b.c', projectKey: 'sup key' }, { token: 't' }))).toThrow(/projectKey/);
  });
});

describe('Jira’s own OpenAPI file as the check', () => {
  it('flags what Jira would refuse', async () => {
    const s = await jiraSpecFile();
    const h = { authorization: 'Basic eDp5', 'content-type': 'application/json' };
    expect(s.check('POST', 'http://x/rest/api/3/issue', { fields: { summary: 'a' } }, h).errors).toEqual([]);
    expect(s.check('POST', 'http://x/rest/api/3/issue', { fields: 'oops' }, h).errors.join('\n')).toMatch(/body\.fields: must be object/);
    // IssueUpdateDetails is an open object in the file: an unknown top-level key is the emulator's to refuse (emulator.test.ts).
    expect(s.check('POST', 'http://x/rest/api/3/issue', { fieldz: {} }, h).errors).toEqual([]);
    expect(s.check('GET', 'http://x/rest/api/3/search/jql?jql=a&maxResults=ten', undefined, h).errors.join('\n')).toMatch(/query maxResults/);
    expect(s.check('GET', 'http://x/rest/api/3/search/jql?jql=a&startAt=0', undefined, h).errors.join('\n')).toMatch(/query startAt: not a parameter/);
    expect(s.check('GET', 'http://x/rest/api/3/issue/1/comment?orderBy=newest', undefined, h).errors.join('\n')).toMatch(/orderBy/);
    expect(s.check('POST', 'http://x/rest/api/3/search/jql', { jql: 'a', startAt: 0 }, h).errors.join('\n')).toMatch(/additional/);
    expect(s.checkReply('GET', 'http://x/rest/api/3/myself', 200, { accountId: 'a', nickname: 'x' }).errors.join('\n')).toMatch(/additional/);
  });

  it('takes Jira’s own timestamps (+0000) and needs no overlay', async () => {
    const s = await jiraSpecFile();
    const reply = { id: '1', created: '2021-01-17T12:34:00.000+0000', updated: '2021-01-17T12:34:00.000+0000' };
    expect(s.checkReply('POST', 'http://x/rest/api/3/issue/1/comment', 201, reply).errors).toEqual([]);
    expect(s.checkReply('POST', 'http://x/rest/api/3/issue/1/comment', 201, { ...reply, created: 'yesterday' }).errors.join('\n')).toMatch(/created: must match format "date-time"/);
    expect(s.applied).toEqual([]);
  });
});
