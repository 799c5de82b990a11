// Tickets → 售后服务单 (lib/crm/zhibang/ticket.ts) against the emulator (test/emulators/zhibang/service.ts).
import { describe, expect, it } from 'vitest';
import { CrmError } from '../../../../lib/crm/errors';
import type { TicketInput } from '../../../../lib/crm/port';
import { splitTrace } from '../../../../lib/crm/zhibang/trace';
import { customer, DEFAULT, hits, key, loginRaw, post, setup } from './helpers';

const ticket = (over: Partial<TicketInput> = {}): TicketInput => ({
  subject: '洗衣机漏水，要求上门维修',
  description: '客户反映上周购买的洗衣机底部漏水',
  category: '售后',
  priority: '紧急',
  customer: { id: 'c1', code: 'KH2026001', name: '王小明', phones: ['+8613800138000'] },
  messages: [{ at: new Date(2026, 11, 5, 9, 30).getTime(), from: 'customer', text: '洗衣机漏水了，能来修吗？' }],
  ...over,
});

const failure = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(CrmError);
  return e as CrmError;
};

describe.each(['body', 'data'] as const)('智邦 售后服务单 (reply under "%s")', (shape) => {
  async function withCustomer(settings: Record<string, unknown> = {}) {
    const s = await setup({ shape, settings });
    const ref = await s.adapter.createCustomer(customer(), { idempotencyKey: key() });
    return { ...s, ord: ref.remoteId };
  }

  it('creates the order on the customer: title, 紧急程度 by name, 售后内容 with the chat lines and the trace, number and status read back', async () => {
    const { emu, adapter, ord } = await withCustomer({ ticketWay: '551' });
    const k = key();
    const ref = await adapter.createTicket!(ticket({ remoteCustomerId: ord }), { idempotencyKey: k });
    expect(emu.state.services).toHaveLength(1);
    const row = emu.state.services[0]!;
    expect(row).toMatchObject({ company: Number(ord), title: '洗衣机漏水，要求上门维修', great1: 522, way1: 551, lead: 0 });
    const { content, key: traced } = splitTrace(row.introts);
    expect(traced).toBe(k);
    expect(content).toBe('客户反映上周购买的洗衣机底部漏水\n分类：售后\n聊天记录：\n12-05 09:30 客户：洗衣机漏水了，能来修吗？');
    expect(ref).toMatchObject({ remoteId: String(row.ord), remoteCode: row.shid, status: '新建', vendorStatus: '待处理' });
    expect(ref.remoteCode).toMatch(/^SH\d{8}\d{3}$/);
  });

  it('assigns the service person: the ticket\'s assignee, else the connection\'s 售后服务人员; read back as 处理中', async () => {
    const { emu, adapter, ord } = await withCustomer({ ticketAssignee: String(DEFAULT.id) });
    const a = await adapter.createTicket!(ticket({ remoteCustomerId: ord }), { idempotencyKey: key() });
    expect(emu.state.services[0]!.lead).toBe(DEFAULT.id);
    expect(a.status).toBe('处理中');
    const t = await adapter.getTicket!(a.remoteId);
    expect(t).toMatchObject({ status: '处理中', assignee: DEFAULT.name, vendorStatus: `已指派：${DEFAULT.name}` });
    // An unknown user id is refused by the ERP with its own words, and nothing is saved.
    const e = await failure(adapter.createTicket!(ticket({ remoteCustomerId: ord, assignee: '999' }), { idempotencyKey: key() }));
    expect(e.kind).toBe('validation');
    expect(e.message).toContain('请选择下一阶段的售后人员');
    expect(emu.state.services).toHaveLength(1);
  });

  it('reads the status back after a colleague handles it on 售后处理 (chuli.asp): 已解决 with the 处理结果', async () => {
    const { emu, adapter, ord } = await withCustomer();
    const ref = await adapter.createTicket!(ticket({ remoteCustomerId: ord }), { idempotencyKey: key() });
    expect((await adapter.getTicket!(ref.remoteId))?.status).toBe('新建');
    const session = (await loginRaw(emu)).header.session as string;
    const r = await post(emu, '/sysa/mobilephone/salesmanage/service/chuli.asp', {
      session,
      cmdkey: '__sys_dosave',
      datas: [
        { id: 'ord', val: Number(ref.remoteId) },
        { id: 'cateid', val: String(DEFAULT.id) },
        { id: 'info1', val: '已上门更换密封圈' },
        { id: 'cate', val: DEFAULT.name },
        { id: 'intro', val: '已修复' },
      ],
    });
    expect(r.json.header.status).toBe(0);
    expect(await adapter.getTicket!(ref.remoteId)).toMatchObject({ status: '已解决', vendorStatus: '已修复', remoteCode: ref.remoteCode, subject: '洗衣机漏水，要求上门维修' });
  });

  it('a retry after a lost reply finds the saved order by its trace: one order, one id', async () => {
    const { emu, adapter, another, ord } = await withCustomer();
    const k = key();
    emu.control.dropNext(1, { path: 'service/add.asp', cmdkey: '__sys_dosave' });
    const e = await failure(adapter.createTicket!(ticket({ remoteCustomerId: ord }), { idempotencyKey: k }));
    expect(e.kind).toBe('unknown-outcome');
    expect(emu.state.services).toHaveLength(1); // committed, reply lost
    const again = await another().createTicket!(ticket({ remoteCustomerId: ord }), { idempotencyKey: k });
    expect(emu.state.services).toHaveLength(1);
    expect(again.remoteId).toBe(String(emu.state.services[0]!.ord));
    expect(hits(emu, 'service/list.asp', 'refresh')).toBe(1);
    // Confirmed: a third call answers from memory without a request.
    const before = emu.state.requests.length;
    expect((await adapter.createTicket!(ticket({ remoteCustomerId: ord }), { idempotencyKey: k })).remoteId).toBe(again.remoteId);
    expect(emu.state.requests.length).toBe(before);
  });

  it('a 500 before the save commits nothing; the retry saves once', async () => {
    const { emu, adapter, ord } = await withCustomer();
    const k = key();
    emu.control.failNext(1, { path: 'service/add.asp', cmdkey: '__sys_dosave' });
    await failure(adapter.createTicket!(ticket({ remoteCustomerId: ord }), { idempotencyKey: k }));
    expect(emu.state.services).toHaveLength(0);
    await adapter.createTicket!(ticket({ remoteCustomerId: ord }), { idempotencyKey: k });
    expect(emu.state.services).toHaveLength(1);
  });

  it('refuses a ticket without a linked customer, before any request', async () => {
    const { emu, adapter } = await withCustomer();
    const before = emu.state.requests.length;
    const e = await failure(adapter.createTicket!(ticket(), { idempotencyKey: key() }));
    expect(e.kind).toBe('validation');
    expect(e.userMessage?.zh_CN).toContain('关联智邦ERP中的客户');
    expect(emu.state.requests.length).toBe(before);
  });

  it('a priority the installation has no 紧急程度 for is left out with a warning; long text is clipped to the form\'s limits', async () => {
    const { emu, adapter, ord } = await withCustomer();
    const ref = await adapter.createTicket!(ticket({ remoteCustomerId: ord, priority: '低', subject: '标'.repeat(80), description: '长'.repeat(3000) }), { idempotencyKey: key() });
    const row = emu.state.services[0]!;
    expect(row.great1).toBe(521); // 低 → 一般
    expect([...row.title]).toHaveLength(50);
    expect([...row.introts].length).toBeLessThanOrEqual(2000);
    expect(ref.warnings).toBeUndefined();
    emu.state.enums[52] = [{ id: 529, name: '特殊' }];
    const { resetZhibangEnumCache } = await import('../../../../lib/crm/zhibang/enums');
    resetZhibangEnumCache();
    const r2 = await adapter.createTicket!(ticket({ remoteCustomerId: ord, priority: '中' }), { idempotencyKey: key() });
    expect(emu.state.services[1]!.great1).toBe(0);
    expect(r2.warnings?.[0]).toContain('紧急程度');
  });

  it('getTicket: null for an order the ERP no longer has; an id that is not a number is refused', async () => {
    const { adapter } = await withCustomer();
    expect(await adapter.getTicket!('99999')).toBeNull();
    expect((await failure(adapter.getTicket!('abc'))).kind).toBe('validation');
  });
});

