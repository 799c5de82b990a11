// The user's template mapping (WriteOptions.fields) against the emulated org: values land in the
// org's own fields typed by describe, override the adapter's defaults, never touch the external
// ID or the Task's WhoId, and listFields shows the createable fields of Lead, Task and Opportunity.
import { describe, expect, it } from 'vitest';
import { customer, deal, failure, followUp, harness, raw } from './helpers';

type Harness = Awaited<ReturnType<typeof harness>>;

/** Fields an admin added to the org. */
async function ready(settings: Record<string, unknown> = {}) {
  const h = await harness({ settings });
  const add = h.emu.control.addField;
  add('Lead', 'Budget__c', { type: 'currency', label: '预算' });
  add('Lead', 'Visits__c', { type: 'int', label: '到访次数' });
  add('Lead', 'Level__c', { type: 'picklist', label: '意向等级', values: ['Hot', 'Warm', 'Cold'], restricted: true });
  add('Lead', 'Interests__c', { type: 'multipicklist', label: '意向产品', values: ['Credit', 'Car', 'Mortgage'], restricted: true });
  add('Lead', 'FirstContact__c', { type: 'datetime', label: '首次联系' });
  add('Lead', 'VIP__c', { type: 'boolean', label: 'VIP' });
  add('Contact', 'Budget__c', { type: 'currency', label: '预算' });
  add('Task', 'Outcome__c', { type: 'picklist', label: '通话结果', values: ['Connected', 'No answer'], restricted: true });
  add('Opportunity', 'Bank__c', { type: 'string', label: '放款银行', length: 80 });
  add('Opportunity', 'Rate__c', { type: 'percent', label: '利率' });
  return h;
}

const WRITES = ['sobject.create', 'sobject.update', 'sobject.upsert', 'composite.create', 'composite.upsert'];
const writes = (h: Harness) => h.emu.state.requests.filter((r) => WRITES.includes(r.api));
const lead = (h: Harness, id: string) => h.emu.control.records('Lead').find((r) => r.Id === id)!.fields;

describe('Salesforce templates: values land typed', () => {
  it('Lead: currency, int, restricted picklist by label case, multi-select, datetime and boolean arrive as describe types them', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), {
      idempotencyKey: 'k1',
      fields: { Budget__c: '200,000', Visits__c: '3', Level__c: 'hot', Interests__c: 'Credit、car', FirstContact__c: '2026/3/5 09:30', VIP__c: '是' },
    });
    expect(lead(h, ref.remoteId)).toMatchObject({
      Budget__c: 200000, Visits__c: 3, Level__c: 'Hot', Interests__c: 'Credit;Car', FirstContact__c: new Date(2026, 2, 5, 9, 30).toISOString().replace('Z', '+0000'), VIP__c: true, LastName: '王小明',
    });
  });

  it('Task (follow-up) and Opportunity (deal): custom fields get the rendered values', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1' });
    const task = await h.adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k2', fields: { Outcome__c: 'No answer' } });
    expect(h.emu.control.records('Task').find((r) => r.Id === task.remoteId)!.fields).toMatchObject({ Outcome__c: 'No answer', WhoId: ref.remoteId, Status: 'Completed' });
    const opp = await h.adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'k3', fields: { Bank__c: '招商银行', Rate__c: '3.65' } });
    expect(h.emu.control.records('Opportunity').find((r) => r.Id === opp.remoteId)!.fields).toMatchObject({ Bank__c: '招商银行', Rate__c: 3.65 });
  });

  it('updateCustomer (by the id’s object) and batchCreateCustomers carry them too; a bad item fails alone', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1' });
    await h.adapter.updateCustomer(ref.remoteId, { stage: '谈判中' }, { idempotencyKey: 'k2', fields: { Level__c: 'Warm' } });
    expect(lead(h, ref.remoteId).Level__c).toBe('Warm');
    const results = await h.adapter.batchCreateCustomers([
      { customer: customer({ email: 'a@example.com' }), idempotencyKey: 'b1', fields: { Budget__c: 5 } },
      { customer: customer({ email: 'b@example.com' }), idempotencyKey: 'b2', fields: { Budget__c: 'lots' } },
    ]);
    expect(results[0]).toMatchObject({ ok: true });
    expect(results[1]).toMatchObject({ ok: false, error: { kind: 'validation', vendorCode: 'TEMPLATE_VALUE' } });
    expect(lead(h, (results[0] as { ref: { remoteId: string } }).ref.remoteId).Budget__c).toBe(5);
    expect(h.emu.control.records('Lead')).toHaveLength(2);
  });

  it('a Contact connection types by Contact’s describe', async () => {
    const h = await ready({ customerObject: 'Contact' });
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1', fields: { Budget__c: '88' } });
    expect(h.emu.control.records('Contact').find((r) => r.Id === ref.remoteId)!.fields.Budget__c).toBe(88);
  });
});

