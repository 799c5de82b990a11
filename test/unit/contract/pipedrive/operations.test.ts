// The Pipedrive adapter against the strict emulator, every request and reply checked against
// Pipedrive's own OpenAPI files (helpers.ts → openapi.ts): test connection, one-click custom
// fields, listFields, persons (create once by the Liaison key, find, update), notes, deals and
// task activities, and the read side (getCustomer with its marker, changes since, notes and
// deals read back with authors and Liaison's keys).
import { describe, expect, it } from 'vitest';
import { customer, deal, failure, followUp, harness } from './helpers';
import { pipedriveSpecs } from './openapi';

describe('Pipedrive spec check can fail', () => {
  it('flags what Pipedrive would refuse, and the overlay only lifts the recorded defects', async () => {
    const [v2, v1] = await pipedriveSpecs();
    const h = { 'x-api-token': 't', 'content-type': 'application/json' };
    expect(v2!.check('POST', 'http://x/api/v2/persons', { name: 'A' }, h).errors).toEqual([]);
    expect(v2!.check('POST', 'http://x/api/v2/persons', { emails: 'a@b' }, h).errors.join('\n')).toMatch(/required property 'name'[\s\S]*emails: must be array/);
    expect(v2!.check('GET', 'http://x/api/v2/persons?sort_by=name', undefined, h).errors).toEqual([expect.stringContaining('query sort_by')]);
    expect(v2!.check('GET', 'http://x/api/v2/persons', undefined, {}).errors).toEqual([expect.stringContaining('credentials')]);
    expect(v1!.check('POST', 'http://x/v1/notes', { person_id: 1 }, h).errors).toEqual([expect.stringContaining("required property 'content'")]);
    expect(v1!.applied.map((p) => p.id)).toEqual(['v1-token-header']);
  });
});

