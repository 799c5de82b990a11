// A strict emulator of a Dataverse environment (Web API v9.2) and its Entra sign-in, for the
// Dynamics adapter's contract and fault tests. Dataverse publishes no machine-readable API
// description Liaison can validate against (its $metadata CSDL is per environment and needs a
// signed-in user), so this follows learn.microsoft.com/power-apps/developer/data-platform/webapi/
// (read 2026-12-06: create-entity-web-api, update-delete-entities-using-web-api, query-data-web-api,
// compose-http-requests-handle-errors, query-metadata-web-api, reference/whoami) and
// /power-apps/developer/data-platform/api-limits, plus shared/reference/crm-apis.md § Dynamics.
// What it enforces:
// - Authorization: Bearer <live token from oauth.ts>; otherwise 401 with an empty body and
//   WWW-Authenticate: Bearer authorization_uri=…, as the service answers.
// - Queries: odata.ts ($select/$filter/$orderby/$top; unknown columns and functions refused 400
//   0x80060888); paging with Prefer: odata.maxpagesize=N (default and max 5000) → @odata.nextLink
//   with $skiptoken over a result fixed at the first page; Prefer: odata.include-annotations
//   adds FormattedValue annotations for lookups and statecode.
// - Writes: bodies checked column by column (an unknown property → 400 0x80048d19 naming it; a
//   read-only column, a text too long for its column, a wrong type → 400 naming the column);
//   @odata.bind must name an existing row of the navigation's target set (else 404
//   0x80040217). POST creates (204 + OData-EntityId, or 201 + body with return=representation).
//   PATCH <set>(<id>) is an upsert: If-None-Match: * → create only (412 0x80040237 when the row
//   exists), If-Match: * → update only (404 when it does not), If-Match: <etag> → 412
//   0x80060882 when the row changed. ETags are W/"<versionnumber>".
// - Service protection (api-limits): per user, 6,000 requests in a 5-minute sliding window (a
//   constructor option for tests) and 52 concurrent requests; past either: 429 with Retry-After
//   (seconds) and the documented codes 0x80072322 / 0x80072326. throttleFor(ms) opens a window.
// Faults: queued (failNext, dropNext) or a per-request policy (the fault tests): an error status
// (500 after committing = a lost reply), a dropped connection before or after committing.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultQueue } from '../fault-queue';
import { matches, ODataError, parseFilter, parseOrderBy, parseSelect } from './odata';
import { authorize, bearerOk, GRANT_LIFETIME_MS, token, type OAuthState } from './oauth';
import { queryable, tableByLogical, tableBySet, TABLES, type Table } from './tables';

export interface DvRow {
  [column: string]: unknown;
}
export interface RequestLogEntry { at: number; method: string; path: string; api: string; status: number; code?: string; retryAfterMs?: number; outcome: 'replied' | 'dropped'; query?: Record<string, string>; headers: Record<string, string>; body?: unknown }
export type PolicyFault = { kind: 'error'; status: number; commit?: boolean } | { kind: 'drop'; commit?: boolean };
interface QueuedFault { api?: string; left: number; kind: 'error' | 'drop'; status?: number; commit?: boolean }

export interface DynamicsEmulatorOptions {
  now?: () => number;
  /** Requests per user per 5-minute window (6,000 in the service). */
  windowLimit?: number;
  accessTtlMs?: number;
  /** The grant's fixed lifetime from sign-in (24 h, Entra's single-page-app refresh tokens). */
  grantLifetimeMs?: number;
  redirectUri?: string;
}

