// 销售线索自动分配 (seed 003 #2): the team a customer can be assigned to and when Liaison assigns.
// Kept in kv (store.ts) beside the settings; no secrets here (the ids below are not credentials:
// an ERP user number, a DingTalk userId, a WeCom userid). Read back through these schemas, so a
// doctored backup or a bad save is refused with the field named.
import { z } from 'zod';
import { INTENT_LEVELS } from '../model/enums';
import { lazySchema } from '../model/lazy-schema';

const word = z.string().trim().min(1).max(100);

export const teamMemberSchema = lazySchema(() => z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  /** The name customers carry as 负责人 (customer.owner) and the CRM shows. */
  name: z.string().trim().min(1).max(100),
  /** Off: kept (past assignments still name them) but never picked. */
  active: z.boolean(),
  /** 产品线: 意向产品 values this person handles (exact, as the settings' product list spells them). */
  products: z.array(word).max(50).default([]),
  /** 来源渠道 this person handles. */
  sources: z.array(word).max(50).default([]),
  /** 地区: words looked for in the customer's company and notes (深圳, 华东…). */
  regions: z.array(word).max(50).default([]),
  /**
   * This person's id in each connection that can assign or notify (spec.capabilities.people):
   * 智邦 ERP 用户编号, DingTalk userId, WeCom userid. Keyed by connection id.
   */
  accounts: z.record(z.string().min(1).max(100), z.string().trim().min(1).max(64)).default({}),
}));
export type TeamMember = z.output<typeof teamMemberSchema>;
export type TeamMemberInput = z.input<typeof teamMemberSchema>;

export const ASSIGN_MODES = ['off', 'manual', 'auto'] as const;
export type AssignMode = (typeof ASSIGN_MODES)[number];

export const teamSettingsSchema = lazySchema(() => z
  .object({
    /** off: no 负责人 picker; manual: the sidebar's 分配 only; auto: new customers are assigned as they are created. */
    mode: z.enum(ASSIGN_MODES),
    /** auto: every new customer, or only the high-value ones (seed 003: 中台判断为高价值客户). */
    when: z.enum(['all', 'highValue']),
    /** highValue: 意向等级 at least this… */
    minIntent: z.enum(INTENT_LEVELS).optional(),
    /** …or 意向金额 at least this (yuan). Either is enough. */
    minAmount: z.number().nonnegative().max(1e13).optional(),
    /** Tell the assignee through each connection that can (DingTalk 工作通知, WeCom 应用消息). */
    notifyOwner: z.boolean(),
    /** Also post the assignment to these group robots (options → 群机器人). */
    robotIds: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)).max(20).default([]),
    members: z.array(teamMemberSchema).max(200),
  })
  .superRefine((s, ctx) => {
    const ids = new Set<string>();
    const names = new Set<string>();
    s.members.forEach((m, i) => {
      if (ids.has(m.id)) ctx.addIssue({ code: 'custom', path: ['members', i, 'id'], message: `成员编号重复 / duplicate member id ${m.id}` });
      if (names.has(m.name)) ctx.addIssue({ code: 'custom', path: ['members', i, 'name'], message: `成员姓名重复 / two members named ${m.name}` });
      ids.add(m.id);
      names.add(m.name);
    });
    if (s.mode === 'auto' && s.when === 'highValue' && s.minIntent === undefined && s.minAmount === undefined)
      ctx.addIssue({ code: 'custom', path: ['minIntent'], message: '「只分配高价值客户」需要意向等级或金额门槛 / high-value assignment needs an intent level or an amount' });
  }));
export type TeamSettings = z.output<typeof teamSettingsSchema>;
export type TeamSettingsInput = z.input<typeof teamSettingsSchema>;

export const DEFAULT_TEAM: TeamSettings = { mode: 'off', when: 'all', notifyOwner: true, robotIds: [], members: [] };
