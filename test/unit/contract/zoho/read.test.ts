// The read side against the emulator, every request validated against Zoho's v8 files:
// getCustomer with its Modified_Time marker (null once deleted), notes read back with author and
// the Liaison key of our own, deals of the contact, and changesSince through If-Modified-Since
// pages (page, then page_token past 2,000 records), with 304 read as "nothing changed".
import { describe, expect, it } from 'vitest';
import { customer, deal, followUp, harness, prepared } from './helpers';

describe('Zoho read side', { timeout: 60_000 }, () => {
  it('getCustomer returns the mapped fields and the Modified_Time marker, which moves on an edit; a deleted record is null', async () => {
    const { adapter, emu } = await prepared();
    const ref = await adapter.createCustomer(customer({ name: '赵六', phones: ['+8613711112222'], email: 'zhao@example.com' }), { idempotencyKey: 'k-r1' });
    const a = await adapter.getCustomer(ref.remoteId);
    expect(a).toMatchObject({ remoteId: ref.remoteId, marker: ref.marker, fields: { name: '赵六', phones: ['+8613711112222'], email: 'zhao@example.com' } });
    await new Promise((r) => setTimeout(r, 1100)); // Zoho times have second precision
    emu.control.editRecord(ref.remoteId, { Email: 'zhao.liu@example.com' });
    const b = await adapter.getCustomer(ref.remoteId);
    expect(b!.fields.email).toBe('zhao.liu@example.com');
    expect(Number(b!.marker)).toBeGreaterThan(Number(a!.marker));
    emu.control.deleteRecord(ref.remoteId);
    expect(await adapter.getCustomer(ref.remoteId)).toBeNull();
  });

  it("listFollowUps: notes newest first with author; ours carry liaisonKey, a colleague's do not", async () => {
    const { adapter, emu } = await prepared();
    const ref = await adapter.createCustomer(customer(), { idempotencyKey: 'k-r2' });
    await adapter.addFollowUp(ref.remoteId, followUp({ content: '第一次电话' }), { idempotencyKey: 'k-f1' });
    await new Promise((r) => setTimeout(r, 1100));
    emu.control.addRecord('Notes', { Note_Content: '王强补充：客户下周来店', Parent_Id: { module: { api_name: 'Contacts' }, id: ref.remoteId } });
    const list = await adapter.listFollowUps(ref.remoteId);
    expect(list.map((f) => [f.content.split('\n')[0], f.by, f.liaisonKey])).toEqual([['王强补充：客户下周来店', '王强', undefined], ['第一次电话', '李娜', 'k-f1']]);
    expect(list[1]!.content).not.toContain('[Liaison');
    expect(await adapter.listFollowUps(ref.remoteId, { since: list[0]!.at })).toHaveLength(1);
    const other = await adapter.createCustomer(customer(), { idempotencyKey: 'k-r3' });
    expect(await adapter.listFollowUps(other.remoteId)).toEqual([]);
  });

  it('listDeals: the contact’s deals with status from Stage and our key; Leads mode reads none', async () => {
    const { adapter, emu } = await prepared();
    const ref = await adapter.createCustomer(customer(), { idempotencyKey: 'k-r4' });
    await adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'k-d1' });
    emu.control.addRecord('Deals', { Deal_Name: '信用贷', Stage: 'Closed Lost', Closing_Date: '2026-11-30', Amount: 50000, Contact_Name: { id: ref.remoteId } });
    const deals = await adapter.listDeals(ref.remoteId);
    expect(deals.map((d) => [d.product, d.status, d.amount, d.liaisonKey]).sort()).toEqual([['信用贷', '已取消', 50000, undefined], ['抵押贷 · 招商银行', '进行中', 1_000_000, 'k-d1']]);
    const leads = await harness({ emulator: emu, settings: { customerModule: 'Leads' } });
    expect(await leads.adapter.listDeals(ref.remoteId)).toEqual([]);
  });

  it('changesSince pages through records modified since a time, in Modified_Time order; nothing changed is an empty page (304)', async () => {
    const { adapter, emu } = await prepared();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(emu.control.addRecord('Contacts', { Last_Name: `客户${i}` }));
    const t = Date.now();
    await new Promise((r) => setTimeout(r, 2100)); // past the adapter's one-second margin and Zoho's second precision
    emu.control.editRecord(ids[1]!, { Email: 'a@example.com' });
    emu.control.editRecord(ids[3]!, { Email: 'b@example.com' });
    emu.control.editRecord(ids[4]!, { Email: 'c@example.com' });
    const seen: string[] = [];
    let page: string | undefined;
    let pages = 0;
    do {
      const r = await adapter.changesSince({ since: t + 2000, limit: 2, ...(page ? { page } : {}) });
      seen.push(...r.records.map((x) => x.remoteId));
      expect(r.asOf).toBeTypeOf('number');
      page = r.next;
      pages++;
    } while (page);
    expect(new Set(seen)).toEqual(new Set([ids[1], ids[3], ids[4]]));
    expect(pages).toBe(2);
    const none = await adapter.changesSince({ since: Date.now() + 5000 });
    expect(none.records).toEqual([]);
    expect(none.next).toBeUndefined();
  });

  it('past 2,000 records the pages continue by page_token', async () => {
    const { adapter, emu } = await prepared();
    for (let i = 0; i < 2150; i++) emu.control.addRecord('Contacts', { Last_Name: `批量${i}` });
    const seen = new Set<string>();
    const tokens: string[] = [];
    let page: string | undefined;
    do {
      const r = await adapter.changesSince({ since: 0, ...(page ? { page } : {}) });
      r.records.forEach((x) => seen.add(x.remoteId));
      page = r.next;
      if (page?.startsWith('t')) tokens.push(page);
    } while (page);
    expect(seen.size).toBe(2150);
    expect(tokens.length).toBeGreaterThan(0);
    await expect(adapter.changesSince({ since: 0, page: 'x;drop' })).rejects.toMatchObject({ kind: 'validation' });
  });

  it("followUpsSince: every contact's notes changed since a time, with the contact's id; a Lead's notes are not a Contact's", async () => {
    const { adapter, emu } = await prepared();
    const a = await adapter.createCustomer(customer(), { idempotencyKey: 'k-fa' });
    const b = await adapter.createCustomer(customer(), { idempotencyKey: 'k-fb' });
    await adapter.addFollowUp(a.remoteId, followUp({ content: '旧的' }), { idempotencyKey: 'k-old' });
    const t = Date.now();
    await new Promise((r) => setTimeout(r, 2100));
    await adapter.addFollowUp(a.remoteId, followUp({ content: '我们的新跟进' }), { idempotencyKey: 'k-new' });
    emu.control.addRecord('Notes', { Note_Content: '王强：客户要报价', Parent_Id: { module: { api_name: 'Contacts' }, id: b.remoteId } });
    const lead = emu.control.addRecord('Leads', { Last_Name: '线索' });
    emu.control.addRecord('Notes', { Note_Content: '线索备注', Parent_Id: { module: { api_name: 'Leads' }, id: lead } });
    const rows = [];
    let page: string | undefined;
    do {
      const r = await adapter.followUpsSince({ since: t + 2000, limit: 1, ...(page ? { page } : {}) });
      rows.push(...r.rows);
      page = r.next;
    } while (page);
    expect(rows.map((r) => [r.customerRemoteId, r.content.split('\n')[0], r.liaisonKey, typeof r.modifiedAt])).toEqual([[a.remoteId, '我们的新跟进', 'k-new', 'number'], [b.remoteId, '王强：客户要报价', undefined, 'number']]);
    expect((await adapter.followUpsSince({ since: Date.now() + 5000 })).rows).toEqual([]);
  });
});
