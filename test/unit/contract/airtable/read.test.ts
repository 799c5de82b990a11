// The Airtable adapter's read side against the emulator: a customer with its marker, a
// colleague's edit read back, follow-ups and deals through the inverse link with author, time
// and Liaison's key, changes filtered by LAST_MODIFIED_TIME() across pages, deleted → null.
import { describe, expect, it } from 'vitest';
import { customer, deal, followUp, harness } from './helpers';

describe('getCustomer', () => {
  it('reads the mapped fields back with a marker that a colleague\'s edit changes; deleted → null', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createCustomer(customer({ nextFollowUpAt: Date.UTC(2026, 2, 9, 2) }), { idempotencyKey: 'k' });
    const first = await h.adapter.getCustomer(remoteId);
    expect(first).toMatchObject({ remoteId, remoteCode: 'KH2026-0001', fields: { name: '王小明', phones: ['+8613800138000'], email: 'wang@example.com', stage: '跟进中', nextFollowUpAt: Date.UTC(2026, 2, 9, 2), company: null } });
    expect((await h.adapter.getCustomer(remoteId))!.marker).toBe(first!.marker);
    h.emu.control.edit(h.base.id, '客户', remoteId, { 客户阶段: '谈判中', 公司: '星河科技' });
    const after = await h.adapter.getCustomer(remoteId);
    expect(after!.marker).not.toBe(first!.marker);
    expect(after!.fields).toMatchObject({ stage: '谈判中', company: '星河科技' });
    h.emu.control.delete(h.base.id, '客户', remoteId);
    expect(await h.adapter.getCustomer(remoteId)).toBeNull();
  });

  it('a value that does not fit the customer record is named, not guessed', async () => {
    const h = await harness();
    const id = h.emu.control.insert(h.base.id, '客户', { 客户名称: '赵六', 客户阶段: 'x'.repeat(60) });
    const r = await h.adapter.getCustomer(id);
    expect(r!.unreadable).toEqual(['stage']);
    expect(r!.fields.name).toBe('赵六');
  });
});

describe('follow-ups and deals', () => {
  it('lists the customer\'s follow-ups newest first with author, time and Liaison\'s key for its own rows', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    const other = (await h.adapter.createCustomer(customer({ name: '别人', email: 'o@example.com' }), { idempotencyKey: 'k2' })).remoteId;
    await h.adapter.addFollowUp(remoteId, followUp({ at: Date.UTC(2026, 2, 5, 1) }), { idempotencyKey: 'f-1' });
    await h.adapter.addFollowUp(other, followUp({ content: '别人的' }), { idempotencyKey: 'f-x' });
    const colleague = h.emu.control.insert(h.base.id, '跟进记录', { 跟进内容: '同事上门拜访', 客户: [remoteId], 跟进方式: '面谈', 跟进时间: '2026-03-06T03:00:00.000Z', 跟进人: '张强' });
    const list = await h.adapter.listFollowUps(remoteId);
    expect(list).toEqual([
      { remoteId: colleague, at: Date.UTC(2026, 2, 6, 3), content: '同事上门拜访', method: '面谈', by: '张强' },
      expect.objectContaining({ at: Date.UTC(2026, 2, 5, 1), content: '客户问了抵押贷利率', method: '电话', result: '有意向', nextAction: '发方案', by: '李娜', liaisonKey: 'f-1' }),
    ]);
    expect(await h.adapter.listFollowUps(remoteId, { limit: 1 })).toHaveLength(1);
  });

  it('lists deals with status and amount; a customer without any has none', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    expect(await h.adapter.listDeals(remoteId)).toEqual([]);
    await h.adapter.createDeal(remoteId, deal({ status: '已放款', closedAt: Date.UTC(2026, 2, 20) }), { idempotencyKey: 'd-1' });
    expect(await h.adapter.listDeals(remoteId)).toEqual([expect.objectContaining({ product: '抵押贷', amount: 1_000_000, status: '已放款', closedAt: Date.UTC(2026, 2, 20), liaisonKey: 'd-1' })]);
  });
});

describe('changesSince', () => {
  it('returns exactly the customers modified since the time, filtered by Airtable, across pages', async () => {
    const h = await harness();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(h.emu.control.insert(h.base.id, '客户', { 客户名称: `老客户${i}` }));
    await new Promise((ok) => setTimeout(ok, 20));
    const since = Date.now();
    await new Promise((ok) => setTimeout(ok, 5));
    const changed = [ids[1]!, ids[4]!, ids[6]!];
    for (const id of changed) h.emu.control.edit(h.base.id, '客户', id, { 公司: '新公司' });
    const fresh = h.emu.control.insert(h.base.id, '客户', { 客户名称: '新客户' });
    const seen: string[] = [];
    let page: string | undefined;
    let pages = 0;
    do {
      const r = await h.adapter.changesSince({ since, limit: 2, ...(page ? { page } : {}) });
      seen.push(...r.records.map((x) => x.remoteId));
      page = r.next;
      pages++;
    } while (page);
    expect(seen.sort()).toEqual([...changed, fresh].sort());
    expect(pages).toBe(2);
    // The filter ran at Airtable: the list requests carried it.
    const lists = h.emu.state.requests.filter((r) => r.api === 'records.list');
    expect(lists[0]!.query!.filterByFormula).toContain('LAST_MODIFIED_TIME()');
  });

  it('an iterator Airtable forgot restarts the read from the same time', async () => {
    const h = await harness();
    for (let i = 0; i < 3; i++) h.emu.control.insert(h.base.id, '客户', { 客户名称: `客户${i}` });
    const first = await h.adapter.changesSince({ since: 0, limit: 2 });
    h.emu.control.expireIterators();
    const again = await h.adapter.changesSince({ since: 0, limit: 2, page: first.next! });
    expect(again.records).toHaveLength(2);
  });
});
