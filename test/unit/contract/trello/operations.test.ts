// The Trello adapter against the strict emulator, every request and reply checked against
// Trello's own OpenAPI file (helpers.ts → openapi.ts): test connection, the settings form's
// choices, listFields, tickets as cards (description with the customer and the quoted messages,
// the marker line, the priority label, due, templates), created once per key, status read back
// for every place a card can be, follow-ups as comments created once per key.
import { describe, expect, it } from 'vitest';
import { hasMarker, MAX_TEXT } from '../../../../lib/crm/trello/text';
import { BOARD, CLOSED_BOARD, COLLEAGUE, FINANCE_BOARD, LABELS, LISTS, ME, PRODUCT_BOARD } from '../../../emulators/trello';
import { failure, followUp, harness, ticket } from './helpers';

const only = <T>(m: Map<string, T>) => {
  expect(m.size).toBe(1);
  return [...m.values()][0]!;
};

describe('Trello adapter: connection and settings', () => {
  it('verify names the account, the Workspace and the board, and checks the list is an open list of it', async () => {
    const h = await harness();
    expect(await h.adapter.verify()).toEqual({ account: '李娜 (@lina_liaison) · 联络售后 · 售后工单' });
    expect(h.emu.requests.map((r) => r.api)).toEqual(['members.get', 'boards.get', 'organizations.get', 'boards.lists']);
    // Before a board is chosen: the account and its Workspaces.
    expect(await h.another({ idBoard: undefined, idList: undefined }).verify()).toEqual({ account: '李娜 (@lina_liaison) · 联络售后' });
    // An archived list, or a list of another board, is named now.
    expect(await failure(h.another({ idList: LISTS.old }).verify())).toMatchObject({ kind: 'validation', vendorCode: 'LIST_NOT_ON_BOARD' });
    expect(await failure(h.another({ idList: LISTS.ideas }).verify())).toMatchObject({ kind: 'validation', vendorCode: 'LIST_NOT_ON_BOARD' });
    // A closed board is named too (and not offered: see the choices below).
    const closed = await failure(h.another({ idBoard: CLOSED_BOARD, idList: LISTS.archive }).verify());
    expect(closed).toMatchObject({ kind: 'validation', vendorCode: 'BOARD_CLOSED' });
    expect(closed!.userMessage.zh_CN).toContain('2025 旧看板');
  });

  it('verify on a board the account is not a member of says so (Trello’s 401 "unauthorized permission requested")', async () => {
    const h = await harness({ settings: { idBoard: FINANCE_BOARD, idList: LISTS.finance } });
    const e = await failure(h.adapter.verify());
    expect(e).toMatchObject({ kind: 'auth', status: 401, vendorCode: 'PERMISSION' });
    expect(e!.userMessage.zh_CN).toContain('不是所选看板的成员');
  });

  it('offers the account’s open boards with their Workspace, the board’s open lists and its labels', async () => {
    const h = await harness();
    expect(await h.adapter.fieldChoices('idBoard')).toEqual([{ value: BOARD, label: '售后工单（联络售后）' }, { value: PRODUCT_BOARD, label: '产品反馈（联络售后）' }]);
    const lists = [{ value: LISTS.inbox, label: '待处理' }, { value: LISTS.doing, label: '处理中' }, { value: LISTS.waiting, label: '等客户回复' }, { value: LISTS.done, label: '已完成' }];
    expect(await h.adapter.fieldChoices('idList')).toEqual(lists);
    expect(await h.adapter.fieldChoices('listResolved')).toEqual(lists);
    expect(await h.adapter.fieldChoices('labelUrgent')).toEqual([{ value: LABELS.urgent, label: '紧急 (red)' }, { value: LABELS.high, label: '高 (orange)' }, { value: LABELS.low, label: '低 (green)' }, { value: LABELS.blue, label: '(blue)' }]);
    expect(await h.adapter.fieldChoices('apiKey')).toBeUndefined();
    expect(await failure(h.another({ idBoard: undefined }).fieldChoices('idList'))).toMatchObject({ kind: 'validation', vendorCode: 'NOT_CONFIGURED' });
    // /1/members/me once per adapter: the route has its own, tighter limit.
    await h.adapter.fieldChoices('idBoard');
    expect(h.emu.requests.filter((r) => r.api === 'members.get')).toHaveLength(1);
  });

  it('listFields lists the card parameters a template may set, with the board’s labels as options', async () => {
    const h = await harness();
    const f = await h.adapter.listFields();
    expect(f.customer).toBeUndefined();
    expect(f.ticket.map((x) => x.name)).toEqual(['idLabels', 'idMembers', 'start', 'pos', 'dueComplete', 'address', 'locationName']);
    expect(f.ticket[0]).toEqual({ name: 'idLabels', label: 'Labels', type: 'array<label>', options: ['紧急', '高', '低', '(blue)'] });
  });
});

