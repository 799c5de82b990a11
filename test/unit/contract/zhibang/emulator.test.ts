// The emulator must reject what the real 智邦 rejects: an emulator that accepts anything would
// let a broken adapter pass its contract tests.
import { describe, expect, it } from 'vitest';
import { V1_STATUS } from '../../../emulators/zhibang';
import { loginRaw, post, setup } from './helpers';

const ADD = '/sysa/mobilephone/salesmanage/custom/add.asp';

async function session(emu: Parameters<typeof loginRaw>[0]) {
  const r = await loginRaw(emu);
  expect(r.header).toMatchObject({ status: 0, message: 'API鉴权成功.' });
  return r.header.session as string;
}

async function allocate(emu: Parameters<typeof loginRaw>[0], s: string, intsort = '1') {
  const r = await post(emu, ADD, { session: s, cmdkey: '', datas: [{ id: 'edit', val: '' }, { id: 'intsort', val: intsort }] });
  return String(r.json.body.bill.value);
}

const save = (emu: Parameters<typeof loginRaw>[0], s: string, datas: Record<string, string>, intsort = '1') =>
  post(emu, `${ADD}?intsort=${intsort}`, { session: s, cmdkey: '__sys_dosave', datas: Object.entries(datas).map(([id, val]) => ({ id, val })) });

