// The monday adapter under faults, against the emulator: lost replies after commit (create,
// follow-up, deal, task found, not duplicated), 5xx, a revoked token, the complexity budget
// (both error shapes), the per-minute limit with Retry-After, and errors classified from
// GraphQL error bodies — every document validated (helpers.ts).
import { expect, it } from 'vitest';
import { columnOf, errorsOf, mondayError } from '../../../../lib/crm/monday/errors';
import { harness, customer, followUp, deal, failure } from './helpers';

it('a create whose reply is lost after monday committed it is an unknown outcome, and the retry finds the item', async () => {
  const { adapter, emu, customers } = await harness();
  const c = customer();
  emu.control.dropNext({ api: 'CreateItem', commit: true });
  const e = await failure(adapter.createCustomer(c, { idempotencyKey: c.id }));
  expect(e?.kind).toBe('unknown-outcome');
  expect(emu.control.items(customers.id)).toHaveLength(1);
  const again = await adapter.createCustomer(c, { idempotencyKey: c.id });
  expect(emu.control.items(customers.id).map((i) => i.id)).toEqual([again.remoteId]);
});

it('lost replies after commit on a follow-up, a deal and a task: retried, found, not duplicated', async () => {
  const { adapter, emu, deals, tasks } = await harness();
  const ref = await adapter.createCustomer(customer(), { idempotencyKey: 'c' });
  const f = followUp();
  emu.control.dropNext({ api: 'CreateUpdate', commit: true });
  expect((await failure(adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: f.id })))?.kind).toBe('unknown-outcome');
  await adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: f.id });
  expect(emu.store.items.get(ref.remoteId)!.updates).toHaveLength(1);
  const d = deal();
  emu.control.dropNext({ api: 'CreateItem', commit: true });
  expect((await failure(adapter.createDeal(ref.remoteId, d, { idempotencyKey: d.id })))?.kind).toBe('unknown-outcome');
  await adapter.createDeal(ref.remoteId, d, { idempotencyKey: d.id });
  expect(emu.control.items(deals.id)).toHaveLength(1);
  emu.control.dropNext({ api: 'CreateItem', commit: true });
  expect((await failure(adapter.createTask(ref.remoteId, { title: '回访', dueAt: Date.now() }, { idempotencyKey: 't1' })))?.kind).toBe('unknown-outcome');
  await adapter.createTask(ref.remoteId, { title: '回访', dueAt: Date.now() }, { idempotencyKey: 't1' });
  expect(emu.control.items(tasks.id)).toHaveLength(1);
});

it('5xx: a write is an unknown outcome, a read is retryable; 503 is retryable either way', async () => {
  const { adapter, emu } = await harness();
  emu.control.failNext({ api: 'CreateItem', status: 500 });
  expect((await failure(adapter.createCustomer(customer(), { idempotencyKey: 'x' })))?.kind).toBe('unknown-outcome');
  emu.control.failNext({ api: 'FindItems', status: 502 });
  expect((await failure(adapter.findCustomers({ phone: '+8613800138000' })))?.kind).toBe('retryable');
  emu.control.failNext({ api: 'CreateItem', status: 503 });
  expect((await failure(adapter.createCustomer(customer(), { idempotencyKey: 'y' })))?.kind).toBe('retryable');
});

it('a revoked token is an auth error telling where to copy a new one', async () => {
  const { adapter, emu } = await harness();
  emu.control.revokeToken();
  const e = await failure(adapter.verify());
  expect([e?.kind, e?.status]).toEqual(['auth', 401]);
  expect(e?.userMessage.zh_CN).toContain('我的访问令牌');
  const { adapter: wrong } = await harness({ prepared: false, token: 'not-the-token' });
  expect((await failure(wrong.verify()))?.kind).toBe('auth');
});

