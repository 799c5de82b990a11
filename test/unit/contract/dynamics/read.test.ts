// The read side: getCustomer with its ETag marker, conditional updates (412 → conflict),
// follow-ups and deals read back with author and Liaison key, changes since a time page by page.
import { describe, expect, it } from 'vitest';
import { customer, deal, failure, followUp, harness } from './helpers';
import { USER } from '../../../emulators/dynamics';

describe('Dynamics read side', () => {
  it('getCustomer returns the mapped fields, the ETag as marker and modifiedon; null once deleted', async () => {
    const h = await harness();
    const c = await h.adapter.createCustomer(customer(), { idempotencyKey: crypto.randomUUID() });
    const r = await h.adapter.getCustomer(c.remoteId);
    expect(r).toMatchObject({ remoteId: c.remoteId, marker: c.marker, fields: { name: '王小明', phones: ['+8613800138000'], email: 'wang@example.com', notes: '想了解利率' } });
    expect(r!.modifiedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(h.emu.state.requests.at(-1)!.query!.$select).toBe('contactid,modifiedon,lastname,mobilephone,emailaddress1,description');
    h.emu.control.remove('contacts', c.remoteId);
    expect(await h.adapter.getCustomer(c.remoteId)).toBeNull();
    expect(await h.adapter.getCustomer('not-a-guid')).toBeNull();
  });

  it('an empty column reads as null; a colleague\'s edit changes the marker', async () => {
    const h = await harness();
    const c = await h.adapter.createCustomer(customer({ notes: undefined }), { idempotencyKey: crypto.randomUUID() });
    const before = await h.adapter.getCustomer(c.remoteId);
    expect(before!.fields.notes).toBeNull();
    h.emu.control.edit('contacts', c.remoteId, { emailaddress1: 'colleague@example.com' });
    const after = await h.adapter.getCustomer(c.remoteId);
    expect(after!.marker).not.toBe(before!.marker);
    expect(after!.fields.email).toBe('colleague@example.com');
  });

  it('updateCustomer with ifMarker sends If-Match: <etag>; a changed row → conflict (412), nothing written', async () => {
    const h = await harness();
    const c = await h.adapter.createCustomer(customer(), { idempotencyKey: crypto.randomUUID() });
    const ok = await h.adapter.updateCustomer(c.remoteId, { notes: '第二次' }, { idempotencyKey: crypto.randomUUID(), ifMarker: c.marker! });
    expect(h.emu.state.requests.at(-1)!.headers['if-match']).toBe(c.marker);
    h.emu.control.edit('contacts', c.remoteId, { description: '同事改的' });
    const e = await failure(h.adapter.updateCustomer(c.remoteId, { notes: '第三次' }, { idempotencyKey: crypto.randomUUID(), ifMarker: ok.marker! }));
    expect(e).toMatchObject({ kind: 'conflict', status: 412, vendorCode: '0x80060882' });
    expect(h.emu.control.row('contacts', c.remoteId)!.description).toBe('同事改的');
  });

  it('listFollowUps: notes newest first with author (FormattedValue), Liaison\'s own with their key and fields, a colleague\'s without', async () => {
    const h = await harness();
    const c = await h.adapter.createCustomer(customer(), { idempotencyKey: crypto.randomUUID() });
    const key = crypto.randomUUID();
    await h.adapter.addFollowUp(c.remoteId, followUp(), { idempotencyKey: key });
    await new Promise((r) => setTimeout(r, 1100)); // createdon has whole seconds
    h.emu.control.seed('annotations', { subject: '电话记录', notetext: '同事打过电话', lookups: { objectid: { id: c.remoteId, set: 'contacts' } } });
    const other = await h.adapter.createCustomer(customer({ name: '别人' }), { idempotencyKey: crypto.randomUUID() });
    await h.adapter.addFollowUp(other.remoteId, followUp({ content: '别人的' }), { idempotencyKey: crypto.randomUUID() });
    const list = await h.adapter.listFollowUps(c.remoteId);
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ content: '同事打过电话', by: USER.fullname });
    expect(list[0]!.liaisonKey).toBeUndefined();
    expect(list[1]).toMatchObject({ content: '客户问了抵押贷利率', method: '电话', result: '有意向', nextAction: '发方案', nextAt: Date.UTC(2026, 2, 7, 1, 0), liaisonKey: key, by: USER.fullname });
    expect(h.emu.state.requests.at(-1)!.headers.prefer).toBe('odata.include-annotations="OData.Community.Display.V1.FormattedValue"');
    expect(await h.adapter.listFollowUps(c.remoteId, { limit: 1 })).toHaveLength(1);
  });

  it('listDeals: the contact\'s opportunities with status from statecode and the Liaison key', async () => {
    const h = await harness();
    const c = await h.adapter.createCustomer(customer(), { idempotencyKey: crypto.randomUUID() });
    const key = crypto.randomUUID();
    const d = await h.adapter.createDeal(c.remoteId, deal(), { idempotencyKey: key });
    h.emu.control.seed('opportunities', { name: '信用贷', estimatedvalue: 50_000, statecode: 1, actualclosedate: '2026-12-01', lookups: { parentcontactid: { id: c.remoteId, set: 'contacts' } } });
    const list = await h.adapter.listDeals(c.remoteId);
    expect(list).toHaveLength(2);
    expect(list.find((x) => x.remoteId === d.remoteId)).toMatchObject({ product: '抵押贷', amount: 1_000_000, status: '进行中', liaisonKey: key, by: USER.fullname });
    expect(list.find((x) => x.remoteId !== d.remoteId)).toMatchObject({ product: '信用贷', status: '已放款', closedAt: Date.parse('2026-12-01') });
  });

  it('changesSince: modifiedon ge <time>, ascending, Prefer: odata.maxpagesize, @odata.nextLink followed to the end; asOf from the Date header', async () => {
    const h = await harness();
    const since = Date.now() - 1000;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await h.adapter.createCustomer(customer({ name: `客户${i}` }), { idempotencyKey: crypto.randomUUID() })).remoteId);
    const seen: string[] = [];
    let page = await h.adapter.changesSince({ since, limit: 2 });
    expect(h.emu.state.requests.at(-1)!.query!.$filter).toMatch(/^modifiedon ge \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(h.emu.state.requests.at(-1)!.headers.prefer).toBe('odata.maxpagesize=2');
    expect(page.asOf).toBeGreaterThan(since - 2000);
    let pages = 1;
    for (;;) {
      seen.push(...page.records.map((r) => r.remoteId));
      expect(page.records.every((r) => r.marker && r.modifiedAt)).toBe(true);
      if (!page.next) break;
      page = await h.adapter.changesSince({ since, limit: 2, page: page.next });
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...ids].sort());
    const none = await h.adapter.changesSince({ since: Date.now() + 3600_000 });
    expect(none.records).toEqual([]);
    expect(none.next).toBeUndefined();
  });

  it('a nextLink to another host is refused, never followed with the token', async () => {
    const h = await harness();
    const e = await failure(h.adapter.changesSince({ since: 0, page: 'https://evil.example.com/api/data/v9.2/contacts?$skiptoken=x' }));
    expect(e).toMatchObject({ kind: 'validation' });
    expect(h.emu.state.requests).toHaveLength(0);
  });
  it('followUpsSince: every customer\'s notes changed since a time in one feed (objecttypecode, modifiedon), paged, each with its customer', async () => {
    const h = await harness();
    const since = Date.now() - 1000;
    const a = await h.adapter.createCustomer(customer(), { idempotencyKey: crypto.randomUUID() });
    const b = await h.adapter.createCustomer(customer({ name: '李四' }), { idempotencyKey: crypto.randomUUID() });
    const key = crypto.randomUUID();
    await h.adapter.addFollowUp(a.remoteId, followUp(), { idempotencyKey: key });
    h.emu.control.seed('annotations', { subject: '电话', notetext: '同事的记录', lookups: { objectid: { id: b.remoteId, set: 'contacts' } } });
    // A note on a lead is not a contact connection's follow-up.
    const lead = h.emu.control.seed('leads', { lastname: '线索' });
    h.emu.control.seed('annotations', { notetext: '线索的记录', lookups: { objectid: { id: String(lead.leadid), set: 'leads' } } });
    const first = await h.adapter.followUpsSince({ since, limit: 1 });
    const q = h.emu.state.requests.at(-1)!.query!;
    expect(q.$filter).toMatch(/^objecttypecode eq 'contact' and modifiedon ge \d{4}-/);
    expect(first.rows).toHaveLength(1);
    expect(first.next).toBeDefined();
    const second = await h.adapter.followUpsSince({ since, limit: 1, page: first.next! });
    expect(second.next).toBeUndefined();
    const rows = [...first.rows, ...second.rows];
    // Same-second rows are ordered by id: compare without order.
    expect(rows.map((r) => [r.customerRemoteId, r.content, r.liaisonKey]).sort()).toEqual([
      [a.remoteId, '客户问了抵押贷利率', key],
      [b.remoteId, '同事的记录', undefined],
    ].sort());
    expect(rows.every((r) => r.modifiedAt && r.by === USER.fullname)).toBe(true);
    expect((await h.adapter.followUpsSince({ since: Date.now() + 3600_000 })).rows).toEqual([]);
  });
});
