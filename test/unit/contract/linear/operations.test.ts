// The Linear adapter against the strict emulator, every document checked against Linear's own
// schema (helpers.ts): test connection, the settings form's choices, listFields, tickets as
// issues (markdown description quoting the customer and the messages, the priority mapping, the
// category and configured labels, due date, templates), created once per key, the workflow
// state read back for every state type, follow-ups as comments created once per key.
import { describe, expect, it } from 'vitest';
import { linearIdFor } from '../../../../lib/crm/linear/ids';
import { failure, followUp, harness, ticket } from './helpers';

describe('Linear adapter: connection and settings', () => {
  it('verify names the user, the workspace and the team', async () => {
    const h = await harness();
    expect(await h.adapter.verify()).toEqual({ account: '李娜 <li.na@example.com> · 联络演示 (linear.app/liaison-demo) · 售后支持 (SUP)' });
    expect(h.emu.requests.map((r) => r.operation)).toEqual(['Verify', 'VerifyTeam']);
    expect(await h.another({ teamId: undefined }).verify()).toEqual({ account: '李娜 <li.na@example.com> · 联络演示 (linear.app/liaison-demo)' });
  });

  it('verify with a team the key cannot reach says so now', async () => {
    const h = await harness();
    const e = await failure(h.another({ teamId: h.emu.control.team('OPS').id }).verify());
    expect(e).toMatchObject({ kind: 'validation', vendorCode: 'TEAM_NOT_FOUND' });
    expect(e!.userMessage.zh_CN).toContain('访问不到所选的 Linear 团队');
  });

  it('offers the teams the key reaches, the team’s labels and Linear’s priorities by name', async () => {
    const h = await harness();
    expect(await h.adapter.fieldChoices('teamId')).toEqual([{ value: h.sup.id, label: '售后支持 (SUP)' }, { value: h.emu.control.team('DEV').id, label: '研发 (DEV)' }]);
    expect((await h.adapter.fieldChoices('labelId'))!.map((c) => c.label)).toEqual(['售后', '技术支持', '客户反馈', 'Bug']);
    expect(await h.adapter.fieldChoices('priorityUrgent')).toEqual([
      { value: '0', label: 'No priority' }, { value: '1', label: 'Urgent' }, { value: '2', label: 'High' }, { value: '3', label: 'Medium' }, { value: '4', label: 'Low' },
    ]);
    expect(await h.adapter.fieldChoices('apiKey')).toBeUndefined();
    expect(await failure(h.another({ teamId: undefined }).fieldChoices('labelId'))).toMatchObject({ kind: 'validation', vendorCode: 'NOT_CONFIGURED' });
  });

  it('pages through a list longer than a page (pageInfo.endCursor)', async () => {
    const h = await harness();
    const sup = h.emu.control.team('SUP');
    for (let i = 0; i < 130; i++) sup.labels.push({ id: crypto.randomUUID(), name: `标签${i}`, color: '#000000' });
    const labels = await h.adapter.fieldChoices('labelId');
    expect(labels).toHaveLength(134);
    expect(h.emu.requests.filter((r) => r.operation === 'TeamLabels')).toHaveLength(2);
  });

  it('listFields lists the template-writable issue fields as a ticket section, with the team’s states', async () => {
    const h = await harness();
    const f = await h.adapter.listFields();
    expect(f.customer).toBeUndefined();
    expect(f.ticket.map((x) => x.name)).toEqual(['assigneeId', 'stateId', 'projectId', 'cycleId', 'estimate', 'dueDate']);
    expect(f.ticket.find((x) => x.name === 'stateId')!.options).toEqual(['Triage', 'Backlog', 'Todo', 'In Progress', 'In Review', 'Done', 'Canceled', 'Duplicate']);
  });
});

