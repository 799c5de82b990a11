// The ClickUp spec as declared data (token auth with help, ClickUp's API host only, where tickets
// go, the priority mapping), the methods present exactly where declared, the settings read at
// operation time — and a check that the validator over ClickUp's own file can fail, and that each
// patch of the overlay lifts exactly the defect it records.
import { describe, expect, it } from 'vitest';
import { createClickUpAdapter } from '../../../../lib/crm/clickup/adapter';
import { resetAt } from '../../../../lib/crm/clickup/client';
import { priorityOf, readConfig } from '../../../../lib/crm/clickup/config';
import { clickupSpec } from '../../../../lib/crm/clickup/spec';
import { statusOf } from '../../../../lib/crm/clickup/tasks';
import { crmSpecSchema, hostPatternsFor } from '../../../../lib/crm/spec';
import type { CrmAdapter } from '../../../../lib/crm/port';
import { failure } from './helpers';
import { CLICKUP_PATCHES, clickupSpecFile, clickupSpecRaw } from './openapi';

const deps = (settings: Record<string, unknown> = {}, secrets: Record<string, string> = {}) => ({
  db: null,
  connection: { id: 'c', kind: 'clickup', name: 'ClickUp', enabled: true, createdAt: 0, settings },
  secrets,
  now: Date.now,
});

