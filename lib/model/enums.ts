// Domain vocabulary from the seeds (000: 飞书CRM tables; 003: 智邦 follow-up methods).
// Values are the Chinese terms themselves: they are the product's vocabulary and what
// CRMs store; the UI translates them for English readers through lib/i18n.

export const FOLLOW_UP_METHODS = ['电话', '微信', '面谈', '邮件', '其他'] as const;
export type FollowUpMethod = (typeof FOLLOW_UP_METHODS)[number];

export const FOLLOW_UP_RESULTS = ['有意向', '无意向', '待考虑', '已拒绝'] as const;
export type FollowUpResult = (typeof FOLLOW_UP_RESULTS)[number];

export const INTENT_LEVELS = ['高', '中', '低'] as const;
export type IntentLevel = (typeof INTENT_LEVELS)[number];

/** Seed 000's 贷款状态, the default sales stages; configurable in options. */
export const DEFAULT_STAGES = ['新客户', '已联系', '跟进中', '方案沟通', '谈判中', '成交', '流失'] as const;
/** Seed 000's 来源渠道. */
export const DEFAULT_SOURCES = ['抖音', '小红书', '百度', '转介绍', '其他'] as const;
/** Seed 000's 意向产品. */
export const DEFAULT_PRODUCTS = ['信用贷', '抵押贷', '车贷', '经营贷'] as const;

export const DEAL_STATUSES = ['进行中', '已放款', '已取消'] as const;
export type DealStatus = (typeof DEAL_STATUSES)[number];

export const SYNC_STATES = ['pending', 'synced', 'failed'] as const;
export type SyncState = (typeof SYNC_STATES)[number];

export const REMINDER_STATES = ['due', 'snoozed', 'done'] as const;
export type ReminderState = (typeof REMINDER_STATES)[number];

/**
 * 售后/工单 (issue 17). Categories are seed 004's routing table (less 销售线索, which becomes a
 * customer, not a ticket) plus seed 003's 售后 (complaint, repair, return).
 */
export const TICKET_CATEGORIES = ['售后', '技术支持', '客户服务', '产品反馈'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

/** 紧急程度: HubSpot LOW/MEDIUM/HIGH(/URGENT), Salesforce Low/Medium/High, Jira Lowest…Highest, Zendesk low…urgent map onto these. */
export const TICKET_PRIORITIES = ['低', '中', '高', '紧急'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/**
 * A ticket's state in Liaison's terms; each adapter maps its vendor's statuses onto these and
 * keeps the vendor's own word beside it (RemoteTicket.vendorStatus) for display.
 * 新建 new/open-unassigned · 处理中 being worked on · 待回复 waiting on the customer or a third party
 * · 已解决 solved/resolved/done · 已关闭 closed/cancelled.
 */
export const TICKET_STATUSES = ['新建', '处理中', '待回复', '已解决', '已关闭'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
