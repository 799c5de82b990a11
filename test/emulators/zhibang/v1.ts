// V1-style endpoints: POST <path>.asp with {session, cmdkey, datas:[{id,val}]}; plus login,
// which both styles share (the V3 login takes the same datas body and answers a ZBDocument header).
import { CUSTOMER_FIELD_LIMITS, type EmuCustomer, type EmuStore, type EmuUser } from './store';
import { fail, message, ok, table, V1_STATUS, type EmuReply, type ReplyShape } from './replies';

export interface V1Request {
  session: unknown;
  cmdkey: string;
  datas: Map<string, string>;
}

export interface Ctx {
  store: EmuStore;
  shape: ReplyShape;
  query: URLSearchParams;
  /**
   * How source.asp answers: a SourceClass table, or "枚举型数据(options)" (help.ashx, SourceClass:
   * "用于表示几种数据：枚举型数据(options)、表格型数据（table）"). The options items' shape is not
   * documented: this emulator sends {value, text}.
   */
  enumShape?: 'table' | 'options';
  /** The detail bill also carries ModifyStamp (the tel column; not in the documented form). */
  billModifyStamp?: boolean;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
/** The ERP's wall-clock "YYYY-MM-DD HH:mm:ss" (server local time; seconds, as VBScript now() gives). */
export function erpTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The documented body shape, or the reason it is not. Values are strings or numbers, ids unique. */
export function parseV1Body(raw: unknown, allowedTop: string[] = ['session', 'cmdkey', 'datas']): V1Request | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return '请求体必须是JSON对象';
  const body = raw as Record<string, unknown>;
  for (const k of Object.keys(body)) if (!allowedTop.includes(k)) return `无法识别的参数[${k}]`;
  if (body.cmdkey !== undefined && typeof body.cmdkey !== 'string') return 'cmdkey必须是字符串';
  if (!Array.isArray(body.datas)) return 'datas必须是数组';
  const datas = new Map<string, string>();
  for (const item of body.datas) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return 'datas的每一项必须是{id,val}';
    const { id, val, ...rest } = item as Record<string, unknown>;
    if (Object.keys(rest).length) return 'datas的每一项必须是{id,val}';
    if (typeof id !== 'string' || !id) return 'datas.id必须是非空字符串';
    if (typeof val !== 'string' && typeof val !== 'number') return `datas[${id}].val必须是字符串或数字`;
    if (datas.has(id)) return `datas[${id}]重复`;
    datas.set(id, String(val));
  }
  return { session: body.session, cmdkey: body.cmdkey ?? '', datas };
}

const unknownIds = (datas: Map<string, string>, allowed: (id: string) => boolean) => [...datas.keys()].filter((k) => !allowed(k));

// ---------- login ----------

const TXT = /^txt:/;
const SERIAL = /^[A-Za-z0-9]{1,20}$/;

export function login(ctx: Ctx, raw: unknown, style: 'v1' | 'v3'): EmuReply {
  const req = parseV1Body(raw, ['datas', 'session']);
  if (typeof req === 'string') return fail(ctx.shape, V1_STATUS.badRequest, req);
  const bad = unknownIds(req.datas, (k) => ['user', 'password', 'serialnum', 'rndcode'].includes(k));
  if (bad.length) return fail(ctx.shape, V1_STATUS.badRequest, `无法识别的字段[${bad.join(',')}]`);
  const userVal = req.datas.get('user');
  const pwdVal = req.datas.get('password');
  if (!userVal || pwdVal === undefined) return fail(ctx.shape, V1_STATUS.badRequest, '缺少用户名或密码');
  const serial = req.datas.get('serialnum');
  if (serial !== undefined && serial !== '' && !SERIAL.test(serial.replace(TXT, ''))) return fail(ctx.shape, V1_STATUS.badRequest, '序列号格式错误');

  const { store } = ctx;
  // Values without "txt:" are DES-encrypted; the emulator cannot decrypt, so they never match.
  const userName = TXT.test(userVal) ? userVal.slice(4) : undefined;
  const pwd = TXT.test(pwdVal) ? pwdVal.slice(4) : undefined;
  const key = userVal.replace(TXT, ''); // failures count per account, whatever the encoding
  const failures = store.failedLogins.get(key) ?? 0;
  if (failures > 3 && req.datas.get('rndcode') !== store.rndcode) {
    store.logins.push({ at: store.now(), user: userName ?? '?', ok: false, style });
    return fail(ctx.shape, V1_STATUS.rndcodeRequired, '登录失败次数过多，请输入验证码');
  }
  const user = store.users.find((u) => u.user === userName && u.password === pwd);
  store.logins.push({ at: store.now(), user: userName ?? '?', ok: !!user, style });
  if (!user) {
    store.failedLogins.set(key, failures + 1);
    return fail(ctx.shape, V1_STATUS.failed, '用户名或密码错误');
  }
  store.failedLogins.delete(key);
  return { http: 200, json: { header: { status: 0, message: 'API鉴权成功.', session: store.openSession(user), appversion: '32.17' } } };
}

