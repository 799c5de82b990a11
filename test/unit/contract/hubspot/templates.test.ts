// The user's template mapping (WriteOptions.fields) against the strict emulator: values land in
// the portal's own properties typed as HubSpot checks them, override the adapter's defaults,
// never touch liaison_id, and listFields shows what a template may write.
import { describe, expect, it } from 'vitest';
import type { PropDef } from '../../../emulators/hubspot';
import { customer, deal, failure, followUp, raw, readyHarness } from './helpers';

type Harness = Awaited<ReturnType<typeof readyHarness>>;

/** Custom properties an admin made in the portal. */
function addCustomProperties(h: Harness) {
  const props = h.emu.state.properties;
  const def = (d: Omit<PropDef, 'groupName' | 'custom'>): PropDef => ({ groupName: 'liaison', custom: true, ...d });
  props.contacts.set('loan_amount', def({ name: 'loan_amount', label: '意向金额', type: 'number', fieldType: 'number' }));
  props.contacts.set('first_contact', def({ name: 'first_contact', label: '首次联系', type: 'datetime', fieldType: 'date' }));
  props.contacts.set('intent_level', def({ name: 'intent_level', label: '意向等级', type: 'enumeration', fieldType: 'select', options: ['hot', 'warm', 'cold'] }));
  props.notes.set('call_outcome', def({ name: 'call_outcome', label: '通话结果', type: 'enumeration', fieldType: 'select', options: ['connected', 'no_answer'] }));
  props.deals.set('loan_bank', def({ name: 'loan_bank', label: '放款银行', type: 'string', fieldType: 'text' }));
  props.deals.set('loan_rate', def({ name: 'loan_rate', label: '利率', type: 'number', fieldType: 'number' }));
}

async function ready() {
  const h = await readyHarness();
  addCustomProperties(h);
  return h;
}

const writes = (h: Harness) => h.emu.state.requests.filter((r) => ['objects.batch_upsert', 'objects.create', 'objects.update'].includes(r.api));

describe('HubSpot templates: values land typed', () => {
  it('customer: a number with separators, a written Chinese date and an option in another case arrive as HubSpot takes them', async () => {
    const h = await ready();
    const local = new Date(2026, 2, 5, 9, 30).getTime();
    await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1', fields: { loan_amount: '200,000', first_contact: '2026年3月5日 09:30', intent_level: 'HOT' } });
    const [stored] = h.emu.control.objects('contacts');
    expect(stored!.properties).toMatchObject({ loan_amount: '200000', first_contact: String(local), intent_level: 'hot', firstname: '王小明' });
  });

  it('follow-up (note) and deal: custom properties get the rendered values', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1' });
    const note = await h.adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k2', fields: { call_outcome: 'connected' } });
    expect(h.emu.control.objects('notes').find((n) => n.id === note.remoteId)!.properties).toMatchObject({ call_outcome: 'connected' });
    const d = await h.adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'k3', fields: { loan_bank: '招商银行 深圳分行', loan_rate: 3.65 } });
    expect(h.emu.control.objects('deals').find((x) => x.id === d.remoteId)!.properties).toMatchObject({ loan_bank: '招商银行 深圳分行', loan_rate: '3.65' });
  });

  it('updateCustomer and batchCreateCustomers carry template values too; a bad item fails alone', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1' });
    await h.adapter.updateCustomer(ref.remoteId, { stage: '谈判中' }, { idempotencyKey: 'k2', fields: { intent_level: 'warm' } });
    expect(h.emu.control.objects('contacts')[0]!.properties.intent_level).toBe('warm');
    const results = await h.adapter.batchCreateCustomers([
      { customer: customer(), idempotencyKey: 'b1', fields: { loan_amount: 5 } },
      { customer: customer(), idempotencyKey: 'b2', fields: { loan_amount: 'lots' } },
    ]);
    expect(results[0]).toMatchObject({ ok: true });
    expect(results[1]).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expect((results[1] as { error: Error }).error.message).toContain('loan_amount');
    expect(h.emu.control.objects('contacts').map((o) => o.properties.loan_amount).filter(Boolean)).toEqual(['5']);
  });
});

