// The read side against the emulator: one customer with its marker, a colleague's edits read back
// converted, follow-ups and deals with author and time (Liaison's own rows carry their key),
// changes since a time filtered by Bitable and paged, deletions, and the errors of reads.
import { describe, expect, it } from 'vitest';
import { FIELD_TYPES } from '../../../emulators/feishu';
import type { CrmError } from '../../../../lib/crm/errors';
import { customer, deal, followUp, readyHarness } from './helpers';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as CrmError);
const LI_NA = { id: 'ou_4f2a9c0e7b1d3a5c6e8f0a1b2c3d4e5f', name: '李娜' };
const WANG = { id: 'ou_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b', name: '王强' };

async function team() {
  const h = await readyHarness({ codes: 'auto' });
  h.emu.control.addUser(LI_NA);
  h.emu.control.addUser(WANG);
  return h;
}

describe('Feishu Bitable adapter: reading customers', () => {
  it('getCustomer: the fields in Liaison terms, the auto-numbered code, and last_modified_time as the marker', async () => {
    const h = await team();
    const c = customer();
    const ref = await h.adapter.createCustomer(c, { idempotencyKey: 'k1' });
    h.emu.control.clearLog();
    const got = await h.adapter.getCustomer(ref.remoteId);
    const row = h.emu.control.records(h.app, h.ids.customers)[0]!;
    expect(got).toEqual({
      remoteId: ref.remoteId,
      remoteCode: ref.remoteCode,
      marker: String(row.last_modified_time),
      modifiedAt: row.last_modified_time,
      fields: {
        code: ref.remoteCode, name: c.name, phones: c.phones, wechatId: c.wechatId, source: c.source, product: c.product, amount: c.amount,
        intentLevel: c.intentLevel, stage: c.stage, notes: c.notes, tags: c.tags, keyword: c.keyword, nextFollowUpAt: c.nextFollowUpAt,
      },
    });
    expect(h.emu.state.requests.map((r) => `${r.api}:${r.code}`)).toEqual(['records.batch_get:0']);
  });

  it('a colleague’s edit in the Bitable changes the marker and comes back converted; what cannot be read is named, not guessed', async () => {
    const h = await team();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1' });
    const before = (await h.adapter.getCustomer(remoteId))!;
    const due = Date.UTC(2026, 11, 8, 1, 0);
    h.emu.control.editAsColleague(h.app, h.ids.customers, remoteId, {
      贷款状态: '谈判中', 下次跟进: due, 电话: '13900139000', 标签: ['转介绍', '重点'], 备注: null, 意向等级: '很高',
    }, LI_NA.id);
    const after = (await h.adapter.getCustomer(remoteId))!;
    expect(after.marker).not.toBe(before.marker);
    expect(Number(after.marker)).toBeGreaterThan(Number(before.marker));
    expect(after.fields).toMatchObject({ stage: '谈判中', nextFollowUpAt: due, phones: ['+8613900139000'], tags: ['转介绍', '重点'], notes: null });
    // 很高 is an option the colleague added; Liaison's 意向等级 is 高/中/低.
    expect(after.fields).not.toHaveProperty('intentLevel');
    expect(after.unreadable).toEqual(['intentLevel']);
  });

  it('a phone that is not a phone number, or a date typed as text, is unreadable rather than guessed', async () => {
    const h = await team();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1' });
    h.emu.control.editAsColleague(h.app, h.ids.customers, remoteId, { 电话: '12345' }, LI_NA.id);
    const got = (await h.adapter.getCustomer(remoteId))!;
    expect(got.unreadable).toEqual(['phones']);
    expect(got.fields).not.toHaveProperty('phones');
  });

  it('a record deleted in the Bitable reads as null', async () => {
    const h = await team();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1' });
    h.emu.control.deleteRecord(h.app, h.ids.customers, remoteId);
    expect(await h.adapter.getCustomer(remoteId)).toBeNull();
  });
});

