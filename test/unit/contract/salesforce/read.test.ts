// The read side against the emulated org: one customer with its marker, a colleague's edits,
// values converted back, follow-ups with author and Liaison's own key, changes since a time
// across several query cursor pages (and nothing else), deleted records, guarded updates, and
// classified failures. The org's clock is the test's: audit stamps are whole seconds, as in
// Salesforce, so every step that must look "later" moves the clock on.
import { describe, expect, it } from 'vitest';
import { CrmError } from '../../../../lib/crm/errors';
import type { RemoteCustomerRecord } from '../../../../lib/crm/port';
import { customer, failure, followUp, harness, raw } from './helpers';

const T0 = Date.UTC(2026, 11, 6, 8, 0, 0);
const stamp = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

async function org(o: { settings?: Record<string, unknown> } = {}) {
  const clock = { t: T0 };
  const h = await harness({ emu: { now: () => clock.t }, ...o });
  const colleague = h.emu.control.addUser('张伟');
  return { ...h, clock, colleague, tick: (ms = 1000) => void (clock.t += ms) };
}

describe('Salesforce read side: getCustomer', () => {
  it('reads a Lead in Liaison terms with LastModifiedDate as the marker and SystemModstamp as modifiedAt', async () => {
    const h = await org();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k-read' });
    h.emu.control.clearLog();
    const r = await h.adapter.getCustomer(remoteId);
    expect(r).toEqual({
      remoteId,
      marker: String(T0),
      modifiedAt: T0,
      fields: { name: '王小明', company: null, phones: ['+8613800138000'], email: 'wang@example.com', source: '抖音', notes: '想了解利率' },
      // 跟进中 was written as Working - Contacted, which four stages share: not guessed back.
      unreadable: ['stage'],
    });
    expect(h.emu.state.requests.map((x) => `${x.method} ${x.api} ${x.status}`)).toEqual(['GET sobject.get 200']);
  });

  it("a colleague's edit moves the marker and comes back converted; automated updates and new Tasks move only modifiedAt", async () => {
    const h = await org();
    const { remoteId } = await h.adapter.createCustomer(customer({ stage: '新客户' }), { idempotencyKey: 'k-edit' });
    const before = (await h.adapter.getCustomer(remoteId))!;
    expect(before.fields.stage).toBe('新客户');

    h.tick(60_000);
    h.emu.control.as(h.colleague).update(remoteId, { FirstName: 'Xiaoming', LastName: 'Wang', Company: 'ACME 贸易', Status: 'Closed - Not Converted', MobilePhone: '138 0013 8001', Phone: '(020) 8888-1234', Email: null });
    const after = (await h.adapter.getCustomer(remoteId))!;
    expect(after.marker).toBe(String(T0 + 60_000));
    expect(after.marker).not.toBe(before.marker);
    expect(after.fields).toMatchObject({ name: 'Xiaoming Wang', company: 'ACME 贸易', stage: '流失', phones: ['+8613800138001', '+862088881234'], email: null });
    expect(after.unreadable).toBeUndefined();

    h.tick(60_000);
    h.emu.control.touchSystem(remoteId);
    h.tick(60_000);
    await h.adapter.addFollowUp(remoteId, followUp(), { idempotencyKey: 'f-touch' });
    const touched = (await h.adapter.getCustomer(remoteId))!;
    expect(touched.marker).toBe(after.marker);
    expect(touched.modifiedAt).toBe(T0 + 180_000);
  });

  it('converts mapped custom fields back: picklist, currency, date vs datetime, multi-select; what does not fit is named, not guessed', async () => {
    const mapping = { customer: { grade: 'Grade__c', amount: 'Budget__c', nextFollowUpAt: 'Next__c', tags: 'Tags__c', intentLevel: 'Intent__c', code: 'Code__c' } };
    const h = await org({ settings: { mapping } });
    const add = h.emu.control.addField;
    add('Lead', 'Grade__c', { type: 'picklist', values: ['重点客户', '潜在客户'] });
    add('Lead', 'Budget__c', { type: 'currency' });
    add('Lead', 'Next__c', { type: 'date' });
    add('Lead', 'NextAt__c', { type: 'datetime' });
    add('Lead', 'Tags__c', { type: 'multipicklist', values: ['VIP', '老客户', '转介绍'] });
    add('Lead', 'Intent__c', { type: 'string', length: 10 });
    add('Lead', 'Code__c', { type: 'string', length: 20 });
    const id = h.emu.control.as(h.colleague).insert('Lead', {
      LastName: '李雷', Company: '李雷', Grade__c: '重点客户', Budget__c: 250000.5, Next__c: '2026-12-09', Tags__c: 'VIP;转介绍', Intent__c: 'Hot', Code__c: 'KH2025001',
    });
    const r = (await h.adapter.getCustomer(id))!;
    expect(r.remoteCode).toBe('KH2025001');
    expect(r.fields).toMatchObject({ name: '李雷', company: null, grade: '重点客户', amount: 250000.5, nextFollowUpAt: new Date(2026, 11, 9).getTime(), tags: ['VIP', '转介绍'], code: 'KH2025001', phones: [] });
    expect(r.unreadable).toEqual(['intentLevel']); // 'Hot' is none of 高/中/低
    expect('intentLevel' in r.fields).toBe(false);

    // A datetime field (…T…+0000) reads as its instant.
    const h2 = await org({ settings: { mapping: { customer: { nextFollowUpAt: 'NextAt__c' } } } });
    h2.emu.control.addField('Lead', 'NextAt__c', { type: 'datetime' });
    const id2 = h2.emu.control.seed('Lead', { LastName: 'x', Company: 'y', NextAt__c: '2026-12-09T01:30:00.000Z' });
    expect((await h2.adapter.getCustomer(id2))!.fields.nextFollowUpAt).toBe(Date.UTC(2026, 11, 9, 1, 30));
  });

  it('a Contact (found from a Lead connection) is read as a Contact: no Company or Status asked for', async () => {
    const h = await org();
    const id = h.emu.control.as(h.colleague).insert('Contact', { LastName: '张三', MobilePhone: '+86 138 0013 8000' });
    const r = (await h.adapter.getCustomer(id))!;
    expect(r.fields).toEqual({ name: '张三', phones: ['+8613800138000'], email: null, source: null, notes: null });
  });

  it('deleted (recycle bin: ENTITY_IS_DELETED) or never there (NOT_FOUND) → null; other failures are errors', async () => {
    const h = await org();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k-del' });
    h.emu.control.delete(remoteId);
    h.emu.control.clearLog();
    expect(await h.adapter.getCustomer(remoteId)).toBeNull();
    expect(h.emu.state.requests[0]).toMatchObject({ status: 404, errorCode: 'ENTITY_IS_DELETED' });
    expect(await h.adapter.getCustomer('00Q000000000000AAA')).toBeNull();
    expect(h.emu.state.requests[1]).toMatchObject({ status: 404, errorCode: 'NOT_FOUND' });
    // A mapped field the org does not have is the CRM's refusal, not "gone".
    const h2 = await org({ settings: { mapping: { customer: { grade: 'Nope__c' } } } });
    const id = h2.emu.control.seed('Lead', { LastName: 'x', Company: 'y' });
    expect(await failure(h2.adapter.getCustomer(id))).toMatchObject({ kind: 'validation', vendorCode: 'INVALID_FIELD' });
  });
});