describe('HubSpot templates: override, reserved, conversion, unknown properties', () => {
  it('a template value replaces what the adapter maps for the same property (contact, note, deal)', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1', fields: { firstname: '王先生' } });
    expect(h.emu.control.objects('contacts')[0]!.properties.firstname).toBe('王先生');
    const f = followUp();
    const note = await h.adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: 'k2', fields: { hs_note_body: '【电话】客户想了解利率' } });
    // The templated body, with Liaison's marker line (the follow-up's id) still after it.
    expect(h.emu.control.objects('notes').find((n) => n.id === note.remoteId)!.properties.hs_note_body).toBe(`【电话】客户想了解利率<br>[Liaison ${f.id}]`);
    const d = await h.adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'k3', fields: { dealname: '抵押贷 - 王先生', amount: '1,500,000' } });
    expect(h.emu.control.objects('deals').find((x) => x.id === d.remoteId)!.properties).toMatchObject({ dealname: '抵押贷 - 王先生', amount: '1500000' });
  });

  it('a templated hs_timestamp becomes epoch ms, so a retried note finds the first one by it', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1' });
    const fields = { hs_timestamp: '2026-03-06T08:00:00.000Z' };
    const a = await h.adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k2', fields });
    const b = await h.another().addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k2', fields });
    expect(b.remoteId).toBe(a.remoteId);
    expect(h.emu.control.objects('notes')).toHaveLength(1);
    expect(h.emu.control.objects('notes')[0]!.properties.hs_timestamp).toBe(String(Date.UTC(2026, 2, 6, 8)));
  });

  it('liaison_id (and hs_object_id) are refused as reserved, before anything is sent', async () => {
    const h = await ready();
    const e1 = await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k1', fields: { liaison_id: 'mine' } }));
    expect(e1).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
    expect(e1!.message).toContain('liaison_id');
    const e2 = await failure(h.adapter.createDeal('51001', deal(), { idempotencyKey: 'k2', fields: { liaison_id: 'x' } }));
    expect(e2).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
    const e3 = await failure(h.adapter.addFollowUp('51001', followUp(), { idempotencyKey: 'k3', fields: { hs_object_id: '1' } }));
    expect(e3).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
    expect(h.emu.state.requests).toEqual([]);
  });

  it('a value that cannot become the property type is refused naming the property (number, option, datetime), nothing written', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k0' });
    h.emu.control.clearLog();
    const num = await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k1', fields: { loan_amount: 'abc' } }));
    expect(num).toMatchObject({ kind: 'validation', vendorCode: 'TEMPLATE_VALUE' });
    expect(num!.message).toContain('loan_amount');
    const option = await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k2', fields: { intent_level: '很高' } }));
    expect(option).toMatchObject({ kind: 'validation', vendorCode: 'TEMPLATE_OPTION' });
    expect(option!.userMessage.en).toContain('hot, warm, cold');
    const when = await failure(h.adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k3', fields: { hs_timestamp: 'next Tuesday' } }));
    expect(when).toMatchObject({ kind: 'validation' });
    expect(when!.message).toContain('hs_timestamp');
    const rate = await failure(h.adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'k4', fields: { loan_rate: '3.6%' } }));
    expect(rate!.message).toContain('loan_rate');
    expect(writes(h)).toEqual([]);
  });

  it('a property the portal does not have reaches HubSpot and comes back as validation naming it (contact, note, deal)', async () => {
    const h = await ready();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k0' });
    const c = await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k1', fields: { wechat_id_typo: 'wxm' } }));
    expect(c).toMatchObject({ kind: 'validation', vendorCode: 'PROPERTY_DOESNT_EXIST' });
    expect(c!.message).toContain('wechat_id_typo');
    const n = await failure(h.adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: 'k2', fields: { no_such_note_prop: 'x' } }));
    expect(n).toMatchObject({ kind: 'validation', vendorCode: 'PROPERTY_DOESNT_EXIST' });
    const d = await failure(h.adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'k3', fields: { no_such_deal_prop: 'x' } }));
    expect(d).toMatchObject({ kind: 'validation', vendorCode: 'PROPERTY_DOESNT_EXIST' });
    expect(h.emu.state.requests.filter((r) => r.status === 400).map((r) => r.api)).toEqual(['objects.batch_upsert', 'objects.create', 'objects.batch_upsert']);
  });
});

