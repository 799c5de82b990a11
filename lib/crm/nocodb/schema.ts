// The three recommended tables, as data: titles, NocoDB column types (uidt) and select options.
// setup.ts creates them; values.ts encodes by the actual column types read back from the meta API,
// so a user's own table with, say, 意向金额 as Currency or 标签 as MultiSelect works as well.
import { DEAL_STATUSES, DEFAULT_PRODUCTS, DEFAULT_SOURCES, DEFAULT_STAGES, FOLLOW_UP_METHODS, FOLLOW_UP_RESULTS, INTENT_LEVELS } from '../../model';

export type TableKey = 'customers' | 'followUps' | 'deals';

export interface ColumnSpec {
  /** The Liaison field it holds (values.ts names key). */
  key: string;
  title: string;
  uidt: string;
  options?: readonly string[];
  /** The table is unusable without it (dedupe key, the follow-up's own id). */
  required?: boolean;
  /** NocoDB's display value (shown in link pickers). */
  pv?: boolean;
  /** uidt Formula: its formula_raw (added after the table exists: 0.301.3 cannot create one with it). */
  formula?: string;
}

/**
 * 客户编号 as NocoDB allocates it (codes.ts): "KH" and the row Id, six digits up to 999999 and
 * all digits beyond (never truncated, so never two rows with one code). Checked on 0.301.3:
 * Id 1 → KH000001, Id 12345678 → KH12345678; RIGHT alone would cut the latter to KH345678.
 */
export const CODE_FORMULA = 'CONCAT("KH", IF({Id} < 1000000, RIGHT(CONCAT("00000", {Id}), 6), {Id}))';

export const RECOMMENDED_TABLES: Record<TableKey, { title: string; tableName: string; columns: ColumnSpec[] }> = {
  customers: {
    title: '客户',
    tableName: 'liaison_customers',
    columns: [
      // Allocated by NocoDB, unique across the team (issue 15 item 6); Liaison never writes it.
      { key: 'code', title: '客户编号', uidt: 'Formula', formula: CODE_FORMULA },
      { key: 'name', title: '姓名', uidt: 'SingleLineText', required: true, pv: true },
      { key: 'company', title: '公司', uidt: 'SingleLineText' },
      { key: 'phones', title: '电话', uidt: 'PhoneNumber', required: true },
      { key: 'wechatId', title: '微信号', uidt: 'SingleLineText' },
      { key: 'email', title: '邮箱', uidt: 'Email' },
      { key: 'source', title: '来源渠道', uidt: 'SingleSelect', options: DEFAULT_SOURCES },
      { key: 'product', title: '意向产品', uidt: 'SingleSelect', options: DEFAULT_PRODUCTS },
      { key: 'amount', title: '意向金额', uidt: 'Decimal' },
      { key: 'intentLevel', title: '意向等级', uidt: 'SingleSelect', options: INTENT_LEVELS },
      { key: 'stage', title: '客户阶段', uidt: 'SingleSelect', options: DEFAULT_STAGES },
      // Free text ("a,b"): Liaison's tags are open-ended, and a MultiSelect would refuse new ones.
      { key: 'tags', title: '标签', uidt: 'SingleLineText' },
      { key: 'owner', title: '负责人', uidt: 'SingleLineText' },
      { key: 'keyword', title: '搜索关键词', uidt: 'SingleLineText' },
      { key: 'notes', title: '备注', uidt: 'LongText' },
      { key: 'nextFollowUpAt', title: '下次跟进', uidt: 'DateTime' },
      { key: 'lastContactAt', title: '最后联系', uidt: 'DateTime' },
    ],
  },
  followUps: {
    title: '跟进记录',
    tableName: 'liaison_follow_ups',
    columns: [
      // Liaison's follow-up id: what a retry after a lost reply looks up (no idempotency keys in NocoDB).
      { key: 'recordId', title: '记录ID', uidt: 'SingleLineText', required: true, pv: true },
      { key: 'method', title: '跟进方式', uidt: 'SingleSelect', options: FOLLOW_UP_METHODS },
      { key: 'content', title: '跟进内容', uidt: 'LongText' },
      { key: 'result', title: '跟进结果', uidt: 'SingleSelect', options: FOLLOW_UP_RESULTS },
      { key: 'nextAction', title: '下次行动', uidt: 'SingleLineText' },
      { key: 'nextAt', title: '下次时间', uidt: 'DateTime' },
      { key: 'at', title: '跟进时间', uidt: 'DateTime' },
      { key: 'by', title: '跟进人', uidt: 'SingleLineText' },
    ],
  },
  deals: {
    title: '成交记录',
    tableName: 'liaison_deals',
    columns: [
      { key: 'dealId', title: '成交ID', uidt: 'SingleLineText', required: true, pv: true },
      { key: 'product', title: '产品名称', uidt: 'SingleLineText' },
      { key: 'institution', title: '银行', uidt: 'SingleLineText' },
      { key: 'amount', title: '成交金额', uidt: 'Decimal' },
      { key: 'rate', title: '利率', uidt: 'Decimal' },
      { key: 'termMonths', title: '期限', uidt: 'Number' },
      { key: 'commission', title: '佣金', uidt: 'Decimal' },
      { key: 'status', title: '状态', uidt: 'SingleSelect', options: DEAL_STATUSES },
      { key: 'closedAt', title: '成交时间', uidt: 'DateTime' },
    ],
  },
};

/** The link column on the follow-up and deal tables, pointing at the customer's row. */
export const CUSTOMER_LINK_TITLE = '客户';

export const TEXT_TYPES = ['SingleLineText', 'LongText', 'PhoneNumber', 'Email', 'URL', 'SingleSelect'];
export const NUMBER_TYPES = ['Number', 'Decimal', 'Currency', 'Percent', 'Rating', 'Duration'];
export const DATE_TYPES = ['DateTime', 'Date'];
export const LINK_TYPES = ['Links', 'LinkToAnotherRecord'];

/** Which stored types accept the value Liaison writes for a column of `expected` type. */
export function compatibleTypes(expected: string): string[] {
  // A 客户编号 NocoDB computes, or a text one Liaison fills with its own codes (older tables, the user's own).
  if (expected === 'Formula') return ['Formula', 'AutoNumber', 'SingleLineText', 'LongText'];
  if (expected === 'SingleSelect') return ['SingleSelect', 'SingleLineText', 'LongText'];
  if (expected === 'PhoneNumber' || expected === 'Email') return [expected, 'SingleLineText', 'LongText'];
  // Tags and other text: a MultiSelect takes "a,b" too (checked against its options).
  if (expected === 'SingleLineText' || expected === 'LongText') return ['SingleLineText', 'LongText', 'PhoneNumber', 'Email', 'URL', 'SingleSelect', 'MultiSelect'];
  if (NUMBER_TYPES.includes(expected)) return NUMBER_TYPES;
  if (DATE_TYPES.includes(expected)) return [...DATE_TYPES, 'SingleLineText'];
  return [expected];
}
