// The Linear spec as declared data (the API key with help, the one API host, the team, label and
// priority choices, what Linear takes and refuses), the methods present exactly where declared,
// settings read at operation time, the idempotency ids, and a check that the validator over
// Linear's own schema can fail (a check that cannot fail would prove nothing).
import { describe, expect, it } from 'vitest';
import { createLinearAdapter } from '../../../../lib/crm/linear/adapter';
import { readConfig } from '../../../../lib/crm/linear/config';
import { linearIdFor } from '../../../../lib/crm/linear/ids';
import { linearSpec } from '../../../../lib/crm/linear/spec';
import { crmSpecSchema, hostPatternsFor } from '../../../../lib/crm/spec';
import type { CrmAdapter } from '../../../../lib/crm/port';
import { checkDocument, loadGraphqlSchema } from '../../../specs/graphql';
import { failure, LINEAR_FILE, replyProblems } from './helpers';

const TEAM = '3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const deps = (settings: Record<string, unknown> = {}, secrets: Record<string, string> = {}) => ({
  db: null,
  connection: { id: 'l', kind: 'linear', name: 'Linear', enabled: true, createdAt: 0, settings },
  secrets,
  now: Date.now,
});

describe('Linear spec', () => {
  it('is a valid spec: a personal API key with step-by-step help in both languages, remote choices for team, label and priorities', () => {
    const parsed = crmSpecSchema.parse(linearSpec);
    expect(parsed.auth.kind).toBe('token');
    expect(parsed.auth.fields.map((f) => [f.key, f.secret])).toEqual([['apiKey', true]]);
    for (const f of [...parsed.auth.fields, ...parsed.configFields]) {
      expect(f.help.zh_CN.length, f.key).toBeGreaterThan(10);
      expect(f.help.en.length, f.key).toBeGreaterThan(10);
    }
    expect(parsed.auth.fields[0]!.help.en).toContain('https://linear.app/settings/account/security');
    expect(parsed.auth.fields[0]!.help.zh_CN).toContain('Create comments');
    expect(parsed.configFields.filter((f) => f.remoteChoices).map((f) => f.key)).toEqual(['teamId', 'labelId', 'priorityLow', 'priorityMedium', 'priorityHigh', 'priorityUrgent']);
    expect(parsed.configFields.filter((f) => f.required).map((f) => f.key)).toEqual(['teamId']);
    expect(parsed.capabilities.tickets).toEqual({ noun: { zh_CN: 'Linear 问题', en: 'Linear issue' }, read: true, comments: true, needsCustomer: false });
    expect(parsed.capabilities.read).toEqual({ getCustomer: false, followUps: false, deals: false, changes: 'none', conditionalUpdate: false });
    expect([parsed.capabilities.followUps, parsed.capabilities.deals, parsed.capabilities.tasks]).toEqual(['none', 'none', 'none']);
    expect(parsed.idempotency).toBe('key');
    // Under the published 5,000 requests an hour, sustained.
    expect(parsed.rateLimit.requestsPerSecond! * 3600).toBeLessThan(5000);
  });

  it('asks for the API host only', () => {
    expect(hostPatternsFor(linearSpec, {})).toEqual(['https://api.linear.app/*']);
  });

  it('has the ticket methods and no read side, as declared; customers, deals and tasks are refused as unsupported in both languages', async () => {
    const a = createLinearAdapter(deps());
    const asPort: CrmAdapter = a;
    expect(asPort.verify).toBe(a.verify);
    expect([typeof a.createTicket, typeof a.getTicket, typeof a.addTicketComment]).toEqual(['function', 'function', 'function']);
    expect([a.getCustomer, a.listFollowUps, a.listDeals, a.changesSince, a.followUpsSince, a.prepare, a.batchCreateCustomers]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
    const c = { id: 'c', code: 'K', name: 'n', phones: [], tags: [], stage: '新客户', createdAt: 0, updatedAt: 0, searchKeys: [] };
    for (const e of await Promise.all([a.findCustomers({ name: 'x' }), a.createCustomer(c, { idempotencyKey: 'k' }), a.updateCustomer('1', {}, { idempotencyKey: 'k' }), a.createDeal('1', {} as never, { idempotencyKey: 'k' }), a.createTask('1', { title: 't', dueAt: 0 }, { idempotencyKey: 'k' }), a.addFollowUp('1', {} as never, { idempotencyKey: 'k' })].map(failure))) {
      expect(e).toMatchObject({ kind: 'unsupported' });
      expect(e!.userMessage.zh_CN).toContain('Linear 不保存');
      expect(e!.userMessage.en).toContain('Linear keeps no');
    }
  });

  it('reads settings at operation time: no key is auth, a bad team or priority is named, never the key; a pasted "Bearer" is dropped', async () => {
    expect(await failure(createLinearAdapter(deps({ teamId: TEAM })).verify())).toMatchObject({ kind: 'auth' });
    expect(() => readConfig(deps({ teamId: 'SUP' }, { apiKey: 'lin_api_secret' }))).toThrow(/teamId/);
    expect(() => readConfig(deps({ teamId: TEAM, priorityHigh: '7' }, { apiKey: 'lin_api_secret' }))).toThrow(/priorityHigh/);
    try {
      readConfig(deps({ teamId: 'x' }, { apiKey: 'lin_api_secret' }));
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('lin_api_secret');
    }
    const cfg = readConfig(deps({ teamId: TEAM, priorityHigh: '1', priorityLow: '' }, { apiKey: ' Bearer lin_api_secret ' }));
    expect(cfg).toMatchObject({ baseUrl: 'https://api.linear.app', apiKey: 'lin_api_secret', settings: { teamId: TEAM, priorityHigh: 1 } });
    expect(cfg.settings.priorityLow).toBeUndefined();
  });

  it('derives one version-4 UUID per key and kind: stable across calls, distinct between issues and comments', async () => {
    const a = await linearIdFor('issue', 'out-1');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await linearIdFor('issue', 'out-1')).toBe(a);
    expect(await linearIdFor('issue', 'out-2')).not.toBe(a);
    expect(await linearIdFor('comment', 'out-1')).not.toBe(a);
  });
});