describe('Trello adapter: tickets', () => {
  it('createTicket makes one card: name, description with the customer, the quoted messages and the marker line, due, priority label; a retry finds it', async () => {
    const h = await harness({ settings: { labelHigh: LABELS.high } });
    const due = Date.UTC(2026, 11, 10, 4);
    const ref = await h.adapter.createTicket(ticket({ dueAt: due }), { idempotencyKey: 'out-1' });
    const card = only(h.emu.state.cards);
    expect(ref).toMatchObject({ remoteId: card.id, remoteCode: '#1', url: `https://trello.com/c/${card.shortLink}`, status: '新建', vendorStatus: '待处理' });
    expect(card).toMatchObject({ name: '净水器漏水，要求上门维修', idList: LISTS.inbox, idLabels: [LABELS.high], due: '2026-12-10T04:00:00.000Z' });
    for (const part of ['客户反映上周购买的净水器底部漏水。', '希望本周内上门。', '姓名：王小明（深圳联络贸易）', '电话：+8613800138000', '邮箱：wang@example.com', '客户编号：KH2026-0001', '分类：售后 · 紧急程度：高', '> **2026-12-01 02:30 UTC 客户：**', '> 你好，净水器底下一直在漏水', '> **2026-12-01 02:31 UTC 我：**', '> 抱歉！请拍张照片发我']) expect(card.desc).toContain(part);
    expect(card.desc.split('\n').at(-1)).toBe('`Liaison out-1`');
    // The same outbox entry again (a retry): found on the board by its marker, nothing created.
    expect(await h.another().createTicket(ticket(), { idempotencyKey: 'out-1' })).toMatchObject({ remoteId: ref.remoteId, remoteCode: '#1' });
    expect(h.emu.state.cards.size).toBe(1);
    expect(h.emu.requests.filter((r) => r.api === 'boards.cards')).toHaveLength(2);
    // Another entry: another card.
    expect((await h.adapter.createTicket(ticket(), { idempotencyKey: 'out-2' })).remoteCode).toBe('#2');
  });

  it('the lookup reads the board’s open cards: a card moved to another list is found; the residual risk, shown: one archived before the retry is not', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'moved' });
    h.emu.control.move(ref.remoteId, LISTS.done);
    expect(await h.adapter.createTicket(ticket(), { idempotencyKey: 'moved' })).toMatchObject({ remoteId: ref.remoteId, status: '处理中', vendorStatus: '已完成' });
    // Archived cards are not read (Trello's staff asked extensions not to read them on big boards):
    // an entry retried after its card was archived makes a second card (docs/trello.md).
    const arch = await h.adapter.createTicket(ticket(), { idempotencyKey: 'arch' });
    h.emu.control.archive(arch.remoteId);
    await h.adapter.createTicket(ticket(), { idempotencyKey: 'arch' });
    expect(h.emu.control.cardsMarked('arch')).toHaveLength(2);
    expect(h.emu.requests.filter((r) => r.api === 'boards.cards').map((r) => r.path.split('/').pop())).toEqual(['open', 'open', 'open', 'open']);
  });

  it('maps 紧急程度 to the connection’s labels; no label configured, none sent; a label not on the board is a warning and the card is created', async () => {
    const h = await harness({ settings: { labelUrgent: LABELS.urgent, labelLow: LABELS.idea } });
    await h.adapter.createTicket(ticket({ priority: '紧急' }), { idempotencyKey: 'u' });
    const medium = await h.adapter.createTicket(ticket({ priority: '中' }), { idempotencyKey: 'm' });
    const low = await h.adapter.createTicket(ticket({ priority: '低' }), { idempotencyKey: 'l' });
    const byKey = (k: string) => h.emu.control.cardsMarked(k)[0]!;
    expect([byKey('u').idLabels, byKey('m').idLabels, byKey('l').idLabels]).toEqual([[LABELS.urgent], [], []]);
    expect(medium.warnings).toBeUndefined();
    expect(low.warnings).toEqual([`priority label: ${LABELS.idea} is not a label of the board`]);
    // Labels are read only when a label is wanted.
    expect(h.emu.requests.filter((r) => r.api === 'boards.labels')).toHaveLength(2);
  });

  it('a subject with line breaks becomes one line of at most 512 characters; a description over Trello’s 16,384 is shortened, the marker kept, and sent in the body (a URL over 8 KB is refused)', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket({ subject: `第一行\n第二行 ${'长'.repeat(600)}`, description: '很长的描述。'.repeat(4000) }), { idempotencyKey: 'long' });
    const c = h.emu.state.cards.get(ref.remoteId)!;
    expect([...c.name]).toHaveLength(512);
    expect(c.name.startsWith('第一行 第二行 长')).toBe(true);
    expect(c.desc.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(hasMarker(c.desc, '`Liaison long`')).toBe(true);
    // Found again by that marker.
    expect((await h.adapter.createTicket(ticket(), { idempotencyKey: 'long' })).remoteId).toBe(ref.remoteId);
    // The same description in the query string would have met Trello's 414.
    const r = await fetch(`${h.emu.api}/cards?idList=${LISTS.inbox}&desc=${encodeURIComponent(c.desc)}&key=${h.emu.key}&token=${h.emu.token}`, { method: 'POST' });
    expect([r.status, await r.text()]).toEqual([414, 'Request-URI Too Large']);
  });

  it('a customer’s message that looks like Markdown stays text', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket({ description: '# 不是标题\n- 不是列表', messages: [{ at: 0, from: 'customer', text: '> 不是引用' }] }), { idempotencyKey: 'md' });
    const d = h.emu.state.cards.get(ref.remoteId)!.desc;
    expect(d).toContain('\\# 不是标题');
    expect(d).toContain('\\- 不是列表');
    expect(d).toContain('> \\> 不是引用');
  });

  it('templates set card parameters (labels by name, members, start, position); reserved parameters and unknown labels are refused before writing', async () => {
    const h = await harness({ settings: { labelHigh: LABELS.high } });
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 't', fields: { idLabels: '紧急、blue', idMembers: COLLEAGUE, start: '2026-12-08', pos: 'top', locationName: '深圳' } });
    expect(h.emu.state.cards.get(ref.remoteId)).toMatchObject({ idLabels: [LABELS.high, LABELS.urgent, LABELS.blue], idMembers: [COLLEAGUE], start: '2026-12-08T00:00:00.000Z', locationName: '深圳' });
    const before = h.emu.requests.length;
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't2', fields: { desc: 'x' } }))).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't3', fields: { idLabels: '不存在' } }))).toMatchObject({ kind: 'validation', vendorCode: 'TEMPLATE_OPTION' });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't4', fields: { idMembers: '王强' } }))).toMatchObject({ kind: 'validation', vendorCode: 'TEMPLATE_VALUE' });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't5', fields: { pos: 'middle' } }))).toMatchObject({ kind: 'validation', vendorCode: 'TEMPLATE_VALUE' });
    expect(h.emu.requests.slice(before).filter((r) => r.api === 'cards.create')).toEqual([]);
    // A member not on the board: sent, and Trello refuses the parameter by name.
    const e = await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 't6', fields: { idMembers: '5f1a2b3c4d5e6f7081920a3d' } }));
    expect(e).toMatchObject({ kind: 'validation', status: 400, vendorCode: 'idMembers' });
    expect(e!.userMessage.zh_CN).toContain('invalid value for idMembers');
    expect(h.emu.state.cards.size).toBe(1);
  });

  it('the assignee is the card’s member when it is a Trello member id, else a warning', async () => {
    const h = await harness();
    const a = await h.adapter.createTicket(ticket({ assignee: COLLEAGUE }), { idempotencyKey: 'a1' });
    expect(h.emu.state.cards.get(a.remoteId)!.idMembers).toEqual([COLLEAGUE]);
    const b = await h.adapter.createTicket(ticket({ assignee: '王强' }), { idempotencyKey: 'a2' });
    expect(b.warnings).toEqual(['assignee: "王强" is not a Trello member id']);
  });

  it('no board or list chosen: refused before any request', async () => {
    const h = await harness({ settings: { idList: undefined } });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'x' }))).toMatchObject({ kind: 'validation', vendorCode: 'NOT_CONFIGURED' });
    expect(await failure(h.another({ idBoard: undefined }).createTicket(ticket(), { idempotencyKey: 'x' }))).toMatchObject({ kind: 'validation', vendorCode: 'NOT_CONFIGURED' });
    expect(h.emu.requests).toEqual([]);
  });

  it('getTicket reads the status from every place a card can be, with Trello’s own word; a deleted card is null', async () => {
    const h = await harness({ settings: { listInProgress: LISTS.doing, listWaiting: LISTS.waiting, listResolved: LISTS.done } });
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'g' });
    const read = () => h.adapter.getTicket(ref.remoteId);
    expect(await read()).toMatchObject({ status: '新建', vendorStatus: '待处理', remoteCode: '#1', subject: '净水器漏水，要求上门维修', url: expect.stringMatching(/^https:\/\/trello\.com\/c\//) });
    const steps: [string, string, string][] = [[LISTS.doing, '处理中', '处理中'], [LISTS.waiting, '待回复', '等客户回复'], [LISTS.done, '已解决', '已完成']];
    for (const [list, status, word] of steps) {
      h.emu.control.move(ref.remoteId, list);
      expect(await read()).toMatchObject({ status, vendorStatus: word });
    }
    // Due marked complete in a list meaning 处理中 → 已解决; back in the inbox, unticked → 新建.
    h.emu.control.move(ref.remoteId, LISTS.doing);
    h.emu.control.completeDue(ref.remoteId);
    expect(await read()).toMatchObject({ status: '已解决', vendorStatus: '处理中 · complete' });
    h.emu.control.completeDue(ref.remoteId, false);
    h.emu.control.move(ref.remoteId, LISTS.inbox);
    expect(await read()).toMatchObject({ status: '新建' });
    // Archived → 已关闭 wherever it is.
    h.emu.control.archive(ref.remoteId);
    expect(await read()).toMatchObject({ status: '已关闭', vendorStatus: '待处理 · archived' });
    h.emu.control.archive(ref.remoteId, false);
    // A card moved to a list nobody mapped (here: another board's) is someone's work → 处理中.
    h.emu.control.move(ref.remoteId, LISTS.ideas);
    h.emu.control.assign(ref.remoteId, ME);
    expect(await read()).toMatchObject({ status: '处理中', vendorStatus: 'Ideas', assignee: '李娜', modifiedAt: expect.any(Number) });
    h.emu.control.deleteCard(ref.remoteId);
    expect(await read()).toBeNull();
    const before = h.emu.requests.length;
    expect(await failure(h.adapter.getTicket('#1/../x'))).toMatchObject({ kind: 'validation' });
    expect(h.emu.requests.length).toBe(before);
  });

  it('without mapped lists: the inbox is 新建, any other list 处理中, a list mapped to 已关闭 wins over due complete', async () => {
    const h = await harness({ settings: { listClosed: LISTS.done } });
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'n' });
    h.emu.control.move(ref.remoteId, LISTS.waiting);
    expect(await h.adapter.getTicket(ref.remoteId)).toMatchObject({ status: '处理中', vendorStatus: '等客户回复' });
    h.emu.control.move(ref.remoteId, LISTS.done);
    h.emu.control.completeDue(ref.remoteId);
    expect(await h.adapter.getTicket(ref.remoteId)).toMatchObject({ status: '已关闭' });
  });
});