describe('HubSpot templates: listFields', () => {
  it('lists the writable properties of contacts, notes and deals (custom ones too), without Liaison’s own or read-only ones; cached', async () => {
    const h = await ready();
    const list = await h.adapter.listFields();
    const names = (s: keyof typeof list) => list[s]!.map((f) => f.name);
    expect(names('customer')).toEqual(expect.arrayContaining(['firstname', 'email', 'phone', 'liaison_code', 'loan_amount', 'intent_level']));
    expect(names('customer')).not.toContain('liaison_id');
    expect(names('customer')).not.toContain('hs_object_id');
    expect(names('customer')).not.toContain('createdate');
    expect(list.customer!.find((f) => f.name === 'intent_level')).toEqual({ name: 'intent_level', label: '意向等级', type: 'enumeration', options: ['hot', 'warm', 'cold'] });
    expect(names('followUp')).toEqual(expect.arrayContaining(['hs_note_body', 'hs_timestamp', 'call_outcome']));
    expect(names('deal')).toEqual(expect.arrayContaining(['dealname', 'amount', 'dealstage', 'loan_bank']));
    expect(names('deal')).not.toContain('liaison_id');
    expect(h.emu.state.requests.map((r) => r.path)).toEqual(['/crm/v3/properties/contacts', '/crm/v3/properties/notes', '/crm/v3/properties/deals']);
    // Within five minutes the editor's next call, and a templated write, ask nothing again.
    await h.adapter.listFields();
    await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1', fields: { loan_amount: 1 } });
    expect(h.emu.state.requests.filter((r) => r.api === 'properties.list')).toHaveLength(3);
  });

  it('without the deals scope the deal section is left out ("not known"); without contact scopes it fails as auth', async () => {
    const h = await ready();
    h.emu.control.setScopes(['crm.objects.contacts.read', 'crm.objects.contacts.write']);
    const list = await h.adapter.listFields();
    expect(Object.keys(list).sort()).toEqual(['customer', 'followUp']);
    h.emu.control.setScopes([]);
    expect(await failure(h.another().listFields())).toMatchObject({ kind: 'auth' });
  });
});

describe('HubSpot emulator: properties list', () => {
  it('GET /crm/v3/properties/{type}: auth required, every property with HubSpot’s shape, 400 for an unknown object type', async () => {
    const h = await ready();
    expect((await raw(h.emu, 'GET', '/crm/v3/properties/contacts', undefined, null)).status).toBe(401);
    const ok = await raw(h.emu, 'GET', '/crm/v3/properties/deals');
    expect(ok.status).toBe(200);
    expect(ok.body.results.find((p: { name: string }) => p.name === 'loan_bank')).toMatchObject({ name: 'loan_bank', label: '放款银行', type: 'string', calculated: false, modificationMetadata: { readOnlyValue: false }, hubspotDefined: false });
    expect(ok.body.results.find((p: { name: string }) => p.name === 'hs_object_id')).toMatchObject({ modificationMetadata: { readOnlyValue: true } });
    const bad = await raw(h.emu, 'GET', '/crm/v3/properties/widgets');
    expect(bad).toMatchObject({ status: 400, body: { status: 'error', category: 'VALIDATION_ERROR', message: 'Unable to infer object type from: widgets' } });
    h.emu.control.setScopes(['crm.objects.contacts.read']);
    expect(await raw(h.emu, 'GET', '/crm/v3/properties/deals')).toMatchObject({ status: 403, body: { category: 'MISSING_SCOPES' } });
  });

  it('writes naming a property that does not exist are refused: 400 VALIDATION_ERROR PROPERTY_DOESNT_EXIST (note, deal upsert)', async () => {
    const h = await ready();
    const note = await raw(h.emu, 'POST', '/crm/v3/objects/notes', { properties: { hs_timestamp: '1772672400000', nope: 'x' } });
    expect(note).toMatchObject({ status: 400, body: { category: 'VALIDATION_ERROR', errors: [{ code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: ['nope'] } }] } });
    const d = await raw(h.emu, 'POST', '/crm/v3/objects/deals/batch/upsert', { inputs: [{ idProperty: 'liaison_id', id: 'd1', properties: { dealname: 'x', dealstage: 'qualifiedtobuy', nope: 'x' } }] });
    expect(d).toMatchObject({ status: 400, body: { category: 'VALIDATION_ERROR' } });
    expect(h.emu.control.objects('deals')).toEqual([]);
  });
});
