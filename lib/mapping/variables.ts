// The variables a mapping template may name, and how each is read from the record being sent.
// A closed list (not a property path walked at run time) so a typo is a compile error in the
// options page instead of a silently blank CRM field, and no template can reach anything else.
import type { Customer, Deal, FollowUp } from '../model';

/** What a template is rendered against: the record being sent and where it came from. */
export interface MappingContext {
  customer?: Customer;
  followUp?: FollowUp;
  deal?: Deal;
  conversation?: {
    /** whatsapp, telegram, wechat… (seed 004's {{platform}}) */
    site?: string;
    contactName?: string;
    /** The latest customer message (seed 004's {{messageContent}}). */
    lastMessage?: string;
    receivedAt?: number;
    /** 销售线索 / 技术支持 / 客户服务 / 产品反馈 */
    category?: string;
    priority?: string;
  };
  /** IANA zone for the date filter; Asia/Shanghai when absent (the product's users). */
  timeZone?: string;
}

/** 'time' values are epoch ms: the date filter formats them, bare they render as ISO 8601. */
export type VarKind = 'text' | 'number' | 'time' | 'list';
export type Value = string | number | readonly string[] | undefined;

interface VarDef {
  kind: VarKind;
  get(ctx: MappingContext): Value;
  /** Shown in the mapping editor's variable list. */
  label: string;
}

/** Chinese names: 姓 is the first character; Western names: the last word is the family name. */
function splitName(name: string | undefined): { first?: string; last?: string } {
  const n = name?.trim();
  if (!n) return {};
  const sp = n.lastIndexOf(' ');
  if (sp > 0) return { first: n.slice(0, sp).trim(), last: n.slice(sp + 1) };
  const chars = Array.from(n);
  if (/^\p{Script=Han}/u.test(n) && chars.length > 1) return { last: chars[0]!, first: chars.slice(1).join('') };
  return { last: n };
}

const c = (k: keyof Customer, kind: VarKind, label: string): VarDef => ({ kind, label, get: (x) => x.customer?.[k] as Value });
const f = (k: keyof FollowUp, kind: VarKind, label: string): VarDef => ({ kind, label, get: (x) => x.followUp?.[k] as Value });
const d = (k: keyof Deal, kind: VarKind, label: string): VarDef => ({ kind, label, get: (x) => x.deal?.[k] as Value });

export const VARIABLES: Readonly<Record<string, VarDef>> = {
  'customer.name': c('name', 'text', '客户名称'),
  'customer.firstName': { kind: 'text', label: '名', get: (x) => splitName(x.customer?.name).first },
  'customer.lastName': { kind: 'text', label: '姓', get: (x) => splitName(x.customer?.name).last },
  'customer.code': c('code', 'text', '客户编号'),
  'customer.company': c('company', 'text', '公司'),
  'customer.phone': { kind: 'text', label: '电话（第一个）', get: (x) => x.customer?.phones[0] },
  'customer.phones': c('phones', 'list', '全部电话'),
  'customer.email': c('email', 'text', '邮箱'),
  'customer.wechatId': c('wechatId', 'text', '微信号'),
  'customer.source': c('source', 'text', '来源渠道'),
  'customer.product': c('product', 'text', '意向产品'),
  'customer.amount': c('amount', 'number', '意向金额'),
  'customer.intentLevel': c('intentLevel', 'text', '意向等级'),
  'customer.stage': c('stage', 'text', '阶段'),
  'customer.grade': c('grade', 'text', '客户等级'),
  'customer.tags': c('tags', 'list', '标签'),
  'customer.owner': c('owner', 'text', '负责人'),
  'customer.keyword': c('keyword', 'text', '搜索关键词'),
  'customer.notes': c('notes', 'text', '备注'),
  'customer.lastContactAt': c('lastContactAt', 'time', '最后联系'),
  'customer.nextFollowUpAt': c('nextFollowUpAt', 'time', '下次跟进'),
  'customer.createdAt': c('createdAt', 'time', '创建时间'),
  'followUp.method': f('method', 'text', '跟进方式'),
  'followUp.content': f('content', 'text', '跟进内容'),
  'followUp.summary': f('summary', 'text', '摘要'),
  'followUp.result': f('result', 'text', '跟进结果'),
  'followUp.nextAction': f('nextAction', 'text', '下次行动'),
  'followUp.nextAt': f('nextAt', 'time', '下次时间'),
  'followUp.at': f('at', 'time', '跟进时间'),
  'followUp.by': f('by', 'text', '跟进人'),
  'deal.product': d('product', 'text', '产品'),
  'deal.institution': d('institution', 'text', '银行'),
  'deal.amount': d('amount', 'number', '金额'),
  'deal.rate': d('rate', 'number', '利率'),
  'deal.termMonths': d('termMonths', 'number', '期限（月）'),
  'deal.commission': d('commission', 'number', '佣金'),
  'deal.status': d('status', 'text', '状态'),
  'deal.closedAt': d('closedAt', 'time', '放款时间'),
  'conversation.site': { kind: 'text', label: '平台', get: (x) => x.conversation?.site },
  'conversation.contactName': { kind: 'text', label: '聊天昵称', get: (x) => x.conversation?.contactName },
  'conversation.lastMessage': { kind: 'text', label: '最新消息', get: (x) => x.conversation?.lastMessage },
  'conversation.receivedAt': { kind: 'time', label: '收到时间', get: (x) => x.conversation?.receivedAt },
  'conversation.category': { kind: 'text', label: '消息分类', get: (x) => x.conversation?.category },
  'conversation.priority': { kind: 'text', label: '优先级', get: (x) => x.conversation?.priority },
};

/**
 * Seed 004's names (the mappings people already wrote for Octopus Messenger), so a pasted
 * `{{senderName}}` works. The sender of a chat is the customer in Liaison.
 */
export const ALIASES: Readonly<Record<string, string>> = {
  senderName: 'customer.name',
  senderFirstName: 'customer.firstName',
  senderLastName: 'customer.lastName',
  senderPhone: 'customer.phone',
  senderEmail: 'customer.email',
  tenantName: 'customer.company',
  platform: 'conversation.site',
  messageContent: 'conversation.lastMessage',
  category: 'conversation.category',
  priority: 'conversation.priority',
  receivedAt: 'conversation.receivedAt',
};

export function resolveVariable(name: string): { path: string; def: VarDef } | undefined {
  const path = ALIASES[name] ?? name;
  const def = Object.hasOwn(VARIABLES, path) ? VARIABLES[path] : undefined;
  return def ? { path, def } : undefined;
}

export const VARIABLE_NAMES: readonly string[] = [...Object.keys(VARIABLES), ...Object.keys(ALIASES)];
