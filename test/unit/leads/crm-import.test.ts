// Reviewed leads sent into a Feishu Bitable (its emulator) and made linked local customers:
// the report per lead, the local customers and links, the outbox (nothing queued for the CRM the
// import already wrote; other CRMs as for any new customer), and a re-run that creates nothing.
import { describe, expect, it } from 'vitest';
import { runCrmImport } from '../../../lib/leads/crm-import';
import type { LeadToImport } from '../../../lib/leads/import';
import { createCustomer } from '../../../lib/customers/create';
import type { Connection } from '../../../lib/model';
import { useDb, connection } from '../customers/helpers';
import { readyHarness } from '../contract/feishu/helpers';

const t = useDb();
const NOW = Date.UTC(2026, 11, 6, 2);

async function rig(o: Parameters<typeof readyHarness>[0] = {}) {
  const h = await readyHarness(o);
  const feishu: Connection = { id: h.connectionId, kind: 'feishu-bitable', name: '客户表', enabled: true, settings: {}, createdAt: 0 };
  await t.db.connections.bulkAdd([feishu, connection({ id: 'hub', kind: 'hubspot' })]);
  return { ...h, feishu, rows: () => h.emu.control.records(h.app, h.ids.customers) };
}

const leads: LeadToImport[] = [
  { name: '刘经理', phones: ['+8613810012001'], notes: '房产抵押 想贷 200 万' },
  { name: '陈女士', phones: ['+8613810012002'], wechatId: 'chen_2026' },
  { name: '王先生', phones: ['+8613910023002'] }, // already in the Bitable (a colleague typed it)
  { name: '刘经理（重复）', phones: ['+8613810012001'] }, // the same phone again
  { name: '只有微信', phones: [], wechatId: 'only_wx' }, // the Bitable dedupes by phone: no phone, no import
  { name: '赵总', phones: ['+8613700137000'] }, // already a local customer, not yet in the Bitable
];

describe('runCrmImport (leads → Feishu Bitable → linked local customers)', () => {
  it('reports synced / skipped with why / failed per lead, and links every lead now in the Bitable to a local customer', { timeout: 30_000 }, async () => {
    const r = await rig();
    const [existingRemote] = r.emu.control.addRecords(r.app, r.ids.customers, [{ 姓名: '王先生', 电话: '13910023002' }]);
    const zhao = await createCustomer(t.db, { fields: { name: '赵总', phones: ['13700137000'] } }, NOW - 1000);
    // 赵总 was queued for both CRMs when created; the import writes him to the Bitable itself.
    expect((await t.db.outbox.toArray()).map((e) => e.connectionId).sort()).toEqual(['hub', r.connectionId].sort());

    const progress: number[] = [];
    const result = await runCrmImport(t.db, r.adapter, r.feishu, { leads, source: '百度', keyword: '北京 贷款' }, { now: () => NOW, onProgress: (p) => progress.push(p.done) });

    expect(result.counts).toEqual({ total: 6, synced: 3, skipped: 3, failed: 0 });
    expect(result.rows.map((x) => [x.name, x.outcome, x.reason ?? '', x.local ?? ''])).toEqual([
      ['刘经理', 'synced', '', 'created'],
      ['陈女士', 'synced', '', 'created'],
      ['王先生', 'skipped', 'duplicate-crm', 'created'],
      ['刘经理（重复）', 'skipped', 'duplicate-batch', ''],
      ['只有微信', 'skipped', 'invalid-phone', ''],
      ['赵总', 'synced', '', 'linked'],
    ]);
    expect(result.local).toEqual({ created: 3, linked: 1, failed: 0 });
    expect(progress.at(-1)).toBe(6);

    // The Bitable holds each new lead once, with seed 000's fields.
    const rows = r.rows();
    expect(rows).toHaveLength(4);
    expect(rows.find((x) => x.fields.姓名 === '刘经理')?.fields).toMatchObject({ 电话: '+8613810012001', 来源渠道: '百度', 搜索关键词: '北京 贷款', 意向等级: '中', 贷款状态: '新客户' });

    // Every lead in the Bitable is a local customer linked to its record, synced.
    const byName = async (name: string) => (await t.db.customers.where('name').equals(name).toArray());
    for (const x of result.rows.filter((x) => x.remoteId)) {
      const [c] = await byName(x.name);
      expect(c, x.name).toBeDefined();
      const link = await t.db.links.get([c!.id, r.connectionId]);
      expect(link).toMatchObject({ remoteId: x.remoteId, syncState: 'synced', lastSyncedAt: NOW });
      expect(rows.some((row) => row.record_id === link!.remoteId)).toBe(true);
    }
    expect((await t.db.links.get([(await byName('王先生'))[0]!.id, r.connectionId]))?.remoteId).toBe(existingRemote);
    expect(await byName('刘经理（重复）')).toEqual([]);
    expect(await byName('只有微信')).toEqual([]);
    expect((await byName('刘经理'))[0]).toMatchObject({ source: '百度', keyword: '北京 贷款', intentLevel: '中', notes: '房产抵押 想贷 200 万' });
    expect((await t.db.customers.get(zhao.id))?.source).toBe('百度'); // a blank filled, nothing overwritten

    // Nothing is queued for the Bitable (the import wrote it); HubSpot gets the new customers as usual.
    const outbox = await t.db.outbox.toArray();
    expect(outbox.filter((e) => e.connectionId === r.connectionId)).toEqual([]);
    const hubCreates = outbox.filter((e) => e.connectionId === 'hub' && e.op === 'customer.create').length;
    expect(hubCreates).toBe(4); // 赵总's from before, and the three new customers
  });

  it('a second run of the same leads creates nothing, in the Bitable or locally', { timeout: 30_000 }, async () => {
    const r = await rig();
    await runCrmImport(t.db, r.adapter, r.feishu, { leads }, { now: () => NOW });
    const customers = await t.db.customers.count();
    const links = await t.db.links.toArray();
    const again = await runCrmImport(t.db, r.adapter, r.feishu, { leads }, { now: () => NOW + 60_000 });
    expect(again.counts.synced).toBe(0);
    expect(again.rows.filter((x) => x.reason === 'duplicate-crm').map((x) => x.local)).toEqual(['kept', 'kept', 'kept', 'kept']);
    expect(r.rows()).toHaveLength(4);
    expect(await t.db.customers.count()).toBe(customers);
    expect(await t.db.links.toArray()).toEqual(links);
  });

  it('leads the Bitable refused are failed with the reason and are not made local customers', { timeout: 30_000 }, async () => {
    const r = await rig({ emu: { maxRecordsPerTable: 1 } });
    const result = await runCrmImport(t.db, r.adapter, r.feishu, { leads: leads.slice(0, 2) }, { now: () => NOW });
    expect(result.counts).toMatchObject({ synced: 0, failed: 2 });
    expect(result.rows[0]!.error).toMatchObject({ kind: 'validation' });
    expect(result.rows[0]!.error!.userMessage.zh_CN).toContain('20,000');
    expect(result.rows[0]!.error!.message).toContain('1254103');
    expect(await t.db.customers.count()).toBe(0);
  });
});
