// 售后服务 (after-sales service orders): salesmanage/service/add.asp, list.asp and chuli.asp.
//
// Evidence (dated 2026-12-06):
// - help.ashx 32.17, as scraped 2025-10-19 in chenxuanhao520-wq/wxauto
//   docs/erp_api/智邦ERP_API完整数据.json, documents three endpoints under 销售栏目/售后服务:
//   list.asp "售后服务" (cmdkey refresh; filters remind, stype 0 all / 1 待处理, datatype tel|contract|
//   product|chance with ord = that record, checktype, catetype, cateid, great1 紧急程度, result1
//   处理结果, sort1 售后分类, title, shid 售后编号, introts 售后内容, introN, introb, telsort, teljz, area,
//   TelName, ProName, searchKey, pagesize, pageindex, _rpt_sort → SourceClass), add.asp "服务详情"
//   (datas ord → BillClass) and chuli.asp "售后处理" (cmdkey __sys_dosave; ord, cateid 指派售后*,
//   info1*, cate 客户销售人员*, intro 处理结果* ≤50 → MessageClass).
// - The SAVE of a new order through add.asp is not on that page. Its fields here are the web
//   form's (Miracle1000/ALL_ERP v32.05 SYSA/service/add.asp, the form the mobile API mirrors, as
//   its list filters show): company* (客户), title* (售后主题, 1-50), shid (售后编号), great1
//   (紧急程度, enum sortonehy gate2=52), way1 (售后方式, gate2=55), date* (售后日期), time1/time2
//   (hour/minute), lead (指派售后, a user), person/personOrd, phone, mobile, introts (售后内容, ≤2000).
//   Emulator assumptions: the save's reply carries the new ord in MessageClass.data (as the other
//   saves here), the ERP numbers shid when it is left empty, and the detail bill's and list's
//   column ids (the form's names plus result1/info1/catename) — the help page documents neither.
import type { EmuService, EmuStore } from './store';
import { authenticated, erpTime, type Ctx, type V1Request } from './v1';
import { fail, message, ok, table, V1_STATUS, type EmuReply } from './replies';

