import { describe, expect, it, vi } from 'vitest';
import { evaluateRules } from '../../../lib/rules/evaluate';
import { applyRules } from '../../../lib/rules/apply';
import { ruleSchema, RULE_TEMPLATES, type Rule, type RuleCondition } from '../../../lib/rules/schema';
import { understand } from '../../../lib/understand';
import { DEFAULT_SETTINGS, type ChatMessage, type Customer } from '../../../lib/model';
import { useDb, at } from '../customers/helpers';

const t = useDb();
const now = at(2026, 3, 5, 10);
const customer: Customer = { id: 'c1', code: 'KH2026-0001', name: '张伟', phones: [], tags: [], stage: '新客户', createdAt: now, updatedAt: now, searchKeys: [] };
const msgs = (...texts: [string, 'in' | 'out'][]): ChatMessage[] => texts.map(([text, direction], i) => ({ id: `m${i}`, direction, text }));
// ("50万的话" is not read as an amount by lib/understand today; this phrasing is.)
const quote = msgs(['你好，经营贷想贷50万，利率多少？', 'in']);
const complaint = msgs(['你们的机器坏了，我要投诉', 'in']);
const timed = msgs(['明天下午3点给我打电话吧', 'in']);
const u = (m: ChatMessage[]) => understand(m, { now, products: DEFAULT_SETTINGS.products });
const rule = (when: RuleCondition[], over: Partial<Rule> = {}): Rule => ({ id: 'r1', name: 'R', enabled: true, when, then: [{ type: 'notify' }], ...over });
const ctx = (m: ChatMessage[], over: Partial<{ site: string; customer: Customer }> = {}) => ({ site: 'demo', threadKey: 't1', customer, understanding: u(m), ...over });

describe('evaluateRules', () => {
  it.each([
    ['buying on a quote', [{ type: 'signal', signal: 'buying' }], quote, true],
    ['buying not on a complaint', [{ type: 'signal', signal: 'buying' }], complaint, false],
    ['complaint on a complaint', [{ type: 'signal', signal: 'complaint' }], complaint, true],
    ['nextFollowUp on a named time', [{ type: 'signal', signal: 'nextFollowUp' }], timed, true],
    ['site matches', [{ type: 'site', site: 'demo' }], quote, true],
    ['site differs', [{ type: 'site', site: 'whatsapp' }], quote, false],
    ['customer stage is', [{ type: 'customer', field: 'stage', op: 'is', value: '新客户' }], quote, true],
    ['customer stage is not', [{ type: 'customer', field: 'stage', op: 'isNot', value: '新客户' }], quote, false],
    ['all conditions must hold', [{ type: 'signal', signal: 'buying' }, { type: 'site', site: 'whatsapp' }], quote, false],
    ['category 销售线索 on a quote', [{ type: 'category', category: '销售线索' }], quote, true],
  ] as [string, RuleCondition[], ChatMessage[], boolean][])('%s', (_l, when, m, fires) => {
    expect(evaluateRules([rule(when)], ctx(m)).length).toBe(fires ? 1 : 0);
  });

  it('never fires a disabled rule (templates start disabled)', () => {
    expect(evaluateRules([rule([{ type: 'signal', signal: 'buying' }], { enabled: false })], ctx(quote))).toEqual([]);
    expect(RULE_TEMPLATES.every((r) => !r.enabled && ruleSchema.safeParse({ ...r, id: 'x' }).success)).toBe(true);
  });

  it('keys a firing by its evidence message', () => {
    const [f] = evaluateRules([rule([{ type: 'signal', signal: 'buying' }])], ctx(quote));
    expect(f!.key).toBe('r1|m0');
  });

  it('rejects a rule without conditions', () => {
    expect(ruleSchema.safeParse(rule([])).success).toBe(false);
  });
});

describe('applyRules', () => {
  const effects = () => ({ createDeal: vi.fn(async () => undefined), updateCustomer: vi.fn(async () => undefined), notify: vi.fn(async () => undefined), notifyGroup: vi.fn(async () => undefined) });

  it('runs each action once per evidence message, across calls', async () => {
    const { db } = t;
    const r = rule([{ type: 'signal', signal: 'buying' }], {
      then: [{ type: 'createDeal' }, { type: 'setStage', value: '方案沟通' }, { type: 'setIntentLevel', value: 'detected' }, { type: 'notify' }],
    });
    const e = effects();
    const c = ctx(quote);
    await applyRules(db, evaluateRules([r], c), c, e, now);
    await applyRules(db, evaluateRules([r], c), c, e, now);
    expect(e.createDeal).toHaveBeenCalledTimes(1);
    expect(e.createDeal).toHaveBeenCalledWith({ product: '经营贷', amount: 500_000 });
    expect(e.updateCustomer).toHaveBeenCalledTimes(1);
    expect(e.updateCustomer).toHaveBeenCalledWith({ stage: '方案沟通', intentLevel: c.understanding.intentLevel });
    expect(e.notify).toHaveBeenCalledWith('R', '张伟 · KH2026-0001');
    // A new buying message fires again.
    const more = [...quote, { id: 'm9', direction: 'in' as const, text: '车贷的利率多少？' }];
    const c2 = ctx(more);
    await applyRules(db, evaluateRules([r], c2), c2, e, now);
    expect(e.createDeal).toHaveBeenCalledTimes(2);
  });

  it('sets the next follow-up only to a future time', async () => {
    const { db } = t;
    const r = rule([{ type: 'signal', signal: 'nextFollowUp' }], { then: [{ type: 'setNextFollowUp' }] });
    const e = effects();
    const c = ctx(timed);
    await applyRules(db, evaluateRules([r], c), c, e, now);
    expect(e.updateCustomer).toHaveBeenCalledWith({ nextFollowUpAt: c.understanding.nextFollowUp!.at });
    expect(c.understanding.nextFollowUp!.at).toBeGreaterThan(now);
  });
});