describe('Linear adapter: tickets', () => {
  it('createTicket makes one issue with Liaison’s id: title, markdown description with the customer and quoted messages, priority, category label, due date; a retry finds it', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket({ dueAt: Date.UTC(2026, 11, 10, 4) }), { idempotencyKey: 'out-1' });
    const id = await linearIdFor('issue', 'out-1');
    expect(ref).toMatchObject({ remoteId: id, remoteCode: 'SUP-1', url: 'https://linear.app/liaison-demo/issue/SUP-1', status: '新建', vendorStatus: 'Triage' });
    const issue = h.emu.workspace.issues.get(id)!;
    const sup = h.emu.control.team('SUP');
    expect(issue).toMatchObject({ title: '净水器漏水，要求上门维修', priority: 2, dueDate: '2026-12-10', labelIds: [sup.labels.find((l) => l.name === '售后')!.id] });
    expect(issue.description).toBe(
      [
        '客户反映上周购买的净水器底部漏水。\n已拍照。\n\n希望本周内上门。',
        '',
        '### 客户 / Customer',
        '**姓名**：王小明（深圳联络贸易） · **电话**：+8613800138000 · **邮箱**：wang@example.com · **客户编号**：KH2026-0001',
        '**分类**：售后 · **紧急程度**：高',
        '',
        '### 聊天记录 / Chat messages',
        '> **2026-12-01 02:30 UTC 客户：**\n> 你好，净水器底下一直在漏水\n>\n> **2026-12-01 02:31 UTC 我：**\n> 抱歉！请拍张照片发我',
      ].join('\n'),
    );
    // The same outbox entry again (a retry, another adapter instance): found by its id, nothing created.
    expect(await h.another().createTicket(ticket(), { idempotencyKey: 'out-1' })).toMatchObject({ remoteId: id, remoteCode: 'SUP-1' });
    expect(h.emu.workspace.issues.size).toBe(1);
    expect(h.emu.requests.filter((r) => r.operation === 'IssueCreate')).toHaveLength(1);
    // Another entry: another issue.
    expect((await h.adapter.createTicket(ticket(), { idempotencyKey: 'out-2' })).remoteCode).toBe('SUP-2');
  });

  it('maps 紧急程度 to Linear priorities (connection’s choice, else Urgent/High/Medium/Low) and adds the configured label', async () => {
    const h = await harness();
    const extra = h.emu.control.team('SUP').labels.find((l) => l.name === '客户反馈')!.id;
    const a = h.another({ priorityUrgent: '2', labelId: extra });
    const cases: [string, '低' | '中' | '高' | '紧急', number][] = [['u', '紧急', 2], ['h', '高', 2], ['m', '中', 3], ['l', '低', 4]];
    for (const [key, p] of cases) await a.createTicket(ticket({ priority: p, category: '客户服务' }), { idempotencyKey: key });
    for (const [key, , want] of cases) {
      const i = h.emu.workspace.issues.get(await linearIdFor('issue', key))!;
      expect([i.priority, i.labelIds]).toEqual([want, [extra]]);
    }
    await h.adapter.createTicket(ticket({ priority: '紧急' }), { idempotencyKey: 'd' });
    expect(h.emu.workspace.issues.get(await linearIdFor('issue', 'd'))!.priority).toBe(1);
  });

  it('a subject with line breaks becomes one line; an empty subject is refused before any request', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket({ subject: '第一行\n第二行  漏水' }), { idempotencyKey: 's' });
    expect(h.emu.workspace.issues.get(ref.remoteId)!.title).toBe('第一行 第二行 漏水');
    const before = h.emu.requests.length;
    expect(await failure(h.adapter.createTicket(ticket({ subject: ' \n ' }), { idempotencyKey: 'e' }))).toMatchObject({ kind: 'validation' });
    expect(h.emu.requests.length).toBe(before);
  });

  it('templates set issue fields typed by IssueCreateInput (state by name, estimate, due date, assignee); reserved and unknown fields are refused before writing', async () => {
    const h = await harness();
    const colleague = h.emu.workspace.colleague.id;
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 't', fields: { stateId: 'Todo', estimate: '3', dueDate: '2026-12-20', assigneeId: colleague } });
    expect(ref).toMatchObject({ status: '新建', vendorStatus: 'Todo' });
    expect(h.emu.workspace.issues.get(ref.remoteId)).toMatchObject({ estimate: 3, dueDate: '2026-12-20', assigneeId: colleague });
    expect((await h.adapter.getTicket(ref.remoteId))!.assignee).toBe('王强');
    const before = h.emu.requests.filter((r) => r.operation === 'IssueCreate').length;
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't2', fields: { teamId: 'x' } }))).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't3', fields: { stateId: '待定' } }))).toMatchObject({ kind: 'validation', vendorCode: 'TEMPLATE_VALUE' });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't4', fields: { estimate: '三' } }))).toMatchObject({ kind: 'validation', vendorCode: 'TEMPLATE_VALUE' });
    const unknown = await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't5', fields: { customfield_1: 'x' } }));
    expect(unknown).toMatchObject({ kind: 'validation', vendorCode: 'UNKNOWN_FIELD' });
    expect(unknown!.userMessage.zh_CN).toContain('customfield_1');
    expect(h.emu.requests.filter((r) => r.operation === 'IssueCreate')).toHaveLength(before);
    // A project id Linear does not have is sent, for Linear to refuse by name.
    const e = await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't6', fields: { projectId: crypto.randomUUID() } }));
    expect(e).toMatchObject({ kind: 'not-found' });
    expect(e!.message).toContain('Entity not found: Project');
    expect(h.emu.workspace.issues.size).toBe(1);
  });

  it('no team chosen: refused before any request', async () => {
    const h = await harness({ settings: { teamId: undefined } });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'x' }))).toMatchObject({ kind: 'validation', vendorCode: 'NOT_CONFIGURED' });
    expect(h.emu.requests).toEqual([]);
  });

  it('getTicket reads every workflow state type onto Liaison’s statuses, keeps Linear’s word, the assignee and the time; a deleted issue is null', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'g' });
    const steps: [string, string][] = [['Triage', '新建'], ['Backlog', '新建'], ['Todo', '新建'], ['In Progress', '处理中'], ['In Review', '处理中'], ['Done', '已解决'], ['Canceled', '已关闭'], ['Duplicate', '已关闭']];
    for (const [name, status] of steps) {
      h.emu.control.moveTo('SUP-1', name);
      expect(await h.adapter.getTicket(ref.remoteId)).toMatchObject({ status, vendorStatus: name, remoteCode: 'SUP-1', url: 'https://linear.app/liaison-demo/issue/SUP-1' });
    }
    h.emu.control.assign('SUP-1', h.emu.workspace.colleague.id);
    expect(await h.adapter.getTicket(ref.remoteId)).toMatchObject({ assignee: '王强', subject: '净水器漏水，要求上门维修', modifiedAt: expect.any(Number) });
    h.emu.control.deleteIssue('SUP-1');
    expect(await h.adapter.getTicket(ref.remoteId)).toBeNull();
    expect(await h.adapter.getTicket(crypto.randomUUID())).toBeNull();
    const before = h.emu.requests.length;
    expect(await failure(h.adapter.getTicket('SUP-1'))).toMatchObject({ kind: 'validation' });
    expect(h.emu.requests.length).toBe(before);
  });

  it('a state type Liaison does not know is named, not guessed', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'x' });
    const sup = h.emu.control.team('SUP');
    sup.states.push({ id: crypto.randomUUID(), name: 'Parked', type: 'paused' as never, position: 99, color: '#000' });
    h.emu.control.moveTo('SUP-1', 'Parked');
    expect(await failure(h.adapter.getTicket(ref.remoteId))).toMatchObject({ kind: 'validation', message: expect.stringContaining('unknown workflow state type "paused"') });
  });
});

