// A strict emulator of the DingTalk open APIs the DingTalk adapter uses (api.dingtalk.com and
// oapi.dingtalk.com on one loopback server). DingTalk publishes no machine-readable description;
// shapes follow its pages (open.dingtalk.com/document/development/<slug>, read 2026-12-06 through
// a dated mirror: obtain-the-access-token-of-an-internal-app; add-crm-personal-customers (2025-10-
// 09); obtains-crm-individual-customers-in-batches-based-on-specified-query (2026-06-04);
// obtain-the-metadata-of-individual-enterprise-customers (2025-12-08); inner-query-dsl-
// description (2026-07-20); batch-add-follow-up-record-data (2026-06-04); query-and-dingtalk-
// data-of-track-records-in-apsara-stack and the follow-record metadata page (2026-06-08);
// how-to-process-api-throttling-on-the-dingtalk-server (2026-05-09)) and the official generated
// SDK's request/response models (aliyun/dingtalk-sdk @ eb93049, 2026-08-19: crm_1_0, todo_1_0,
// oauth2_1_0 client.ts), which are also the only source for targetFollowRecords/query and the
// todo endpoints. What it holds to:
// - token: POST /v1.0/oauth2/accessToken {appKey, appSecret} → {accessToken, expireIn:7200}; a
//   wrong key or secret is HTTP 400 {code, message, requestid} (the exact code is not on the
//   pages we read: "invalidClientSecret" here is ours); new-API calls need the
//   x-acs-dingtalk-access-token header, a bad/expired token is HTTP 401 InvalidAuthentication;
//   old-API calls take ?access_token=, a bad one is HTTP 200 {errcode:40014}, expired 42001;
// - errors: new API HTTP 4xx/5xx {code, message, requestid}; business refusals are HTTP 400 with
//   the documented codes (crmAppNotExisted, creatorUserId.not.exists, data.format.error,
//   same.data.exists, queryDsl.invalid.json, relationType.not.exists); old API HTTP 200 errcode;
// - customers: data keys must be fields of the form (objectMeta), customer_name required, select
//   values among the options, the org's duplicate check on the phone field (same.data.exists
//   unless skipDuplicateCheck); queryDsl parsed and applied (SEARCH/EQ/IN/BETWEEN, AND/OR,
//   order on gmt_create/gmt_modified only, maxResults ≤ 100, nextToken); times "yyyy-MM-dd
//   HH:mm:ss" China time;
// - follow records: ≤ 40 instances, the form's non-nillable fields required, the customer Lookup
//   must name an existing customer (per-item {success:false, errorCode} in a 200);
// - todos: unionId and operatorId must be members; sourceId NOT unique (duplicates are the
//   caller's problem, which is why the adapter looks up by sourceId first); a sourceId with no
//   task is HTTP 404 here (the miss reply is not on the pages we read);
// - 工作通知: agent_id must be the app's, userid_list ≤ 100 members; the same content to the same
//   user from the app is delivered once a day (the page's rule), later ones are accepted, not delivered;
// - limits: 20 calls/s per app per API (configurable) → HTTP 403
//   Forbidden.AccessDenied.QpsLimitForAppkeyAndApi (old API errcode 90018);
// - faults through `control`: 5xx, a reply lost after the write committed, tokens expired, the
//   CRM app switched off, down.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultQueue } from '../fault-queue';

export interface DingtalkEmulatorOptions {
  now?: () => number;
  /** Calls per second per app per API (DingTalk: 20 on standard organisations). */
  qps?: number;
  /** Access token lifetime (DingTalk: 7200 s). */
  tokenTtlMs?: number;
}

type Relation = 'crm_customer_personal' | 'crm_customer';
interface FormField { name: string; label: string; type: 'Text' | 'Textarea' | 'Phone' | 'Select' | 'Lookup'; nillable: boolean; customized: boolean; options?: string[]; referenceTo?: string }
export interface CustomerRow { instanceId: string; objectType: Relation; creatorUserId: string; data: Record<string, unknown>; extendData: Record<string, unknown>; owner: string[]; gmtCreate: number; gmtModified: number }
export interface FollowRow { recordInstId: string; customerId: string; items: { key: string; value: string; extendValue?: string }[]; bizExtMap?: Record<string, string>; creatorUserId: string; gmtCreate: number; gmtModified: number }
export interface TodoRow { id: string; unionId: string; subject: string; description?: string; dueTime?: number; executorIds: string[]; participantIds: string[]; sourceId?: string; priority?: number; createdTime: number; modifiedTime: number; creatorId: string }
export interface RequestLogEntry { at: number; method: string; path: string; api: string; status: number; outcome: 'replied' | 'dropped' | 'refused' }
interface Fault { api?: string; left: number; kind: 'fail' | 'drop'; status?: number; commit?: boolean }
interface Reply { status: number; body?: unknown }

