// The Airtable adapter's write side and lookups against the emulator (test/emulators/airtable,
// which follows airtable.com/developers/web/api as read 2026-12-06: Airtable publishes no
// machine-readable description to validate against).
import { describe, expect, it } from 'vitest';
import { formulaString } from '../../../../lib/crm/airtable/formula';
import { RATE_LIMIT_WAIT_MS } from '../../../../lib/crm/airtable/errors';
import { customer, deal, failure, followUp, harness } from './helpers';

describe('setup and connection', () => {
  it('test connection names the account and the base; the base is found by name', async () => {
    const h = await harness({ prepare: false });
    expect(await h.adapter.verify()).toEqual({ account: 'sales@example.com · 销售 CRM' });
    expect(await h.adapter.fieldChoices('baseName')).toEqual([{ value: '销售 CRM', label: '销售 CRM' }, { value: '另一个 Base', label: '另一个 Base' }]);
  });

  it('one-click setup creates the four tables with the key and link fields, and a second run creates nothing', async () => {
    const h = await harness({ prepare: false });
    const first = await h.adapter.prepare();
    expect(first.created).toEqual(['客户', '跟进记录', '成交', '任务']);
    expect(first).toMatchObject({ problems: [], usable: true, settings: { baseId: h.base.id } });
    const customers = h.emu.control.table(h.base.id, '客户')!;
    // The inverse links Airtable adds to the customer table (the read side follows them).
    expect(customers.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['Liaison Key', '跟进记录', '成交', '任务']));
    const again = await h.adapter.prepare();
    expect(again).toMatchObject({ created: [], problems: [], usable: true });
    expect((await h.adapter.fieldChoices('customerTable'))!.map((c) => c.value)).toEqual(['客户', '跟进记录', '成交', '任务']);
  });

  it('setup adds only the missing fields of an existing table and names a mistyped one', async () => {
    const h = await harness({ prepare: false });
    h.emu.control.addTable(h.base.id, '客户', [{ name: '客户名称', type: 'singleLineText' }, { name: '电话', type: 'number', options: { precision: 0 } }]);
    const r = await h.adapter.prepare();
    expect(r.created).toContain('客户.Liaison Key');
    expect(r.problems).toEqual(['客户.电话 (number, expected phoneNumber)']);
  });

  it('a base the token cannot see, and a wrong token, are named', async () => {
    const h = await harness({ prepare: false, settings: { baseName: '不存在' } });
    const e = await failure(h.adapter.verify());
    expect(e).toMatchObject({ kind: 'validation', vendorCode: 'BASE_NOT_FOUND' });
    const bad = await harness({ prepare: false, token: 'patWRONG' });
    expect(await failure(bad.adapter.verify())).toMatchObject({ kind: 'auth', status: 401, vendorCode: 'AUTHENTICATION_REQUIRED' });
  });
});

