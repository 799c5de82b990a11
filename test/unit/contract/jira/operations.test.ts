// The Jira adapter against the strict emulator, every request and reply checked against Jira's own
// OpenAPI file (helpers.ts → openapi.ts): test connection, the settings form's choices,
// listFields from createmeta, tickets as issues (ADF description quoting the messages, the
// customer, labels, the priority mapping, templates), created once per key, status read back by
// status category, follow-ups as comments created once per key.
import { describe, expect, it } from 'vitest';
import { adfTexts } from '../../../../lib/crm/jira/adf';
import { COLLEAGUE } from '../../../emulators/jira';
import { failure, followUp, harness, SITE, ticket } from './helpers';

describe('Jira adapter: connection and settings', () => {
  it('verify names the account, the site and the project', async () => {
    const h = await harness();
    expect(await h.adapter.verify()).toEqual({ account: '李娜 <li.na@example.com> · liaison-demo.atlassian.net · SUP' });
    expect(h.emu.requests.map((r) => r.api)).toEqual(['myself', 'createmeta.fields']);
  });

  it('verify with a project the account cannot create issues in says so now', async () => {
    const h = await harness({ settings: { projectKey: 'OPS', issueTypeId: '10001' } });
    expect(await failure(h.adapter.verify())).toMatchObject({ kind: 'validation', vendorCode: 'NO_CREATE_META' });
  });

  it('offers projects the account can create in, the project’s issue types (no sub-tasks) and the issue type’s priorities', async () => {
    const h = await harness();
    expect(await h.adapter.fieldChoices('projectKey')).toEqual([{ value: 'SUP', label: '售后支持 (SUP)' }, { value: 'DEV', label: '研发 (DEV)' }]);
    expect(await h.adapter.fieldChoices('issueTypeId')).toEqual([{ value: '10001', label: 'Task' }, { value: '10004', label: 'Bug' }]);
    expect((await h.adapter.fieldChoices('priorityUrgent'))!.map((c) => c.value)).toEqual(['Highest', 'High', 'Medium', 'Low', 'Lowest']);
    expect(await h.adapter.fieldChoices('site')).toBeUndefined();
    const noPriority = h.another({ projectKey: 'DEV', issueTypeId: '10005' });
    expect(await noPriority.fieldChoices('priorityLow')).toEqual([]);
    expect(await failure(h.another({ projectKey: undefined }).fieldChoices('issueTypeId'))).toMatchObject({ kind: 'validation', vendorCode: 'NOT_CONFIGURED' });
  });

  it('listFields lists the create screen as a ticket section, without what Liaison keeps for itself', async () => {
    const h = await harness();
    const f = await h.adapter.listFields();
    expect(f.customer).toBeUndefined();
    expect(f.ticket.map((x) => x.name)).toEqual(['summary', 'priority', 'duedate', 'assignee', 'reporter', 'customfield_10050']);
    expect(f.ticket.find((x) => x.name === 'customfield_10050')).toEqual({ name: 'customfield_10050', label: '来源渠道', type: 'option', options: ['微信', 'WhatsApp', '电话'] });
    expect(f.ticket.find((x) => x.name === 'summary')!.label).toBe('Summary *');
  });
});

