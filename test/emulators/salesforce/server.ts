// A strict emulator of a Salesforce org for the connector's contract tests: the OAuth web server
// flow with PKCE (oauth.ts), REST sObjects Lead/Contact/Task/Opportunity with field validation
// (objects.ts), a Lead email duplicate rule, External ID upserts, a SOQL/SOSL subset (query.ts),
// sObject Collections (≤ 200), the daily API allocation (Sforce-Limit-Info on every REST reply,
// 403 REQUEST_LIMIT_EXCEEDED when spent), expiring sessions (401 INVALID_SESSION_ID) and faults.
// It rejects what Salesforce rejects; an emulator that accepts anything tests nothing.
import { createFaultQueue } from '../fault-queue';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { checkWrite, KEY_PREFIX, OBJECT_NAMES, OBJECTS, type FieldDef, type ObjectName, type SfErr } from './objects';
import { authorize, bearerOk, token, type OAuthState, type Reply } from './oauth';
import { parseSoql, parseSosl, QueryError } from './query';

export interface SalesforceEmulatorOptions {
  clientId?: string;
  /** The connected app's callback URL (exact match). */
  redirectUri?: string;
  dailyLimit?: number;
  /** Access token lifetime (the org's session timeout). */
  sessionTtlMs?: number;
  latencyMs?: number;
  now?: () => number;
}

export interface EmRecord {
  Id: string;
  type: ObjectName;
  fields: Record<string, unknown>;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  api: string;
  status: number;
  errorCode?: string;
  outcome: 'replied' | 'dropped' | 'refused';
  records?: number;
}

export interface Fault {
  /** Route id ('sobject.create', 'sobject.upsert', 'composite.upsert', 'query', 'oauth.token'…); any when absent. */
  api?: string;
  count?: number;
  /** Process the request (commit a write) before answering with the fault. */
  commit?: boolean;
}

export interface SalesforceEmulatorControl {
  /** Inserts a record directly (validated like an insert, no API usage). Returns its Id. */
  seed(object: ObjectName, fields: Record<string, unknown>): string;
  records(object: ObjectName): EmRecord[];
  setLatency(ms: number): void;
  /** The org's daily allocation; `used` resets the counter. */
  setDailyLimit(max: number, used?: number): void;
  /** Every issued access token expires now. */
  expireTokens(): void;
  /** Access tokens expire after `n` more authenticated REST requests (mid-batch expiry). */
  expireTokensAfter(n: number): void;
  revokeRefreshTokens(): void;
  /** The next authorization answers access_denied (the user clicked Deny). */
  denyNextAuthorization(): void;
  /** Whether `object` has the External ID field Liaison_Id__c (all four have it by default). */
  setExternalIdField(object: ObjectName, present: boolean): void;
  setDuplicateRule(on: boolean): void;
  /** An admin adds a field (e.g. Budget__c, currency): writable and in describe from now on. */
  addField(object: ObjectName, name: string, def: FieldDef): void;
  /** A validation rule: return an error message to reject the write (FIELD_CUSTOM_VALIDATION_EXCEPTION). */
  addValidationRule(object: ObjectName, rule: (fields: Record<string, unknown>) => string | undefined, field?: string): void;
  failNext(f: Fault & { status: number; errorCode?: string; message?: string }): void;
  /** The connection is cut after the request was processed (commit: true by default). */
  dropNext(f?: Fault): void;
  /**
   * The org is over its API allocation for the next `ms`: every REST request (after the session
   * check) answers 403 REQUEST_LIMIT_EXCEEDED, as when the rolling 24 h allowance is spent.
   */
  limitExceededFor(ms: number): void;
  /**
   * Asked for each request when no queued fault matches (before it is processed): the random
   * fault tests decide per request (lost reply after commit, 5xx) with it. Undefined clears.
   */
  setFaultPolicy(policy?: (req: RequestLogEntry) => PolicyFault | undefined): void;
  down(): void;
  up(): void;
  clearLog(): void;
}

/** A fault chosen by setFaultPolicy: an error status (and errorCode), or a dropped connection (after committing when `commit`). */
export type PolicyFault = { kind: 'error'; status: number; errorCode?: string; message?: string; commit?: boolean } | { kind: 'drop'; commit?: boolean };