describe('智邦 emulator: 售后服务 endpoints are strict', () => {
  it('rejects unknown fields, a missing customer or title, unknown enum ids, and unimplemented documented filters', async () => {
    const { emu } = await setup();
    const session = (await loginRaw(emu)).header.session as string;
    const save = (datas: { id: string; val: string | number }[]) => post(emu, '/sysa/mobilephone/salesmanage/service/add.asp', { session, cmdkey: '__sys_dosave', datas });
    expect((await save([{ id: 'nope', val: 1 }])).json.header.message).toContain('无法识别的字段[nope]');
    expect((await save([{ id: 'title', val: 'x' }, { id: 'date', val: '2026-12-06' }])).json.header.message).toBe('请选择客户');
    const list = await post(emu, '/sysa/mobilephone/salesmanage/service/list.asp', { session, cmdkey: 'refresh', datas: [{ id: 'TelName', val: '王' }] });
    expect(list.json.header.status).not.toBe(0);
    expect(list.json.header.message).toContain('TelName');
    const noSession = await post(emu, '/sysa/mobilephone/salesmanage/service/list.asp', { session: 'bad', cmdkey: 'refresh', datas: [] });
    expect(noSession.json.header.status).not.toBe(0);
    expect(emu.state.services).toHaveLength(0);
  });
});

// Seeded faults queued before each attempt (the save's reply lost after the commit, a 500 before
// it, the reconciling list failing; a fault an attempt did not reach hits a later request), each attempt by a fresh adapter instance on the
// same state store (a restarted worker): every 售后服务单 exists once.
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each([1, 2, 3])('智邦 售后服务单 under seeded faults (seed %i)', (seed) => {
  it('10 orders: 0 lost, 0 duplicated', async () => {
    const s = await setup();
    const ord = (await s.adapter.createCustomer(customer(), { idempotencyKey: key() })).remoteId;
    const rand = rng(seed);
    let drops = 0;
    const ids: string[] = [];
    for (let n = 0; n < 10; n++) {
      const k = key();
      for (let attempt = 0; ; attempt++) {
        const x = rand();
        if (x < 0.3) {
          s.emu.control.dropNext(1, { path: 'service/add.asp', cmdkey: '__sys_dosave' });
          drops++;
        } else if (x < 0.4) s.emu.control.failNext(1, { path: 'service/add.asp', cmdkey: '__sys_dosave' });
        else if (x < 0.45) s.emu.control.failNext(1, { path: 'service/list.asp' });
        try {
          ids.push((await s.another().createTicket!(ticket({ remoteCustomerId: ord, subject: `售后 ${n}` }), { idempotencyKey: k })).remoteId);
          break;
        } catch (e) {
          const kind = (e as { kind?: string }).kind;
          if (attempt > 30 || (kind !== 'unknown-outcome' && kind !== 'retryable')) throw e;
        }
      }
    }
    expect(drops).toBeGreaterThan(0);
    expect(s.emu.state.services).toHaveLength(10);
    expect(s.emu.state.services.map((x) => String(x.ord)).sort()).toEqual([...ids].sort());
  }, 60_000);
});