export function logout(ctx: Ctx, raw: unknown): EmuReply {
  const req = parseV1Body(raw);
  if (typeof req === 'string') return fail(ctx.shape, V1_STATUS.badRequest, req);
  if (typeof req.session === 'string') ctx.store.sessions.delete(req.session);
  return ok(ctx.shape, 'message', message('退出成功'));
}

// ---------- authenticated V1 endpoints ----------

type Handler = (ctx: Ctx, req: V1Request, user: EmuUser) => EmuReply;

export function authenticated(handler: Handler) {
  return (ctx: Ctx, raw: unknown): EmuReply => {
    const req = parseV1Body(raw);
    if (typeof req === 'string') return fail(ctx.shape, V1_STATUS.badRequest, req);
    const user = ctx.store.userOf(req.session);
    if (!user) return fail(ctx.shape, V1_STATUS.sessionInvalid, '登录已超时或session无效，请重新登录');
    return handler(ctx, req, user);
  };
}

function savedCustomer(store: EmuStore, ordVal: string | undefined): EmuCustomer | string {
  if (!ordVal || !/^\d+$/.test(ordVal)) return '缺少客户ord';
  const c = store.customers.get(Number(ordVal));
  if (!c || !c.saved) return '记录不存在或已被删除';
  return c;
}

function bill(c: EmuCustomer, withStamp = false) {
  const fields = [{ id: 'intsort', caption: '客户类型', value: String(c.intsort) }, ...Object.keys(CUSTOMER_FIELD_LIMITS).map((id) => ({ id, caption: id, value: c.fields[id] ?? '' }))];
  if (withStamp && c.saved) fields.push({ id: 'ModifyStamp', caption: '修改时间', value: erpTime(c.updatedAt) });
  return { id: 'custom', caption: c.saved ? '客户详情' : '添加客户', uitype: 'billpage', value: c.ord, tools: [], groups: [{ id: 'base', caption: '基本信息', fields }] };
}

/** custom/add.asp: allocate (no cmdkey), detail (?edit=1), save (cmdkey __sys_dosave, ?intsort=1|2). */
export const customAdd = authenticated((ctx, req) => {
  const { store, shape, query } = ctx;
  if (req.cmdkey === '__sys_dosave') return saveCustomer(ctx, req);
  if (req.cmdkey !== '') return fail(shape, V1_STATUS.failed, `无效的cmdkey[${req.cmdkey}]`);
  if (query.get('edit') === '1') {
    const bad = unknownIds(req.datas, (k) => k === 'ord');
    if (bad.length) return fail(shape, V1_STATUS.failed, `无法识别的字段[${bad.join(',')}]`);
    const ordVal = req.datas.get('ord');
    const c = ordVal && /^\d+$/.test(ordVal) ? store.customers.get(Number(ordVal)) : undefined;
    if (!c) return fail(shape, V1_STATUS.failed, '记录不存在或已被删除');
    return ok(shape, 'bill', bill(c, ctx.billModifyStamp));
  }
  const bad = unknownIds(req.datas, (k) => k === 'edit' || k === 'intsort');
  if (bad.length) return fail(shape, V1_STATUS.failed, `无法识别的字段[${bad.join(',')}]`);
  const intsort = req.datas.get('intsort');
  if (intsort !== '1' && intsort !== '2') return fail(shape, V1_STATUS.failed, 'intsort必须是1(单位)或2(个人)');
  return ok(shape, 'bill', bill(store.customers.get(store.allocate(Number(intsort) as 1 | 2))!));
});

