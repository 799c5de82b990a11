// The monday adapter's write side against the emulator (test/emulators/monday), every document
// validated against monday's own schema (helpers.ts prints the count).
import { expect, it } from 'vitest';
import { harness, customer, followUp, deal, failure, allLogs } from './helpers';

it('setup adds the mapped columns and the Liaison key / customer columns, once', async () => {
  const { adapter, emu, customers, deals, tasks } = await harness({ prepared: false });
  const r = await adapter.prepare();
  expect(r.usable).toBe(true);
  expect(r.problems).toEqual([]);
  expect(r.created).toEqual(expect.arrayContaining(['customers.Liaison key', 'deals.Liaison 客户', 'deals.成交时间', 'deals.机构', 'tasks.截止时间', 'tasks.Liaison key']));
  const titles = (id: string) => emu.store.boards.get(id)!.columns.map((c) => `${c.title}:${c.type}`);
  expect(titles(customers.id)).toContain('Liaison key:text');
  expect(titles(deals.id)).toContain('Liaison 客户:text');
  expect(titles(tasks.id)).toContain('截止时间:date');
  expect((await adapter.prepare()).created).toEqual([]);
});

it('setup lists a mistyped column instead of changing it', async () => {
  const { adapter, emu, customers } = await harness({ prepared: false });
  emu.store.boards.get(customers.id)!.columns.find((c) => c.title === '下次跟进')!.type = 'numbers';
  const r = await adapter.prepare();
  expect(r.problems).toEqual(['customers.下次跟进: numbers ≠ date']);
});

it('verify names the user, the account and the customers board; the chooser lists boards', async () => {
  const { adapter } = await harness();
  expect((await adapter.verify()).account).toBe('monday.com · 联络演示 · 王销售 · 客户');
  const choices = await adapter.fieldChoices('customers_board');
  expect(choices?.map((c) => c.label)).toEqual(['客户 · Main workspace', '成交 · Main workspace', '任务 · Main workspace']);
  expect(await adapter.fieldChoices('token')).toBeUndefined();
});

it('creates a customer with every column type mapped, sending API-Version 2026-10 and the bare token', async () => {
  const { adapter, emu, customers } = await harness();
  const c = customer({ nextFollowUpAt: Date.UTC(2026, 2, 7, 2, 30), notes: '第一行\n第二行' });
  const ref = await adapter.createCustomer(c, { idempotencyKey: c.id });
  expect(ref.remoteCode).toBe('KH2026-0001');
  expect(ref.warnings).toBeUndefined();
  const item = emu.store.items.get(ref.remoteId)!;
  const v = (title: string) => item.values[emu.control.column(customers.id, title)];
  expect(item.name).toBe('王小明');
  expect(v('电话')?.value).toMatchObject({ phone: '+8613800138000', countryShortName: 'CN' });
  expect(v('邮箱')?.value).toMatchObject({ email: c.email, text: c.email });
  expect(v('状态')?.text).toBe('跟进中');
  expect(v('意向等级')?.text).toBe('高');
  expect(v('标签')?.text).toBe('老客户');
  expect(v('备注')?.value).toMatchObject({ text: '第一行\n第二行' });
  expect(v('下次跟进')?.value).toMatchObject({ date: '2026-03-07', time: '02:30:00' });
  expect(v('Liaison key')?.text).toBe(c.id);
  expect(emu.log.map((e) => e.apiVersion)).toEqual(emu.log.map(() => '2026-10'));
});

it('finds a customer by phone (any stored form), email, code and name, saying what matched', async () => {
  const { adapter, emu, customers } = await harness();
  const c = customer();
  const ref = await adapter.createCustomer(c, { idempotencyKey: c.id });
  emu.control.addItemAsColleague(customers.id, '张伟', { 电话: { phone: '13900001111', countryShortName: 'CN' } });
  const byPhone = await adapter.findCustomers({ phone: '+8613800138000' });
  expect(byPhone.map((r) => [r.remoteId, r.matchedBy])).toEqual([[ref.remoteId, ['phone']]]);
  expect((await adapter.findCustomers({ phone: '+8613900001111' }))[0]?.name).toBe('张伟');
  expect((await adapter.findCustomers({ email: c.email!, code: 'KH2026-0001' }))[0]?.matchedBy.sort()).toEqual(['code', 'email']);
  expect((await adapter.findCustomers({ name: '王小明' }))[0]?.fields?.stage).toBe('跟进中');
  expect(await adapter.findCustomers({ phone: '+8613700000000' })).toEqual([]);
});

it('updates a patch (name and columns) and clears an emptied column', async () => {
  const { adapter, emu, customers } = await harness();
  const c = customer();
  const ref = await adapter.createCustomer(c, { idempotencyKey: c.id });
  const up = await adapter.updateCustomer(ref.remoteId, { name: '王大明', stage: '新客户', company: '' }, { idempotencyKey: 'u1' });
  const item = emu.store.items.get(ref.remoteId)!;
  expect(item.name).toBe('王大明');
  expect(item.values[emu.control.column(customers.id, '状态')]?.text).toBe('新客户');
  expect(item.values[emu.control.column(customers.id, '公司')]).toBeUndefined();
  expect(up.marker).toMatch(/^\d+:[0-9a-f]{8}$/);
});

