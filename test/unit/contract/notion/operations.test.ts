// The Notion adapter's write side against the strict emulator, every request validated against
// notion.json (helpers.ts): setup, test connection, create (lookup before create, reconciliation
// after a lost reply), find by phone / email / code / name, update, follow-up comments, deals and
// tasks linked by relation, listFields, errors classified from Notion's bodies.
import { describe, expect, it } from 'vitest';
import { LIAISON_KEY_PROPERTY, NOTION_VERSION } from '../../../../lib/crm/notion/spec';
import { customer, deal, failure, followUp, harness } from './helpers';

const prop = (page: any, name: string) => page.properties[name];
const text = (v: any) => (v?.title ?? v?.rich_text ?? []).map((t: any) => t.plain_text).join('');

describe('setup and test connection', () => {
  it('prepare adds the missing properties (typed) and the Liaison key, and the relation on deals/tasks; a second run adds nothing', async () => {
    const h = await harness({ prepared: false });
    const r = await h.adapter.prepare();
    expect(r.usable).toBe(true);
    expect(r.created).toEqual(expect.arrayContaining([`customers.${LIAISON_KEY_PROPERTY}`, 'deals.客户', 'deals.金额', 'deals.状态', 'tasks.截止时间', 'tasks.客户']));
    expect(r.settings.customers_data_source_id).toBe(h.customers.dataSourceId);
    const ds = h.emu.state.dataSources.get(h.deals.dataSourceId)!;
    expect(ds.properties.get('客户')).toMatchObject({ type: 'relation', config: { data_source_id: h.customers.dataSourceId } });
    expect(ds.properties.get('金额')?.type).toBe('number');
    const again = await h.another().prepare();
    expect(again.created).toEqual([]);
    expect(h.log.errors()).toEqual([]);
  });

  it('test connection names the workspace and the customer database; every request carries Notion-Version 2025-09-03', async () => {
    const h = await harness();
    const seen: string[] = [];
    h.emu.state.requests.length = 0;
    expect((await h.adapter.verify()).account).toBe('Notion · 联络销售团队 · 客户');
    expect(NOTION_VERSION).toBe('2025-09-03');
    seen.push(...h.emu.state.requests.map((r) => r.api));
    expect(seen).toContain('users.me');
    // The pasted id is a database's: the data source probe answers 404, then the database is read (sources.ts).
    expect(h.emu.state.requests.map((r) => `${r.api} ${r.status}`)).toEqual(['users.me 200', 'data_sources.get 404', 'databases.get 200', 'data_sources.get 200']);
  });

  it('a database not shared with the integration: not-found telling the user to connect it', async () => {
    const h = await harness();
    h.emu.control.share(h.customers.dataSourceId, false);
    const e = await failure(h.another().verify());
    expect(e?.kind).toBe('not-found');
    expect(e?.userMessage.zh_CN).toContain('连接');
  });

  it('an invalid token: auth (401 unauthorized)', async () => {
    const h = await harness();
    h.emu.control.revokeToken();
    const e = await failure(h.adapter.verify());
    expect(e).toMatchObject({ kind: 'auth', status: 401, vendorCode: 'unauthorized' });
  });
});

