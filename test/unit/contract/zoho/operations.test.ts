// The Zoho adapter's write side against the strict emulator, every request validated against
// Zoho's own v8 OpenAPI files: setup creates the Liaison Key fields, customers upserted on it
// (a retry updates, never duplicates), lookups by phone/email/criteria with hostile text escaped,
// notes with their marker, deals linked to the contact, tasks linked per module, listFields,
// verify, Leads mode, and errors classified from Zoho's bodies.
import { describe, expect, it } from 'vitest';
import { customer, deal, failure, followUp, harness, prepared } from './helpers';

describe('Zoho operations', { timeout: 60_000 }, () => {
  it('verify names the user, the organisation and the data centre', async () => {
    const { adapter } = await harness();
    expect((await adapter.verify()).account).toBe('李娜 <li.na@example.com> · 深圳联络贸易 (zoho.com)');
  });

  it('setup creates a unique Liaison Key on Contacts, Deals and Tasks, and reuses them the second time', async () => {
    const { adapter, emu } = await harness();
    const r = await adapter.prepare();
    expect(r).toMatchObject({ usable: true, problems: [], created: ['Contacts.Liaison Key', 'Deals.Liaison Key', 'Tasks.Liaison Key'], settings: { keyFields: { Contacts: 'Liaison_Key', Deals: 'Liaison_Key', Tasks: 'Liaison_Key' } } });
    expect(emu.state.fields.get('Contacts')!.find((f) => f.api_name === 'Liaison_Key')?.unique).toBe(true);
    const again = await (await harness({ emulator: emu })).adapter.prepare();
    expect(again.created).toEqual([]);
  });

  it('a customer is upserted on the Liaison Key: a second send with the same key updates the same Contact', async () => {
    const { adapter, emu } = await prepared();
    const c = customer({ name: '张伟', phones: ['+8613912345678', '+862158881234'], notes: '老客户介绍' });
    const a = await adapter.createCustomer(c, { idempotencyKey: 'k-create-1' });
    const b = await adapter.createCustomer({ ...c, name: '张伟2' }, { idempotencyKey: 'k-create-1' });
    expect(b.remoteId).toBe(a.remoteId);
    const rows = emu.control.rows('Contacts');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.values).toMatchObject({ Last_Name: '张伟2', Mobile: '+8613912345678', Phone: '+862158881234', Email: c.email, Description: '老客户介绍', Liaison_Key: 'k-create-1' });
    expect(a.marker).toMatch(/^\d+$/);
  });

  it('lookups: email, phone (other formatting), name and code criteria with ( ) , : escaped', async () => {
    const { adapter, emu } = await prepared({ settings: { mapping: { customer: { code: 'Liaison_Code' } } } });
    emu.state.fields.get('Contacts')!.push({ api_name: 'Liaison_Code', field_label: 'Liaison Code', data_type: 'text', id: '1', length: 100 });
    const id = emu.control.addRecord('Contacts', { Last_Name: '李(四), 经理: 北区', Mobile: '139 1234 5678', Email: 'li.si@example.com', Liaison_Code: 'KH(1),2:3' });
    emu.control.addRecord('Contacts', { Last_Name: '李四', Mobile: '13800000000' });
    expect((await adapter.findCustomers({ email: 'LI.SI@example.com' })).map((r) => r.remoteId)).toEqual([id]);
    expect((await adapter.findCustomers({ phone: '+8613912345678' })).map((r) => [r.remoteId, r.matchedBy])).toEqual([[id, ['phone']]]);
    expect((await adapter.findCustomers({ name: '李(四), 经理: 北' })).map((r) => r.remoteId)).toEqual([id]);
    const byCode = await adapter.findCustomers({ code: 'KH(1),2:3' });
    expect(byCode.map((r) => [r.remoteId, r.remoteCode])).toEqual([[id, 'KH(1),2:3']]);
    expect(await adapter.findCustomers({ email: 'nobody@example.com' })).toEqual([]);
  });

  it('update sends only the patch; Leads mode writes Company and links tasks by What_Id + $se_module', async () => {
    const { adapter, emu } = await prepared({ settings: { customerModule: 'Leads' } });
    const c = customer({ company: '深圳某某科技' });
    const ref = await adapter.createCustomer(c, { idempotencyKey: 'k-lead' });
    expect(emu.control.rows('Leads')[0]!.values).toMatchObject({ Company: '深圳某某科技', Liaison_Key: 'k-lead' });
    await adapter.updateCustomer(ref.remoteId, { email: 'new@example.com' }, { idempotencyKey: 'k-up' });
    expect(emu.control.rows('Leads')[0]!.values).toMatchObject({ Email: 'new@example.com', Last_Name: '王小明' });
    const t = await adapter.createTask(ref.remoteId, { title: '回电', dueAt: Date.UTC(2026, 11, 8) }, { idempotencyKey: 'k-task' });
    expect(emu.state.rows.get(t.remoteId)!.values).toMatchObject({ Subject: '回电', Due_Date: '2026-12-08', What_Id: { id: ref.remoteId }, $se_module: 'Leads', Liaison_Key: 'k-task' });
    const e = await failure(adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'k-deal' }));
    expect(e?.kind).toBe('unsupported');
    expect(emu.control.rows('Deals')).toHaveLength(0);
  });

  it('a follow-up is a Note on the record with its marker; the same key twice is one note', async () => {
    const { adapter, emu } = await prepared();
    const ref = await adapter.createCustomer(customer(), { idempotencyKey: 'k-c' });
    const f = followUp();
    const a = await adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: 'k-note-1' });
    const b = await adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: 'k-note-1' });
    expect(b.remoteId).toBe(a.remoteId);
    const notes = emu.control.rows('Notes');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.values.Parent_Id).toEqual({ module: { api_name: 'Contacts' }, id: ref.remoteId });
    expect(String(notes[0]!.values.Note_Content)).toMatch(/^客户问了抵押贷利率 \(急\), 明天: 回电\n跟进方式：微信[\s\S]*\[Liaison k-note-1\]$/);
  });

  it('a deal links to the contact (Contact_Name) with Stage from the standard pipeline; a task uses Who_Id', async () => {
    const { adapter, emu } = await prepared();
    const ref = await adapter.createCustomer(customer(), { idempotencyKey: 'k-c2' });
    const d = await adapter.createDeal(ref.remoteId, deal({ status: '已放款', closedAt: Date.UTC(2026, 11, 3) }), { idempotencyKey: 'k-d' });
    const again = await adapter.createDeal(ref.remoteId, deal({ status: '已放款', closedAt: Date.UTC(2026, 11, 3) }), { idempotencyKey: 'k-d' });
    expect(again.remoteId).toBe(d.remoteId);
    expect(emu.state.rows.get(d.remoteId)!.values).toMatchObject({ Deal_Name: '抵押贷 · 招商银行', Stage: 'Closed Won', Closing_Date: '2026-12-03', Amount: 1_000_000, Contact_Name: { id: ref.remoteId }, Liaison_Key: 'k-d' });
    const t = await adapter.createTask(ref.remoteId, { title: '发方案', dueAt: Date.UTC(2026, 11, 9), note: '带利率表' }, { idempotencyKey: 'k-t' });
    expect(emu.state.rows.get(t.remoteId)!.values).toMatchObject({ Who_Id: { id: ref.remoteId }, Description: '带利率表', Status: 'Not Started' });
  });

  it('without setup: creates look up first (customer by email, deal and task by their marker) and never duplicate', async () => {
    const { adapter, emu } = await harness();
    const c = customer();
    const a = await adapter.createCustomer(c, { idempotencyKey: 'k1' });
    const b = await adapter.createCustomer(c, { idempotencyKey: 'k1' });
    expect(b.remoteId).toBe(a.remoteId);
    const d1 = await adapter.createDeal(a.remoteId, deal(), { idempotencyKey: 'kd' });
    const d2 = await adapter.createDeal(a.remoteId, deal(), { idempotencyKey: 'kd' });
    const t1 = await adapter.createTask(a.remoteId, { title: '回访 (周五)', dueAt: Date.UTC(2026, 11, 5) }, { idempotencyKey: 'kt' });
    const t2 = await adapter.createTask(a.remoteId, { title: '回访 (周五)', dueAt: Date.UTC(2026, 11, 5) }, { idempotencyKey: 'kt' });
    expect([d2.remoteId, t2.remoteId]).toEqual([d1.remoteId, t1.remoteId]);
    expect([emu.control.rows('Contacts').length, emu.control.rows('Deals').length, emu.control.rows('Tasks').length]).toEqual([1, 1, 1]);
  });

  it('listFields lists writable Contacts and Deals fields without the Liaison Key', async () => {
    const { adapter } = await prepared();
    const f = await adapter.listFields();
    expect(f.customer!.map((x) => x.name)).toEqual(expect.arrayContaining(['Last_Name', 'Email', 'Mobile']));
    expect(f.customer!.map((x) => x.name)).not.toContain('Liaison_Key');
    expect(f.customer!.map((x) => x.name)).not.toContain('Modified_Time');
    expect(f.deal!.map((x) => x.name)).toContain('Stage');
  });

  it('errors from Zoho bodies: MANDATORY_NOT_FOUND and INVALID_DATA name the field, DUPLICATE_DATA is a conflict, templates cannot touch the key', async () => {
    const { adapter, emu } = await prepared();
    const m = await failure(adapter.createCustomer(customer(), { idempotencyKey: 'k-m', fields: { Last_Name: '' } }));
    expect([m?.kind, m?.vendorCode, m?.userMessage.en]).toEqual(['validation', 'MANDATORY_NOT_FOUND', 'Zoho CRM rejected the field Last_Name (MANDATORY_NOT_FOUND)']);
    const i = await failure(adapter.createCustomer(customer({ email: 'not-an-email' }), { idempotencyKey: 'k-i' }));
    expect([i?.kind, i?.vendorCode, i?.message]).toEqual(['validation', 'INVALID_DATA', expect.stringContaining('Email')]);
    const u = await failure(adapter.createCustomer(customer(), { idempotencyKey: 'k-u', fields: { No_Such_Field: 'x' } }));
    expect([u?.kind, u?.message]).toEqual(['validation', expect.stringContaining('No_Such_Field')]);
    const r = await failure(adapter.createCustomer(customer(), { idempotencyKey: 'k-r', fields: { Liaison_Key: 'x' } }));
    expect(r?.vendorCode).toBe('RESERVED_FIELD');
    const first = await adapter.createCustomer(customer(), { idempotencyKey: 'k-dup-a' });
    const dup = await failure(adapter.updateCustomer(first.remoteId, {}, { idempotencyKey: 'x', fields: { Liaison_Key: 'k' } }));
    expect(dup?.vendorCode).toBe('RESERVED_FIELD');
    emu.control.addRecord('Contacts', { Last_Name: 'x', Liaison_Key: 'taken' });
    const conflict = await failure(adapter.updateCustomer(first.remoteId, { name: 'y' }, { idempotencyKey: 'x', fields: {} }).then(() => adapter.createCustomer(customer(), { idempotencyKey: 'k-dup-a' })).then(async () => {
      const h = await harness({ emulator: emu, settings: { keyFields: {} } });
      return h.adapter.updateCustomer(first.remoteId, {}, { idempotencyKey: 'x', fields: { Liaison_Key: 'taken' } });
    }));
    expect([conflict?.kind, conflict?.vendorCode]).toEqual(['conflict', 'DUPLICATE_DATA']);
    const bad = await failure(adapter.addFollowUp('abc', followUp(), { idempotencyKey: 'x' }));
    expect(bad?.kind).toBe('validation');
  });
});