describe('Feishu Bitable adapter: follow-ups and deals read back', () => {
  it('a customer’s follow-ups, newest first, with author and time; Liaison’s own row carries its key; other customers’ rows stay out', async () => {
    const h = await team();
    const now = Date.now();
    const a = await h.adapter.createCustomer(customer(), { idempotencyKey: 'a' });
    const b = await h.adapter.createCustomer(customer({ phones: ['+8613900000001'] }), { idempotencyKey: 'b' });
    const ours = followUp({ at: now - 2 * DAY, nextAt: undefined });
    await h.adapter.addFollowUp(a.remoteId, ours, { idempotencyKey: 'f1' });
    const theirs = h.emu.control.addAsColleague(h.app, h.ids.followUps, {
      客户ID: [a.remoteId], 跟进方式: '电话', 跟进内容: '客户说下周来面谈', 跟进结果: '待考虑', 跟进时间: now - DAY, 下次行动: '约面谈', 下次时间: now + 6 * DAY,
    }, LI_NA.id);
    // Typed in the Bitable without a 跟进时间, 跟进人 set to someone else: its time is when it was made.
    const untimed = h.emu.control.addAsColleague(h.app, h.ids.followUps, { 客户ID: [a.remoteId], 跟进内容: '补充：客户要了资料', 跟进人: [{ id: WANG.id }] }, LI_NA.id);
    h.emu.control.addAsColleague(h.app, h.ids.followUps, { 客户ID: [b.remoteId], 跟进内容: '另一个客户' }, LI_NA.id);
    h.emu.control.clearLog();

    const list = await h.adapter.listFollowUps(a.remoteId);
    expect(list.map((f) => f.remoteId)).toEqual([untimed, theirs, expect.stringMatching(/^rec/)]);
    expect(list[0]).toEqual({ remoteId: untimed, at: expect.any(Number), content: '补充：客户要了资料', by: WANG.name });
    expect(list[0]!.at).toBeGreaterThanOrEqual(now);
    expect(list[1]).toEqual({ remoteId: theirs, at: now - DAY, content: '客户说下周来面谈', method: '电话', result: '待考虑', nextAction: '约面谈', nextAt: now + 6 * DAY, by: LI_NA.name });
    expect(list[2]).toEqual({ remoteId: list[2]!.remoteId, at: ours.at, content: ours.content, method: ours.method, result: ours.result, nextAction: ours.nextAction, liaisonKey: ours.id });
    expect(h.emu.state.requests.map((r) => r.api)).toEqual(['records.search']);

    expect((await h.adapter.listFollowUps(a.remoteId, { limit: 1 })).map((f) => f.remoteId)).toEqual([untimed]);
    expect((await h.adapter.listFollowUps(a.remoteId, { since: now - 1.5 * DAY })).map((f) => f.remoteId)).toEqual([untimed, theirs]);
    expect(await h.adapter.listFollowUps(b.remoteId)).toEqual([expect.objectContaining({ content: '另一个客户', by: LI_NA.name })]);
  });

  it('deals: Liaison’s with its key, a colleague’s with its author; no status is 进行中, an unknown status is left out', async () => {
    const h = await team();
    const a = await h.adapter.createDeal((await h.adapter.createCustomer(customer(), { idempotencyKey: 'a' })).remoteId, deal(), { idempotencyKey: 'd1' });
    const customerId = h.emu.control.records(h.app, h.ids.customers)[0]!.record_id;
    const d = deal();
    await h.adapter.createDeal(customerId, d, { idempotencyKey: 'd2' });
    const open = h.emu.control.addAsColleague(h.app, h.ids.deals, { 客户ID: [customerId], 产品名称: '车贷', 贷款金额: 150000 }, LI_NA.id);
    h.emu.control.addAsColleague(h.app, h.ids.deals, { 客户ID: [customerId], 产品名称: '经营贷', 状态: '审核中' }, LI_NA.id);
    const deals = await h.adapter.listDeals(customerId);
    expect(deals).toHaveLength(3);
    expect(deals.find((x) => x.remoteId === open)).toEqual({ remoteId: open, product: '车贷', status: '进行中', amount: 150000, createdAt: expect.any(Number), by: LI_NA.name });
    expect(deals.filter((x) => x.liaisonKey === d.id)).toEqual([expect.objectContaining({ product: d.product, status: d.status, amount: d.amount, closedAt: d.closedAt })]);
    expect(deals.map((x) => x.remoteId)).toContain(a.remoteId);
  });
});