describe('智邦 emulator strictness', () => {
  it('rejects malformed V1 bodies', async () => {
    const { emu } = await setup();
    const s = await session(emu);
    const list = '/sysa/mobilephone/salesmanage/custom/list.asp';
    for (const bad of [
      '{not json',
      [],
      { session: s, cmdkey: 'refresh', datas: { name: 'x' } }, // datas must be an array
      { session: s, cmdkey: 'refresh', datas: [{ name: 'x' }] }, // items must be {id,val}
      { session: s, cmdkey: 'refresh', datas: [{ id: 'name', val: { x: 1 } }] },
      { session: s, cmdkey: 'refresh', datas: [{ id: 'name', val: 'a' }, { id: 'name', val: 'b' }] },
      { session: s, cmdkey: 'refresh', datas: [], extra: 1 },
      { session: s, cmdkey: 7, datas: [] },
    ]) {
      const r = await post(emu, list, bad);
      expect(r.json.header.status, JSON.stringify(bad)).toBe(V1_STATUS.badRequest);
    }
    expect((await post(emu, list, { session: s, cmdkey: 'save', datas: [] })).json.header.status).toBe(V1_STATUS.failed);
    expect((await post(emu, list, { session: s, cmdkey: 'refresh', datas: [{ id: 'nosuch', val: '1' }] })).json.header.status).toBe(V1_STATUS.failed);
    expect((await post(emu, list, { session: s, cmdkey: 'refresh', datas: [{ id: 'pagesize', val: 0 }] })).json.header.status).toBe(V1_STATUS.failed);
    expect((await post(emu, list, { session: s, cmdkey: 'refresh', datas: [] })).json.header.status).toBe(0);
  });

  it('requires a valid, unexpired session on every call (V1 body.session, V3 ZBAPI-Token)', async () => {
    // The emulator's clock, moved by the test (a real 200 ms lifetime can run out under load).
    let at = Date.UTC(2026, 11, 7);
    const { emu } = await setup({ emu: { sessionTtlMs: 200, now: () => at } });
    const list = '/sysa/mobilephone/salesmanage/custom/list.asp';
    expect((await post(emu, list, { cmdkey: 'refresh', datas: [] })).json.header.status).toBe(V1_STATUS.sessionInvalid);
    expect((await post(emu, list, { session: 'forged', cmdkey: 'refresh', datas: [] })).json.header.status).toBe(V1_STATUS.sessionInvalid);
    const s = await session(emu);
    expect((await post(emu, list, { session: s, cmdkey: 'refresh', datas: [] })).json.header.status).toBe(0);
    at += 250;
    expect((await post(emu, list, { session: s, cmdkey: 'refresh', datas: [] })).json.header.status).toBe(V1_STATUS.sessionInvalid);
    const s2 = await session(emu);
    emu.control.expireSessions();
    expect((await post(emu, list, { session: s2, cmdkey: 'refresh', datas: [] })).json.header.status).toBe(V1_STATUS.sessionInvalid);
    const v3 = await post(emu, '/webapi/v3/sales/customer/add', { sort2: 1, name: 'x' });
    expect(v3.json).toMatchObject({ Code: 400 });
  });

  it('rejects wrong credentials, DES-looking values, and demands rndcode after more than 3 failures', async () => {
    const { emu } = await setup();
    expect((await post(emu, '/sysa/mobilephone/login.asp', { datas: [{ id: 'user', val: 'sales01' }, { id: 'password', val: 'pa55word' }] })).json.header.status).toBe(V1_STATUS.failed);
    expect((await post(emu, '/sysa/mobilephone/login.asp', { datas: [{ id: 'user', val: 'txt:sales01' }, { id: 'password', val: 'txt:pa55word' }, { id: 'serialnum', val: 'txt:has space' }] })).json.header.status).toBe(V1_STATUS.badRequest);
    for (let i = 0; i < 3; i++) expect((await loginRaw(emu, 'sales01', 'nope')).header.status).toBe(V1_STATUS.failed);
    expect((await loginRaw(emu)).header.status).toBe(V1_STATUS.rndcodeRequired); // 4th failure counted with the DES try
    expect((await loginRaw(emu, 'sales01', 'pa55word', '8888')).header).toMatchObject({ status: 0 });
    expect((await loginRaw(emu)).header.status).toBe(0); // success resets the counter
  });

  it('validates saves: required fields, enum ids, lengths, unknown fields, duplicate mobile, unallocated ord', async () => {
    const { emu } = await setup();
    const s = await session(emu);
    const ord = await allocate(emu, s);
    const good = { ord, name: '星河贸易', sort1: '潜在客户', person_name: '王小明', mobile: '13800138000', ly: '1001' };
    const msg = async (d: Record<string, string>, intsort = '1') => (await save(emu, s, d, intsort)).json.header.message as string;
    expect(await msg({ ...good, name: ' ' })).toBe('客户名称不能为空');
    expect(await msg({ ...good, person_name: '' })).toBe('联系人不能为空');
    expect(await msg({ ...good, sort1: '' })).toBe('跟进程度不能为空');
    expect(await msg({ ...good, sort1: '火星客户' })).toContain('不存在');
    expect(await msg({ ...good, ly: '999999' })).toContain('客户来源');
    expect(await msg({ ...good, jz: '1' })).toContain('价值评估');
    expect(await msg({ ...good, name: '名'.repeat(101) })).toContain('长度不能超过100');
    expect(await msg({ ...good, weixinAcc: 'w'.repeat(51) })).toContain('长度不能超过50');
    expect(await msg({ ...good, nickname: 'x' })).toContain('无法识别的字段');
    expect(await msg({ ...good, ord: '424242' })).toContain('ord无效');
    expect(await msg(good, '2')).toContain('不一致');
    expect((await post(emu, ADD, { session: s, cmdkey: '__sys_dosave', datas: [{ id: 'ord', val: ord }] })).json.header.message).toContain('intsort');
    expect((await save(emu, s, good)).json.header.status).toBe(0);
    expect(emu.state.saved()[0]?.fields.khid).toMatch(/^KH\d{4}001$/);
    const ord2 = await allocate(emu, s);
    expect(await msg({ ...good, ord: ord2, name: '另一家' })).toContain('手机号码已存在');
    expect(await msg({ ...good, ord: ord2, name: '另一家', mobile: '13900139000', khid: emu.state.saved()[0]!.fields.khid! })).toBe('客户编号已存在');
    emu.control.setStrategy({ uniqueMobile: false });
    expect((await save(emu, s, { ...good, ord: ord2, name: '另一家' })).json.header.status).toBe(0);
  });

  it('rejects bad follow-ups, assignments, chances and unknown enums', async () => {
    const { emu } = await setup({ shape: 'data' });
    const s = await session(emu);
    const ord = String((await post(emu, ADD, { session: s, cmdkey: '', datas: [{ id: 'edit', val: '' }, { id: 'intsort', val: '2' }] })).json.data.value);
    expect((await save(emu, s, { ord, name: '王小明', sort1: '潜在客户' }, '2')).json.header.status).toBe(0);
    const reply = (d: Record<string, string>, q = '?datatype=tel') =>
      post(emu, `/sysa/mobilephone/systemmanage/reply.asp${q}`, { session: s, cmdkey: '__sys_dosave', datas: Object.entries(d).map(([id, val]) => ({ id, val })) });
    const ok = { ord, intro: '电话沟通', sort: '481', plantype: '0' };
    expect((await reply(ok, '')).json.header.message).toContain('datatype');
    expect((await reply({ ...ok, sort: '480' })).json.header.message).toContain('洽谈方式');
    expect((await reply({ ...ok, intro: 'x'.repeat(1001) })).json.header.message).toContain('1000');
    expect((await reply({ ...ok, plantype: '1' })).json.header.message).toContain('日程');
    expect((await reply({ ...ok, plantype: '1', '@title1': '回电', '@ret_0': '2026/03/05', '@ret_1': '2026-03-05 11:00' })).json.header.message).toContain('格式');
    expect((await reply({ ...ok, ord: '1' })).json.header.message).toContain('不存在');
    expect((await reply(ok)).json.header.status).toBe(0);
    const order = (d: Record<string, string>) =>
      post(emu, '/sysa/mobilephone/systemmanage/order.asp?datatype=tel', { session: s, cmdkey: '__sys_dosave', datas: Object.entries(d).map(([id, val]) => ({ id, val })) });
    expect((await order({ ord, member1: '0' })).json.header.message).toContain('指派人员');
    expect((await order({ ord, member1: '0', member2: '999' })).json.header.message).toContain('不存在');
    const chance = (d: Record<string, string>) =>
      post(emu, '/sysa/mobilephone/salesmanage/chance/add.asp', { session: s, cmdkey: '__sys_dosave', datas: Object.entries(d).map(([id, val]) => ({ id, val })) });
    expect((await chance({ company: ord, title: '' })).json.header.message).toContain('项目名称');
    expect((await chance({ company: ord, title: 'x', money: '12,000' })).json.header.message).toContain('金额');
    const en = await post(emu, '/sysa/mobilephone/source.asp?enumid=4242', { session: s, cmdkey: 'refresh', datas: [] });
    expect(en.json.header.message).toContain('枚举');
  });

  it('V3 add rejects datas bodies, invalid mobiles and missing required fields', async () => {
    const { emu } = await setup();
    const t = { 'ZBAPI-Token': await session(emu) };
    const add = (b: unknown) => post(emu, '/webapi/v3/sales/customer/add', b, t);
    expect((await add({ datas: [] })).json).toMatchObject({ Code: 300 });
    expect((await add({ sort2: 1, sort: 1, name: '甲', sort1: '潜在客户', person_name: '乙', mobile: '138001' })).json).toMatchObject({ Code: 300, Msg: '手机号码格式不正确' });
    expect((await add({ sort2: 1, name: '甲', sort1: '潜在客户', person_name: '乙' })).json).toMatchObject({ Code: 300, Msg: '客户分类不能为空' });
    expect((await add({ sort2: 1, sort: 1, name: '甲', sort1: '潜在客户', person_name: '乙', mobile: '13800138000' })).json).toMatchObject({ Code: 200, body: { ord: expect.any(Number) } });
  });

  it('khid follows the installation format; faults fire as configured', async () => {
    const { emu } = await setup({ emu: { khidFormat: 'C{YY}-{seq:5}' } });
    const s = await session(emu);
    const ord = await allocate(emu, s);
    await save(emu, s, { ord, name: '甲', sort1: '潜在客户', person_name: '乙' });
    expect(emu.state.saved()[0]!.fields.khid).toMatch(/^C\d{2}-00001$/);
    emu.control.failNext(1);
    expect((await post(emu, ADD, {})).http).toBe(500);
    emu.control.dropNext(1, { path: 'list.asp' });
    await expect(post(emu, '/sysa/mobilephone/salesmanage/custom/list.asp', { session: s, cmdkey: 'refresh', datas: [] })).rejects.toThrow();
    expect(emu.state.requests.at(-1)).toMatchObject({ dropped: true });
    await emu.control.down();
    await expect(post(emu, ADD, {})).rejects.toThrow();
    await emu.control.up();
    expect((await post(emu, ADD, {})).json.header.status).toBe(V1_STATUS.badRequest);
  });
});