describe('Salesforce read side: search candidates carry what the reply has', () => {
  it('findCustomers fills stage (and a mapped code) from the same SOQL/SOSL reply, with no extra request', async () => {
    const h = await org({ settings: { mapping: { customer: { code: 'Code__c' } } } });
    h.emu.control.addField('Lead', 'Code__c', { type: 'string', length: 20 });
    const lead = h.emu.control.as(h.colleague).insert('Lead', { LastName: '张伟', Company: '张伟', Email: 'zw@example.com', MobilePhone: '138 0013 8000', Status: 'Closed - Not Converted', Code__c: 'KH2025001' });
    const contact = h.emu.control.seed('Contact', { LastName: '张伟', Phone: '+86 13800138000' });
    h.emu.control.clearLog();
    const byEmail = await h.adapter.findCustomers({ email: 'zw@example.com' });
    expect(byEmail).toEqual([expect.objectContaining({ remoteId: lead, remoteCode: 'KH2025001', fields: { code: 'KH2025001', stage: '流失' } })]);
    const byPhone = await h.adapter.findCustomers({ phone: '+8613800138000' });
    expect(byPhone.find((c) => c.remoteId === lead)).toMatchObject({ fields: { code: 'KH2025001', stage: '流失' } });
    expect(byPhone.find((c) => c.remoteId === contact)?.fields).toBeUndefined(); // a Contact has neither
    expect(h.emu.state.requests.map((r) => r.api)).toEqual(['query', 'search']);
  });
});