function saveCustomer(ctx: Ctx, req: V1Request): EmuReply {
  const { store, shape, query } = ctx;
  const intsort = query.get('intsort');
  if (intsort !== '1' && intsort !== '2') return fail(shape, V1_STATUS.failed, '缺少参数intsort');
  const bad = unknownIds(req.datas, (k) => k === 'ord' || k in CUSTOMER_FIELD_LIMITS || /^zdy\d+$/.test(k));
  if (bad.length) return fail(shape, V1_STATUS.failed, `无法识别的字段[${bad.join(',')}]`);
  const ordVal = req.datas.get('ord');
  const c = ordVal && /^\d+$/.test(ordVal) ? store.customers.get(Number(ordVal)) : undefined;
  if (!c) return fail(shape, V1_STATUS.failed, '客户ord无效，请先分配客户ID');
  if (String(c.intsort) !== intsort) return fail(shape, V1_STATUS.failed, '客户类型与分配时不一致');
  // A save posts the whole form: fields not sent are stored empty (as the web form would).
  const f: Record<string, string> = {};
  for (const [k, v] of req.datas) if (k !== 'ord') f[k] = v.trim();
  const why = store.validateCustomer(c, f, { strictMobile: false });
  if (why) return fail(shape, V1_STATUS.failed, why);
  store.commitCustomer(c, f);
  return ok(shape, 'message', message('保存成功'));
}

const LIST_COLS = ['ord', 'name', 'khid', 'person_name', 'phone', 'mobile', 'email', 'weixinAcc', 'sort1', 'ly', 'intsort', 'date1'];
const LIST_IDS = ['name', 'pym', 'khid', 'phone', 'mobile', 'address', 'intro', 'searchKey', 'ly', 'jz', 'area', 'trade', 'date1_0', 'date1_1', 'pagesize', 'pageindex', '_rpt_sort'];

function paging(datas: Map<string, string>): { pagesize: number; pageindex: number } | string {
  const pagesize = Number(datas.get('pagesize') ?? 20);
  const pageindex = Number(datas.get('pageindex') ?? 1);
  if (!Number.isInteger(pagesize) || pagesize < 1 || pagesize > 200) return 'pagesize必须是1-200的整数';
  if (!Number.isInteger(pageindex) || pageindex < 1) return 'pageindex必须是正整数';
  return { pagesize, pageindex };
}

const has = (v: string | undefined, q: string) => (v ?? '').toLowerCase().includes(q.toLowerCase());

/** custom/list.asp: cmdkey "refresh", fuzzy filters ANDed, SourceClass table. */
export const customList = authenticated((ctx, req) => {
  const { store, shape } = ctx;
  if (req.cmdkey !== 'refresh') return fail(shape, V1_STATUS.failed, `无效的cmdkey[${req.cmdkey}]`);
  const bad = unknownIds(req.datas, (k) => LIST_IDS.includes(k));
  if (bad.length) return fail(shape, V1_STATUS.failed, `无法识别的字段[${bad.join(',')}]`);
  const page = paging(req.datas);
  if (typeof page === 'string') return fail(shape, V1_STATUS.failed, page);
  const d = req.datas;
  let rows = store.saved();
  for (const k of ['name', 'pym', 'khid', 'address', 'intro', 'mobile'] as const) {
    const q = d.get(k);
    if (q) rows = rows.filter((c) => has(c.fields[k], q));
  }
  const phone = d.get('phone');
  if (phone) rows = rows.filter((c) => has(c.fields.phone, phone) || has(c.fields.mobile, phone));
  const key = d.get('searchKey');
  if (key) rows = rows.filter((c) => Object.values(c.fields).some((v) => has(v, key)));
  for (const k of ['ly', 'jz', 'area', 'trade'] as const) {
    const q = d.get(k);
    if (q) rows = rows.filter((c) => q.split(',').includes(c.fields[k] ?? ''));
  }
  rows.sort((a, b) => a.ord - b.ord);
  const slice = rows.slice((page.pageindex - 1) * page.pagesize, page.pageindex * page.pagesize);
  const cells = slice.map((c) =>
    LIST_COLS.map((col) => (col === 'ord' ? c.ord : col === 'intsort' ? c.intsort : col === 'date1' ? new Date(c.createdAt).toISOString().slice(0, 10) : (c.fields[col] ?? ''))),
  );
  return ok(shape, 'source', table(LIST_COLS, cells, { ...page, recordcount: rows.length }));
});

