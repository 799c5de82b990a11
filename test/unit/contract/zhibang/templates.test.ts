// The user's template mapping (WriteOptions.fields) against the emulated 智邦ERP: values land in
// the documented form fields as the forms take them (enum names → the installation's ids, money
// with two decimals, dates and schedule times in the ERP's format), override the adapter's own,
// never touch ord/khid/links, and listFields is the documented list (no API call).
import { describe, expect, it } from 'vitest';
import { CrmError } from '../../../../lib/crm/errors';
import { customer, deal, followUp, key, post, setup } from './helpers';

const failure = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(CrmError);
  return e as CrmError;
};

async function withCustomer(style: 'v1' | 'v3' = 'v1') {
  const s = await setup({ style });
  const ref = await s.adapter.createCustomer(customer(), { idempotencyKey: key() });
  return { ...s, ord: ref.remoteId };
}

const saved = (s: Awaited<ReturnType<typeof setup>>) => s.emu.state.saved();
const writes = (s: Awaited<ReturnType<typeof setup>>) => s.emu.state.requests.filter((r) => r.cmdkey === '__sys_dosave' || r.path.startsWith('/webapi/v3/sales/'));

describe('智邦 templates: values land as the forms take them', () => {
  it.each(['v1', 'v3'] as const)('customer (%s): enum names become the installation’s ids, a +86 mobile its 11 digits, other fields as text', async (style) => {
    const s = await setup({ style });
    await s.adapter.createCustomer(customer(), { idempotencyKey: key(), fields: { ly: '朋友介绍', jz: '较高', trade: '金融', c4: '每周回访', mobile: '+86 139-0013-9000' } });
    expect(saved(s)[0]!.fields).toMatchObject({ ly: '172', jz: '289', trade: '302', c4: '每周回访', mobile: '13900139000', person_name: '王小明' });
  });

  it('follow-up: a schedule from templates (plantype, title, times in the ERP’s format); deal: money and date', async () => {
    const s = await withCustomer();
    await s.adapter.addFollowUp(s.ord, followUp(), { idempotencyKey: key(), fields: { plantype: '1', '@title1': '上门回访', '@ret_0': '2026-03-06 10:00', '@ret_1': '2026年3月6日 11:30', sort: '上门' } });
    expect(s.emu.state.followUps[0]).toMatchObject({ plantype: 1, sort: 483, schedule: { title: '上门回访', start: '2026-03-06 10:00:00', end: '2026-03-06 11:30:00' } });
    await s.adapter.createDeal(s.ord, deal(), { idempotencyKey: key(), fields: { money: '1,500,000', date1: '2026年3月8日' } });
    expect(s.emu.state.chances[0]).toMatchObject({ company: Number(s.ord), money: '1500000.00', date1: '2026-03-08' });
  });

  it('updateCustomer merges template values into the saved form', async () => {
    const s = await withCustomer();
    await s.adapter.updateCustomer(s.ord, { notes: '老客户' }, { idempotencyKey: key(), fields: { address: '深圳市南山区', jz: '很高' } });
    expect(saved(s)[0]!.fields).toMatchObject({ address: '深圳市南山区', jz: '175', intro: '老客户', person_name: '王小明' });
  });
});

