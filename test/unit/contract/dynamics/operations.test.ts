// The Dynamics adapter's write operations against the emulated environment: what it sends (entity
// sets, headers, binds), what the environment holds afterwards, and the lookup's escaping.
import { describe, expect, it } from 'vitest';
import { CrmError } from '../../../../lib/crm/errors';
import { customer, deal, failure, followUp, harness } from './helpers';
import { ORG, USER } from '../../../emulators/dynamics';

describe('Dynamics operations', () => {
  it('verify names the user and the organization (WhoAmI)', async () => {
    const h = await harness();
    const r = await h.adapter.verify();
    expect(r.account).toBe(`${USER.fullname} @ ${ORG.name} (${new URL(h.emu.url).host})`);
    expect(h.emu.state.requests.map((x) => x.api)).toEqual(['whoami', 'whoami', 'whoami']);
  });

  it('createCustomer: a create-only upsert on the row id from the key, with OData headers; the row holds the mapped columns', async () => {
    const h = await harness();
    const key = crypto.randomUUID();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: key });
    expect(ref.remoteId).toBe(key);
    expect(ref.marker).toMatch(/^W\/"\d+"$/);
    const req = h.emu.state.requests.at(-1)!;
    expect(req).toMatchObject({ method: 'PATCH', path: `/api/data/v9.2/contacts(${key})`, status: 201 });
    expect(req.headers).toMatchObject({ 'if-none-match': '*', prefer: 'return=representation', 'odata-version': '4.0', 'odata-maxversion': '4.0' });
    expect(h.emu.control.row('contacts', key)).toMatchObject({ lastname: '王小明', fullname: '王小明', mobilephone: '+8613800138000', emailaddress1: 'wang@example.com', description: '想了解利率' });
  });

  it('a lead connection writes leads with the topic and company', async () => {
    const h = await harness({ settings: { customerEntity: 'lead' } });
    const ref = await h.adapter.createCustomer(customer({ company: '大华贸易' }), { idempotencyKey: crypto.randomUUID() });
    expect(h.emu.control.row('leads', ref.remoteId)).toMatchObject({ subject: '王小明', lastname: '王小明', companyname: '大华贸易' });
    await h.adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: crypto.randomUUID() });
    expect(h.emu.control.rows('annotations')[0]!.objectid).toEqual({ id: ref.remoteId, set: 'leads' });
  });

  it('addFollowUp writes a note bound to the contact with the [Liaison key] line; createDeal an opportunity; createTask a task with scheduledend', async () => {
    const h = await harness();
    const c = await h.adapter.createCustomer(customer(), { idempotencyKey: crypto.randomUUID() });
    const noteKey = crypto.randomUUID();
    const note = await h.adapter.addFollowUp(c.remoteId, followUp(), { idempotencyKey: noteKey });
    const n = h.emu.control.row('annotations', note.remoteId)!;
    expect(n.objectid).toEqual({ id: c.remoteId, set: 'contacts' });
    expect(n.subject).toBe('跟进记录 · 电话');
    expect(String(n.notetext).split('\n')).toEqual(['客户问了抵押贷利率', '结果：有意向', '下一步：发方案', expect.stringMatching(/^下次跟进：2026-03-07T01:00:00/), `[Liaison ${noteKey}]`]);
    expect(h.emu.state.requests.at(-1)!.body).toMatchObject({ 'objectid_contact@odata.bind': `/contacts(${c.remoteId})` });

    const d = await h.adapter.createDeal(c.remoteId, deal(), { idempotencyKey: crypto.randomUUID() });
    expect(h.emu.control.row('opportunities', d.remoteId)).toMatchObject({ name: '抵押贷', estimatedvalue: 1_000_000, parentcontactid: { id: c.remoteId, set: 'contacts' } });

    const due = Date.UTC(2026, 11, 8, 2, 0);
    const t = await h.adapter.createTask(c.remoteId, { title: '回访王小明', dueAt: due, note: '带上方案' }, { idempotencyKey: crypto.randomUUID() });
    expect(h.emu.control.row('tasks', t.remoteId)).toMatchObject({ subject: '回访王小明', description: '带上方案', scheduledend: new Date(due).toISOString(), regardingobjectid: { id: c.remoteId, set: 'contacts' } });
    expect(h.emu.state.requests.at(-1)!.body).toHaveProperty(['regardingobjectid_contact_task@odata.bind'], `/contacts(${c.remoteId})`);
  });

  it('updateCustomer sends If-Match: * without a marker (a deleted row is not re-created: not-found)', async () => {
    const h = await harness();
    const c = await h.adapter.createCustomer(customer(), { idempotencyKey: crypto.randomUUID() });
    const r = await h.adapter.updateCustomer(c.remoteId, { email: 'new@example.com', notes: undefined }, { idempotencyKey: crypto.randomUUID() });
    expect(h.emu.state.requests.at(-1)!.headers['if-match']).toBe('*');
    expect(h.emu.control.row('contacts', c.remoteId)!.emailaddress1).toBe('new@example.com');
    expect(r.marker).not.toBe(c.marker);
    h.emu.control.remove('contacts', c.remoteId);
    const e = await failure(h.adapter.updateCustomer(c.remoteId, { email: 'x@example.com' }, { idempotencyKey: crypto.randomUUID() }));
    expect(e).toMatchObject({ kind: 'not-found', status: 404, vendorCode: '0x80040217' });
    expect(h.emu.control.rows('contacts')).toHaveLength(0);
  });

  it('findCustomers ORs phone and email in $filter and says which matched', async () => {
    const h = await harness();
    const a = await h.adapter.createCustomer(customer(), { idempotencyKey: crypto.randomUUID() });
    await h.adapter.createCustomer(customer({ name: '李四', phones: ['+8613900000000'], email: 'li@example.com' }), { idempotencyKey: crypto.randomUUID() });
    const found = await h.adapter.findCustomers({ phone: '+8613800138000', email: 'nobody@example.com' });
    expect(found).toEqual([expect.objectContaining({ remoteId: a.remoteId, name: '王小明', phones: ['+8613800138000'], matchedBy: ['phone'] })]);
    const q = h.emu.state.requests.at(-1)!.query!;
    expect(q.$filter).toContain("mobilephone eq '+8613800138000'");
    expect(q.$filter).toContain("emailaddress1 eq 'nobody@example.com'");
    expect(await h.adapter.findCustomers({ email: 'none@example.com' })).toEqual([]);
  });

  it('hostile text stays a literal: quotes doubled, nothing injected', async () => {
    const h = await harness();
    await h.adapter.createCustomer(customer({ name: "O'Brien", email: "o'brien@example.com" }), { idempotencyKey: crypto.randomUUID() });
    await h.adapter.createCustomer(customer({ name: '别人', email: 'other@example.com' }), { idempotencyKey: crypto.randomUUID() });
    const found = await h.adapter.findCustomers({ email: "o'brien@example.com" });
    expect(found.map((f) => f.name)).toEqual(["O'Brien"]);
    expect(h.emu.state.requests.at(-1)!.query!.$filter).toBe("emailaddress1 eq 'o''brien@example.com'");
    expect(await h.adapter.findCustomers({ email: "x' or emailaddress1 ne 'y" })).toEqual([]);
    expect(await h.adapter.findCustomers({ name: "') or contains(fullname,'" })).toEqual([]);
  });

  it('a template naming an unknown column is refused by the environment, naming it; a reserved one before any request', async () => {
    const h = await harness();
    const e = await failure(h.adapter.createCustomer(customer(), { idempotencyKey: crypto.randomUUID(), fields: { new_wechat: 'wx1' } }));
    expect(e).toBeInstanceOf(CrmError);
    expect(e).toMatchObject({ kind: 'validation', status: 400, vendorCode: '0x80048d19' });
    expect(e!.userMessage.en).toContain('"new_wechat"');
    const before = h.emu.state.requests.length;
    const r = await failure(h.adapter.addFollowUp(crypto.randomUUID(), followUp(), { idempotencyKey: crypto.randomUUID(), fields: { notetext: 'x' } }));
    expect(r).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
    expect(h.emu.state.requests.length).toBe(before);
    const ok = await h.adapter.createCustomer(customer(), { idempotencyKey: crypto.randomUUID(), fields: { jobtitle: '经理' } });
    expect(h.emu.control.row('contacts', ok.remoteId)!.jobtitle).toBe('经理');
  });

  it('listFields reads EntityDefinitions Attributes: creatable typed columns with display names, without Liaison\'s own', async () => {
    const h = await harness();
    const f = await h.adapter.listFields();
    expect(f.customer).toContainEqual({ name: 'emailaddress1', label: 'Email', type: 'String' });
    expect(f.customer!.map((x) => x.name)).not.toContain('contactid');
    expect(f.customer!.map((x) => x.name)).not.toContain('fullname');
    expect(f.followUp!.map((x) => x.name)).toContain('subject');
    expect(f.followUp!.map((x) => x.name)).not.toContain('notetext');
    expect(f.deal!.map((x) => x.name)).toContain('estimatedvalue');
    expect(h.emu.state.requests.filter((r) => r.api === 'metadata').map((r) => r.path)).toEqual([
      "/api/data/v9.2/EntityDefinitions(LogicalName='contact')/Attributes",
      "/api/data/v9.2/EntityDefinitions(LogicalName='annotation')/Attributes",
      "/api/data/v9.2/EntityDefinitions(LogicalName='opportunity')/Attributes",
    ]);
  });
});