const SAVE_IDS = ['company', 'title', 'shid', 'great1', 'way1', 'date', 'time1', 'time2', 'lead', 'person', 'personOrd', 'phone', 'mobile', 'introts'];
const LIST_IDS = [
  'remind', 'stype', 'datatype', 'ord', 'checktype', 'catetype', 'cateid', 'great1', 'result1', 'sort1', 'title', 'shid', 'introts',
  'introN', 'introb', 'telsort', 'teljz', 'area', 'TelName', 'ProName', 'searchKey', 'pagesize', 'pageindex', '_rpt_sort',
];
/** Documented filters this emulator does not implement: answered with an error, never ignored. */
const UNIMPLEMENTED = new Set(['remind', 'checktype', 'catetype', 'sort1', 'introN', 'introb', 'telsort', 'teljz', 'area', 'TelName', 'ProName']);
export const SERVICE_COLS = ['ord', 'shid', 'title', 'company', 'companyname', 'great1', 'lead', 'catename', 'result1', 'date', 'date7'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const len = (s: string) => [...s].length;
const unknownIds = (datas: Map<string, string>, allowed: string[]) => [...datas.keys()].filter((k) => !allowed.includes(k));
const userName = (store: EmuStore, id: number) => store.users.find((u) => u.id === id)?.name ?? '';

function detail(store: EmuStore, s: EmuService) {
  const f = (id: string, caption: string, value: string | number) => ({ id, caption, value: String(value) });
  const fields = [
    f('shid', '售后编号', s.shid),
    f('title', '售后主题', s.title),
    f('company', '客户', s.company),
    f('companyname', '客户名称', store.customers.get(s.company)?.fields.name ?? ''),
    f('great1', '紧急程度', s.great1 || ''),
    f('way1', '售后方式', s.way1 || ''),
    f('date', '售后日期', s.date),
    f('lead', '指派售后', s.lead || ''),
    f('catename', '售后人员', s.lead ? userName(store, s.lead) : ''),
    f('introts', '售后内容', s.introts),
    f('result1', '处理结果', s.result),
    f('info1', '处理内容', s.info1),
    f('date7', '修改时间', erpTime(s.modifiedAt)),
  ];
  return { id: 'service', caption: '服务详情', uitype: 'billpage', value: s.ord, tools: [], groups: [{ id: 'base', caption: '基本信息', fields }] };
}

function save(ctx: Ctx, req: V1Request, userId: number): EmuReply {
  const { store, shape } = ctx;
  const bad = unknownIds(req.datas, SAVE_IDS);
  if (bad.length) return fail(shape, V1_STATUS.failed, `无法识别的字段[${bad.join(',')}]`);
  const d = req.datas;
  const companyVal = d.get('company') ?? '';
  const c = /^\d+$/.test(companyVal) ? store.customers.get(Number(companyVal)) : undefined;
  if (!c || !c.saved) return fail(shape, V1_STATUS.failed, '请选择客户');
  const title = (d.get('title') ?? '').trim();
  if (len(title) < 1 || len(title) > 50) return fail(shape, V1_STATUS.failed, '主题必须在1到50个字之间');
  const date = d.get('date') ?? '';
  if (!DATE.test(date)) return fail(shape, V1_STATUS.failed, '日期格式不正确');
  const introts = d.get('introts') ?? '';
  if (len(introts) > 2000) return fail(shape, V1_STATUS.failed, '必须在2000个字之内');
  const great1 = d.get('great1') ?? '';
  if (great1 && !store.enumHas(52, great1)) return fail(shape, V1_STATUS.failed, `紧急程度[${great1}]无效`);
  const way1 = d.get('way1') ?? '';
  if (way1 && !store.enumHas(55, way1)) return fail(shape, V1_STATUS.failed, `售后方式[${way1}]无效`);
  const lead = d.get('lead') ?? '0';
  if (!/^\d+$/.test(lead) || (lead !== '0' && !store.users.some((u) => String(u.id) === lead))) return fail(shape, V1_STATUS.failed, '请选择下一阶段的售后人员');
  const shidIn = (d.get('shid') ?? '').trim();
  if (len(shidIn) > 50) return fail(shape, V1_STATUS.failed, '售后编号不能超过50个字');
  if (shidIn && store.services.some((s) => s.shid === shidIn)) return fail(shape, V1_STATUS.failed, '售后编号已存在');
  const at = store.now();
  const day = erpTime(at).slice(0, 10).replace(/-/g, '');
  const row: EmuService = {
    ord: 3001 + store.services.length,
    shid: shidIn || `SH${day}${String(store.services.length + 1).padStart(3, '0')}`,
    company: c.ord,
    title,
    introts,
    great1: Number(great1 || 0),
    way1: Number(way1 || 0),
    lead: Number(lead),
    date,
    result: '',
    info1: '',
    by: userId,
    at,
    modifiedAt: at,
  };
  store.services.push(row);
  return ok(shape, 'message', message('保存成功', { ord: row.ord }));
}

/** service/add.asp: the detail (no cmdkey, datas ord) and the save (cmdkey __sys_dosave). */
export const serviceAdd = authenticated((ctx, req, user) => {
  const { store, shape } = ctx;
  if (req.cmdkey === '__sys_dosave') return save(ctx, req, user.id);
  if (req.cmdkey !== '') return fail(shape, V1_STATUS.failed, `无效的cmdkey[${req.cmdkey}]`);
  const bad = unknownIds(req.datas, ['ord', '_insert_rowindex', 'debug']);
  if (bad.length) return fail(shape, V1_STATUS.failed, `无法识别的字段[${bad.join(',')}]`);
  const ordVal = req.datas.get('ord') ?? '';
  const s = /^\d+$/.test(ordVal) ? store.services.find((x) => x.ord === Number(ordVal)) : undefined;
  if (!s) return fail(shape, V1_STATUS.failed, '记录不存在或已被删除');
  return ok(shape, 'bill', detail(store, s));
});

/** service/list.asp: cmdkey refresh, the documented filters (those implemented here) ANDed. */
export const serviceList = authenticated((ctx, req) => {
  const { store, shape } = ctx;
  if (req.cmdkey !== 'refresh') return fail(shape, V1_STATUS.failed, `无效的cmdkey[${req.cmdkey}]`);
  const bad = unknownIds(req.datas, LIST_IDS);
  if (bad.length) return fail(shape, V1_STATUS.failed, `无法识别的字段[${bad.join(',')}]`);
  const d = req.datas;
  const unimplemented = [...d.entries()].filter(([k, v]) => UNIMPLEMENTED.has(k) && v !== '').map(([k]) => k);
  if (unimplemented.length) return fail(shape, V1_STATUS.failed, `模拟器未实现的筛选条件[${unimplemented.join(',')}]`);
  const pagesize = Number(d.get('pagesize') || 20);
  const pageindex = Number(d.get('pageindex') || 1);
  if (!Number.isInteger(pagesize) || pagesize < 1 || pagesize > 200 || !Number.isInteger(pageindex) || pageindex < 1) return fail(shape, V1_STATUS.failed, '分页参数错误');
  let rows = [...store.services];
  const datatype = d.get('datatype') ?? '';
  const ord = d.get('ord') ?? '';
  if (datatype === 'tel') {
    if (!/^\d+$/.test(ord)) return fail(shape, V1_STATUS.failed, '缺少客户ID');
    rows = rows.filter((s) => String(s.company) === ord);
  } else if (datatype) return fail(shape, V1_STATUS.failed, `模拟器未实现的列表模式[${datatype}]`);
  const has = (v: string, q: string) => v.toLowerCase().includes(q.toLowerCase());
  for (const [k, get] of [['title', (s: EmuService) => s.title], ['shid', (s: EmuService) => s.shid], ['introts', (s: EmuService) => s.introts]] as const) {
    const q = d.get(k);
    if (q) rows = rows.filter((s) => has(get(s), q));
  }
  const inList = (k: string, get: (s: EmuService) => number | string) => {
    const q = d.get(k);
    if (q) rows = rows.filter((s) => q.split(',').includes(String(get(s))));
  };
  inList('cateid', (s) => s.lead);
  inList('great1', (s) => s.great1);
  inList('result1', (s) => s.result);
  const stype = d.get('stype') ?? '';
  if (stype === '1') rows = rows.filter((s) => !s.result);
  else if (stype !== '' && stype !== '0') return fail(shape, V1_STATUS.failed, 'stype必须是0或1');
  const key = d.get('searchKey');
  if (key) rows = rows.filter((s) => [s.title, s.shid, s.introts, s.result].some((v) => has(v, key)));
  const sortBy = d.get('_rpt_sort') ?? '';
  const col = sortBy.replace(/^-/, '');
  if (sortBy && !SERVICE_COLS.includes(col)) return fail(shape, V1_STATUS.failed, `排序字段[${col}]不存在`);
  rows.sort((a, b) => (sortBy.startsWith('-') ? b.ord - a.ord : a.ord - b.ord));
  const slice = rows.slice((pageindex - 1) * pagesize, pageindex * pagesize);
  const cells = slice.map((s) => [
    s.ord, s.shid, s.title, s.company, store.customers.get(s.company)?.fields.name ?? '', s.great1 || '', s.lead || '',
    s.lead ? userName(store, s.lead) : '', s.result, s.date, erpTime(s.modifiedAt),
  ]);
  return ok(shape, 'source', table(SERVICE_COLS, cells, { pageindex, pagesize, recordcount: rows.length }));
});

/** service/chuli.asp: 售后处理 — assigns (cateid) and records a result; every field required as documented. */
export const serviceChuli = authenticated((ctx, req) => {
  const { store, shape } = ctx;
  if (req.cmdkey !== '__sys_dosave') return fail(shape, V1_STATUS.failed, `无效的cmdkey[${req.cmdkey}]`);
  const bad = unknownIds(req.datas, ['ord', 'cateid', 'info1', 'cate', 'intro']);
  if (bad.length) return fail(shape, V1_STATUS.failed, `无法识别的字段[${bad.join(',')}]`);
  const d = req.datas;
  const s = store.services.find((x) => String(x.ord) === d.get('ord'));
  if (!s) return fail(shape, V1_STATUS.failed, '记录不存在或已被删除');
  for (const [k, label, max] of [['cateid', '指派售后', 50], ['info1', '处理内容', 4000], ['cate', '客户销售人员', 50], ['intro', '处理结果', 50]] as const) {
    const v = (d.get(k) ?? '').trim();
    if (!v) return fail(shape, V1_STATUS.failed, `${label}不能为空`);
    if (len(v) > max) return fail(shape, V1_STATUS.failed, `${label}不能超过${max}个字`);
  }
  const cateid = d.get('cateid')!;
  if (!store.users.some((u) => String(u.id) === cateid)) return fail(shape, V1_STATUS.failed, `人员[${cateid}]不存在`);
  Object.assign(s, { lead: Number(cateid), info1: d.get('info1')!, result: d.get('intro')!, modifiedAt: store.now() });
  return ok(shape, 'message', message('处理成功'));
});
