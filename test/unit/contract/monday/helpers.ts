// Shared set-up for the monday contract tests: an emulator per test with a customers board
// shaped like seed 004's customer list (客户编号, 电话 phone, 邮箱 email, 状态 status, 下次跟进
// date, 标签 dropdown, 备注 long text…), deals and tasks boards, an adapter on its own connection,
// and every document it sends validated against monday's own schema (shared/specs/monday.graphql,
// test/specs/graphql.ts): the counts are printed after the file, and must show 0 violations.
import { afterAll, afterEach, vi } from 'vitest';
import { createMondayAdapter } from '../../../../lib/crm/monday/adapter';
import type { CrmError } from '../../../../lib/crm/errors';
import type { Customer, Deal, FollowUp } from '../../../../lib/model';
import { startMondayEmulator, type MondayEmulator, type MondayEmulatorOptions } from '../../../emulators/monday';
import { validatingGraphqlFetch, type GraphqlLog } from '../../../specs/graphql';

vi.setConfig({ testTimeout: 30_000 });

const open: MondayEmulator[] = [];
const logs: GraphqlLog[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});
afterAll(() => {
  const validated = logs.reduce((n, l) => n + l.counts().validated, 0);
  const violations = logs.reduce((n, l) => n + l.counts().violations, 0);
  console.log(`[monday.graphql] ${validated} documents validated, ${violations} violations`);
});
export const allLogs = () => logs;

export const CUSTOMER_COLUMNS = [
  { title: '客户编号', type: 'text' }, { title: '电话', type: 'phone' }, { title: '邮箱', type: 'email' }, { title: '公司', type: 'text' },
  { title: '来源', type: 'status', labels: ['抖音'] }, { title: '状态', type: 'status', labels: ['新客户', '跟进中'] }, { title: '意向等级', type: 'status', labels: ['高', '中', '低'] },
  { title: '标签', type: 'dropdown', labels: ['老客户'] }, { title: '备注', type: 'long_text' }, { title: '下次跟进', type: 'date' },
];

export async function harness(o: { emu?: MondayEmulatorOptions; prepared?: boolean; boards?: 'all' | 'customers'; token?: string; complexityFloor?: number } = {}) {
  const emu = await startMondayEmulator(o.emu);
  open.push(emu);
  const customers = emu.control.addBoard('客户', CUSTOMER_COLUMNS);
  const deals = emu.control.addBoard('成交', [{ title: '金额', type: 'numbers' }, { title: '状态', type: 'status', labels: ['进行中'] }]);
  const tasks = emu.control.addBoard('任务');
  const { fetch, log } = validatingGraphqlFetch('monday', 'monday.graphql');
  logs.push(log);
  const connectionId = `monday-${crypto.randomUUID()}`;
  const sent: { method: string; url: string }[] = [];
  const settings = {
    customers_board: `https://liaison-demo.monday.com/boards/${customers.id}/views/1`,
    ...(o.boards === 'customers' ? {} : { deals_board: deals.id, tasks_board: tasks.id }),
  };
  const make = () =>
    createMondayAdapter(
      { db: null, connection: { id: connectionId, kind: 'monday', name: 'monday', enabled: true, createdAt: 0, settings }, secrets: { token: o.token ?? emu.token }, now: Date.now, fetch },
      { baseUrl: emu.url, timeoutMs: 3000, onRequest: (r) => sent.push(r), ...(o.complexityFloor !== undefined ? { complexityFloor: o.complexityFloor } : {}) },
    );
  const adapter = make();
  if (o.prepared !== false) await adapter.prepare();
  emu.control.clearLog();
  sent.length = 0;
  return { emu, adapter, log, sent, customers, deals, tasks, another: make };
}

const T0 = Date.UTC(2026, 2, 5, 1, 0);
export const customer = (over: Partial<Customer> = {}): Customer => ({
  id: crypto.randomUUID(), code: 'KH2026-0001', name: '王小明', phones: ['+8613800138000'], tags: ['老客户'], stage: '跟进中', intentLevel: '高',
  email: `wang.${Math.random().toString(36).slice(2, 8)}@example.com`, company: '深圳小明贸易', source: '抖音', createdAt: T0, updatedAt: T0, searchKeys: [], ...over,
});
export const followUp = (over: Partial<FollowUp> = {}): FollowUp => ({
  id: crypto.randomUUID(), customerId: 'c1', method: '微信', content: '客户问了抵押贷利率', result: '有意向', nextAction: '发方案', nextAt: T0 + 2 * 86_400_000, at: T0, origin: 'manual', messageIds: [], ...over,
});
export const deal = (over: Partial<Deal> = {}): Deal => ({
  id: crypto.randomUUID(), customerId: 'c1', product: '抵押贷', institution: '招商银行', amount: 1_000_000, status: '已放款', closedAt: T0, createdAt: T0, ...over,
});
export const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as CrmError);