describe('智邦 templates: override, reserved, conversion, unknown fields', () => {
  it('a template value replaces the adapter’s own for the same field (customer, follow-up, deal)', async () => {
    const s = await setup();
    const ref = await s.adapter.createCustomer(customer({ notes: '想了解利率' }), { idempotencyKey: key(), fields: { intro: '【抖音】想了解利率', sort1: '重点客户' } });
    expect(saved(s)[0]!.fields).toMatchObject({ intro: '【抖音】想了解利率', sort1: '重点客户' });
    const k = key();
    await s.adapter.addFollowUp(ref.remoteId, followUp(), { idempotencyKey: k, fields: { intro: '微信沟通：客户问利率' } });
    // The template's intro replaces the summary; Liaison's trace line still ends it (follow-up.ts).
    expect(s.emu.state.followUps[0]).toMatchObject({ intro: `微信沟通：客户问利率\n[Liaison ${k.replace(/-/g, '')}]` });
    await s.adapter.createDeal(ref.remoteId, deal(), { idempotencyKey: key(), fields: { title: '信用贷 - 王小明' } });
    expect(s.emu.state.chances[0]).toMatchObject({ title: '信用贷 - 王小明' });
  });

  it('ord, khid, the links (lead, company) and the session are refused as reserved; nothing is sent', async () => {
    const s = await setup();
    const cases: [() => Promise<unknown>, string][] = [
      [() => s.adapter.createCustomer(customer(), { idempotencyKey: key(), fields: { khid: 'KH1' } }), 'khid'],
      [() => s.adapter.updateCustomer('1001', {}, { idempotencyKey: key(), fields: { ord: '1002' } }), 'ord'],
      [() => s.adapter.addFollowUp('1001', followUp(), { idempotencyKey: key(), fields: { lead: '5001' } }), 'lead'],
      [() => s.adapter.addFollowUp('1001', followUp(), { idempotencyKey: key(), fields: { session: 'x' } }), 'session'],
      [() => s.adapter.createDeal('1001', deal(), { idempotencyKey: key(), fields: { company: '1002' } }), 'company'],
    ];
    for (const [p, field] of cases) {
      const e = await failure(p());
      expect(e, field).toMatchObject({ kind: 'validation', vendorCode: 'RESERVED_FIELD' });
      expect(e.message).toContain(field);
    }
    expect(s.emu.state.requests).toEqual([]);
  });

  it('a value the form cannot take is refused naming the field; nothing is written', async () => {
    const s = await withCustomer();
    const before = writes(s).length;
    const cases: [() => Promise<unknown>, string, string][] = [
      [() => s.adapter.createCustomer(customer({ phones: ['+8613700137000'] }), { idempotencyKey: key(), fields: { ly: '地推' } }), 'ly', 'TEMPLATE_OPTION'],
      [() => s.adapter.updateCustomer(s.ord, {}, { idempotencyKey: key(), fields: { jz: '超高' } }), 'jz', 'TEMPLATE_OPTION'],
      [() => s.adapter.addFollowUp(s.ord, followUp(), { idempotencyKey: key(), fields: { sort: '短信' } }), 'sort', 'TEMPLATE_OPTION'],
      [() => s.adapter.addFollowUp(s.ord, followUp(), { idempotencyKey: key(), fields: { plantype: '3' } }), 'plantype', 'TEMPLATE_OPTION'],
      [() => s.adapter.addFollowUp(s.ord, followUp(), { idempotencyKey: key(), fields: { '@ret_0': '明天上午' } }), '@ret_0', 'TEMPLATE_VALUE'],
      [() => s.adapter.createDeal(s.ord, deal(), { idempotencyKey: key(), fields: { money: '十万' } }), 'money', 'TEMPLATE_VALUE'],
      [() => s.adapter.createDeal(s.ord, deal(), { idempotencyKey: key(), fields: { date1: '下个月' } }), 'date1', 'TEMPLATE_VALUE'],
    ];
    for (const [p, field, code] of cases) {
      const e = await failure(p());
      expect(e, field).toMatchObject({ kind: 'validation', vendorCode: code });
      expect(e.message).toContain(field);
    }
    expect(writes(s).length).toBe(before);
  });

  it('a field the form does not have reaches the ERP and comes back as validation naming it (customer, follow-up, deal)', async () => {
    const s = await withCustomer();
    const c = await failure(s.adapter.updateCustomer(s.ord, {}, { idempotencyKey: key(), fields: { wechat_nick: '小明' } }));
    expect(c.kind).toBe('validation');
    expect(c.message).toContain('无法识别的字段[wechat_nick]');
    const f = await failure(s.adapter.addFollowUp(s.ord, followUp(), { idempotencyKey: key(), fields: { '@mood': '好' } }));
    expect(f.message).toContain('无法识别的字段[@mood]');
    const d = await failure(s.adapter.createDeal(s.ord, deal(), { idempotencyKey: key(), fields: { bank: '招商银行' } }));
    expect(d.message).toContain('无法识别的字段[bank]');
    expect(s.emu.state.followUps).toEqual([]);
    expect(s.emu.state.chances).toEqual([]);
  });
});

describe('智邦 templates: listFields', () => {
  it('is the documented form fields per section, without ord/khid/links, and asks the ERP nothing', async () => {
    const s = await setup();
    const list = await s.adapter.listFields();
    const names = (k: keyof typeof list) => list[k]!.map((f) => f.name);
    expect(names('customer')).toEqual(expect.arrayContaining(['name', 'person_name', 'mobile', 'weixinAcc', 'ly', 'jz', 'trade', 'c4', 'intro']));
    for (const hidden of ['khid', 'ord', 'intsort', 'session']) expect(names('customer')).not.toContain(hidden);
    expect(list.customer!.find((f) => f.name === 'ly')).toEqual({ name: 'ly', label: '客户来源', type: 'enum' });
    expect(names('followUp')).toEqual(expect.arrayContaining(['intro', 'sort', 'plantype', '@title1', '@ret_0']));
    for (const hidden of ['ord', 'lead']) expect(names('followUp')).not.toContain(hidden);
    expect(list.followUp!.find((f) => f.name === 'plantype')!.options).toEqual(['0', '1', '2']);
    expect(names('deal')).toEqual(['title', 'money', 'date1', 'intro']);
    expect(s.emu.state.requests).toEqual([]);
  });
});

describe('智邦 emulator: unknown form fields', () => {
  it('a save, a 洽谈进展 or a 商机 naming a field the form lacks is refused: 无法识别的字段[x]', async () => {
    const s = await withCustomer();
    const login = await post(s.emu, '/sysa/mobilephone/login.asp', { datas: [{ id: 'user', val: 'txt:sales01' }, { id: 'password', val: 'txt:pa55word' }, { id: 'serialnum', val: 'txt:t1' }, { id: 'rndcode', val: '' }] });
    const session = login.json.header.session as string;
    const reply = await post(s.emu, '/sysa/mobilephone/systemmanage/reply.asp?datatype=tel', { session, cmdkey: '__sys_dosave', datas: [{ id: 'ord', val: s.ord }, { id: 'intro', val: 'x' }, { id: 'sort', val: '481' }, { id: 'plantype', val: '0' }, { id: 'mood', val: '好' }] });
    expect(reply.json.header).toMatchObject({ message: '无法识别的字段[mood]' });
    expect(reply.json.header.status).not.toBe(0);
    const chance = await post(s.emu, '/sysa/mobilephone/salesmanage/chance/add.asp', { session, cmdkey: '__sys_dosave', datas: [{ id: 'company', val: s.ord }, { id: 'title', val: 'x' }, { id: 'bank', val: 'y' }] });
    expect(chance.json.header).toMatchObject({ message: '无法识别的字段[bank]' });
    expect(s.emu.state.followUps).toEqual([]);
    expect(s.emu.state.chances).toEqual([]);
  });
});