export const USERS = [
  { userid: 'manager4220', unionid: 'iPNkGiPxxLi2OTYi5jSJtTZwiEiE', name: '李娜' },
  { userid: 'wangqiang01', unionid: 'rK3xmwzPiiOGvZbHEDwqWuQiEiE', name: '王强' },
] as const;
export const APP = { appKey: 'dingliaisontestapp00', appSecret: 'dingtalk-test-app-secret-0000000000000000', agentId: 3051234567 };

const FORMS: Record<Relation, { name: string; code: string; fields: FormField[] }> = {
  crm_customer_personal: {
    name: '个人客户',
    code: 'PROC-6F8E1B2A-PERSONAL',
    fields: [
      { name: 'customer_name', label: '客户名称', type: 'Text', nillable: false, customized: false },
      { name: 'DDPhoneField-K2U5DHAB', label: '手机号', type: 'Phone', nillable: true, customized: true },
      { name: 'TextField-K2U5DHAC', label: '邮箱', type: 'Text', nillable: true, customized: true },
      { name: 'TextareaField-K2U5DHAD', label: '备注', type: 'Textarea', nillable: true, customized: true },
      { name: 'DDSelectField-KI5S975E', label: '客户状态', type: 'Select', nillable: true, customized: true, options: ['待跟进', '跟进中', '已成交'] },
      { name: 'TextField-LIAISONCODE', label: '客户编号', type: 'Text', nillable: true, customized: true },
      { name: 'TextField-K2U5DHAE', label: '公司名称', type: 'Text', nillable: true, customized: true },
    ],
  },
  crm_customer: {
    name: '企业客户',
    code: 'PROC-6F8E1B2A-COMPANY',
    fields: [
      { name: 'customer_name', label: '客户名称', type: 'Text', nillable: false, customized: false },
      { name: 'DDPhoneField-K2U5DHAB', label: '联系电话', type: 'Phone', nillable: true, customized: true },
      { name: 'TextareaField-K2U5DHAD', label: '备注', type: 'Textarea', nillable: true, customized: true },
    ],
  },
};
/** The org's duplicate check (查重设置): the phone field. */
const UNIQUE_FIELD = 'DDPhoneField-K2U5DHAB';
// The follow-record form of the page's example (its 拜访方式 select is nillable here: orgs choose).
const FOLLOW_FORM: FormField[] = [
  { name: 'follow_record_related_customer', label: '客户', type: 'Lookup', nillable: false, customized: false, referenceTo: 'crm_customer' },
  { name: 'follow_record_related_contact', label: '联系人', type: 'Lookup', nillable: true, customized: false, referenceTo: 'crm_contact' },
  { name: 'DDSelectField-K2U5UJAC', label: '拜访方式', type: 'Select', nillable: true, customized: true, options: ['当面拜访', '电话拜访', '网络拜访', '其他'] },
  { name: 'TextareaField-K2U5UJAF', label: '拜访内容', type: 'Textarea', nillable: false, customized: true },
];
const SYSTEM_FIELDS = ['gmt_create', 'gmt_modified', 'principal', 'participant'];