describe('Salesforce read side: changesSince', () => {
  async function changed(h: Awaited<ReturnType<typeof org>>, since: number, limit?: number) {
    const pages: RemoteCustomerRecord[][] = [];
    let page: string | undefined;
    do {
      const r = await h.adapter.changesSince({ since, ...(page ? { page } : {}), ...(limit ? { limit } : {}) });
      pages.push(r.records);
      page = r.next;
    } while (page);
    return pages;
  }

  it('returns exactly the Leads saved (by anyone, or by an automated process) at or after `since`, over several cursor pages', async () => {
    const h = await org();
    const all = Array.from({ length: 450 }, (_, i) => h.emu.control.seed('Lead', { LastName: `L${i}`, Company: 'c' }));
    h.emu.control.seed('Contact', { LastName: 'not a Lead' });
    h.tick(59_000);
    h.emu.control.as(h.colleague).update(all[0]!, { Title: 'one second before since' });
    h.tick(1000);
    const since = h.clock.t;
    const edited = all.slice(10, 240);
    for (const id of edited) h.emu.control.as(h.colleague).update(id, { Status: 'Working - Contacted' });
    h.tick(5000);
    const created = h.emu.control.as(h.colleague).insert('Lead', { LastName: '新线索', Company: 'N' });
    h.emu.control.touchSystem(all[300]!);
    const gone = all[11]!;
    h.emu.control.delete(gone);
    h.emu.control.clearLog();

    const pages = await changed(h, since, 200);
    const ids = pages.flat().map((r) => r.remoteId);
    const expected = [...edited.filter((id) => id !== gone), created, all[300]!];
    expect(new Set(ids)).toEqual(new Set(expected));
    expect(ids).toHaveLength(expected.length); // each once
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]).toHaveLength(200);
    // Ordered by SystemModstamp: the edits, then the later insert and the automated touch.
    expect(pages.flat().map((r) => r.modifiedAt)).toEqual([...pages.flat().map((r) => r.modifiedAt!)].sort((a, b) => a - b));
    expect(pages.flat().find((r) => r.remoteId === all[300])).toMatchObject({ marker: String(T0), modifiedAt: since + 5000 });
    // The CRM filtered: one query and its cursor pages, far fewer rows than the org holds.
    expect(h.emu.state.requests.map((r) => r.api)).toEqual(['query', ...pages.slice(1).map(() => 'query.more')]);
    expect(h.emu.control.records('Lead').length).toBeGreaterThan(ids.length + 200);
  });

  it('the filter is on the second: `since` in the middle of a second still returns that second; a cursor Salesforce forgot restarts the read', async () => {
    const h = await org();
    const ids = Array.from({ length: 250 }, (_, i) => h.emu.control.seed('Lead', { LastName: `L${i}`, Company: 'c' }));
    for (let i = 0; i < 50; i++) h.emu.control.seed('Lead', { LastName: `untouched ${i}`, Company: 'c' });
    h.tick(10_000);
    for (const id of ids) h.emu.control.as(h.colleague).update(id, { Title: 'x' });
    const first = await h.adapter.changesSince({ since: h.clock.t + 999, limit: 200 });
    expect(first.records).toHaveLength(200);
    expect(first.next).toBeDefined();
    h.tick(16 * 60_000); // the cursor idles past 15 minutes
    h.emu.control.clearLog();
    // The restart reads from the token's `since` (not the call's): the 250 edited, not the 50 untouched.
    const again = await h.adapter.changesSince({ since: 0, page: first.next!, limit: 200 });
    expect(h.emu.state.requests.map((r) => `${r.api} ${r.status}`)).toEqual(['query.more 400', 'query 200']);
    const rest = await h.adapter.changesSince({ since: 0, page: again.next!, limit: 200 });
    expect(rest.next).toBeUndefined();
    expect(new Set([...again.records, ...rest.records].map((r) => r.remoteId))).toEqual(new Set(ids));
    expect(await failure(h.adapter.changesSince({ since: 0, page: 'https://evil.example/x' }))).toMatchObject({ kind: 'validation' });
  });
});