describe('ClickUp spec', () => {
  it('is a valid spec: a personal token with step-by-step help in both languages, Workspace and List chosen by name, a priority select per 紧急程度', () => {
    const parsed = crmSpecSchema.parse(clickupSpec);
    expect(parsed.auth.kind).toBe('token');
    expect(parsed.auth.fields.map((f) => [f.key, f.secret])).toEqual([['token', true]]);
    for (const f of [...parsed.auth.fields, ...parsed.configFields]) {
      expect(f.help.zh_CN.length, f.key).toBeGreaterThan(10);
      expect(f.help.en.length, f.key).toBeGreaterThan(10);
    }
    expect(parsed.auth.fields[0]!.help.en).toMatch(/Settings.*Apps.*app.clickup.com\/settings\/apps.*Generate.*Copy.*pk_/s);
    expect(parsed.auth.fields[0]!.help.zh_CN).toMatch(/设置.*应用.*生成.*pk_/s);
    expect(parsed.configFields.filter((f) => f.remoteChoices).map((f) => f.key)).toEqual(['teamId', 'listId']);
    expect(parsed.configFields.filter((f) => f.type === 'select').map((f) => [f.key, f.options!.map((o) => o.value)])).toEqual(
      ['priorityLow', 'priorityMedium', 'priorityHigh', 'priorityUrgent'].map((k) => [k, ['1', '2', '3', '4', 'none']]),
    );
    expect(parsed.capabilities.tickets).toEqual({ noun: { zh_CN: 'ClickUp 任务', en: 'ClickUp task' }, read: true, comments: true, needsCustomer: false });
    expect(parsed.capabilities.read).toEqual({ getCustomer: false, followUps: false, deals: false, changes: 'none', conditionalUpdate: false });
    expect([parsed.capabilities.followUps, parsed.capabilities.deals, parsed.capabilities.tasks]).toEqual(['none', 'none', 'none']);
    expect(parsed.idempotency).toBe('lookup');
    // "Rate Limits": 100 requests per minute per token on the lowest plans.
    expect(parsed.rateLimit.requestsPerSecond! * 60).toBeCloseTo(100);
  });

  it('asks for ClickUp’s API host only', () => {
    expect(hostPatternsFor(clickupSpec, {})).toEqual(['https://api.clickup.com/*']);
  });

  it('has the ticket methods and no read side, as declared; customers, deals and reminders are refused as unsupported, in both languages', async () => {
    const a = createClickUpAdapter(deps());
    const asPort: CrmAdapter = a;
    expect(asPort.verify).toBe(a.verify);
    expect([typeof a.createTicket, typeof a.getTicket, typeof a.addTicketComment]).toEqual(['function', 'function', 'function']);
    expect([a.getCustomer, a.listFollowUps, a.listDeals, a.changesSince, a.followUpsSince]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const c = { id: 'c', code: 'K', name: 'n', phones: [], tags: [], stage: '新客户', createdAt: 0, updatedAt: 0, searchKeys: [] };
    for (const e of await Promise.all([a.findCustomers({ name: 'x' }), a.createCustomer(c, { idempotencyKey: 'k' }), a.updateCustomer('1', {}, { idempotencyKey: 'k' }), a.createDeal('1', {} as never, { idempotencyKey: 'k' }), a.createTask('1', { title: 't', dueAt: 0 }, { idempotencyKey: 'k' }), a.addFollowUp('1', {} as never, { idempotencyKey: 'k' })].map(failure))) {
      expect(e).toMatchObject({ kind: 'unsupported' });
      expect(e!.userMessage.zh_CN).toMatch(/ClickUp 不保存/);
    }
  });

  it('reads settings at operation time: ids must be digits, the token pk_…, never echoed; priorities default to urgent/high/normal/low', async () => {
    expect(() => readConfig(deps({ listId: 'abc' }, { token: 'pk_1_A' }))).toThrow(/listId/);
    expect(() => readConfig(deps({ priorityHigh: '5' }, { token: 'pk_1_A' }))).toThrow(/priorityHigh/);
    const e = await failure(createClickUpAdapter(deps({}, { token: 'secret-not-pk' })).verify());
    expect(e).toMatchObject({ kind: 'auth', vendorCode: 'NOT_A_PERSONAL_TOKEN' });
    expect(e!.message).not.toContain('secret-not-pk');
    const cfg = readConfig(deps({ teamId: '9012345678', listId: '901200000011', priorityLow: 'none', priorityHigh: '' }, { token: ' pk_81942673_ABC ' }));
    expect(cfg).toMatchObject({ baseUrl: 'https://api.clickup.com', token: 'pk_81942673_ABC' });
    expect((['低', '中', '高', '紧急'] as const).map((p) => priorityOf(cfg, p))).toEqual([null, 3, 2, 1]);
  });

  it('reads X-RateLimit-Reset as Unix seconds, tolerates milliseconds, and never waits more than a window', () => {
    const now = Date.UTC(2026, 11, 6, 12, 0, 0);
    expect(resetAt(now / 1000 + 30, now)).toBe(now + 30_000);
    expect(resetAt(now + 30_000, now)).toBe(now + 30_000);
    expect(resetAt(now / 1000 - 5, now)).toBe(now + 1000);
    expect(resetAt(now / 1000 + 86_400, now)).toBe(now + 65_000);
  });

  it('maps ClickUp’s status types, and refuses a type it does not know', () => {
    expect(['open', 'custom', 'done', 'closed'].map((type) => statusOf({ status: 'x', type }))).toEqual(['新建', '处理中', '已解决', '已关闭']);
    expect(statusOf({ status: 'Waiting on Customer', type: 'custom' })).toBe('待回复');
    expect(statusOf({ status: '待客户确认', type: 'custom' })).toBe('待回复');
    expect(() => statusOf({ status: 'x', type: 'archived' })).toThrow(/unknown status type/);
  });
});

describe('ClickUp’s own OpenAPI file as the check', () => {
  const h = { authorization: 'pk_1_A', 'content-type': 'application/json' };
  it('flags what ClickUp would refuse', async () => {
    const s = await clickupSpecFile();
    expect(s.check('POST', 'http://x/api/v2/list/901/task', { name: 'a', priority: 2, tags: ['x'], notify_all: false }, h).errors).toEqual([]);
    expect(s.check('POST', 'http://x/api/v2/list/901/task', { description: 'no name' }, h).errors.join('\n')).toMatch(/must have required property 'name'/);
    expect(s.check('POST', 'http://x/api/v2/list/901/task', { name: 'a', priority: 'high' }, h).errors.join('\n')).toMatch(/priority/);
    expect(s.check('POST', 'http://x/api/v2/list/901/task', { name: 'a', due_date: '2026-12-10' }, h).errors.join('\n')).toMatch(/due_date/);
    expect(s.check('POST', 'http://x/api/v2/list/abc/task', { name: 'a' }, h).errors.join('\n')).toMatch(/path list_id/);
    expect(s.check('POST', 'http://x/api/v2/task/9hz/comment', { comment_text: 'a' }, h).errors.join('\n')).toMatch(/notify_all/);
    expect(s.check('GET', 'http://x/api/v2/list/901/task?include_closed=yes', undefined, h).errors.join('\n')).toMatch(/include_closed/);
    expect(s.check('GET', 'http://x/api/v2/list/901/task?tag=a', undefined, h).errors.join('\n')).toMatch(/query tag: not a parameter/);
    expect(s.check('GET', 'http://x/api/v2/user', undefined, {}).errors.join('\n')).toMatch(/credentials/);
    expect(s.check('GET', 'http://x/api/v2/list/901/field', undefined, { authorization: 'pk_1_A' }).errors.join('\n')).toMatch(/header Content-Type: required/);
  });

  it('each patch lifts exactly its recorded defect: the raw file refuses what ClickUp does, the patched file takes it', async () => {
    const raw = await clickupSpecRaw();
    const patched = await clickupSpecFile();
    expect(patched.applied.map((p) => p.id)).toEqual(CLICKUP_PATCHES.map((p) => p.id));
    for (const p of CLICKUP_PATCHES) expect(p.reason.length, p.id).toBeGreaterThan(40);
    const user = { id: 1, username: 'a', color: '#000', initials: 'A', email: 'a@b.c', profilePicture: 'https://attachments.clickup.com/p/1.jpg' };
    const tag = { name: 'liaison', tag_fg: '#000', tag_bg: '#000', creator: 1 };
    const list = { id: '1', name: 'a', orderindex: 0, content: '', status: null, priority: null, assignee: null, task_count: '0', due_date: null, start_date: null, folder: { id: '1', name: 'hidden', hidden: true, access: true }, space: { id: '1', name: 's', access: true }, archived: false, override_statuses: false, permission_level: 'create' };
    const cases: [string, () => { errors: string[] }, () => { errors: string[] }][] = [
      ['tags[]', () => raw.check('GET', 'http://x/api/v2/list/901/task?tags[]=a', undefined, h), () => patched.check('GET', 'http://x/api/v2/list/901/task?tags[]=a', undefined, h)],
      ['folders', () => raw.checkReply('GET', 'http://x/api/v2/space/1/folder', 200, { folders: [] }), () => patched.checkReply('GET', 'http://x/api/v2/space/1/folder', 200, { folders: [] })],
      ['comment assignee null', () => raw.checkReply('GET', 'http://x/api/v2/task/9hz/comment', 200, { comments: [{ id: '1', comment: [{ text: 'a' }], comment_text: 'a', user, resolved: false, assignee: null, assigned_by: null, reactions: [], date: '1' }] }), () => patched.checkReply('GET', 'http://x/api/v2/task/9hz/comment', 200, { comments: [{ id: '1', comment: [{ text: 'a' }], comment_text: 'a', user, resolved: false, assignee: null, assigned_by: null, reactions: [], date: '1' }] })],
      ['list status null', () => raw.checkReply('GET', 'http://x/api/v2/list/1', 200, { id: '1', status: null, priority: null, due_date: null }), () => patched.checkReply('GET', 'http://x/api/v2/list/1', 200, { id: '1', status: null, priority: null, due_date: null })],
      ['folderless oneOf', () => raw.checkReply('GET', 'http://x/api/v2/space/1/list', 200, { lists: [list] }), () => patched.checkReply('GET', 'http://x/api/v2/space/1/list', 200, { lists: [list] })],
      ['create reply objects', () => raw.checkReply('POST', 'http://x/api/v2/list/1/task', 200, { id: '9hz', tags: [tag], watchers: [user], assignees: [user] }), () => patched.checkReply('POST', 'http://x/api/v2/list/1/task', 200, { id: '9hz', tags: [tag], watchers: [user], assignees: [user] })],
      ['list reply objects', () => raw.checkReply('GET', 'http://x/api/v2/list/1/task', 200, { tasks: [{ id: '9hz', tags: [tag], watchers: [user], assignees: [user] }], last_page: true }), () => patched.checkReply('GET', 'http://x/api/v2/list/1/task', 200, { tasks: [{ id: '9hz', tags: [tag], watchers: [user], assignees: [user] }], last_page: true })],
    ];
    for (const [name, before, after] of cases) {
      expect(before().errors.length, `${name}: the raw file refuses it`).toBeGreaterThan(0);
      expect(after().errors, `${name}: the patched file takes it`).toEqual([]);
    }
    // Not a patch: the task's `priority` is `nullable: true` (3.0 wording in a 3.1 file), which the validator honours.
    expect(raw.checkReply('GET', 'http://x/api/v2/task/9hz', 200, { id: '9hz', priority: null }).errors).toEqual([]);
    // The patches do not loosen the rest: a string priority or tag objects without a name stay refused.
    expect(patched.checkReply('GET', 'http://x/api/v2/task/9hz', 200, { id: '9hz', priority: 'high' }).errors.length).toBeGreaterThan(0);
    expect(patched.checkReply('POST', 'http://x/api/v2/list/1/task', 200, { id: '9hz', tags: ['liaison'] }).errors.length).toBeGreaterThan(0);
  });
});