export interface SalesforceEmulator {
  /** Instance URL (what instance_url points to) and REST root. */
  url: string;
  /** Login host (authorize/token live here; the same server). */
  loginUrl: string;
  clientId: string;
  redirectUri: string;
  state: {
    records: Map<string, EmRecord>;
    requests: RequestLogEntry[];
    oauth: OAuthState;
    api: { used: number; max: number };
  };
  control: SalesforceEmulatorControl;
  close(): Promise<void>;
}

export const EXTERNAL_ID_FIELD = 'Liaison_Id__c';
export const DEFAULT_REDIRECT_URI = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
const MAX_COLLECTION = 200;

type Params = { version: number; rest: string[] };
interface Route {
  api: string;
  method: string;
  match: RegExp;
  auth: 'none' | 'bearer' | 'rest';
}
const V = '/services/data/v(\\d+\\.\\d)';
const ROUTES: Route[] = [
  { api: 'oauth.authorize', method: 'GET', match: /^\/services\/oauth2\/authorize$/, auth: 'none' },
  { api: 'oauth.token', method: 'POST', match: /^\/services\/oauth2\/token$/, auth: 'none' },
  { api: 'userinfo', method: 'GET', match: /^\/services\/oauth2\/userinfo$/, auth: 'bearer' },
  { api: 'limits', method: 'GET', match: new RegExp(`^${V}/limits$`), auth: 'rest' },
  { api: 'query', method: 'GET', match: new RegExp(`^${V}/query$`), auth: 'rest' },
  { api: 'search', method: 'GET', match: new RegExp(`^${V}/search$`), auth: 'rest' },
  { api: 'composite.create', method: 'POST', match: new RegExp(`^${V}/composite/sobjects$`), auth: 'rest' },
  { api: 'composite.upsert', method: 'PATCH', match: new RegExp(`^${V}/composite/sobjects/([^/]+)/([^/]+)$`), auth: 'rest' },
  { api: 'sobject.describe', method: 'GET', match: new RegExp(`^${V}/sobjects/([^/]+)/describe$`), auth: 'rest' },
  { api: 'sobject.create', method: 'POST', match: new RegExp(`^${V}/sobjects/([^/]+)$`), auth: 'rest' },
  { api: 'sobject.get', method: 'GET', match: new RegExp(`^${V}/sobjects/([^/]+)/([^/]+)$`), auth: 'rest' },
  { api: 'sobject.update', method: 'PATCH', match: new RegExp(`^${V}/sobjects/([^/]+)/([^/]+)$`), auth: 'rest' },
  { api: 'sobject.getByExternalId', method: 'GET', match: new RegExp(`^${V}/sobjects/([^/]+)/([^/]+)/([^/]+)$`), auth: 'rest' },
  { api: 'sobject.upsert', method: 'PATCH', match: new RegExp(`^${V}/sobjects/([^/]+)/([^/]+)/([^/]+)$`), auth: 'rest' },
];
const WRITES = new Set(['composite.create', 'composite.upsert', 'sobject.create', 'sobject.update', 'sobject.upsert']);

const errs = (e: SfErr): Reply => ({ status: e.status, body: [{ message: e.message, errorCode: e.errorCode, fields: e.fields, ...(e.duplicateResult ? { duplicateResult: e.duplicateResult } : {}) }] });
const fail = (status: number, errorCode: string, message: string, fields: string[] = []): Reply => errs({ status, errorCode, message, fields });

