// A strict emulator of Zoho CRM v8 (www.zohoapis.<dc>) and its accounts server's token endpoint,
// for the Zoho adapter's contract and fault tests. Shapes from Zoho's own OpenAPI files
// (shared/specs/zoho-crm/v8.0 record.json, notes.json, related_records.json, module_search.json,
// fields.json, users.json, org.json; zoho/crm-oas @ 45dff2cc9c69, 2025-06-27) and the v8 API pages
// (zoho.com/crm/developer/docs/api/v8, read 2026-12-06):
// - auth: `Authorization: Zoho-oauthtoken <token>`; a bad or expired token answers 401
//   {code:"INVALID_TOKEN", details:{}, message:"invalid oauth token", status:"error"};
// - sign-in: GET /oauth/v2/auth redirects to the client's redirect URI with code, state,
//   location and accounts-server; POST /oauth/v2/token grant_type=authorization_code (single-use
//   code, same redirect_uri) → access + refresh token;
// - tokens: POST /oauth/v2/token grant_type=refresh_token with client_id + client_secret →
//   {access_token, api_domain, token_type:"Bearer", expires_in:3600}; a wrong refresh token or
//   client answers HTTP 200 {"error":"invalid_code"} / {"error":"invalid_client"} (Zoho's habit);
// - records {data:[…]}: Last_Name mandatory on Leads/Contacts, Deal_Name + Stage on Deals,
//   Subject on Tasks, Note_Content + Parent_Id on Notes (MANDATORY_NOT_FOUND naming api_name);
//   an unknown field, a malformed email/date/number or a lookup to a missing record is
//   INVALID_DATA naming api_name (stricter than Zoho for unknown fields, which it may ignore); a
//   unique field's repeated value DUPLICATE_DATA {api_name, id}; upsert matches on
//   duplicate_check_fields (unique fields only here) and answers action insert/update;
// - reads: search by criteria (equals / starts_with / greater_equal, and/or, backslash escapes),
//   phone= (the last 8 digits of any phone field) and email=; 204 when nothing matches; lists
//   sorted, If-Modified-Since (records modified after it; 304 when none), page/per_page ≤ 200,
//   page ≤ 2000 records then page_token; related lists Notes and Deals;
// - limits: concurrent requests per org over `concurrency` and a window opened by the test answer
//   429 {code:"TOO_MANY_REQUESTS"} (no header: Zoho's pages document none that we could confirm);
// - faults through `control`: 5xx, a reply lost after the write committed, tokens expired, down.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultQueue } from '../fault-queue';
import { parseCriteria } from './criteria';

export interface ZohoEmulatorOptions {
  now?: () => number;
  /** Concurrent API calls per org (free edition 5… paid up to 25). */
  concurrency?: number;
  /** The Liaison Key fields exist already on Leads, Contacts, Deals and Tasks (default: setup creates them). */
  keyFieldsExist?: boolean;
  /** Access token lifetime (Zoho: 3600 s). */
  tokenTtlMs?: number;
}

type Module = 'Leads' | 'Contacts' | 'Deals' | 'Tasks' | 'Notes';
const MODULES: Module[] = ['Leads', 'Contacts', 'Deals', 'Tasks', 'Notes'];
type Kind = 'text' | 'email' | 'phone' | 'textarea' | 'date' | 'datetime' | 'currency' | 'picklist' | 'lookup' | 'ownerlookup' | 'module';
interface Field { api_name: string; field_label: string; data_type: Kind; mandatory?: boolean; unique?: boolean; read_only?: boolean; id: string; length?: number }
export interface ZohoRow { id: string; module: Module; values: Record<string, unknown>; Created_Time: number; Modified_Time: number; owner: number }
export interface RequestLogEntry { at: number; method: string; path: string; api: string; status: number; outcome: 'replied' | 'dropped' | 'refused' }
interface Fault { api?: string; left: number; kind: 'fail' | 'drop'; status?: number; commit?: boolean }
interface Reply { status: number; body?: unknown; headers?: Record<string, string> }

const USERS = [{ id: '4150868000000225013', full_name: '李娜', email: 'li.na@example.com' }, { id: '4150868000000225099', full_name: '王强', email: 'wang.qiang@example.com' }];
const err = (status: number, code: string, message: string, details: Record<string, unknown> = {}): Reply => ({ status, body: { code, details, message, status: 'error' } });
const recErr = (status: number, code: string, message: string, details: Record<string, unknown>): Reply => ({ status, body: { data: [{ code, details, message, status: 'error' }] } });
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
const digits = (s: string) => s.replace(/\D/g, '');