describe('Jira adapter: tickets', () => {
  it('createTicket makes one issue: summary, ADF description with the customer and the quoted messages, labels, mapped priority; a retry finds it', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket({ dueAt: Date.UTC(2026, 11, 10, 4) }), { idempotencyKey: 'out-1' });
    expect(ref).toMatchObject({ remoteId: expect.stringMatching(/^\d+$/), remoteCode: 'SUP-1', url: `${SITE}/browse/SUP-1`, status: '新建', vendorStatus: 'To Do' });
    const issue = [...h.emu.state.issues.values()][0]!;
    expect(issue.fields).toMatchObject({ summary: '净水器漏水，要求上门维修', labels: ['liaison-out-1', 'liaison', 'customer-KH2026-0001'], priority: '2', duedate: '2026-12-10' });
    const texts = adfTexts(issue.fields.description);
    expect(texts).toEqual(expect.arrayContaining(['客户反映上周购买的净水器底部漏水。', '已拍照。', '希望本周内上门。', '王小明（深圳联络贸易）', '+8613800138000', 'wang@example.com', 'KH2026-0001', '售后', '高', '你好，净水器底下一直在漏水', '抱歉！请拍张照片发我', '2026-12-01 02:30 UTC 客户：', '2026-12-01 02:31 UTC 我：']));
    expect((issue.fields.description as { content: { type: string }[] }).content.map((n) => n.type)).toEqual(['paragraph', 'paragraph', 'heading', 'paragraph', 'paragraph', 'heading', 'blockquote']);
    // The same outbox entry again (a retry): found by its label, nothing created.
    expect(await h.another().createTicket(ticket(), { idempotencyKey: 'out-1' })).toMatchObject({ remoteId: ref.remoteId, remoteCode: 'SUP-1' });
    expect(h.emu.state.issues.size).toBe(1);
    expect(h.emu.requests.filter((r) => r.api === 'search')).toHaveLength(2);
    // Another entry: another issue.
    expect((await h.adapter.createTicket(ticket(), { idempotencyKey: 'out-2' })).remoteCode).toBe('SUP-2');
  });

  it('maps 紧急程度 to the connection’s priority names, defaulting to Jira’s scheme', async () => {
    const h = await harness({ settings: { priorityUrgent: 'High' } });
    await h.adapter.createTicket(ticket({ priority: '紧急' }), { idempotencyKey: 'u' });
    await h.adapter.createTicket(ticket({ priority: '低' }), { idempotencyKey: 'l' });
    const byKey = (k: string) => [...h.emu.state.issues.values()].find((i) => (i.fields.labels as string[]).includes(`liaison-${k}`))!;
    expect([byKey('u').fields.priority, byKey('l').fields.priority]).toEqual(['2', '4']);
  });

  it('a priority name the project lacks is left out and named as a warning; the ticket is created', async () => {
    const h = await harness({ settings: { priorityHigh: 'Critical' } });
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'w' });
    expect(ref.warnings).toEqual(['priority: "Critical" ∉ Highest, High, Medium, Low, Lowest']);
    // Jira's default priority (the field has a default) applies.
    expect(h.emu.state.issues.get(ref.remoteId)!.fields.priority).toBe('3');
  });

  it('a long subject with line breaks becomes one line of at most 255 characters', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket({ subject: `第一行\n第二行 ${'长'.repeat(300)}` }), { idempotencyKey: 's' });
    const summary = h.emu.state.issues.get(ref.remoteId)!.fields.summary as string;
    expect([...summary]).toHaveLength(255);
    expect(summary.startsWith('第一行 第二行 长')).toBe(true);
  });

  it('templates set create-screen fields typed by createmeta; reserved fields and bad options are refused before writing', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 't', fields: { customfield_10050: '微信', assignee: COLLEAGUE } });
    expect(h.emu.state.issues.get(ref.remoteId)!.fields).toMatchObject({ customfield_10050: '10100', assignee: COLLEAGUE });
    const before = h.emu.requests.length;
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't2', fields: { labels: 'x' } }))).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't3', fields: { customfield_10050: '邮件' } }))).toMatchObject({ kind: 'validation', vendorCode: 'TEMPLATE_VALUE' });
    expect(h.emu.requests.slice(before).filter((r) => r.api === 'issue.create')).toEqual([]);
    // A field the create screen does not list is sent, for Jira to refuse by name.
    const e = await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't4', fields: { customfield_99999: 'x' } }));
    expect(e).toMatchObject({ kind: 'validation', status: 400, vendorCode: 'customfield_99999' });
    expect(e!.userMessage.zh_CN).toContain("Field 'customfield_99999' cannot be set");
    expect(h.emu.state.issues.size).toBe(1);
  });

  it('a required field Liaison does not fill is named before writing; a type without Labels is refused (no safe retry)', async () => {
    const dev = await harness({ settings: { projectKey: 'DEV', issueTypeId: '10005' } });
    const e = await failure(dev.adapter.createTicket(ticket(), { idempotencyKey: 'r' }));
    expect(e).toMatchObject({ kind: 'validation', vendorCode: 'REQUIRED_FIELDS' });
    expect(e!.userMessage.zh_CN).toContain('Environment details');
    expect(await dev.adapter.createTicket(ticket(), { idempotencyKey: 'r', fields: { customfield_10060: 'Android 14' } })).toMatchObject({ remoteCode: 'DEV-1' });
    const bug = dev.another({ projectKey: 'SUP', issueTypeId: '10004' });
    const noLabels = await failure(bug.createTicket(ticket(), { idempotencyKey: 'b' }));
    expect(noLabels).toMatchObject({ kind: 'validation', vendorCode: 'LABELS_NOT_ON_SCREEN' });
    expect(noLabels!.userMessage.zh_CN).toContain('标签');
    expect(dev.emu.requests.filter((r) => r.api === 'issue.create')).toHaveLength(1);
  });

  it('no project chosen: refused before any request', async () => {
    const h = await harness({ settings: { projectKey: undefined, issueTypeId: undefined } });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'x' }))).toMatchObject({ kind: 'validation', vendorCode: 'NOT_CONFIGURED' });
    expect(h.emu.requests).toEqual([]);
  });

  it('getTicket reads the status by category, keeps Jira’s word, the assignee and the time; a deleted issue is null', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'g' });
    const steps: [string, string][] = [['In Progress', '处理中'], ['Waiting for customer', '处理中'], ['Done', '已解决'], ['To Do', '新建']];
    for (const [name, status] of steps) {
      h.emu.control.transition('SUP-1', name);
      expect(await h.adapter.getTicket(ref.remoteId)).toMatchObject({ status, vendorStatus: name, remoteCode: 'SUP-1', url: `${SITE}/browse/SUP-1` });
    }
    h.emu.control.assign('SUP-1', COLLEAGUE);
    const t = await h.adapter.getTicket(ref.remoteId);
    expect(t).toMatchObject({ assignee: '王强', subject: '净水器漏水，要求上门维修', modifiedAt: expect.any(Number) });
    h.emu.control.deleteIssue('SUP-1');
    expect(await h.adapter.getTicket(ref.remoteId)).toBeNull();
    const before = h.emu.requests.length;
    expect(await failure(h.adapter.getTicket('SUP-1/../x'))).toMatchObject({ kind: 'validation' });
    expect(h.emu.requests.length).toBe(before);
  });
});