const PERSON_COLS = ['ord', 'person_name', 'company', 'companyname', 'mobile', 'email', 'weixinAcc'];

/** person/list.asp: contacts, fuzzy person_name/name/mobile/email, company = customer ord. */
export const personList = authenticated((ctx, req) => {
  const { store, shape } = ctx;
  if (req.cmdkey !== 'refresh') return fail(shape, V1_STATUS.failed, `无效的cmdkey[${req.cmdkey}]`);
  const bad = unknownIds(req.datas, (k) => ['person_name', 'name', 'mobile', 'email', 'company', 'pagesize', 'pageindex'].includes(k));
  if (bad.length) return fail(shape, V1_STATUS.failed, `无法识别的字段[${bad.join(',')}]`);
  const page = paging(req.datas);
  if (typeof page === 'string') return fail(shape, V1_STATUS.failed, page);
  const d = req.datas;
  const companyName = (p: { company: number }) => store.customers.get(p.company)?.fields.name ?? '';
  let rows = store.persons.filter((p) => store.customers.get(p.company)?.saved);
  for (const k of ['person_name', 'mobile', 'email'] as const) {
    const q = d.get(k);
    if (q) rows = rows.filter((p) => has(p[k], q));
  }
  const name = d.get('name');
  if (name) rows = rows.filter((p) => has(companyName(p), name));
  const company = d.get('company');
  if (company) rows = rows.filter((p) => String(p.company) === company);
  const slice = rows.slice((page.pageindex - 1) * page.pagesize, page.pageindex * page.pagesize);
  const cells = slice.map((p) => [p.ord, p.person_name, p.company, companyName(p), p.mobile, p.email, p.weixinAcc]);
  return ok(shape, 'source', table(PERSON_COLS, cells, { ...page, recordcount: rows.length }));
});

const REPLY_IDS = ['ord', 'intro', 'sort', 'lead', 'plantype', '@ret_0', '@ret_1', '@title1', '@ret2_0', '@ret2_1', '@title2', '@intro2', '@remind', '@cateid'];

/** systemmanage/reply.asp?datatype=tel: a 洽谈进展 (follow-up), optionally with a schedule. */
export const reply = authenticated((ctx, req, user) => {
  const { store, shape, query } = ctx;
  if (query.get('datatype') !== 'tel') return fail(shape, V1_STATUS.failed, '缺少参数datatype');
  if (req.cmdkey !== '__sys_dosave') return fail(shape, V1_STATUS.failed, `无效的cmdkey[${req.cmdkey}]`);
  const bad = unknownIds(req.datas, (k) => REPLY_IDS.includes(k));
  if (bad.length) return fail(shape, V1_STATUS.failed, `无法识别的字段[${bad.join(',')}]`);
  const d = req.datas;
  const c = savedCustomer(store, d.get('ord'));
  if (typeof c === 'string') return fail(shape, V1_STATUS.failed, c);
  const intro = d.get('intro') ?? '';
  if (!intro.trim()) return fail(shape, V1_STATUS.failed, '洽谈内容不能为空');
  if ([...intro].length > 1000) return fail(shape, V1_STATUS.failed, '洽谈内容长度不能超过1000');
  const sort = d.get('sort') ?? '';
  if (!store.enumHas(98, sort)) return fail(shape, V1_STATUS.failed, `洽谈方式[${sort}]无效`);
  const plantype = d.get('plantype');
  if (plantype !== '0' && plantype !== '1' && plantype !== '2') return fail(shape, V1_STATUS.failed, 'plantype必须是0、1或2');
  const lead = d.get('lead') ?? '0';
  if (lead !== '0' && !store.persons.some((p) => String(p.ord) === lead && p.company === c.ord)) return fail(shape, V1_STATUS.failed, '联系人不存在');
  const remind = d.get('@remind');
  if (remind !== undefined && remind !== '0' && remind !== '1') return fail(shape, V1_STATUS.failed, '@remind必须是0或1');
  let schedule: { title: string; start: string; end: string } | undefined;
  if (plantype !== '0') {
    const [t, s, e] = plantype === '1' ? ['@title1', '@ret_0', '@ret_1'] : ['@title2', '@ret2_0', '@ret2_1'];
    const title = d.get(t!) ?? '';
    const start = d.get(s!) ?? '';
    const end = d.get(e!) ?? '';
    if (!title.trim() || [...title].length > 100) return fail(shape, V1_STATUS.failed, '日程主题不能为空且不能超过100字');
    if (!DATETIME.test(start) || !DATETIME.test(end)) return fail(shape, V1_STATUS.failed, '日程时间格式错误');
    if (end < start) return fail(shape, V1_STATUS.failed, '日程结束时间不能早于开始时间');
    schedule = { title, start, end };
  }
  const row = store.addFollowUp({ ord: c.ord, intro, sort: Number(sort), plantype: Number(plantype), lead: Number(lead), ...(schedule ? { schedule } : {}), by: user.user, userId: user.id });
  // Emulator assumption: the new record's id rides in MessageClass.data.
  return ok(shape, 'message', message('保存成功', { ord: row.id }));
});