function std(module: Module, seq: () => string): Field[] {
  const f = (api_name: string, field_label: string, data_type: Kind, extra: Partial<Field> = {}): Field => ({ api_name, field_label, data_type, id: seq(), ...extra });
  const common = [f('Owner', 'Owner', 'ownerlookup'), f('Created_Time', 'Created Time', 'datetime', { read_only: true }), f('Modified_Time', 'Modified Time', 'datetime', { read_only: true })];
  switch (module) {
    case 'Leads':
      return [...common, f('First_Name', 'First Name', 'text'), f('Last_Name', 'Last Name', 'text', { mandatory: true }), f('Company', 'Company', 'text'), f('Email', 'Email', 'email'), f('Phone', 'Phone', 'phone'), f('Mobile', 'Mobile', 'phone'), f('Description', 'Description', 'textarea'), f('Lead_Source', 'Lead Source', 'picklist')];
    case 'Contacts':
      return [...common, f('First_Name', 'First Name', 'text'), f('Last_Name', 'Last Name', 'text', { mandatory: true }), f('Account_Name', 'Account Name', 'lookup'), f('Department', 'Department', 'text'), f('Email', 'Email', 'email'), f('Phone', 'Phone', 'phone'), f('Mobile', 'Mobile', 'phone'), f('Description', 'Description', 'textarea'), f('Lead_Source', 'Lead Source', 'picklist')];
    case 'Deals':
      return [...common, f('Deal_Name', 'Deal Name', 'text', { mandatory: true }), f('Stage', 'Stage', 'picklist', { mandatory: true }), f('Amount', 'Amount', 'currency'), f('Closing_Date', 'Closing Date', 'date'), f('Contact_Name', 'Contact Name', 'lookup'), f('Description', 'Description', 'textarea')];
    case 'Tasks':
      return [...common, f('Subject', 'Subject', 'text', { mandatory: true }), f('Due_Date', 'Due Date', 'date'), f('Status', 'Status', 'picklist'), f('Description', 'Description', 'textarea'), f('Who_Id', 'Contact Name', 'lookup'), f('What_Id', 'Related To', 'lookup'), f('$se_module', 'Se Module', 'module')];
    case 'Notes':
      return [...common, f('Note_Title', 'Note Title', 'text'), f('Note_Content', 'Note Content', 'textarea', { mandatory: true }), f('Parent_Id', 'Parent Id', 'lookup', { mandatory: true })];
  }
}

const STAGES = ['Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost', 'Closed Lost to Competition'];
const TASK_STATUS = ['Not Started', 'Deferred', 'In Progress', 'Completed', 'Waiting for input'];

