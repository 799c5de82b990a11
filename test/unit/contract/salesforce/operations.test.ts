// Every port operation against the emulated org, after a real PKCE connect.
import { describe, expect, it } from 'vitest';
import { customer, deal, failure, followUp, harness } from './helpers';

describe('Salesforce adapter: operations', () => {
  it('verify names the user @ instance; Sforce-Limit-Info is exposed', async () => {
    const h = await harness();
    expect(await h.adapter.verify()).toEqual({ account: `liaison.user@example.com @ ${new URL(h.emu.url).host}` });
    await h.adapter.findCustomers({ email: 'x@example.com' });
    expect(h.adapter.apiUsage()).toMatchObject({ used: 1, max: 15_000 });
  });

  it('creates a Lead by upsert on Liaison_Id__c; the same key again updates, never duplicates', async () => {
    const h = await harness();
    const c = customer();
    const a = await h.adapter.createCustomer(c, { idempotencyKey: 'k-1' });
    expect(a.remoteId).toMatch(/^00Q/);
    const b = await h.adapter.createCustomer({ ...c, notes: '改了' }, { idempotencyKey: 'k-1' });
    expect(b.remoteId).toBe(a.remoteId);
    const leads = h.emu.control.records('Lead');
    expect(leads).toHaveLength(1);
    expect(leads[0]!.fields).toMatchObject({ LastName: '王小明', Company: '王小明', Liaison_Id__c: 'k-1', Description: '改了', Status: 'Working - Contacted' });
    expect(h.emu.state.requests.map((r) => `${r.api} ${r.status}`)).toEqual(['sobject.upsert 201', 'sobject.upsert 200']);
  });

  it('API < 46 answers 204 on an upsert update: the id is read back by the external id', async () => {
    const h = await harness({ overrides: { apiVersion: '45.0' } });
    const a = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k-old' });
    const b = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k-old' });
    expect(b.remoteId).toBe(a.remoteId);
    expect(h.emu.state.requests.map((r) => `${r.api} ${r.status}`)).toEqual(['sobject.upsert 201', 'sobject.upsert 204', 'sobject.getByExternalId 200']);
  });

  it('finds by email with SOQL and by phone with SOSL (any formatting, Leads and Contacts)', async () => {
    const h = await harness();
    const lead = h.emu.control.seed('Lead', { LastName: 'Lee', Company: 'ACME', Email: 'Lee@Example.com', Phone: '(0755) 8888-1234' });
    const contact = h.emu.control.seed('Contact', { LastName: '张三', MobilePhone: '+86 138 0013 8000' });
    const byEmail = await h.adapter.findCustomers({ email: 'lee@example.com' });
    expect(byEmail).toEqual([expect.objectContaining({ remoteId: lead, matchedBy: ['email'], company: 'ACME' })]);
    const byPhone = await h.adapter.findCustomers({ phone: '+8613800138000' });
    expect(byPhone).toEqual([expect.objectContaining({ remoteId: contact, name: '张三', phones: ['+8613800138000'], matchedBy: ['phone'] })]);
    const soql = h.emu.state.requests.find((r) => r.api === 'query');
    expect(soql?.status).toBe(200);
    expect(await h.adapter.findCustomers({ phone: '+8613900000000' })).toEqual([]);
  });

  it("an email with a quote (O'Brien) is escaped: no MALFORMED_QUERY, no injection", async () => {
    const h = await harness();
    const id = h.emu.control.seed('Lead', { LastName: "O'Brien", Company: 'X', Email: "o'brien@example.com" });
    h.emu.control.seed('Lead', { LastName: 'Other', Company: 'Y', Email: 'other@example.com' });
    expect((await h.adapter.findCustomers({ email: "o'brien@example.com" })).map((c) => c.remoteId)).toEqual([id]);
    // The classic injection finds nothing (it is one literal), instead of every row.
    expect(await h.adapter.findCustomers({ email: "x' OR Email != '" })).toEqual([]);
    expect(h.emu.state.requests.every((r) => r.status === 200)).toBe(true);
  });

  it('updates the Lead (PATCH 204), or a Contact by its id prefix', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k-u' });
    await h.adapter.updateCustomer(remoteId, { name: 'Amy Wong', stage: '流失', phones: ['+8613800138001', '+862088888888'] }, { idempotencyKey: 'u1' });
    expect(h.emu.control.records('Lead')[0]!.fields).toMatchObject({ FirstName: 'Amy', LastName: 'Wong', Name: 'Amy Wong', Status: 'Closed - Not Converted', MobilePhone: '+8613800138001', Phone: '+862088888888' });
    const contact = h.emu.control.seed('Contact', { LastName: 'C' });
    await h.adapter.updateCustomer(contact, { notes: 'n', stage: '成交', company: 'ignored on Contact' }, { idempotencyKey: 'u2' });
    expect(h.emu.control.records('Contact')[0]!.fields).toMatchObject({ Description: 'n' });
    expect(await failure(h.adapter.updateCustomer('00Q000000000000AAA', { notes: 'x' }, { idempotencyKey: 'u3' }))).toMatchObject({ kind: 'not-found', vendorCode: 'NOT_FOUND' });
  });

  it('follow-up = completed Task on the Lead; task = open Task with due date; deal = Opportunity; all keyed', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k-c' });
    const f = await h.adapter.addFollowUp(remoteId, followUp(), { idempotencyKey: 'f-1' });
    await h.adapter.addFollowUp(remoteId, followUp(), { idempotencyKey: 'f-1' });
    const due = Date.UTC(2026, 2, 9, 4, 0);
    const t = await h.adapter.createTask(remoteId, { title: '回访王小明', dueAt: due, note: '发方案' }, { idempotencyKey: 't-1' });
    const tasks = h.emu.control.records('Task');
    expect(tasks).toHaveLength(2);
    expect(tasks.find((x) => x.Id === f.remoteId)!.fields).toMatchObject({ Subject: '电话跟进：有意向', Status: 'Completed', WhoId: remoteId, ActivityDate: expect.stringMatching(/^2026-03-0[45]$/) });
    expect(tasks.find((x) => x.Id === t.remoteId)!.fields).toMatchObject({ Subject: '回访王小明', Status: 'Not Started', IsReminderSet: true, ReminderDateTime: new Date(Math.floor(due / 1000) * 1000).toISOString().replace('Z', '+0000'), WhoId: remoteId });
    const d = await h.adapter.createDeal(remoteId, deal(), { idempotencyKey: 'd-1' });
    expect(h.emu.control.records('Opportunity')).toEqual([expect.objectContaining({ Id: d.remoteId, fields: expect.objectContaining({ Name: '抵押贷 · 招商银行', StageName: 'Prospecting', Amount: 1_000_000, Description: expect.stringContaining(remoteId) }) })]);
  });

  it('DUPLICATES_DETECTED links the existing Lead instead of failing (no duplicate)', async () => {
    const h = await harness();
    const existing = h.emu.control.seed('Lead', { LastName: 'Wang', Company: 'W', Email: 'WANG@example.com' });
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'dup-1' });
    expect(ref.remoteId).toBe(existing);
    expect(h.emu.control.records('Lead')).toHaveLength(1);
    expect(h.emu.state.requests.find((r) => r.api === 'sobject.upsert')?.errorCode).toBe('DUPLICATES_DETECTED');
  });

  it('REQUIRED_FIELD_MISSING / validation rules / restricted picklists are validation errors naming the fields', async () => {
    const h = await harness({ settings: { mapping: { customer: { name: 'Title' } } } });
    const e = await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'v1' }));
    expect(e).toMatchObject({ kind: 'validation', vendorCode: 'REQUIRED_FIELD_MISSING', message: expect.stringContaining('[LastName]') });
    expect(e!.userMessage.en).toContain('LastName');
    const h2 = await harness({ settings: { stageMap: { 跟进中: 'Hot' } } });
    expect(await failure(h2.adapter.createCustomer(customer(), { idempotencyKey: 'v2' }))).toMatchObject({ kind: 'validation', vendorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: expect.stringContaining('[Status]') });
    h2.emu.control.addValidationRule('Lead', (f) => (typeof f.MobilePhone === 'string' && !f.MobilePhone.startsWith('+1') ? '手机号必须是美国号码' : undefined), 'MobilePhone');
    const rule = await failure(h2.adapter.createCustomer(customer({ stage: '新客户' }), { idempotencyKey: 'v3' }));
    expect(rule).toMatchObject({ kind: 'validation', vendorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' });
    expect(rule!.userMessage.zh_CN).toContain('手机号必须是美国号码');
  });

  it('without the External ID field: falls back to search + insert, and still links what it finds', async () => {
    const h = await harness();
    h.emu.control.setExternalIdField('Lead', false);
    h.emu.control.setDuplicateRule(false);
    const c = customer();
    const a = await h.adapter.createCustomer(c, { idempotencyKey: 'n1' });
    const b = await h.adapter.createCustomer(c, { idempotencyKey: 'n1' }); // a retry: the search finds the first
    expect(b.remoteId).toBe(a.remoteId);
    expect(h.emu.control.records('Lead')).toHaveLength(1);
    expect(h.emu.state.requests.map((r) => r.api)).toEqual(['sobject.upsert', 'query', 'search', 'sobject.create', 'query', 'search']);
  });

  it('prepare reports which objects have the External ID field', async () => {
    const h = await harness();
    h.emu.control.setExternalIdField('Opportunity', false);
    const r = await h.adapter.prepare();
    expect(r.settings).toEqual({ externalIdObjects: ['Lead', 'Task'] });
    expect(r.problems).toEqual(['Opportunity.Liaison_Id__c (missing: Text 100, External ID, Unique)']);
  });

  it('batch: ≤ 200 per composite upsert call, per-item results, duplicates linked, failures per item', async () => {
    const h = await harness();
    const existing = h.emu.control.seed('Lead', { LastName: 'E', Company: 'E', Email: 'dup@example.com' });
    const items = Array.from({ length: 205 }, (_, i) => ({ customer: customer({ name: `客户${i}`, email: `c${i}@example.com`, phones: [] }), idempotencyKey: `b-${i}` }));
    items[3]!.customer.email = 'dup@example.com';
    items[7]!.customer.email = 'not-an-email';
    const results = await h.adapter.batchCreateCustomers(items);
    expect(results).toHaveLength(205);
    expect(results[3]).toEqual({ ok: true, ref: { remoteId: existing } });
    expect(results[7]).toMatchObject({ ok: false, error: { kind: 'validation', vendorCode: 'INVALID_EMAIL_ADDRESS' } });
    expect(results.filter((r) => r.ok)).toHaveLength(204);
    expect(h.emu.control.records('Lead')).toHaveLength(1 + 203);
    expect(h.emu.state.requests.filter((r) => r.api === 'composite.upsert').map((r) => r.records)).toEqual([200, 5]);
    // The same batch again (the outbox after a lost reply): same records, nothing new.
    const again = await h.adapter.batchCreateCustomers(items);
    expect(again.map((r) => (r.ok ? r.ref.remoteId : 'x'))).toEqual(results.map((r) => (r.ok ? r.ref.remoteId : 'x')));
    expect(h.emu.control.records('Lead')).toHaveLength(204);
  });
});
