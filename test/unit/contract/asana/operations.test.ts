// The Asana adapter against the strict emulator, every request and reply checked against Asana's
// own OpenAPI file (helpers.ts → openapi.ts): test connection, the settings form's choices, the
// project's custom fields, tickets as tasks (notes with the customer and the quoted messages, the
// marker line, the priority field, templates), created once per key, status read back from
// completed + section (every section of the seeded project, mapped and unmapped), follow-ups as
// comment stories created once per key.
import { describe, expect, it } from 'vitest';
import { COLLEAGUE, F_AMOUNT, F_CATEGORY, F_CHANNEL, F_ORDER, F_PRIORITY, F_SCORE, F_VISIT, P_ARCHIVED, P_DEV, P_FREE, P_SUPPORT, WS_FREE, WS_PAID } from '../../../emulators/asana';
import { failure, followUp, harness, ticket } from './helpers';

describe('Asana adapter: connection and settings', () => {
  it('verify names the account, the workspace and the project', async () => {
    const h = await harness();
    expect(await h.adapter.verify()).toEqual({ account: '李娜 <li.na@example.com> · 联络贸易 · 售后支持' });
    expect(h.emu.requests.map((r) => r.api)).toEqual(['users.me', 'project.get']);
    expect(await h.another({ workspaceGid: undefined, projectGid: undefined }).verify()).toEqual({ account: '李娜 <li.na@example.com>' });
  });

  it('verify names a wrong choice now: a workspace not the account’s, a project of another workspace, an archived project', async () => {
    const h = await harness();
    expect(await failure(h.another({ workspaceGid: '999' }).verify())).toMatchObject({ kind: 'validation', vendorCode: 'WORKSPACE_NOT_FOUND' });
    expect(await failure(h.another({ workspaceGid: WS_FREE, projectGid: P_SUPPORT }).verify())).toMatchObject({ kind: 'validation', vendorCode: 'PROJECT_NOT_IN_WORKSPACE' });
    expect(await failure(h.another({ projectGid: P_ARCHIVED }).verify())).toMatchObject({ kind: 'validation', vendorCode: 'PROJECT_ARCHIVED' });
    expect(await failure(h.another({ projectGid: '42' }).verify())).toMatchObject({ kind: 'not-found', status: 404 });
  });

  it('offers workspaces, the workspace’s active projects, the project’s sections, its enum fields and the priority field’s options, paging through them', async () => {
    const h = await harness();
    expect(await h.adapter.fieldChoices('workspaceGid')).toEqual([{ value: WS_PAID, label: '联络贸易' }, { value: WS_FREE, label: '个人工作区' }]);
    expect((await h.adapter.fieldChoices('projectGid'))!.map((c) => c.label)).toEqual(['售后支持', '研发', '财务（仅评论）']);
    expect(await h.adapter.fieldChoices('sectionsResolved')).toEqual(['待处理', '处理中', '等待客户', '已完成'].map((n) => ({ value: n, label: n })));
    const enums = [{ value: F_PRIORITY, label: 'Priority' }, { value: F_CHANNEL, label: '来源渠道' }, { value: F_CATEGORY, label: '工单分类' }];
    expect(await h.adapter.fieldChoices('priorityFieldGid')).toEqual(enums);
    expect(await h.adapter.fieldChoices('categoryFieldGid')).toEqual(enums);
    expect(await h.adapter.fieldChoices('priorityHigh')).toEqual([]); // no priority field chosen yet
    const withField = h.another({ priorityFieldGid: F_PRIORITY });
    expect((await withField.fieldChoices('priorityUrgent'))!.map((c) => c.value)).toEqual(['Low', 'Medium', 'High']); // the disabled option is not offered
    expect(await h.adapter.fieldChoices('token')).toBeUndefined();
    expect(await failure(h.another({ workspaceGid: undefined }).fieldChoices('projectGid'))).toMatchObject({ kind: 'validation', vendorCode: 'NOT_CONFIGURED' });
    // Every list went through limit + next_page.
    expect(h.emu.requests.filter((r) => r.api !== 'users.me').length).toBeGreaterThan(0);
  });

  it('listFields lists the project’s writable custom fields as a ticket section; a free project has none', async () => {
    const h = await harness();
    const f = await h.adapter.listFields();
    expect(f.customer).toBeUndefined();
    expect(f.ticket).toEqual([
      { name: F_PRIORITY, label: 'Priority', type: 'enum', options: ['Low', 'Medium', 'High'] },
      { name: F_CHANNEL, label: '来源渠道', type: 'enum', options: ['微信', 'WhatsApp', '电话'] },
      { name: F_ORDER, label: '订单号', type: 'text' },
      { name: F_AMOUNT, label: '金额', type: 'number' },
      { name: F_VISIT, label: '上门日期', type: 'date' },
      { name: F_CATEGORY, label: '工单分类', type: 'enum', options: ['售后', '技术支持', '客户服务'] },
    ]);
    expect(f.ticket.some((x) => x.name === F_SCORE)).toBe(false); // a formula field is read-only
    expect((await h.another({ workspaceGid: WS_FREE, projectGid: P_FREE }).listFields()).ticket).toEqual([]);
  });
});

