// The NocoDB adapter against the strict emulator (the same contract test/integration proves
// against a real NocoDB 0.301.3).
import { describe, expect, it } from 'vitest';
import { CrmError } from '../../../../lib/crm/errors';
import { parseWhere } from '../../../emulators/nocodb/index';
import { customer, key, rig } from './helpers';

async function caught(p: Promise<unknown>): Promise<CrmError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(CrmError);
  return e as CrmError;
}

describe('emulator strictness', () => {
  it('parses only the where syntax NocoDB takes', () => {
    expect(parseWhere('(电话,eq,+8613800138000)~or(客户编号,eq,L-1)')?.conds).toHaveLength(2);
    expect(parseWhere('电话=1')).toBeNull();
    expect(parseWhere('(电话,eq,a(b))')).toBeNull();
  });
});

describe('NocoDB adapter (emulator)', () => {
  it('sets up the three tables with links once, and reuses them', async () => {
    const { em, adapter } = rig();
    const r = await adapter.setupRecommendedTables();
    expect(r).toMatchObject({ ok: true, usable: true, created: ['customers', 'followUps', 'deals'] });
    expect(em.tableByTitle('跟进记录')!.columns.find((c) => c.title === '客户')?.colOptions?.type).toBe('bt');
    const again = await adapter.prepare();
    expect(again).toMatchObject({ created: [], problems: [], usable: true });
    expect(em.tables.size).toBe(3);
  });

  it('creates, finds precisely and updates; 404 → not-found', async () => {
    const { em, adapter } = rig();
    await adapter.setupRecommendedTables();
    const ref = await adapter.createCustomer(customer({ name: '张三', phones: ['+8613800138000'], product: '车贷' }), { idempotencyKey: key() });
    expect(em.tableByTitle('客户')!.rows[0]).toMatchObject({ 姓名: '张三', 电话: '+8613800138000', 意向产品: '车贷' });
    expect((await adapter.findCustomers({ phone: '13800138000' })).map((c) => c.remoteId)).toEqual([ref.remoteId]);
    expect(await adapter.findCustomers({ phone: '+8613900139000' })).toEqual([]);
    // A value NocoDB's filter cannot carry safely is not sent at all.
    expect(await adapter.findCustomers({ code: 'a,b)' })).toEqual([]);
    await adapter.updateCustomer(ref.remoteId, { stage: '跟进中' }, { idempotencyKey: key() });
    expect(em.tableByTitle('客户')!.rows[0]).toMatchObject({ 客户阶段: '跟进中' });
    expect((await caught(adapter.updateCustomer('999', { stage: '跟进中' }, { idempotencyKey: key() }))).kind).toBe('not-found');
  });

  it('checks select values before sending, naming field and options', async () => {
    const { em, adapter } = rig();
    await adapter.setupRecommendedTables();
    const before = em.requests.length;
    const e = await caught(adapter.createCustomer(customer({ phones: ['+8613800138000'], intentLevel: '急' as never }), { idempotencyKey: key() }));
    expect(e.kind).toBe('validation');
    expect(e.userMessage.zh_CN).toContain('「意向等级」没有「急」');
    expect(e.userMessage.zh_CN).toContain('高、中、低');
    expect(em.requests.slice(before).filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('a bad token → auth', async () => {
    const { make } = rig();
    expect((await caught(make({}, 'bad').verify())).kind).toBe('auth');
  });

  it('batches ≤100 rows per request and reconciles a lost reply by lookup (no duplicates)', async () => {
    const { em, adapter } = rig();
    await adapter.setupRecommendedTables();
    const items = Array.from({ length: 150 }, (_, i) => ({ customer: customer({ phones: [`+86137${String(i).padStart(8, '0')}`] }), idempotencyKey: key() }));
    em.loseNextReply(); // the first 100 are stored, the reply never arrives
    const results = await adapter.batchCreateCustomers(items);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(em.tableByTitle('客户')!.rows).toHaveLength(150);
    const posts = em.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/records'));
    expect(posts).toHaveLength(2); // the lost one, then the last 50: the first 100 were found, not re-sent
  });

  it('imports with dedupe, ≤100 per request', async () => {
    const { em, adapter } = rig();
    await adapter.setupRecommendedTables();
    const leads = [
      ...Array.from({ length: 230 }, (_, i) => ({ name: `L${i}`, phone: `139${String(10_000_000 + i * 37).slice(-8)}` })),
      { name: 'dup', phone: '+86 139 1000 0000' },
      { name: 'bad', phone: '12345' },
    ];
    const r = await adapter.importLeads(leads);
    expect(r.synced).toHaveLength(230);
    expect(r.skipped.map((s) => s.reason).sort()).toEqual(['duplicate', 'invalid-phone']);
    expect(r.batches).toBe(3);
    expect(em.tableByTitle('客户')!.rows).toHaveLength(230);
  });

  it('a follow-up is one linked row; a retry after a lost reply finds it instead of adding another', async () => {
    const { em, adapter } = rig();
    await adapter.setupRecommendedTables();
    const ref = await adapter.createCustomer(customer({ phones: ['+8613800138000'] }), { idempotencyKey: key() });
    const f = { id: 'f-1', customerId: 'c', method: '电话' as const, content: '约面谈', at: 0, origin: 'manual' as const, messageIds: [] };
    em.loseNextReply();
    expect((await caught(adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: key() }))).kind).toBe('unknown-outcome');
    const again = await adapter.addFollowUp(ref.remoteId, f, { idempotencyKey: key() });
    const rows = em.tableByTitle('跟进记录')!.rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ Id: Number(again.remoteId), 记录ID: 'f-1', 客户: { Id: Number(ref.remoteId) } });
  });
});
