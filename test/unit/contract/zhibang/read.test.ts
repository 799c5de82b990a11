// The read side against the emulator: one customer with its marker (客户详情), a colleague's edits
// coming back converted, follow-ups (洽谈进展) with author and time and Liaison's own rows carrying
// their key, the lost reply on reply.asp found instead of logged twice, list replies in either
// shape, enum lookups that fail without holding a customer back, and the error classes.
import { describe, expect, it } from 'vitest';
import { CrmError } from '../../../../lib/crm/errors';
import { requireColumns, tableRows, type ZbDoc } from '../../../../lib/crm/zhibang/wire';
import { zhibangSpec } from '../../../../lib/crm/zhibang/spec';
import { customer, followUp, hits, key, post, setup, STYLES } from './helpers';

const failure = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(CrmError);
  return e as CrmError;
};

/** A clock the emulator and the adapter share, moved by hand (no timed assertions). */
function clock(start = new Date(2026, 11, 6, 9, 0, 0).getTime()) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms), set: (ms: number) => void (t = ms) };
}

const LI_SI = { id: 64, user: 'sales02', password: 'x', name: '李四' };

describe.each(STYLES)('智邦 read side (%s, reply under "%s")', (style, shape) => {
  async function withCustomer(over: Parameters<typeof customer>[0] = {}) {
    const c = clock();
    const s = await setup({ style, shape, emu: { now: c.now, users: [{}, LI_SI] } });
    const adapter = s.another({ now: c.now });
    const ref = await adapter.createCustomer(
      customer({ name: '王小明', company: '明达贸易', email: 'wang@example.com', source: '微信咨询', grade: 'WHITE', intentLevel: '高', notes: '想了解信用贷', ...over }),
      { idempotencyKey: key() },
    );
    return { ...s, adapter, clock: c, ord: ref.remoteId, ref };
  }

  it('reads one customer in Liaison terms, with a stable marker', async () => {
    const { adapter, ord, ref } = await withCustomer();
    const rec = await adapter.getCustomer!(ord);
    expect(rec).toMatchObject({ remoteId: ord, remoteCode: ref.remoteCode, marker: expect.stringMatching(/^h:[0-9a-f]{16}$/) });
    expect(rec!.fields).toEqual({
      code: ref.remoteCode,
      name: '王小明',
      company: '明达贸易',
      phones: ['+8613800138000'],
      wechatId: 'wxid_wang01',
      email: 'wang@example.com',
      source: '微信咨询', // ly 1001 → its name in the ERP's 客户来源 list
      grade: 'WHITE', // 重点客户 → the connection's grade it stands for
      intentLevel: '高', // 价值评估 较高
      product: null,
      notes: '想了解信用贷',
    });
    expect(rec!.unreadable).toBeUndefined();
    expect((await adapter.getCustomer!(ord))!.marker).toBe(rec!.marker);
  });

  it('a colleague edits it in the ERP: the marker changes and the new values come back converted', async () => {
    const { emu, adapter, ord } = await withCustomer();
    const before = (await adapter.getCustomer!(ord))!;
    expect(emu.state.editAsColleague(Number(ord), { sort1: '一般客户', jz: '177', mobile: '13911112222', phone: '010-62345678', intro: '' })).toBeUndefined();
    const after = (await adapter.getCustomer!(ord))!;
    expect(after.marker).not.toBe(before.marker);
    expect(after.fields).toMatchObject({
      grade: '一般客户', // not one of the connection's grades: the ERP's own name
      intentLevel: '低', // 较低
      phones: ['+8613911112222', '+861062345678'],
      notes: null, // mapped, and empty there
    });
    expect(emu.state.editAsColleague(Number(ord), { sort1: '暂不跟进' })).toBeUndefined();
    expect((await adapter.getCustomer!(ord))!.fields.grade).toBe('BLACK');
  });

  it('a value it cannot interpret is named, never guessed; the rest still comes back', async () => {
    const { emu, adapter, clock: c, ord } = await withCustomer();
    emu.state.enums[14]!.push({ id: 999, name: '战略级' }); // an installation's own 价值评估 level
    expect(emu.state.editAsColleague(Number(ord), { jz: '999' })).toBeUndefined();
    emu.state.enums[13] = emu.state.enums[13]!.filter((o) => o.id !== 1001); // the customer's source option was since removed
    c.advance(11 * 60_000); // past the enum cache
    const rec = (await adapter.getCustomer!(ord))!;
    expect(rec.unreadable?.sort()).toEqual(['intentLevel', 'source']);
    expect(rec.fields).not.toHaveProperty('intentLevel');
    expect(rec.fields).not.toHaveProperty('source');
    expect(rec.fields.name).toBe('王小明');
  });

  it('a customer the ERP no longer has reads as null; an allocated draft nobody saved too', async () => {
    const { emu, adapter, ord } = await withCustomer();
    emu.state.deleteCustomer(Number(ord));
    expect(await adapter.getCustomer!(ord)).toBeNull();
    const draft = emu.state.allocate(1);
    expect(await adapter.getCustomer!(String(draft))).toBeNull();
    expect((await failure(adapter.getCustomer!('KH2026001'))).kind).toBe('validation');
  });

  it('follow-ups come back newest first with author, time and method; ours carry their key', async () => {
    const { emu, adapter, clock: c, ord } = await withCustomer();
    const k = key();
    await adapter.addFollowUp(ord, followUp({ method: '电话', content: '客户询问信用贷的利率' }), { idempotencyKey: k });
    const oursAt = c.now();
    c.advance(3 * 60_000);
    emu.state.followUpAsColleague(Number(ord), '已上门拜访，客户要报价', { user: emu.state.users[1]!, sort: 483 });
    const theirsAt = c.now();
    const rows = await adapter.listFollowUps!(ord);
    expect(rows).toEqual([
      { remoteId: expect.any(String), at: theirsAt, content: '已上门拜访，客户要报价', method: '面谈', by: '李四' },
      { remoteId: expect.any(String), at: oursAt, content: '客户询问信用贷的利率', method: '电话', by: '张销售', liaisonKey: k },
    ]);
    expect(rows[1]!.remoteId).toBe(String(emu.state.followUps[0]!.id));
  });

  it('since and limit are applied, across pages of the ERP, and only this customer’s rows come back', async () => {
    const { emu, adapter, clock: c, ord } = await withCustomer();
    const other = await adapter.createCustomer(customer({ name: '赵六', phones: ['+8613700137000'], wechatId: 'wxid_zhao' }), { idempotencyKey: key() });
    const start = c.now();
    for (let i = 0; i < 120; i++) {
      emu.state.followUpAsColleague(Number(ord), `第${i}次跟进`);
      emu.state.followUpAsColleague(Number(other.remoteId), `赵六 ${i}`);
      c.advance(60_000);
    }
    const all = await adapter.listFollowUps!(ord);
    expect(all).toHaveLength(120);
    expect(all.map((f) => f.content)).toEqual(Array.from({ length: 120 }, (_, i) => `第${119 - i}次跟进`));
    const before = hits(emu, 'replylist.asp');
    const recent = await adapter.listFollowUps!(ord, { since: start + 100 * 60_000 });
    expect(recent.map((f) => f.content)).toEqual(Array.from({ length: 20 }, (_, i) => `第${119 - i}次跟进`));
    expect(hits(emu, 'replylist.asp') - before).toBe(1); // the first page already reaches back past `since`
    expect((await adapter.listFollowUps!(ord, { limit: 7 })).map((f) => f.content)).toEqual(Array.from({ length: 7 }, (_, i) => `第${119 - i}次跟进`));
  });

  it('a follow-up whose reply.asp reply is lost: listFollowUps finds the committed row, and the retry does not log it twice', async () => {
    const { emu, adapter, another, clock: c, ord } = await withCustomer();
    const k = key();
    const f = followUp({ at: c.now(), content: '客户同意下周面谈' });
    emu.control.dropNext(1, { path: 'reply.asp' }); // commit, then lose the reply
    expect((await failure(adapter.addFollowUp(ord, f, { idempotencyKey: k }))).kind).toBe('unknown-outcome');
    expect(emu.state.followUps).toHaveLength(1);
    c.advance(30_000);
    // What the outbox does before resending (lib/sync/execute.ts): read back from at - 5 min.
    const found = await adapter.listFollowUps!(ord, { since: f.at - 5 * 60_000 });
    expect(found).toEqual([expect.objectContaining({ liaisonKey: k, content: '客户同意下周面谈', remoteId: String(emu.state.followUps[0]!.id) })]);
    expect(Math.abs(found[0]!.at - f.at)).toBeLessThanOrEqual(5 * 60_000);
    // And the adapter's own retry (a restarted worker on the same state) reconciles the same way.
    const ref = await another({ now: c.now }).addFollowUp(ord, f, { idempotencyKey: k });
    expect(ref.remoteId).toBe(String(emu.state.followUps[0]!.id));
    expect(emu.state.followUps).toHaveLength(1);
  });

  it('a retry after a lost reply that did NOT commit sends it (once)', async () => {
    const { emu, adapter, ord } = await withCustomer();
    const k = key();
    emu.control.failNext(1, { path: 'reply.asp', status: 502 });
    expect((await failure(adapter.addFollowUp(ord, followUp(), { idempotencyKey: k }))).kind).toBe('unknown-outcome');
    expect(emu.state.followUps).toHaveLength(0);
    await adapter.addFollowUp(ord, followUp(), { idempotencyKey: k });
    await adapter.addFollowUp(ord, followUp(), { idempotencyKey: k });
    expect(emu.state.followUps).toHaveLength(1);
  });

  it('search results carry what the list row already has (code, grade), with no extra request', async () => {
    const { emu, adapter, ref } = await withCustomer();
    const before = emu.state.requests.length;
    const [hit] = await adapter.findCustomers({ code: ref.remoteCode! });
    expect(hit!.fields).toMatchObject({ code: ref.remoteCode, grade: 'WHITE', name: '王小明', company: '明达贸易', phones: ['+8613800138000'] });
    expect(emu.state.requests.slice(before).map((r) => r.path)).toEqual(['/sysa/mobilephone/salesmanage/custom/list.asp']);
  });
});

