// Automation rules, as data: "when these conditions hold on a conversation, do these actions".
// Conditions and actions come from fixed choices so the options page can offer a simple list
// editor and the background can run them without evaluating anything user-written.
// Routing to a particular CRM connection is deliberately not an action yet (the outbox has no
// per-entry routing); it is left out rather than offered as something that does nothing.
import { z } from 'zod';
import { INTENT_LEVELS } from '../model/enums';
import { NOTIFY_EVENTS } from '../notify/templates';
import { lazySchema } from '../model/lazy-schema';

export const RULE_SIGNALS = ['buying', 'complaint', 'nextFollowUp', 'refused'] as const;
export type RuleSignal = (typeof RULE_SIGNALS)[number];
export const RULE_CUSTOMER_FIELDS = ['stage', 'grade', 'intentLevel', 'source', 'product'] as const;
export type RuleCustomerField = (typeof RULE_CUSTOMER_FIELDS)[number];
export const RULE_CATEGORIES = ['销售线索', '技术支持', '客户服务', '产品反馈'] as const;

const value = lazySchema(() => z.string().trim().min(1).max(50));

export const conditionSchema = lazySchema(() => z.discriminatedUnion('type', [
  /** The understood conversation carries this signal. */
  z.object({ type: z.literal('signal'), signal: z.enum(RULE_SIGNALS) }),
  /** The understood intent level (意向等级) of the conversation. */
  z.object({ type: z.literal('intent'), level: z.enum(INTENT_LEVELS) }),
  z.object({ type: z.literal('category'), category: z.enum(RULE_CATEGORIES) }),
  /** The chat site (lib/readers/registry.ts ids). */
  z.object({ type: z.literal('site'), site: value }),
  z.object({ type: z.literal('customer'), field: z.enum(RULE_CUSTOMER_FIELDS), op: z.enum(['is', 'isNot']), value }),
  /**
   * The understood deal amount (lib/understand: 100万 = 1,000,000, in yuan) is at least `value`.
   * An amount said in another currency ($150k) does not hold: no exchange rate is guessed.
   */
  z.object({ type: z.literal('amount'), op: z.literal('gte'), value: z.number().finite().positive().max(1e12) }),
]));
export type RuleCondition = z.infer<typeof conditionSchema>;

export const actionSchema = lazySchema(() => z.discriminatedUnion('type', [
  /** A 进行中 deal with the understood product and amount. */
  z.object({ type: z.literal('createDeal') }),
  z.object({ type: z.literal('setStage'), value }),
  z.object({ type: z.literal('setGrade'), value }),
  /** A fixed level, or 'detected': the level understood from the conversation. */
  z.object({ type: z.literal('setIntentLevel'), value: z.enum([...INTENT_LEVELS, 'detected']) }),
  /** The next follow-up time named in the conversation (明天下午3点). */
  z.object({ type: z.literal('setNextFollowUp') }),
  /** A browser notification naming the rule and the customer. */
  z.object({ type: z.literal('notify') }),
  /** Post the event to a configured group robot (lib/notify: Feishu, DingTalk, WeCom, Slack). */
  /** robotId '' only in a disabled rule (a template before a robot is picked): see ruleSchema. */
  z.object({ type: z.literal('notifyGroup'), robotId: z.string().max(64), event: z.enum(NOTIFY_EVENTS) }),
]));
export type RuleAction = z.infer<typeof actionSchema>;

export const ruleSchema = lazySchema(() => z.object({
  id: z.string().min(1).max(100),
  name: z.string().trim().min(1).max(100),
  /** Rules are off until the user turns each on. */
  enabled: z.boolean(),
  /** All must hold; at least one, so a rule never fires on every message by accident. */
  when: z.array(conditionSchema).min(1).max(10),
  then: z.array(actionSchema).min(1).max(10),
}).superRefine((r, ctx) => {
  r.then.forEach((a, i) => {
    if (r.enabled && a.type === 'notifyGroup' && !a.robotId)
      ctx.addIssue({ code: 'custom', path: ['then', i, 'robotId'], message: '请选择要通知的群机器人 / Pick the group robot to notify' });
  });
}));
export type Rule = z.infer<typeof ruleSchema>;

/** Templates the editor offers ("add rule"); every one starts disabled. */
export const RULE_TEMPLATES: readonly Omit<Rule, 'id'>[] = [
  { name: '询价自动创建成交', enabled: false, when: [{ type: 'signal', signal: 'buying' }], then: [{ type: 'createDeal' }, { type: 'setStage', value: '方案沟通' }] },
  { name: '约定时间自动设下次跟进', enabled: false, when: [{ type: 'signal', signal: 'nextFollowUp' }], then: [{ type: 'setNextFollowUp' }] },
  { name: '投诉提醒', enabled: false, when: [{ type: 'signal', signal: 'complaint' }], then: [{ type: 'notify' }] },
  // robotId '' until the user picks one of their robots in the editor (an enabled rule must have one).
  {
    name: '大额购买信号通知群',
    enabled: false,
    when: [{ type: 'signal', signal: 'buying' }, { type: 'amount', op: 'gte', value: 1_000_000 }],
    then: [{ type: 'notifyGroup', robotId: '', event: 'buyingSignal' }],
  },
];
