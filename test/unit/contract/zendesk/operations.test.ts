// The Zendesk adapter against the strict emulator, every request and reply checked against
// Zendesk's own OpenAPI file (helpers.ts → openapi.ts): test connection, end users as customers
// (create_or_update on the Liaison id, find, update, read back), tickets (create with the
// requester by link, email or phone; status read back; private comments), the fields a template
// may write, and what Zendesk does not have.
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../../specs/openapi';
import { customer, failure, followUp, harness, ticket } from './helpers';
import { ZENDESK_FILE, zendeskSpecFile } from './openapi';

const basic = 'Basic ' + Buffer.from('a@example.com/token:t').toString('base64');
const h = { authorization: basic, 'content-type': 'application/json' };

describe('Zendesk spec check can fail', () => {
  it('flags what Zendesk would refuse, and the overlay only lifts the recorded custom_fields defect', async () => {
    const zd = await zendeskSpecFile();
    const ok = { ticket: { subject: 'x', comment: { body: 'y', public: false }, priority: 'high', type: 'incident', custom_fields: [{ id: 360001, value: 'A-1' }] } };
    expect(zd.check('POST', 'http://x/api/v2/tickets', ok, h).errors).toEqual([]);
    expect(zd.check('POST', 'http://x/api/v2/tickets', { ticket: { subject: 'x', comment: { body: 'y' }, priority: 'asap' } }, h).errors.join('\n')).toMatch(/priority: must be equal to one of the allowed values \(urgent, high, normal, low\)/);
    expect(zd.check('POST', 'http://x/api/v2/tickets', { ticket: { subject: 'x' } }, h).errors.join('\n')).toMatch(/required property 'comment'/);
    expect(zd.check('GET', 'http://x/api/v2/tickets/1', undefined, {}).errors).toEqual([expect.stringContaining('credentials')]);
    expect(zd.check('GET', 'http://x/api/v2/tickets/abc', undefined, h).errors).toEqual([expect.stringContaining('path ticket_id: must be integer')]);
    expect(zd.check('POST', 'http://x/api/v2/users/create_or_update', {}, h).errors).toEqual([expect.stringContaining("required property 'user'")]);
    expect(zd.applied.map((p) => p.id)).toEqual(['ticket-custom-fields']);
    // Without the overlay the documented {id, value} item is refused: the patch is needed, and only it.
    const raw = await loadSpec(ZENDESK_FILE);
    expect(raw.check('POST', 'http://x/api/v2/tickets', ok, h).errors.join('\n')).toMatch(/custom_fields\.0: must have required property 'key'/);
  }, 60_000); // parses and dereferences the 1.2 MB file twice (with and without the overlay)
});

describe('Zendesk adapter: connection and fields', () => {
  it('verify names the agent and the account; a wrong token is auth with the next step, never echoed', async () => {
    const t = await harness();
    expect(await t.adapter.verify()).toEqual({ account: '李娜 <li.na@example.com> · liaison-demo.zendesk.com (agent)' });
    const bad = await harness({ emulator: t.emu, token: 'not-the-token' });
    const e = await failure(bad.adapter.verify());
    expect(e).toMatchObject({ kind: 'auth', status: 401 });
    expect(e!.userMessage.zh_CN).toContain('令牌访问');
    expect(e!.message).not.toContain('not-the-token');
    // Zendesk answers /users/me without credentials as the anonymous user (the emulator too).
    const anon = await fetch(`${t.emu.url}/api/v2/users/me`).then((r) => r.json());
    expect(anon).toMatchObject({ user: { id: null, name: 'Anonymous user' } });
  });

  it('settings are checked before any request: a full host as subdomain, no token', async () => {
    const t = await harness({ settings: { subdomain: 'acme.zendesk.com' } });
    expect(await failure(t.adapter.verify())).toMatchObject({ kind: 'validation', message: expect.stringContaining('subdomain') });
    const none = await harness({ emulator: t.emu, token: ' ' });
    expect(await failure(none.adapter.verify())).toMatchObject({ kind: 'auth' });
    expect(t.emu.requests).toEqual([]);
  });

  it('listFields: the user properties Liaison writes and the account user fields; ticketFields: custom ticket fields by id', async () => {
    const t = await harness();
    const f = await t.adapter.listFields();
    expect(f.customer!.map((x) => x.name)).toEqual(['name', 'email', 'phone', 'notes', 'details', 'tags', 'alias', 'time_zone', 'locale', 'customer_code']);
    expect(f.customer!.at(-1)).toEqual({ name: 'customer_code', label: '客户编号', type: 'text' });
    expect(await t.adapter.ticketFields()).toEqual([
      { name: '360001', label: '订单号', type: 'text' },
      { name: '360002', label: '产品线', type: 'tagger', options: ['loans', 'cards'] },
    ]);
  });
});

