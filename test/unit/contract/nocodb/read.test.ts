// The NocoDB read side (issue 15) against the strict emulator: one customer with its marker and
// converted fields, a colleague's edits, changes filtered by NocoDB on UpdatedAt/CreatedAt across
// pages, follow-ups and deals with author and Liaison's own key, codes NocoDB allocates (unique
// across two browsers), and error classification. test/integration/nocodb-read.test.ts proves
// the same against a real NocoDB 0.301.3.
import { describe, expect, it } from 'vitest';
import { CrmError } from '../../../../lib/crm/errors';
import type { Deal, FollowUp } from '../../../../lib/model';
import { nocoTime, parseWhere, type NocodbEmulator } from '../../../emulators/nocodb/index';
import { createNocodbAdapter } from '../../../../lib/crm/nocodb/adapter';
import { customer, HOST, key, rig } from './helpers';

async function caught(p: Promise<unknown>): Promise<CrmError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(CrmError);
  return e as CrmError;
}

async function ready() {
  const r = rig();
  await r.adapter.setupRecommendedTables();
  return r;
}

/** A raw data-API call as anyone holding the token would make it. */
async function raw(em: NocodbEmulator, path: string, params: Record<string, string> = {}, method = 'GET', body?: unknown) {
  const res = await em.fetch(`http://x/api/v2/tables/${path}?${new URLSearchParams(params)}`, {
    method,
    headers: { 'xc-token': em.token, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

let n = 0;
const followUp = (over: Partial<FollowUp> = {}): FollowUp => ({ id: `f-${++n}`, customerId: 'c', method: '电话', content: '约面谈', at: Date.UTC(2026, 11, 1, 2), origin: 'manual', messageIds: [], ...over });
const deal = (over: Partial<Deal> = {}): Deal => ({ id: `d-${++n}`, customerId: 'c', product: '抵押贷', amount: 1_000_000, status: '进行中', createdAt: 0, ...over });

describe('the emulator is as strict as NocoDB 0.301.3 about reads', () => {
  it('date filters need exactDate, compare to the second as SQLite text, and refuse what NocoDB refuses', async () => {
    const { em, adapter } = await ready();
    const t = em.tableByTitle('客户')!;
    await adapter.createCustomer(customer({ name: 'a' }), { idempotencyKey: key() });
    em.advance(10_000);
    await em.colleague.patch('客户', 1, { 姓名: 'a2' });
    const at = em.now(); // UpdatedAt of row 1, to the second
    const ids = async (where: string) => ((await raw(em, `${t.id}/records`, { where, fields: 'Id' })).body.list as { Id: number }[]).map((r) => r.Id);
    const iso = (ms: number) => nocoTime(ms);
    expect(await ids(`(UpdatedAt,ge,exactDate,${iso(at)})`)).toEqual([1]);
    expect(await ids(`(UpdatedAt,ge,exactDate,${iso(at + 999)})`)).toEqual([1]); // milliseconds dropped
    expect(await ids(`(UpdatedAt,ge,exactDate,${iso(at + 1000)})`)).toEqual([]);
    expect(await ids(`(UpdatedAt,gt,exactDate,${iso(at)})`)).toEqual([1]); // the stored text is longer
    expect(await ids(`(UpdatedAt,le,exactDate,${iso(at)})`)).toEqual([]);
    expect(await ids(`(UpdatedAt,ge,exactDate,2026-12-06 11:00:10+08:00)`)).toEqual([1]); // the offset is honoured
    expect(await ids(`(UpdatedAt,ge,exactDate,2026-12-06 11:00:11+08:00)`)).toEqual([]);
    expect((await raw(em, `${t.id}/records`, { where: `(UpdatedAt,ge,${iso(at)})` })).status).toBe(422);
    expect((await raw(em, `${t.id}/records`, { where: '(UpdatedAt,ge,exactDate,soon)' })).body).toMatchObject({ error: 'ERR_FILTER_VERIFICATION_FAILED' });
    expect((await raw(em, `${t.id}/records`, { where: '(Modified,ge,exactDate,2026-12-06)' })).body).toEqual({ msg: "Column alias 'Modified' not found." });
    expect((await raw(em, `${t.id}/records`, { where: '(姓名,foo,a)' })).body).toEqual({ msg: 'foo is not supported.' });
    expect(parseWhere('(UpdatedAt,ge,exactDate,2026-12-06 03:00:00+00:00)~or(CreatedAt,ge,exactDate,2026-12-06)')?.conds).toHaveLength(2);
  });

  it('UpdatedAt is null until the first edit, system user columns are hidden, paging is capped and refuses an offset past the end', async () => {
    const { em, adapter } = await ready();
    const t = em.tableByTitle('客户')!;
    for (let i = 0; i < 3; i++) await adapter.createCustomer(customer(), { idempotencyKey: key() });
    const one = (await raw(em, `${t.id}/records/1`)).body;
    expect(one).toMatchObject({ Id: 1, CreatedAt: '2026-12-06 03:00:00+00:00', UpdatedAt: null, 客户编号: 'KH000001', 跟进记录: 0 });
    expect(Object.keys(one)).not.toContain('nc_created_by');
    const page = (await raw(em, `${t.id}/records`, { limit: '5000', fields: 'Id' })).body;
    expect(page.pageInfo).toEqual({ totalRows: 3, page: 1, pageSize: 1000, isFirstPage: true, isLastPage: true });
    expect((await raw(em, `${t.id}/records`, { limit: '0' })).body.pageInfo).toMatchObject({ pageSize: 25 });
    expect((await raw(em, `${t.id}/records`, { offset: '3' })).body).toEqual({ error: 'ERR_INVALID_OFFSET_VALUE', message: "Offset value '3' is invalid" });
    expect((await raw(em, `${t.id}/records`, { sort: 'Modified' })).status).toBe(404);
  });

  it('a formula column is refused in an insert and ignored in a patch; the newest Id is given again after it is deleted (SQLite)', async () => {
    const { em, adapter } = await ready();
    const t = em.tableByTitle('客户')!;
    expect((await raw(em, `${t.id}/records`, {}, 'POST', { 姓名: 'x', 客户编号: 'KH999' })).body).toEqual({ msg: 'Column "客户编号" is virtual and cannot be updated' });
    const a = await adapter.createCustomer(customer(), { idempotencyKey: key() });
    const b = await adapter.createCustomer(customer(), { idempotencyKey: key() });
    expect((await raw(em, `${t.id}/records`, {}, 'PATCH', [{ Id: 1, 客户编号: 'KH999' }])).status).toBe(200);
    expect(em.view('客户', 1)).toMatchObject({ 客户编号: 'KH000001' });
    await em.colleague.remove('客户', Number(b.remoteId));
    const c = await adapter.createCustomer(customer(), { idempotencyKey: key() });
    expect([a.remoteCode, b.remoteCode, c.remoteCode]).toEqual(['KH000001', 'KH000002', 'KH000002']);
  });
});

describe('getCustomer', () => {
  it('reads a customer with its allocated code, marker and converted fields; a colleague’s edit changes both; deleted → null', async () => {
    const { em, adapter } = await ready();
    const c = customer({
      name: '张三', company: undefined, phones: ['+8613800138000'], product: '车贷', amount: 200_000, intentLevel: '高', stage: '已联系', tags: ['老客户', '转介绍'],
      nextFollowUpAt: Date.UTC(2026, 11, 9, 2, 30),
    });
    const ref = await adapter.createCustomer(c, { idempotencyKey: key() });
    expect(ref).toEqual({ remoteId: '1', remoteCode: 'KH000001', marker: String(em.now()) });
    const r = await adapter.getCustomer!(ref.remoteId);
    expect(r).toEqual({
      remoteId: '1',
      remoteCode: 'KH000001',
      marker: String(em.now()),
      modifiedAt: em.now(),
      fields: {
        code: 'KH000001', name: '张三', company: null, phones: ['+8613800138000'], wechatId: null, email: null, source: null, product: '车贷', amount: 200_000,
        intentLevel: '高', stage: '已联系', tags: ['老客户', '转介绍'], owner: null, keyword: null, notes: null, nextFollowUpAt: Date.UTC(2026, 11, 9, 2, 30),
      },
    });
    expect(r!.fields).not.toHaveProperty('grade'); // not mapped: absent, not null

    em.advance(65_000);
    await em.colleague.patch('客户', 1, { 客户阶段: '谈判中', 下次跟进: '2026-12-10 18:00:00+08:00', 电话: '138 0013 8000', 标签: null, 负责人: '李雷' });
    const after = await adapter.getCustomer!('1');
    expect(after!.marker).toBe(String(em.now()));
    expect(after!.marker).not.toBe(r!.marker);
    expect(after!.fields).toMatchObject({ stage: '谈判中', nextFollowUpAt: Date.UTC(2026, 11, 10, 10), phones: ['+8613800138000'], tags: null, owner: '李雷' });
    expect(after!.unreadable).toBeUndefined();

    // A value Liaison cannot read is left out and named, never guessed.
    em.advance(1000);
    await em.colleague.patch('客户', 1, { 电话: '请问' });
    const odd = await adapter.getCustomer!('1');
    expect(odd!.fields).not.toHaveProperty('phones');
    expect(odd!.unreadable).toEqual(['phones']);

    await em.colleague.remove('客户', 1);
    expect(await adapter.getCustomer!('1')).toBeNull();
  });

  it('a column the table lacks is absent; the search reply carries the candidate line', async () => {
    const { em, adapter, make } = await ready();
    await adapter.createCustomer(customer({ name: '王五', phones: ['+8613700137000'], stage: '跟进中', intentLevel: '中' }), { idempotencyKey: key() });
    const hits = await adapter.findCustomers({ phone: '+8613700137000' });
    expect(hits).toHaveLength(1);
    expect(hits[0]!.fields).toEqual({ code: 'KH000001', stage: '跟进中', intentLevel: '中', owner: null });
    const gets = em.requests.filter((q) => q.method === 'GET' && q.path.includes('/records')).length;
    expect(gets).toBe(2); // the create's read-back and the search: no extra request for the candidate line
    expect((await adapter.getCustomer!('1'))!.fields.owner).toBeNull(); // mapped and empty
    const t = em.tableByTitle('客户')!;
    t.columns = t.columns.filter((c) => c.title !== '负责人'); // the user deleted the column in NocoDB
    const r = await make().getCustomer!('1'); // a new instance reads the columns afresh
    expect(r!.fields).not.toHaveProperty('owner');
    expect(r!.fields.stage).toBe('跟进中');
  });
});

describe('changesSince', () => {
  it('returns exactly the customers modified or created at or after `since`, filtered by NocoDB, across pages', async () => {
    const { em, adapter } = await ready();
    const refs = [];
    for (let i = 0; i < 6; i++) refs.push(await adapter.createCustomer(customer({ name: `c${i}` }), { idempotencyKey: key() }));
    em.advance(60_000);
    await em.colleague.patch('客户', 1, { 客户阶段: '成交' }); // edited a minute later: before `since`
    em.advance(60_000);
    const since = em.now() + 400; // within the second of the next edits: NocoDB's times are to the second
    await em.colleague.patch('客户', 2, { 客户阶段: '跟进中' });
    await em.colleague.patch('客户', 4, { 负责人: '李雷' });
    await adapter.updateCustomer('5', { stage: '方案沟通' }, { idempotencyKey: key() });
    const fresh = await em.colleague.insert('客户', { 姓名: '新客户' }); // never edited: UpdatedAt null, CreatedAt ≥ since

    const seen: string[] = [];
    const pages: number[] = [];
    let page: string | undefined;
    do {
      const r = await adapter.changesSince!({ since, limit: 2, ...(page ? { page } : {}) });
      pages.push(r.records.length);
      for (const rec of r.records) {
        seen.push(rec.remoteId);
        expect(rec.marker).toBe(String(Math.floor(since / 1000) * 1000));
      }
      page = r.next;
    } while (page);
    expect(seen.sort()).toEqual(['2', '4', '5', String(fresh)].sort());
    expect(pages).toEqual([2, 2]);
    const reads = em.requests.filter((q) => q.method === 'GET' && q.path.endsWith('/records') && q.search.get('where')?.includes('exactDate'));
    expect(reads).toHaveLength(2);
    for (const q of reads) {
      expect(q.search.get('where')).toBe(`(UpdatedAt,ge,exactDate,${nocoTime(since)})~or(CreatedAt,ge,exactDate,${nocoTime(since)})`);
      expect(q.search.get('sort')).toBe('Id');
    }
    expect(reads.map((q) => q.search.get('offset'))).toEqual(['0', '2']);
    // Without the filter the table holds more: the test would fail on a read-everything adapter.
    expect(em.tableByTitle('客户')!.rows.length).toBeGreaterThan(seen.length);
    expect(refs.map((r) => r.remoteCode)).toEqual(['KH000001', 'KH000002', 'KH000003', 'KH000004', 'KH000005', 'KH000006']);
  });

  it('caps the page at 1000, refuses a foreign page token, and ends cleanly when rows vanished between pages', async () => {
    const { em, adapter } = await ready();
    for (let i = 0; i < 3; i++) await adapter.createCustomer(customer(), { idempotencyKey: key() });
    const first = await adapter.changesSince!({ since: 0, limit: 5000 });
    expect(first.records).toHaveLength(3);
    expect(first.next).toBeUndefined();
    expect(em.requests.at(-1)!.search.get('limit')).toBe('1000');
    expect((await caught(adapter.changesSince!({ since: 0, page: 'abc' }))).kind).toBe('validation');
    expect((await caught(adapter.changesSince!({ since: Number.NaN }))).kind).toBe('validation');
    const p1 = await adapter.changesSince!({ since: 0, limit: 2 });
    expect(p1.next).toBe('2');
    await em.colleague.remove('客户', 3);
    await em.colleague.remove('客户', 2);
    expect(await adapter.changesSince!({ since: 0, limit: 2, page: p1.next! })).toEqual({ records: [] });
  });
});

describe('the read plan outlives the worker (a pull from a cold service worker costs the changes page alone)', () => {
  it('a fresh adapter on the same connection reads changes with one request, and the page carries NocoDB’s clock', async () => {
    const { em, adapter, make } = await ready();
    for (let i = 0; i < 3; i++) await adapter.createCustomer(customer({ name: `p${i}` }), { idempotencyKey: key() });
    em.advance(5 * 60_000);
    await em.colleague.patch('客户', 2, { 客户阶段: '跟进中' });
    expect((await adapter.changesSince!({ since: em.now() - 1000 })).records.map((r) => r.remoteId)).toEqual(['2']);

    const cold = make(); // a new adapter instance: a worker the alarm woke, its memory empty
    const before = em.requests.length;
    const page = await cold.changesSince!({ since: em.now() - 1000 });
    const sent = em.requests.slice(before);
    expect(sent.map((q) => `${q.method} ${q.path.replace(/\/m\w+\//, '/{table}/')}`)).toEqual(['GET /api/v2/tables/{table}/records']);
    expect(page.records.map((r) => r.remoteId)).toEqual(['2']);
    expect(page.records[0]!.fields.stage).toBe('跟进中');
    // NocoDB's Date header, to the second, is what the puller may move its watermark to.
    // (plus the real milliseconds the adapter's clock, Date.now here, moved since that reply).
    expect(page.asOf! - Math.floor(em.now() / 1000) * 1000).toBeGreaterThanOrEqual(0);
    expect(page.asOf! - Math.floor(em.now() / 1000) * 1000).toBeLessThan(1000);

    // getCustomer from a cold worker: one request too.
    const before2 = em.requests.length;
    expect((await make().getCustomer!('3'))?.fields.name).toBe('p2');
    expect(em.requests.length - before2).toBe(1);
  });

  it('a plan NocoDB refuses (the table recreated in its UI) is rebuilt once and the read goes through; settings changes start a new plan', async () => {
    const { em, adapter, make } = await ready();
    await adapter.createCustomer(customer({ name: 'old' }), { idempotencyKey: key() });
    await adapter.changesSince!({ since: 0 }); // plan kept: the 客户 table's id
    const old = em.tableByTitle('客户')!;
    // The user deletes 客户 in NocoDB and lets setup create it again: a new table id.
    em.tables.delete(old.id);
    await make().setupRecommendedTables();
    const fresh = em.tableByTitle('客户')!;
    expect(fresh.id).not.toBe(old.id);
    await em.colleague.insert('客户', { 姓名: '新表的客户' });

    const before = em.requests.length;
    const page = await make().changesSince!({ since: 0 });
    expect(page.records.map((r) => r.fields.name)).toEqual(['新表的客户']);
    const sent = em.requests.slice(before);
    // The refused read, the table list, the new table's columns, the read again.
    expect(sent.map((q) => q.status)).toEqual([404, 200, 200, 200]);
    expect(sent[0]!.path).toContain(old.id);
    expect(sent[3]!.path).toContain(fresh.id);

    // A different mapping is a different plan: not taken from the state.
    const remapped = make({ mapping: { customer: { name: '姓名', notes: '补充说明' } } });
    const before3 = em.requests.length;
    await remapped.changesSince!({ since: 0 });
    expect(em.requests.slice(before3).some((q) => q.path.includes('/meta/'))).toBe(true);
  });

  it('a mangled reply is not taken for a stale plan: it fails once, clearly, with no second read', async () => {
    const { em, adapter, make } = await ready();
    await adapter.createCustomer(customer(), { idempotencyKey: key() });
    await adapter.changesSince!({ since: 0 });
    const cold = make();
    em.answerNext({ status: 200, body: { list: 'nope' } });
    const before = em.requests.length;
    const e = await caught(cold.changesSince!({ since: 0 }));
    expect(e.kind).toBe('validation');
    expect(em.requests.length - before).toBe(1);
  });
});

describe('follow-ups and deals', () => {
  it('lists a customer’s follow-ups newest first with author and time; Liaison’s own rows carry their key', async () => {
    const { em, adapter } = await ready();
    const a = await adapter.createCustomer(customer({ name: 'A' }), { idempotencyKey: key() });
    const b = await adapter.createCustomer(customer({ name: 'B' }), { idempotencyKey: key() });
    const mine = followUp({ method: '微信', content: '发了报价', result: '有意向', at: Date.UTC(2026, 11, 1, 2), by: '我', nextAction: '回访', nextAt: Date.UTC(2026, 11, 3, 1) });
    await adapter.addFollowUp(a.remoteId, mine, { idempotencyKey: key() });
    await adapter.addFollowUp(b.remoteId, followUp({ content: 'B 的' }), { idempotencyKey: key() });
    em.advance(3_600_000);
    // A colleague logs a call in NocoDB: 跟进人 filled; another row without 跟进人 or 跟进时间.
    await em.colleague.insert('跟进记录', { 跟进内容: '电话沟通，客户在考虑', 跟进方式: '电话', 跟进人: '李雷', 跟进时间: '2026-12-02 09:00:00+08:00', 客户: { Id: 1 } });
    await em.colleague.insert('跟进记录', { 跟进内容: '补记', 客户: { Id: 1 } });

    const list = await adapter.listFollowUps!(a.remoteId);
    expect(list.map((f) => f.content)).toEqual(['补记', '电话沟通，客户在考虑', '发了报价']);
    expect(list[0]).toEqual({ remoteId: '4', at: em.now() - (em.now() % 1000), content: '补记' });
    expect(list[1]).toEqual({ remoteId: '3', at: Date.UTC(2026, 11, 2, 1), content: '电话沟通，客户在考虑', method: '电话', by: '李雷' });
    expect(list[2]).toEqual({ remoteId: '1', at: mine.at, content: '发了报价', method: '微信', result: '有意向', nextAction: '回访', nextAt: mine.nextAt, by: '我', liaisonKey: mine.id });
    expect(await adapter.listFollowUps!(a.remoteId, { limit: 1 })).toHaveLength(1);
    // since: filtered by NocoDB on 跟进时间 / CreatedAt / UpdatedAt.
    const recent = await adapter.listFollowUps!(a.remoteId, { since: em.now() });
    expect(recent.map((f) => f.remoteId)).toEqual(['4', '3']);
    const q = em.requests.at(-1)!;
    expect(q.path).toMatch(/\/links\/[^/]+\/records\/1$/);
    expect(q.search.get('where')).toContain('(跟进时间,ge,exactDate,');
    expect((await caught(adapter.listFollowUps!('99'))).kind).toBe('not-found');
  });

  it('takes the author from a CreatedBy column the user added when 跟进人 is empty', async () => {
    const { em, adapter, make } = await ready();
    const a = await adapter.createCustomer(customer(), { idempotencyKey: key() });
    em.tableByTitle('跟进记录')!.columns.push({ id: 'ccreatedby', title: '创建人', uidt: 'CreatedBy' });
    await adapter.addFollowUp(a.remoteId, followUp({ content: '我写的', at: Date.UTC(2026, 11, 1) }), { idempotencyKey: key() });
    await em.colleague.insert('跟进记录', { 跟进内容: '现场拜访', 跟进时间: '2026-12-05 10:00:00+00:00', 客户: { Id: Number(a.remoteId) } });
    const list = await make().listFollowUps!(a.remoteId); // a new instance reads the new column
    expect(list.map((f) => [f.content, f.by])).toEqual([['现场拜访', '李雷'], ['我写的', 'admin@emulator.test']]);
  });

  it('followUpsSince: every customer’s follow-ups added or edited since, filtered by NocoDB, with the customer and the row’s own modified time; a cold worker asks once', async () => {
    const { em, adapter, make } = await ready();
    const a = await adapter.createCustomer(customer({ name: '甲' }), { idempotencyKey: key() });
    const b = await adapter.createCustomer(customer({ name: '乙' }), { idempotencyKey: key() });
    const mine = followUp({ content: '我写的', at: Date.UTC(2026, 11, 1) });
    await adapter.addFollowUp(a.remoteId, mine, { idempotencyKey: key() });
    await em.colleague.insert('跟进记录', { 跟进内容: '早先的', 跟进时间: '2026-12-01 10:00:00+00:00', 客户: { Id: Number(b.remoteId) } });
    em.advance(5 * 60_000);
    const since = em.now();
    // After `since`: a colleague's new row on 甲, one on 乙 dated last week (跟进时间 is the user's, the row is new), and an edit of ours.
    await em.colleague.insert('跟进记录', { 跟进内容: '电话回访', 跟进方式: '电话', 跟进时间: '2026-12-06 03:05:00+00:00', 客户: { Id: Number(a.remoteId) } });
    await em.colleague.insert('跟进记录', { 跟进内容: '补记上周拜访', 跟进时间: '2026-11-28 09:00:00+00:00', 客户: { Id: Number(b.remoteId) } });
    await em.colleague.patch('跟进记录', 1, { 跟进结果: '有意向' });
    await em.colleague.insert('跟进记录', { 跟进内容: '没有客户的行' });

    const seen: { content: string; customer: string; key?: string }[] = [];
    let page: string | undefined;
    let requests = 0;
    do {
      const r = await adapter.followUpsSince!({ since, limit: 2, ...(page ? { page } : {}) });
      requests++;
      for (const row of r.rows) {
        seen.push({ content: row.content, customer: row.customerRemoteId, ...(row.liaisonKey ? { key: row.liaisonKey } : {}) });
        expect(row.modifiedAt).toBeGreaterThanOrEqual(Math.floor(since / 1000) * 1000);
      }
      page = r.next;
    } while (page);
    expect(seen).toEqual([
      { content: '我写的', customer: a.remoteId, key: mine.id },
      { content: '电话回访', customer: a.remoteId },
      { content: '补记上周拜访', customer: b.remoteId },
    ]);
    expect(requests).toBe(2);
    const q = em.requests.filter((x) => x.search.get('where')?.includes('exactDate')).at(-1)!;
    expect(q.search.get('where')).toBe(`(CreatedAt,ge,exactDate,${nocoTime(since)})~or(UpdatedAt,ge,exactDate,${nocoTime(since)})`);
    // Without the filter the table holds more (早先的): the test fails on a read-everything adapter.
    expect(em.tableByTitle('跟进记录')!.rows.length).toBe(5);

    const before = em.requests.length;
    expect((await make().followUpsSince!({ since })).rows).toHaveLength(3);
    expect(em.requests.length - before).toBe(1);
  });

  it('lists deals with status, amount and Liaison’s key; an empty status reads as 进行中', async () => {
    const { em, adapter } = await ready();
    const a = await adapter.createCustomer(customer(), { idempotencyKey: key() });
    const d = deal({ amount: 300_000, status: '已放款', closedAt: Date.UTC(2026, 11, 4) });
    await adapter.createDeal(a.remoteId, d, { idempotencyKey: key() });
    em.advance(1000);
    await em.colleague.insert('成交记录', { 产品名称: '信用贷', 成交金额: '50000', 客户: { Id: Number(a.remoteId) } });
    const deals = await adapter.listDeals!(a.remoteId);
    expect(deals).toEqual([
      { remoteId: '2', product: '信用贷', status: '进行中', amount: 50_000, createdAt: Date.UTC(2026, 11, 6, 3, 0, 1) },
      { remoteId: '1', product: '抵押贷', status: '已放款', amount: 300_000, closedAt: Date.UTC(2026, 11, 4), createdAt: Date.UTC(2026, 11, 6, 3), liaisonKey: d.id },
    ]);
  });
});

describe('codes NocoDB allocates (issue 15 item 6)', () => {
  it('two browsers creating 50 customers each at once get 100 distinct codes; Liaison never writes 客户编号', async () => {
    const { em } = await ready();
    const browser = (id: string) =>
      createNocodbAdapter({ db: undefined, connection: { id, kind: 'nocodb', name: 'NocoDB', enabled: true, settings: { host: HOST, base_id: em.baseId }, createdAt: 0 }, secrets: { api_token: em.token }, now: Date.now, fetch: em.fetch });
    // Two connections (two browsers): separate limiters and write lanes, so their requests interleave.
    const browserA = browser('noco-a');
    const browserB = browser('noco-b');
    const batch = (tag: string) => Array.from({ length: 50 }, (_, i) => ({ customer: customer({ code: `WX20261206${String(i).padStart(3, '0')}`, name: `${tag}${i}`, phones: [`+86139${tag === 'A' ? '1' : '2'}${String(i).padStart(7, '0')}`] }), idempotencyKey: key() }));
    const [ra, rb] = await Promise.all([browserA.batchCreateCustomers(batch('A')), browserB.batchCreateCustomers(batch('B'))]);
    const refs = [...ra, ...rb].map((r) => (r.ok ? r.ref : undefined));
    expect(refs.every((r) => r?.remoteCode && r.marker)).toBe(true);
    const codes = refs.map((r) => r!.remoteCode!);
    expect(new Set(codes).size).toBe(100);
    for (const r of refs) expect(r!.remoteCode).toBe(`KH${r!.remoteId.padStart(6, '0')}`);
    expect(em.tableByTitle('客户')!.rows.every((row) => !('客户编号' in row))).toBe(true);
    // The update does not pretend the row Id is a code.
    expect(await browserA.updateCustomer('1', { stage: '跟进中' }, { idempotencyKey: key() })).toEqual({ remoteId: '1' });
  });

  it('prepare tells the connection to take NocoDB’s codes (codeMaster), but not for a text 客户编号 Liaison fills', async () => {
    const { adapter } = rig();
    expect((await adapter.prepare()).settings).toMatchObject({ codeMaster: true });
    const { em, make } = rig();
    const own = await em.fetch(`http://x/api/v2/meta/bases/${em.baseId}/tables`, {
      method: 'POST',
      headers: { 'xc-token': em.token, 'content-type': 'application/json' },
      body: JSON.stringify({ table_name: 'mine', title: '我的客户', columns: [{ title: '姓名', uidt: 'SingleLineText' }, { title: '电话', uidt: 'PhoneNumber' }, { title: '客户编号', uidt: 'SingleLineText' }] }),
    });
    const table = ((await own.json()) as { id: string }).id;
    const mine = make({ customers_table: table });
    const r = await mine.prepare();
    expect(r.settings).toMatchObject({ codeMaster: false });
    const ref = await mine.createCustomer(customer({ code: 'KH2026-0007', phones: ['+8613600136000'] }), { idempotencyKey: key() });
    expect(ref).toEqual({ remoteId: '1', remoteCode: 'KH2026-0007' });
  });
});

describe('errors', () => {
  it('401 → auth, 429 → rate-limited with its wait, a mangled reply → a clear validation error, 500 on a read → retryable', async () => {
    const { em, adapter, make } = await ready();
    await adapter.createCustomer(customer(), { idempotencyKey: key() });
    expect((await caught(make({}, 'bad').getCustomer!('1'))).kind).toBe('auth');
    em.answerNext({ status: 200, body: { list: 'nope' } });
    const mangled = await caught(adapter.changesSince!({ since: 0 }));
    expect(mangled.kind).toBe('validation');
    expect(mangled.message).toMatch(/unexpected reply/);
    em.answerNext({ status: 200, body: [{ Id: 1 }] });
    expect((await caught(adapter.getCustomer!('1'))).kind).toBe('validation');
    em.answerNext({ status: 500, body: { msg: 'boom' } });
    expect((await caught(adapter.listFollowUps!('1'))).kind).toBe('retryable');
    em.answerNext({ status: 429, body: { msg: 'Too Many Requests' }, headers: { 'retry-after': '1' } });
    const limited = await caught(adapter.getCustomer!('1'));
    expect(limited).toMatchObject({ kind: 'rate-limited', retryAfterMs: 1000 });
    // The limiter holds the next read back until the wait is over, then it goes through.
    expect((await adapter.getCustomer!('1'))?.remoteId).toBe('1');
  });

  it('the table deleted in NocoDB is not a deleted customer: not-found with the settings hint, never null', async () => {
    const { make } = await ready();
    const e = await caught(make({ customers_table: 'mgone' }).getCustomer!('1'));
    expect(e.kind).toBe('not-found');
    expect(e.userMessage.zh_CN).toContain('数据表');
  });
});
