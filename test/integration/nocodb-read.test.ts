// The NocoDB read side and team-wide codes against a REAL NocoDB 0.301.3: what the emulator
// (test/emulators/nocodb) copies is checked here on every run — UpdatedAt null until the first
// edit, exactDate filters to the second, paging limits, formula columns refused in inserts,
// AutoNumber not allocated on SQLite, Ids given again after the newest row is deleted — and the
// adapter's getCustomer / changesSince / listFollowUps / listDeals and allocated 客户编号 work
// on it: an edit made through NocoDB's REST API (as its UI would) comes back in changesSince
// and nothing else does; two browsers creating 50 customers each at once get 100 distinct codes.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deal, FollowUp } from '../../lib/model';
import { adapterFor, allRows, api, connectionFor, customer, preparedBase } from './helpers';

let ctx: Awaited<ReturnType<typeof preparedBase>>;
const key = () => crypto.randomUUID();
/** NocoDB keeps times to the second: wait until the clock is in a later second than now. */
const nextSecond = () => new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 30));
const noco = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
type Row = Record<string, unknown>;
const list = (table: string, params: Record<string, string>) => api<{ list: Row[]; pageInfo: Record<string, unknown> } & Row>('GET', `/api/v2/tables/${table}/records?${new URLSearchParams(params)}`);

beforeAll(async () => {
  ctx = await preparedBase('read');
});

