// The WeCom adapter against the strict emulator, every request validated against WeCom's own YAML
// (yaml-schema.ts): verify, lookup and linking, remark/description/company/mobiles and corp tags,
// the read side with its hash marker, 日程, and the operations WeCom cannot do.
import { afterAll, describe, expect, it } from 'vitest';
import { summaryLine } from '../../../specs/openapi';
import { wecomSpec as spec } from '../../../../lib/crm/wecom/spec';
import { customer, failure, harness, logs } from './helpers';

afterAll(() => {
  if (logs.length) console.log(summaryLine(logs));
});

function expectClean(log: { errors(): string[]; available: boolean; counts(): { validated: number } }) {
  expect(log.errors()).toEqual([]);
  if (log.available) expect(log.counts().validated).toBeGreaterThan(0);
}

describe('WeCom spec', () => {
  it('declares what WeCom can and cannot do', () => {
    expect(spec.capabilities).toMatchObject({ createCustomer: false, updateCustomer: true, findCustomers: true, followUps: 'none', deals: 'none', tasks: 'native', read: { getCustomer: true, followUps: false, deals: false, changes: 'none', conditionalUpdate: false } });
    expect(spec.hostPermissions).toEqual(['https://qyapi.weixin.qq.com/*']);
    expect(spec.auth.fields.map((f) => f.key)).toEqual(['corpid', 'agentid', 'secret', 'followUserId']);
    expect(spec.auth.fields.find((f) => f.key === 'secret')!.secret).toBe(true);
  });
});

describe('WeCom verify', () => {
  it('names the follow user, the app and the corp', async () => {
    const { adapter, log } = await harness();
    const r = await adapter.verify();
    expect(r.account).toBe('张三 (zhangsan) · 应用 Liaison 客户同步 (1000002) · 企业 wwliaisontest000001');
    expectClean(log);
  });
  it('says which permission is missing (48002) and rejects a wrong secret', async () => {
    const h = await harness();
    h.emu.control.setCustomerContactAllowed(false);
    const e = await failure(h.adapter.verify());
    expect(e?.kind).toBe('auth');
    expect(e?.vendorCode).toBe('48002');
    expect(e?.userMessage.zh_CN).toContain('可调用接口的应用');
    const bad = await harness({ secrets: { secret: 'wrong' } });
    const e2 = await failure(bad.adapter.verify());
    expect(e2?.kind).toBe('auth');
    expect(e2?.vendorCode).toBe('40001');
    expect(e2?.message).not.toContain('wrong');
    expectClean(h.log);
  });
  it('names a follow user who does not exist or is outside the app’s range', async () => {
    const h = await harness({ settings: { followUserId: 'nobody' } });
    expect((await failure(h.adapter.verify()))?.vendorCode).toBe('60111');
    const h2 = await harness({ settings: { followUserId: 'wangwu' } });
    const e = await failure(h2.adapter.verify());
    expect(e?.kind).toBe('auth');
    expect(e?.userMessage.zh_CN).toContain('可见范围');
  });
});