describe('customers', () => {
  it('createCustomer writes a page with the seed 004 property types and the Liaison key', async () => {
    const h = await harness();
    const c = customer({ nextFollowUpAt: Date.UTC(2026, 2, 9) });
    const ref = await h.adapter.createCustomer(c, { idempotencyKey: c.id });
    const [page] = h.emu.control.pages(h.customers.dataSourceId);
    expect(page!.id).toBe(ref.remoteId);
    expect(text(prop(page, '客户姓名'))).toBe('王小明');
    expect(prop(page, '电话').phone_number).toBe('+8613800138000');
    expect(prop(page, '邮箱').email).toBe(c.email);
    expect(prop(page, '状态').select.name).toBe('跟进中');
    expect(prop(page, '标签').multi_select.map((o: any) => o.name)).toEqual(['老客户']);
    expect(prop(page, '下次跟进').date.start).toBe('2026-03-09T00:00:00.000Z');
    expect(text(prop(page, LIAISON_KEY_PROPERTY))).toBe(c.id);
    expect(ref.remoteCode).toBe('KH2026-0001');
    expect(h.log.errors()).toEqual([]);
  });

  it('a retry after a lost reply (committed) finds the first page: one page, the same id', async () => {
    const h = await harness();
    const c = customer();
    h.emu.control.dropNext({ api: 'pages.create' });
    const e = await failure(h.adapter.createCustomer(c, { idempotencyKey: c.id }));
    expect(e?.kind).toBe('unknown-outcome');
    const ref = await h.adapter.createCustomer(c, { idempotencyKey: c.id });
    const pages = h.emu.control.pages(h.customers.dataSourceId);
    expect(pages).toHaveLength(1);
    expect(ref.remoteId).toBe(pages[0]!.id);
  });

  it('500 on create is an unknown outcome; 503 retryable; 409 conflict_error retryable; 429 rate-limited with Retry-After', async () => {
    const h = await harness();
    h.emu.control.failNext({ api: 'pages.create', status: 500 });
    expect((await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k1' })))?.kind).toBe('unknown-outcome');
    h.emu.control.failNext({ api: 'pages.create', status: 503 });
    expect((await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k2' })))).toMatchObject({ kind: 'retryable', vendorCode: 'service_unavailable' });
    h.emu.control.failNext({ api: 'pages.create', status: 409 });
    expect((await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k3' })))).toMatchObject({ kind: 'retryable', vendorCode: 'conflict_error' });
    h.emu.control.rateLimitFor(1500);
    const rl = await failure(h.another().findCustomers({ phone: '+8613800138000' }));
    expect(rl).toMatchObject({ kind: 'rate-limited', vendorCode: 'rate_limited' });
    expect(rl?.retryAfterMs).toBeGreaterThanOrEqual(1000);
  });

  it('a value Notion refuses: validation naming the property', async () => {
    const h = await harness({ settings: { mapping: { customer: { company: '电话' } } } });
    const e = await failure(h.adapter.createCustomer(customer({ phones: [] }), { idempotencyKey: 'x', fields: { 邮箱: 'not an email' } }));
    expect(e).toMatchObject({ kind: 'validation', vendorCode: 'validation_error' });
    expect(e?.userMessage.zh_CN).toContain('邮箱');
    expect(e?.message).not.toContain('not an email@');
  });

  it('findCustomers by phone (either stored form), email, code and name; each hit says what matched', async () => {
    const h = await harness();
    const c = customer();
    await h.adapter.createCustomer(c, { idempotencyKey: c.id });
    h.emu.control.addPageAsColleague(h.customers.dataSourceId, { 客户姓名: { title: [{ text: { content: '李娜' } }] }, 电话: { phone_number: '13900139000' } });
    expect((await h.adapter.findCustomers({ phone: '+8613800138000' })).map((r) => r.matchedBy)).toEqual([['phone']]);
    expect((await h.adapter.findCustomers({ phone: '+8613900139000' }))[0]).toMatchObject({ name: '李娜', matchedBy: ['phone'] });
    expect((await h.adapter.findCustomers({ email: c.email!.toUpperCase() }))[0]?.matchedBy).toEqual(['email']);
    expect((await h.adapter.findCustomers({ code: 'KH2026-0001' }))[0]?.remoteCode).toBe('KH2026-0001');
    expect((await h.adapter.findCustomers({ name: '小明' }))[0]?.fields?.stage).toBe('跟进中');
    expect(await h.adapter.findCustomers({ phone: '+8613700000000' })).toEqual([]);
    expect(h.log.errors()).toEqual([]);
  });

  it('updateCustomer sends only the changed properties; clearing a field writes null', async () => {
    const h = await harness();
    const c = customer();
    const { remoteId } = await h.adapter.createCustomer(c, { idempotencyKey: c.id });
    await h.adapter.updateCustomer(remoteId, { stage: '谈判中', email: undefined }, { idempotencyKey: 'u1' });
    const patch = h.emu.state.requests.find((r) => r.api === 'pages.update')!.body as any;
    expect(Object.keys(patch.properties).sort()).toEqual(['状态', '邮箱']);
    expect(patch.properties.邮箱).toEqual({ email: null });
    const page = h.emu.control.pages()[0];
    expect(prop(page, '状态').select.name).toBe('谈判中');
    expect(h.log.errors()).toEqual([]);
  });

  it('listFields lists the writable properties with select options, without Liaison\'s own', async () => {
    const h = await harness();
    const f = await h.adapter.listFields();
    const names = f.customer!.map((x) => x.name);
    expect(names).toEqual(expect.arrayContaining(['客户姓名', '电话', '状态', '下次跟进']));
    expect(names).not.toContain(LIAISON_KEY_PROPERTY);
    expect(f.customer!.find((x) => x.name === '优先级')?.options).toEqual(['高', '中', '低']);
    expect(f.deal!.map((x) => x.name)).not.toContain('客户');
  });

  it('a template naming the Liaison key is refused before anything is written', async () => {
    const h = await harness();
    const e = await failure(h.adapter.createCustomer(customer(), { idempotencyKey: 'k', fields: { [LIAISON_KEY_PROPERTY]: 'x' } }));
    expect(e?.vendorCode).toBe('RESERVED_FIELD');
    expect(h.emu.state.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('follow-ups, deals and tasks', () => {
  it('addFollowUp posts one comment on the page; a retry after a lost reply finds it', async () => {
    const h = await harness();
    const c = customer();
    const { remoteId } = await h.adapter.createCustomer(c, { idempotencyKey: c.id });
    const f = followUp();
    h.emu.control.dropNext({ api: 'comments.create' });
    expect((await failure(h.adapter.addFollowUp(remoteId, f, { idempotencyKey: f.id })))?.kind).toBe('unknown-outcome');
    const ref = await h.adapter.addFollowUp(remoteId, f, { idempotencyKey: f.id });
    const comments = h.emu.control.comments(remoteId);
    expect(comments).toHaveLength(1);
    expect(ref.remoteId).toBe(comments[0]!.id);
    expect(comments[0]!.text).toContain('跟进方式：微信');
    expect(h.log.errors()).toEqual([]);
  });

  it('without the comment capabilities: auth (403 restricted_resource) naming them', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'c' });
    h.emu.control.setCapabilities({ readComments: false, insertComments: false });
    const e = await failure(h.adapter.addFollowUp(remoteId, followUp(), { idempotencyKey: 'f' }));
    expect(e).toMatchObject({ kind: 'auth', status: 403, vendorCode: 'restricted_resource' });
    expect(e?.userMessage.zh_CN).toContain('评论');
  });

  it('createDeal and createTask write pages linked by the 客户 relation, once each', async () => {
    const h = await harness();
    const { remoteId } = await h.adapter.createCustomer(customer(), { idempotencyKey: 'c' });
    const d = deal();
    const r1 = await h.adapter.createDeal(remoteId, d, { idempotencyKey: d.id });
    expect((await h.adapter.createDeal(remoteId, d, { idempotencyKey: d.id })).remoteId).toBe(r1.remoteId);
    const [dp] = h.emu.control.pages(h.deals.dataSourceId);
    expect(prop(dp, '客户').relation).toEqual([{ id: remoteId }]);
    expect(prop(dp, '金额').number).toBe(1_000_000);
    expect(prop(dp, '状态').select.name).toBe('已放款');
    const t = await h.adapter.createTask(remoteId, { title: '回访王小明', dueAt: Date.UTC(2026, 2, 7, 2) }, { idempotencyKey: 'task-1' });
    const [tp] = h.emu.control.pages(h.tasks.dataSourceId);
    expect(tp!.id).toBe(t.remoteId);
    expect(prop(tp, '截止时间').date.start).toBe('2026-03-07T02:00:00.000Z');
    expect(h.log.errors()).toEqual([]);
  });

  it('no deals database configured: a validation error asking for it, nothing sent', async () => {
    const h = await harness({ deals: false });
    const e = await failure(h.adapter.createDeal('p', deal(), { idempotencyKey: 'd' }));
    expect(e).toMatchObject({ kind: 'validation', vendorCode: 'NO_SOURCE' });
  });
});

describe('pacing', () => {
  it("at Notion's real rate (3 requests/s with bursts), fifteen lookups started at once are paced under it: the emulator refuses none", async () => {
    const h = await harness({ realRate: true });
    await new Promise((ok) => setTimeout(ok, 4000)); // the emulator's bucket refills after the set-up
    h.emu.control.clearLog();
    await Promise.all(Array.from({ length: 15 }, (_, i) => h.adapter.findCustomers({ email: `p${i}@example.com` })));
    const log = h.emu.state.requests;
    expect(log.filter((r) => r.status === 429)).toEqual([]);
    expect(log.length).toBeGreaterThanOrEqual(15);
  });
});
