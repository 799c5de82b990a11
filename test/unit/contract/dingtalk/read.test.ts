// The read side against the emulator: getCustomer with gmtModified as the marker (China time
// read as UTC+8), null when deleted; listFollowUps newest first with author, Liaison's own rows
// carrying their key, a colleague's without; changesSince by the documented queryDsl
// (gmt_modified BETWEEN, ordered ASC) paged by nextToken, with the server's clock as asOf.
import { describe, expect, it } from 'vitest';
import { chinaTime } from '../../../emulators/dingtalk';
import { customer, followUp, harness } from './helpers';

describe('DingTalk read side', { timeout: 30_000 }, () => {
  it('getCustomer: fields in Liaison terms and gmtModified as the marker; a colleague’s edit moves it; null once deleted', async () => {
    const { adapter, emu } = await harness();
    const ref = await adapter.createCustomer(customer({ notes: '备注一' }), { idempotencyKey: 'k' });
    const r1 = await adapter.getCustomer(ref.remoteId);
    expect(r1?.fields).toEqual({ name: '王小明', phones: ['+8613800138000'], email: expect.stringMatching(/@example\.com$/), notes: '备注一', code: 'KH2026-0001' });
    const row = emu.control.customers()[0]!;
    expect(r1?.modifiedAt).toBe(Math.floor(row.gmtModified / 1000) * 1000);
    expect(r1?.marker).toBe(String(r1?.modifiedAt));
    expect(chinaTime(r1!.modifiedAt!)).toBe(chinaTime(row.gmtModified));
    emu.control.editCustomer(ref.remoteId, { 'TextareaField-K2U5DHAD': '王强改的备注' });
    const r2 = await adapter.getCustomer(ref.remoteId);
    expect([r2?.fields.notes, r2!.marker !== r1!.marker]).toEqual(['王强改的备注', true]);
    emu.control.deleteCustomer(ref.remoteId);
    expect(await adapter.getCustomer(ref.remoteId)).toBeNull();
  });

  it('a phone Liaison cannot read is named in unreadable, not guessed', async () => {
    const { adapter, emu } = await harness();
    const id = emu.control.addCustomer({ customer_name: '赵六', 'DDPhoneField-K2U5DHAB': '12-34' });
    const r = await adapter.getCustomer(id);
    expect([r?.fields.name, r?.fields.phones, r?.unreadable]).toEqual(['赵六', undefined, ['phones']]);
  });

  it('listFollowUps: newest first, with author and key; a colleague’s record has none', async () => {
    const { adapter, emu } = await harness();
    const ref = await adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    await adapter.addFollowUp(ref.remoteId, followUp({ content: '第一次电话' }), { idempotencyKey: 'f-1' });
    const theirs = emu.control.addFollowRecord(ref.remoteId, '王强上门拜访，客户在比较利率', { at: Date.now() + 60_000 });
    const list = await adapter.listFollowUps(ref.remoteId);
    expect(list.map((f) => [f.remoteId === theirs, f.content, f.by, f.liaisonKey, f.method, f.result])).toEqual([
      [true, '王强上门拜访，客户在比较利率', 'wangqiang01', undefined, undefined, undefined],
      [false, '第一次电话', 'manager4220', 'f-1', '微信', '有意向'],
    ]);
    expect(await adapter.listFollowUps(ref.remoteId, { limit: 1 })).toHaveLength(1);
    expect(await adapter.listFollowUps(ref.remoteId, { since: Date.now() + 30_000 })).toHaveLength(1);
    const other = await adapter.createCustomer(customer({ name: '无记录', phones: ['+8613600000000'] }), { idempotencyKey: 'k2' });
    expect(await adapter.listFollowUps(other.remoteId)).toEqual([]);
  });

  it('changesSince: records modified at or after the time, oldest first, paged by nextToken, asOf from the server', async () => {
    let clock = Date.UTC(2026, 11, 6, 1, 0, 0);
    const { adapter, emu } = await harness({ emu: { now: () => clock } });
    const old = emu.control.addCustomer({ customer_name: '老客户' }, { at: clock - 86_400_000 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock += 1000;
      ids.push(emu.control.addCustomer({ customer_name: `新客户${i}`, 'DDPhoneField-K2U5DHAB': `1390000000${i}` }));
    }
    const since = Date.UTC(2026, 11, 6, 1, 0, 0);
    const p1 = await adapter.changesSince({ since, limit: 2 });
    expect(p1.records.map((r) => r.fields.name)).toEqual(['新客户0', '新客户1']);
    expect(p1.next).toBeDefined();
    const p2 = await adapter.changesSince({ since, limit: 2, page: p1.next! });
    const p3 = await adapter.changesSince({ since, limit: 2, page: p2.next! });
    expect([...p1.records, ...p2.records, ...p3.records].map((r) => r.remoteId)).toEqual(ids);
    expect(p3.next).toBeUndefined();
    // The server's Date header (whole seconds) plus the time elapsed here since that reply.
    expect(p3.asOf! - Math.floor(clock / 1000) * 1000).toBeGreaterThanOrEqual(0);
    expect(p3.asOf! - Math.floor(clock / 1000) * 1000).toBeLessThan(1000);
    expect([...p1.records, ...p2.records, ...p3.records].some((r) => r.remoteId === old)).toBe(false);
    // An edit to the old customer brings it back.
    clock += 1000;
    emu.control.editCustomer(old, { 'TextareaField-K2U5DHAD': '又联系了' });
    const again = await adapter.changesSince({ since: clock - 500 });
    expect(again.records.map((r) => [r.remoteId, r.fields.notes])).toEqual([[old, '又联系了']]);
    // Nothing modified since: an empty page that says so (no next), not an error.
    expect(await adapter.changesSince({ since: clock + 10_000 })).toEqual({ records: [], asOf: expect.any(Number) });
  });
});
