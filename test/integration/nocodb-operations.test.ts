// The NocoDB adapter against a real NocoDB 0.301.3: setup of the recommended tables (and reuse on
// a second run), mapping existing tables with clear problems, create/find/update, follow-ups and
// deals as linked rows (and their lookup on retry), select-option validation, 404, bad token.
import { beforeAll, describe, expect, it } from 'vitest';
import { CrmError } from '../../lib/crm/errors';
import type { Deal, FollowUp } from '../../lib/model';
import { adapterFor, api, connectionFor, count, customer, freshBase, preparedBase } from './helpers';

let ctx: Awaited<ReturnType<typeof preparedBase>>;
const key = () => crypto.randomUUID();

beforeAll(async () => {
  ctx = await preparedBase('operations');
});

async function caught(p: Promise<unknown>): Promise<CrmError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CrmError);
  return e as CrmError;
}

describe('setup', () => {
  it('created the three tables with links, and a second run reuses them', async () => {
    const meta = await api<{ columns: { title: string; uidt: string; colOptions?: { options?: { title: string }[]; fk_related_model_id?: string } }[] }>('GET', `/api/v2/meta/tables/${ctx.tables.followUps}`);
    const link = meta.body.columns.find((c) => c.title === '客户');
    expect(link?.uidt).toBe('LinkToAnotherRecord');
    expect(link?.colOptions?.fk_related_model_id).toBe(ctx.tables.customers);
    const cust = await api<{ columns: { title: string; uidt: string; colOptions?: { options?: { title: string }[] } }[] }>('GET', `/api/v2/meta/tables/${ctx.tables.customers}`);
    expect(cust.body.columns.find((c) => c.title === '意向等级')?.colOptions?.options?.map((o) => o.title)).toEqual(['高', '中', '低']);
    expect(cust.body.columns.find((c) => c.title === '电话')?.uidt).toBe('PhoneNumber');

    const again = await ctx.adapter.prepare();
    expect(again).toMatchObject({ created: [], problems: [], usable: true });
    expect(again.settings).toMatchObject({ customers_table: ctx.tables.customers, followups_table: ctx.tables.followUps, deals_table: ctx.tables.deals });
    const tables = await api<{ list: unknown[] }>('GET', `/api/v2/meta/bases/${ctx.baseId}/tables`);
    expect(tables.body.list).toHaveLength(3);
  });

  it('maps an existing table by column title and names what is missing', async () => {
    const baseId = await freshBase('existing');
    const t = await api<{ id: string }>('POST', `/api/v2/meta/bases/${baseId}/tables`, {
      table_name: 'leads',
      title: '我的客户',
      columns: [
        { column_name: 'name', title: '姓名', uidt: 'SingleLineText' },
        { column_name: 'phone', title: '电话', uidt: 'SingleLineText' },
        { column_name: 'amount', title: '意向金额', uidt: 'SingleLineText' },
      ],
    });
    const adapter = adapterFor(connectionFor(baseId, { customers_table: t.body.id }));
    const r = await adapter.prepare();
    expect(r.usable).toBe(true); // 姓名 and 电话 are there (电话 as text is fine)
    expect(r.problems).toContain('客户.微信号 (missing)');
    expect(r.problems).toContain('客户.意向金额 (type SingleLineText, expected Decimal)');
    expect(r.settings.omit_fields).toEqual(expect.arrayContaining(['微信号', '意向金额']));
  });
});