describe.each(['body', 'data'] as const)('智邦 list shapes and enum failures (reply under "%s")', (shape) => {
  it.each(['table', 'options'] as const)('enum lists answered as %s read the same, and creates resolve through them', async (enumShape) => {
    const s = await setup({ shape, emu: { enumShape } });
    const enums = await s.adapter.loadEnums();
    expect(enums.sources).toContainEqual({ id: '1001', name: '微信咨询' });
    expect(enums.valueLevels).toContainEqual({ id: '289', name: '较高' });
    const ref = await s.adapter.createCustomer(customer({ source: '朋友介绍', intentLevel: '中' }), { idempotencyKey: key() });
    expect(ref.warnings).toBeUndefined();
    expect(s.emu.state.saved()[0]!.fields).toMatchObject({ ly: '172', jz: '176' });
  });

  it('an enum list the adapter cannot read never holds the customer back: written without it, with warnings', async () => {
    const s = await setup({ shape });
    s.emu.control.garbleNext(2, { path: 'source.asp' }); // 客户来源 and 价值评估 both fail
    const ref = await s.adapter.createCustomer(customer({ source: '朋友介绍', intentLevel: '高' }), { idempotencyKey: key() });
    const f = s.emu.state.saved()[0]!.fields;
    expect(f.ly).toBe('1001'); // the connection's default source stands in
    expect(f.jz ?? '').toBe('');
    expect(ref.warnings).toEqual([
      '客户来源（ly）：无法读取智邦ERP的选项列表，本次未写入 / customer source: the ERP\'s option list could not be read; left out',
      '价值评估（jz）：无法读取智邦ERP的选项列表，本次未写入 / value rating: the ERP\'s option list could not be read; left out',
    ]);
    for (const w of ref.warnings!) expect(w.length).toBeLessThanOrEqual(200);
    // An update too; and a template naming an enum field whose list fails is left out, not refused.
    s.emu.control.garbleNext(2, { path: 'source.asp' });
    const up = await s.adapter.updateCustomer(ref.remoteId, { intentLevel: '低', notes: '改期' }, { idempotencyKey: key(), fields: { trade: '金融' } });
    expect(up.warnings?.map((w) => w.split('：')[0])).toEqual(['行业（trade）', '价值评估（jz）']);
    expect(s.emu.state.saved()[0]!.fields).toMatchObject({ intro: '改期', trade: '' });
  });

  it('a value the ERP does not list is left out with a warning naming it', async () => {
    const s = await setup({ shape });
    s.emu.state.enums[14] = [{ id: 175, name: '很高' }, { id: 176, name: '一般' }];
    const ref = await s.adapter.createCustomer(customer({ intentLevel: '低' }), { idempotencyKey: key() });
    expect(ref.warnings).toEqual(['价值评估（jz）：智邦ERP中没有「低」这一选项，本次未写入 / value rating: the ERP has no option "低"; left out']);
    const high = await s.adapter.createCustomer(customer({ intentLevel: '高', phones: ['+8613600136000'], wechatId: 'wxid_2' }), { idempotencyKey: key() });
    expect(high.warnings).toBeUndefined();
    expect(s.emu.state.saved()[1]!.fields.jz).toBe('175'); // 高 → 较高 is missing here, 很高 is next
  });

  it('a search whose reply is cut off is a clear CrmError, not a crash; a list lacking a column is named', async () => {
    const s = await setup({ shape });
    s.emu.control.garbleNext(1, { path: 'custom/list.asp' });
    const e = await failure(s.adapter.findCustomers({ name: '王' }));
    expect(e.kind).toBe('validation');
    expect(e.message).toMatch(/unexpected reply/);
    const doc = { header: { status: 0 }, body: { source: { type_: 'table', table: { cols: [{ id: 'id' }, { id: 'title' }], rows: [[1, 'x']] } } } } as ZbDoc;
    const err = (() => {
      try {
        requireColumns(tableRows(doc), '洽谈进展', 'id', 'intro', 'date7');
      } catch (x) {
        return x as CrmError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(CrmError);
    expect(err!.userMessage.zh_CN).toContain('「intro、date7」');
    expect(tableRows({ header: { status: 0 }, data: { type_: 'options', options: [[5, '甲'], { id: 6, name: '乙' }] } } as ZbDoc)).toEqual([
      { id: '5', name: '甲' },
      { id: '6', name: '乙' },
    ]);
    expect(tableRows({ header: { status: 0 }, body: { source: { type_: 'table', table: { cols: ['id'], rows: null } } } } as ZbDoc)).toEqual([]);
  });
});

describe('智邦 read errors and declarations', () => {
  it('HTTP 401 is auth, a cut-off detail is validation, and the next read works', async () => {
    const s = await setup();
    const ref = await s.adapter.createCustomer(customer(), { idempotencyKey: key() });
    s.emu.control.failNext(1, { path: 'custom/add.asp', status: 401, body: '<html>401 - 未授权</html>' });
    expect((await failure(s.adapter.getCustomer!(ref.remoteId))).kind).toBe('auth');
    s.emu.control.garbleNext(1, { path: 'custom/add.asp' });
    const e = await failure(s.adapter.getCustomer!(ref.remoteId));
    expect(e.kind).toBe('validation');
    expect(e.message).toMatch(/unexpected reply/);
    expect(await s.adapter.getCustomer!(ref.remoteId)).toMatchObject({ remoteId: ref.remoteId });
  });

  it('HTTP 429 on the follow-up list is rate-limited with its Retry-After', async () => {
    const s = await setup();
    const ref = await s.adapter.createCustomer(customer(), { idempotencyKey: key() });
    // Last in the test: the connection's limiter now holds every request for those 7 seconds.
    s.emu.control.failNext(1, { path: 'replylist.asp', status: 429, headers: { 'Retry-After': '7' } });
    const limited = await failure(s.adapter.listFollowUps!(ref.remoteId));
    expect(limited.kind).toBe('rate-limited');
    expect(limited.retryAfterMs).toBe(7000);
  });

  it('with ModifyStamp in the bill, modifiedAt is the ERP’s save time and each save changes the marker', async () => {
    const c = clock();
    const s = await setup({ emu: { now: c.now, billModifyStamp: true } });
    const ref = await s.adapter.createCustomer(customer(), { idempotencyKey: key() });
    const first = (await s.adapter.getCustomer!(ref.remoteId))!;
    expect(first.modifiedAt).toBe(c.now());
    expect(first.marker).toMatch(new RegExp(`^${c.now()}:h:[0-9a-f]{16}$`));
    c.advance(61_000);
    s.emu.state.editAsColleague(Number(ref.remoteId), { address: '北京市海淀区' }); // a field Liaison does not map
    const second = (await s.adapter.getCustomer!(ref.remoteId))!;
    expect(second.modifiedAt).toBe(c.now());
    expect(second.marker).not.toBe(first.marker);
  });

  it('declares what it reads: customers and follow-ups; no deals, no modified-time filter, no conditional update', () => {
    expect(zhibangSpec.capabilities.read).toEqual({ getCustomer: true, followUps: true, deals: false, changes: 'none', conditionalUpdate: false });
  });
});

describe('智邦 emulator: replylist.asp is as strict as its documented siblings', () => {
  it('refuses a missing datatype or ord, unknown fields, bad paging and unknown sort columns', async () => {
    const s = await setup();
    const ref = await s.adapter.createCustomer(customer(), { idempotencyKey: key() });
    const login = await s.emu.state.openSession(s.emu.state.users[0]!);
    const call = (query: string, datas: { id: string; val: string | number }[]) =>
      post(s.emu, `/sysa/mobilephone/systemmanage/replylist.asp${query}`, { session: login, cmdkey: 'refresh', datas });
    const ok = await call('?datatype=tel', [{ id: 'ord', val: ref.remoteId }]);
    expect(ok.json.header.status).toBe(0);
    for (const [query, datas, message] of [
      ['', [{ id: 'ord', val: ref.remoteId }], '缺少参数datatype'],
      ['?datatype=tel', [], '缺少客户ord'],
      ['?datatype=tel', [{ id: 'ord', val: '424242' }], '记录不存在或已被删除'],
      ['?datatype=tel', [{ id: 'ord', val: ref.remoteId }, { id: 'since', val: '2026-01-01' }], '无法识别的字段[since]'],
      ['?datatype=tel', [{ id: 'ord', val: ref.remoteId }, { id: 'pagesize', val: 500 }], 'pagesize必须是1-200的整数'],
      ['?datatype=tel', [{ id: 'ord', val: ref.remoteId }, { id: '_rpt_sort', val: '-modified' }], '排序字段[modified]不存在'],
    ] as const) {
      const r = await call(query, [...datas]);
      expect(r.json.header.status, message).not.toBe(0);
      expect(JSON.stringify(r.json), message).toContain(message);
    }
  });
});
