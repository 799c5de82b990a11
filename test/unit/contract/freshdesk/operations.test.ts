// The Freshdesk adapter's operations against the strict emulator (test/emulators/freshdesk,
// from developers.freshdesk.com/api; Freshdesk publishes no machine-readable description, so the
// requests are logged and counted, not validated against a vendor file): test connection, the
// settings form's choices and the ticket fields, create (requester contact found or created,
// group, type, priority mapping, tags, the description with the customer and the chat), the status
// read back for every Freshdesk status, follow-ups as private notes, and the methods Freshdesk has
// no place for.
import { describe, expect, it } from 'vitest';
import { TICKET_PRIORITIES } from '../../../../lib/model/enums';
import { keyTag } from '../../../../lib/crm/freshdesk/tickets';
import { failure, followUp, GROUP_AFTER_SALES, harness, ticket } from './helpers';

describe('Freshdesk adapter: connection and settings', () => {
  it('verify names the agent and the helpdesk, and the chosen group', async () => {
    const h = await harness();
    expect(await h.adapter.verify()).toEqual({ account: '李娜 <li.na@example.com> · liaison-demo.freshdesk.com' });
    const withGroup = h.another({ groupId: GROUP_AFTER_SALES });
    expect(await withGroup.verify()).toEqual({ account: '李娜 <li.na@example.com> · liaison-demo.freshdesk.com · 售后组' });
    expect(await failure(h.another({ groupId: '999' }).verify())).toMatchObject({ kind: 'validation', vendorCode: 'GROUP_NOT_FOUND' });
    const me = h.emu.requests.find((r) => r.api === 'agents.me')!;
    expect(me.status).toBe(200);
  });

  it('the settings form’s choices: groups by name (paged), the Type field’s values, the four priorities', async () => {
    const h = await harness();
    for (let i = 0; i < 120; i++) h.emu.state.groups.push({ id: 43000010000 + i, name: `组 ${i}` });
    const groups = await h.adapter.fieldChoices('groupId');
    expect(groups).toHaveLength(123);
    expect(groups![0]).toEqual({ value: GROUP_AFTER_SALES, label: '售后组' });
    expect(h.emu.requests.filter((r) => r.api === 'groups.list').map((r) => r.query)).toEqual(['?per_page=100&page=1', '?per_page=100&page=2']);
    expect(await h.adapter.fieldChoices('ticketType')).toEqual(['Question', 'Incident', 'Problem', 'Feature Request', 'Refund'].map((v) => ({ value: v, label: v })));
    expect(await h.adapter.fieldChoices('priorityUrgent')).toEqual([{ value: '1', label: 'Low' }, { value: '2', label: 'Medium' }, { value: '3', label: 'High' }, { value: '4', label: 'Urgent' }]);
    expect(await h.adapter.fieldChoices('nothing')).toBeUndefined();
  });

  it('listFields: a `ticket` section with the writable properties and the custom fields (cf_…), with their choices', async () => {
    const h = await harness();
    const { ticket: fields } = await h.adapter.listFields();
    expect(fields.map((f) => f.name)).toEqual(['type', 'group_id', 'responder_id', 'cf_order_number', 'cf_product_line']);
    expect(fields.find((f) => f.name === 'cf_product_line')).toEqual({ name: 'cf_product_line', label: '产品线', type: 'custom_dropdown', options: ['贷款', '信用卡'] });
  });
});