it('templates write by column title with the column type, refuse Liaison\'s own columns and name an unknown column', async () => {
  const { adapter, emu, customers } = await harness();
  const c = customer();
  const ref = await adapter.createCustomer(c, { idempotencyKey: c.id, fields: { 备注: '模板备注', 下次跟进: '2026-04-01T08:00:00Z' } });
  const item = emu.store.items.get(ref.remoteId)!;
  expect(item.values[emu.control.column(customers.id, '下次跟进')]?.value).toMatchObject({ date: '2026-04-01', time: '08:00:00' });
  const reserved = await failure(adapter.updateCustomer(ref.remoteId, {}, { idempotencyKey: 'x', fields: { 'Liaison key': 'x' } }));
  expect(reserved?.vendorCode).toBe('RESERVED_FIELD');
  const unknown = await failure(adapter.updateCustomer(ref.remoteId, {}, { idempotencyKey: 'x', fields: { 不存在的列: 'x' } }));
  expect([unknown?.kind, unknown?.vendorCode, unknown?.userMessage.zh_CN]).toEqual(['validation', 'InvalidColumnIdException', expect.stringContaining('不存在的列')]);
});

it('a value monday refuses is a validation error naming the column by its title', async () => {
  const { adapter } = await harness();
  const c = customer({ email: 'not-an-email' });
  const e = await failure(adapter.createCustomer(c, { idempotencyKey: c.id }));
  expect([e?.kind, e?.vendorCode]).toEqual(['validation', 'ColumnValueException']);
  expect(e?.userMessage.zh_CN).toContain('「邮箱」');
});

it('logs a follow-up as an update with a [Liaison key] line, once', async () => {
  const { adapter, emu } = await harness();
  const c = customer();
  const ref = await adapter.createCustomer(c, { idempotencyKey: c.id });
  const f = followUp({ content: '客户问利率 <含尖括号>' });
  const a = await adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: f.id });
  const b = await adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: f.id });
  expect(b.remoteId).toBe(a.remoteId);
  const updates = emu.store.items.get(ref.remoteId)!.updates;
  expect(updates).toHaveLength(1);
  expect(updates[0]!.body).toContain('<p>客户问利率 &lt;含尖括号&gt;</p>');
  expect(updates[0]!.body).toContain(`<p>[Liaison ${f.id}]</p>`);
});

it('creates a deal and a task on their boards pointing at the customer item, once each', async () => {
  const { adapter, emu, deals, tasks } = await harness();
  const c = customer();
  const ref = await adapter.createCustomer(c, { idempotencyKey: c.id });
  const d = deal();
  const d1 = await adapter.createDeal(ref.remoteId, d, { idempotencyKey: d.id });
  expect((await adapter.createDeal(ref.remoteId, d, { idempotencyKey: d.id })).remoteId).toBe(d1.remoteId);
  const item = emu.store.items.get(d1.remoteId)!;
  expect(item.name).toBe('抵押贷');
  expect(item.values[emu.control.column(deals.id, 'Liaison 客户')]?.text).toBe(ref.remoteId);
  expect(item.values[emu.control.column(deals.id, '金额')]?.text).toBe('1000000');
  expect(item.values[emu.control.column(deals.id, '状态')]?.text).toBe('已放款');
  const t = await adapter.createTask(ref.remoteId, { title: '回访王小明', dueAt: Date.UTC(2026, 2, 9, 6, 0), note: '带方案' }, { idempotencyKey: 'task-1' });
  const task = emu.store.items.get(t.remoteId)!;
  expect(task.values[emu.control.column(tasks.id, '截止时间')]?.value).toMatchObject({ date: '2026-03-09', time: '06:00:00' });
  expect(emu.control.items(tasks.id)).toHaveLength(1);
});

it('without a deals board, createDeal says to choose one (unsupported), nothing is written', async () => {
  const { adapter } = await harness({ boards: 'customers' });
  const c = customer();
  const ref = await adapter.createCustomer(c, { idempotencyKey: c.id });
  const e = await failure(adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: 'd' }));
  expect([e?.kind, e?.vendorCode]).toEqual(['unsupported', 'NO_BOARD']);
});

it('listFields gives the boards\' writable columns with their labels, minus Liaison\'s own', async () => {
  const { adapter } = await harness();
  const f = await adapter.listFields();
  expect(f.customer?.map((x) => x.name)).toContain('电话');
  expect(f.customer?.map((x) => x.name)).not.toContain('Liaison key');
  expect(f.customer?.find((x) => x.name === '意向等级')?.options).toEqual(['高', '中', '低']);
  expect(f.deal?.map((x) => x.name)).not.toContain('Liaison 客户');
});

it('every document sent so far was valid against monday.graphql', () => {
  const counts = allLogs().map((l) => l.counts());
  expect(counts.reduce((n, c) => n + c.validated, 0)).toBeGreaterThan(40);
  expect(allLogs().flatMap((l) => l.errors())).toEqual([]);
});
