// Shared set-up for the 智邦ERP contract tests: one emulator per test, an adapter wired to it
// with the real global fetch over loopback, and an explicit state store (standing in for the
// background's kv table) so a "restarted worker" can be simulated with a second adapter.
import { afterEach } from 'vitest';
import { randomUUID } from 'node:crypto';
export { DEFAULT_USER as DEFAULT } from '../../../emulators/zhibang';
import { startZhibangEmulator, type ZhibangEmulator, type ZhibangEmulatorOptions, type ReplyShape } from '../../../emulators/zhibang';
import { createZhibangAdapter, type ZhibangDeps } from '../../../../lib/crm/zhibang/adapter';
import { resetZhibangSessions } from '../../../../lib/crm/zhibang/session';
import { resetZhibangEnumCache } from '../../../../lib/crm/zhibang/enums';
import { resetZhibangMemory, type ConnectionStateStore } from '../../../../lib/crm/zhibang/state';
import { createRateLimiter } from '../../../../lib/crm/rate-limiter';
import type { Customer, Deal, FollowUp } from '../../../../lib/model';

const running: ZhibangEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
  resetZhibangSessions();
  resetZhibangEnumCache();
  resetZhibangMemory();
});

export const STYLES = [
  ['v1', 'body'],
  ['v1', 'data'],
  ['v3', 'body'],
  ['v3', 'data'],
] as const satisfies readonly (readonly ['v1' | 'v3', ReplyShape])[];

export function memoryState(): ConnectionStateStore & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return { map, get: async (k) => map.get(k), set: async (k, v) => void map.set(k, v), delete: async (k) => void map.delete(k) };
}

export interface Setup {
  emu: ZhibangEmulator;
  deps: ZhibangDeps;
  adapter: ReturnType<typeof createZhibangAdapter>;
  /** A second adapter on the same connection and state (a restarted service worker). */
  another(over?: Partial<ZhibangDeps>): ReturnType<typeof createZhibangAdapter>;
}

export async function setup(
  o: { style?: 'v1' | 'v3'; shape?: ReplyShape; emu?: ZhibangEmulatorOptions; settings?: Record<string, unknown>; password?: string } = {},
): Promise<Setup> {
  const emu = await startZhibangEmulator({ replyShape: o.shape ?? 'body', ...o.emu });
  running.push(emu);
  const deps: ZhibangDeps = {
    db: undefined,
    connection: {
      id: `zb-${randomUUID()}`,
      kind: 'zhibang',
      name: '智邦',
      enabled: true,
      settings: { host: emu.url, user: 'sales01', apiStyle: o.style ?? 'v1', defaultSource: '1001', ...o.settings },
      createdAt: 0,
    },
    secrets: { password: o.password ?? 'pa55word' },
    now: Date.now,
    state: memoryState(),
    // Unthrottled but still one write at a time, like the spec's limiter, so tests stay fast.
    limiter: createRateLimiter({ concurrentWrites: 1 }),
    timeoutMs: 3000,
  };
  return { emu, deps, adapter: createZhibangAdapter(deps), another: (over = {}) => createZhibangAdapter({ ...deps, ...over }) };
}

let seq = 0;
export const customer = (over: Partial<Customer> = {}): Customer => ({
  id: `c${++seq}`,
  code: '',
  name: '王小明',
  phones: ['+8613800138000'],
  wechatId: 'wxid_wang01',
  tags: [],
  stage: '新客户',
  createdAt: 0,
  updatedAt: 0,
  searchKeys: [],
  ...over,
});

export const followUp = (over: Partial<FollowUp> = {}): FollowUp => ({
  id: `f${++seq}`,
  customerId: 'c',
  method: '微信',
  content: '客户询问信用贷的利率',
  at: Date.UTC(2026, 2, 5, 2),
  origin: 'manual',
  messageIds: [],
  ...over,
});

export const deal = (over: Partial<Deal> = {}): Deal => ({
  id: `d${++seq}`,
  customerId: 'c',
  product: '信用贷',
  institution: '招商银行',
  amount: 200000,
  rate: 3.6,
  termMonths: 36,
  status: '进行中',
  createdAt: 0,
  ...over,
});

export const key = () => randomUUID();

/** Requests the emulator received on a path (lower-case substring). */
export const hits = (emu: ZhibangEmulator, path: string, cmdkey?: string) =>
  emu.state.requests.filter((r) => r.path.includes(path) && (cmdkey === undefined || r.cmdkey === cmdkey)).length;

/** POST JSON straight at the emulator (for tests of the emulator itself). */
export async function post(emu: ZhibangEmulator, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${emu.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { http: res.status, json: (await res.json().catch(() => undefined)) as Record<string, any> };
}

export async function loginRaw(emu: ZhibangEmulator, user = 'sales01', password = 'pa55word', rndcode = ''): Promise<Record<string, any>> {
  return (
    await post(emu, '/sysa/mobilephone/login.asp', {
      datas: [
        { id: 'user', val: `txt:${user}` },
        { id: 'password', val: `txt:${password}` },
        { id: 'serialnum', val: 'txt:test01' },
        { id: 'rndcode', val: rndcode },
      ],
    })
  ).json;
}