describe('Salesforce read side: listFollowUps', () => {
  it("completed Tasks newest first, with author and time; Liaison's own carry their key; open Tasks and other customers' are not follow-ups", async () => {
    const h = await org();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k-f' });
    const other = h.emu.control.seed('Lead', { LastName: 'other', Company: 'o' });
    const at = new Date(2026, 11, 4, 15, 30).getTime();
    await h.adapter.addFollowUp(remoteId, followUp({ at, by: '王芳', summary: '问利率', nextAt: new Date(2026, 11, 10).getTime() }), { idempotencyKey: 'f-ours' });
    await h.adapter.createTask(remoteId, { title: '回访', dueAt: T0 + 86_400_000 }, { idempotencyKey: 't-open' });
    h.tick(3600_000);
    const call = h.emu.control.as(h.colleague).insert('Task', { Subject: 'Call', Description: '客户说下周来面谈', Status: 'Completed', TaskSubtype: 'Call', ActivityDate: '2026-12-06', WhoId: remoteId });
    h.emu.control.as(h.colleague).insert('Task', { Subject: 'Call', Status: 'Completed', WhoId: other });
    h.emu.control.clearLog();

    const list = await h.adapter.listFollowUps(remoteId);
    expect(list).toHaveLength(2);
    const [theirs, ours] = list;
    expect(theirs).toEqual({ remoteId: call, at: T0 + 3600_000, content: 'Call\n客户说下周来面谈', method: '电话', by: '张伟' });
    expect(ours).toMatchObject({ method: '电话', result: '有意向', content: '客户问了抵押贷利率', nextAction: '发方案', by: '王芳', liaisonKey: 'f-ours', nextAt: new Date(2026, 11, 10).getTime() });
    // Logged on the 4th, synced on the 6th: the day it happened, at that day's local midnight.
    expect(ours!.at).toBe(new Date(2026, 11, 4).getTime());
    expect(h.emu.state.requests.map((r) => `${r.api} ${r.status}`)).toEqual(['query 200']);

    expect((await h.adapter.listFollowUps(remoteId, { since: T0 + 3600_000 })).map((f) => f.remoteId)).toEqual([call]);
    expect(await h.adapter.listFollowUps(remoteId, { limit: 1 })).toHaveLength(1);
  });

  it('an org without the external ID field on Task: follow-ups are still read, without keys', async () => {
    const h = await org();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k-nokey' });
    h.emu.control.setExternalIdField('Task', false);
    await h.adapter.addFollowUp(remoteId, followUp(), { idempotencyKey: 'f-nokey' });
    h.emu.control.clearLog();
    const list = await h.adapter.listFollowUps(remoteId);
    expect(list).toHaveLength(1);
    expect(list[0]!.liaisonKey).toBeUndefined();
    expect(h.emu.state.requests.map((r) => `${r.api} ${r.status}`)).toEqual(['query 200']); // the failed upsert already told the adapter
  });
});