describe('Asana adapter: tickets', () => {
  it('createTicket makes one task in the project: name, notes with the customer, the quoted messages and the marker, due date; a retry finds it', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket({ dueAt: Date.UTC(2026, 11, 10, 4) }), { idempotencyKey: 'out-1' });
    expect(ref).toMatchObject({ remoteId: expect.stringMatching(/^\d+$/), status: '新建', vendorStatus: '待处理 · Incomplete', url: `https://app.asana.com/1/${WS_PAID}/task/${ref.remoteId}` });
    const task = h.emu.state.tasks.get(ref.remoteId)!;
    expect(task).toMatchObject({ name: '净水器漏水，要求上门维修', workspace: WS_PAID, dueOn: '2026-12-10', assignee: null, completed: false });
    expect(task.memberships.map((m) => m.project)).toEqual([P_SUPPORT]);
    expect(task.notes).toBe(
      [
        '客户反映上周购买的净水器底部漏水。\n已拍照。\n\n希望本周内上门。',
        '客户 / Customer\n姓名：王小明（深圳联络贸易）\n电话：+8613800138000\n邮箱：wang@example.com\n客户编号：KH2026-0001\n分类：售后 · 紧急程度：高',
        '聊天记录 / Chat messages\n> 2026-12-01 02:30 UTC 客户：\n> 你好，净水器底下一直在漏水\n> 2026-12-01 02:31 UTC 我：\n> 抱歉！请拍张照片发我',
        'Liaison-Key: out-1',
      ].join('\n\n'),
    );
    // The same outbox entry again (a retry): found by its marker, nothing created.
    expect(await h.another().createTicket(ticket(), { idempotencyKey: 'out-1' })).toMatchObject({ remoteId: ref.remoteId });
    expect(h.emu.state.tasks.size).toBe(1);
    expect(h.emu.requests.filter((r) => r.api === 'tasks.list')).toHaveLength(2);
    // Another entry: another task.
    expect((await h.adapter.createTicket(ticket(), { idempotencyKey: 'out-2' })).remoteId).not.toBe(ref.remoteId);
    expect(h.emu.state.tasks.size).toBe(2);
  });

  it('the lookup pages through the project’s recently modified tasks and finds the marker past the first page', async () => {
    const h = await harness();
    for (let i = 0; i < 120; i++) h.emu.control.addTaskAsColleague(`同事的任务 ${i}`);
    const first = await h.adapter.createTicket(ticket(), { idempotencyKey: 'deep' });
    h.emu.control.clearLog();
    const again = await h.adapter.createTicket(ticket(), { idempotencyKey: 'deep' });
    expect(again.remoteId).toBe(first.remoteId);
    expect(h.emu.requests.map((r) => r.api)).toEqual(['tasks.list', 'tasks.list']);
    expect(h.emu.control.tasksMarked('deep')).toHaveLength(1);
  });

  it('maps 紧急程度 to the chosen priority field’s options (defaults Low/Medium/High), and a missing option is a warning, not a failure', async () => {
    const h = await harness({ settings: { priorityFieldGid: F_PRIORITY, priorityUrgent: 'High' } });
    const urgent = await h.adapter.createTicket(ticket({ priority: '紧急' }), { idempotencyKey: 'u' });
    const low = await h.adapter.createTicket(ticket({ priority: '低' }), { idempotencyKey: 'l' });
    const option = (name: string) => h.emu.state.customFields.get(F_PRIORITY)!.enumOptions!.find((o) => o.name === name)!.gid;
    expect([h.emu.state.tasks.get(urgent.remoteId)!.custom[F_PRIORITY], h.emu.state.tasks.get(low.remoteId)!.custom[F_PRIORITY]]).toEqual([option('High'), option('Low')]);
    const odd = h.another({ priorityFieldGid: F_PRIORITY, priorityHigh: 'Critical' });
    const w = await odd.createTicket(ticket(), { idempotencyKey: 'w' });
    expect(w.warnings).toEqual(['priority: "Critical" ∉ Low, Medium, High, Urgent (old)']);
    expect(h.emu.state.tasks.get(w.remoteId)!.custom[F_PRIORITY]).toBeUndefined();
    // No priority field: 紧急程度 lives in the notes only, and no custom field request is made.
    const plain = await harness();
    await plain.adapter.createTicket(ticket(), { idempotencyKey: 'p' });
    expect(plain.emu.requests.map((r) => r.api)).toEqual(['tasks.list', 'task.create']);
  });

  it('writes 分类 to the chosen category field by option name; a category the field lacks is a warning', async () => {
    const h = await harness({ settings: { categoryFieldGid: F_CATEGORY } });
    const ref = await h.adapter.createTicket(ticket({ category: '技术支持' }), { idempotencyKey: 'cat' });
    const option = h.emu.state.customFields.get(F_CATEGORY)!.enumOptions!.find((o) => o.name === '技术支持')!.gid;
    expect(h.emu.state.tasks.get(ref.remoteId)!.custom).toEqual({ [F_CATEGORY]: option });
    const feedback = await h.adapter.createTicket(ticket({ category: '产品反馈' }), { idempotencyKey: 'cat2' });
    expect(feedback.warnings).toEqual(['category: "产品反馈" ∉ 售后, 技术支持, 客户服务']);
    expect(h.emu.state.tasks.get(feedback.remoteId)!.custom).toEqual({});
  });

  it('templates set the project’s custom fields typed by their settings; reserved fields and bad options are refused before writing; an unknown field is Asana’s to refuse', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket({ assignee: COLLEAGUE }), { idempotencyKey: 't', fields: { [F_CHANNEL]: '微信', [F_ORDER]: 'SO-2026-88', [F_AMOUNT]: '1,280.50', [F_VISIT]: '2026-12-04' } });
    const task = h.emu.state.tasks.get(ref.remoteId)!;
    expect(task.custom).toEqual({ [F_CHANNEL]: h.emu.state.customFields.get(F_CHANNEL)!.enumOptions![0]!.gid, [F_ORDER]: 'SO-2026-88', [F_AMOUNT]: 1280.5, [F_VISIT]: { date: '2026-12-04' } });
    expect(task.assignee).toBe(COLLEAGUE);
    expect(ref).toMatchObject({ status: '处理中', vendorStatus: '待处理 · Incomplete' });
    const before = h.emu.requests.length;
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't2', fields: { notes: 'x' } }))).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't3', fields: { [F_CHANNEL]: '邮件' } }))).toMatchObject({ kind: 'validation', vendorCode: 'TEMPLATE_VALUE' });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't4', fields: { [F_SCORE]: 3 } }))).toMatchObject({ kind: 'validation', vendorCode: 'FIELD_NOT_WRITABLE' });
    expect(h.emu.requests.slice(before).filter((r) => r.api === 'task.create')).toEqual([]);
    const e = await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't5', fields: { '1299999999999999': 'x' } }));
    expect(e).toMatchObject({ kind: 'validation', status: 400, vendorCode: 'custom_fields' });
    expect(e!.userMessage.zh_CN).toContain('Not a recognized ID: 1299999999999999');
    expect(h.emu.state.tasks.size).toBe(1);
  });

  it('a long subject with line breaks becomes one line', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket({ subject: `第一行\n第二行 ${'长'.repeat(2000)}` }), { idempotencyKey: 's' });
    const name = h.emu.state.tasks.get(ref.remoteId)!.name;
    expect([...name]).toHaveLength(1024);
    expect(name.startsWith('第一行 第二行 长')).toBe(true);
  });

  it('no project chosen: refused before any request', async () => {
    const h = await harness({ settings: { projectGid: undefined } });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'x' }))).toMatchObject({ kind: 'validation', vendorCode: 'NOT_CONFIGURED' });
    expect(h.emu.requests).toEqual([]);
  });

  it('getTicket, no section mapping: incomplete and unassigned 新建, assigned 处理中, completed 已解决; Asana’s words kept; a deleted task is null', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'g' });
    const read = () => h.adapter.getTicket(ref.remoteId);
    expect(await read()).toMatchObject({ status: '新建', vendorStatus: '待处理 · Incomplete', subject: '净水器漏水，要求上门维修', modifiedAt: expect.any(Number) });
    for (const section of ['处理中', '等待客户', '已完成']) {
      h.emu.control.moveToSection(ref.remoteId, section);
      expect(await read()).toMatchObject({ status: '新建', vendorStatus: `${section} · Incomplete` });
    }
    h.emu.control.assign(ref.remoteId, COLLEAGUE);
    expect(await read()).toMatchObject({ status: '处理中', assignee: '王强' });
    h.emu.control.complete(ref.remoteId);
    expect(await read()).toMatchObject({ status: '已解决', vendorStatus: '已完成 · Completed' });
    h.emu.control.complete(ref.remoteId, false);
    expect(await read()).toMatchObject({ status: '处理中', vendorStatus: '已完成 · Incomplete' });
    h.emu.control.deleteTask(ref.remoteId);
    expect(await read()).toBeNull();
    const before = h.emu.requests.length;
    expect(await failure(h.adapter.getTicket('12/../x'))).toMatchObject({ kind: 'validation' });
    expect(h.emu.requests.length).toBe(before);
  });

  it('getTicket with sections mapped: every section of the project maps to its status, completed wins unless the section means 已关闭', async () => {
    const h = await harness({ settings: { sectionsNew: '待处理', sectionsInProgress: '处理中', sectionsWaiting: '等待客户, Waiting', sectionsResolved: '已完成', sectionsClosed: '' } });
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'm' });
    const table: [string, boolean, string][] = [
      ['待处理', false, '新建'], ['处理中', false, '处理中'], ['等待客户', false, '待回复'], ['已完成', false, '已解决'],
      ['待处理', true, '已解决'], ['等待客户', true, '已解决'],
    ];
    for (const [section, done, status] of table) {
      h.emu.control.moveToSection(ref.remoteId, section);
      h.emu.control.complete(ref.remoteId, done);
      expect(await h.adapter.getTicket(ref.remoteId), `${section} ${done}`).toMatchObject({ status, vendorStatus: `${section} · ${done ? 'Completed' : 'Incomplete'}` });
    }
    const closing = h.another({ sectionsResolved: '', sectionsClosed: '已完成' });
    h.emu.control.moveToSection(ref.remoteId, '已完成');
    h.emu.control.complete(ref.remoteId, true);
    expect(await closing.getTicket(ref.remoteId)).toMatchObject({ status: '已关闭' });
  });

  it('a task in another project of the workspace reads without a section (the dev project)', async () => {
    const h = await harness({ settings: { projectGid: P_DEV } });
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'dev' });
    expect(ref).toMatchObject({ status: '新建', vendorStatus: 'Untitled section · Incomplete' });
  });
});