describe('Salesforce templates: override, reserved, conversion, unknown fields', () => {
  it('a template value replaces the adapter’s own for the same field (any case): Lead, Task, Opportunity', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1', fields: { lastname: '王先生', Company: '深圳小明贸易' } });
    expect(lead(h, ref.remoteId)).toMatchObject({ LastName: '王先生', Company: '深圳小明贸易' });
    const task = await h.adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k2', fields: { Subject: '电话：客户想了解利率', ActivityDate: '2026-03-07' } });
    expect(h.emu.control.records('Task').find((r) => r.Id === task.remoteId)!.fields).toMatchObject({ Subject: '电话：客户想了解利率', ActivityDate: '2026-03-07' });
    const opp = await h.adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'k3', fields: { Amount: '1,500,000', StageName: 'Qualification' } });
    expect(h.emu.control.records('Opportunity').find((r) => r.Id === opp.remoteId)!.fields).toMatchObject({ Amount: 1500000, StageName: 'Qualification' });
  });

  it('the external ID, Id and the Task’s WhoId/WhatId are refused as reserved, before anything is sent', async () => {
    const h = await ready();
    const e1 = await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k1', fields: { liaison_id__c: 'mine' } }));
    expect(e1).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
    expect(e1!.message).toContain('liaison_id__c');
    const who = await failure(h.adapter.addFollowUp('00Q000000000001AAA', followUp(), { idempotencyKey: 'k2', fields: { WhoId: '003000000000001AAA' } }));
    expect(who).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
    const id = await failure(h.adapter.createDeal('00Q000000000001AAA', deal(), { idempotencyKey: 'k3', fields: { Id: '006000000000001AAA' } }));
    expect(id).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
    expect(h.emu.state.requests).toEqual([]);
  });

  it('a value that cannot become the field type is refused naming the field; nothing is written', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k0' });
    h.emu.control.clearLog();
    const cases: [() => Promise<unknown>, string, string][] = [
      [() => h.adapter.createCustomer(customer(), { idempotencyKey: 'k1', fields: { Budget__c: 'abc' } }), 'Budget__c', 'TEMPLATE_VALUE'],
      [() => h.adapter.createCustomer(customer(), { idempotencyKey: 'k2', fields: { Visits__c: '2.5' } }), 'Visits__c', 'TEMPLATE_VALUE'],
      [() => h.adapter.createCustomer(customer(), { idempotencyKey: 'k3', fields: { Level__c: 'Lukewarm' } }), 'Level__c', 'TEMPLATE_OPTION'],
      [() => h.adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k4', fields: { ActivityDate: 'some day' } }), 'ActivityDate', 'TEMPLATE_VALUE'],
      [() => h.adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'k5', fields: { Rate__c: 'high' } }), 'Rate__c', 'TEMPLATE_VALUE'],
    ];
    for (const [p, field, code] of cases) {
      const e = await failure(p());
      expect(e, field).toMatchObject({ kind: 'validation', vendorCode: code });
      expect(e!.message).toContain(field);
    }
    expect(writes(h)).toEqual([]);
  });

  it('a field the org does not have reaches Salesforce and comes back as INVALID_FIELD validation naming it (Lead, Task, Opportunity)', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k0' });
    h.emu.control.clearLog();
    const e1 = await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k1', fields: { Wechat__c: 'wxm' } }));
    expect(e1).toMatchObject({ kind: 'validation', vendorCode: 'INVALID_FIELD' });
    expect(e1!.message).toContain("No such column 'Wechat__c' on sobject of type Lead");
    const e2 = await failure(h.adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k2', fields: { Mood__c: 'x' } }));
    expect(e2).toMatchObject({ kind: 'validation', vendorCode: 'INVALID_FIELD' });
    const e3 = await failure(h.adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'k3', fields: { Branch__c: 'x' } }));
    expect(e3).toMatchObject({ kind: 'validation', vendorCode: 'INVALID_FIELD' });
    expect(writes(h).map((r) => `${r.api}:${r.status}`)).toEqual(['sobject.upsert:400', 'sobject.upsert:400', 'sobject.upsert:400']);
    expect(h.emu.control.records('Lead')).toHaveLength(1);
  });
});

