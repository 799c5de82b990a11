// Who gets a customer (seed 003 #2: 地区/产品线/工作量) and when auto mode assigns.
import { describe, expect, it } from 'vitest';
import { pickMember, qualifies, type MemberLoad } from '../../../lib/assign/pick';
import { DEFAULT_TEAM, teamSettingsSchema, type TeamMember, type TeamSettings } from '../../../lib/assign/team';

const m = (id: string, over: Partial<TeamMember> = {}): TeamMember => ({ id, name: id.toUpperCase(), active: true, products: [], sources: [], regions: [], accounts: {}, ...over });
const load = (o: Record<string, Partial<MemberLoad>>) => new Map(Object.entries(o).map(([k, v]) => [k, { count: 0, lastAt: 0, ...v }]));

describe('pickMember', () => {
  const team = {
    members: [
      m('li', { products: ['抵押贷'], regions: ['深圳'] }),
      m('wang', { products: ['抵押贷', '车贷'] }),
      m('zhao', { sources: ['抖音'] }),
      m('qian', { regions: ['深圳', '广州'] }),
      m('off', { products: ['信用贷'], active: false }),
    ],
  };

  it('产品线 first, then 来源, then 地区 (company or notes), then everyone; an inactive member never', () => {
    expect(pickMember(team, { product: '车贷' }, load({}))).toMatchObject({ member: { id: 'wang' }, reason: 'product' });
    expect(pickMember(team, { product: '经营贷', source: '抖音' }, load({}))).toMatchObject({ member: { id: 'zhao' }, reason: 'source' });
    expect(pickMember(team, { company: '广州某贸易公司' }, load({}))).toMatchObject({ member: { id: 'qian' }, reason: 'region' });
    expect(pickMember(team, { notes: '地址：深圳南山' }, load({ li: { count: 1 } }))).toMatchObject({ member: { id: 'qian' }, reason: 'region' });
    // 信用贷 is only the inactive member's: nobody matches by product, so the least loaded of all.
    expect(pickMember(team, { product: '信用贷' }, load({ li: { count: 2 }, wang: { count: 1 }, zhao: { count: 1 }, qian: { count: 3 } }))).toMatchObject({ member: { id: 'wang' }, reason: 'workload' });
  });

  it('within a tier: fewest assignments, then longest since the last one, then roster order', () => {
    expect(pickMember(team, { product: '抵押贷' }, load({ li: { count: 3 }, wang: { count: 2 } }))?.member.id).toBe('wang');
    expect(pickMember(team, { product: '抵押贷' }, load({ li: { count: 2, lastAt: 50 }, wang: { count: 2, lastAt: 10 } }))?.member.id).toBe('wang');
    expect(pickMember(team, { product: '抵押贷' }, load({}))?.member.id).toBe('li');
  });

  it('a team without rules is served round-robin as assignments are counted', () => {
    const plain = { members: [m('a'), m('b'), m('c')] };
    const counts: Record<string, MemberLoad> = {};
    const order: string[] = [];
    for (let t = 1; t <= 6; t++) {
      const who = pickMember(plain, {}, new Map(Object.entries(counts)))!.member.id;
      order.push(who);
      counts[who] = { count: (counts[who]?.count ?? 0) + 1, lastAt: t };
    }
    expect(order).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('nobody active: undefined, not a guess', () => {
    expect(pickMember({ members: [m('x', { active: false })] }, {}, load({}))).toBeUndefined();
    expect(pickMember({ members: [] }, {}, load({}))).toBeUndefined();
  });
});

describe('qualifies (auto mode)', () => {
  const auto = (over: Partial<TeamSettings> = {}): TeamSettings => ({ ...DEFAULT_TEAM, mode: 'auto', ...over });
  it('every new customer without 负责人, or only high-value ones by 意向等级 or 金额', () => {
    expect(qualifies(auto(), {})).toBe(true);
    expect(qualifies(auto(), { owner: '张三' })).toBe(false);
    expect(qualifies({ ...auto(), mode: 'manual' }, {})).toBe(false);
    const high = auto({ when: 'highValue', minIntent: '中', minAmount: 1_000_000 });
    expect(qualifies(high, { intentLevel: '低' })).toBe(false);
    expect(qualifies(high, { intentLevel: '中' })).toBe(true);
    expect(qualifies(high, { intentLevel: '低', amount: 1_200_000 })).toBe(true);
    expect(qualifies(high, { amount: 999_999 })).toBe(false);
  });
});

describe('team settings', () => {
  it('refuses duplicate ids and names, a bad id, and high-value without a threshold, naming the field', () => {
    const r = teamSettingsSchema.safeParse({ ...DEFAULT_TEAM, mode: 'auto', when: 'highValue', members: [m('a'), m('a'), { ...m('b'), name: 'A' }, { ...m('c d') }] });
    expect(r.success).toBe(false);
    const paths = r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['members.3.id', 'members.1.id', 'members.1.name', 'minIntent']));
  });
});