describe('Pipedrive adapter: connection and fields', () => {
  it('verify names the user and the company; a wrong token is auth with the next step', async () => {
    const h = await harness();
    expect(await h.adapter.verify()).toEqual({ account: '李娜 <li.na@example.com> · 深圳联络贸易 (liaison-demo.pipedrive.com)' });
    const bad = await harness({ emulator: h.emu, token: 'not-the-token' });
    const e = await failure(bad.adapter.verify());
    expect(e).toMatchObject({ kind: 'auth', status: 401, vendorCode: '401' });
    expect(e!.userMessage.zh_CN).toContain('个人偏好设置');
    expect(e!.message).not.toContain('not-the-token');
  });

  it('prepare creates the Liaison key and code fields once; listFields lists custom fields but not the key', async () => {
    const h = await harness();
    const first = await h.adapter.prepare();
    expect(first.created).toEqual(['person.Liaison key', 'person.Liaison 客户编号', 'deal.Liaison key']);
    expect(first.settings).toMatchObject({ person_key_field: expect.stringMatching(/^[0-9a-f]{40}$/), deal_key_field: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const again = await h.another().prepare();
    expect(again.created).toEqual([]);
    expect(again.settings).toEqual(first.settings);
    const fields = await harness({ emulator: h.emu, settings: first.settings }).then((x) => x.adapter.listFields());
    expect(fields.customer!.map((f) => f.label)).toEqual(['Name', 'Liaison 客户编号']);
    expect(fields.deal!.map((f) => f.name)).toEqual(['title', 'value']);
  });
});

describe('Pipedrive adapter: writes', () => {
  it('createCustomer makes one person with phones, email, the code and the key; a retry finds it', async () => {
    const h = await harness();
    const c = customer();
    const ref = await h.adapter.createCustomer(c, { idempotencyKey: 'k1' });
    expect(ref).toMatchObject({ remoteId: expect.stringMatching(/^\d+$/), remoteCode: 'KH2026-0001', marker: expect.any(String) });
    const p = h.emu.state.persons.get(Number(ref.remoteId))!;
    expect(p).toMatchObject({ name: '王小明', phones: [{ value: '+8613800138000', primary: true }], emails: [{ value: c.email, primary: true }] });
    expect(Object.values(p.custom_fields)).toEqual(expect.arrayContaining([c.id, 'KH2026-0001']));
    expect(await h.adapter.createCustomer(c, { idempotencyKey: 'k1' })).toMatchObject({ remoteId: ref.remoteId });
    expect(h.emu.state.persons.size).toBe(1);
  });

  it('findCustomers matches a national-format phone, the email, the code and the name', async () => {
    const h = await harness();
    await h.adapter.prepare();
    const c = customer();
    const ref = await h.adapter.createCustomer(c, { idempotencyKey: 'k' });
    const other = h.emu.control.addPerson({ name: '张伟', phones: ['138 0013 8000'] });
    h.emu.control.addPerson({ name: '无关', phones: ['139 1111 2222'] });
    const found = await h.adapter.findCustomers({ phone: '+8613800138000', email: c.email, code: 'KH2026-0001' });
    expect(found.map((f) => [f.remoteId, f.matchedBy.sort()])).toEqual([[ref.remoteId, ['code', 'email', 'phone']], [String(other), ['phone']]]);
    expect((await h.adapter.findCustomers({ name: '张伟' })).map((f) => f.remoteId)).toEqual([String(other)]);
  });

  it('updateCustomer PATCHes only the patched fields; a deleted person is not-found; a bad id is sent nowhere', async () => {
    const h = await harness();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    await h.adapter.updateCustomer(ref.remoteId, { phones: ['+8613900139000'] }, { idempotencyKey: 'u' });
    expect(h.emu.state.persons.get(Number(ref.remoteId))).toMatchObject({ name: '王小明', phones: [{ value: '+8613900139000' }] });
    h.emu.control.deletePerson(Number(ref.remoteId));
    expect(await failure(h.adapter.updateCustomer(ref.remoteId, { name: 'X' }, { idempotencyKey: 'u2' }))).toMatchObject({ kind: 'not-found', status: 404 });
    const before = h.emu.requests.length;
    expect(await failure(h.adapter.updateCustomer('abc', { name: 'X' }, { idempotencyKey: 'u3' }))).toMatchObject({ kind: 'validation' });
    expect(h.emu.requests.length).toBe(before);
  });

  it('addFollowUp makes one note at the follow-up time naming its Liaison id; createTask one task activity; createDeal one deal with the key', async () => {
    const h = await harness();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    const f = followUp();
    const n1 = await h.adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: 'n' });
    expect(await h.adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: 'n' })).toEqual(n1);
    const note = h.emu.state.notes.get(Number(n1.remoteId))!;
    expect(note).toMatchObject({ add_time: '2026-12-01 02:30:00', person_id: Number(ref.remoteId) });
    expect(note.content).toBe(`客户问了抵押贷利率 &lt;急&gt;<br>跟进方式：微信<br>跟进结果：有意向<br>下次行动：发方案<br>[Liaison ${f.id}]`);
    const task = { title: '回访王小明', dueAt: Date.UTC(2026, 11, 3, 1, 0), note: '带上方案' };
    const t1 = await h.adapter.createTask(ref.remoteId, task, { idempotencyKey: 't' });
    expect(await h.adapter.createTask(ref.remoteId, task, { idempotencyKey: 't' })).toEqual(t1);
    expect(h.emu.state.activities.get(Number(t1.remoteId))).toMatchObject({ type: 'task', subject: '回访王小明', due_date: '2026-12-03', due_time: '01:00', participants: [{ person_id: Number(ref.remoteId), primary: true }] });
    const d = deal({ status: '已放款' });
    const d1 = await h.adapter.createDeal(ref.remoteId, d, { idempotencyKey: 'd' });
    expect(await h.adapter.createDeal(ref.remoteId, d, { idempotencyKey: 'd' })).toEqual(d1);
    expect(h.emu.state.deals.get(Number(d1.remoteId))).toMatchObject({ title: '抵押贷 · 招商银行', value: 1_000_000, status: 'won', person_id: Number(ref.remoteId) });
    expect([h.emu.state.notes.size, h.emu.state.activities.size, h.emu.state.deals.size]).toEqual([1, 1, 1]);
  });

  it('template values: a custom field by key is written; Liaison\'s key field and unknown names are refused before sending', async () => {
    const h = await harness();
    const { settings } = await h.adapter.prepare();
    const res = await h.another().listFields();
    const code = res.customer!.find((f) => f.label === 'Liaison 客户编号')!.name;
    const c = customer({ code: undefined as unknown as string });
    const ref = await h.adapter.createCustomer(c, { idempotencyKey: 'k', fields: { [code]: 'VIP-7' } });
    expect(h.emu.state.persons.get(Number(ref.remoteId))!.custom_fields[code]).toBe('VIP-7');
    expect(await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k2', fields: { [String(settings.person_key_field)]: 'x' } }))).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
    expect(await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k3', fields: { 客户等级: 'A' } }))).toMatchObject({ kind: 'validation', vendorCode: 'UNKNOWN_FIELD' });
  });
});