it('an exhausted complexity budget is rate-limited with monday\'s reset, in the current and the older error shape', async () => {
  const now = { t: Date.UTC(2026, 11, 6, 7, 0, 0) };
  const { adapter, emu } = await harness({ emu: { now: () => now.t } });
  emu.control.setComplexityLeft(5);
  const e = await failure(adapter.findCustomers({ phone: '+8613800138000' }));
  expect([e?.kind, e?.status]).toEqual(['rate-limited', 429]);
  expect(e?.retryAfterMs).toBe(60_000);
  const legacy = await harness({ emu: { legacyErrors: true, now: () => now.t } });
  legacy.emu.control.setComplexityLeft(5);
  const l = await failure(legacy.adapter.findCustomers({ phone: '+8613800138000' }));
  expect([l?.kind, l?.vendorCode, l?.retryAfterMs]).toEqual(['rate-limited', 'ComplexityException', 60_000]);
});

it('a reply whose complexity left is under the floor holds the next request until the reset', async () => {
  const { adapter, emu } = await harness({ complexityFloor: 1_000_000 });
  emu.control.setComplexityLeft(1_000_500);
  await adapter.findCustomers({ phone: '+8613800138000' });
  const ac = new AbortController();
  const waited = adapter.findCustomers({ phone: '+8613800138000' }, { signal: ac.signal });
  const before = emu.log.length;
  await new Promise((r) => setTimeout(r, 400));
  expect(emu.log.length).toBe(before); // held by the limiter, not sent
  ac.abort();
  await expect(waited).rejects.toBeDefined();
});

it('the per-minute request limit: 429 RATE_LIMIT_EXCEEDED with Retry-After', async () => {
  const { adapter, emu } = await harness();
  emu.control.limitRequestsPerMinute(2); // the board's columns and one lookup
  await adapter.findCustomers({ phone: '+8613800138000' });
  const e = await failure(adapter.findCustomers({ phone: '+8613800138000' }));
  expect([e?.kind, e?.status]).toEqual(['rate-limited', 429]);
  expect(e?.retryAfterMs).toBeGreaterThan(0);
  expect(emu.log.at(-1)?.status).toBe(429);
});

it('GraphQL error bodies are classified by extensions.code, and the older flat shape is read too', () => {
  const w = { write: true };
  expect(mondayError({ message: 'x', extensions: { code: 'InvalidBoardIdException' } }, w).kind).toBe('validation');
  expect(mondayError({ message: 'x', extensions: { code: 'UserUnauthorizedException', status_code: 403 } }, w).kind).toBe('auth');
  expect(mondayError({ message: 'x', extensions: { code: 'InvalidItemIdException' } }, w).kind).toBe('not-found');
  expect(mondayError({ message: 'x', extensions: { code: 'DAILY_LIMIT_EXCEEDED' } }, w).kind).toBe('rate-limited');
  expect(mondayError({ message: 'x', extensions: { code: 'INTERNAL_SERVER_ERROR', status_code: 500 } }, w).kind).toBe('unknown-outcome');
  expect(mondayError({ message: 'x', extensions: { code: 'INTERNAL_SERVER_ERROR', status_code: 500 } }, { write: false }).kind).toBe('retryable');
  const col = { message: 'invalid value', extensions: { code: 'ColumnValueException', error_data: { column_id: 'phone_mk1' } } };
  expect(columnOf(col)).toBe('phone_mk1');
  expect(mondayError(col, { ...w, titles: (id) => (id === 'phone_mk1' ? '电话' : undefined) }).userMessage.en).toContain('"电话"');
  const flat = errorsOf({ error_code: 'ColumnValueException', status_code: 200, error_message: 'bad +8613800138000', error_data: { column_id: 'x' } });
  expect(flat?.[0]?.extensions?.code).toBe('ColumnValueException');
  expect(mondayError(flat![0]!, w).message).not.toContain('8613800138000');
  expect(errorsOf({ data: { me: null } })).toBeUndefined();
});