export async function startZohoEmulator(o: ZohoEmulatorOptions = {}) {
  const now = o.now ?? Date.now;
  let seq = 4150868000001000000n;
  const next = () => String(++seq);
  const client = { id: '1000.LIAISONTESTCLIENT0000000000000', secret: 'zoho-test-client-secret' };
  const refreshTokens = new Set(['1000.refresh.liaison-test']);
  const access = new Map<string, number>(); // token → expiry
  const issue = () => {
    const t = `1000.${crypto.randomUUID().replace(/-/g, '')}.${crypto.randomUUID().slice(0, 8)}`;
    access.set(t, now() + (o.tokenTtlMs ?? 3600_000));
    return t;
  };
  const token = issue();
  const fields = new Map<Module, Field[]>(MODULES.map((m) => [m, std(m, next)]));
  if (o.keyFieldsExist) for (const m of ['Leads', 'Contacts', 'Deals', 'Tasks'] as Module[]) fields.get(m)!.push({ api_name: 'Liaison_Key', field_label: 'Liaison Key', data_type: 'text', unique: true, id: next(), length: 100 });
  const rows = new Map<string, ZohoRow>();
  const requests: RequestLogEntry[] = [];
  const faults = createFaultQueue<Fault, { api: string }>();
  const concurrency = o.concurrency ?? 10;
  let inFlight = 0;
  let limitedUntil = 0;
  let down = false;
  let refreshCount = 0;

  const fieldOf = (m: Module, name: string) => fields.get(m)!.find((f) => f.api_name === name);
  const ownerOf = (id: number) => ({ name: USERS[id]!.full_name, id: USERS[id]!.id, email: USERS[id]!.email });
  function view(r: ZohoRow, want?: string[]): Record<string, unknown> {
    const all: Record<string, unknown> = { ...r.values, Owner: ownerOf(r.owner), Created_Time: iso(r.Created_Time), Modified_Time: iso(r.Modified_Time), Created_By: ownerOf(r.owner), Modified_By: ownerOf(r.owner) };
    const out: Record<string, unknown> = { id: r.id };
    for (const [k, v] of Object.entries(all)) if (!want || want.includes(k)) out[k] = v;
    return out;
  }

  /** Validates one record of `module` for insert (full) or update (partial). Returns the values, or an error reply. */
  function check(module: Module, rec: Record<string, unknown>, i: number, full: boolean, selfId?: string): Record<string, unknown> | Reply {
    const vals: Record<string, unknown> = {};
    const at = (api_name: string) => ({ api_name, json_path: `$.data[${i}].${api_name}` });
    for (const [k, v] of Object.entries(rec)) {
      if (k === 'id' && !full) continue;
      const f = fieldOf(module, k);
      if (!f || f.read_only) return recErr(400, 'INVALID_DATA', 'invalid data', { ...at(k), expected_data_type: f ? 'read_only' : 'field' });
      if (v === null) { vals[k] = null; continue; }
      const bad = () => recErr(400, 'INVALID_DATA', 'invalid data', { ...at(k), expected_data_type: f.data_type });
      switch (f.data_type) {
        case 'text': case 'phone': case 'textarea': case 'module':
          if (typeof v !== 'string' || v.length > (f.data_type === 'textarea' ? 32000 : f.length ?? 255)) return bad();
          if (f.data_type === 'module' && !MODULES.includes(v as Module)) return bad();
          break;
        case 'email': if (typeof v !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return bad(); break;
        case 'date': if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return bad(); break;
        case 'currency': if (typeof v !== 'number' || !Number.isFinite(v)) return bad(); break;
        case 'picklist': if (typeof v !== 'string' || (k === 'Stage' && !STAGES.includes(v)) || (module === 'Tasks' && k === 'Status' && !TASK_STATUS.includes(v))) return bad(); break;
        case 'lookup': {
          const id = k === 'Parent_Id' ? (v as { id?: unknown }).id : (v as { id?: unknown })?.id;
          if (typeof id !== 'string' || !rows.has(id)) return recErr(400, 'INVALID_DATA', 'the related id given seems to be invalid', at(k));
          if (k === 'Parent_Id') {
            const pm = (v as { module?: { api_name?: unknown } }).module?.api_name;
            if (typeof pm !== 'string' || rows.get(id)!.module !== pm) return recErr(400, 'INVALID_DATA', 'invalid data', { ...at(k), expected_data_type: 'lookup' });
          }
          break;
        }
        case 'ownerlookup': if (!USERS.some((u) => u.id === (v as { id?: unknown })?.id)) return bad(); break;
        default: return bad();
      }
      vals[k] = v;
    }
    if (module === 'Tasks') {
      const se = vals.$se_module ?? (selfId ? rows.get(selfId)?.values.$se_module : undefined);
      if (vals.What_Id && !se) return recErr(400, 'MANDATORY_NOT_FOUND', 'required field not found', at('$se_module'));
      if (vals.Who_Id && rows.get((vals.Who_Id as { id: string }).id)?.module !== 'Contacts') return recErr(400, 'INVALID_DATA', 'the related id given seems to be invalid', at('Who_Id'));
      if (vals.What_Id && rows.get((vals.What_Id as { id: string }).id)?.module !== se) return recErr(400, 'INVALID_DATA', 'the related id given seems to be invalid', at('What_Id'));
    }
    if (module === 'Deals' && vals.Contact_Name && rows.get((vals.Contact_Name as { id: string }).id)?.module !== 'Contacts') return recErr(400, 'INVALID_DATA', 'the related id given seems to be invalid', at('Contact_Name'));
    for (const f of fields.get(module)!) {
      const present = full ? vals[f.api_name] : f.api_name in vals ? vals[f.api_name] : 'kept';
      if (f.mandatory && (present === undefined || present === null || present === '')) return recErr(400, 'MANDATORY_NOT_FOUND', 'required field not found', at(f.api_name));
      if (f.unique && typeof vals[f.api_name] === 'string') {
        const dup = [...rows.values()].find((r) => r.module === module && r.id !== selfId && String(r.values[f.api_name] ?? '').toLowerCase() === String(vals[f.api_name]).toLowerCase());
        if (dup) return recErr(400, 'DUPLICATE_DATA', 'duplicate data', { ...at(f.api_name), id: dup.id, more_records: false });
      }
    }
    return vals;
  }
  const isReply = (x: unknown): x is Reply => typeof x === 'object' && x !== null && 'status' in x && typeof (x as Reply).status === 'number' && 'body' in x;

  function success(r: ZohoRow, action?: 'insert' | 'update', duplicate_field?: string | null) {
    return { code: 'SUCCESS', details: { Modified_Time: iso(r.Modified_Time), Modified_By: { name: USERS[r.owner]!.full_name, id: USERS[r.owner]!.id }, Created_Time: iso(r.Created_Time), id: r.id, Created_By: { name: USERS[r.owner]!.full_name, id: USERS[r.owner]!.id } }, message: action === 'update' ? 'record updated' : 'record added', status: 'success', ...(action ? { action } : {}), ...(duplicate_field !== undefined ? { duplicate_field } : {}) };
  }
  function insert(module: Module, vals: Record<string, unknown>, owner = 0): ZohoRow {
    const t = now();
    const r: ZohoRow = { id: next(), module, values: vals, Created_Time: t, Modified_Time: t, owner };
    rows.set(r.id, r);
    return r;
  }
  const dataOf = (body: unknown): Record<string, unknown>[] | Reply => {
    const d = (body as { data?: unknown })?.data;
    if (!Array.isArray(d) || d.length === 0 || d.some((x) => typeof x !== 'object' || x === null)) return err(400, 'INVALID_DATA', 'invalid data', { api_name: 'data' });
    if (d.length > 100) return err(400, 'LIMIT_EXCEEDED', 'the number of records exceeds 100', { limit: 100 });
    return d as Record<string, unknown>[];
  };
  const moduleOf = (m: string): Module | Reply => (MODULES.includes(m as Module) ? (m as Module) : err(400, 'INVALID_MODULE', 'the module name given seems to be invalid', {}));
  const perPage = (q: URLSearchParams): number | Reply => {
    const n = Number(q.get('per_page') ?? 200);
    return Number.isInteger(n) && n >= 1 && n <= 200 ? n : err(400, 'INVALID_DATA', 'invalid data', { param_name: 'per_page' });
  };
  function wantFields(q: URLSearchParams, m: Module): string[] | Reply {
    const f = q.get('fields');
    if (!f) return err(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'fields' });
    const list = f.split(',');
    const unknown = list.find((x) => x !== 'id' && !fieldOf(m, x) && !['Created_By', 'Modified_By'].includes(x));
    return unknown ? err(400, 'INVALID_DATA', 'invalid data', { api_name: unknown }) : list;
  }
  const tokens = new Map<string, { list: ZohoRow[]; at: number }>();
  function page(list: ZohoRow[], q: URLSearchParams, want: string[] | undefined): Reply {
    const pp = perPage(q);
    if (isReply(pp)) return pp;
    let start: number;
    const pt = q.get('page_token');
    // The files type the page tokens as strings: absent, not null, when there is none.
    if (pt) {
      const t = tokens.get(pt);
      if (!t) return err(400, 'INVALID_DATA', 'invalid data', { param_name: 'page_token' });
      list = t.list;
      start = t.at;
    } else {
      const p = Number(q.get('page') ?? 1);
      if (!Number.isInteger(p) || p < 1) return err(400, 'INVALID_DATA', 'invalid data', { param_name: 'page' });
      start = (p - 1) * pp;
      if (start + pp > 2000) return err(400, 'DISCRETE_PAGINATION_LIMIT_EXCEEDED', 'cannot fetch more than 2000 records using page; use page_token', {});
    }
    if (!list.length) return { status: 204 };
    const slice = list.slice(start, start + pp);
    const more = start + pp < list.length;
    let next_page_token: string | null = null;
    if (more && (start + 2 * pp > 2000 || pt)) {
      next_page_token = crypto.randomUUID().replace(/-/g, '');
      tokens.set(next_page_token, { list, at: start + pp });
    }
    return { status: 200, body: { data: slice.map((r) => view(r, want)), info: { per_page: pp, count: slice.length, page: pt ? 1 : Math.floor(start / pp) + 1, sort_by: q.get('sort_by') ?? 'id', sort_order: q.get('sort_order') ?? 'desc', more_records: more, ...(next_page_token ? { next_page_token, page_token_expiry: iso(now() + 86_400_000) } : {}) } } };
  }
  const sorted = (list: ZohoRow[], q: URLSearchParams) => {
    const by = q.get('sort_by') ?? 'id';
    const dir = q.get('sort_order') === 'asc' ? 1 : -1;
    const key = (r: ZohoRow) => (by === 'Modified_Time' ? r.Modified_Time : by === 'Created_Time' ? r.Created_Time : Number(BigInt(r.id) % 1_000_000_000n));
    return [...list].sort((a, b) => (key(a) - key(b)) * dir || (Number(BigInt(a.id) - BigInt(b.id)) > 0 ? 1 : -1) * dir);
  };

  const ROUTES: [string, RegExp, string, (p: string[], q: URLSearchParams, body: unknown, h: IncomingMessage['headers']) => Reply][] = [
    ['GET', /^\/crm\/v8\/users$/, 'users', (_p, q) => (q.get('type') === 'CurrentUser' ? { status: 200, body: { users: [{ ...USERS[0], role: { name: 'CEO', id: next() }, profile: { name: 'Administrator', id: next() }, status: 'active' }], info: { per_page: 200, count: 1, page: 1, more_records: false } } } : err(400, 'INVALID_DATA', 'invalid data', { param_name: 'type' }))],
    ['GET', /^\/crm\/v8\/org$/, 'org', () => ({ status: 200, body: { org: [{ company_name: '深圳联络贸易', domain_name: 'org778899', id: '778899', country: 'China', time_zone: 'Asia/Shanghai', currency: 'CNY' }] } })],
    ['GET', /^\/crm\/v8\/settings\/fields$/, 'fields.list', (_p, q) => {
      const m = moduleOf(q.get('module') ?? '');
      if (isReply(m)) return m;
      return { status: 200, body: { fields: fields.get(m)!.map((f) => ({ api_name: f.api_name, field_label: f.field_label, display_label: f.field_label, data_type: f.data_type, id: f.id, read_only: !!f.read_only, field_read_only: !!f.read_only, custom_field: f.api_name === 'Liaison_Key', system_mandatory: !!f.mandatory, ...(f.length ? { length: f.length } : {}), ...(f.unique ? { unique: { casesensitive: false } } : {}) })) } };
    }],
    ['POST', /^\/crm\/v8\/settings\/fields$/, 'fields.create', (_p, q, body) => {
      const m = moduleOf(q.get('module') ?? '');
      if (isReply(m)) return m;
      if (m === 'Notes') return err(400, 'NOT_SUPPORTED', 'custom fields cannot be added to Notes', {});
      const list = (body as { fields?: unknown })?.fields;
      if (!Array.isArray(list) || list.length !== 1) return err(400, 'INVALID_DATA', 'invalid data', { api_name: 'fields' });
      const f = list[0] as { field_label?: unknown; data_type?: unknown; length?: unknown; unique?: unknown };
      if (typeof f.field_label !== 'string' || !f.field_label.trim()) return { status: 400, body: { fields: [{ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'field_label' }, message: 'required field not found', status: 'error' }] } };
      if (f.data_type !== 'text') return { status: 400, body: { fields: [{ code: 'INVALID_DATA', details: { api_name: 'data_type' }, message: 'invalid data', status: 'error' }] } };
      const api_name = f.field_label.trim().replace(/[^A-Za-z0-9]+/g, '_');
      if (fieldOf(m, api_name)) return { status: 400, body: { fields: [{ code: 'DUPLICATE_DATA', details: { api_name: 'field_label' }, message: 'duplicate data', status: 'error' }] } };
      const id = next();
      fields.get(m)!.push({ api_name, field_label: f.field_label.trim(), data_type: 'text', id, length: typeof f.length === 'number' ? f.length : 255, ...(f.unique ? { unique: true } : {}) });
      return { status: 201, body: { fields: [{ code: 'SUCCESS', details: { id }, message: 'field created', status: 'success' }] } };
    }],
    ['GET', /^\/crm\/v8\/([A-Za-z_]+)\/search$/, 'records.search', (p, q) => {
      const m = moduleOf(p[0]!);
      if (isReply(m)) return m;
      let match: ((r: ZohoRow) => boolean) | string;
      const c = q.get('criteria'), ph = q.get('phone'), em = q.get('email'), w = q.get('word');
      if ([c, ph, em, w].filter((x) => x !== null).length !== 1) return err(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'criteria/email/phone/word' });
      const kinds = (k: Kind[]) => fields.get(m)!.filter((f) => k.includes(f.data_type)).map((f) => f.api_name);
      if (c !== null) match = parseCriteria(c);
      else if (ph !== null) {
        const d = digits(ph).slice(-8);
        if (d.length < 4) return err(400, 'INVALID_QUERY', 'phone too short', { param_name: 'phone' });
        match = (r) => kinds(['phone']).some((f) => typeof r.values[f] === 'string' && digits(r.values[f] as string).endsWith(d));
      } else if (em !== null) match = (r) => kinds(['email']).some((f) => String(r.values[f] ?? '').toLowerCase() === em.toLowerCase());
      else match = (r) => Object.values(r.values).some((v) => typeof v === 'string' && v.includes(w!));
      if (typeof match === 'string') return err(400, 'INVALID_QUERY', 'invalid query formed', { reason: match });
      const found = [...rows.values()].filter((r) => r.module === m && (match as (r: ZohoRow) => boolean)(r));
      return page(sorted(found, q), q, undefined);
    }],
    ['POST', /^\/crm\/v8\/([A-Za-z_]+)\/upsert$/, 'records.upsert', (p, _q, body) => {
      const m = moduleOf(p[0]!);
      if (isReply(m)) return m;
      const data = dataOf(body);
      if (isReply(data)) return data;
      const dcf = (body as { duplicate_check_fields?: unknown }).duplicate_check_fields;
      if (!Array.isArray(dcf) || !dcf.every((x) => typeof x === 'string' && fieldOf(m, x)?.unique)) return err(400, 'INVALID_DATA', 'invalid data', { api_name: 'duplicate_check_fields' });
      const out = [];
      for (const [i, rec] of data.entries()) {
        const hit = [...rows.values()].find((r) => r.module === m && (dcf as string[]).some((f) => rec[f] !== undefined && String(r.values[f] ?? '').toLowerCase() === String(rec[f]).toLowerCase()));
        const vals = check(m, rec, i, !hit, hit?.id);
        if (isReply(vals)) return vals;
        if (hit) {
          Object.assign(hit.values, vals);
          hit.Modified_Time = now();
          out.push(success(hit, 'update', (dcf as string[]).find((f) => rec[f] !== undefined) ?? null));
        } else out.push(success(insert(m, vals), 'insert')); // record.json types duplicate_field as a string: absent on an insert
      }
      return { status: 200, body: { data: out } };
    }],
    ['GET', /^\/crm\/v8\/([A-Za-z_]+)\/(\d+)\/(Notes|Deals)$/, 'records.related', (p, q) => {
      const m = moduleOf(p[0]!);
      if (isReply(m)) return m;
      const parent = rows.get(p[1]!);
      if (!parent || parent.module !== m) return err(400, 'INVALID_DATA', 'the related id given seems to be invalid', { api_name: 'id' });
      const rel = p[2] as 'Notes' | 'Deals';
      if (rel === 'Deals' && m !== 'Contacts') return err(400, 'INVALID_DATA', 'the relation name given seems to be invalid', { api_name: 'related_list' });
      const want = wantFields(q, rel);
      if (isReply(want)) return want;
      const list = [...rows.values()].filter((r) => r.module === rel && (rel === 'Notes' ? (r.values.Parent_Id as { id: string }).id === parent.id : (r.values.Contact_Name as { id?: string } | undefined)?.id === parent.id));
      return page(sorted(list, q), q, want);
    }],
    ['GET', /^\/crm\/v8\/([A-Za-z_]+)\/(\d+)$/, 'records.get', (p, q) => {
      const m = moduleOf(p[0]!);
      if (isReply(m)) return m;
      const want = q.get('fields') ? wantFields(q, m) : undefined;
      if (isReply(want)) return want;
      const r = rows.get(p[1]!);
      if (!r || r.module !== m) return { status: 204 };
      return { status: 200, body: { data: [view(r, want)] } };
    }],
    ['PUT', /^\/crm\/v8\/([A-Za-z_]+)\/(\d+)$/, 'records.update', (p, _q, body) => {
      const m = moduleOf(p[0]!);
      if (isReply(m)) return m;
      const data = dataOf(body);
      if (isReply(data)) return data;
      const r = rows.get(p[1]!);
      if (!r || r.module !== m) return recErr(400, 'INVALID_DATA', 'the related id given seems to be invalid', { api_name: 'id', json_path: '$.data[0].id' });
      const vals = check(m, data[0]!, 0, false, r.id);
      if (isReply(vals)) return vals;
      Object.assign(r.values, vals);
      r.Modified_Time = now();
      return { status: 200, body: { data: [success(r, 'update')] } };
    }],
    ['GET', /^\/crm\/v8\/([A-Za-z_]+)$/, 'records.list', (p, q, _b, h) => {
      const m = moduleOf(p[0]!);
      if (isReply(m)) return m;
      const want = wantFields(q, m);
      if (isReply(want)) return want;
      let list = [...rows.values()].filter((r) => r.module === m);
      const ims = h['if-modified-since'];
      if (typeof ims === 'string') {
        const t = Date.parse(ims);
        if (!Number.isFinite(t)) return err(400, 'INVALID_DATA', 'invalid data', { param_name: 'If-Modified-Since' });
        list = list.filter((r) => r.Modified_Time > t);
        if (!list.length) return { status: 304 };
      }
      return page(sorted(list, q), q, want);
    }],
    ['POST', /^\/crm\/v8\/([A-Za-z_]+)$/, 'records.create', (p, _q, body) => {
      const m = moduleOf(p[0]!);
      if (isReply(m)) return m;
      const data = dataOf(body);
      if (isReply(data)) return data;
      const out = [];
      for (const [i, rec] of data.entries()) {
        const vals = check(m, rec, i, true);
        if (isReply(vals)) return m === 'Notes' ? { ...vals, status: 202 } : vals;
        out.push(success(insert(m, vals)));
      }
      return { status: 200, body: { data: out } };
    }],
  ];

  /** GET /oauth/v2/auth: the user consents at once; a redirect to the client's redirect_uri with code, location and accounts-server (Zoho adds both). */
  const codes = new Map<string, { redirectUri: string; scope: string }>();
  const redirectUri = 'https://liaisontestextension.chromiumapp.org/';
  function authorize(q: URLSearchParams): Reply {
    if (q.get('client_id') !== client.id) return { status: 400, body: { error: 'invalid_client' } };
    if (q.get('response_type') !== 'code' || q.get('redirect_uri') !== redirectUri || !q.get('scope')) return { status: 400, body: { error: 'invalid_request' } };
    const code = `1000.${crypto.randomUUID().replace(/-/g, '')}`;
    codes.set(code, { redirectUri, scope: q.get('scope')! });
    const to = new URL(redirectUri);
    to.searchParams.set('code', code);
    if (q.get('state')) to.searchParams.set('state', q.get('state')!);
    to.searchParams.set('location', 'us');
    to.searchParams.set('accounts-server', 'https://accounts.zoho.com');
    return { status: 302, headers: { location: to.toString() } };
  }

  function tokenEndpoint(form: URLSearchParams): Reply {
    if (form.get('client_id') !== client.id || form.get('client_secret') !== client.secret) return { status: 200, body: { error: 'invalid_client' } };
    if (form.get('grant_type') === 'authorization_code') {
      // A code is single-use; a wrong or reused one is HTTP 200 {"error":"invalid_code"}.
      const c = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (!c || form.get('redirect_uri') !== c.redirectUri) return { status: 200, body: { error: 'invalid_code' } };
      const rt = `1000.refresh.${crypto.randomUUID().slice(0, 12)}`;
      refreshTokens.add(rt);
      return { status: 200, body: { access_token: issue(), refresh_token: rt, scope: c.scope, api_domain: 'https://www.zohoapis.com', token_type: 'Bearer', expires_in: 3600 } };
    }
    if (form.get('grant_type') !== 'refresh_token') return { status: 200, body: { error: 'unsupported_grant_type' } };
    if (!refreshTokens.has(form.get('refresh_token') ?? '')) return { status: 200, body: { error: 'invalid_code' } };
    refreshCount++;
    return { status: 200, body: { access_token: issue(), api_domain: 'https://www.zohoapis.com', token_type: 'Bearer', expires_in: 3600 } };
  }

  function send(res: ServerResponse, entry: RequestLogEntry, reply: Reply) {
    entry.status = reply.status;
    res.writeHead(reply.status, { ...(reply.body !== undefined ? { 'content-type': 'application/json;charset=UTF-8' } : {}), date: new Date(now()).toUTCString(), ...reply.headers });
    res.end(reply.body !== undefined ? JSON.stringify(reply.body) : undefined);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const isToken = method === 'POST' && url.pathname === '/oauth/v2/token';
    if (method === 'GET' && url.pathname === '/oauth/v2/auth') {
      requests.push({ at: now(), method, path: url.pathname, api: 'oauth.authorize', status: 0, outcome: 'replied' });
      return send(res, requests[requests.length - 1]!, authorize(url.searchParams));
    }
    const hit = ROUTES.find(([m, re]) => m === method && re.test(url.pathname));
    const api = isToken ? 'oauth.token' : hit?.[2] ?? 'unknown';
    const entry: RequestLogEntry = { at: now(), method, path: url.pathname, api, status: 0, outcome: 'replied' };
    requests.push(entry);
    if (down) { entry.outcome = 'refused'; req.socket.destroy(); return; }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    // A fault that stops the request before Zoho looks at it (a dropped connection, a 503 from the
    // edge) is decided first, as in the other emulators: a session ended by the scenario is then met
    // by this very request, not by whichever request happens to come next.
    const fault = hit || isToken ? faults.take(api, { api }) : undefined;
    if (fault && !fault.commit) {
      if (fault.kind === 'drop') { entry.outcome = 'dropped'; req.socket.destroy(); return; }
      return send(res, entry, err(fault.status ?? 500, 'INTERNAL_ERROR', 'Internal Server Error', {}));
    }
    if (isToken) return send(res, entry, tokenEndpoint(new URLSearchParams(raw || url.search)));
    const auth = /^Zoho-oauthtoken (\S+)$/.exec(req.headers.authorization ?? '');
    const exp = auth ? access.get(auth[1]!) : undefined;
    if (!auth || exp === undefined || exp <= now()) return send(res, entry, err(401, 'INVALID_TOKEN', 'invalid oauth token', {}));
    if (!hit) return send(res, entry, err(400, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one', {}));
    if (now() < limitedUntil || inFlight >= concurrency) return send(res, entry, err(429, 'TOO_MANY_REQUESTS', 'You have made too many requests within a short span of time. Please try after some time', {}));
    let body: unknown;
    if (raw) {
      if (!/application\/json/.test(req.headers['content-type'] ?? '')) return send(res, entry, err(400, 'INVALID_DATA', 'Content-Type must be application/json', {}));
      try { body = JSON.parse(raw); } catch { return send(res, entry, err(400, 'INVALID_DATA', 'body is not valid JSON', {})); }
    } else if (method === 'POST' || method === 'PUT') return send(res, entry, err(400, 'INVALID_DATA', 'the request body is missing', {}));
    inFlight++;
    try {
      const params = (hit[1].exec(url.pathname) ?? []).slice(1).map(decodeURIComponent);
      const run = () => hit[3](params, url.searchParams, body, req.headers);
      if (!fault) return send(res, entry, run());
      if (fault.commit) run();
      if (fault.kind === 'drop') { entry.outcome = 'dropped'; res.socket?.destroy(); return; }
      return send(res, entry, err(fault.status ?? 500, 'INTERNAL_ERROR', 'Internal Server Error', {}));
    } finally {
      inFlight--;
    }
  }

  const server = createServer((req, res) => void handle(req, res).catch((e) => { res.writeHead(500); res.end(String(e)); }));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const control = {
    /** A colleague (王强) adds or edits records in Zoho's UI, validated like the API. */
    addRecord(module: Module, values: Record<string, unknown>, owner = 1): string {
      const vals = check(module, values, 0, true);
      if (isReply(vals)) throw new Error(JSON.stringify(vals.body));
      return insert(module, vals, owner).id;
    },
    editRecord(id: string, values: Record<string, unknown>): void {
      const r = rows.get(id);
      if (!r) throw new Error(`no record ${id}`);
      const vals = check(r.module, values, 0, false, id);
      if (isReply(vals)) throw new Error(JSON.stringify(vals.body));
      Object.assign(r.values, vals);
      r.Modified_Time = now();
    },
    deleteRecord: (id: string) => void rows.delete(id),
    rows: (module: Module) => [...rows.values()].filter((r) => r.module === module),
    failNext(f: { api?: string; status?: number; count?: number; commit?: boolean } = {}) {
      faults.push({ kind: 'fail', left: f.count ?? 1, ...(f.api ? { api: f.api } : {}), ...(f.status ? { status: f.status } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    dropNext(f: { api?: string; commit?: boolean } = {}) {
      faults.push({ kind: 'drop', left: 1, ...(f.api ? { api: f.api } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    setFaultPolicy: (p: ((entry: { api: string }) => Omit<Fault, 'left'> | undefined) | undefined) => faults.setPolicy(p),
    /** Every access token expires now (an hour passed); the refresh token still works. */
    expireTokens() { for (const k of access.keys()) access.set(k, 0); },
    revokeRefreshToken() { refreshTokens.clear(); },
    rateLimitFor(ms: number) { limitedUntil = now() + ms; },
    setDown(v: boolean) { down = v; },
    clearLog() { requests.length = 0; },
    refreshes: () => refreshCount,
  };
  return { url, token, refreshToken: '1000.refresh.liaison-test', client, redirectUri, state: { rows, fields }, requests, control, close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }) };
}
export type ZohoEmulator = Awaited<ReturnType<typeof startZohoEmulator>>;