describe('customers', () => {
  it('creates, finds by phone (either stored form), code and email, and updates', async () => {
    const c = customer({ name: '张三', phones: ['+8613800138000'], email: 'zhang@example.com', source: '抖音', product: '信用贷', amount: 200000, intentLevel: '高', nextFollowUpAt: Date.UTC(2026, 11, 1, 10) });
    const ref = await ctx.adapter.createCustomer(c, { idempotencyKey: key() });
    expect(ref.remoteId).toMatch(/^\d+$/);
    // 客户编号 is NocoDB's (a formula on the row id): the team's code, never Liaison's local one.
    expect(ref.remoteCode).toBe(`KH${ref.remoteId.padStart(6, '0')}`);
    const row = await api<Record<string, unknown>>('GET', `/api/v2/tables/${ctx.tables.customers}/records/${ref.remoteId}`);
    expect(row.body).toMatchObject({ 姓名: '张三', 电话: '+8613800138000', 客户编号: ref.remoteCode, 来源渠道: '抖音', 意向金额: 200000, 意向等级: '高', 客户阶段: '新客户', 下次跟进: '2026-12-01 10:00:00+00:00' });

    for (const q of [{ phone: '+8613800138000' }, { phone: '138 0013 8000' }, { code: ref.remoteCode! }, { email: 'ZHANG@example.com' }]) {
      const hits = await ctx.adapter.findCustomers(q);
      expect(hits.map((h) => h.remoteId), JSON.stringify(q)).toEqual([ref.remoteId]);
    }
    // A row typed by a person in the national form is found by the E.164 query too.
    await api('POST', `/api/v2/tables/${ctx.tables.customers}/records`, { 姓名: '李四', 电话: '13900139000' });
    const li = await ctx.adapter.findCustomers({ phone: '+8613900139000' });
    expect(li).toHaveLength(1);
    expect(li[0]).toMatchObject({ name: '李四', phones: ['+8613900139000'], matchedBy: ['phone'] });
    expect(await ctx.adapter.findCustomers({ phone: '+8613700137000' })).toEqual([]);

    await ctx.adapter.updateCustomer(ref.remoteId, { stage: '跟进中', notes: '想要低利率', amount: undefined }, { idempotencyKey: key() });
    const after = await api<Record<string, unknown>>('GET', `/api/v2/tables/${ctx.tables.customers}/records/${ref.remoteId}`);
    expect(after.body).toMatchObject({ 客户阶段: '跟进中', 备注: '想要低利率', 意向金额: null, 姓名: '张三' });
  });

  it('refuses a select value outside the options BEFORE sending, naming the field and the options', async () => {
    const before = await count(ctx.tables.customers);
    const e = await caught(ctx.adapter.createCustomer(customer({ phones: ['+8613600136000'], product: '房贷' }), { idempotencyKey: key() }));
    expect(e.kind).toBe('validation');
    expect(e.userMessage.zh_CN).toContain('意向产品');
    expect(e.userMessage.zh_CN).toContain('房贷');
    expect(e.userMessage.zh_CN).toContain('信用贷、抵押贷、车贷、经营贷');
    expect(await count(ctx.tables.customers)).toBe(before);
  });

  it('NocoDB itself refuses an option that changed under us: validation with its own message', async () => {
    // The adapter read the options earlier; someone removes one in NocoDB afterwards.
    const meta = await api<{ columns: { id: string; title: string; colOptions?: { options?: { id: string; title: string; color?: string }[] } }[] }>('GET', `/api/v2/meta/tables/${ctx.tables.customers}`);
    const col = meta.body.columns.find((c) => c.title === '来源渠道')!;
    const keep = col.colOptions!.options!.filter((o) => o.title !== '百度');
    const upd = await api('PATCH', `/api/v2/meta/columns/${col.id}`, { title: '来源渠道', column_name: 'source', uidt: 'SingleSelect', colOptions: { options: keep } });
    expect(upd.status).toBe(200);
    const e = await caught(ctx.adapter.createCustomer(customer({ phones: ['+8613600136001'], source: '百度' }), { idempotencyKey: key() }));
    expect(e.kind).toBe('validation');
    expect(e.status).toBe(400);
    expect(e.userMessage.en).toMatch(/来源渠道/);
  });

  it('a deleted record → not-found; a missing table → not-found with a settings hint', async () => {
    const e = await caught(ctx.adapter.updateCustomer('999999', { name: 'x' }, { idempotencyKey: key() }));
    expect(e.kind).toBe('not-found');
    const bad = adapterFor(connectionFor(ctx.baseId, { customers_table: 'mdoesnotexist00' }));
    const e2 = await caught(bad.createCustomer(customer({ phones: ['+8613500135000'] }), { idempotencyKey: key() }));
    expect(e2.kind).toBe('not-found');
  });

  it('a bad token → auth, on verify and on writes; a good one names the account', async () => {
    const bad = adapterFor(ctx.connection, 'not-a-token');
    expect((await caught(bad.verify())).kind).toBe('auth');
    expect((await caught(bad.createCustomer(customer(), { idempotencyKey: key() }))).kind).toBe('auth');
    const ok = await ctx.adapter.verify();
    expect(ok.account).toContain('admin@liaison.test');
    expect(ok.account).toContain('3 tables');
  });

  it('batch-creates ≤100 rows, failing only the rows with bad select values', async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ customer: customer({ phones: [`+86137${String(i).padStart(8, '0')}`], intentLevel: i === 7 ? ('急' as never) : '中' }), idempotencyKey: key() }));
    const before = await count(ctx.tables.customers);
    const results = await ctx.adapter.batchCreateCustomers(items);
    expect(results.filter((r) => r.ok)).toHaveLength(99);
    const bad = results[7]!;
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.userMessage.zh_CN).toContain('意向等级');
    expect(await count(ctx.tables.customers)).toBe(before + 99);
  });
});