describe('WeCom customers', () => {
  it('finds the follow user’s contacts by remark mobile and by name, never another member’s', async () => {
    const { adapter, emu, log } = await harness();
    const a = emu.control.addContact({ name: '微信昵称A', follow: [{ userid: 'zhangsan', remark: '王小明', remark_mobiles: ['13800138000'], remark_corp_name: '某某贷款' }] });
    const b = emu.control.addContact({ name: '李雷', follow: [{ userid: 'zhangsan' }] });
    emu.control.addContact({ name: '王小明', follow: [{ userid: 'lisi', remark: '王小明', remark_mobiles: ['13800138000'] }] });
    const byPhone = await adapter.findCustomers({ phone: '+8613800138000' });
    expect(byPhone).toEqual([{ remoteId: a, name: '王小明', phones: ['+8613800138000'], company: '某某贷款', matchedBy: ['phone'], fields: { name: '王小明', company: '某某贷款', phones: ['+8613800138000'], notes: null } }]);
    expect((await adapter.findCustomers({ name: '李雷' })).map((c) => c.remoteId)).toEqual([b]);
    expect(await adapter.findCustomers({ phone: '+8613900000000' })).toEqual([]);
    expect(await adapter.findCustomers({ email: 'x@example.com' })).toEqual([]); // WeCom holds no e-mail
    // One pass over the contacts answers the lookups within a minute.
    expect(emu.requests.filter((r) => r.api === 'externalcontact.batch')).toHaveLength(1);
    expectClean(log);
  });

  it('answers the lookups that link a customer (the chat’s phone; e-mail and code find nothing in WeCom) by the remark mobile', async () => {
    const { adapter, emu, log } = await harness();
    const id = emu.control.addContact({ name: '昵称', follow: [{ userid: 'zhangsan', remark_mobiles: ['138-0013-8000'] }] });
    const hits = await adapter.findCustomers({ phone: '+8613800138000', email: 'wang@example.com', code: 'KH2026-0001' });
    expect(hits.map((h) => [h.remoteId, h.phones, h.matchedBy])).toEqual([[id, ['+8613800138000'], ['phone']]]);
    expect(await adapter.findCustomers({ email: 'wang@example.com', code: 'KH2026-0001' })).toEqual([]);
    expect(emu.requests.filter((r) => r.api === 'externalcontact.batch')).toHaveLength(1);
    expect(spec.idempotency).toBe('lookup');
    expectClean(log);
  });

  it('pages through more than 100 contacts', async () => {
    const { adapter, emu, log } = await harness();
    for (let i = 0; i < 230; i++) emu.control.addContact({ name: `客户${i}`, follow: [{ userid: 'zhangsan', remark_mobiles: [`1390000${String(i).padStart(4, '0')}`] }] });
    const found = await adapter.findCustomers({ phone: '+8613900000229' });
    expect(found.map((c) => c.name)).toEqual(['客户229']);
    expect(emu.requests.filter((r) => r.api === 'externalcontact.batch').map((r) => (r.body as { limit: number }).limit)).toEqual([100, 100, 100]);
    expectClean(log);
  });

  it('cannot create a contact, and says why', async () => {
    const { adapter, emu } = await harness();
    const e = await failure(adapter.createCustomer(customer(), { idempotencyKey: 'k1' }));
    expect(e?.kind).toBe('unsupported');
    expect(e?.userMessage.zh_CN).toContain('添加跟进成员');
    expect(emu.requests).toHaveLength(0);
  });

  it('writes remark, description, company and mobiles, cutting to WeCom’s limits with warnings', async () => {
    const { adapter, emu, log } = await harness();
    const id = emu.control.addContact({ name: '微信昵称', follow: [{ userid: 'zhangsan' }] });
    const ref = await adapter.updateCustomer(id, { name: '王小明', company: '上海某某贸易有限公司华东区分公司销售部', phones: ['+8613800138000', '+85291234567'], notes: '抵押贷'.repeat(60) }, { idempotencyKey: 'k1' });
    const f = emu.control.contact(id)!.follow[0]!;
    expect(f.remark).toBe('王小明');
    expect(f.remark_corp_name).toBe('上海某某贸易有限公司华东区分公司销售部'.slice(0, 20));
    expect(f.remark_mobiles).toEqual(['13800138000', '+85291234567']);
    expect([...f.description]).toHaveLength(150);
    expect(ref.warnings).toEqual(['description (cut to 150 characters)']);
    // The same write again (a retry) leaves the same state.
    await adapter.updateCustomer(id, { name: '王小明' }, { idempotencyKey: 'k1' });
    expect(emu.control.contact(id)!.follow[0]!.remark).toBe('王小明');
    expectClean(log);
  });

  it('syncs corp tags by name: adds, removes, and names the ones WeCom lacks', async () => {
    const { adapter, emu, log } = await harness();
    const id = emu.control.addContact({ name: '客户', follow: [{ userid: 'zhangsan', tag_ids: ['etLIAISONTAG0004'], personal_tags: ['老乡'] }] });
    const ref = await adapter.updateCustomer(id, { tags: ['重点客户', '抵押贷', '不存在的标签'] }, { idempotencyKey: 'k2' });
    expect(emu.control.contact(id)!.follow[0]!.tag_ids.sort()).toEqual(['etLIAISONTAG0001', 'etLIAISONTAG0003']);
    expect(ref.warnings).toEqual(['tag "不存在的标签" (no such corp tag in WeCom; an admin creates it under 客户联系 → 客户标签)']);
    const marks = emu.requests.filter((r) => r.api === 'externalcontact.mark_tag');
    expect(marks.map((r) => r.body)).toEqual([{ userid: 'zhangsan', external_userid: id, add_tag: ['etLIAISONTAG0001', 'etLIAISONTAG0003'], remove_tag: ['etLIAISONTAG0004'] }]);
    // Unchanged tags: no mark_tag call.
    await adapter.updateCustomer(id, { tags: ['重点客户', '抵押贷'] }, { idempotencyKey: 'k3' });
    expect(emu.requests.filter((r) => r.api === 'externalcontact.mark_tag')).toHaveLength(1);
    expectClean(log);
  });

  it('refuses a template field WeCom does not have, before writing', async () => {
    const { adapter, emu } = await harness();
    const id = emu.control.addContact({ name: '客户', follow: [{ userid: 'zhangsan' }] });
    const e = await failure(adapter.updateCustomer(id, { name: 'x' }, { idempotencyKey: 'k', fields: { nickname: 'y' } }));
    expect(e?.kind).toBe('validation');
    expect(e?.vendorCode).toBe('UNKNOWN_FIELD');
    expect(emu.requests).toHaveLength(0);
  });

  it('a contact that deleted the member is not-found', async () => {
    const { adapter, emu, log } = await harness();
    const id = emu.control.addContact({ name: '客户', follow: [{ userid: 'zhangsan' }] });
    emu.control.removeFollow(id, 'zhangsan');
    expect((await failure(adapter.updateCustomer(id, { name: 'x' }, { idempotencyKey: 'k' })))?.kind).toBe('not-found');
    expectClean(log);
  });
});