describe('writes', () => {
  it('creates a customer by upsert on the Liaison Key; a retry after a lost reply updates the same record', async () => {
    const h = await harness();
    const c = customer();
    h.emu.control.dropNext({ api: 'records.write', commit: true });
    expect(await failure(h.adapter.createCustomer(c, { idempotencyKey: 'k-1' }))).toMatchObject({ kind: 'unknown-outcome' });
    const ref = await h.adapter.createCustomer(c, { idempotencyKey: 'k-1' });
    const rows = h.rows('客户');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: ref.remoteId, fields: { 客户名称: '王小明', 电话: '+8613800138000', 邮箱: 'wang@example.com', 客户阶段: '跟进中', 'Liaison Key': 'k-1' } });
    expect(ref.remoteCode).toBe('KH2026-0001');
    const upserts = h.emu.state.requests.filter((r) => r.api === 'records.upsert');
    expect(upserts).toHaveLength(2);
  });

  it('updates only the changed cells; follow-ups, deals and tasks link to the customer with their own keys', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k-c' });
    await h.adapter.updateCustomer(remoteId, { company: '星河科技', stage: '谈判中' }, { idempotencyKey: 'k-u' });
    expect(h.rows('客户')[0]!.fields).toMatchObject({ 公司: '星河科技', 客户阶段: '谈判中', 客户名称: '王小明' });
    const f = await h.adapter.addFollowUp(remoteId, followUp(), { idempotencyKey: 'k-f' });
    await h.adapter.addFollowUp(remoteId, followUp(), { idempotencyKey: 'k-f' }); // a retry
    await h.adapter.createDeal(remoteId, deal(), { idempotencyKey: 'k-d' });
    await h.adapter.createTask(remoteId, { title: '回访', dueAt: Date.UTC(2026, 2, 8, 2) }, { idempotencyKey: 'k-t' });
    expect(h.rows('跟进记录')).toEqual([expect.objectContaining({ id: f.remoteId, fields: expect.objectContaining({ 客户: [remoteId], 跟进方式: '电话', 跟进结果: '有意向', 跟进人: '李娜', 'Liaison Key': 'k-f' }) })]);
    expect(h.rows('成交')[0]!.fields).toMatchObject({ 客户: [remoteId], 产品: '抵押贷', 金额: 1_000_000, 状态: '进行中' });
    expect(h.rows('任务')[0]!.fields).toMatchObject({ 客户: [remoteId], 任务: '回访', 截止时间: '2026-03-08T02:00:00.000Z' });
  });

  it('batch create sends at most 10 records a request', async () => {
    const h = await harness();
    const items = Array.from({ length: 23 }, (_, i) => ({ customer: customer({ name: `客户${i}`, email: `c${i}@example.com`, phones: [] }), idempotencyKey: `b-${i}` }));
    const out = await h.adapter.batchCreateCustomers(items);
    expect(out.every((r) => r.ok)).toBe(true);
    expect(h.emu.state.requests.filter((r) => r.api === 'records.upsert').map((r) => r.records)).toEqual([10, 10, 3]);
    expect(h.rows('客户')).toHaveLength(23);
  });

  it('template values are typed by the field; Liaison\'s own fields and computed fields are refused before writing', async () => {
    const h = await harness();
    h.emu.control.addTable(h.base.id, '临时', [{ name: 'x', type: 'singleLineText' }]);
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k', fields: { 备注: '模板备注' } });
    expect(h.rows('客户')[0]!.fields.备注).toBe('模板备注');
    expect(await failure(h.adapter.updateCustomer(remoteId, {}, { idempotencyKey: 'u', fields: { 'Liaison Key': 'x' } }))).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
    const before = h.emu.state.requests.length;
    expect(await failure(h.adapter.updateCustomer(remoteId, {}, { idempotencyKey: 'u', fields: { 下次跟进: '明天吧' } }))).toMatchObject({ kind: 'validation', vendorCode: 'TEMPLATE_VALUE' });
    expect(h.emu.state.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('lookups with hostile text', () => {
  it('finds by phone typed in any format, by email in any case, and by code', async () => {
    const h = await harness();
    const id = h.emu.control.insert(h.base.id, '客户', { 客户名称: '张伟', 电话: '138 0013 8000', 邮箱: 'Zhang@Example.com', 客户编号: 'KH2026-0009' });
    h.emu.control.insert(h.base.id, '客户', { 客户名称: '别人', 电话: '+86 139 0000 0000' });
    expect((await h.adapter.findCustomers({ phone: '+8613800138000' })).map((c) => [c.remoteId, c.matchedBy])).toEqual([[id, ['phone']]]);
    expect((await h.adapter.findCustomers({ email: 'zhang@example.COM' }))[0]).toMatchObject({ remoteId: id, matchedBy: ['email'], remoteCode: 'KH2026-0009' });
    expect((await h.adapter.findCustomers({ code: 'KH2026-0009' }))[0]!.remoteId).toBe(id);
  });

  it.each([
    ['a quote and a TRUE()', `x" , TRUE()) & "`],
    ['single quotes', `' OR 1=1 OR '`],
    ['a backslash before the quote', 'x\\" & TRUE() & "'],
    ['a field reference', '{客户名称}="王小明"'],
  ])('a name with %s stays one string: it matches only itself', async (_, hostile) => {
    const h = await harness();
    h.emu.control.insert(h.base.id, '客户', { 客户名称: '王小明' });
    const own = h.emu.control.insert(h.base.id, '客户', { 客户名称: hostile });
    expect((await h.adapter.findCustomers({ name: hostile })).map((c) => c.remoteId)).toEqual([own]);
    expect(await h.adapter.findCustomers({ email: hostile })).toEqual([]);
  });

  it('formulaString escapes what Airtable reads as string syntax', () => {
    expect(formulaString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
  });
});

describe('errors', () => {
  it('422 names the field; 404 on update is not-found; 403 is auth', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'k' });
    const bad = await failure(h.adapter.updateCustomer(remoteId, { email: 'not-an-email' }, { idempotencyKey: 'u' }));
    expect(bad).toMatchObject({ kind: 'validation', status: 422, vendorCode: 'INVALID_VALUE_FOR_COLUMN' });
    expect(bad!.userMessage.zh_CN).toContain('邮箱');
    const unknown = await failure(h.adapter.updateCustomer(remoteId, {}, { idempotencyKey: 'u', fields: { 不存在的字段: 'x' } }));
    expect(unknown).toMatchObject({ kind: 'validation', vendorCode: 'UNKNOWN_FIELD_NAME' });
    expect(unknown!.userMessage.en).toContain('不存在的字段');
    h.emu.control.delete(h.base.id, '客户', remoteId);
    expect(await failure(h.adapter.updateCustomer(remoteId, { company: 'x' }, { idempotencyKey: 'u' }))).toMatchObject({ kind: 'not-found', status: 404 });
    h.emu.control.revokeAccess(h.base.id);
    expect(await failure(h.adapter.findCustomers({ email: 'a@b.cn' }))).toMatchObject({ kind: 'auth', status: 403 });
  });

  it('429 waits the documented 30 s for every later request; 5xx on a write is an unknown outcome, 503 retryable', async () => {
    let skew = 0;
    const h = await harness({ now: () => Date.now() + skew });
    h.emu.control.rateLimitFor(h.base.id, RATE_LIMIT_WAIT_MS);
    const e = await failure(h.adapter.findCustomers({ email: 'a@b.cn' }));
    expect(e).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: RATE_LIMIT_WAIT_MS, vendorCode: 'RATE_LIMIT_REACHED' });
    h.emu.control.failNext({ api: 'records.write', status: 500, commit: true });
    skew += RATE_LIMIT_WAIT_MS;
    expect(await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k5' }))).toMatchObject({ kind: 'unknown-outcome', status: 500 });
    h.emu.control.failNext({ status: 503 });
    expect(await failure(h.adapter.findCustomers({ email: 'a@b.cn' }))).toMatchObject({ kind: 'retryable', status: 503 });
    // The committed write is there once; the retry lands on it.
    await h.adapter.createCustomer(customer(), { idempotencyKey: 'k5' });
    expect(h.rows('客户')).toHaveLength(1);
  });

  it('the emulator refuses a 6th request within a second of one base', async () => {
    const h = await harness({ realRate: true });
    const raw = (path: string) => fetch(`${h.emu.url}${path}`, { headers: { authorization: `Bearer ${h.emu.token}` } });
    await new Promise((ok) => setTimeout(ok, 1100)); // the set-up's requests out of the window
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await raw(`/v0/${h.base.id}/客户?pageSize=1`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });

  it('at the real rate, twelve operations started at once are paced under the limit: the emulator refuses none', async () => {
    const h = await harness({ realRate: true });
    await new Promise((ok) => setTimeout(ok, 1100)); // the set-up's requests out of the window
    await Promise.all(Array.from({ length: 12 }, (_, i) => h.adapter.findCustomers({ email: `p${i}@example.com` })));
    expect(h.emu.state.requests.filter((r) => r.status === 429)).toEqual([]);
    expect(h.emu.state.requests.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(12);
  }, 30_000);
});
