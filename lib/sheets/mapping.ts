// Column → customer field, guessed from the header text (seed 000's 客户信息表 names, common
// variants, English). The user confirms or changes it in the import wizard.

import { IMPORT_FIELDS, type ImportField, type ColumnMapping } from './fields';

export { IMPORT_FIELDS, type ImportField, type ColumnMapping };

// Exact names after normalizing (lower case, no spaces/punctuation). Order matters only for
// readability: matching is exact first, then by the `contains` hints below.
const SYNONYMS: Record<ImportField, string[]> = {
  name: ['姓名', '客户名称', '客户姓名', '客户名', '名称', '联系人', 'name', 'fullname', 'customer', 'customername', 'contact', 'contactname'],
  phones: ['电话', '手机', '手机号', '手机号码', '联系电话', '电话号码', '联系方式', 'phone', 'mobile', 'tel', 'telephone', 'phonenumber', 'cell', 'mobilephone'],
  wechatId: ['微信号', '微信', '微信id', 'wechat', 'wechatid', 'weixin', 'wx'],
  source: ['来源渠道', '来源', '渠道', '客户来源', 'source', 'channel', 'leadsource'],
  product: ['意向产品', '产品', '产品名称', 'product', 'interestedproduct'],
  amount: ['意向金额', '金额', '贷款金额', '需求金额', 'amount', 'loanamount', 'value', 'dealvalue'],
  intentLevel: ['意向等级', '意向', '意向程度', 'intent', 'intentlevel', 'priority'],
  stage: ['贷款状态', '阶段', '客户阶段', '状态', '客户状态', '销售阶段', 'stage', 'status', 'dealstage', 'pipeline'],
  tags: ['标签', 'tags', 'tag', 'labels'],
  notes: ['备注', '说明', '备注信息', 'notes', 'note', 'remark', 'remarks', 'comment', 'comments', 'memo'],
  company: ['公司', '公司名称', '单位', '企业', '企业名称', 'company', 'companyname', 'organization', 'org'],
  email: ['邮箱', '电子邮箱', '邮件', 'email', 'e-mail', 'mail', 'emailaddress'],
  keyword: ['搜索关键词', '关键词', 'keyword', 'keywords', 'searchkeyword'],
  nextFollowUpAt: ['下次跟进', '下次跟进时间', '下次联系', '跟进时间', 'nextfollowup', 'nextfollowupat', 'followupdate', 'nextcontact'],
  owner: ['负责人', '跟进人', '销售', '归属', 'owner', 'assignee', 'salesrep'],
  code: ['客户编号', '客户id', '编号', 'code', 'customercode', 'customerid', 'id'],
};

export function normalizeHeader(h: string): string {
  return h.normalize('NFKC').toLowerCase().replace(/[\s_\-:：()（）*#.]/g, '').replace(/\(\d+\)$/, '');
}

const EXACT = new Map<string, ImportField>();
for (const f of IMPORT_FIELDS) for (const s of SYNONYMS[f]) EXACT.set(normalizeHeader(s), f);

/** Header words that name a field even inside a longer header ("客户手机号（必填）"). */
const CONTAINS: [RegExp, ImportField][] = [
  [/手机|电话|phone|mobile/, 'phones'],
  [/微信|wechat/, 'wechatId'],
  [/邮箱|email/, 'email'],
  [/来源|渠道/, 'source'],
  [/意向产品/, 'product'],
  [/金额/, 'amount'],
  [/意向等级/, 'intentLevel'],
  [/下次跟进/, 'nextFollowUpAt'],
  [/阶段|状态/, 'stage'],
  [/标签/, 'tags'],
  [/备注/, 'notes'],
  [/公司|企业/, 'company'],
  [/关键词/, 'keyword'],
  [/姓名|客户名/, 'name'],
];

export function guessField(header: string): ImportField | null {
  // Duplicate headers come back as "电话 (2)": the suffix still means 电话.
  const h = normalizeHeader(header.replace(/\s\(\d+\)$/, ''));
  if (!h) return null;
  const exact = EXACT.get(h);
  if (exact) return exact;
  for (const [re, f] of CONTAINS) if (re.test(h)) return f;
  return null;
}

/** A field per column; a field is given to one column only, except phones (电话, 手机 both kept). */
export function guessMapping(headers: readonly string[]): ColumnMapping {
  const used = new Set<ImportField>();
  return headers.map((h) => {
    const f = guessField(h);
    if (!f) return null;
    if (used.has(f) && f !== 'phones') return null;
    used.add(f);
    return f;
  });
}
