// The ClickUp adapter against the strict emulator, every request and reply checked against
// ClickUp's own OpenAPI file (helpers.ts → openapi.ts): test connection, the settings form's
// choices, listFields from the List's Custom Fields, tickets as tasks (description with the
// customer and the quoted messages, tags, priority mapping, due date, templates), created once
// per key, status read back for every status type, follow-ups as comments created once per key.
import { describe, expect, it } from 'vitest';
import { COLLEAGUE, LIST, LIST_NO_TAGS, LIST_OTHER_TEAM, ME } from '../../../emulators/clickup';
import { failure, followUp, harness, ticket } from './helpers';

describe('ClickUp adapter: connection and settings', () => {
  it('verify names the account, the Workspace and the List', async () => {
    const h = await harness();
    expect(await h.adapter.verify()).toEqual({ account: '李娜 <li.na@example.com> · 联络科技 · 售后支持 / 工单 / 客户工单' });
    expect(h.emu.requests.map((r) => r.api)).toEqual(['user', 'team', 'list.get', 'space.get', 'field.list']);
  });

  it('verify without a List names the Workspace; a Workspace the token does not reach and a Space without Tags are named now', async () => {
    const h = await harness({ settings: { listId: undefined } });
    expect(await h.adapter.verify()).toEqual({ account: '李娜 <li.na@example.com> · 联络科技' });
    expect(await failure(h.another({ teamId: '9013000000', listId: undefined }).verify())).toMatchObject({ kind: 'auth', vendorCode: 'TEAM_NOT_AUTHORIZED' });
    expect(await failure(h.another({ listId: LIST_NO_TAGS }).verify())).toMatchObject({ kind: 'validation', vendorCode: 'TAGS_DISABLED' });
    expect(await failure(h.another({ listId: LIST_OTHER_TEAM }).verify())).toMatchObject({ kind: 'auth', status: 401, vendorCode: 'OAUTH_027' });
  });

  it('offers the token’s Workspaces, then the Workspace’s Lists as Space / Folder / List', async () => {
    const h = await harness();
    expect(await h.adapter.fieldChoices('teamId')).toEqual([{ value: '9012345678', label: '联络科技' }]);
    expect(await h.adapter.fieldChoices('listId')).toEqual([
      { value: LIST, label: '售后支持 / 工单 / 客户工单' },
      { value: '901200000021', label: '售后支持 / 收件箱' },
      { value: LIST_NO_TAGS, label: '研发 / 缺陷' },
    ]);
    expect(await h.adapter.fieldChoices('priorityHigh')).toBeUndefined();
    expect(await failure(h.another({ teamId: undefined }).fieldChoices('listId'))).toMatchObject({ kind: 'validation', vendorCode: 'NOT_CONFIGURED' });
  });

  it('listFields lists the List’s Custom Fields as a ticket section', async () => {
    const h = await harness();
    const f = await h.adapter.listFields();
    expect(f.customer).toBeUndefined();
    expect(f.ticket.map((x) => x.label)).toEqual(['来源渠道', '订单号', '金额', '回访日期', '审核人']);
    expect(f.ticket[0]).toEqual({ name: '5dc86497-098d-4bb0-87d6-cf28e43812e7', label: '来源渠道', type: 'drop_down', options: ['微信', 'WhatsApp', '电话'] });
  });
});