describe('Feishu Bitable adapter: changesSince', () => {
  it('returns exactly the customers modified at or after `since`, a page at a time, filtered by Bitable (not read whole)', async () => {
    const h = await team();
    const refs = [];
    for (let i = 0; i < 6; i++) refs.push(await h.adapter.createCustomer(customer({ name: `客户${i}`, phones: [`+86139000000${10 + i}`] }), { idempotencyKey: `c${i}` }));
    h.emu.control.advanceClock(3 * DAY);
    // An edit an hour before the cursor: on the same days the filter asks for, so Bitable returns it; the adapter drops it.
    h.emu.control.editAsColleague(h.app, h.ids.customers, refs[0]!.remoteId, { 贷款状态: '已联系' }, LI_NA.id);
    h.emu.control.advanceClock(HOUR);
    const since = Date.now() + 3 * DAY + HOUR;
    const due = Date.UTC(2026, 11, 9, 1, 0);
    for (const i of [2, 3, 5]) {
      h.emu.control.editAsColleague(h.app, h.ids.customers, refs[i]!.remoteId, { 下次跟进: due + i }, LI_NA.id);
      h.emu.control.advanceClock(1000); // distinct modified times, so "newest first" has one answer
    }
    h.emu.control.clearLog();

    const p1 = await h.adapter.changesSince({ since, limit: 2 });
    expect(p1.records.map((r) => r.remoteId)).toEqual([refs[5]!.remoteId, refs[3]!.remoteId]); // newest first
    expect(p1.next).toEqual(expect.any(String));
    const p2 = await h.adapter.changesSince({ since, limit: 2, page: p1.next });
    expect(p2.records.map((r) => r.remoteId)).toEqual([refs[2]!.remoteId]);
    expect(p2.next).toBeUndefined();
    expect(p2.records[0]).toMatchObject({ remoteCode: refs[2]!.remoteCode, fields: { nextFollowUpAt: due + 2, name: '客户2' } });
    expect(Number(p2.records[0]!.marker)).toBeGreaterThanOrEqual(since);
    // Bitable itself narrowed the table to 4 of 6 (the day filter): reading everything would say 6.
    expect(h.emu.state.requests.filter((r) => r.api === 'records.search').map((r) => r.total)).toEqual([4, 4]);

    // Inclusive: a record modified exactly at `since` is in.
    const newest = Number(p1.records[0]!.marker);
    expect((await h.adapter.changesSince({ since: newest })).records.map((r) => r.remoteId)).toEqual([refs[5]!.remoteId]);
    expect(await h.adapter.changesSince({ since: newest + 1 })).toEqual({ records: [] });
  });

  it('a customers table without a modified-time field: unsupported, saying what to add; nothing read', async () => {
    const h = await readyHarness(); // a table from before: text 客户ID, no 最后更新时间 — setup added it
    expect(h.prepared.created).toEqual(['跟进记录表', '成交记录表', '客户信息表.最后更新时间']);
    expect(h.prepared.problems).not.toContain('客户信息表.最后更新时间');
    // Someone deletes it in the Base afterwards.
    const table = h.emu.state.apps.get(h.app)!.tables.get(h.ids.customers)!;
    table.fields = table.fields.filter((f) => f.type !== FIELD_TYPES.modifiedTime);
    const e = await failure(h.another().changesSince({ since: 0 }));
    expect(e).toMatchObject({ kind: 'unsupported' });
    expect(e!.userMessage?.zh_CN).toContain('最后更新时间');
    expect(h.emu.state.requests.filter((r) => r.api === 'records.search')).toEqual([]);
  });
});

describe('Feishu Bitable adapter: errors of reads', () => {
  it('a token rejected even after one refresh is auth; a missing scope is auth', async () => {
    const h = await team();
    h.emu.control.failNext({ api: 'records.batch_get', status: 401, code: 99991668, msg: 'Invalid access token', count: 2 });
    expect(await failure(h.adapter.getCustomer('recAnything1'))).toMatchObject({ kind: 'auth' });
    h.emu.control.failNext({ api: 'records.search', status: 400, code: 99991672, msg: 'Access denied. One of the following scopes is required' });
    expect(await failure(h.adapter.listFollowUps('recAnything1'))).toMatchObject({ kind: 'auth', vendorCode: '99991672' });
  });

  it('429 is rate-limited with the gateway’s retry-after', async () => {
    const h = await team();
    h.emu.control.rateLimitStorm(2000);
    const e = await failure(h.adapter.changesSince({ since: 0 }));
    expect(e).toMatchObject({ kind: 'rate-limited', vendorCode: '99991400' });
    expect(e!.retryAfterMs).toBeGreaterThanOrEqual(1000);
  });

  it('a reply without its data, or with records that were not asked for, is a clear validation error', async () => {
    const h = await team();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k1' });
    h.emu.control.failNext({ api: 'records.batch_get', status: 200, code: 0, msg: 'success' });
    const e = await failure(h.adapter.getCustomer(remoteId));
    expect(e).toMatchObject({ kind: 'validation' });
    expect(e!.message).toContain('unexpected Feishu reply');
    h.emu.control.failNext({ api: 'records.search', status: 200, code: 0, msg: 'success' });
    expect(await failure(h.adapter.changesSince({ since: 0 }))).toMatchObject({ kind: 'validation' });
  });
});