describe('Jira adapter: comments', () => {
  it('addTicketComment posts one ADF comment with the follow-up and its key; a retry finds it among colleagues’ comments', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'c' });
    const f = followUp({ by: '李娜', nextAt: Date.UTC(2026, 11, 4, 2) });
    const c = await h.adapter.addTicketComment(ref.remoteId, f, { idempotencyKey: 'fu-1' });
    h.emu.control.commentAsColleague('SUP-1', '收到，周四我去');
    expect(await h.adapter.addTicketComment(ref.remoteId, f, { idempotencyKey: 'fu-1' })).toEqual(c);
    const comments = h.emu.state.issues.get(ref.remoteId)!.comments;
    expect(comments).toHaveLength(2);
    expect(adfTexts(comments[0]!.body)).toEqual(['跟进：', `电话 · 2026-12-01 02:30 UTC · 李娜`, '已约好周四上午上门', '结果：', '有意向', '下次行动：', '上门维修', '下次时间：', '2026-12-04 02:00 UTC', 'Liaison fu-1']);
    expect(await h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'fu-2' })).not.toEqual(c);
    expect(h.emu.state.issues.get(ref.remoteId)!.comments).toHaveLength(3);
  });

  it('a comment on a deleted issue is not-found; templates are refused (a comment has no fields)', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'd' });
    expect(await failure(h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'x', fields: { a: 'b' } }))).toMatchObject({ kind: 'validation' });
    h.emu.control.deleteIssue(ref.remoteId);
    expect(await failure(h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'y' }))).toMatchObject({ kind: 'not-found', status: 404 });
  });
});