describe('Salesforce templates: listFields', () => {
  it('lists the createable fields of Lead, Task and Opportunity (custom ones with picklist values), without Liaison’s own; cached', async () => {
    const h = await ready();
    const list = await h.adapter.listFields();
    const names = (s: keyof typeof list) => list[s]!.map((f) => f.name);
    expect(names('customer')).toEqual(expect.arrayContaining(['LastName', 'Company', 'Email', 'MobilePhone', 'Status', 'Budget__c', 'Level__c']));
    for (const hidden of ['Id', 'Liaison_Id__c', 'Name', 'IsConverted']) expect(names('customer')).not.toContain(hidden);
    expect(list.customer!.find((f) => f.name === 'Level__c')).toEqual({ name: 'Level__c', label: '意向等级', type: 'picklist', options: ['Hot', 'Warm', 'Cold'] });
    expect(names('followUp')).toEqual(expect.arrayContaining(['Subject', 'ActivityDate', 'Outcome__c']));
    expect(names('followUp')).not.toContain('WhoId');
    expect(names('deal')).toEqual(expect.arrayContaining(['Name', 'StageName', 'CloseDate', 'Amount', 'Bank__c', 'Rate__c']));
    expect(names('deal')).not.toContain('Liaison_Id__c');
    const describes = () => h.emu.state.requests.filter((r) => r.api === 'sobject.describe').map((r) => r.path.replace(/^.*sobjects\//, ''));
    expect(describes()).toEqual(['Lead/describe', 'Task/describe', 'Opportunity/describe']);
    await h.adapter.listFields();
    await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1', fields: { Budget__c: 1 } });
    expect(describes()).toHaveLength(3);
  });

  it('a Contact connection lists Contact’s fields for the customer section', async () => {
    const h = await ready({ customerObject: 'Contact' });
    const list = await h.adapter.listFields();
    expect(list.customer!.map((f) => f.name)).toEqual(expect.arrayContaining(['LastName', 'Email', 'Budget__c']));
    expect(list.customer!.map((f) => f.name)).not.toContain('Company');
  });
});

describe('Salesforce emulator: describe and unknown fields', () => {
  it('describe: auth required, 404 NOT_FOUND for an unknown object, fields with labels, types, writability and picklist values', async () => {
    const h = await ready();
    const token = h.secrets.access_token!;
    expect(await raw(h.emu, 'GET', '/services/data/v60.0/sobjects/Lead/describe', undefined)).toMatchObject({ status: 401, body: [{ errorCode: 'INVALID_SESSION_ID' }] });
    expect(await raw(h.emu, 'GET', '/services/data/v60.0/sobjects/Widget__c/describe', token)).toMatchObject({ status: 404, body: [{ errorCode: 'NOT_FOUND' }] });
    const d = await raw(h.emu, 'GET', '/services/data/v60.0/sobjects/Lead/describe', token);
    expect(d.status).toBe(200);
    const field = (n: string) => d.body.fields.find((f: { name: string }) => f.name === n);
    expect(field('Level__c')).toMatchObject({ label: '意向等级', type: 'picklist', custom: true, createable: true, restrictedPicklist: true, picklistValues: [{ value: 'Hot', active: true }, { value: 'Warm' }, { value: 'Cold' }] });
    expect(field('Name')).toMatchObject({ createable: false, custom: false });
  });

  it('a write naming a field the object does not have is 400 INVALID_FIELD "No such column"; numbers are checked by type', async () => {
    const h = await ready();
    const token = h.secrets.access_token!;
    const r = await raw(h.emu, 'POST', '/services/data/v60.0/sobjects/Lead', token, { LastName: 'X', Company: 'Y', Nope__c: 1 });
    expect(r).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_FIELD', message: "No such column 'Nope__c' on sobject of type Lead" }] });
    const int = await raw(h.emu, 'POST', '/services/data/v60.0/sobjects/Lead', token, { LastName: 'X', Company: 'Y', Visits__c: 2.5 });
    expect(int).toMatchObject({ status: 400, body: [{ errorCode: 'JSON_PARSER_ERROR', fields: ['Visits__c'] }] });
    expect(h.emu.control.records('Lead')).toEqual([]);
  });
});