describe('ClickUp adapter: tickets', () => {
  it('createTicket makes one task: name, description with the customer, the quoted messages and the key, tags, mapped priority, due date; a retry finds it', async () => {
    const h = await harness();
    const due = Date.UTC(2026, 11, 10, 4);
    const ref = await h.adapter.createTicket(ticket({ dueAt: due }), { idempotencyKey: 'out-1' });
    expect(ref).toMatchObject({ remoteId: expect.stringMatching(/^86[a-z0-9]+$/), status: '新建', vendorStatus: 'to do' });
    expect(ref.url).toBe(`https://app.clickup.com/t/${ref.remoteId}`);
    expect(ref.remoteCode).toBe(ref.remoteId);
    const task = h.emu.state.tasks.get(ref.remoteId)!;
    expect(task).toMatchObject({ name: '净水器漏水，要求上门维修', tags: ['liaison-out-1', 'liaison', '售后'], priority: 2, dueDate: due, listId: LIST });
    expect(task.description.split('\n')).toEqual([
      '客户反映上周购买的净水器底部漏水。', '已拍照。', '', '希望本周内上门。', '',
      '客户 / Customer', '姓名：王小明（深圳联络贸易）', '电话：+8613800138000', '邮箱：wang@example.com', '客户编号：KH2026-0001', '分类：售后 · 紧急程度：高', '',
      '聊天记录 / Chat messages', '> 2026-12-01 02:30 UTC 客户：', '> 你好，净水器底下一直在漏水', '> 2026-12-01 02:31 UTC 我：', '> 抱歉！请拍张照片发我', '',
      'Liaison out-1',
    ]);
    // The same outbox entry again (a retry, another adapter instance): found by its tag, nothing created.
    expect(await h.another().createTicket(ticket(), { idempotencyKey: 'out-1' })).toMatchObject({ remoteId: ref.remoteId });
    expect(h.emu.state.tasks.size).toBe(1);
    expect(h.emu.requests.filter((r) => r.api === 'task.list')).toHaveLength(2);
    expect((await h.adapter.createTicket(ticket(), { idempotencyKey: 'out-2' })).remoteId).not.toBe(ref.remoteId);
    expect(h.emu.state.tasks.size).toBe(2);
  });

  it('maps 紧急程度 to ClickUp’s four priorities (default urgent/high/normal/low), the connection’s choice, or none', async () => {
    const h = await harness({ settings: { priorityUrgent: '2', priorityLow: 'none' } });
    const made = async (p: '低' | '中' | '高' | '紧急', key: string) => h.emu.state.tasks.get((await h.adapter.createTicket(ticket({ priority: p }), { idempotencyKey: key })).remoteId)!.priority;
    expect([await made('紧急', 'u'), await made('高', 'h'), await made('中', 'm'), await made('低', 'l')]).toEqual([2, 2, 3, null]);
  });

  it('template fields go to the List’s Custom Fields by id or name, typed; a field the List lacks, a bad option and a reserved field are refused before writing', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 't1', fields: { 来源渠道: '微信', '0a52c486-5f05-403b-b4fd-c512ff05131c': 'SO-2026-118', 金额: '1299.5', 回访日期: '2026-12-12' } });
    expect(h.emu.state.tasks.get(ref.remoteId)!.custom).toEqual({
      '5dc86497-098d-4bb0-87d6-cf28e43812e7': 'a1b2c3d4-0001-4a4a-8a8a-000000000001',
      '0a52c486-5f05-403b-b4fd-c512ff05131c': 'SO-2026-118',
      '3f2d7a51-7c61-4b7e-9d44-51f3c1e0a901': 1299.5,
      'e3c0ad1f-6f3b-4a8c-bf0e-0b4f1d2a9c11': expect.any(Number),
    });
    const before = h.emu.requests.filter((r) => r.api === 'task.create').length;
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't2', fields: { 不存在: 'x' } }))).toMatchObject({ kind: 'validation', vendorCode: 'UNKNOWN_FIELD' });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't3', fields: { 来源渠道: '邮件' } }))).toMatchObject({ kind: 'validation', vendorCode: 'TEMPLATE_OPTION' });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't4', fields: { 审核人: 'x' } }))).toMatchObject({ kind: 'validation', vendorCode: 'FIELD_NOT_WRITABLE' });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't5', fields: { tags: 'x' } }))).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
    expect(h.emu.requests.filter((r) => r.api === 'task.create').length).toBe(before);
  });

  it('refuses to write into a Space without Tags (no idempotency there), with a List not chosen, or without a subject', async () => {
    const h = await harness();
    expect(await failure(h.another({ listId: LIST_NO_TAGS }).createTicket(ticket(), { idempotencyKey: 'n' }))).toMatchObject({ kind: 'validation', vendorCode: 'TAGS_DISABLED' });
    expect(await failure(h.another({ listId: undefined }).createTicket(ticket(), { idempotencyKey: 'n' }))).toMatchObject({ kind: 'validation', vendorCode: 'NOT_CONFIGURED' });
    expect(await failure(h.adapter.createTicket(ticket({ subject: ' \n ' }), { idempotencyKey: 'n' }))).toMatchObject({ kind: 'validation' });
    expect(h.emu.state.tasks.size).toBe(0);
  });

  it('assigns a Workspace member by ClickUp user id; a non-member is ClickUp’s 400 with its words', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket({ assignee: String(COLLEAGUE) }), { idempotencyKey: 'a1' });
    expect(h.emu.state.tasks.get(ref.remoteId)!.assignees).toEqual([COLLEAGUE]);
    expect((await h.adapter.getTicket(ref.remoteId))!.assignee).toBe('王强');
    const e = await failure(h.adapter.createTicket(ticket({ assignee: '55500001' }), { idempotencyKey: 'a2' }));
    expect(e).toMatchObject({ kind: 'validation', status: 400, vendorCode: 'INPUT_010' });
    expect(e!.userMessage.en).toContain('Assignee is not a member of this Workspace');
  });

  it('getTicket reads every status type back: open → 新建, custom → 处理中 / 待回复, done → 已解决, closed → 已关闭; the status name is the vendor’s word', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createTicket(ticket(), { idempotencyKey: 's' });
    const seen: [string, string][] = [];
    for (const s of ['to do', 'in progress', 'waiting on customer', 'resolved', 'complete']) {
      h.emu.control.setStatus(remoteId, s);
      const t = (await h.adapter.getTicket(remoteId))!;
      seen.push([t.vendorStatus, t.status]);
      expect(t).toMatchObject({ remoteId, subject: '净水器漏水，要求上门维修', url: `https://app.clickup.com/t/${remoteId}` });
      expect(t.modifiedAt).toBeGreaterThan(0);
    }
    expect(seen).toEqual([['to do', '新建'], ['in progress', '处理中'], ['waiting on customer', '待回复'], ['resolved', '已解决'], ['complete', '已关闭']]);
  });

  it('a closed task is still found by a retry (include_closed), and a deleted one reads as gone (404 or 401 ITEM_013)', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createTicket(ticket(), { idempotencyKey: 'c' });
    h.emu.control.setStatus(remoteId, 'complete');
    expect((await h.another().createTicket(ticket(), { idempotencyKey: 'c' })).remoteId).toBe(remoteId);
    h.emu.control.deleteTask(remoteId);
    expect(await h.adapter.getTicket(remoteId)).toBeNull();
    h.emu.control.setMissingTaskStatus(401);
    expect(await h.adapter.getTicket(remoteId)).toBeNull();
    expect(await failure(h.adapter.getTicket('../list/1'))).toMatchObject({ kind: 'validation' });
  });
});

