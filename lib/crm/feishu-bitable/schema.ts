// Seed 000's three recommended tables, as data: names, field types (documented type ids) and
// options. setup.ts creates them; values.ts writes them; find/import read them.
import { DEAL_STATUSES, DEFAULT_PRODUCTS, DEFAULT_SOURCES, DEFAULT_STAGES, FOLLOW_UP_METHODS, FOLLOW_UP_RESULTS, INTENT_LEVELS } from '../../model';

export const FT = {
  text: 1, number: 2, singleSelect: 3, multiSelect: 4, dateTime: 5, checkbox: 7, user: 11, phone: 13, url: 15, singleLink: 18, duplexLink: 21,
  createdTime: 1001, modifiedTime: 1002, createdUser: 1003, modifiedUser: 1004, autoNumber: 1005,
} as const;

export interface TableFieldSpec {
  /** The Liaison field it holds (values.ts FieldNames key). */
  key: string;
  name: string;
  type: number;
  options?: readonly string[];
  /** For links: which recommended table it points to. */
  linkTo?: TableKey;
  /** The table is unusable without it (dedupe key, the link to the customer). */
  required?: boolean;
  property?: Record<string, unknown>;
  /** Not in the field mapping: checked under this name (any field of its type will do). */
  fixedName?: boolean;
  /**
   * Setup adds it to a reused table that lacks it (a field Bitable fills itself, so adding it
   * changes no data and asks nothing of the user): 最后更新时间, which reading changes needs.
   */
  addIfMissing?: boolean;
}
export type TableKey = 'customers' | 'followUps' | 'deals';

export const SYNC_STATE_OPTIONS = ['已同步', '待同步', '同步失败'] as const;
const dateTime = { date_formatter: 'yyyy/MM/dd HH:mm', auto_fill: false };
/**
 * 客户ID as a Bitable 自动编号 (字段编辑指南 § 自动编号字段): KH + the year created + "-" + a 4-digit
 * sequence, e.g. KH2026-0001 — the form of Liaison's own local codes. Bitable hands the numbers
 * out, so two browsers creating customers at once never get the same code (issue 15 item 6).
 */
export const CODE_AUTO_SERIAL = {
  auto_serial: {
    type: 'custom',
    options: [
      { type: 'fixed_text', value: 'KH' },
      { type: 'created_time', value: 'yyyy' },
      { type: 'fixed_text', value: '-' },
      { type: 'system_number', value: '4' },
    ],
  },
};
/** The modified-time field the read side filters on (changesSince): Bitable keeps it itself. */
export const MODIFIED_TIME_FIELD = '最后更新时间';

export const RECOMMENDED_TABLES: Record<TableKey, { name: string; fields: TableFieldSpec[] }> = {
  customers: {
    name: '客户信息表',
    // 姓名 leads: a table's first (index) field may not be an auto number (新增一个数据表: 1254012).
    fields: [
      { key: 'name', name: '姓名', type: FT.text, required: true },
      { key: 'code', name: '客户ID', type: FT.autoNumber, property: CODE_AUTO_SERIAL },
      { key: 'phones', name: '电话', type: FT.phone, required: true },
      { key: 'wechatId', name: '微信号', type: FT.text },
      { key: 'source', name: '来源渠道', type: FT.singleSelect, options: DEFAULT_SOURCES },
      { key: 'product', name: '意向产品', type: FT.singleSelect, options: DEFAULT_PRODUCTS },
      { key: 'amount', name: '意向金额', type: FT.number, property: { formatter: '0' } },
      { key: 'intentLevel', name: '意向等级', type: FT.singleSelect, options: INTENT_LEVELS },
      { key: 'stage', name: '贷款状态', type: FT.singleSelect, options: DEFAULT_STAGES },
      { key: 'createdAt', name: '创建时间', type: FT.dateTime, property: dateTime },
      { key: 'lastContactAt', name: '最后联系', type: FT.dateTime, property: dateTime },
      { key: 'nextFollowUpAt', name: '下次跟进', type: FT.dateTime, property: dateTime },
      { key: 'notes', name: '备注', type: FT.text },
      { key: 'tags', name: '标签', type: FT.multiSelect, options: [] },
      { key: 'keyword', name: '搜索关键词', type: FT.text },
      { key: 'syncState', name: '同步状态', type: FT.singleSelect, options: SYNC_STATE_OPTIONS },
      // Not a Liaison field: Bitable's own modified time, for changesSince's filter and sort.
      { key: 'modifiedAt', name: MODIFIED_TIME_FIELD, type: FT.modifiedTime, property: { date_formatter: 'yyyy/MM/dd HH:mm' }, fixedName: true, addIfMissing: true },
    ],
  },
  followUps: {
    name: '跟进记录表',
    fields: [
      { key: 'recordId', name: '记录ID', type: FT.text },
      { key: 'customer', name: '客户ID', type: FT.duplexLink, linkTo: 'customers', required: true },
      // Seed: 电话/微信/面谈/其他; Liaison also logs 邮件, so it is an option from the start.
      { key: 'method', name: '跟进方式', type: FT.singleSelect, options: FOLLOW_UP_METHODS },
      { key: 'content', name: '跟进内容', type: FT.text },
      { key: 'result', name: '跟进结果', type: FT.singleSelect, options: FOLLOW_UP_RESULTS },
      { key: 'nextAction', name: '下次行动', type: FT.text },
      { key: 'nextAt', name: '下次时间', type: FT.dateTime, property: dateTime },
      { key: 'at', name: '跟进时间', type: FT.dateTime, property: dateTime },
      { key: 'by', name: '跟进人', type: FT.user, property: { multiple: false } },
    ],
  },
  deals: {
    name: '成交记录表',
    fields: [
      { key: 'dealId', name: '成交ID', type: FT.text },
      { key: 'customer', name: '客户ID', type: FT.duplexLink, linkTo: 'customers', required: true },
      { key: 'product', name: '产品名称', type: FT.text },
      { key: 'institution', name: '银行', type: FT.text },
      { key: 'amount', name: '贷款金额', type: FT.number, property: { formatter: '0' } },
      { key: 'rate', name: '利率', type: FT.number, property: { formatter: '0.00' } },
      { key: 'termMonths', name: '期限', type: FT.number, property: { formatter: '0' } },
      { key: 'commission', name: '佣金', type: FT.number, property: { formatter: '0.00' } },
      { key: 'closedAt', name: '成交时间', type: FT.dateTime, property: dateTime },
      // Seed: 已放款/已取消; Liaison's deals start 进行中.
      { key: 'status', name: '状态', type: FT.singleSelect, options: DEAL_STATUSES },
    ],
  },
};

/** Which stored types accept the value Liaison writes for a field of `expected` type. */
export function compatibleTypes(expected: number): number[] {
  // A select or phone value is a string, so a text column takes it too; the reverse is not true
  // (a name is no phone number, and would litter a select with options).
  if (expected === FT.singleSelect) return [FT.singleSelect, FT.text];
  // 客户ID: an auto number makes Bitable the code master; a text column keeps Liaison's codes.
  if (expected === FT.autoNumber) return [FT.autoNumber, FT.text];
  if (expected === FT.phone) return [FT.phone, FT.text];
  if (expected === FT.duplexLink || expected === FT.singleLink) return [FT.duplexLink, FT.singleLink];
  return [expected];
}
