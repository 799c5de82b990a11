// The monday adapter's read side against the emulator: getCustomer with its marker,
// listFollowUps with author and Liaison key, listDeals, changesSince (day-level __last_updated__
// filter trimmed to the exact time, cursor paging) — every document validated (helpers.ts).
import { expect, it } from 'vitest';
import { harness, customer, followUp, deal, failure } from './helpers';

it('getCustomer reads the fields back in Liaison terms with a marker that a colleague\'s edit changes', async () => {
  const { adapter, emu } = await harness();
  const c = customer({ nextFollowUpAt: Date.UTC(2026, 2, 7, 2, 30), notes: '备注' });
  const ref = await adapter.createCustomer(c, { idempotencyKey: c.id });
  const r = (await adapter.getCustomer(ref.remoteId))!;
  expect(r.fields).toMatchObject({ name: '王小明', code: 'KH2026-0001', phones: ['+8613800138000'], email: c.email, company: '深圳小明贸易', source: '抖音', stage: '跟进中', intentLevel: '高', tags: ['老客户'], notes: '备注', nextFollowUpAt: Date.UTC(2026, 2, 7, 2, 30) });
  expect(r.marker).toBe(ref.marker);
  emu.control.editAsColleague(ref.remoteId, { 状态: { label: '新客户' } });
  const after = (await adapter.getCustomer(ref.remoteId))!;
  expect(after.fields.stage).toBe('新客户');
  expect(after.marker).not.toBe(r.marker);
});

it('an intent level Liaison does not know is named unreadable, not guessed; a deleted item reads as null', async () => {
  const { adapter, emu } = await harness();
  const c = customer();
  const ref = await adapter.createCustomer(c, { idempotencyKey: c.id });
  emu.control.editAsColleague(ref.remoteId, { 意向等级: { label: '极高' } });
  const r = (await adapter.getCustomer(ref.remoteId))!;
  expect(r.unreadable).toEqual(['intentLevel']);
  expect('intentLevel' in r.fields).toBe(false);
  emu.control.deleteItem(ref.remoteId);
  expect(await adapter.getCustomer(ref.remoteId)).toBeNull();
  expect(await adapter.getCustomer('1')).toBeNull();
});

it('listFollowUps: newest first, with the author monday names, Liaison\'s own rows carrying their key', async () => {
  const { adapter, emu } = await harness();
  const c = customer();
  const ref = await adapter.createCustomer(c, { idempotencyKey: c.id });
  const f = followUp({ at: Date.UTC(2026, 2, 5, 1, 0) });
  await adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: f.id });
  emu.control.addUpdateAsColleague(ref.remoteId, '<p>电话回访，客户说下周签约</p>', '李同事');
  const rows = await adapter.listFollowUps(ref.remoteId);
  expect(rows).toHaveLength(2);
  expect(rows[0]).toMatchObject({ content: '电话回访，客户说下周签约', by: '李同事' });
  expect(rows[0]!.liaisonKey).toBeUndefined();
  expect(rows[1]).toMatchObject({ at: f.at, content: f.content, method: '微信', result: '有意向', nextAction: '发方案', nextAt: f.nextAt, by: '王销售', liaisonKey: f.id });
  expect(await adapter.listFollowUps(ref.remoteId, { limit: 1 })).toHaveLength(1);
});

it('listDeals: the deals pointing at this customer only, with status, amount and Liaison key', async () => {
  const { adapter, emu, deals } = await harness();
  const a = await adapter.createCustomer(customer(), { idempotencyKey: 'a' });
  const b = await adapter.createCustomer(customer({ name: '李四', phones: ['+8613900002222'] }), { idempotencyKey: 'b' });
  const d = deal();
  await adapter.createDeal(a.remoteId, d, { idempotencyKey: d.id });
  await adapter.createDeal(b.remoteId, deal({ product: '信用贷' }), { idempotencyKey: 'db' });
  emu.control.addItemAsColleague(deals.id, '车贷', { 'Liaison 客户': a.remoteId, 状态: { label: '进行中' }, 金额: '200000' });
  const rows = await adapter.listDeals(a.remoteId);
  expect(rows.map((r) => [r.product, r.status, r.amount]).sort()).toEqual([['抵押贷', '已放款', 1_000_000], ['车贷', '进行中', 200_000]]);
  expect(rows.find((r) => r.product === '抵押贷')).toMatchObject({ liaisonKey: d.id, closedAt: d.closedAt, by: '王销售' });
});

it('changesSince trims the day-level filter to the exact time and pages with monday\'s cursor', async () => {
  let clock = Date.UTC(2026, 11, 6, 3, 0);
  const { adapter, emu, customers } = await harness({ emu: { now: () => clock, timeZoneOffsetMinutes: -480 } });
  // 03:00 UTC is still the previous day in the account's UTC−8: the filter's day must allow for it.
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    clock += 60_000;
    ids.push((await adapter.createCustomer(customer({ name: `客户${i}`, phones: [`+861380013800${i}`] }), { idempotencyKey: `k${i}` })).remoteId);
  }
  const since = clock - 2 * 60_000 + 1; // after the 4th item's time, so items 3 and 4 only…
  clock += 60_000;
  emu.control.editAsColleague(ids[0]!, { 公司: '新公司' }); // …and item 0, edited now
  const got: string[] = [];
  let page: string | undefined;
  let calls = 0;
  do {
    const r = await adapter.changesSince({ since, limit: 2, ...(page ? { page } : {}) });
    got.push(...r.records.map((x) => x.remoteId));
    for (const rec of r.records) expect(rec.modifiedAt).toBeGreaterThanOrEqual(since);
    page = r.next;
    calls++;
  } while (page && calls < 10);
  expect(got).toEqual([ids[3], ids[4], ids[0]]);
  expect(calls).toBe(3); // 5 items on the day, 2 a page: the trimming leaves pages short, paging goes on
  // Nothing modified after `since`: an empty page, not an error.
  expect((await adapter.changesSince({ since: clock + 1 })).records).toEqual([]);
  void customers;
});

it('changesSince refuses a page token it did not make', async () => {
  const { adapter } = await harness();
  const e = await failure(adapter.changesSince({ since: 0, page: 'bogus' }));
  expect(e?.kind).toBe('validation');
});