describe('Zendesk adapter: customers are end users', () => {
  it('createCustomer upserts one end user keyed by the Liaison id; a retry updates the same user', async () => {
    const t = await harness();
    const c = customer({ notes: '老客户' });
    const ref = await t.adapter.createCustomer(c, { idempotencyKey: 'k1' });
    expect(ref).toEqual({ remoteId: expect.stringMatching(/^\d+$/), marker: expect.stringMatching(/^\d+$/) });
    const u = t.emu.state.users.get(Number(ref.remoteId))!;
    expect(u).toMatchObject({ name: '王小明', email: c.email, phone: '+8613800138000', external_id: c.id, notes: '老客户', role: 'end-user' });
    const before = t.emu.state.users.size;
    expect(await t.adapter.createCustomer(c, { idempotencyKey: 'k1' })).toMatchObject({ remoteId: ref.remoteId });
    expect(t.emu.state.users.size).toBe(before);
    expect(t.emu.requests.map((r) => `${r.api} ${r.status}`)).toEqual(['users.create_or_update 201', 'users.create_or_update 200']);
  });

  it('findCustomers matches the email, the phone and the name; a code-only query finds nothing here', async () => {
    const t = await harness();
    const c = customer();
    const ref = await t.adapter.createCustomer(c, { idempotencyKey: 'k' });
    const other = t.emu.control.addUser({ name: '王小明（公司）', phone: '+86 138 0013 8000' });
    t.emu.control.addUser({ name: '无关', phone: '+8613911112222' });
    const found = await t.adapter.findCustomers({ phone: '+8613800138000', email: c.email });
    expect(found.map((f) => [f.remoteId, f.matchedBy.sort()])).toEqual([[ref.remoteId, ['email', 'phone']], [String(other), ['phone']]]);
    expect((await t.adapter.findCustomers({ name: '王小明' })).map((f) => f.remoteId).sort()).toEqual([ref.remoteId, String(other)].sort());
    t.emu.control.clearLog();
    expect(await t.adapter.findCustomers({ code: 'KH2026-0001' })).toEqual([]);
    expect(t.emu.requests).toEqual([]);
  });

  it('updateCustomer PUTs only the mapped patched fields; a new email is a secondary one, as Zendesk does; a bad id or an unmapped patch is sent nowhere', async () => {
    const t = await harness();
    const c = customer();
    const ref = await t.adapter.createCustomer(c, { idempotencyKey: 'k' });
    await t.adapter.updateCustomer(ref.remoteId, { phones: ['+8613900139000'], email: 'new@example.com' }, { idempotencyKey: 'u' });
    expect(t.emu.state.users.get(Number(ref.remoteId))).toMatchObject({ name: '王小明', phone: '+8613900139000', email: c.email, secondaryEmails: ['new@example.com'] });
    const before = t.emu.requests.length;
    expect(await failure(t.adapter.updateCustomer('abc', { name: 'X' }, { idempotencyKey: 'u3' }))).toMatchObject({ kind: 'validation' });
    // A patch of fields Zendesk users do not have (the stage) is done with nothing sent.
    expect(await t.adapter.updateCustomer(ref.remoteId, { stage: '成交' }, { idempotencyKey: 'u4' })).toEqual({ remoteId: ref.remoteId });
    expect(t.emu.requests.length).toBe(before);
  });

  it('a template writes a user field by key; the external id is refused before sending; Zendesk names an invalid email (422 details)', async () => {
    const t = await harness();
    const ref = await t.adapter.createCustomer(customer(), { idempotencyKey: 'k', fields: { customer_code: 'KH2026-0001' } });
    expect(t.emu.state.users.get(Number(ref.remoteId))!.user_fields).toEqual({ customer_code: 'KH2026-0001' });
    expect(await failure(t.adapter.createCustomer(customer(), { idempotencyKey: 'k2', fields: { external_id: 'x' } }))).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
    const e = await failure(t.adapter.createCustomer(customer({ email: 'not-an-email' }), { idempotencyKey: 'k3' }));
    expect(e).toMatchObject({ kind: 'validation', status: 422, vendorCode: 'RecordInvalid' });
    expect(e!.message).toContain('email: Email: <email> is not properly formatted'.replace('<email>', 'not-an-email'));
    const unknown = await failure(t.adapter.createCustomer(customer(), { idempotencyKey: 'k4', fields: { 客户等级: 'A' } }));
    expect(unknown).toMatchObject({ kind: 'validation', status: 422, message: expect.stringContaining('user_fields') });
  });

  it('getCustomer reads the user with updated_at as the marker; a colleague edit moves it; deleted or unknown is null', async () => {
    let now = Date.UTC(2026, 11, 5, 8, 0);
    const t = await harness({ emu: { now: () => now } });
    const ref = await t.adapter.createCustomer(customer({ tags: ['vip 客户'] }), { idempotencyKey: 'k' });
    const first = await t.adapter.getCustomer(ref.remoteId);
    expect(first).toEqual({ remoteId: ref.remoteId, marker: String(now), modifiedAt: now, fields: { name: '王小明', email: expect.any(String), phones: ['+8613800138000'], notes: null, tags: ['vip_客户'] } });
    now += 5_000;
    t.emu.control.editUser(Number(ref.remoteId), { notes: '改约周五' });
    const second = await t.adapter.getCustomer(ref.remoteId);
    expect(second).toMatchObject({ marker: String(now), fields: { notes: '改约周五' } });
    t.emu.control.deleteUser(Number(ref.remoteId));
    expect(await t.adapter.getCustomer(ref.remoteId)).toBeNull();
    expect(await t.adapter.getCustomer('999999')).toBeNull();
  });

  it('follow-ups on a customer, deals and tasks are unsupported with the reason, and nothing is sent', async () => {
    const t = await harness();
    expect(await failure(t.adapter.addFollowUp('1', followUp(), { idempotencyKey: 'f' }))).toMatchObject({ kind: 'unsupported', userMessage: { zh_CN: expect.stringContaining('工单') } });
    expect(await failure(t.adapter.createDeal('1', { id: 'd', customerId: 'c', product: 'p', status: '进行中', createdAt: 0 }, { idempotencyKey: 'd' }))).toMatchObject({ kind: 'unsupported' });
    expect(await failure(t.adapter.createTask('1', { title: 't', dueAt: 0 }, { idempotencyKey: 't' }))).toMatchObject({ kind: 'unsupported' });
    expect(t.emu.requests).toEqual([]);
  });
});