describe('Salesforce read side: guarded updates (If-Unmodified-Since)', () => {
  it("an update guarded by the marker succeeds on an unchanged record and is refused (412 → conflict, nothing written) after a colleague's save", async () => {
    const h = await org();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k-g' });
    const read = (await h.adapter.getCustomer(remoteId))!;
    h.tick();
    await h.adapter.updateCustomer(remoteId, { notes: '第一次' }, { idempotencyKey: 'u1', ifMarker: read.marker! });
    const mine = (await h.adapter.getCustomer(remoteId))!;
    expect(mine.fields.notes).toBe('第一次');

    h.tick();
    h.emu.control.as(h.colleague).update(remoteId, { Description: '同事写的' });
    h.tick();
    h.emu.control.clearLog();
    const e = await failure(h.adapter.updateCustomer(remoteId, { notes: '覆盖？' }, { idempotencyKey: 'u2', ifMarker: mine.marker! }));
    expect(e).toBeInstanceOf(CrmError);
    expect(e).toMatchObject({ kind: 'conflict', status: 412 });
    expect(h.emu.state.requests.map((r) => `${r.api} ${r.status}`)).toEqual(['sobject.update 412']);
    expect(h.emu.control.records('Lead')[0]!.fields.Description).toBe('同事写的');

    // With the colleague's marker the same update goes through; an automated touch does not trip the guard.
    const fresh = (await h.adapter.getCustomer(remoteId))!;
    h.tick();
    h.emu.control.touchSystem(remoteId);
    await h.adapter.updateCustomer(remoteId, { notes: '看过同事的之后' }, { idempotencyKey: 'u3', ifMarker: fresh.marker! });
    expect(h.emu.control.records('Lead')[0]!.fields.Description).toBe('看过同事的之后');
  });

  it('the header has whole seconds: a save within the same second as the read is not seen (the documented weak validation)', async () => {
    const h = await org();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k-s' });
    const read = (await h.adapter.getCustomer(remoteId))!;
    h.emu.control.as(h.colleague).update(remoteId, { Description: 'same second' }); // clock not moved
    await h.adapter.updateCustomer(remoteId, { notes: 'ours' }, { idempotencyKey: 'u-s', ifMarker: read.marker! });
    expect(h.emu.control.records('Lead')[0]!.fields.Description).toBe('ours');
  });

  it('a marker that is not a time is refused before anything is sent; the emulator refuses a malformed header (400)', async () => {
    const h = await org();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k-m' });
    h.emu.control.clearLog();
    expect(await failure(h.adapter.updateCustomer(remoteId, { notes: 'x' }, { idempotencyKey: 'u', ifMarker: 'W/"etag"' }))).toMatchObject({ kind: 'validation' });
    expect(h.emu.state.requests).toEqual([]);
    const res = await fetch(`${h.emu.url}/services/data/v60.0/sobjects/Lead/${remoteId}`, {
      method: 'PATCH', headers: { authorization: `Bearer ${h.secrets.access_token}`, 'content-type': 'application/json', 'if-unmodified-since': '2026-12-06T08:00:00Z' }, body: '{"Description":"x"}',
    });
    expect(res.status).toBe(400);
    expect(h.emu.control.records('Lead')[0]!.fields.Description).toBe('想了解利率');
  });
});

describe('Salesforce read side: failures are classified', () => {
  it('401 with no usable refresh → auth; spent allocation → rate-limited with a wait; 503 → retryable', async () => {
    const h = await org();
    const id = h.emu.control.seed('Lead', { LastName: 'x', Company: 'y' });
    h.emu.control.limitExceededFor(60_000);
    expect(await failure(h.adapter.getCustomer(id))).toMatchObject({ kind: 'rate-limited', vendorCode: 'REQUEST_LIMIT_EXCEEDED', retryAfterMs: 5 * 60_000 });
    h.tick(60_000);
    h.emu.control.failNext({ api: 'query', status: 503 });
    expect(await failure(h.adapter.changesSince({ since: 0 }))).toMatchObject({ kind: 'retryable' });
    h.emu.control.revokeRefreshTokens();
    h.emu.control.expireTokens();
    expect(await failure(h.adapter.listFollowUps(id))).toMatchObject({ kind: 'auth' });
  });

  it('malformed replies are clear CrmErrors, not crashes', async () => {
    const h = await org();
    const id = h.emu.control.seed('Lead', { LastName: 'x', Company: 'y' });
    h.emu.control.replyNext({ api: 'sobject.get', body: { Id: id, LastModifiedDate: 'yesterday', SystemModstamp: stamp(T0) } });
    expect(await failure(h.adapter.getCustomer(id))).toMatchObject({ kind: 'validation', message: expect.stringContaining('LastModifiedDate') });
    h.emu.control.replyNext({ api: 'sobject.get', body: '<html>maintenance</html>' });
    expect(await failure(h.adapter.getCustomer(id))).toMatchObject({ kind: 'validation' });
    h.emu.control.replyNext({ api: 'query', body: { totalSize: 5, done: false, records: [] } });
    expect(await failure(h.adapter.changesSince({ since: 0 }))).toMatchObject({ kind: 'validation', message: expect.stringContaining('nextRecordsUrl') });
    h.emu.control.replyNext({ api: 'query', body: { done: true, records: [{ Id: 'x', CreatedDate: 'soon' }] } });
    expect(await failure(h.adapter.listFollowUps(id))).toMatchObject({ kind: 'validation' });
  });
});