export const DEFAULT_REDIRECT_URI = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
export const USER = { id: '6f1c1a5e-2d3b-4c5d-8e9f-0a1b2c3d4e5f', fullname: '张伟', domainname: 'zhangwei@contoso.onmicrosoft.com' };
export const ORG = { id: '0d1e2f3a-4b5c-4d6e-9f70-8192a3b4c5d6', name: 'Contoso 贷款' };
const BU = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const WINDOW_MS = 5 * 60_000;
const CONCURRENT = 52;
const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function startDynamicsEmulator(o: DynamicsEmulatorOptions = {}) {
  const now = o.now ?? Date.now;
  const rows = new Map<string, Map<string, DvRow>>(TABLES.map((t) => [t.set, new Map()]));
  const requests: RequestLogEntry[] = [];
  const faults = createFaultQueue<QueuedFault, RequestLogEntry>();
  const iterators = new Map<string, { ids: string[]; pos: number; base: string }>();
  const hits: number[] = [];
  let inFlight = 0;
  let throttledUntil = 0;
  let version = 1000;
  let url = '';
  const oauth: OAuthState = {
    tenant: 'contoso.onmicrosoft.com',
    clientId: '11111111-2222-4333-8444-555555555555',
    redirectUri: o.redirectUri ?? DEFAULT_REDIRECT_URI,
    resource: '',
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    tokenRequests: { authorization_code: 0, refresh_token: 0 },
    accessTtlMs: o.accessTtlMs ?? 3600_000,
    grantLifetimeMs: o.grantLifetimeMs ?? GRANT_LIFETIME_MS,
  };

  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const etagOf = (r: DvRow) => `W/"${r.versionnumber}"`;
  const dvError = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });
  type Res = { status: number; body?: unknown; headers?: Record<string, string>; text?: string };

  function project(t: Table, r: DvRow, select: string[] | undefined, formatted: boolean): DvRow {
    const out: DvRow = { '@odata.etag': etagOf(r) };
    const cols = select ?? Object.keys(t.attrs).map((a) => (t.attrs[a]!.type === 'Lookup' ? `_${a}_value` : a));
    for (const c of cols) {
      const lookup = /^_(\w+)_value$/.exec(c);
      const v = lookup ? (r[lookup[1]!] as { id: string } | undefined)?.id ?? null : (r[c] ?? null);
      out[c] = v;
      if (formatted && lookup && lookup[1] === 'createdby' && v) out[`${c}@${FORMATTED}`] = USER.fullname;
      if (formatted && lookup && lookup[1] === 'objectid' && v) out[`${c}@Microsoft.Dynamics.CRM.lookuplogicalname`] = r.objecttypecode;
      if (formatted && c === 'statecode') out[`${c}@${FORMATTED}`] = ['Open', 'Won', 'Lost'][Number(v)] ?? 'Active';
    }
    if (!(t.key in out)) out[t.key] = r[t.key];
    return out;
  }

  /** Checks a write body; returns the columns to set or an error reply. */
  function readBody(t: Table, body: unknown, creating: boolean): { set: DvRow } | Res {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return dvError(400, '0x80048d19', 'Error identified in Payload provided by the user for Entity :\'\'. The request body must be a JSON object.');
    const set: DvRow = {};
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      const bind = /^(\w+)@odata\.bind$/.exec(k);
      if (bind) {
        const nav = t.navs.find((n) => n.name === bind[1]);
        if (!nav) return dvError(400, '0x80048d19', `Error identified in Payload provided by the user for Entity :'${t.set}'. ----> InnerException : Microsoft.OData.ODataException: An undeclared property '${bind[1]}' which only has property annotations in the payload but no property value was found in the payload.`);
        const m = typeof v === 'string' ? /^\/?(\w+)\(([0-9a-f-]{36})\)$/i.exec(v) : null;
        if (!m || m[1] !== nav.target) return dvError(400, '0x80048d19', `Error identified in Payload provided by the user for Entity :'${t.set}'. The value of '${k}' is not a reference to ${nav.target}.`);
        const target = rows.get(nav.target)!.get(m[2]!.toLowerCase());
        if (!target) return dvError(404, '0x80040217', `${tableBySet(nav.target)!.logical} With Id = ${m[2]} Does Not Exist`);
        set[nav.column] = { id: m[2]!.toLowerCase(), set: nav.target };
        continue;
      }
      const a = t.attrs[k];
      if (!a || a.type === 'Lookup') return dvError(400, '0x80048d19', `Error identified in Payload provided by the user for Entity :'${t.set}'. ----> InnerException : Microsoft.OData.ODataException: The property '${k}' does not exist on type 'Microsoft.Dynamics.CRM.${t.logical}'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
      if (!a.writable || (k === t.key && !creating)) return dvError(400, '0x80048d19', `The property '${k}' cannot be set: it is not valid for ${creating ? 'create' : 'update'} on type 'Microsoft.Dynamics.CRM.${t.logical}'.`);
      if (v === null) {
        set[k] = null;
        continue;
      }
      const bad = () => dvError(400, '0x80048d19', `Error identified in Payload provided by the user for Entity :'${t.set}'. Cannot convert the literal '${String(v).slice(0, 50)}' to the expected type of the property '${k}' (${a.type}).`);
      if (a.type === 'String' || a.type === 'Memo') {
        if (typeof v !== 'string') return bad();
        if (a.maxLength !== undefined && v.length > a.maxLength) return dvError(400, '0x80044331', `A validation error occurred. The length of the '${k}' attribute of the '${t.logical}' entity exceeded the maximum allowed length of '${a.maxLength}'.`);
      } else if (a.type === 'DateTime') {
        if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/.test(v) || Number.isNaN(Date.parse(v))) return bad();
      } else if (a.type === 'Money' || a.type === 'Decimal') {
        if (typeof v !== 'number' || !Number.isFinite(v)) return bad();
      } else if (a.type === 'Integer' || a.type === 'Picklist' || a.type === 'State') {
        if (!Number.isInteger(v)) return bad();
      } else if (a.type === 'Uniqueidentifier') {
        if (typeof v !== 'string' || !GUID.test(v)) return bad();
      }
      set[k] = v;
    }
    return { set };
  }

  function stamp(t: Table, r: DvRow): void {
    r.versionnumber = ++version;
    r.modifiedon = iso(now());
    if (t.logical === 'contact' || t.logical === 'lead') r.fullname = [r.firstname, r.lastname].filter((x) => typeof x === 'string' && x).join(' ') || null;
  }

  function insert(t: Table, id: string, set: DvRow): DvRow {
    // A note's objecttypecode is the logical name of the row it is attached to.
    const regarding = t.logical === 'annotation' ? (set.objectid as { set: string } | undefined) : undefined;
    if (regarding) set = { ...set, objecttypecode: tableBySet(regarding.set)!.logical };
    const r: DvRow = { statecode: 0, ...set, [t.key]: id, createdon: iso(typeof set.overriddencreatedon === 'string' ? Date.parse(set.overriddencreatedon) : now()), createdby: { id: USER.id, set: 'systemusers' } };
    stamp(t, r);
    rows.get(t.set)!.set(id, r);
    return r;
  }

  function written(t: Table, r: DvRow, prefer: string, status: number): Res {
    const entityId = `${url}/api/data/v9.2/${t.set}(${r[t.key]})`;
    if (/return=representation/.test(prefer)) return { status: status === 204 ? 200 : status, body: { '@odata.context': `${url}/api/data/v9.2/$metadata#${t.set}/$entity`, ...project(t, r, undefined, false) }, headers: { 'OData-EntityId': entityId, ETag: etagOf(r), 'Preference-Applied': 'return=representation' } };
    return { status: 204, headers: { 'OData-EntityId': entityId } };
  }

  function query(t: Table, q: URLSearchParams, prefer: string): Res {
    const token = q.get('$skiptoken');
    const pageSize = Math.min(Number(/odata\.maxpagesize=(\d+)/.exec(prefer)?.[1] ?? 5000), 5000);
    const formatted = /odata\.include-annotations="?([^",]*)"?/.exec(prefer)?.[1];
    const withFormatted = formatted === '*' || formatted === FORMATTED;
    for (const k of q.keys()) if (!['$select', '$filter', '$orderby', '$top', '$skiptoken'].includes(k)) return dvError(400, '0x80060888', `The query parameter ${k} is not supported`);
    const has = (a: string) => queryable(t, a);
    const select = q.has('$select') ? parseSelect(q.get('$select')!, has, t.logical) : undefined;
    let it: { ids: string[]; pos: number; base: string };
    if (token) {
      const found = iterators.get(token);
      if (!found) return dvError(400, '0x80040203', 'Invalid paging cookie: the $skiptoken is not valid or has expired.');
      it = found;
      iterators.delete(token);
    } else {
      const filter = q.has('$filter') ? parseFilter(q.get('$filter')!, has, t.logical) : undefined;
      const order = q.has('$orderby') ? parseOrderBy(q.get('$orderby')!, has, t.logical) : [];
      const top = q.has('$top') ? Number(q.get('$top')) : undefined;
      if (top !== undefined && (!Number.isInteger(top) || top < 0)) return dvError(400, '0x80060888', `Invalid value '${q.get('$top')}' for $top query option found.`);
      const value = (r: DvRow, c: string) => {
        const m = /^_(\w+)_value$/.exec(c);
        return m ? (r[m[1]!] as { id: string } | undefined)?.id ?? null : r[c];
      };
      let list = [...rows.get(t.set)!.values()].filter((r) => !filter || matches(filter, new Proxy(r, { get: (x, c: string) => value(x, c) })));
      list.sort((a, b) => {
        for (const { attr, desc } of order) {
          const x = value(a, attr) as string | number | null;
          const y = value(b, attr) as string | number | null;
          if (x === y) continue;
          const c = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
          return desc ? -c : c;
        }
        return 0;
      });
      if (top !== undefined) list = list.slice(0, top);
      const base = new URLSearchParams(q);
      it = { ids: list.map((r) => String(r[t.key])), pos: 0, base: base.toString() };
      // $top switches paging off (query-data-web-api: "don't use $top with odata.maxpagesize").
      if (top !== undefined) return { status: 200, body: { '@odata.context': `${url}/api/data/v9.2/$metadata#${t.set}`, value: list.map((r) => project(t, r, select, withFormatted)) } };
    }
    const ids = it.ids.slice(it.pos, it.pos + pageSize);
    const value = ids.flatMap((id) => {
      const r = rows.get(t.set)!.get(id);
      return r ? [project(t, r, select, withFormatted)] : [];
    });
    const body: Record<string, unknown> = { '@odata.context': `${url}/api/data/v9.2/$metadata#${t.set}`, value };
    if (it.pos + pageSize < it.ids.length) {
      const next = crypto.randomUUID();
      iterators.set(next, { ...it, pos: it.pos + pageSize });
      const p = new URLSearchParams(it.base);
      p.set('$skiptoken', next);
      body['@odata.nextLink'] = `${url}/api/data/v9.2/${t.set}?${p.toString()}`;
    }
    return { status: 200, body, headers: /odata\.maxpagesize/.test(prefer) ? { 'Preference-Applied': `odata.maxpagesize=${pageSize}` } : {} };
  }

  function data(method: string, path: string, q: URLSearchParams, h: Record<string, string>, body: unknown, commit: { done: boolean }): Res {
    const prefer = h.prefer ?? '';
    if (path === 'WhoAmI' && method === 'GET') return { status: 200, body: { '@odata.context': `${url}/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`, BusinessUnitId: BU, UserId: USER.id, OrganizationId: ORG.id } };
    if (path === `systemusers(${USER.id})` && method === 'GET') return { status: 200, body: { '@odata.etag': 'W/"1"', systemuserid: USER.id, fullname: USER.fullname, domainname: USER.domainname } };
    if (path === 'organizations' && method === 'GET') return { status: 200, body: { value: [{ '@odata.etag': 'W/"1"', organizationid: ORG.id, name: ORG.name }] } };
    const meta = /^EntityDefinitions\(LogicalName='(\w+)'\)\/Attributes$/.exec(path);
    if (meta && method === 'GET') {
      const t = tableByLogical(meta[1]!);
      if (!t) return dvError(404, '0x80060888', `Could not find entity with LogicalName = '${meta[1]}'.`);
      return {
        status: 200,
        body: { value: Object.entries(t.attrs).map(([name, a]) => ({ '@odata.type': '#Microsoft.Dynamics.CRM.AttributeMetadata', LogicalName: name, AttributeType: a.type, IsValidForCreate: a.writable, DisplayName: { LocalizedLabels: [{ Label: a.label, LanguageCode: 1033 }], UserLocalizedLabel: { Label: a.label, LanguageCode: 1033 } } })) },
      };
    }
    const m = /^(\w+)(?:\(([^)]*)\))?$/.exec(path);
    const t = m ? tableBySet(m[1]!) : undefined;
    if (!m || !t) return dvError(404, '0x80060888', `Resource not found for the segment '${path.split(/[/(]/)[0]}'.`);
    const idRaw = m[2];
    if (idRaw === undefined) {
      if (method === 'GET') return query(t, q, prefer);
      if (method !== 'POST') return dvError(405, '0x80060888', `The HTTP method '${method}' is not allowed on ${t.set}.`);
      const parsed = readBody(t, body, true);
      if ('status' in parsed) return parsed;
      const id = typeof parsed.set[t.key] === 'string' ? (parsed.set[t.key] as string).toLowerCase() : crypto.randomUUID();
      if (rows.get(t.set)!.has(id)) return dvError(412, '0x80040237', 'A record with matching key values already exists.');
      const r = insert(t, id, parsed.set);
      commit.done = true;
      return written(t, r, prefer, 201);
    }
    if (!GUID.test(idRaw)) return dvError(400, '0x80060888', `Bad Request - Error in query syntax: the key '${idRaw}' is not a GUID.`);
    const id = idRaw.toLowerCase();
    const existing = rows.get(t.set)!.get(id);
    const missing = () => dvError(404, '0x80040217', `${t.logical} With Id = ${id} Does Not Exist`);
    if (method === 'GET') {
      if (Object.keys(Object.fromEntries(q)).some((k) => k !== '$select')) return dvError(400, '0x80060888', 'Only $select is supported on a single row here.');
      const select = q.has('$select') ? parseSelect(q.get('$select')!, (a) => queryable(t, a), t.logical) : undefined;
      if (!existing) return missing();
      return { status: 200, body: { '@odata.context': `${url}/api/data/v9.2/$metadata#${t.set}/$entity`, ...project(t, existing, select, false) }, headers: { ETag: etagOf(existing) } };
    }
    if (method === 'DELETE') {
      if (!existing) return missing();
      rows.get(t.set)!.delete(id);
      commit.done = true;
      return { status: 204 };
    }
    if (method !== 'PATCH') return dvError(405, '0x80060888', `The HTTP method '${method}' is not allowed on a row.`);
    const ifMatch = h['if-match'];
    const ifNone = h['if-none-match'];
    if (ifNone !== undefined && ifNone !== '*' && ifNone !== 'null') return dvError(400, '0x80060888', 'If-None-Match on PATCH takes * only.');
    if (ifNone === '*' && existing) return dvError(412, '0x80040237', 'A record with matching key values already exists.');
    if (ifMatch !== undefined) {
      if (!existing) return missing();
      if (ifMatch !== '*' && ifMatch !== etagOf(existing)) return dvError(412, '0x80060882', "The version of the existing record doesn't match the RowVersion property provided.");
    }
    const parsed = readBody(t, body, !existing);
    if ('status' in parsed) return parsed;
    if (!existing) {
      const r = insert(t, id, parsed.set);
      commit.done = true;
      return written(t, r, prefer, 201);
    }
    Object.assign(existing, parsed.set);
    stamp(t, existing);
    commit.done = true;
    return written(t, existing, prefer, 204);
  }

  function apiOf(method: string, path: string): string {
    if (path.includes('/oauth2/v2.0/token')) return 'oauth.token';
    if (path.includes('/oauth2/v2.0/authorize')) return 'oauth.authorize';
    const p = path.replace(/^\/api\/data\/v9\.2\//, '');
    if (p === 'WhoAmI' || p.startsWith('systemusers') || p === 'organizations') return 'whoami';
    if (p.startsWith('EntityDefinitions')) return 'metadata';
    const m = /^(\w+)(\()?/.exec(p);
    const set = m?.[1] ?? '?';
    if (method === 'GET') return m?.[2] ? `read:${set}` : `query:${set}`;
    return method === 'POST' ? `create:${set}` : method === 'PATCH' ? `patch:${set}` : `${method.toLowerCase()}:${set}`;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', url);
    const method = req.method ?? 'GET';
    const h = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
    const api = apiOf(method, u.pathname);
    const entry: RequestLogEntry = { at: now(), method, path: u.pathname, api, status: 0, outcome: 'replied', query: Object.fromEntries(u.searchParams), headers: h };
    let body: unknown;
    if (raw && (h['content-type'] ?? '').includes('json')) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = Symbol('bad json');
      }
    }
    if (body !== undefined && typeof body !== 'symbol') entry.body = body;
    requests.push(entry);
    const send = (r: Res) => {
      entry.status = r.status;
      const code = (r.body as { error?: { code?: string } } | undefined)?.error?.code;
      if (code) entry.code = code;
      const ra = r.headers?.['Retry-After'];
      if (ra !== undefined) entry.retryAfterMs = Number(ra) * 1000;
      const headers: Record<string, string> = { 'OData-Version': '4.0', ...r.headers };
      if (r.body !== undefined) headers['content-type'] = 'application/json; odata.metadata=minimal';
      res.writeHead(r.status, headers);
      res.end(r.body !== undefined ? JSON.stringify(r.body) : (r.text ?? ''));
    };
    const fault = faults.take(api, entry);
    if (fault && !fault.commit) {
      if (fault.kind === 'drop') {
        entry.outcome = 'dropped';
        req.socket.destroy();
        return;
      }
      return send(dvError(fault.status ?? 500, '0x80040216', 'An unexpected error occurred.'));
    }
    // The request's time is when it arrived (the logged time, taken before the body was read): the
    // service protection window counts requests as they arrive, and a second clock reading after
    // the body drifts from the log under load.
    const t = entry.at;
    // OAuth endpoints: Entra, not the environment.
    const login = /^\/([^/]+)\/oauth2\/v2\.0\/(authorize|token)$/.exec(u.pathname);
    if (login) {
      const r = login[2] === 'authorize' && method === 'GET' ? authorize(oauth, decodeURIComponent(login[1]!), u.searchParams, t) : login[2] === 'token' && method === 'POST' ? token(oauth, decodeURIComponent(login[1]!), h['content-type'], raw, t) : { status: 405, text: 'method not allowed' };
      return finish(r);
    }
    if (!u.pathname.startsWith('/api/data/v9.2/')) return send(dvError(404, '0x80060888', `Resource not found for the segment '${u.pathname}'.`));
    if (!bearerOk(oauth, h.authorization, t)) return send({ status: 401, headers: { 'WWW-Authenticate': `Bearer authorization_uri=${url}/${oauth.tenant}/oauth2/authorize, resource_id=${url}` } });
    // Service protection limits, per user (one user here).
    while (hits.length && hits[0]! <= t - WINDOW_MS) hits.shift();
    if (t < throttledUntil) return send({ ...dvError(429, '0x80072322', `Number of requests exceeded the limit of ${o.windowLimit ?? 6000} over time window of 300 seconds.`), headers: { 'Retry-After': String(Math.ceil((throttledUntil - t) / 1000)) } });
    if (hits.length >= (o.windowLimit ?? 6000)) return send({ ...dvError(429, '0x80072322', `Number of requests exceeded the limit of ${o.windowLimit ?? 6000} over time window of 300 seconds.`), headers: { 'Retry-After': String(Math.max(1, Math.ceil((hits[0]! + WINDOW_MS - t) / 1000))) } });
    if (inFlight >= CONCURRENT) return send({ ...dvError(429, '0x80072326', `Number of concurrent requests exceeded the limit of ${CONCURRENT}.`), headers: { 'Retry-After': '1' } });
    hits.push(t);
    inFlight++;
    try {
      if (typeof body === 'symbol') return send(dvError(400, '0x80048d19', 'Error identified in Payload provided by the user: the body is not valid JSON.'));
      const commit = { done: false };
      let r: Res;
      try {
        r = data(method, u.pathname.replace(/^\/api\/data\/v9\.2\//, ''), u.searchParams, h, body, commit);
      } catch (e) {
        if (e instanceof ODataError) r = dvError(400, e.code, e.message);
        else throw e;
      }
      return finish(r);
    } finally {
      inFlight--;
    }

    function finish(r: Res) {
      if (fault?.commit) {
        if (fault.kind === 'drop') {
          entry.outcome = 'dropped';
          req.socket.destroy();
          return;
        }
        return send(dvError(fault.status ?? 500, '0x80040216', 'An unexpected error occurred.'));
      }
      return send(r);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: '0x80040216', message: String(e) } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  oauth.resource = `${url}/user_impersonation`;

  return {
    url,
    /** The environment URL (orgUrl) and the Entra login origin: one server here. */
    loginUrl: url,
    tenant: oauth.tenant,
    clientId: oauth.clientId,
    redirectUri: oauth.redirectUri,
    state: { requests, oauth },
    control: {
      rows: (set: string) => [...(rows.get(set)?.values() ?? [])],
      row: (set: string, id: string) => rows.get(set)?.get(id.toLowerCase()),
      /** A colleague's edit in the Dynamics UI: new version, new modifiedon. */
      edit(set: string, id: string, values: DvRow) {
        const t = tableBySet(set)!;
        const r = rows.get(set)!.get(id.toLowerCase());
        if (!r) throw new Error(`no ${set}(${id})`);
        Object.assign(r, values);
        stamp(t, r);
      },
      /** A row made in the Dynamics UI (a colleague's note, contact…). */
      seed(set: string, values: DvRow): DvRow {
        const t = tableBySet(set)!;
        const { lookups, ...rest } = values as DvRow & { lookups?: Record<string, { id: string; set: string }> };
        return insert(t, crypto.randomUUID(), { ...rest, ...(lookups ?? {}) });
      },
      remove: (set: string, id: string) => rows.get(set)?.delete(id.toLowerCase()),
      failNext: (api: string | undefined, status: number, left = 1, commit = false) => faults.push({ ...(api ? { api } : {}), left, kind: 'error', status, commit }),
      dropNext: (api: string | undefined, commit: boolean, left = 1) => faults.push({ ...(api ? { api } : {}), left, kind: 'drop', commit }),
      setFaultPolicy: (p: ((entry: RequestLogEntry) => PolicyFault | undefined) | undefined) => faults.setPolicy(p as never),
      throttleFor: (ms: number) => {
        throttledUntil = now() + ms;
      },
      expireTokens: () => {
        for (const k of oauth.accessTokens.keys()) oauth.accessTokens.set(k, 0);
      },
      clearLog: () => {
        requests.length = 0;
      },
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export type DynamicsEmulator = Awaited<ReturnType<typeof startDynamicsEmulator>>;