describe('ClickUp adapter: comments', () => {
  it('a follow-up becomes one comment with a marker line; the retry finds it; a colleague’s comments are left alone', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createTicket(ticket(), { idempotencyKey: 'k' });
    h.emu.control.commentAsColleague(remoteId, '我周四过去');
    const c = await h.adapter.addTicketComment(remoteId, followUp({ nextAt: Date.UTC(2026, 11, 3, 2) }), { idempotencyKey: 'f1' });
    const task = h.emu.state.tasks.get(remoteId)!;
    expect(task.comments).toHaveLength(2);
    const mine = task.comments.find((x) => x.id === c.remoteId)!;
    expect(mine.user).toBe(ME);
    expect(mine.text.split('\n')).toEqual(['跟进：电话 · 2026-12-01 02:30 UTC', '已约好周四上午上门', '结果：有意向', '下次行动：上门维修', '下次时间：2026-12-03 02:00 UTC', 'Liaison f1']);
    expect(await h.another().addTicketComment(remoteId, followUp(), { idempotencyKey: 'f1' })).toEqual({ remoteId: c.remoteId });
    expect(task.comments).toHaveLength(2);
  });

  it('finds its comment behind more than one page of newer comments (start + start_id)', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createTicket(ticket(), { idempotencyKey: 'p' });
    const c = await h.adapter.addTicketComment(remoteId, followUp(), { idempotencyKey: 'old' });
    for (let i = 0; i < 60; i++) h.emu.control.commentAsColleague(remoteId, `回复 ${i}`);
    h.emu.control.clearLog();
    expect(await h.another().addTicketComment(remoteId, followUp(), { idempotencyKey: 'old' })).toEqual({ remoteId: c.remoteId });
    expect(h.emu.requests.map((r) => r.api)).toEqual(['comment.list', 'comment.list', 'comment.list']);
    expect(h.emu.state.tasks.get(remoteId)!.comments).toHaveLength(61);
  });

  it('a comment on a task that is gone is not-found; template fields on a comment are refused', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createTicket(ticket(), { idempotencyKey: 'g' });
    expect(await failure(h.adapter.addTicketComment(remoteId, followUp(), { idempotencyKey: 'x', fields: { a: 'b' } }))).toMatchObject({ kind: 'validation', vendorCode: 'FIELD_NOT_WRITABLE' });
    h.emu.control.deleteTask(remoteId);
    expect(await failure(h.adapter.addTicketComment(remoteId, followUp(), { idempotencyKey: 'y' }))).toMatchObject({ kind: 'not-found', vendorCode: 'ITEM_013' });
  });
});