describe('Salesforce emulator: the read side is strict', () => {
  it('SOQL datetimes: unquoted with a zone; quoted → INVALID_FIELD, no zone or a bad date → MALFORMED_QUERY; inclusive >=', async () => {
    const h = await org();
    const id = h.emu.control.seed('Lead', { LastName: 'x', Company: 'y' });
    const soql = (q: string) => raw(h.emu, 'GET', `/services/data/v60.0/query?q=${encodeURIComponent(q)}`, h.secrets.access_token);
    expect(await soql(`SELECT Id FROM Lead WHERE SystemModstamp >= '2026-12-06T08:00:00Z'`)).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_FIELD' }] });
    expect(await soql('SELECT Id FROM Lead WHERE SystemModstamp >= 2026-12-06')).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_FIELD' }] });
    expect(await soql('SELECT Id FROM Lead WHERE SystemModstamp >= 2026-12-06T08:00:00')).toMatchObject({ status: 400, body: [{ errorCode: 'MALFORMED_QUERY' }] });
    expect(await soql('SELECT Id FROM Lead WHERE SystemModstamp >= 2026-13-06T08:00:00Z')).toMatchObject({ status: 400, body: [{ errorCode: 'MALFORMED_QUERY' }] });
    expect(await soql('SELECT Id FROM Lead WHERE SystemModstamp >= 2026-12-06 08:00:00Z')).toMatchObject({ status: 400, body: [{ errorCode: 'MALFORMED_QUERY' }] });
    expect(await soql('SELECT Id FROM Lead WHERE Email >= 2026-12-06T08:00:00Z')).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_FIELD' }] });
    expect(await soql('SELECT Id, Owner.Nope FROM Lead')).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_FIELD' }] });
    expect((await soql('SELECT Id FROM Lead WHERE SystemModstamp >= 2026-12-06T08:00:00Z')).body.records).toEqual([expect.objectContaining({ Id: id })]);
    expect((await soql('SELECT Id FROM Lead WHERE SystemModstamp >= 2026-12-06T16:00:01+08:00')).body.records).toEqual([]);
    expect((await soql('SELECT Id FROM Lead WHERE SystemModstamp > 2026-12-06T08:00:00Z')).body.records).toEqual([]);
    // Relationship fields are nested objects; stamps are whole seconds in the API's spelling.
    expect((await soql('SELECT Id, CreatedBy.Name, LastModifiedDate FROM Lead')).body.records[0]).toMatchObject({ CreatedBy: { attributes: { type: 'User' }, Name: 'Liaison User' }, LastModifiedDate: stamp(T0) });
  });

  it('paging: batchSize is held to 200–2000; done/nextRecordsUrl; a made-up locator is INVALID_QUERY_LOCATOR', async () => {
    const h = await org();
    for (let i = 0; i < 450; i++) h.emu.control.seed('Lead', { LastName: `L${i}`, Company: 'c' });
    const get = (path: string, batch?: string) =>
      fetch(`${h.emu.url}${path}`, { headers: { authorization: `Bearer ${h.secrets.access_token}`, ...(batch ? { 'sforce-query-options': batch } : {}) } }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const q = `/services/data/v60.0/query?q=${encodeURIComponent('SELECT Id FROM Lead')}`;
    const p1 = await get(q, 'batchSize=10');
    expect(p1.body).toMatchObject({ totalSize: 450, done: false, nextRecordsUrl: expect.stringMatching(/^\/services\/data\/v60\.0\/query\/01g\w{15}-200$/) });
    expect(p1.body.records).toHaveLength(200);
    const p2 = await get(p1.body.nextRecordsUrl);
    const p3 = await get(p2.body.nextRecordsUrl);
    expect([p2.body.records.length, p3.body.records.length, p3.body.done, p3.body.nextRecordsUrl]).toEqual([200, 50, true, undefined]);
    expect((await get(q)).body).toMatchObject({ done: true, totalSize: 450 });
    expect(await get('/services/data/v60.0/query/01gAAAAAAAAAAAAAAA-200')).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_QUERY_LOCATOR' }] });
  });
});