/** "yyyy-MM-dd HH:mm:ss" in China time (UTC+8), as the customer APIs print times. */
export function chinaTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000 + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export async function startDingtalkEmulator(o: DingtalkEmulatorOptions = {}) {
  const now = o.now ?? Date.now;
  let seq = 0;
  const rid = () => `${(++seq).toString(36)}${Math.random().toString(36).slice(2, 12)}`;
  const fail = (status: number, code: string, message: string): Reply => ({ status, body: { code, message, requestid: rid() } });
  const oerr = (errcode: number, errmsg: string): Reply => ({ status: 200, body: { errcode, errmsg, request_id: rid() } });
  const tokens = new Map<string, number>();
  let tokensIssued = 0;
  const customers = new Map<string, CustomerRow>();
  const follows = new Map<string, FollowRow>();
  const todos: TodoRow[] = [];
  const notices: { agent_id: number; userid: string; content: string; task_id: number; delivered: boolean; day: string }[] = [];
  const requests: RequestLogEntry[] = [];
  const faults = createFaultQueue<Fault, { api: string }>();
  let qps = o.qps ?? 20;
  const windows = new Map<string, number[]>();
  let crmEnabled = true;
  let ipRestricted = false;
  let limitedUntil = 0;
  let down = false;

  const user = (id: unknown) => USERS.find((u) => u.userid === id);
  const byUnion = (id: unknown) => USERS.find((u) => u.unionid === id);
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  const newId = () => `${crypto.randomUUID()}`;

  function checkData(rel: Relation, data: unknown, selfId?: string, skipDup = false): Record<string, unknown> | Reply {
    if (!isObj(data)) return fail(400, 'data.format.error', 'data must be a map of form fields');
    const form = FORMS[rel].fields;
    for (const [k, v] of Object.entries(data)) {
      const f = form.find((x) => x.name === k);
      if (!f) return fail(400, 'data.format.error', `field ${k} not exists in form ${FORMS[rel].code}`);
      if (v === null || v === '') continue;
      if (typeof v !== 'string') return fail(400, 'data.format.error', `field ${k} expects a string value`);
      if (f.type === 'Select' && !f.options!.includes(v)) return fail(400, 'data.format.error', `field ${k}: option ${v} not exists`);
      if (f.type === 'Phone' && !/^\+?[\d-]{5,20}$/.test(v)) return fail(400, 'data.format.error', `field ${k}: invalid phone`);
    }
    for (const f of form) if (!f.nillable && !(typeof data[f.name] === 'string' && (data[f.name] as string).trim())) return fail(400, 'data.format.error', `field ${f.name} is required`);
    const phone = data[UNIQUE_FIELD];
    if (!skipDup && typeof phone === 'string' && phone) {
      if ([...customers.values()].some((c) => c.instanceId !== selfId && c.data[UNIQUE_FIELD] === phone)) return fail(400, 'same.data.exists', 'same data exists');
    }
    return data;
  }

  function matches(c: CustomerRow, q: { fieldId: string; filterType: string; value: unknown }): boolean {
    const raw = q.fieldId === 'gmt_create' ? c.gmtCreate : q.fieldId === 'gmt_modified' ? c.gmtModified : q.fieldId === 'principal' ? c.owner : c.data[q.fieldId];
    switch (q.filterType) {
      case 'EQ': return String(raw ?? '') === String(q.value);
      case 'SEARCH': return typeof raw === 'string' && raw.includes(String(q.value));
      case 'IN': return Array.isArray(q.value) && (Array.isArray(raw) ? raw.some((r) => (q.value as unknown[]).includes(r)) : (q.value as unknown[]).map(String).includes(String(raw)));
      case 'BETWEEN': {
        const [lo, hi] = (q.value as unknown[]).map(Number);
        const n = typeof raw === 'number' ? raw : Number(raw);
        return Number.isFinite(n) && n >= lo! && n <= hi!;
      }
      default: return false;
    }
  }

  /** queryDsl per inner-query-dsl-description; a Reply when it is not one. */
  function parseDsl(rel: Relation, s: string | null): { groups: { logicType: string; list: { fieldId: string; filterType: string; value: unknown }[] }[]; order: 'ASC' | 'DESC'; orderField: 'gmt_create' | 'gmt_modified' } | Reply {
    if (!s) return { groups: [], order: 'DESC', orderField: 'gmt_create' };
    let dsl: unknown;
    try { dsl = JSON.parse(s); } catch { return fail(400, 'queryDsl.invalid.json', 'queryDsl is not json format'); }
    if (!isObj(dsl)) return fail(400, 'queryDsl.invalid.json', 'queryDsl is not json format');
    const groups = dsl.queryGroupList ?? [];
    if (!Array.isArray(groups)) return fail(400, 'invalidParameter', 'queryGroupList must be an array');
    const out = [];
    for (const g of groups) {
      if (!isObj(g) || !['AND', 'OR'].includes(String(g.logicType)) || !Array.isArray(g.queryObjectList)) return fail(400, 'invalidParameter', 'each group needs logicType AND/OR and queryObjectList');
      const list = [];
      for (const q of g.queryObjectList) {
        if (!isObj(q) || typeof q.fieldId !== 'string' || !['SEARCH', 'EQ', 'IN', 'BETWEEN'].includes(String(q.filterType))) return fail(400, 'invalidParameter', 'each condition needs fieldId and filterType SEARCH/EQ/IN/BETWEEN');
        if (!SYSTEM_FIELDS.includes(q.fieldId) && !FORMS[rel].fields.some((f) => f.name === q.fieldId)) return fail(400, 'invalidParameter', `fieldId ${q.fieldId} not exists`);
        if ((q.filterType === 'IN' || q.filterType === 'BETWEEN') !== Array.isArray(q.value)) return fail(400, 'invalidParameter', `${String(q.filterType)} takes ${q.filterType === 'IN' || q.filterType === 'BETWEEN' ? 'an array' : 'a text'} value`);
        if (q.filterType === 'BETWEEN' && (q.value as unknown[]).length !== 2) return fail(400, 'invalidParameter', 'BETWEEN takes two values');
        list.push({ fieldId: q.fieldId, filterType: String(q.filterType), value: q.value });
      }
      out.push({ logicType: String(g.logicType), list });
    }
    const order = dsl.order ?? 'DESC';
    const orderField = dsl.orderFieldId ?? 'gmt_create';
    if (order !== 'ASC' && order !== 'DESC') return fail(400, 'invalidParameter', 'order must be ASC or DESC');
    if (orderField !== 'gmt_create' && orderField !== 'gmt_modified') return fail(400, 'invalidParameter', 'orderFieldId supports gmt_create and gmt_modified only');
    return { groups: out, order, orderField };
  }

  const view = (c: CustomerRow, withMeta = false) => ({
    instanceId: c.instanceId, objectType: c.objectType, creatorUserId: c.creatorUserId, creatorNick: user(c.creatorUserId)?.name ?? '', data: c.data, extendData: c.extendData,
    permission: { ownerStaffIds: c.owner, participantStaffIds: [] }, procOutResult: 'agree', procInstStatus: 'COMPLETED', gmtCreate: chinaTime(c.gmtCreate), gmtModified: chinaTime(c.gmtModified),
    ...(withMeta ? { appUuid: 'SWAPP-LIAISON', formCode: FORMS[c.objectType].code } : {}),
  });
  const isReply = (x: unknown): x is Reply => isObj(x) && typeof x.status === 'number' && ('body' in x);
  const relationOf = (v: unknown): Relation | Reply => (v === undefined || v === null || v === '' ? 'crm_customer_personal' : v === 'crm_customer_personal' || v === 'crm_customer' ? v : fail(400, 'relationType.not.exists', 'relationType not exists'));
  const maxOf = (v: unknown): number | Reply => {
    const n = Number(v);
    return v !== null && v !== undefined && Number.isInteger(n) && n >= 1 && n <= 100 ? n : fail(400, 'invalidParameter', 'maxResults is required, 1 to 100');
  };
  const offsetOf = (v: unknown): number | Reply => (v === null || v === undefined || v === '' ? 0 : /^\d+$/.test(String(v)) ? Number(v) : fail(400, 'invalidParameter', 'nextToken is invalid'));

  type Handler = (p: string[], q: URLSearchParams, body: unknown) => Reply;
  const crm = (h: Handler): Handler => (p, q, b) => (crmEnabled ? h(p, q, b) : fail(400, 'crmAppNotExisted', 'crmAppNotExisted'));
  const routes: [string, RegExp, string, Handler, 'none' | 'new' | 'old'][] = [
    ['POST', /^\/v1\.0\/oauth2\/accessToken$/, 'oauth2.accessToken', (_p, _q, b) => {
      if (!isObj(b) || typeof b.appKey !== 'string' || typeof b.appSecret !== 'string') return fail(400, 'MissingParameter', 'appKey and appSecret are required');
      if (b.appKey !== APP.appKey || b.appSecret !== APP.appSecret) return fail(400, 'invalidClientSecret', 'appKey or appSecret is invalid');
      const t = crypto.randomUUID().replace(/-/g, '');
      tokens.set(t, now() + (o.tokenTtlMs ?? 7_200_000));
      tokensIssued++;
      return { status: 200, body: { accessToken: t, expireIn: Math.round((o.tokenTtlMs ?? 7_200_000) / 1000) } };
    }, 'none'],
    ['GET', /^\/v1\.0\/crm\/personalCustomers\/objectMeta$/, 'crm.objectMeta', crm((_p, q) => {
      const rel = relationOf(q.get('relationType'));
      if (isReply(rel)) return rel;
      const f = FORMS[rel];
      return { status: 200, body: { name: f.name, customized: false, status: 'PUBLISHED', code: f.code, fields: f.fields.map((x) => ({ name: x.name, label: x.label, type: x.type, nillable: x.nillable, customized: x.customized, ...(x.options ? { selectOptions: x.options.map((v, i) => ({ key: `option_${i}`, value: v })) } : {}) })) } };
    }), 'new'],
    ['GET', /^\/v1\.0\/crm\/personalCustomers$/, 'crm.query', crm((_p, q) => {
      const rel = relationOf(q.get('relationType'));
      if (isReply(rel)) return rel;
      const op = q.get('currentOperatorUserId');
      if (op !== null && !user(op)) return fail(400, 'systemError.notPermittedAccess', 'system error, not permitted access, user not exists');
      const max = maxOf(q.get('maxResults'));
      if (isReply(max)) return max;
      const from = offsetOf(q.get('nextToken'));
      if (isReply(from)) return from;
      const dsl = parseDsl(rel, q.get('queryDsl'));
      if (isReply(dsl)) return dsl;
      const hits = [...customers.values()]
        .filter((c) => c.objectType === rel && dsl.groups.every((g) => (g.logicType === 'AND' ? g.list.every((x) => matches(c, x)) : g.list.some((x) => matches(c, x)))))
        .sort((a, b) => {
          const k = dsl.orderField === 'gmt_create' ? 'gmtCreate' : 'gmtModified';
          const d = a[k] - b[k] || a.instanceId.localeCompare(b.instanceId);
          return dsl.order === 'ASC' ? d : -d;
        });
      const page = hits.slice(from, from + max);
      const more = from + max < hits.length;
      return { status: 200, body: { values: page.map((c) => view(c)), hasMore: more, ...(more ? { nextToken: String(from + max) } : {}), maxResults: max, totalCount: hits.length } };
    }), 'new'],
    ['POST', /^\/v1\.0\/crm\/personalCustomers$/, 'crm.create', crm((_p, _q, b) => {
      if (!isObj(b)) return fail(400, 'invalidParameter', 'body must be an object');
      if (!user(b.creatorUserId)) return fail(400, 'creatorUserId.not.exists', 'creatorUserId not exists');
      const rel = relationOf(b.relationType);
      if (isReply(rel)) return rel;
      const data = checkData(rel, b.data, undefined, b.skipDuplicateCheck === true);
      if (isReply(data)) return data;
      if (b.extendData !== undefined && !isObj(b.extendData)) return fail(400, 'data.format.error', 'extendData must be a map');
      const owners = isObj(b.permission) && Array.isArray(b.permission.ownerStaffIds) ? b.permission.ownerStaffIds : [b.creatorUserId];
      if (owners.some((x) => !user(x))) return fail(400, 'invalidParameter', 'ownerStaffIds must be members');
      const t = now();
      const row: CustomerRow = { instanceId: newId(), objectType: rel, creatorUserId: String(b.creatorUserId), data: { ...data }, extendData: { ...(b.extendData as Record<string, unknown> | undefined) }, owner: owners as string[], gmtCreate: t, gmtModified: t };
      customers.set(row.instanceId, row);
      return { status: 200, body: { instanceId: row.instanceId } };
    }), 'new'],
    ['PUT', /^\/v1\.0\/crm\/personalCustomers$/, 'crm.update', crm((_p, _q, b) => {
      if (!isObj(b) || typeof b.instanceId !== 'string') return fail(400, 'invalidParameter', 'instanceId is required');
      if (!user(b.modifierUserId)) return fail(400, 'invalidParameter', 'modifierUserId not exists');
      const row = customers.get(b.instanceId);
      if (!row) return fail(400, 'invalidParameter', 'instance not exists');
      const rel = relationOf(b.relationType);
      if (isReply(rel)) return rel;
      if (rel !== row.objectType) return fail(400, 'relationType.not.exists', 'relationType does not match the instance');
      const data = checkData(rel, b.data, row.instanceId, b.skipDuplicateCheck === true);
      if (isReply(data)) return data;
      row.data = { ...data };
      if (isObj(b.extendData)) row.extendData = { ...b.extendData };
      row.gmtModified = Math.max(now(), row.gmtModified + 1000);
      return { status: 200, body: { instanceId: row.instanceId } };
    }), 'new'],
    ['POST', /^\/v1\.0\/crm\/personalCustomers\/batchQuery$/, 'crm.batchQuery', crm((_p, q, b) => {
      const rel = relationOf(q.get('relationType'));
      if (isReply(rel)) return rel;
      if (!user(q.get('currentOperatorUserId'))) return fail(400, 'systemError.notPermittedAccess', 'system error, not permitted access');
      if (!Array.isArray(b) || b.length > 100 || b.some((x) => typeof x !== 'string')) return fail(400, 'invalidParameter', 'body must be an array of at most 100 instanceIds');
      return { status: 200, body: { result: b.flatMap((id) => { const c = customers.get(id); return c && c.objectType === rel ? [view(c, true)] : []; }) } };
    }), 'new'],
    ['POST', /^\/v1\.0\/crm\/followRecords\/batch$/, 'crm.followRecords.add', crm((_p, _q, b) => {
      if (!isObj(b) || !user(b.operatorUserId)) return fail(400, 'operatorUserId.not.exist', 'operatorUserId not exist');
      const list = b.instanceList;
      if (!Array.isArray(list) || list.length < 1 || list.length > 40) return fail(400, 'invalidParameter', 'instanceList: 1 to 40 items');
      const results = list.map((inst) => {
        const arr = isObj(inst) ? inst.dataArray : undefined;
        if (!Array.isArray(arr) || arr.length > 256 || arr.some((d) => !isObj(d) || typeof d.key !== 'string' || typeof d.value !== 'string')) return { success: false, errorCode: 'data.format.error', errorMsg: 'dataArray items need key and value strings' };
        const items = arr as { key: string; value: string; extendValue?: string }[];
        const unknown = items.find((d) => !FOLLOW_FORM.some((f) => f.name === d.key));
        if (unknown) return { success: false, errorCode: 'fieldId.not.exists', errorMsg: `field ${unknown.key} not exists` };
        const missing = FOLLOW_FORM.find((f) => !f.nillable && !items.some((d) => d.key === f.name && d.value.trim()));
        if (missing) return { success: false, errorCode: 'data.format.error', errorMsg: `field ${missing.name} is required` };
        const sel = items.find((d) => d.key === 'DDSelectField-K2U5UJAC');
        if (sel && !FOLLOW_FORM[2]!.options!.includes(sel.value)) return { success: false, errorCode: 'data.format.error', errorMsg: 'option not exists' };
        const link = items.find((d) => d.key === 'follow_record_related_customer')!;
        let target: string | undefined;
        try {
          const ev = JSON.parse(link.extendValue ?? '') as { list?: { instanceId?: unknown }[] };
          target = typeof ev.list?.[0]?.instanceId === 'string' ? ev.list[0].instanceId : undefined;
        } catch { /* refused below */ }
        if (!target || !customers.has(target)) return { success: false, errorCode: 'data.format.error', errorMsg: 'follow_record_related_customer: no such customer' };
        const t = now();
        const row: FollowRow = { recordInstId: newId(), customerId: target, items, ...(isObj(inst) && isObj(inst.bizExtMap) ? { bizExtMap: inst.bizExtMap as Record<string, string> } : {}), creatorUserId: String(b.operatorUserId), gmtCreate: t, gmtModified: t };
        follows.set(row.recordInstId, row);
        return { success: true, instanceId: row.recordInstId };
      });
      return { status: 200, body: { results } };
    }), 'new'],
    ['POST', /^\/v1\.0\/crm\/targetFollowRecords\/query$/, 'crm.targetFollowRecords', crm((_p, _q, b) => {
      if (!isObj(b) || typeof b.followTargetDataId !== 'string' || typeof b.followTargetType !== 'string') return fail(400, 'invalidParameter', 'followTargetDataId and followTargetType are required');
      if (b.followTargetType !== 'customer') return fail(400, 'invalidParameter', 'followTargetType not supported');
      const max = maxOf(b.maxResults);
      if (isReply(max)) return max;
      const from = offsetOf(b.nextToken);
      if (isReply(from)) return from;
      const all = [...follows.values()].filter((f) => f.customerId === b.followTargetDataId).sort((x, y) => y.gmtCreate - x.gmtCreate || x.recordInstId.localeCompare(y.recordInstId));
      const page = all.slice(from, from + max);
      const more = from + max < all.length;
      const label = (k: string) => FOLLOW_FORM.find((f) => f.name === k)?.label;
      return { status: 200, body: { result: { hasMore: more, ...(more ? { nextToken: String(from + max) } : {}), resultList: page.map((f) => ({ recordInstId: f.recordInstId, followTargetDataId: f.customerId, followTargetType: 'customer', creatorUserId: f.creatorUserId, modifierUserId: f.creatorUserId, gmtCreateMilliseconds: String(f.gmtCreate), gmtModifiedMilliseconds: String(f.gmtModified), followContent: f.items.map((i) => ({ key: i.key, value: i.value, bizAlias: label(i.key) ?? '', ...(i.extendValue ? { extendValue: i.extendValue } : {}) })) })) } } };
    }), 'new'],
    ['POST', /^\/v1\.0\/todo\/users\/([^/]+)\/tasks$/, 'todo.create', ([unionId], q, b) => {
      if (!byUnion(unionId)) return fail(400, 'invalidParameter', 'unionId not exists');
      if (!byUnion(q.get('operatorId'))) return fail(400, 'invalidParameter', 'operatorId not exists');
      if (!isObj(b) || typeof b.subject !== 'string' || !b.subject.trim()) return fail(400, 'invalidParameter', 'subject is required');
      if (b.dueTime !== undefined && (typeof b.dueTime !== 'number' || !Number.isInteger(b.dueTime))) return fail(400, 'invalidParameter', 'dueTime must be epoch milliseconds');
      for (const k of ['executorIds', 'participantIds'] as const) {
        const v = b[k];
        if (v !== undefined && (!Array.isArray(v) || v.some((x) => !byUnion(x)))) return fail(400, 'invalidParameter', `${k} must be unionIds of members`);
      }
      const t = now();
      const row: TodoRow = { id: `task${rid()}`, unionId: unionId!, subject: b.subject, ...(typeof b.description === 'string' ? { description: b.description } : {}), ...(typeof b.dueTime === 'number' ? { dueTime: b.dueTime } : {}), executorIds: (b.executorIds as string[] | undefined) ?? [], participantIds: (b.participantIds as string[] | undefined) ?? [], ...(typeof b.sourceId === 'string' ? { sourceId: b.sourceId } : {}), ...(typeof b.priority === 'number' ? { priority: b.priority } : {}), createdTime: t, modifiedTime: t, creatorId: String(q.get('operatorId')) };
      todos.push(row);
      return { status: 200, body: todoView(row) };
    }, 'new'],
    ['GET', /^\/v1\.0\/todo\/users\/([^/]+)\/tasks\/sources\/([^/]+)$/, 'todo.bySource', ([unionId, sourceId]) => {
      if (!byUnion(unionId)) return fail(400, 'invalidParameter', 'unionId not exists');
      const row = todos.find((t) => t.unionId === unionId && t.sourceId === sourceId);
      return row ? { status: 200, body: todoView(row) } : fail(404, 'notFound', 'task not exist');
    }, 'new'],
    ['POST', /^\/topapi\/v2\/user\/get$/, 'oapi.user.get', (_p, _q, b) => {
      const u = isObj(b) ? user(b.userid) : undefined;
      return u ? { status: 200, body: { errcode: 0, errmsg: 'ok', result: { userid: u.userid, unionid: u.unionid, name: u.name, active: true }, request_id: rid() } } : oerr(60121, '找不到该用户');
    }, 'old'],
    ['POST', /^\/topapi\/crm\/objectmeta\/followrecord\/describe$/, 'oapi.followrecord.meta', () => {
      if (!crmEnabled) return oerr(40078, 'crm app not installed');
      return { status: 200, body: { errcode: 0, errmsg: 'ok', result: { code: 'PROC-6AA993FE-FOLLOW', customized: false, name: 'crm_follow_record', status: 'PUBLISHED', fields: FOLLOW_FORM.map((f) => ({ name: f.name, label: f.label, type: f.type, nillable: f.nillable, customized: f.customized, ...(f.options ? { select_options: f.options.map((v, i) => ({ key: `option_${i}`, value: v })) } : {}), ...(f.referenceTo ? { quote: true, reference_to: f.referenceTo } : {}) })) }, request_id: rid() } };
    }, 'old'],
    ['POST', /^\/topapi\/message\/corpconversation\/asyncsend_v2$/, 'oapi.worknotice', (_p, _q, b) => {
      if (!isObj(b) || b.agent_id !== APP.agentId) return oerr(33012, '无效的agentId');
      const ids = typeof b.userid_list === 'string' ? b.userid_list.split(',') : [];
      if (!ids.length || ids.length > 100 || ids.some((x) => !user(x))) return oerr(33012, 'userid_list 无效');
      const msg = isObj(b.msg) ? b.msg : undefined;
      const content =
        msg?.msgtype === 'text' && isObj(msg.text) && typeof msg.text.content === 'string' ? msg.text.content
        : msg?.msgtype === 'markdown' && isObj(msg.markdown) && typeof msg.markdown.title === 'string' && msg.markdown.title && typeof msg.markdown.text === 'string' ? `${msg.markdown.title}\n${msg.markdown.text}`
        : undefined;
      if (!content) return oerr(40035, 'msg 不合法');
      const task_id = 100000 + seq++;
      const day = chinaTime(now()).slice(0, 10);
      for (const id of ids) notices.push({ agent_id: APP.agentId, userid: id, content, task_id, day, delivered: !notices.some((n) => n.userid === id && n.content === content && n.day === day && n.delivered) });
      return { status: 200, body: { errcode: 0, errmsg: 'ok', task_id, request_id: rid() } };
    }, 'old'],
  ];
  function todoView(t: TodoRow) {
    return { id: t.id, subject: t.subject, description: t.description ?? '', dueTime: t.dueTime, executorIds: t.executorIds, participantIds: t.participantIds, sourceId: t.sourceId, priority: t.priority, createdTime: t.createdTime, modifiedTime: t.modifiedTime, creatorId: t.creatorId, done: false, source: 'isv_dingtalkliaison', requestId: rid() };
  }

  function send(res: ServerResponse, entry: RequestLogEntry, r: Reply) {
    entry.status = r.status;
    res.writeHead(r.status, { 'content-type': 'application/json;charset=utf-8', date: new Date(now()).toUTCString() });
    res.end(r.body === undefined ? '' : JSON.stringify(r.body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const hit = routes.find(([m, re]) => m === method && re.test(url.pathname));
    const entry: RequestLogEntry = { at: now(), method, path: url.pathname + url.search, api: hit?.[2] ?? 'unknown', status: 0, outcome: 'replied' };
    requests.push(entry);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (down) { entry.outcome = 'refused'; req.socket.destroy(); return; }
    if (!hit) return send(res, entry, fail(404, 'InvalidAction.NotFound', `no API ${method} ${url.pathname}`));
    const [, re, api, handler, auth] = hit;
    // Faults decided before DingTalk looks at the request (a gateway 5xx, a dropped connection).
    const fault = faults.take(api, { api });
    if (fault && !fault.commit) {
      if (fault.kind === 'drop') { entry.outcome = 'dropped'; req.socket.destroy(); return; }
      return send(res, entry, fail(fault.status ?? 500, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.'));
    }
    if (auth === 'new') {
      const t = req.headers['x-acs-dingtalk-access-token'];
      const exp = typeof t === 'string' ? tokens.get(t) : undefined;
      if (exp === undefined || exp <= now()) return send(res, entry, fail(401, 'InvalidAuthentication', '不合法的access_token'));
    } else if (auth === 'old') {
      // An app with a server egress IP allow-list (errcode 88, sub_code 60020: a third-party note).
      if (ipRestricted) return send(res, entry, { status: 200, body: { errcode: 88, sub_code: '60020', errmsg: '访问ip不在白名单之中,request ip=127.0.0.1', request_id: rid() } });
      const exp = tokens.get(url.searchParams.get('access_token') ?? '');
      if (exp === undefined) return send(res, entry, oerr(40014, '不合法的access_token'));
      if (exp <= now()) return send(res, entry, oerr(42001, 'access_token超时'));
    }
    if (auth !== 'none') {
      const w = (windows.get(api) ?? []).filter((at) => at > now() - 1000);
      if (w.length >= qps || now() < limitedUntil) {
        windows.set(api, w);
        return send(res, entry, auth === 'new' ? fail(403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', 'The request has failed due to QPS limit for appkey and api') : oerr(90018, '当前应用调用该接口超过每秒限流'));
      }
      w.push(now());
      windows.set(api, w);
    }
    let body: unknown;
    const raw = Buffer.concat(chunks).toString('utf8');
    if (method === 'POST' || method === 'PUT') {
      if (!/application\/json/.test(req.headers['content-type'] ?? '')) return send(res, entry, fail(400, 'invalidParameter', 'Content-Type must be application/json'));
      try { body = raw ? JSON.parse(raw) : undefined; } catch { return send(res, entry, fail(400, 'invalidParameter', 'body is not valid JSON')); }
      if (body === undefined && api !== 'oapi.followrecord.meta') return send(res, entry, fail(400, 'invalidParameter', 'the request body is missing'));
    }
    const params = (re.exec(url.pathname) ?? []).slice(1).map(decodeURIComponent);
    const reply = handler(params, url.searchParams, body);
    if (fault?.commit) {
      if (fault.kind === 'drop') { entry.outcome = 'dropped'; res.socket?.destroy(); return; }
      return send(res, entry, fail(fault.status ?? 500, 'systemError', 'system error'));
    }
    return send(res, entry, reply);
  }

  const server = createServer((req, res) => void handle(req, res).catch((e) => { res.writeHead(500); res.end(String(e)); }));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const control = {
    /** A colleague (王强) adds a customer in DingTalk's UI. */
    addCustomer(data: Record<string, string>, o: { relation?: Relation; by?: string; at?: number } = {}): string {
      const rel = o.relation ?? 'crm_customer_personal';
      const d = checkData(rel, data);
      if (isReply(d)) throw new Error(JSON.stringify(d.body));
      const t = o.at ?? now();
      const row: CustomerRow = { instanceId: newId(), objectType: rel, creatorUserId: o.by ?? USERS[1].userid, data: { ...d }, extendData: {}, owner: [o.by ?? USERS[1].userid], gmtCreate: t, gmtModified: t };
      customers.set(row.instanceId, row);
      return row.instanceId;
    },
    editCustomer(id: string, data: Record<string, string>): void {
      const row = customers.get(id);
      if (!row) throw new Error(`no customer ${id}`);
      const d = checkData(row.objectType, { ...row.data, ...data }, id);
      if (isReply(d)) throw new Error(JSON.stringify(d.body));
      row.data = { ...d };
      row.gmtModified = Math.max(now(), row.gmtModified + 1000);
    },
    /** A colleague writes a follow record in DingTalk's UI. */
    addFollowRecord(customerId: string, text: string, o: { by?: string; at?: number } = {}): string {
      const t = o.at ?? now();
      const row: FollowRow = { recordInstId: newId(), customerId, items: [{ key: 'follow_record_related_customer', value: JSON.stringify([customerId]), extendValue: JSON.stringify({ quote: 1, list: [{ instanceId: customerId }] }) }, { key: 'TextareaField-K2U5UJAF', value: text }], creatorUserId: o.by ?? USERS[1].userid, gmtCreate: t, gmtModified: t };
      follows.set(row.recordInstId, row);
      return row.recordInstId;
    },
    deleteCustomer: (id: string) => void customers.delete(id),
    customers: () => [...customers.values()],
    follows: () => [...follows.values()],
    todos: () => [...todos],
    notices: () => [...notices],
    failNext(f: { api?: string; status?: number; count?: number; commit?: boolean } = {}) {
      faults.push({ kind: 'fail', left: f.count ?? 1, ...(f.api ? { api: f.api } : {}), ...(f.status ? { status: f.status } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    dropNext(f: { api?: string; commit?: boolean } = {}) {
      faults.push({ kind: 'drop', left: 1, ...(f.api ? { api: f.api } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    setFaultPolicy: (p: ((entry: { api: string }) => Omit<Fault, 'left'> | undefined) | undefined) => faults.setPolicy(p),
    /** Every access token expires now (two hours passed). */
    expireTokens() { for (const k of tokens.keys()) tokens.set(k, 0); },
    setQps(n: number) { qps = n; },
    /** Every API answers the QPS refusal for `ms` (the platform's busy hour, compressed). */
    limitFor(ms: number) { limitedUntil = now() + ms; },
    setCrmEnabled(v: boolean) { crmEnabled = v; },
    /** The app allows only its registered server IPs (old API only here). */
    restrictIps(v: boolean) { ipRestricted = v; },
    setDown(v: boolean) { down = v; },
    clearLog() { requests.length = 0; },
    tokensIssued: () => tokensIssued,
  };
  return { url, app: APP, users: USERS, requests, control, close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }) };
}
export type DingtalkEmulator = Awaited<ReturnType<typeof startDingtalkEmulator>>;