/** systemmanage/order.asp?datatype=tel: 客户指派. */
export const order = authenticated((ctx, req) => {
  const { store, shape, query } = ctx;
  if (query.get('datatype') !== 'tel') return fail(shape, V1_STATUS.failed, '缺少参数datatype');
  if (req.cmdkey !== '__sys_dosave') return fail(shape, V1_STATUS.failed, `无效的cmdkey[${req.cmdkey}]`);
  const bad = unknownIds(req.datas, (k) => ['ord', 'member1', 'member2'].includes(k));
  if (bad.length) return fail(shape, V1_STATUS.failed, `无法识别的字段[${bad.join(',')}]`);
  const c = savedCustomer(store, req.datas.get('ord'));
  if (typeof c === 'string') return fail(shape, V1_STATUS.failed, c);
  const member1 = req.datas.get('member1');
  if (member1 !== '0' && member1 !== '1') return fail(shape, V1_STATUS.failed, 'member1必须是0或1');
  const member2 = (req.datas.get('member2') ?? '').split(',').filter(Boolean);
  if (member1 === '0') {
    if (!member2.length) return fail(shape, V1_STATUS.failed, '请选择指派人员');
    const unknown = member2.filter((m) => !store.users.some((u) => String(u.id) === m));
    if (unknown.length) return fail(shape, V1_STATUS.failed, `人员[${unknown.join(',')}]不存在`);
  }
  store.assignments.push({ ord: c.ord, member1: Number(member1) as 0 | 1, member2: member2.map(Number), at: store.now() });
  return ok(shape, 'message', message('指派成功'));
});

/** salesmanage/chance/add.asp: 项目/商机. The field set is an emulator assumption (company, title, money, date1, intro). */
export const chanceAdd = authenticated((ctx, req) => {
  const { store, shape } = ctx;
  if (req.cmdkey !== '__sys_dosave') return fail(shape, V1_STATUS.failed, `无效的cmdkey[${req.cmdkey}]`);
  const bad = unknownIds(req.datas, (k) => ['company', 'title', 'money', 'date1', 'intro'].includes(k));
  if (bad.length) return fail(shape, V1_STATUS.failed, `无法识别的字段[${bad.join(',')}]`);
  const d = req.datas;
  const c = savedCustomer(store, d.get('company'));
  if (typeof c === 'string') return fail(shape, V1_STATUS.failed, c);
  const title = d.get('title') ?? '';
  if (!title.trim()) return fail(shape, V1_STATUS.failed, '项目名称不能为空');
  if ([...title].length > 100) return fail(shape, V1_STATUS.failed, '项目名称长度不能超过100');
  const money = d.get('money') ?? '';
  if (money && !/^\d+(\.\d{1,2})?$/.test(money)) return fail(shape, V1_STATUS.failed, '金额格式错误');
  const date1 = d.get('date1') ?? '';
  if (date1 && !DATE.test(date1)) return fail(shape, V1_STATUS.failed, '日期格式错误');
  const intro = d.get('intro') ?? '';
  if ([...intro].length > 4000) return fail(shape, V1_STATUS.failed, '备注长度不能超过4000');
  const row = store.addChance({ company: c.ord, title, money, date1, intro });
  return ok(shape, 'message', message('保存成功', { ord: row.ord }));
});