describe('Linear’s own schema as the check', () => {
  const schema = () => loadGraphqlSchema(LINEAR_FILE);
  it('accepts the adapter’s create and refuses what Linear would refuse', () => {
    const create = 'mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier } } }';
    expect(checkDocument(schema(), create, { input: { teamId: TEAM, title: 'x', priority: 2, id: '0b5e3f56-2f4b-4c1a-9d8e-7f6a5b4c3d2e' } })).toEqual([]);
    // teamId is required (String!), priority an Int, an unknown input field is refused.
    expect(checkDocument(schema(), create, { input: { title: 'x' } }).join()).toMatch(/teamId/);
    expect(checkDocument(schema(), create, { input: { teamId: TEAM, title: 'x', priority: '高' } }).join()).toMatch(/priority/);
    expect(checkDocument(schema(), create, { input: { teamId: TEAM, title: 'x', customerName: '王' } }).join()).toMatch(/customerName/);
    expect(checkDocument(schema(), 'mutation C { commentCreate(input: { issueId: "x", bodyy: "y" }) { success } }').join()).toMatch(/bodyy/);
    expect(checkDocument(schema(), 'query Q { issues(filter: { id: { equals: "x" } }) { nodes { id } } }').join()).toMatch(/equals/);
    expect(checkDocument(schema(), 'query Q { viewer { id workspace } }').join()).toMatch(/workspace/);
  });

  it('the reply check refuses a reply the schema does not allow (a missing non-null field, a wrong scalar)', async () => {
    const q = 'query Verify { viewer { id name displayName email } organization { name urlKey } }';
    const good = { viewer: { id: 'u', name: 'Li Na', displayName: '李娜', email: 'a@b.c' }, organization: { name: 'o', urlKey: 'o' } };
    expect(await replyProblems(q, {}, good)).toEqual([]);
    expect((await replyProblems(q, {}, { ...good, viewer: { ...good.viewer, email: null } })).join()).toMatch(/viewer\.email: Cannot return null for non-nullable field User\.email/);
    const list = 'query Q { issuePriorityValues { priority label } }';
    expect((await replyProblems(list, {}, { issuePriorityValues: [{ priority: 'high', label: 'High' }] })).join()).toMatch(/Int cannot represent/);
  });

  it('a missing schema file fails loudly, naming it', () => {
    expect(() => loadGraphqlSchema('linear-missing.graphql')).toThrow(/linear-missing\.graphql/);
  });
});
