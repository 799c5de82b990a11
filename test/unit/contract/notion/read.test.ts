// The Notion adapter's read side against the emulator: getCustomer with its marker (a
// colleague's edit changes it, even within the same minute), trashed / unshared pages → null,
// listFollowUps from the page's comments with author and time and our own liaisonKey,
// listDeals through the relation, changesSince filtered by last_edited_time across pages.
import { describe, expect, it } from 'vitest';
import { customer, deal, followUp, harness } from './helpers';

describe('getCustomer', () => {
  it('reads the page back in Liaison terms with a marker; a colleague\'s edit in the same minute changes the marker', async () => {
    const h = await harness();
    const c = customer({ nextFollowUpAt: Date.UTC(2026, 2, 9, 1) });
    const { remoteId, marker } = await h.adapter.createCustomer(c, { idempotencyKey: c.id });
    const r = await h.adapter.getCustomer(remoteId);
    expect(r).toMatchObject({ remoteId, remoteCode: 'KH2026-0001', fields: { name: '王小明', phones: ['+8613800138000'], stage: '跟进中', intentLevel: '高', tags: ['老客户'], nextFollowUpAt: Date.UTC(2026, 2, 9, 1), email: c.email } });
    expect(r!.marker).toBe(marker);
    const colleague = h.emu.control.addUser('李娜');
    h.emu.control.editAsColleague(remoteId, { 状态: { select: { name: '谈判中' } } }, colleague);
    const after = await h.adapter.getCustomer(remoteId);
    expect(after!.fields.stage).toBe('谈判中');
    expect(after!.marker).not.toBe(r!.marker);
    expect(h.log.errors()).toEqual([]);
  });

  it('a page in the trash, or one never shared, reads as null', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'c' });
    h.emu.control.trash(remoteId);
    expect(await h.adapter.getCustomer(remoteId)).toBeNull();
    expect(await h.adapter.getCustomer('0123456789abcdef0123456789abcdef')).toBeNull();
  });

  it('a value Liaison cannot read (an 优先级 option it does not know) is unreadable, not guessed', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'c' });
    h.emu.control.editAsColleague(remoteId, { 优先级: { select: { name: '紧急' } } });
    const r = await h.adapter.getCustomer(remoteId);
    expect(r!.unreadable).toContain('intentLevel');
    expect(r!.fields.intentLevel).toBeUndefined();
  });
});

describe('follow-ups and deals', () => {
  it('listFollowUps: our comment with its liaisonKey and fields, a colleague\'s with the author\'s name, newest first', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'c' });
    const f = followUp();
    await h.adapter.addFollowUp(remoteId, f, { idempotencyKey: f.id });
    await new Promise((ok) => setTimeout(ok, 5));
    const li = h.emu.control.addUser('李娜');
    h.emu.control.addCommentAsColleague(remoteId, '客户说下周来面谈', li);
    const list = await h.adapter.listFollowUps(remoteId);
    expect(list).toHaveLength(2);
    const ours = list.find((x) => x.liaisonKey === f.id)!;
    expect(ours).toMatchObject({ content: '客户问了抵押贷利率', method: '微信', result: '有意向', nextAction: '发方案', nextAt: f.nextAt, by: 'Liaison' });
    const theirs = list.find((x) => !x.liaisonKey)!;
    expect(theirs).toMatchObject({ content: '客户说下周来面谈', by: '李娜' });
    expect(typeof theirs.at).toBe('number');
    expect(list[0]!.at).toBeGreaterThanOrEqual(list[1]!.at);
    expect(h.log.errors()).toEqual([]);
  });

  it('without the user-information capability the author is the user id', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'c' });
    const li = h.emu.control.addUser('李娜');
    h.emu.control.addCommentAsColleague(remoteId, '电话没人接', li);
    h.emu.control.setCapabilities({ readUsers: false });
    expect((await h.adapter.listFollowUps(remoteId))[0]?.by).toBe(li);
  });

  it('listDeals reads the deals related to the customer only', async () => {
    const h = await harness();
    const a = await h.adapter.createCustomer(customer(), { idempotencyKey: 'a' });
    const b = await h.adapter.createCustomer(customer({ name: '李娜', phones: ['+8613900139000'] }), { idempotencyKey: 'b' });
    const d = deal();
    await h.adapter.createDeal(a.remoteId, d, { idempotencyKey: d.id });
    await h.adapter.createDeal(b.remoteId, deal({ product: '车贷' }), { idempotencyKey: 'd2' });
    const deals = await h.adapter.listDeals(a.remoteId);
    expect(deals).toEqual([expect.objectContaining({ product: '抵押贷', amount: 1_000_000, status: '已放款', closedAt: d.closedAt, liaisonKey: d.id })]);
    expect(h.log.errors()).toEqual([]);
  });
});

describe('changesSince', () => {
  it('filters by last_edited_time in the emulator and pages with next_cursor; nothing missed or repeated', async () => {
    let clock = Date.UTC(2026, 11, 6, 8, 0);
    const h = await harness({ emu: { now: () => clock } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock += 120_000;
      ids.push(h.emu.control.addPageAsColleague(h.customers.dataSourceId, { 客户姓名: { title: [{ text: { content: `客户${i}` } }] } }));
    }
    const since = Date.UTC(2026, 11, 6, 8, 5, 30); // after pages 0 and 1 (08:02, 08:04)
    const seen: string[] = [];
    let page: string | undefined;
    let calls = 0;
    do {
      const r = await h.adapter.changesSince({ since, limit: 2, ...(page ? { page } : {}) });
      seen.push(...r.records.map((x) => x.remoteId));
      page = r.next;
      calls++;
    } while (page);
    expect(seen).toEqual(ids.slice(2));
    expect(calls).toBe(2);
    const q = h.emu.state.requests.filter((r) => r.api === 'data_sources.query').map((r) => r.body as any);
    expect(q[0].filter).toEqual({ timestamp: 'last_edited_time', last_edited_time: { on_or_after: '2026-12-06T08:05:00.000Z' } });
    expect(q[1].start_cursor).toBe(ids[4]);
    expect(h.log.errors()).toEqual([]);
  });

  it('a trashed page is left out; a page token it did not issue is refused', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'c' });
    h.emu.control.trash(remoteId);
    expect((await h.adapter.changesSince({ since: 0 })).records).toEqual([]);
    await expect(h.adapter.changesSince({ since: 0, page: 'nope' })).rejects.toMatchObject({ kind: 'validation' });
  });
});