describe('Freshdesk adapter: tickets', () => {
  it('create: the requester contact is created once, then the ticket (Open, the mapped priority, Chat, group, type, tags) with the customer and the chat in its description', async () => {
    const h = await harness({ settings: { groupId: GROUP_AFTER_SALES, ticketType: 'Incident' } });
    const t = ticket({ dueAt: Date.now() + 3 * 86_400_000 });
    const ref = await h.adapter.createTicket(t, { idempotencyKey: 'tk-1' });
    const [tk] = [...h.emu.state.tickets.values()];
    expect(ref).toMatchObject({ remoteId: String(tk!.id), remoteCode: `#${tk!.id}`, status: '新建', vendorStatus: 'Open', url: `https://liaison-demo.freshdesk.com/a/tickets/${tk!.id}` });
    expect(tk).toMatchObject({ subject: t.subject, status: 2, priority: 3, source: 7, group_id: Number(GROUP_AFTER_SALES), type: 'Incident', tags: ['liaison', 'liaison-after-sales', keyTag('tk-1')] });
    expect(tk!.due_by).toBe(new Date(t.dueAt!).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    const contact = h.emu.state.contacts.get(tk!.requester_id)!;
    expect(contact).toMatchObject({ name: '王小明', email: t.customer.email, phone: '+8613800138000' });
    expect(tk!.description_text).toContain('客户 / Customer: 王小明 · 深圳联络贸易 · 客户编号 KH2026-0001 · +8613800138000');
    expect(tk!.description_text).toContain('[2026-12-01 02:30 UTC] 客户: 你好，净水器底下一直在漏水 <急>');
    expect(tk!.description).toContain('&lt;急&gt;'); // HTML escaped in the description Freshdesk renders
    expect(tk!.description_text).toContain('[Liaison tk-1]');
    expect(h.emu.requests.map((r) => r.api)).toEqual(['contacts.list', 'contacts.create', 'tickets.list', 'tickets.create']);
    // A second ticket for the same customer finds the contact by email.
    h.emu.control.clearLog();
    await h.adapter.createTicket({ ...t, subject: '第二个问题' }, { idempotencyKey: 'tk-2' });
    expect(h.emu.requests.map((r) => r.api)).toEqual(['contacts.list', 'tickets.list', 'tickets.create']);
    expect(h.emu.state.contacts.size).toBe(1);
  });

  it('a contact a colleague made is the requester: by email, else by phone, else by mobile; no email and no phone is refused before any request', async () => {
    const h = await harness();
    const byPhone = h.emu.control.addContact({ name: '王先生', phone: '+8613900139000' });
    const byMobile = h.emu.control.addContact({ name: '李女士', mobile: '+8613700137000' });
    await h.adapter.createTicket(ticket({ customer: { id: 'c2', code: 'KH2', name: '王小明', phones: ['+8613900139000'] } }), { idempotencyKey: 'a' });
    await h.adapter.createTicket(ticket({ customer: { id: 'c3', code: 'KH3', name: '李', phones: ['+8613700137000'] } }), { idempotencyKey: 'b' });
    expect([...h.emu.state.tickets.values()].map((t) => t.requester_id)).toEqual([byPhone, byMobile]);
    expect(h.emu.state.contacts.size).toBe(2);
    h.emu.control.clearLog();
    const e = await failure(h.adapter.createTicket(ticket({ customer: { id: 'c4', code: 'KH4', name: '无联系方式', phones: [] } }), { idempotencyKey: 'c' }));
    expect(e).toMatchObject({ kind: 'validation', vendorCode: 'NO_REQUESTER' });
    expect(e!.userMessage.zh_CN).toContain('邮箱或电话');
    expect(h.emu.requests).toHaveLength(0);
  });

  it('priority: 低/中/高/紧急 → Low/Medium/High/Urgent by default, or the connection’s mapping', async () => {
    const h = await harness();
    for (const p of TICKET_PRIORITIES) await h.adapter.createTicket(ticket({ priority: p }), { idempotencyKey: `p-${p}` });
    const mapped = h.another({ priorityLow: '2', priorityUrgent: '3' });
    await mapped.createTicket(ticket({ priority: '低' }), { idempotencyKey: 'm-low' });
    await mapped.createTicket(ticket({ priority: '紧急' }), { idempotencyKey: 'm-urgent' });
    expect([...h.emu.state.tickets.values()].map((t) => t.priority)).toEqual([1, 2, 3, 4, 2, 3]);
  }, 30_000); // 6 tickets × 3 requests at the connection's pace of 2 a second

  it('template fields: custom fields (cf_…) and properties by name are set; reserved ones and unknown custom fields are refused naming the field', async () => {
    const h = await harness();
    await h.adapter.createTicket(ticket(), { idempotencyKey: 'f1', fields: { cf_order_number: 'SO-2026-88', cf_product_line: '贷款', responder_id: '43000000102' } });
    const [tk] = [...h.emu.state.tickets.values()];
    expect(tk).toMatchObject({ custom_fields: { cf_order_number: 'SO-2026-88', cf_product_line: '贷款' }, responder_id: 43000000102 });
    expect(await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'f2', fields: { tags: 'x' } }))).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
    const unknown = await failure(h.adapter.createTicket(ticket(), { idempotencyKey: 'f3', fields: { cf_no_such: 'x' } }));
    expect(unknown).toMatchObject({ kind: 'validation', status: 400, vendorCode: 'invalid_field' });
    expect(unknown!.message).toContain('cf_no_such: Unexpected/invalid field in request');
    expect(h.emu.state.tickets.size).toBe(1);
  });

  it('a due date in the past is left out with a warning, not sent for Freshdesk to refuse', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket({ dueAt: Date.now() - 60_000 }), { idempotencyKey: 'd' });
    expect((ref as { warnings?: string[] }).warnings).toEqual(['due_by: in the past']);
    expect(h.emu.requests.find((r) => r.api === 'tickets.create')!.body).not.toHaveProperty('due_by');
  });

  it('get: every Freshdesk status maps onto Liaison’s, with Freshdesk’s word (custom statuses by their name); a deleted or unknown ticket is null', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'g' });
    const id = Number(ref.remoteId);
    const cases: [number, number | null, string, string][] = [
      [2, null, '新建', 'Open'],
      [2, 43000000102, '处理中', 'Open'],
      [3, 43000000102, '待回复', 'Pending'],
      [4, 43000000102, '已解决', 'Resolved'],
      [5, 43000000102, '已关闭', 'Closed'],
      [6, 43000000102, '处理中', 'Waiting on Customer'],
      [7, 43000000102, '处理中', 'Waiting on Third Party'],
    ];
    for (const [status, responder, mine, theirs] of cases) {
      h.emu.control.setTicketStatus(id, status, responder);
      const t = await h.adapter.getTicket(ref.remoteId);
      expect([t!.status, t!.vendorStatus]).toEqual([mine, theirs]);
    }
    const t = await h.adapter.getTicket(ref.remoteId);
    expect(t).toMatchObject({ remoteCode: `#${id}`, subject: ticket().subject, assignee: '43000000102', url: `https://liaison-demo.freshdesk.com/a/tickets/${id}` });
    expect(t!.modifiedAt).toBeTypeOf('number');
    // ticket_fields is read once for the custom names.
    expect(h.emu.requests.filter((r) => r.api === 'ticket_fields.list')).toHaveLength(1);
    h.emu.control.deleteTicket(id);
    expect(await h.adapter.getTicket(ref.remoteId)).toBeNull();
    expect(await h.adapter.getTicket('99999')).toBeNull();
    expect(await failure(h.adapter.getTicket('1 OR 1=1'))).toMatchObject({ kind: 'validation' });
  }, 30_000); // 14 requests at the connection's pace of 2 a second

  it('a follow-up becomes a private note with its method, result and next step, and the key last', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket(ticket(), { idempotencyKey: 'n' });
    const f = followUp({ nextAt: Date.UTC(2026, 11, 4, 1, 0) });
    const note = await h.adapter.addTicketComment(ref.remoteId, f, { idempotencyKey: 'note-1' });
    const [n] = h.emu.state.tickets.get(Number(ref.remoteId))!.notes;
    expect(note.remoteId).toBe(String(n!.id));
    expect(n!.private).toBe(true);
    expect(n!.body_text.split('\n')).toEqual(['已约好周四上午上门', '跟进方式：电话', '跟进结果：有意向', '下次行动：上门维修', '下次时间：2026-12-04 01:00 UTC', '[Liaison note-1]']);
    expect(await failure(h.adapter.addTicketComment('99999', f, { idempotencyKey: 'x' }))).toMatchObject({ kind: 'not-found', status: 404 });
    expect(await failure(h.adapter.addTicketComment(ref.remoteId, f, { idempotencyKey: 'y', fields: { a: 'b' } }))).toMatchObject({ kind: 'validation', vendorCode: 'FIELD_NOT_WRITABLE' });
  });

  it('customers, follow-ups on customers, deals and tasks are refused as unsupported with a zh/en message, sending nothing', async () => {
    const h = await harness();
    const c = { id: 'c', name: 'x', phones: [], tags: [], stage: '跟进中', createdAt: 0, updatedAt: 0, searchKeys: [] } as never;
    for (const e of await Promise.all([h.adapter.findCustomers({ name: 'x' }), h.adapter.createCustomer(c, { idempotencyKey: 'k' }), h.adapter.updateCustomer('1', {}, { idempotencyKey: 'k' }), h.adapter.addFollowUp('1', followUp(), { idempotencyKey: 'k' }), h.adapter.createDeal('1', {} as never, { idempotencyKey: 'k' }), h.adapter.createTask('1', {} as never, { idempotencyKey: 'k' })].map(failure))) {
      expect(e!.kind).toBe('unsupported');
      expect(e!.userMessage.zh_CN).toMatch(/^Freshdesk 不保存/);
      expect(e!.userMessage.en).toMatch(/^Freshdesk keeps no/);
    }
    expect(h.emu.requests).toHaveLength(0);
  });
});