describe('what the emulator copies, checked on the real server', () => {
  it('客户编号 is a Formula NocoDB computes; an insert naming it is refused, a patch ignores it', async () => {
    const meta = await api<{ columns: { title: string; uidt: string }[] }>('GET', `/api/v2/meta/tables/${ctx.tables.customers}`);
    expect(meta.body.columns.find((c) => c.title === '客户编号')?.uidt).toBe('Formula');
    const refused = await api('POST', `/api/v2/tables/${ctx.tables.customers}/records`, { 姓名: 'x', 客户编号: 'KH999' });
    expect(refused).toEqual({ status: 400, body: { msg: 'Column "客户编号" is virtual and cannot be updated' } });
    const made = await api<{ Id: number }>('POST', `/api/v2/tables/${ctx.tables.customers}/records`, { 姓名: 'x' });
    const row = await api<Row>('GET', `/api/v2/tables/${ctx.tables.customers}/records/${made.body.Id}`);
    expect(row.body).toMatchObject({ 客户编号: `KH${String(made.body.Id).padStart(6, '0')}`, UpdatedAt: null });
    expect(Object.keys(row.body)).not.toContain('nc_created_by');
    expect((await api('PATCH', `/api/v2/tables/${ctx.tables.customers}/records`, [{ Id: made.body.Id, 客户编号: 'KH999' }])).status).toBe(200);
    const again = await api<Row>('GET', `/api/v2/tables/${ctx.tables.customers}/records/${made.body.Id}`);
    expect(again.body['客户编号']).toBe(row.body['客户编号']);
    expect(again.body.UpdatedAt).not.toBeNull(); // every PATCH sets UpdatedAt
    // The newest row's Id (so its code) is given again after it is deleted: SQLite without AUTOINCREMENT.
    await api('DELETE', `/api/v2/tables/${ctx.tables.customers}/records`, [{ Id: made.body.Id }]);
    const next = await api<{ Id: number }>('POST', `/api/v2/tables/${ctx.tables.customers}/records`, { 姓名: 'y' });
    expect(next.body.Id).toBe(made.body.Id);
    await api('DELETE', `/api/v2/tables/${ctx.tables.customers}/records`, [{ Id: next.body.Id }]);
  });

  it('an AutoNumber column made through the meta API allocates nothing on SQLite and takes any value (why codes use a Formula)', async () => {
    const t = await api<{ id: string }>('POST', `/api/v2/meta/bases/${ctx.baseId}/tables`, { table_name: 'autonum', title: 'AutoNumberProbe', columns: [{ column_name: 'name', title: '姓名', uidt: 'SingleLineText' }, { column_name: 'no', title: '编号', uidt: 'AutoNumber' }] });
    expect(t.status).toBe(200);
    const a = await api<{ Id: number }>('POST', `/api/v2/tables/${t.body.id}/records`, { 姓名: 'a' });
    const b = await api<{ Id: number }>('POST', `/api/v2/tables/${t.body.id}/records`, { 姓名: 'b', 编号: 77 });
    expect((await api<Row>('GET', `/api/v2/tables/${t.body.id}/records/${a.body.Id}`)).body['编号']).toBeNull();
    expect((await api<Row>('GET', `/api/v2/tables/${t.body.id}/records/${b.body.Id}`)).body['编号']).toBe(77);
    // And a formula cannot be created together with its table on 0.301.3.
    const f = await api<Row>('POST', `/api/v2/meta/bases/${ctx.baseId}/tables`, { table_name: 'fprobe', title: 'FormulaProbe', columns: [{ title: '姓名', uidt: 'SingleLineText' }, { title: 'f', uidt: 'Formula', formula_raw: 'CONCAT("KH", {Id})' }] });
    expect(f.status).toBeGreaterThanOrEqual(400);
  });

  it('date filters: exactDate required, offset honoured, milliseconds dropped, ge and gt both match the same second; paging caps and offset refusal', async () => {
    const made = await api<{ Id: number }>('POST', `/api/v2/tables/${ctx.tables.customers}/records`, { 姓名: 'probe' });
    await api('PATCH', `/api/v2/tables/${ctx.tables.customers}/records`, [{ Id: made.body.Id, 备注: 'edited' }]);
    const row = await api<Row>('GET', `/api/v2/tables/${ctx.tables.customers}/records/${made.body.Id}`);
    const at = Date.parse(String(row.body.UpdatedAt).replace(' ', 'T'));
    const where = (w: string) => list(ctx.tables.customers, { where: `(Id,eq,${made.body.Id})~and${w}`, fields: 'Id' });
    const hit = async (w: string) => (await where(w)).body.list.length === 1;
    expect(await hit(`(UpdatedAt,ge,exactDate,${noco(at)})`)).toBe(true);
    expect(await hit(`(UpdatedAt,ge,exactDate,${noco(at).replace('+00:00', '.999+00:00')})`)).toBe(true);
    expect(await hit(`(UpdatedAt,ge,exactDate,${noco(at + 1000)})`)).toBe(false);
    expect(await hit(`(UpdatedAt,gt,exactDate,${noco(at)})`)).toBe(true);
    expect(await hit(`(UpdatedAt,le,exactDate,${noco(at)})`)).toBe(false);
    const plus8 = new Date(at + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    expect(await hit(`(UpdatedAt,ge,exactDate,${plus8}+08:00)`)).toBe(true);
    expect((await where(`(UpdatedAt,ge,${noco(at)})`)).status).toBe(422);
    expect((await where('(UpdatedAt,ge,exactDate,soon)')).body).toMatchObject({ error: 'ERR_FILTER_VERIFICATION_FAILED' });
    expect((await where('(Modified,ge,exactDate,2026-12-06)')).body).toEqual({ msg: "Column alias 'Modified' not found." });
    const capped = await list(ctx.tables.customers, { limit: '5000', fields: 'Id' });
    expect(capped.body.pageInfo).toMatchObject({ pageSize: 1000 });
    const total = Number(capped.body.pageInfo.totalRows);
    expect((await list(ctx.tables.customers, { offset: String(total) })).body).toMatchObject({ error: 'ERR_INVALID_OFFSET_VALUE' });
    await api('DELETE', `/api/v2/tables/${ctx.tables.customers}/records`, [{ Id: made.body.Id }]);
  });
});

describe('the read side', () => {
  it('getCustomer: code, marker, converted fields; a REST edit changes the marker; deleted → null', async () => {
    const c = customer({ name: '张三', phones: ['+8613800138000'], product: '车贷', amount: 200_000, intentLevel: '高', stage: '已联系', tags: ['老客户', '转介绍'], nextFollowUpAt: Date.UTC(2026, 11, 9, 2, 30) });
    const ref = await ctx.adapter.createCustomer(c, { idempotencyKey: key() });
    expect(ref.remoteCode).toBe(`KH${ref.remoteId.padStart(6, '0')}`);
    const r = await ctx.adapter.getCustomer!(ref.remoteId);
    expect(r).toMatchObject({ remoteId: ref.remoteId, remoteCode: ref.remoteCode, marker: ref.marker });
    expect(r!.fields).toMatchObject({ code: ref.remoteCode, name: '张三', company: null, phones: ['+8613800138000'], product: '车贷', amount: 200_000, intentLevel: '高', stage: '已联系', tags: ['老客户', '转介绍'], nextFollowUpAt: Date.UTC(2026, 11, 9, 2, 30) });
    expect(r!.unreadable).toBeUndefined();

    await nextSecond();
    const patched = await api('PATCH', `/api/v2/tables/${ctx.tables.customers}/records`, [{ Id: Number(ref.remoteId), 客户阶段: '谈判中', 下次跟进: '2026-12-10 18:00:00+08:00', 电话: '138 0013 8000' }]);
    expect(patched.status).toBe(200);
    const after = await ctx.adapter.getCustomer!(ref.remoteId);
    expect(after!.marker).not.toBe(r!.marker);
    expect(after!.fields).toMatchObject({ stage: '谈判中', nextFollowUpAt: Date.UTC(2026, 11, 10, 10), phones: ['+8613800138000'] });

    await api('DELETE', `/api/v2/tables/${ctx.tables.customers}/records`, [{ Id: Number(ref.remoteId) }]);
    expect(await ctx.adapter.getCustomer!(ref.remoteId)).toBeNull();
  });

  it('changesSince after edits through the REST API returns those rows (and a colleague’s new one) and not the others, across pages', async () => {
    const items = Array.from({ length: 8 }, (_, i) => ({ customer: customer({ name: `变更${i}`, phones: [`+86136${String(i).padStart(8, '0')}`] }), idempotencyKey: key() }));
    const made = await ctx.adapter.batchCreateCustomers(items);
    const ids = made.map((m) => (m.ok ? m.ref.remoteId : ''));
    expect(ids.every(Boolean)).toBe(true);
    await nextSecond();
    const since = Date.now();
    const edited = [ids[1]!, ids[4]!, ids[6]!];
    const r = await api('PATCH', `/api/v2/tables/${ctx.tables.customers}/records`, edited.map((id, i) => ({ Id: Number(id), 客户阶段: i === 0 ? '成交' : '跟进中' })));
    expect(r.status).toBe(200);
    const fresh = await api<{ Id: number }>('POST', `/api/v2/tables/${ctx.tables.customers}/records`, { 姓名: '同事新建' });

    const seen = new Map<string, string | undefined>();
    const sizes: number[] = [];
    let page: string | undefined;
    do {
      const p = await ctx.adapter.changesSince!({ since, limit: 2, ...(page ? { page } : {}) });
      sizes.push(p.records.length);
      for (const rec of p.records) seen.set(rec.remoteId, rec.marker);
      page = p.next;
    } while (page);
    expect([...seen.keys()].sort()).toEqual([...edited, String(fresh.body.Id)].sort());
    expect(sizes).toEqual([2, 2]);
    // The markers are NocoDB's own UpdatedAt (CreatedAt for the row nobody edited yet).
    const rows = await allRows(ctx.tables.customers, ['Id', 'CreatedAt', 'UpdatedAt']);
    for (const [id, marker] of seen) {
      const row = rows.find((x) => String(x.Id) === id)!;
      expect(marker).toBe(String(Date.parse(String(row.UpdatedAt ?? row.CreatedAt).replace(' ', 'T'))));
    }
    // The five rows nobody touched are in the table and did not come back: the filter is NocoDB's.
    const untouched = ids.filter((id) => !edited.includes(id));
    expect(untouched).toHaveLength(5);
    for (const id of untouched) {
      expect(rows.some((x) => String(x.Id) === id)).toBe(true);
      expect(seen.has(id)).toBe(false);
    }
  });

  it('follow-ups newest first with author and time, Liaison’s own with its key; deals with status', async () => {
    const ref = await ctx.adapter.createCustomer(customer({ name: '跟进客户', phones: ['+8613500135001'] }), { idempotencyKey: key() });
    const other = await ctx.adapter.createCustomer(customer({ name: '别人', phones: ['+8613500135002'] }), { idempotencyKey: key() });
    const mine: FollowUp = { id: `f-${key()}`, customerId: 'x', method: '微信', content: '发了报价', result: '有意向', at: Date.UTC(2026, 11, 1, 2), by: '我', origin: 'manual', messageIds: [] };
    await ctx.adapter.addFollowUp(ref.remoteId, mine, { idempotencyKey: key() });
    await ctx.adapter.addFollowUp(other.remoteId, { ...mine, id: `f-${key()}`, content: '别人的' }, { idempotencyKey: key() });
    await nextSecond();
    const since = Date.now();
    const colleague = await api<{ Id: number }>('POST', `/api/v2/tables/${ctx.tables.followUps}/records`, { 跟进内容: '电话沟通，客户在考虑', 跟进方式: '电话', 跟进人: '李雷', 跟进时间: '2026-12-02 09:00:00+08:00', 客户: { Id: Number(ref.remoteId) } });
    expect(colleague.status).toBe(200);

    const all = await ctx.adapter.listFollowUps!(ref.remoteId);
    expect(all.map((f) => f.content)).toEqual(['电话沟通，客户在考虑', '发了报价']);
    expect(all[0]).toEqual({ remoteId: String(colleague.body.Id), at: Date.UTC(2026, 11, 2, 1), content: '电话沟通，客户在考虑', method: '电话', by: '李雷' });
    expect(all[1]).toMatchObject({ at: mine.at, method: '微信', result: '有意向', by: '我', liaisonKey: mine.id });
    const recent = await ctx.adapter.listFollowUps!(ref.remoteId, { since });
    expect(recent.map((f) => f.remoteId)).toEqual([String(colleague.body.Id)]);

    const d: Deal = { id: `d-${key()}`, customerId: 'x', product: '经营贷', amount: 500_000, status: '已放款', closedAt: Date.UTC(2026, 11, 3), createdAt: Date.now() };
    await ctx.adapter.createDeal(ref.remoteId, d, { idempotencyKey: key() });
    await api('POST', `/api/v2/tables/${ctx.tables.deals}/records`, { 产品名称: '信用贷', 成交金额: 50000, 客户: { Id: Number(ref.remoteId) } });
    const deals = await ctx.adapter.listDeals!(ref.remoteId);
    expect(deals.map((x) => [x.product, x.status, x.amount, x.liaisonKey])).toEqual([
      ['信用贷', '进行中', 50_000, undefined],
      ['经营贷', '已放款', 500_000, d.id],
    ]);
  });
});

describe('codes unique across a team', () => {
  it('two browsers creating 50 customers each at once get 100 distinct codes, the ones NocoDB shows', async () => {
    const a = adapterFor(connectionFor(ctx.baseId, {}, 'browser-a'));
    const b = adapterFor(connectionFor(ctx.baseId, {}, 'browser-b'));
    const batch = (tag: string) =>
      Array.from({ length: 50 }, (_, i) => ({ customer: customer({ code: `WX20261206${tag}${String(i).padStart(3, '0')}`, name: `${tag}${i}`, phones: [`+86139${tag === 'A' ? '1' : '2'}${String(i).padStart(7, '0')}`] }), idempotencyKey: key() }));
    const [ra, rb] = await Promise.all([a.batchCreateCustomers(batch('A')), b.batchCreateCustomers(batch('B'))]);
    const refs = [...ra, ...rb].map((r) => (r.ok ? r.ref : undefined));
    expect(refs.every((r) => r?.remoteCode)).toBe(true);
    expect(new Set(refs.map((r) => r!.remoteCode)).size).toBe(100);
    const rows = await allRows(ctx.tables.customers, ['Id', '客户编号']);
    const codeOf = new Map(rows.map((r) => [String(r.Id), r['客户编号']]));
    for (const r of refs) expect(codeOf.get(r!.remoteId)).toBe(r!.remoteCode);
    // prepare tells the connection to take these codes.
    expect((await a.prepare()).settings).toMatchObject({ codeMaster: true });
  });
});