describe('Zendesk adapter: tickets', () => {
  it('createTicket: subject, a private first comment quoting the chat, priority, type by category, tags, the key as external_id; the requester by email', async () => {
    const t = await harness();
    const c = customer();
    const ref = await t.adapter.createTicket(ticket(c), { idempotencyKey: 'tk-1' });
    const id = Number(ref.remoteId);
    expect(ref).toEqual({ remoteId: String(id), remoteCode: `#${id}`, status: '新建', vendorStatus: 'new', subject: '收到的贷款资料缺页', marker: expect.any(String), modifiedAt: expect.any(Number), url: `https://liaison-demo.zendesk.com/agent/tickets/${id}` });
    const tk = t.emu.state.tickets.get(id)!;
    expect(tk).toMatchObject({ subject: '收到的贷款资料缺页', priority: 'high', type: 'incident', tags: ['liaison', 'liaison_after_sales'], external_id: 'tk-1', submitter_id: t.emu.agent.id });
    expect(tk.comments).toHaveLength(1);
    expect(tk.comments[0]).toMatchObject({ public: false });
    expect(tk.comments[0]!.body).toBe(
      ['客户反映邮寄的合同缺第 3 页，要求补寄。', '', `客户 / Customer: 王小明 · 客户编号 KH2026-0001 · +8613800138000 · ${c.email}`, '类别 / Category: 售后 · 紧急程度 / Priority: 高', '', '聊天记录 / Chat:', '> [2026-12-01 02:10 UTC] 客户: 合同少了第三页', '> [2026-12-01 02:12 UTC] 我: 抱歉，马上处理'].join('\n'),
    );
    const requester = t.emu.state.users.get(tk.requester_id)!;
    expect(requester).toMatchObject({ email: c.email, name: '王小明', role: 'end-user' });
    expect(t.emu.requests.map((r) => `${r.api} ${r.status}${r.idempotency ? ` ${r.idempotency}` : ''}`)).toEqual(['tickets.list 200', 'tickets.create 201 miss']);
    // The same create again (the outbox retried after a reply it never saw): the same ticket.
    expect(await t.adapter.createTicket(ticket(c), { idempotencyKey: 'tk-1' })).toMatchObject({ remoteId: String(id) });
    expect(t.emu.state.tickets.size).toBe(1);
  });

  it('the requester: the linked user by id; a customer with a phone only is upserted as a user first; priorities and types map', async () => {
    const t = await harness({ settings: { ticketTypes: { 产品反馈: 'task' } } });
    const c = customer();
    const user = await t.adapter.createCustomer(c, { idempotencyKey: 'k' });
    const linked = await t.adapter.createTicket(ticket(c, { remoteCustomerId: user.remoteId, priority: '紧急', category: '技术支持' }), { idempotencyKey: 'a' });
    expect(t.emu.state.tickets.get(Number(linked.remoteId))).toMatchObject({ requester_id: Number(user.remoteId), priority: 'urgent', type: 'problem', tags: ['liaison', 'liaison_tech_support'] });
    const phoneOnly = customer({ email: undefined as unknown as string, phones: ['+8613700137000'], name: '赵六' });
    const viaPhone = await t.adapter.createTicket(ticket(phoneOnly, { priority: '低', category: '客户服务' }), { idempotencyKey: 'b' });
    const tk = t.emu.state.tickets.get(Number(viaPhone.remoteId))!;
    expect(t.emu.state.users.get(tk.requester_id)).toMatchObject({ name: '赵六', phone: '+8613700137000', external_id: phoneOnly.id });
    expect(tk).toMatchObject({ priority: 'low', type: 'question' });
    const task = await t.adapter.createTicket(ticket(c, { priority: '中', category: '产品反馈', dueAt: Date.UTC(2026, 11, 9, 1, 0) }), { idempotencyKey: 'c' });
    expect(t.emu.state.tickets.get(Number(task.remoteId))).toMatchObject({ priority: 'normal', type: 'task', due_at: '2026-12-09T01:00:00.000Z', tags: ['liaison', 'liaison_product_feedback'] });
  });

  it('getTicket follows the status an agent sets in Zendesk; the vendor word is kept; deleted is null', async () => {
    const t = await harness();
    const ref = await t.adapter.createTicket(ticket(customer()), { idempotencyKey: 'k' });
    const id = Number(ref.remoteId);
    const seen: [string, string][] = [];
    for (const s of ['open', 'pending', 'hold', 'solved', 'closed'] as const) {
      t.emu.control.setTicketStatus(id, s);
      const r = await t.adapter.getTicket(ref.remoteId);
      seen.push([r!.vendorStatus, r!.status]);
      expect(r).toMatchObject({ remoteCode: `#${id}`, assignee: String(t.emu.colleague.id) });
    }
    expect(seen).toEqual([['open', '处理中'], ['pending', '待回复'], ['hold', '待回复'], ['solved', '已解决'], ['closed', '已关闭']]);
    t.emu.control.deleteTicket(id);
    expect(await t.adapter.getTicket(ref.remoteId)).toBeNull();
    expect(await failure(t.adapter.getTicket('#12'))).toMatchObject({ kind: 'validation' });
  });

  it('addTicketComment adds one private comment ending with the follow-up id; a retry finds it; a closed ticket is refused by name', async () => {
    const t = await harness();
    const ref = await t.adapter.createTicket(ticket(customer()), { idempotencyKey: 'k' });
    const f = followUp({ nextAt: Date.UTC(2026, 11, 5, 2, 0) });
    const c1 = await t.adapter.addTicketComment(ref.remoteId, f, { idempotencyKey: 'n' });
    expect(await t.adapter.addTicketComment(ref.remoteId, f, { idempotencyKey: 'n' })).toEqual({ remoteId: c1.remoteId });
    const comments = t.emu.state.tickets.get(Number(ref.remoteId))!.comments;
    expect(comments).toHaveLength(2);
    expect(comments[1]).toMatchObject({ id: Number(c1.remoteId), public: false, body: `已联系物流，明天补发\n跟进方式：微信\n跟进结果：待考虑\n下次行动：周五回访\n下次时间：2026-12-05 02:00 UTC\n[Liaison ${f.id}]` });
    t.emu.control.setTicketStatus(Number(ref.remoteId), 'closed');
    const e = await failure(t.adapter.addTicketComment(ref.remoteId, followUp(), { idempotencyKey: 'n2' }));
    expect(e).toMatchObject({ kind: 'validation', status: 422, vendorCode: 'RecordInvalid', message: expect.stringContaining('status: Status: closed prevents ticket update') });
  });

  it('template values: a custom ticket field by id; an option it lacks is Zendesk\'s 422 naming it; reserved and unknown names are refused before sending', async () => {
    const t = await harness();
    const ok = await t.adapter.createTicket(ticket(customer()), { idempotencyKey: 'a', fields: { '360001': 'DD-2026-77', '360002': 'loans' } });
    expect(t.emu.state.tickets.get(Number(ok.remoteId))!.custom_fields).toEqual([{ id: 360001, value: 'DD-2026-77' }, { id: 360002, value: 'loans' }]);
    const e = await failure(t.adapter.createTicket(ticket(customer()), { idempotencyKey: 'b', fields: { '360002': 'mortgages' } }));
    expect(e).toMatchObject({ kind: 'validation', status: 422, message: expect.stringContaining('产品线: mortgages is not one of its options') });
    t.emu.control.clearLog();
    expect(await failure(t.adapter.createTicket(ticket(customer()), { idempotencyKey: 'c', fields: { external_id: 'x' } }))).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
    expect(await failure(t.adapter.createTicket(ticket(customer()), { idempotencyKey: 'd', fields: { 订单号: 'x' } }))).toMatchObject({ kind: 'validation', vendorCode: 'UNKNOWN_FIELD' });
    expect(t.emu.requests).toEqual([]);
  });

  it('an invalid requester email is Zendesk\'s 422 naming the requester; nothing is created', async () => {
    const t = await harness();
    const e = await failure(t.adapter.createTicket(ticket(customer({ email: 'wang@' })), { idempotencyKey: 'x' }));
    expect(e).toMatchObject({ kind: 'validation', status: 422, message: expect.stringContaining('requester: Requester: Email is invalid') });
    expect(t.emu.state.tickets.size).toBe(0);
  });
});