describe('follow-ups and deals as linked rows', () => {
  it('adds a follow-up linked to the customer, and a retry with the same id adds nothing', async () => {
    const ref = await ctx.adapter.createCustomer(customer({ name: '王五', phones: ['+8613400134000'] }), { idempotencyKey: key() });
    const f: FollowUp = { id: `f-${key()}`, customerId: 'x', method: '微信', content: '问了经营贷额度', result: '有意向', at: Date.UTC(2026, 10, 20, 8), origin: 'manual', messageIds: [] };
    const a = await ctx.adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: key() });
    const b = await ctx.adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: key() });
    expect(b.remoteId).toBe(a.remoteId);
    expect(await count(ctx.tables.followUps, `(记录ID,eq,${f.id})`)).toBe(1);
    const row = await api<Record<string, unknown>>('GET', `/api/v2/tables/${ctx.tables.followUps}/records/${a.remoteId}`);
    expect(row.body).toMatchObject({ 跟进方式: '微信', 跟进内容: '问了经营贷额度', 跟进结果: '有意向', 跟进时间: '2026-11-20 08:00:00+00:00', 客户: { Id: Number(ref.remoteId) } });
    // Seen from the customer: one linked follow-up.
    const cust = await api<Record<string, unknown>>('GET', `/api/v2/tables/${ctx.tables.customers}/records/${ref.remoteId}`);
    expect(cust.body['跟进记录']).toBe(1);
  });

  it('creates a deal linked to the customer, and refuses a status outside the options', async () => {
    const ref = await ctx.adapter.createCustomer(customer({ name: '赵六', phones: ['+8613300133000'] }), { idempotencyKey: key() });
    const d: Deal = { id: `d-${key()}`, customerId: 'x', product: '经营贷', institution: '招商银行', amount: 500000, rate: 3.85, termMonths: 36, commission: 5000, status: '已放款', closedAt: Date.UTC(2026, 10, 21), createdAt: Date.now() };
    const r = await ctx.adapter.createDeal(ref.remoteId, d, { idempotencyKey: key() });
    const row = await api<Record<string, unknown>>('GET', `/api/v2/tables/${ctx.tables.deals}/records/${r.remoteId}`);
    expect(row.body).toMatchObject({ 产品名称: '经营贷', 银行: '招商银行', 成交金额: 500000, 利率: 3.85, 期限: 36, 状态: '已放款', 客户: { Id: Number(ref.remoteId) } });
    const e = await caught(ctx.adapter.createDeal(ref.remoteId, { ...d, id: `d-${key()}`, status: '作废' as never }, { idempotencyKey: key() }));
    expect(e.kind).toBe('validation');
    expect(e.userMessage.zh_CN).toContain('状态');
  });

  it('tasks are unsupported', async () => {
    expect((await caught(ctx.adapter.createTask('1', { title: 't', dueAt: 0 }, { idempotencyKey: key() }))).kind).toBe('unsupported');
  });
});
