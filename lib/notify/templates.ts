// Ready-made notification templates for the events the issue names (seed 004's "also post to
// the team group", seed 003's 通知销售人员 on assignment, a buying signal from a rule). The
// {{…}} names are lib/mapping's variables; values are escaped per vendor when rendered.
import type { MappingContext } from '../mapping';
import type { Localized } from '../crm/spec';

export interface NotifyTemplate {
  title?: string;
  body: string;
}

export const NOTIFY_EVENTS = ['buyingSignal', 'complaint', 'assignment', 'newLead'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

export const EVENT_LABELS: Record<NotifyEvent, Localized> = {
  buyingSignal: { zh_CN: '购买信号', en: 'Buying signal' },
  complaint: { zh_CN: '投诉 / 售后', en: 'Complaint / after-sales' },
  assignment: { zh_CN: '分配给销售', en: 'Assigned to a salesperson' },
  newLead: { zh_CN: '新线索', en: 'New lead' },
};

export const DEFAULT_TEMPLATES: Record<NotifyEvent, { zh_CN: NotifyTemplate; en: NotifyTemplate }> = {
  buyingSignal: {
    zh_CN: {
      title: '购买信号：{{customer.name}}',
      body: "客户：{{customer.name}}（{{customer.company|default:'—'}}）\n意向金额：{{customer.amount|default:'—'}}\n产品：{{customer.product|default:'—'}}\n最新消息：{{conversation.lastMessage|truncate:200}}\n来自：{{conversation.site}} · {{conversation.receivedAt|date:'MM-DD HH:mm'}}",
    },
    en: {
      title: 'Buying signal: {{customer.name}}',
      body: "Customer: {{customer.name}} ({{customer.company|default:'—'}})\nAmount: {{customer.amount|default:'—'}}\nProduct: {{customer.product|default:'—'}}\nLatest message: {{conversation.lastMessage|truncate:200}}\nFrom: {{conversation.site}} · {{conversation.receivedAt|date:'MM-DD HH:mm'}}",
    },
  },
  complaint: {
    zh_CN: {
      title: "售后：{{customer.name}}（{{conversation.priority|default:'普通'}}）",
      body: "分类：{{conversation.category|default:'售后'}}\n客户：{{customer.name}} {{customer.phone|phone:national}}\n内容：{{conversation.lastMessage|truncate:300}}",
    },
    en: {
      title: 'After-sales: {{customer.name}} ({{conversation.priority|default:normal}})',
      body: "Category: {{conversation.category|default:'after-sales'}}\nCustomer: {{customer.name}} {{customer.phone|phone:e164}}\nMessage: {{conversation.lastMessage|truncate:300}}",
    },
  },
  assignment: {
    zh_CN: {
      title: '新客户分配给 {{customer.owner}}',
      body: "客户：{{customer.name}}（{{customer.code|default:'—'}}）\n阶段：{{customer.stage|default:'—'}}\n下次跟进：{{customer.nextFollowUpAt|date:'YYYY-MM-DD HH:mm'}}",
    },
    en: {
      title: 'New customer assigned to {{customer.owner}}',
      body: "Customer: {{customer.name}} ({{customer.code|default:'—'}})\nStage: {{customer.stage|default:'—'}}\nNext follow-up: {{customer.nextFollowUpAt|date:'YYYY-MM-DD HH:mm'}}",
    },
  },
  newLead: {
    zh_CN: { title: '新线索：{{customer.name}}', body: "来源：{{customer.source|default:'—'}}\n消息：{{conversation.lastMessage|truncate:200}}" },
    en: { title: 'New lead: {{customer.name}}', body: "Source: {{customer.source|default:'—'}}\nMessage: {{conversation.lastMessage|truncate:200}}" },
  },
};

/** "发送测试消息": a fixed text plus the send time through the template engine. */
export function testMessage(lang: 'zh_CN' | 'en', nowMs: number): { template: NotifyTemplate; context: MappingContext } {
  const template: NotifyTemplate =
    lang === 'zh_CN'
      ? { title: 'Liaison 测试消息', body: "群机器人已连接，Liaison 会把通知发到这个群。\n发送时间：{{conversation.receivedAt|date:'YYYY-MM-DD HH:mm:ss'}}" }
      : { title: 'Liaison test message', body: "The group robot is connected; Liaison will post notices to this group.\nSent at: {{conversation.receivedAt|date:'YYYY-MM-DD HH:mm:ss'}}" };
  return { template, context: { conversation: { receivedAt: nowMs } } };
}