describe('Linear adapter: comments', () => {
  it('addTicketComment posts one markdown comment with the follow-up and its key, under Liaison’s id; a retry finds it among colleagues’ comments', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'c' });
    const f = followUp({ by: '李娜', nextAt: Date.UTC(2026, 11, 4, 2) });
    const c = await h.adapter.addTicketComment(ref.remoteId, f, { idempotencyKey: 'fu-1' });
    expect(c).toEqual({ remoteId: await linearIdFor('comment', 'fu-1') });
    h.emu.control.commentAsColleague('SUP-1', '收到，周四我去');
    expect(await h.another().addTicketComment(ref.remoteId, f, { idempotencyKey: 'fu-1' })).toEqual(c);
    const comments = h.emu.control.commentsOn(ref.remoteId);
    expect(comments).toHaveLength(2);
    expect(comments[0]!.body).toBe('**跟进**：电话 · 2026-12-01 02:30 UTC · 李娜\n\n已约好周四上午上门\n\n**结果**：有意向 · **下次行动**：上门维修 · **下次时间**：2026-12-04 02:00 UTC\n\n`Liaison fu-1`');
    expect(h.emu.requests.filter((r) => r.operation === 'CommentCreate')).toHaveLength(1);
    expect(await h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'fu-2' })).not.toEqual(c);
    expect(h.emu.control.commentsOn(ref.remoteId)).toHaveLength(3);
  });

  it('a comment on a deleted issue is not-found; templates are refused (a comment has no fields); a bad id never reaches Linear', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'd' });
    expect(await failure(h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'x', fields: { a: 'b' } }))).toMatchObject({ kind: 'validation', vendorCode: 'FIELD_NOT_WRITABLE' });
    h.emu.control.deleteIssue(ref.remoteId);
    expect(await failure(h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'y' }))).toMatchObject({ kind: 'not-found' });
    const before = h.emu.requests.length;
    expect(await failure(h.adapter.addTicketComment('SUP-1', followUp(), { idempotencyKey: 'z' }))).toMatchObject({ kind: 'validation' });
    expect(h.emu.requests.length).toBe(before);
  });
});