/** mobilephone/source.asp?enumid=N: the options of one enum. */
export const source = authenticated((ctx, req) => {
  const { store, shape, query } = ctx;
  if (req.cmdkey !== 'refresh' && req.cmdkey !== '') return fail(shape, V1_STATUS.failed, `无效的cmdkey[${req.cmdkey}]`);
  const items = store.enums[Number(query.get('enumid'))];
  if (!items) return fail(shape, V1_STATUS.failed, `枚举类型[${query.get('enumid') ?? ''}]不存在`);
  if (ctx.enumShape === 'options') return ok(shape, 'source', { type_: 'options', uitype: 'select', options: items.map((e) => ({ value: e.id, text: e.name })) });
  return ok(shape, 'source', table(['id', 'name'], items.map((e) => [e.id, e.name]), { pageindex: 1, pagesize: items.length, recordcount: items.length }));
});

const REPLY_COLS = ['id', 'ord', 'intro', 'sort', 'sortname', 'cateid', 'catename', 'date7'];

/**
 * systemmanage/replylist.asp?datatype=tel: a customer's 洽谈进展, newest last unless sorted.
 * The endpoint exists in the ERP (its mobile menu links replylist.asp?datatype=remind|stat:
 * Miracle1000/ALL_ERP v32.05, SYSA/update/db.asp) but help.ashx does not document it: the
 * parameters follow the documented siblings (emulator assumption, dated 2026-12-06): datatype
 * in the URL as reply.asp takes it, ord = the customer (chance/list.asp's datatype=tel form),
 * cmdkey refresh, pagesize 1-200 / pageindex, _rpt_sort = a column id with an optional "-". The
 * columns are the reply table's (id, ord, intro, sort98 as sort, cateid, date7: SYSA/work/genjin.asp)
 * plus the display names a list shows (sortname, catename).
 */
export const replyList = authenticated((ctx, req) => {
  const { store, shape, query } = ctx;
  if (query.get('datatype') !== 'tel') return fail(shape, V1_STATUS.failed, '缺少参数datatype');
  if (req.cmdkey !== 'refresh') return fail(shape, V1_STATUS.failed, `无效的cmdkey[${req.cmdkey}]`);
  const bad = unknownIds(req.datas, (k) => ['ord', 'pagesize', 'pageindex', '_rpt_sort'].includes(k));
  if (bad.length) return fail(shape, V1_STATUS.failed, `无法识别的字段[${bad.join(',')}]`);
  const c = savedCustomer(store, req.datas.get('ord'));
  if (typeof c === 'string') return fail(shape, V1_STATUS.failed, c);
  const page = paging(req.datas);
  if (typeof page === 'string') return fail(shape, V1_STATUS.failed, page);
  const sortBy = req.datas.get('_rpt_sort') ?? '';
  const col = sortBy.replace(/^-/, '');
  if (sortBy && !REPLY_COLS.includes(col)) return fail(shape, V1_STATUS.failed, `排序字段[${col}]不存在`);
  const rows = store.followUps.filter((f) => f.ord === c.ord);
  const key = (f: (typeof rows)[number]) => (col === 'date7' ? f.at : col === 'intro' ? f.intro : f.id);
  rows.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const d = x < y ? -1 : x > y ? 1 : a.id - b.id;
    return sortBy.startsWith('-') ? -d : d;
  });
  const slice = rows.slice((page.pageindex - 1) * page.pagesize, page.pageindex * page.pagesize);
  const methodName = (sort: number) => store.enums[98]?.find((e) => e.id === sort)?.name ?? '';
  const userName = (id: number) => store.users.find((u) => u.id === id)?.name ?? '';
  const cells = slice.map((f) => [f.id, f.ord, f.intro, f.sort, methodName(f.sort), f.userId, userName(f.userId), erpTime(f.at)]);
  return ok(shape, 'source', table(REPLY_COLS, cells, { ...page, recordcount: rows.length }));
});