describe('WeCom read side', () => {
  it('reads the follow user’s view with a marker that changes when the member edits it', async () => {
    const { adapter, emu, log } = await harness();
    const id = emu.control.addContact({ name: '昵称', follow: [{ userid: 'lisi', remark: '别人的备注' }, { userid: 'zhangsan', remark: '王小明', description: '要抵押贷', remark_mobiles: ['13800138000'], tag_ids: ['etLIAISONTAG0001'], personal_tags: ['老乡'] }] });
    const r1 = await adapter.getCustomer(id);
    expect(r1).toMatchObject({ remoteId: id, fields: { name: '王小明', notes: '要抵押贷', phones: ['+8613800138000'], company: null, tags: ['重点客户', '老乡'] } });
    expect(r1!.marker).toMatch(/^h[0-9a-f]{24}$/);
    expect((await adapter.getCustomer(id))!.marker).toBe(r1!.marker);
    emu.control.editFollow(id, 'zhangsan', { description: '改了' });
    const r2 = await adapter.getCustomer(id);
    expect(r2!.fields.notes).toBe('改了');
    expect(r2!.marker).not.toBe(r1!.marker);
    expect(r2!.modifiedAt).toBeUndefined(); // WeCom returns no modification time
    emu.control.removeFollow(id, 'zhangsan');
    expect(await adapter.getCustomer(id)).toBeNull();
    expect(await adapter.getCustomer('wmNOSUCHCONTACT0000')).toBeNull();
    expectClean(log);
  });
});

describe('WeCom tasks, follow-ups, deals, fields', () => {
  it('creates a 日程 for the follow user with a reminder', async () => {
    const { adapter, emu, log } = await harness();
    const id = emu.control.addContact({ name: '客户', follow: [{ userid: 'zhangsan' }] });
    const due = Date.UTC(2026, 11, 8, 2, 0);
    const ref = await adapter.createTask(id, { title: '回电：抵押贷方案', dueAt: due, note: '带上利率表' }, { idempotencyKey: 'task-1' });
    const [s] = emu.control.schedules();
    expect(ref.remoteId).toBe(s!.schedule_id);
    expect(s!.body).toMatchObject({ organizer: 'zhangsan', start_time: due / 1000, end_time: due / 1000 + 1800, attendees: [{ userid: 'zhangsan' }], summary: '回电：抵押贷方案', reminders: { is_remind: 1, remind_before_event_secs: 900 } });
    expect(String(s!.body.description)).toContain('带上利率表');
    expectClean(log);
  });
  it('has no follow-up or deal API, and says so without calling WeCom', async () => {
    const { adapter, emu } = await harness();
    expect((await failure(adapter.addFollowUp('wmX0000000', { id: 'f', customerId: 'c', method: '微信', content: 'x', at: 0, origin: 'manual', messageIds: [] }, { idempotencyKey: 'k' })))?.kind).toBe('unsupported');
    expect((await failure(adapter.createDeal('wmX0000000', { id: 'd', customerId: 'c', product: 'p', status: '进行中', createdAt: 0, updatedAt: 0 } as never, { idempotencyKey: 'k' })))?.kind).toBe('unsupported');
    expect(emu.requests).toHaveLength(0);
  });
  it('lists the writable fields with the live corp tags as options', async () => {
    const { adapter, log } = await harness();
    const f = await adapter.listFields();
    expect(f.customer!.map((x) => x.name)).toEqual(['remark', 'description', 'remark_company', 'remark_mobiles', 'tags']);
    expect(f.customer!.at(-1)!.options).toEqual(['重点客户', '潜在客户', '抵押贷', '信用贷']); // the deleted 旧标签 is not offered
    expectClean(log);
  });
});