export async function startSalesforceEmulator(opts: SalesforceEmulatorOptions = {}): Promise<SalesforceEmulator> {
  const now = opts.now ?? Date.now;
  const records = new Map<string, EmRecord>();
  const requests: RequestLogEntry[] = [];
  const oauth: OAuthState = {
    clientId: opts.clientId ?? '3MVG9emulator.ConsumerKey.Liaison0123456789',
    redirectUri: opts.redirectUri ?? DEFAULT_REDIRECT_URI,
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Set(),
    tokenRequests: { authorization_code: 0, refresh_token: 0 },
    denyNext: 0,
    sessionTtlMs: opts.sessionTtlMs ?? 2 * 3600_000,
  };
  const api = { used: 0, max: opts.dailyLimit ?? 15_000 };
  const externalId = new Set<ObjectName>(OBJECT_NAMES);
  const rules: { object: ObjectName; rule: (f: Record<string, unknown>) => string | undefined; field?: string }[] = [];
  let duplicateRule = true;
  let latency = opts.latencyMs ?? 0;
  let isDown = false;
  let expireAfter: number | undefined;
  let limitedUntil = 0;
  const faults = createFaultQueue<Fault & { kind: 'error' | 'drop'; left: number; status?: number; errorCode?: string; message?: string }, RequestLogEntry>();
  let url = '';

  /** Fields an admin added to the org (control.addField): custom fields end in __c. */
  const customFields = new Map<ObjectName, Record<string, FieldDef>>();
  const defsOf = (o: ObjectName): Record<string, FieldDef> => ({
    ...OBJECTS[o],
    ...customFields.get(o),
    ...(externalId.has(o) ? { [EXTERNAL_ID_FIELD]: { type: 'string', length: 100, externalId: true } satisfies FieldDef } : {}),
  });
  const isObject = (o: string): o is ObjectName => (OBJECT_NAMES as string[]).includes(o);
  const newId = (o: ObjectName) => `${KEY_PREFIX[o]}${randomBytes(12).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(12, 'A').slice(0, 12)}AAA`;
  const attrs = (r: EmRecord) => ({ type: r.type, url: `/services/data/v60.0/sobjects/${r.type}/${r.Id}` });
  const nameOf = (f: Record<string, unknown>) => [f.FirstName, f.LastName].filter((x) => typeof x === 'string' && x).join(' ');
  const digits = (s: unknown) => (typeof s === 'string' ? s.replace(/\D/g, '') : '');

  function project(r: EmRecord, fields: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = { attributes: attrs(r) };
    for (const f of fields) out[f] = f === 'Id' ? r.Id : (r.fields[f] ?? null);
    return out;
  }

  /** Duplicate rule "Standard Lead Duplicate Rule": same email (case-insensitive) blocks a new Lead. */
  function duplicateOf(o: ObjectName, fields: Record<string, unknown>): SfErr | undefined {
    if (!duplicateRule || o !== 'Lead' || typeof fields.Email !== 'string' || !fields.Email) return undefined;
    const email = fields.Email.toLowerCase();
    const matches = [...records.values()].filter((r) => r.type === 'Lead' && typeof r.fields.Email === 'string' && r.fields.Email.toLowerCase() === email);
    if (!matches.length) return undefined;
    return {
      status: 400,
      errorCode: 'DUPLICATES_DETECTED',
      message: 'Use one of these records?',
      fields: [],
      duplicateResult: {
        allowSave: false,
        duplicateRule: 'Standard_Lead_Duplicate_Rule',
        duplicateRuleEntityType: 'Lead',
        errorMessage: "You're creating a duplicate record. We recommend you use an existing record instead.",
        matchResults: [{
          entityType: 'Lead', errors: [], matchEngine: 'FuzzyMatchEngine', rule: 'Standard_Lead_Match_Rule_v1_0', size: matches.length, success: true,
          matchRecords: matches.map((m) => ({ additionalInformation: [], fieldDiffs: [], matchConfidence: 100, record: { attributes: attrs(m), Id: m.Id } })),
        }],
      },
    };
  }

  function validate(o: ObjectName, fields: Record<string, unknown>, mode: 'insert' | 'update', existing?: EmRecord): SfErr | undefined {
    const e = checkWrite({ object: o, fields, mode, defs: defsOf(o), lookup: (id) => records.get(id), ...(existing ? { existing: existing.fields } : {}) });
    if (e) return e;
    const merged = { ...(existing?.fields ?? {}), ...fields };
    for (const r of rules) {
      if (r.object !== o) continue;
      const msg = r.rule(merged);
      if (msg) return { status: 400, errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: msg, fields: r.field ? [r.field] : [] };
    }
    return mode === 'insert' ? duplicateOf(o, fields) : undefined;
  }

  function insert(o: ObjectName, fields: Record<string, unknown>): EmRecord {
    const f: Record<string, unknown> = {};
    for (const [k, d] of Object.entries(defsOf(o))) if (d.defaultValue !== undefined) f[k] = d.defaultValue;
    for (const [k, v] of Object.entries(fields)) if (k !== 'attributes' && v !== null) f[k] = v;
    if ('LastName' in OBJECTS[o]) f.Name = nameOf(f);
    const r: EmRecord = { Id: newId(o), type: o, fields: f };
    records.set(r.Id, r);
    return r;
  }

  function update(r: EmRecord, fields: Record<string, unknown>) {
    for (const [k, v] of Object.entries(fields)) {
      if (k === 'attributes') continue;
      if (v === null) delete r.fields[k];
      else r.fields[k] = v;
    }
    if ('LastName' in OBJECTS[r.type]) r.fields.Name = nameOf(r.fields);
  }

  function byExternalId(o: ObjectName, value: string): EmRecord[] {
    return [...records.values()].filter((r) => r.type === o && r.fields[EXTERNAL_ID_FIELD] === value);
  }

  const saveError = (e: SfErr) => ({ statusCode: e.errorCode, message: e.message, fields: e.fields, ...(e.duplicateResult ? { duplicateResult: e.duplicateResult } : {}) });

  /** One upsert; `inBody` says whether the external ID value came in the record (collections) or the URL. */
  function upsertOne(o: ObjectName, value: string, fields: Record<string, unknown>): { ok: true; id: string; created: boolean } | { ok: false; error: SfErr } {
    const found = byExternalId(o, value);
    if (found.length > 1) return { ok: false, error: { status: 300, errorCode: 'MULTIPLE_CHOICES', message: `more than one record found for external id field ${EXTERNAL_ID_FIELD}`, fields: [] } };
    if (found[0]) {
      const e = validate(o, fields, 'update', found[0]);
      if (e) return { ok: false, error: e };
      update(found[0], fields);
      return { ok: true, id: found[0].Id, created: false };
    }
    const withKey = { ...fields, [EXTERNAL_ID_FIELD]: value };
    const e = validate(o, withKey, 'insert');
    if (e) return { ok: false, error: e };
    return { ok: true, id: insert(o, withKey).Id, created: true };
  }

  function rest(route: Route, m: RegExpExecArray, p: Params, q: URLSearchParams, body: unknown): Reply {
    const [a, b, c] = p.rest;
    const needObject = (o: string | undefined): ObjectName | Reply => (o && isObject(o) ? o : fail(404, 'NOT_FOUND', `The requested resource does not exist`));
    switch (route.api) {
      case 'limits':
        return { status: 200, body: { DailyApiRequests: { Max: api.max, Remaining: Math.max(0, api.max - api.used) } } };
      case 'query': {
        let s;
        try {
          s = parseSoql(q.get('q') ?? '');
        } catch (e) {
          if (e instanceof QueryError) return fail(400, e.errorCode, e.message);
          throw e;
        }
        if (!isObject(s.object)) return fail(400, 'INVALID_TYPE', `sObject type '${s.object}' is not supported.`);
        const defs = { ...defsOf(s.object) };
        for (const f of [...s.fields, ...s.where.map((w) => w.field)]) if (!defs[f]) return fail(400, 'INVALID_FIELD', `No such column '${f}' on entity '${s.object}'.`);
        const rows = [...records.values()]
          .filter((r) => r.type === s.object)
          .filter((r) => !s.where.length || s.where.some((w) => (w.field === 'Id' ? r.Id === w.value : String(r.fields[w.field] ?? '').toLowerCase() === w.value.toLowerCase())))
          .slice(0, s.limit ?? 2000)
          .map((r) => project(r, s.fields));
        return { status: 200, body: { totalSize: rows.length, done: true, records: rows } };
      }
      case 'search': {
        let s;
        try {
          s = parseSosl(q.get('q') ?? '');
        } catch (e) {
          if (e instanceof QueryError) return fail(400, e.errorCode, e.message);
          throw e;
        }
        const want = digits(s.term);
        if (want.length < 2) return { status: 200, body: { searchRecords: [] } };
        const out: Record<string, unknown>[] = [];
        for (const ret of s.returning) {
          if (!isObject(ret.object)) return fail(400, 'INVALID_TYPE', `sObject type '${ret.object}' is not supported.`);
          const defs = defsOf(ret.object);
          for (const f of ret.fields) if (!defs[f]) return fail(400, 'INVALID_FIELD', `No such column '${f}' on entity '${ret.object}'.`);
          const phoneFields = Object.entries(defs).filter(([, d]) => d.type === 'phone').map(([k]) => k);
          for (const r of records.values()) {
            if (r.type !== ret.object) continue;
            // Salesforce indexes phone fields by digits, so formatting does not matter.
            if (phoneFields.some((f) => digits(r.fields[f]).endsWith(want))) out.push(project(r, ret.fields));
          }
        }
        return { status: 200, body: { searchRecords: out.slice(0, s.limit ?? 2000) } };
      }
      case 'sobject.describe': {
        const o = needObject(a);
        if (typeof o !== 'string') return o;
        // The describe subset the adapter reads (names, labels, types, writability, picklists), as Salesforce spells it.
        const fields = Object.entries(defsOf(o)).map(([name, d]) => ({
          name, label: d.label ?? name, type: d.type, length: d.length ?? 0, custom: name.endsWith('__c'), calculated: false,
          externalId: !!d.externalId, unique: !!d.externalId, createable: !d.readOnly, updateable: !d.readOnly && !d.createOnly, nillable: !d.required,
          restrictedPicklist: !!d.restricted, picklistValues: (d.values ?? []).map((v) => ({ active: true, defaultValue: d.defaultValue === v, label: v, validFor: null, value: v })),
          referenceTo: d.referenceTo ?? [],
        }));
        return { status: 200, body: { name: o, label: o, custom: false, createable: true, updateable: true, fields } };
      }
      case 'sobject.create': {
        const o = needObject(a);
        if (typeof o !== 'string') return o;
        const fields = body as Record<string, unknown>;
        const e = validate(o, fields, 'insert');
        if (e) return errs(e);
        return { status: 201, body: { id: insert(o, fields).Id, success: true, errors: [] } };
      }
      case 'sobject.get':
      case 'sobject.update': {
        const o = needObject(a);
        if (typeof o !== 'string') return o;
        if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(b ?? '')) return fail(400, 'MALFORMED_ID', `${o} ID: id value of incorrect type: ${b}`);
        const r = records.get(b!);
        if (!r || r.type !== o) return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
        if (route.api === 'sobject.get') return { status: 200, body: project(r, Object.keys(defsOf(o))) };
        const e = validate(o, body as Record<string, unknown>, 'update', r);
        if (e) return errs(e);
        update(r, body as Record<string, unknown>);
        return { status: 204 };
      }
      case 'sobject.getByExternalId':
      case 'sobject.upsert': {
        const o = needObject(a);
        if (typeof o !== 'string') return o;
        if (b !== EXTERNAL_ID_FIELD || !externalId.has(o)) return fail(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${b}`);
        const value = c!;
        if (route.api === 'sobject.getByExternalId') {
          const found = byExternalId(o, value);
          if (!found[0]) return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
          const wanted = (q.get('fields') ?? '').split(',').map((x) => x.trim()).filter(Boolean);
          return { status: 200, body: project(found[0], wanted.length ? wanted : Object.keys(defsOf(o))) };
        }
        const fields = body as Record<string, unknown>;
        if (fields && typeof fields === 'object' && EXTERNAL_ID_FIELD in fields) return fail(400, 'INVALID_FIELD', `The external ID field ${EXTERNAL_ID_FIELD} must not be in the request body when it is in the URL`);
        const r = upsertOne(o, value, fields);
        if (!r.ok) return errs(r.error);
        if (r.created) return { status: 201, body: { id: r.id, success: true, errors: [], created: true } };
        // API 46.0 and later answer 200 with the save result; earlier versions 204.
        return p.version >= 46 ? { status: 200, body: { id: r.id, success: true, errors: [], created: false } } : { status: 204 };
      }
      case 'composite.create':
      case 'composite.upsert': {
        const b2 = body as { allOrNone?: unknown; records?: unknown };
        if (!b2 || typeof b2 !== 'object' || !Array.isArray(b2.records)) return fail(400, 'JSON_PARSER_ERROR', 'records is required');
        if (b2.records.length > MAX_COLLECTION) return fail(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`);
        if (b2.allOrNone !== undefined && typeof b2.allOrNone !== 'boolean') return fail(400, 'JSON_PARSER_ERROR', 'allOrNone must be a boolean');
        let upsertObject: ObjectName | undefined;
        if (route.api === 'composite.upsert') {
          const o = needObject(a);
          if (typeof o !== 'string') return o;
          if (b !== EXTERNAL_ID_FIELD || !externalId.has(o)) return fail(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${b}`);
          upsertObject = o;
        }
        const snapshot = new Map([...records].map(([k, v]) => [k, { ...v, fields: { ...v.fields } }]));
        const results = (b2.records as Record<string, unknown>[]).map((rec) => {
          const type = (rec?.attributes as { type?: unknown } | undefined)?.type;
          if (typeof type !== 'string' || !isObject(type) || (upsertObject && type !== upsertObject)) {
            return { success: false, errors: [{ statusCode: 'INVALID_TYPE', message: 'Must send a concrete entity type.', fields: [] }] };
          }
          const { attributes: _attributes, ...fields } = rec;
          if (upsertObject) {
            const value = fields[EXTERNAL_ID_FIELD];
            if (typeof value !== 'string' || !value) return { success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: `Required fields are missing: [${EXTERNAL_ID_FIELD}]`, fields: [EXTERNAL_ID_FIELD] }] };
            const { [EXTERNAL_ID_FIELD]: _k, ...rest2 } = fields;
            const r = upsertOne(type, value, rest2);
            return r.ok ? { id: r.id, success: true, errors: [], created: r.created } : { success: false, errors: [saveError(r.error)] };
          }
          const e = validate(type, fields, 'insert');
          if (e) return { success: false, errors: [saveError(e)] };
          return { id: insert(type, fields).Id, success: true, errors: [] };
        });
        if (b2.allOrNone === true && results.some((r) => !r.success)) {
          records.clear();
          for (const [k, v] of snapshot) records.set(k, v);
          return { status: 200, body: results.map((r) => (r.success ? { success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }] } : r)) };
        }
        return { status: 200, body: results };
      }
      default:
        void m;
        return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
  }

  function send(res: ServerResponse, entry: RequestLogEntry, reply: Reply, restCall: boolean) {
    entry.status = reply.status;
    const first = Array.isArray(reply.body) ? (reply.body[0] as { errorCode?: string } | undefined) : undefined;
    if (first?.errorCode) entry.errorCode = first.errorCode;
    const headers: Record<string, string> = { ...reply.headers };
    if (restCall) headers['sforce-limit-info'] = `api-usage=${api.used}/${api.max}`;
    if (reply.text !== undefined) {
      res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      return res.end(reply.text);
    }
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers);
      return res.end();
    }
    res.writeHead(reply.status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
    res.end(JSON.stringify(reply.body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const route = ROUTES.find((r) => r.method === method && r.match.test(u.pathname));
    const entry: RequestLogEntry = { at: now(), method, path: u.pathname, api: route?.api ?? 'unknown', status: 0, outcome: 'replied' };
    requests.push(entry);
    if (isDown) {
      entry.outcome = 'refused';
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const ch of req) chunks.push(ch as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const restCall = u.pathname.startsWith('/services/data/');
    if (!route) return send(res, entry, fail(404, 'NOT_FOUND', 'The requested resource does not exist'), restCall);
    if (latency > 0) await new Promise((ok) => setTimeout(ok, latency));
    const m = route.match.exec(u.pathname)!;
    const groups = m.slice(1).map((g) => decodeURIComponent(g));
    const version = restCall ? Number(groups.shift()) : 0;

    const run = (): Reply => {
      if (route.api === 'oauth.authorize') return authorize(oauth, u.searchParams, now());
      if (route.api === 'oauth.token') return token(oauth, req.headers['content-type'], raw, url, now());
      // Mid-batch expiry: counts authenticated requests, then ends every session.
      if (expireAfter !== undefined) {
        if (expireAfter <= 0) {
          for (const k of oauth.accessTokens.keys()) oauth.accessTokens.set(k, 0);
          expireAfter = undefined;
        } else expireAfter -= 1;
      }
      if (!bearerOk(oauth, req.headers.authorization, now())) return fail(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
      if (route.api === 'userinfo') {
        return { status: 200, body: { sub: `${url}/id/00D000000000001EAA/005000000000001AAA`, user_id: '005000000000001AAA', organization_id: '00D000000000001EAA', preferred_username: 'liaison.user@example.com', email: 'liaison.user@example.com', name: 'Liaison User' } };
      }
      if (version < 31 || version > 62) return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
      if (api.used >= api.max) return fail(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
      if (now() < limitedUntil) return fail(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
      api.used += 1;
      let body: unknown;
      if (method === 'POST' || method === 'PATCH') {
        if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return fail(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
        try {
          body = JSON.parse(raw);
        } catch {
          return fail(400, 'JSON_PARSER_ERROR', 'Unexpected character: was expecting a JSON value');
        }
        if (Array.isArray((body as { records?: unknown })?.records)) entry.records = (body as { records: unknown[] }).records.length;
      }
      return rest(route, m, { version, rest: groups }, u.searchParams, body);
    };

    const fault = faults.take(route.api, entry);
    if (!fault) return send(res, entry, run(), restCall);
    if (fault.commit) run();
    if (fault.kind === 'drop') {
      entry.outcome = 'dropped';
      res.socket?.destroy();
      return;
    }
    const status = fault.status ?? 500;
    return send(res, entry, fail(status, fault.errorCode ?? (status === 503 ? 'SERVER_UNAVAILABLE' : 'UNKNOWN_EXCEPTION'), fault.message ?? 'An unexpected error occurred.'), restCall);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify([{ errorCode: 'UNKNOWN_EXCEPTION', message: `emulator: ${String(e)}` }]));
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const control: SalesforceEmulatorControl = {
    seed(object, fields) {
      const e = validate(object, fields, 'insert');
      if (e) throw new Error(`emulator seed: ${e.errorCode} ${e.message}`);
      return insert(object, fields).Id;
    },
    records: (object) => [...records.values()].filter((r) => r.type === object),
    setLatency: (ms) => void (latency = ms),
    setDailyLimit: (max, used) => {
      api.max = max;
      if (used !== undefined) api.used = used;
    },
    expireTokens: () => {
      for (const k of oauth.accessTokens.keys()) oauth.accessTokens.set(k, 0);
    },
    expireTokensAfter: (n) => void (expireAfter = n),
    revokeRefreshTokens: () => oauth.refreshTokens.clear(),
    denyNextAuthorization: () => void (oauth.denyNext += 1),
    setExternalIdField: (object, present) => void (present ? externalId.add(object) : externalId.delete(object)),
    setDuplicateRule: (on) => void (duplicateRule = on),
    addField: (object, name, def) => void customFields.set(object, { ...customFields.get(object), [name]: def }),
    addValidationRule: (object, rule, field) => void rules.push({ object, rule, ...(field ? { field } : {}) }),
    failNext: (f) => void faults.push({ ...f, kind: 'error', left: f.count ?? 1 }),
    dropNext: (f = {}) => void faults.push({ commit: true, ...f, kind: 'drop', left: f.count ?? 1 }),
    limitExceededFor: (ms) => void (limitedUntil = now() + ms),
    setFaultPolicy: (policy) => faults.setPolicy(policy),
    down: () => void (isDown = true),
    up: () => void (isDown = false),
    clearLog: () => {
      requests.length = 0;
      oauth.tokenRequests.authorization_code = 0;
      oauth.tokenRequests.refresh_token = 0;
    },
  };

  return {
    url,
    loginUrl: url,
    clientId: oauth.clientId,
    redirectUri: oauth.redirectUri,
    state: { records, requests, oauth, api },
    control,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
