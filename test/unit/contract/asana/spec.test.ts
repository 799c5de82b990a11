// The Asana spec as declared data (auth field with help, host permission, what Asana takes and
// refuses), the methods present exactly where declared, and a check that the validator over
// Asana's own file can fail where the adapter's requests could go wrong.
import { describe, expect, it } from 'vitest';
import { createAsanaAdapter } from '../../../../lib/crm/asana/adapter';
import { readConfig } from '../../../../lib/crm/asana/config';
import { asanaSpec } from '../../../../lib/crm/asana/spec';
import { crmSpecSchema, hostPatternsFor } from '../../../../lib/crm/spec';
import type { CrmAdapter } from '../../../../lib/crm/port';
import { failure } from './helpers';
import { loadSpec } from '../../../specs/openapi';
import { ASANA_FILE, ASANA_PATCHES, asanaSpecFile } from './openapi';

const deps = (settings: Record<string, unknown> = {}, secrets: Record<string, string> = {}) => ({
  db: null,
  connection: { id: 'a', kind: 'asana', name: 'Asana', enabled: true, createdAt: 0, settings },
  secrets,
  now: Date.now,
});

describe('Asana spec', () => {
  it('is a valid spec: a personal access token (step-by-step help in both languages), remote choices for workspace, project, sections and priorities', () => {
    const parsed = crmSpecSchema.parse(asanaSpec);
    expect(parsed.auth.kind).toBe('token');
    expect(parsed.auth.fields.map((f) => [f.key, f.secret])).toEqual([['token', true]]);
    for (const f of [...parsed.auth.fields, ...parsed.configFields]) {
      expect(f.help.zh_CN.length, f.key).toBeGreaterThan(10);
      expect(f.help.en.length, f.key).toBeGreaterThan(10);
    }
    expect(parsed.auth.fields[0]!.help.en).toContain('https://app.asana.com/0/my-apps');
    expect(parsed.auth.fields[0]!.help.zh_CN).toContain('创建新令牌');
    expect(parsed.configFields.filter((f) => f.remoteChoices).map((f) => f.key)).toEqual([
      'workspaceGid', 'projectGid', 'sectionsNew', 'sectionsInProgress', 'sectionsWaiting', 'sectionsResolved', 'sectionsClosed', 'priorityFieldGid', 'priorityLow', 'priorityMedium', 'priorityHigh', 'priorityUrgent', 'categoryFieldGid',
    ]);
    expect(parsed.capabilities.tickets).toEqual({ noun: { zh_CN: 'Asana 任务', en: 'Asana task' }, read: true, comments: true, needsCustomer: false });
    expect(parsed.capabilities.read).toEqual({ getCustomer: false, followUps: false, deals: false, changes: 'none', conditionalUpdate: false });
    expect([parsed.capabilities.followUps, parsed.capabilities.deals, parsed.capabilities.tasks]).toEqual(['none', 'none', 'none']);
    expect(parsed.idempotency).toBe('lookup');
    // 150 a minute on a free domain: a full bucket plus a minute's refill stays under it.
    const { requestsPerSecond, burst } = parsed.rateLimit;
    expect(burst! + requestsPerSecond! * 60).toBeLessThanOrEqual(150);
  });

  it('asks for Asana’s API host only', () => {
    expect(hostPatternsFor(asanaSpec, {})).toEqual(['https://app.asana.com/*']);
  });

  it('has the ticket methods and no read side, as declared; customers, deals and tasks are refused as unsupported with a zh/en message', async () => {
    const a = createAsanaAdapter(deps());
    const asPort: CrmAdapter = a;
    expect(asPort.verify).toBe(a.verify);
    expect([typeof a.createTicket, typeof a.getTicket, typeof a.addTicketComment]).toEqual(['function', 'function', 'function']);
    expect([a.getCustomer, a.listFollowUps, a.listDeals, a.changesSince, a.followUpsSince]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const c = { id: 'c', code: 'K', name: 'n', phones: [], tags: [], stage: '新客户', createdAt: 0, updatedAt: 0, searchKeys: [] };
    for (const e of await Promise.all([a.findCustomers({ name: 'x' }), a.createCustomer(c, { idempotencyKey: 'k' }), a.updateCustomer('1', {}, { idempotencyKey: 'k' }), a.createDeal('1', {} as never, { idempotencyKey: 'k' }), a.createTask('1', { title: 't', dueAt: 0 }, { idempotencyKey: 'k' }), a.addFollowUp('1', {} as never, { idempotencyKey: 'k' })].map(failure))) {
      expect(e).toMatchObject({ kind: 'unsupported' });
      expect(e!.userMessage.zh_CN).toContain('Asana 不保存');
      expect(e!.userMessage.en).toContain('Asana keeps no');
    }
  });

  it('reads settings at operation time: a missing token is auth, a gid that is not digits is named, never the token', async () => {
    const e = await failure(createAsanaAdapter(deps({ workspaceGid: '1' })).verify());
    expect(e).toMatchObject({ kind: 'auth' });
    expect(() => readConfig(deps({ projectGid: 'my project' }, { token: 't' }))).toThrow(/projectGid/);
    const cfg = readConfig(deps({ workspaceGid: ' 12 ', priorityFieldGid: '' }, { token: ' secret-token ' }));
    expect(cfg).toMatchObject({ baseUrl: 'https://app.asana.com/api/1.0', token: 'secret-token', settings: { workspaceGid: '12' } });
    expect(cfg.settings.priorityFieldGid).toBeUndefined();
  });
});

describe('Asana’s own OpenAPI file as the check', () => {
  it('flags what Asana would refuse', async () => {
    const s = await asanaSpecFile();
    const h = { authorization: 'Bearer x', 'content-type': 'application/json' };
    expect(s.check('POST', 'http://x/api/1.0/tasks', { data: { name: 'a', projects: ['1'], due_on: '2026-12-10' } }, h).errors).toEqual([]);
    expect(s.check('POST', 'http://x/api/1.0/tasks', { data: { completed: 'no' } }, h).errors.join('\n')).toMatch(/completed: must be boolean/);
    expect(s.check('POST', 'http://x/api/1.0/tasks', { data: { due_on: '10/12/2026' } }, h).errors.join('\n')).toMatch(/due_on: must match format "date"/);
    expect(s.check('GET', 'http://x/api/1.0/tasks?project=1&limit=500', undefined, h).errors.join('\n')).toMatch(/query limit: must be <= 100/);
    expect(s.check('GET', 'http://x/api/1.0/tasks?project=1&modified_since=yesterday', undefined, h).errors.join('\n')).toMatch(/modified_since/);
    expect(s.check('GET', 'http://x/api/1.0/tasks/1?opt_fields=name,colour', undefined, h).errors.join('\n')).toMatch(/opt_fields/);
    expect(s.check('GET', 'http://x/api/1.0/tasks?project=1&sort=name', undefined, h).errors.join('\n')).toMatch(/query sort: not a parameter/);
    expect(s.check('GET', 'http://x/api/1.0/users/me', undefined, {}).errors.join('\n')).toMatch(/credentials/);
    expect(s.checkReply('GET', 'http://x/api/1.0/tasks/1', 200, { data: { gid: '1', completed: 'yes' } }).errors.join('\n')).toMatch(/completed: must be boolean/);
  });

  it('is weak where SOURCES.md says: an unwrapped body passes the file (the emulator refuses it)', async () => {
    const s = await asanaSpecFile();
    expect(s.check('POST', 'http://x/api/1.0/tasks', { name: 'x' }, { authorization: 'Bearer x', 'content-type': 'application/json' }).errors).toEqual([]);
  });

  it('the overlay lifts only the recorded defect: a null assignee passes, a wrong one still fails', async () => {
    const s = await asanaSpecFile();
    expect(s.applied.map((p) => p.id)).toEqual(ASANA_PATCHES.map((p) => p.id));
    expect(s.checkReply('GET', 'http://x/api/1.0/tasks/1', 200, { data: { gid: '1', assignee: null } }).errors).toEqual([]);
    expect(s.checkReply('GET', 'http://x/api/1.0/tasks/1', 200, { data: { gid: '1', assignee: { gid: 7 } } }).errors.join('\n')).toMatch(/assignee/);
    expect(s.checkReply('GET', 'http://x/api/1.0/tasks/1', 200, { data: { gid: '1', assignee: 'me' } }).errors.join('\n')).toMatch(/assignee/);
  });

  it('custom field values: the types the file’s description names pass, a boolean still fails', async () => {
    const s = await asanaSpecFile();
    const h = { authorization: 'Bearer x', 'content-type': 'application/json' };
    expect(s.check('POST', 'http://x/api/1.0/tasks', { data: { custom_fields: { '1': 'text', '2': 12.5, '3': ['4', '5'], '6': '2026-12-04' } } }, h).errors).toEqual([]);
    expect(s.check('POST', 'http://x/api/1.0/tasks', { data: { custom_fields: { '1': true } } }, h).errors.join('\n')).toMatch(/custom_fields/);
  });

  it('the file as published cannot be compiled without the overlay (the defect is real)', async () => {
    const raw = await loadSpec(ASANA_FILE);
    expect(() => raw.checkReply('GET', 'http://x/api/1.0/tasks/1', 200, { data: { gid: '1', assignee: null } })).toThrow(/"nullable" cannot be used without "type"/);
  });
});