describe('Asana adapter: comments', () => {
  it('addTicketComment posts one comment story with the follow-up and its marker; a retry finds it among colleagues’ comments and system stories', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'c' });
    const f = followUp({ by: '李娜', nextAt: Date.UTC(2026, 11, 4, 2) });
    const c = await h.adapter.addTicketComment(ref.remoteId, f, { idempotencyKey: 'fu-1' });
    h.emu.control.commentAsColleague(ref.remoteId, '收到，周四我去');
    h.emu.control.moveToSection(ref.remoteId, '处理中');
    expect(await h.adapter.addTicketComment(ref.remoteId, f, { idempotencyKey: 'fu-1' })).toEqual(c);
    const comments = h.emu.state.tasks.get(ref.remoteId)!.stories.filter((s) => s.subtype === 'comment_added');
    expect(comments).toHaveLength(2);
    expect(comments[0]!.text).toBe('跟进：电话 · 2026-12-01 02:30 UTC · 李娜\n\n已约好周四上午上门\n\n结果：有意向\n下次行动：上门维修\n下次时间：2026-12-04 02:00 UTC\n\nLiaison-Key: fu-1');
    expect(await h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'fu-2' })).not.toEqual(c);
    expect(h.emu.state.tasks.get(ref.remoteId)!.stories.filter((s) => s.subtype === 'comment_added')).toHaveLength(3);
  });

  it('a comment on a deleted task is not-found; templates are refused (a comment has no fields)', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'd' });
    expect(await failure(h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'x', fields: { a: 'b' } }))).toMatchObject({ kind: 'validation' });
    h.emu.control.deleteTask(ref.remoteId);
    expect(await failure(h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'y' }))).toMatchObject({ kind: 'not-found', status: 404 });
  });
});