describe('Trello adapter: comments', () => {
  it('addTicketComment posts one comment with the follow-up and its marker; a retry finds it among colleagues’ comments', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'c' });
    const f = followUp({ by: '李娜', nextAt: Date.UTC(2026, 11, 4, 2) });
    const c = await h.adapter.addTicketComment(ref.remoteId, f, { idempotencyKey: 'fu-1' });
    h.emu.control.commentAsColleague(ref.remoteId, '收到，周四我去');
    expect(await h.adapter.addTicketComment(ref.remoteId, f, { idempotencyKey: 'fu-1' })).toEqual(c);
    const comments = h.emu.state.cards.get(ref.remoteId)!.actions.filter((a) => a.type === 'commentCard');
    expect(comments).toHaveLength(2);
    expect(comments[0]!.text).toBe('**跟进**：电话 · 2026-12-01 02:30 UTC · 李娜\n\n已约好周四上午上门\n\n**结果**：有意向 · **下次行动**：上门维修 · **下次时间**：2026-12-04 02:00 UTC\n\n`Liaison fu-1`');
    expect(await h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'fu-2' })).not.toEqual(c);
    expect(h.emu.state.cards.get(ref.remoteId)!.actions.filter((a) => a.type === 'commentCard')).toHaveLength(3);
  });

  it('the lookup pages through the card’s actions (50 a page): a comment behind 120 newer ones is still found', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'p' });
    const first = await h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'old' });
    for (let i = 0; i < 120; i++) h.emu.control.commentAsColleague(ref.remoteId, `第 ${i} 条`);
    h.emu.control.clearLog();
    expect(await h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'old' })).toEqual(first);
    expect(h.emu.requests.map((r) => r.api)).toEqual(['cards.actions', 'cards.actions', 'cards.actions']);
  });

  it('a comment on a deleted card is not-found; templates are refused (a comment has no fields)', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'd' });
    expect(await failure(h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'x', fields: { a: 'b' } }))).toMatchObject({ kind: 'validation', vendorCode: 'FIELD_NOT_WRITABLE' });
    h.emu.control.deleteCard(ref.remoteId);
    expect(await failure(h.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'y' }))).toMatchObject({ kind: 'not-found', status: 404 });
  });
});
