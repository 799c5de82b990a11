// Every port operation against the strict emulator: what is sent, what is stored, what comes back.
import { describe, expect, it } from 'vitest';
import { customer, deal, failure, followUp, harness, readyHarness } from './helpers';

describe('HubSpot adapter: operations', () => {
  it('verify names the portal; a token without contact scopes is auth naming them', async () => {
    const h = await harness();
    expect(await h.adapter.verify()).toEqual({ account: `HubSpot portal ${h.emu.state.portalId}` });
    expect(h.emu.state.requests.map((r) => r.api)).toEqual(['objects.list', 'token.info']);
    h.emu.control.setScopes(['crm.objects.contacts.read']);
    const e = await failure(h.adapter.verify());
    expect(e).toMatchObject({ kind: 'auth', vendorCode: 'MISSING_SCOPES' });
    expect(e!.userMessage.en).toContain('crm.objects.contacts.write');
  });

  it('prepare creates liaison_id (unique) and liaison_code on contacts and liaison_id on deals, once', async () => {
    const h = await harness();
    const first = await h.adapter.prepare();
    expect(first).toEqual({ settings: {}, created: ['contacts.liaison_id', 'contacts.liaison_code', 'deals.liaison_id'], problems: [], usable: true });
    expect(h.emu.state.properties.contacts.get('liaison_id')).toMatchObject({ hasUniqueValue: true, type: 'string' });
    const again = await h.another().prepare();
    expect(again.created).toEqual([]);
    expect(h.emu.state.propertiesCreated).toEqual(['contacts.liaison_id', 'contacts.liaison_code', 'deals.liaison_id']);
    expect(h.emu.state.requests.filter((r) => r.api === 'properties.create')).toHaveLength(3);
  });

  it('prepare without schema scopes reports the problems; not usable without contacts.liaison_id', async () => {
    const h = await harness({ emu: { scopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.deals.read', 'crm.objects.deals.write'] } });
    const r = await h.adapter.prepare();
    expect(r.usable).toBe(false);
    expect(r.created).toEqual([]);
    expect(r.problems).toEqual(['contacts.liaison_id (auth MISSING_SCOPES)', 'contacts.liaison_code (auth MISSING_SCOPES)', 'deals.liaison_id (auth MISSING_SCOPES)']);
  });

  it('createCustomer upserts by liaison_id = the customer id; the contact carries the mapped properties', async () => {
    const h = await readyHarness();
    const c = customer({ phones: ['+8613800138000', '+8613900139000'] });
    const ref = await h.adapter.createCustomer(c, { idempotencyKey: 'k1' });
    expect(ref).toEqual({ remoteId: expect.stringMatching(/^\d+$/), remoteCode: 'KH2026-0001' });
    const [stored] = h.emu.control.objects('contacts');
    expect(stored!.id).toBe(ref.remoteId);
    expect(stored!.properties).toMatchObject({ liaison_id: c.id, liaison_code: 'KH2026-0001', firstname: '王小明', phone: '+8613800138000', mobilephone: '+8613900139000', email: c.email, hs_lead_status: 'IN_PROGRESS' });
    expect(h.emu.state.requests.map((r) => r.api)).toEqual(['objects.batch_upsert']);
  });

  it('createCustomer creates the missing liaison_id property itself, then upserts', async () => {
    const h = await harness();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    expect(h.emu.control.objects('contacts').map((o) => o.id)).toEqual([ref.remoteId]);
    expect(h.emu.state.requests.map((r) => `${r.api}:${r.status}`)).toEqual([
      'objects.batch_upsert:400', 'properties.get:404', 'properties.create:201', 'properties.get:404', 'properties.create:201', 'properties.get:404', 'properties.create:201', 'objects.batch_upsert:200',
    ]);
  });

  it('409 on create (the email belongs to a contact Liaison did not make): links that contact, no duplicate', async () => {
    const h = await readyHarness();
    const existing = h.emu.control.addObject('contacts', { email: 'boss@acme.cn', firstname: 'Boss' });
    const ref = await h.adapter.createCustomer(customer({ email: 'Boss@acme.cn' }), { idempotencyKey: 'k' });
    expect(ref.remoteId).toBe(existing);
    expect(h.emu.control.objects('contacts')).toHaveLength(1);
    expect(h.emu.state.requests.at(-1)).toMatchObject({ api: 'objects.batch_upsert', status: 207 });
  });

  it('without schema scopes, create falls back to POST /contacts, and its 409 "Existing ID" links the contact', async () => {
    const h = await harness({ emu: { scopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write'] } });
    const existing = h.emu.control.addObject('contacts', { email: 'boss@acme.cn' });
    const ref = await h.adapter.createCustomer(customer({ email: 'boss@acme.cn' }), { idempotencyKey: 'k' });
    expect(ref).toEqual({ remoteId: existing, remoteCode: 'KH2026-0001' });
    // liaison_code is missing too: refused (400), sent again without it, then the email's 409.
    expect(h.emu.state.requests.filter((r) => r.api === 'objects.create').map((r) => r.status)).toEqual([400, 409]);
    const fresh = await h.adapter.createCustomer(customer({ email: 'new@acme.cn' }), { idempotencyKey: 'k2' });
    expect(h.emu.control.objects('contacts').map((o) => o.id)).toEqual([existing, fresh.remoteId]);
  });

  it('findCustomers matches a national-format phone stored in mobilephone, the email, and the code; ≤ 5 groups in one search', async () => {
    const h = await readyHarness();
    const a = h.emu.control.addObject('contacts', { firstname: '王小明', mobilephone: '13800138000', liaison_code: 'KH1' });
    const b = h.emu.control.addObject('contacts', { firstname: 'Li', lastname: 'Lei', email: 'li@x.cn' });
    h.emu.control.addObject('contacts', { firstname: 'Other', phone: '+8613700137000' });
    const found = await h.adapter.findCustomers({ phone: '+86 138-0013-8000', email: 'LI@x.cn' });
    expect(found).toEqual([
      { remoteId: a, remoteCode: 'KH1', name: '王小明', phones: ['+8613800138000'], matchedBy: ['phone'], fields: { name: '王小明', phones: ['+8613800138000'], email: null, company: null, stage: null, code: 'KH1' } },
      { remoteId: b, name: 'Li Lei', phones: [], email: 'li@x.cn', matchedBy: ['email'], fields: { name: 'Li Lei', phones: null, email: 'li@x.cn', company: null, stage: null, code: null } },
    ]);
    expect((await h.adapter.findCustomers({ code: 'KH1' })).map((c) => c.remoteId)).toEqual([a]);
    expect(await h.adapter.findCustomers({})).toEqual([]);
    expect(h.emu.state.requests.map((r) => `${r.api}:${r.status}`)).toEqual(['objects.search:200', 'objects.search:200']);
  });

  it('findCustomers follows the search paging cursor', async () => {
    const h = await readyHarness();
    for (let i = 0; i < 130; i++) h.emu.control.addObject('contacts', { firstname: `C${i}`, liaison_code: 'SAME' });
    const found = await h.adapter.findCustomers({ code: 'SAME' });
    expect(found).toHaveLength(130);
    expect(h.emu.state.requests.filter((r) => r.api === 'objects.search')).toHaveLength(2);
  });

  it('updateCustomer PATCHes only the patched properties; a deleted contact is not-found; a taken email is conflict', async () => {
    const h = await readyHarness();
    const { remoteId } = await h.adapter.createCustomer(customer({ email: 'a@x.cn' }), { idempotencyKey: 'k' });
    await h.adapter.updateCustomer(remoteId, { stage: '成交', company: '' }, { idempotencyKey: 'u' });
    const props = h.emu.control.objects('contacts')[0]!.properties;
    expect(props).toMatchObject({ hs_lead_status: 'OPEN_DEAL', lifecyclestage: 'customer', firstname: '王小明' });
    expect(props.company).toBeUndefined();
    expect(await failure(h.adapter.updateCustomer('999999', { name: 'x' }, { idempotencyKey: 'u2' }))).toMatchObject({ kind: 'not-found', status: 404 });
    h.emu.control.addObject('contacts', { email: 'taken@x.cn' });
    const e = await failure(h.adapter.updateCustomer(remoteId, { email: 'taken@x.cn' }, { idempotencyKey: 'u3' }));
    expect(e).toMatchObject({ kind: 'conflict', status: 409 });
    expect(e!.message).not.toContain('taken@x.cn');
  });

  it('addFollowUp creates a note (hs_note_body, hs_timestamp) associated to the contact with type 202, once per follow-up', async () => {
    const h = await readyHarness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    const f = followUp({ content: '客户问了 <b>利率</b>' });
    const ref = await h.adapter.addFollowUp(remoteId, f, { idempotencyKey: 'f1' });
    const [note] = h.emu.control.objects('notes');
    expect(note!.id).toBe(ref.remoteId);
    expect(note!.properties.hs_timestamp).toBe(String(f.at));
    expect(note!.properties.hs_note_body).toContain('客户问了 &lt;b&gt;利率&lt;/b&gt;<br>跟进方式：微信<br>跟进结果：有意向');
    expect(h.emu.control.associationsOf('notes', ref.remoteId)).toEqual([{ toType: 'contacts', toId: remoteId, typeId: 202 }]);
    // The outbox replaying the same follow-up finds the note instead of adding a second.
    expect(await h.adapter.addFollowUp(remoteId, f, { idempotencyKey: 'f1' })).toEqual(ref);
    expect(h.emu.control.objects('notes')).toHaveLength(1);
    await h.adapter.addFollowUp(remoteId, followUp({ at: f.at + 1 }), { idempotencyKey: 'f2' });
    expect(h.emu.control.objects('notes')).toHaveLength(2);
  });

  it('createTask creates a NOT_STARTED task due at hs_timestamp, associated with type 204, once', async () => {
    const h = await readyHarness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    const task = { title: '跟进 王小明', dueAt: Date.UTC(2026, 2, 6, 2), note: '发方案' };
    const ref = await h.adapter.createTask(remoteId, task, { idempotencyKey: 't1' });
    const [t] = h.emu.control.objects('tasks');
    expect(t!.properties).toMatchObject({ hs_task_subject: '跟进 王小明', hs_task_status: 'NOT_STARTED', hs_timestamp: String(task.dueAt), hs_task_body: '发方案' });
    expect(h.emu.control.associationsOf('tasks', ref.remoteId)).toEqual([{ toType: 'contacts', toId: remoteId, typeId: 204 }]);
    await h.adapter.createTask(remoteId, task, { idempotencyKey: 't1' });
    expect(h.emu.control.objects('tasks')).toHaveLength(1);
  });

  it('createDeal upserts by deals.liaison_id in the default pipeline and associates deal→contact (type 3), once', async () => {
    const h = await readyHarness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    const d = deal();
    const ref = await h.adapter.createDeal(remoteId, d, { idempotencyKey: 'd1' });
    const [stored] = h.emu.control.objects('deals');
    expect(stored!.properties).toMatchObject({ dealname: '抵押贷 · 招商银行', amount: '1000000', pipeline: 'default', dealstage: 'closedwon', liaison_id: d.id });
    expect(h.emu.control.associationsOf('deals', ref.remoteId)).toEqual([{ toType: 'contacts', toId: remoteId, typeId: 3 }]);
    expect(await h.adapter.createDeal(remoteId, d, { idempotencyKey: 'd1' })).toEqual(ref);
    expect(h.emu.control.objects('deals')).toHaveLength(1);
    expect(h.emu.control.associationsOf('deals', ref.remoteId)).toHaveLength(1);
  });

  it('notes/tasks/deals for a contact id that is not a number are validation, sent nowhere', async () => {
    const h = await readyHarness();
    expect(await failure(h.adapter.addFollowUp('rec123', followUp(), { idempotencyKey: 'x' }))).toMatchObject({ kind: 'validation' });
    expect(h.emu.state.requests).toHaveLength(0);
  });

  it('batchCreateCustomers: 207 multi-status → per-item results (ok, linked on conflict, validation with the reason), in order', async () => {
    const h = await readyHarness();
    const existing = h.emu.control.addObject('contacts', { email: 'boss@acme.cn' });
    const items = [
      customer({ name: 'A' }),
      customer({ name: 'B', email: 'not-an-email' }),
      customer({ name: 'C', email: 'boss@acme.cn' }),
      customer({ name: 'D' }),
    ].map((c, i) => ({ customer: c, idempotencyKey: `b${i}` }));
    const results = await h.adapter.batchCreateCustomers(items);
    expect(h.emu.state.requests.at(-1)).toMatchObject({ api: 'objects.batch_upsert', status: 207, inputs: 4 });
    expect(results.map((r) => r.ok)).toEqual([true, false, true, true]);
    const bad = results[1]!;
    if (bad.ok) throw new Error('expected a failure');
    expect(bad.error).toMatchObject({ kind: 'validation', vendorCode: 'INVALID_EMAIL' });
    expect(bad.error.message).toContain('email: INVALID_EMAIL');
    expect(bad.error.message).not.toContain('not-an-email');
    expect(results[2]).toEqual({ ok: true, ref: { remoteId: existing, remoteCode: 'KH2026-0001' } });
    const byName = new Map(h.emu.control.objects('contacts').map((o) => [o.properties.firstname, o.id]));
    expect(results[0]).toEqual({ ok: true, ref: { remoteId: byName.get('A'), remoteCode: 'KH2026-0001' } });
    expect(results[3]).toEqual({ ok: true, ref: { remoteId: byName.get('D'), remoteCode: 'KH2026-0001' } });
    expect(h.emu.control.objects('contacts')).toHaveLength(3);
  });

  it('batchCreateCustomers sends ≤ 100 inputs per call and a retried batch creates nothing new', async () => {
    const h = await readyHarness();
    const items = Array.from({ length: 230 }, (_, i) => ({ customer: customer({ name: `N${i}`, code: `KH${i}` }), idempotencyKey: `k${i}` }));
    const results = await h.adapter.batchCreateCustomers(items);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(h.emu.state.requests.map((r) => r.inputs)).toEqual([100, 100, 30]);
    expect(h.emu.control.objects('contacts')).toHaveLength(230);
    const again = await h.adapter.batchCreateCustomers(items);
    expect(again.map((r) => (r.ok ? r.ref.remoteId : ''))).toEqual(results.map((r) => (r.ok ? r.ref.remoteId : '')));
    expect(h.emu.control.objects('contacts')).toHaveLength(230);
  });

  it('a mapping to a property HubSpot lacks is validation naming the property, not the value', async () => {
    const h = await readyHarness({ settings: { mapping: { customer: { wechatId: 'wechat_id' } } } });
    const e = await failure(h.adapter.createCustomer(customer({ wechatId: 'wxid_secret' }), { idempotencyKey: 'k' }));
    expect(e).toMatchObject({ kind: 'validation', vendorCode: 'PROPERTY_DOESNT_EXIST', status: 400 });
    expect(e!.message).toContain('wechat_id: PROPERTY_DOESNT_EXIST');
    expect(e!.message).not.toContain('wxid_secret');
    expect(e!.userMessage.zh_CN).toContain('wechat_id');
  });
});
