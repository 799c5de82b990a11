// The rule condition "amount ≥ value" and the action "notify the group": schema, evaluation on
// what lib/understand reads from the message, and apply through a fake effect.
import { describe, expect, it, vi } from 'vitest';
import { evaluateRules } from '../../../lib/rules/evaluate';
import { applyRules, type RuleEffects } from '../../../lib/rules/apply';
import { forgetRuleConversations, noteRuleConversation } from '../../../lib/rules/notify-context';
import { ruleSchema, RULE_TEMPLATES, type Rule } from '../../../lib/rules/schema';
import { CrmError } from '../../../lib/crm/errors';
import { understand } from '../../../lib/understand';
import { DEFAULT_SETTINGS, type ChatMessage, type Customer } from '../../../lib/model';
import { useDb, at } from '../customers/helpers';

const t = useDb();
const now = at(2026, 3, 5, 10);
const customer: Customer = { id: 'c1', code: 'KH2026-0001', name: '张伟', phones: [], tags: [], stage: '新客户', createdAt: now, updatedAt: now, searchKeys: [] };
const say = (text: string, id = 'm0'): ChatMessage[] => [{ id, direction: 'in', text, at: now - 60_000 }];
const ctx = (m: ChatMessage[]) => ({ site: 'demo', threadKey: 't1', customer, understanding: understand(m, { now, products: DEFAULT_SETTINGS.products }) });
const big: Rule = {
  id: 'big',
  name: '大额购买信号通知群',
  enabled: true,
  when: [{ type: 'signal', signal: 'buying' }, { type: 'amount', op: 'gte', value: 1_000_000 }],
  then: [{ type: 'notifyGroup', robotId: 'r1', event: 'buyingSignal' }],
};
const effects = (notifyGroup: RuleEffects['notifyGroup'] = vi.fn(async () => undefined)) => ({
  createDeal: vi.fn(async () => undefined),
  updateCustomer: vi.fn(async () => undefined),
  notify: vi.fn(async () => undefined),
  notifyGroup,
});

describe('amount condition', () => {
  it.each([
    ['120万 ≥ 100万', '经营贷想贷120万，利率多少？', 1],
    ['exactly 100万', '经营贷想贷100万，利率多少？', 1],
    ['5万 < 100万', '经营贷想贷5万，利率多少？', 0],
    ['no amount', '经营贷利率多少？', 0],
  ])('%s', (_l, text, fires) => {
    expect(evaluateRules([big], ctx(say(text))).length).toBe(fires);
  });

  it('is read in yuan (100万 = 1,000,000), and another currency does not count', () => {
    const u = ctx(say('经营贷想贷120万，利率多少？')).understanding;
    expect(u.buying.amount?.value).toBe(1_200_000);
    const usd = ctx(say('We want a loan of $1.5 million, what is the rate?'));
    if (usd.understanding.buying.amount) expect(usd.understanding.buying.amount.currency).not.toBe('CNY');
    expect(evaluateRules([{ ...big, when: [{ type: 'amount', op: 'gte', value: 1 }] }], usd).length).toBe(0);
  });

  it('is refused when not a positive number', () => {
    for (const value of [0, -5, Number.NaN, '100万'])
      expect(ruleSchema.safeParse({ ...big, when: [{ type: 'amount', op: 'gte', value }] }).success).toBe(false);
    expect(ruleSchema.safeParse({ ...big, when: [{ type: 'amount', op: 'lt', value: 5 }] }).success).toBe(false);
  });
});

describe('notifyGroup action', () => {
  it('an enabled rule needs a robot and a known event; the template ships disabled without one', () => {
    expect(ruleSchema.safeParse(big).success).toBe(true);
    const r = ruleSchema.safeParse({ ...big, then: [{ type: 'notifyGroup', robotId: '', event: 'buyingSignal' }] });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('请选择要通知的群机器人');
    expect(ruleSchema.safeParse({ ...big, then: [{ type: 'notifyGroup', robotId: 'r1', event: 'party' }] }).success).toBe(false);
    const tpl = RULE_TEMPLATES.find((x) => x.then.some((a) => a.type === 'notifyGroup'))!;
    expect(tpl.enabled).toBe(false);
    expect(tpl.when).toContainEqual({ type: 'amount', op: 'gte', value: 1_000_000 });
    expect(ruleSchema.safeParse({ ...tpl, id: 'x' }).success).toBe(true);
    expect(ruleSchema.safeParse({ ...tpl, id: 'x', enabled: true }).success).toBe(false);
  });

  it('posts once per evidence message, with the customer, amount, open deal and conversation', async () => {
    const { db } = t;
    forgetRuleConversations();
    const m = say('经营贷想贷120万，利率多少？');
    noteRuleConversation({ site: 'demo', threadKey: 't1', contact: { displayName: '张伟（微信）', handles: { phones: [], emails: [] } }, messages: m });
    await db.deals.put({ id: 'd1', customerId: 'c1', product: '经营贷', amount: 900_000, status: '进行中', createdAt: now - 1000, updatedAt: now - 1000 } as never);
    const e = effects();
    const c = ctx(m);
    const first = await applyRules(db, evaluateRules([big], c), c, e, now);
    await applyRules(db, evaluateRules([big], c), c, e, now);
    expect(first).toEqual([{ ruleId: 'big', actions: ['notifyGroup'], failed: 0, problems: [] }]);
    expect(e.notifyGroup).toHaveBeenCalledTimes(1);
    const [robotId, event, context] = (e.notifyGroup as ReturnType<typeof vi.fn>).mock.calls[0]!;
    expect(robotId).toBe('r1');
    expect(event).toBe('buyingSignal');
    expect(context.customer).toMatchObject({ name: '张伟', amount: 1_200_000, product: '经营贷' });
    expect(context.deal).toMatchObject({ id: 'd1' });
    expect(context.conversation).toMatchObject({ site: 'demo', contactName: '张伟（微信）', lastMessage: '经营贷想贷120万，利率多少？', receivedAt: now - 60_000, category: '销售线索' });
    // 紧急程度 in the product's words, as tickets say it (not understand's low/medium/high).
    expect(['低', '中', '高']).toContain(context.conversation.priority);
  });

  it('reports a rate-limited or retryable refusal in the result, and does not retry it', async () => {
    const { db } = t;
    const fail = vi.fn(async () => {
      throw new CrmError('rate-limited', 'feishu 11232', { userMessage: { zh_CN: '发送太频繁', en: 'Too many messages' } });
    });
    const e = effects(fail);
    const c = ctx(say('经营贷想贷150万，利率多少？', 'm7'));
    const [r] = await applyRules(db, evaluateRules([big], c), c, e, now);
    expect(r).toEqual({ ruleId: 'big', actions: [], failed: 1, problems: [{ action: 'notifyGroup', kind: 'rate-limited', retryable: true, message: '发送太频繁 / Too many messages' }] });
    expect(await applyRules(db, evaluateRules([big], c), c, e, now)).toEqual([]);
    expect(fail).toHaveBeenCalledTimes(1);
  });

  it('fails, reported, where no group notifications are wired', async () => {
    const { db } = t;
    const { notifyGroup: _, ...without } = effects();
    const c = ctx(say('经营贷想贷300万，利率多少？', 'm8'));
    const [r] = await applyRules(db, evaluateRules([big], c), c, without, now);
    expect(r!.failed).toBe(1);
    expect(r!.problems[0]).toMatchObject({ action: 'notifyGroup', kind: 'error', retryable: false });
  });
});
