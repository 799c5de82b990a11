// The review page's words in both languages. Kept here, beside the page, rather than in the
// shared message catalogue: the page is self-contained and so are its strings.
const zh = {
  title: '提取的线索',
  from: '来自',
  loading: '正在读取…',
  empty: '此页面上没有找到带电话或微信号的线索。',
  source: '来源渠道',
  keyword: '搜索关键词',
  selectAll: '全选有效线索',
  selectNone: '全不选',
  import: '导入所选（{n}）',
  importing: '正在导入…',
  name: '姓名',
  phones: '电话',
  wechat: '微信号',
  content: '内容',
  status: '状态',
  'status.new': '新线索',
  'status.duplicate-local': '已是客户',
  'status.duplicate-page': '页面内重复',
  'status.invalid': '无有效联系方式',
  invalidPhone: '无效号码',
  result: '已导入 {imported} 条（新建 {created}，合并 {merged}），跳过 {skipped} 条，失败 {failed} 条',
  counts: '新线索 {new} · 已是客户 {local} · 页面内重复 {page} · 无效 {invalid}',
} as const;
const en: Record<keyof typeof zh, string> = {
  title: 'Extracted leads',
  from: 'From',
  loading: 'Reading…',
  empty: 'No leads with a phone or WeChat id were found on this page.',
  source: 'Source',
  keyword: 'Search keyword',
  selectAll: 'Select valid leads',
  selectNone: 'Select none',
  import: 'Import selected ({n})',
  importing: 'Importing…',
  name: 'Name',
  phones: 'Phones',
  wechat: 'WeChat',
  content: 'Content',
  status: 'Status',
  'status.new': 'New',
  'status.duplicate-local': 'Already a customer',
  'status.duplicate-page': 'Repeated on page',
  'status.invalid': 'No valid contact',
  invalidPhone: 'invalid number',
  result: 'Imported {imported} ({created} new, {merged} merged), skipped {skipped}, failed {failed}',
  counts: 'New {new} · customers {local} · repeated {page} · invalid {invalid}',
};
export type LeadTextKey = keyof typeof zh;
export type LeadT = (key: LeadTextKey, vars?: Record<string, string | number>) => string;

export function leadTexts(lang: 'zh' | 'en'): LeadT {
  const table: Record<string, string> = lang === 'zh' ? zh : en;
  return (key, vars = {}) => table[key]!.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}