describe('Pipedrive read side', () => {
  it('getCustomer reads the person with update_time as the marker; a colleague edit moves it; deleted is null', async () => {
    let t = Date.UTC(2026, 11, 5, 8, 0);
    const h = await harness({ emu: { now: () => t } });
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    const first = await h.adapter.getCustomer(ref.remoteId);
    expect(first).toEqual({ remoteId: ref.remoteId, remoteCode: 'KH2026-0001', marker: String(t), modifiedAt: t, fields: { name: '王小明', phones: ['+8613800138000'], email: expect.any(String), code: 'KH2026-0001' } });
    t += 5_000;
    h.emu.control.editPerson(Number(ref.remoteId), { phones: ['138 0013 8000'] });
    const second = await h.adapter.getCustomer(ref.remoteId);
    expect(second!.marker).toBe(String(t));
    expect(second!.fields.phones).toEqual(['+8613800138000']); // national form read as E.164
    h.emu.control.deletePerson(Number(ref.remoteId));
    expect(await h.adapter.getCustomer(ref.remoteId)).toBeNull();
    expect(await h.adapter.getCustomer('999999')).toBeNull();
  });

  it('changesSince returns exactly the persons updated since, across cursor pages; a forged page is refused', async () => {
    let t = Date.UTC(2026, 11, 5, 8, 0);
    const h = await harness({ emu: { now: () => t } });
    const old = h.emu.control.addPerson({ name: 'old' });
    t += 10_000;
    const since = t;
    const ids = [1, 2, 3, 4, 5].map((i) => h.emu.control.addPerson({ name: `P${i}` }));
    t += 1_000;
    h.emu.control.editPerson(old, { name: 'old, edited' });
    const seen: string[] = [];
    let page: string | undefined;
    let pages = 0;
    do {
      const r = await h.adapter.changesSince({ since, limit: 2, ...(page ? { page } : {}) });
      seen.push(...r.records.map((x) => x.remoteId));
      page = r.next;
      pages++;
    } while (page);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids, old].map(String));
    expect(await failure(h.adapter.changesSince({ since, page: 'not a cursor!' }))).toMatchObject({ kind: 'validation' });
  });

  it('listFollowUps: notes newest first with author and plain text; Liaison\'s own carry liaisonKey; listDeals with status and key', async () => {
    const h = await harness();
    await h.adapter.prepare();
    const ref = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    const mine = followUp({ at: Date.UTC(2026, 11, 1, 3, 0) });
    const myNote = await h.adapter.addFollowUp(ref.remoteId, mine, { idempotencyKey: 'n' });
    const theirs = h.emu.control.addNoteAsColleague(Number(ref.remoteId), '<p>客户说下周 <b>签约</b></p><p>&amp; 要发合同</p>', Date.UTC(2026, 11, 3, 9, 0));
    const list = await h.adapter.listFollowUps(ref.remoteId);
    expect(list).toEqual([
      { remoteId: String(theirs), at: Date.UTC(2026, 11, 3, 9, 0), content: '客户说下周 签约\n& 要发合同', by: '王强' },
      { remoteId: myNote.remoteId, at: mine.at, content: '客户问了抵押贷利率 <急>\n跟进方式：微信\n跟进结果：有意向\n下次行动：发方案', by: '李娜', liaisonKey: mine.id },
    ]);
    expect((await h.adapter.listFollowUps(ref.remoteId, { since: Date.UTC(2026, 11, 2) })).map((n) => n.remoteId)).toEqual([String(theirs)]);
    const d = deal();
    const myDeal = await h.adapter.createDeal(ref.remoteId, d, { idempotencyKey: 'd' });
    const theirDeal = h.emu.control.addDealAsColleague(Number(ref.remoteId), '续贷', 300_000, 'lost');
    const deals = await h.adapter.listDeals(ref.remoteId);
    expect(deals.map((x) => [x.remoteId, x.product, x.status, x.amount, x.liaisonKey])).toEqual(expect.arrayContaining([[myDeal.remoteId, '抵押贷 · 招商银行', '进行中', 1_000_000, d.id], [String(theirDeal), '续贷', '已取消', 300_000, undefined]]));
  });
});
