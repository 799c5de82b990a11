// A strict emulator of a Salesforce org for the connector's contract tests: the OAuth web server
// flow with PKCE (oauth.ts), REST sObjects Lead/Contact/Task/Opportunity with field validation
// (objects.ts), a Lead email duplicate rule, External ID upserts, a SOQL/SOSL subset (query.ts),
// sObject Collections (≤ 200), the daily API allocation (Sforce-Limit-Info on every REST reply,
// 403 REQUEST_LIMIT_EXCEEDED when spent), expiring sessions (401 INVALID_SESSION_ID) and faults.
// It rejects what Salesforce rejects; an emulator that accepts anything tests nothing.
//
// The read side (issue 15), with where each behaviour comes from (pages read 2026-12-06):
// - System fields on every record (Object Reference "System Fields"): CreatedDate/CreatedById,
//   LastModifiedDate/LastModifiedById (a user's save) and SystemModstamp (a user's save AND
//   automated processes; LastModifiedDate <= SystemModstamp always — Salesforce Help article
//   000387261 "Difference between SystemModStamp and LastModifiedDate"). A Task saved on a
//   Lead/Contact changes its LastActivityDate, which moves the Lead's SystemModstamp and not its
//   LastModifiedDate (same article: "The LastActivityDate field is modified"); control.touchSystem
//   is any other automated update. Stamps are whole seconds: Salesforce zeroes the milliseconds
//   of audit stamps (reported by developers; every stamp the API returns ends in .000), written
//   as 2026-12-06T08:00:00.000+0000 like the REST API.
// - sObject Rows GET ?fields= (resources_sobject_retrieve_get.htm): unknown field 400
//   INVALID_FIELD; a deleted record (recycle bin) 404 ENTITY_IS_DELETED, an unknown id 404 NOT_FOUND.
// - PATCH with If-Unmodified-Since (intro_rest_conditional_requests.htm, "weak validation ...
//   compare the precondition to the last modified date of the record"; format
//   "EEE, dd MMM yyyy HH:mm:ss z" per resources_sobject_retrieve_patch.htm): LastModifiedDate
//   later than the header's second → 412 Precondition Failed, nothing written; an invalid header
//   value → 400. The 412 and 400 bodies are not documented: the ones here are placeholders, and
//   the adapter relies on the status only. Only GMT is accepted as the zone (the docs' example
//   uses MST; the adapter always sends GMT, so this is stricter than the org, never looser).
// - Query paging (resources_query.htm, headers_queryoptions.htm): the result is fixed when the
//   query runs (a cursor); batches of Sforce-Query-Options batchSize (default and max 2000, min
//   200; the org may change it, so clients must not assume the size), then done:false and
//   nextRecordsUrl /services/data/vXX.X/query/<locator>-<offset>; an unknown or expired locator
//   (15 minutes unused) is 400 INVALID_QUERY_LOCATOR. Deleted records are not returned.
// - SOQL datetime literals and typing (query.ts): a datetime field compared with a quoted string
//   or a date is 400 INVALID_FIELD "value of filter criterion for field 'X' must be of type
//   dateTime and should not be enclosed in quotes" (the message developers report from the real
//   API; the docs only say "don't use quotes"); a malformed literal MALFORMED_QUERY.
import { createFaultQueue } from '../fault-queue';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { checkWrite, CUSTOMIZABLE, KEY_PREFIX, OBJECT_NAMES, OBJECTS, RELATIONSHIPS, USER_FIELDS, type FieldDef, type ObjectName, type SfErr } from './objects';
import { authorize, bearerOk, token, type OAuthState, type Reply } from './oauth';
import { parseSoql, parseSosl, QueryError, type Soql, type SoqlCondition } from './query';

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

/** The API user every OAuth token of the emulator belongs to (userinfo's user_id). */
export const API_USER_ID = '005000000000001AAA';
export const API_USER_NAME = 'Liaison User';

/** One user's writes, made the way that user's own Salesforce UI would (validated, stamped, attributed). */
export interface UserActions {
  insert(object: ObjectName, fields: Record<string, unknown>): string;
  update(id: string, fields: Record<string, unknown>): void;
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
  /** A colleague in the org; returns their user id (005…). */
  addUser(name: string): string;
  /** Writes as that user (a colleague editing in Salesforce): stamps LastModifiedDate/SystemModstamp and the user ids. */
  as(userId: string): UserActions;
  /** Sends the record to the recycle bin: GET/PATCH answer 404 ENTITY_IS_DELETED, queries skip it. */
  delete(id: string): void;
  /** An automated process touches the record: SystemModstamp moves, LastModifiedDate does not. */
  touchSystem(id: string): void;
  /** The next request (on `api`, any when absent) is answered 200 with this body instead (a malformed reply). */
  replyNext(f: { api?: string; body: unknown }): void;
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

type Params = { version: number; versionText: string; rest: string[] };
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
  { api: 'query.more', method: 'GET', match: new RegExp(`^${V}/query/([^/]+)$`), auth: 'rest' },
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

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** An HTTP date "EEE, dd MMM yyyy HH:mm:ss GMT" (RFC 9110 IMF-fixdate) as epoch ms; anything else undefined. */
export function httpDate(v: string): number | undefined {
  const m = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(v);
  const month = m ? MONTHS.indexOf(m[3]!) : -1;
  if (!m || month < 0) return undefined;
  const ms = Date.UTC(Number(m[4]), month, Number(m[2]), Number(m[5]), Number(m[6]), Number(m[7]));
  const d = new Date(ms);
  // Out-of-range parts (31 Feb, 25:00) roll over in Date.UTC: refuse them, and a wrong weekday.
  if (d.getUTCDate() !== Number(m[2]) || d.getUTCHours() !== Number(m[5]) || d.getUTCMinutes() !== Number(m[6]) || d.getUTCSeconds() !== Number(m[7])) return undefined;
  if (['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()] !== m[1]) return undefined;
  return ms;
}

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
  // Case has no Liaison_Id__c until the admin adds it (the set-up docs/tickets-crm.md describes):
  // control.setExternalIdField('Case', true). CaseComment can never have it (objects.ts).
  const externalId = new Set<ObjectName>(['Lead', 'Contact', 'Task', 'Opportunity']);
  let caseSeq = 1000;
  const rules: { object: ObjectName; rule: (f: Record<string, unknown>) => string | undefined; field?: string }[] = [];
  let duplicateRule = true;
  let latency = opts.latencyMs ?? 0;
  let isDown = false;
  let expireAfter: number | undefined;
  let limitedUntil = 0;
  const faults = createFaultQueue<Fault & { kind: 'error' | 'drop' | 'body'; left: number; status?: number; errorCode?: string; message?: string; body?: unknown }, RequestLogEntry>();
  const users = new Map<string, string>([[API_USER_ID, API_USER_NAME]]);
  /** Deleted records (the recycle bin): out of `records`, so every lookup and query skips them. */
  const recycleBin = new Map<string, EmRecord>();
  /** Query cursors: the rows fixed when the query ran, served a batch at a time. */
  const locators = new Map<string, { rows: Record<string, unknown>[]; batch: number; version: string; usedAt: number }>();
  const LOCATOR_IDLE_MS = 15 * 60_000;
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

  /** Audit stamps: whole seconds, in the REST API's spelling (2026-12-06T08:00:00.000+0000). */
  const sfStamp = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('Z', '+0000');
  const stampOf = (v: unknown) => (typeof v === 'string' ? Date.parse(v.replace(/\+0000$/, 'Z')) : NaN);

  /** A relationship path (CreatedBy.Name) of record `r`: the User object, or null. */
  function related(r: EmRecord, rel: string, fields: string[]): Record<string, unknown> | null {
    const id = r.fields[RELATIONSHIPS[rel]!];
    if (typeof id !== 'string' || !users.has(id)) return null;
    const out: Record<string, unknown> = { attributes: { type: 'User', url: `/services/data/v60.0/sobjects/User/${id}` } };
    for (const f of fields) out[f] = f === 'Id' ? id : users.get(id)!;
    return out;
  }

  function project(r: EmRecord, fields: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = { attributes: attrs(r) };
    const rels = new Map<string, string[]>();
    for (const f of fields) {
      const dot = f.indexOf('.');
      if (dot > 0) rels.set(f.slice(0, dot), [...(rels.get(f.slice(0, dot)) ?? []), f.slice(dot + 1)]);
      else out[f] = f === 'Id' ? r.Id : (r.fields[f] ?? null);
    }
    // Relationship fields come back as a nested object (or null), as Salesforce sends them.
    for (const [rel, fs] of rels) out[rel] = related(r, rel, fs);
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

  /** Datetime values are stored as the org stores them: UTC, whole seconds. */
  function stored(o: ObjectName, k: string, v: unknown): unknown {
    return defsOf(o)[k]?.type === 'datetime' && typeof v === 'string' ? sfStamp(Date.parse(v)) : v;
  }

  /** After every save: derived fields, the stamps, and the parent's LastActivityDate (its SystemModstamp only). */
  function saved(r: EmRecord, by: string, created: boolean) {
    const at = sfStamp(now());
    if ('LastName' in OBJECTS[r.type]) r.fields.Name = nameOf(r.fields);
    if (r.type === 'Task') r.fields.IsClosed = r.fields.Status === 'Completed';
    if (r.type === 'Case') {
      if (created) r.fields.CaseNumber = String(++caseSeq).padStart(8, '0');
      const closed = r.fields.Status === 'Closed';
      if (closed && !r.fields.IsClosed) r.fields.ClosedDate = at;
      if (!closed) delete r.fields.ClosedDate;
      r.fields.IsClosed = closed;
    }
    if (created) Object.assign(r.fields, { CreatedDate: at, CreatedById: by, ...('OwnerId' in defsOf(r.type) ? { OwnerId: by } : {}) });
    Object.assign(r.fields, { LastModifiedDate: at, LastModifiedById: by, SystemModstamp: at });
    const who = r.type === 'Task' && typeof r.fields.WhoId === 'string' ? records.get(r.fields.WhoId) : undefined;
    if (who) who.fields.SystemModstamp = at;
  }

  function insert(o: ObjectName, fields: Record<string, unknown>, by = API_USER_ID): EmRecord {
    const f: Record<string, unknown> = {};
    for (const [k, d] of Object.entries(defsOf(o))) if (d.defaultValue !== undefined) f[k] = d.defaultValue;
    for (const [k, v] of Object.entries(fields)) if (k !== 'attributes' && v !== null) f[k] = stored(o, k, v);
    const r: EmRecord = { Id: newId(o), type: o, fields: f };
    records.set(r.Id, r);
    saved(r, by, true);
    return r;
  }

  function update(r: EmRecord, fields: Record<string, unknown>, by = API_USER_ID) {
    for (const [k, v] of Object.entries(fields)) {
      if (k === 'attributes') continue;
      if (v === null) delete r.fields[k];
      else r.fields[k] = stored(r.type, k, v);
    }
    saved(r, by, false);
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

  /** A SOQL path's field definition (Relationship.Field → the User field), or the reason it is refused. */
  function pathDef(o: ObjectName, path: string): FieldDef | QueryError {
    const [head, tail, ...more] = path.split('.');
    if (tail === undefined) return defsOf(o)[head!] ?? new QueryError('INVALID_FIELD', `No such column '${head}' on entity '${o}'.`);
    if (more.length || !RELATIONSHIPS[head!] || !(RELATIONSHIPS[head!]! in defsOf(o))) return new QueryError('INVALID_FIELD', `Didn't understand relationship '${head}' in field path.`);
    if (!(USER_FIELDS as readonly string[]).includes(tail)) return new QueryError('INVALID_FIELD', `No such column '${tail}' on entity 'User'.`);
    return { type: tail === 'Id' ? 'id' : 'string' };
  }

  const TYPE_NAME: Partial<Record<FieldDef['type'], string>> = { datetime: 'dateTime', date: 'date', boolean: 'boolean', currency: 'currency', double: 'double', percent: 'double', int: 'int' };
  /** The value a condition's literal must have for the field's type (the org refuses the others). */
  function typeError(c: SoqlCondition, d: FieldDef): QueryError | undefined {
    const v = c.value;
    if (v.kind === 'null') return undefined;
    const want = TYPE_NAME[d.type] ?? 'string';
    const ok =
      want === 'dateTime' ? v.kind === 'datetime' : want === 'date' ? v.kind === 'date' : want === 'boolean' ? v.kind === 'boolean' : want === 'string' ? v.kind === 'string' : v.kind === 'number';
    if (ok) return undefined;
    const quotes = want === 'string' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
    return new QueryError('INVALID_FIELD', `value of filter criterion for field '${c.field}' must be of type ${want} and ${quotes}`);
  }

  /** A record's value for a path, comparable: epoch ms for datetimes, lower-case text (SOQL compares text case-insensitively). */
  function valueOf(r: EmRecord, path: string, d: FieldDef): string | number | boolean | null {
    const dot = path.indexOf('.');
    const raw = dot > 0 ? (related(r, path.slice(0, dot), [path.slice(dot + 1)])?.[path.slice(dot + 1)] ?? null) : path === 'Id' ? r.Id : (r.fields[path] ?? null);
    if (raw === null || raw === undefined) return null;
    if (d.type === 'datetime') return stampOf(raw);
    if (typeof raw === 'string' && d.type !== 'id' && d.type !== 'reference') return raw.toLowerCase();
    return raw as string | number | boolean;
  }

  function matches(r: EmRecord, c: SoqlCondition, d: FieldDef): boolean {
    const have = valueOf(r, c.field, d);
    const v = c.value;
    const want = v.kind === 'null' ? null : v.kind === 'datetime' ? v.ms : v.kind === 'string' ? (d.type === 'id' || d.type === 'reference' ? v.value : v.value.toLowerCase()) : v.kind === 'date' ? v.text : v.value;
    if (c.op === '=') return have === want;
    if (c.op === '!=') return have !== want;
    if (have === null || want === null) return false;
    if (c.op === '<') return have < want;
    if (c.op === '<=') return have <= want;
    if (c.op === '>') return have > want;
    return have >= want;
  }

  function runQuery(s: Soql, version: string, headers: IncomingMessage['headers']): Reply {
    if (!isObject(s.object)) return fail(400, 'INVALID_TYPE', `sObject type '${s.object}' is not supported.`);
    const o = s.object;
    const defs = new Map<string, FieldDef>();
    for (const f of [...s.fields, ...s.where.map((w) => w.field), ...s.orderBy.map((x) => x.field)]) {
      const d = pathDef(o, f);
      if (d instanceof QueryError) return fail(400, d.errorCode, d.message);
      defs.set(f, d);
    }
    for (const c of s.where) {
      // Long text (textarea) cannot be filtered ("field 'Description' can not be filtered in a
      // query call": SOQL Reference, "Filtering on long text area fields is not supported").
      if (defs.get(c.field)!.type === 'textarea') return fail(400, 'INVALID_FIELD', `field '${c.field}' can not be filtered in a query call`);
      const e = typeError(c, defs.get(c.field)!);
      if (e) return fail(400, e.errorCode, e.message);
    }
    const opt = /^\s*batchSize=(\d+)\s*$/i.exec(String(headers['sforce-query-options'] ?? 'batchSize=2000'));
    if (!opt) return fail(400, 'INVALID_HEADER', 'Sforce-Query-Options: batchSize must be a number');
    const batch = Math.min(2000, Math.max(200, Number(opt[1])));
    let rows = [...records.values()].filter((r) => r.type === o);
    if (s.where.length) rows = rows.filter((r) => (s.connective === 'AND' ? s.where.every((c) => matches(r, c, defs.get(c.field)!)) : s.where.some((c) => matches(r, c, defs.get(c.field)!))));
    if (s.orderBy.length) {
      rows = rows
        .map((r, i) => ({ r, i }))
        .sort((a, b) => {
          for (const k of s.orderBy) {
            const d = defs.get(k.field)!;
            const x = valueOf(a.r, k.field, d);
            const y = valueOf(b.r, k.field, d);
            if (x === y) continue;
            if (x === null) return k.nullsLast ? 1 : -1;
            if (y === null) return k.nullsLast ? -1 : 1;
            return (x < y ? -1 : 1) * (k.desc ? -1 : 1);
          }
          return a.i - b.i;
        })
        .map((x) => x.r);
    }
    const all = rows.slice(0, s.limit ?? Infinity).map((r) => project(r, s.fields));
    return page({ rows: all, batch, version, usedAt: now() }, 0);
  }

  function page(cursor: { rows: Record<string, unknown>[]; batch: number; version: string; usedAt: number }, offset: number): Reply {
    const records = cursor.rows.slice(offset, offset + cursor.batch);
    const next = offset + records.length;
    const done = next >= cursor.rows.length;
    let nextRecordsUrl: string | undefined;
    if (!done) {
      let id = [...locators].find(([, c]) => c === cursor)?.[0];
      if (!id) {
        id = `01g${randomBytes(12).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(12, 'A').slice(0, 12)}AAA`;
        locators.set(id, cursor);
      }
      cursor.usedAt = now();
      nextRecordsUrl = `/services/data/v${cursor.version}/query/${id}-${next}`;
    }
    return { status: 200, body: { totalSize: cursor.rows.length, done, ...(nextRecordsUrl ? { nextRecordsUrl } : {}), records } };
  }

  function rest(route: Route, m: RegExpExecArray, p: Params, q: URLSearchParams, body: unknown, headers: IncomingMessage['headers'] = {}): Reply {
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
        return runQuery(s, p.versionText, headers);
      }
      case 'query.more': {
        const lm = /^(01g[A-Za-z0-9]{15})-(\d+)$/.exec(a ?? '');
        const cursor = lm ? locators.get(lm[1]!) : undefined;
        if (!lm || !cursor || now() - cursor.usedAt > LOCATOR_IDLE_MS || Number(lm[2]) > cursor.rows.length) {
          if (lm && cursor) locators.delete(lm[1]!);
          return fail(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
        }
        return page(cursor, Number(lm[2]));
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
        if (recycleBin.get(b!)?.type === o) return fail(404, 'ENTITY_IS_DELETED', 'entity is deleted');
        const r = records.get(b!);
        if (!r || r.type !== o) return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
        if (route.api === 'sobject.get') {
          const wanted = q.has('fields') ? (q.get('fields') ?? '').split(',').map((x) => x.trim()) : Object.keys(defsOf(o));
          for (const f of wanted) if (!f || !defsOf(o)[f]) return fail(400, 'INVALID_FIELD', `No such column '${f}' on entity '${o}'.`);
          return { status: 200, body: project(r, wanted) };
        }
        const guard = headers['if-unmodified-since'];
        if (guard !== undefined) {
          const since = httpDate(String(guard));
          if (since === undefined) return fail(400, 'INVALID_HEADER', `If-Unmodified-Since: not a date in the format EEE, dd MMM yyyy HH:mm:ss GMT`);
          // Whole seconds on both sides: the header cannot say less, the stamp does not hold more.
          if (stampOf(r.fields.LastModifiedDate) > since) return fail(412, 'PRECONDITION_FAILED', 'The record was modified after the If-Unmodified-Since date');
        }
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
    const versionText = restCall ? groups.shift()! : '';
    const version = restCall ? Number(versionText) : 0;

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
      return rest(route, m, { version, versionText, rest: groups }, u.searchParams, body, req.headers);
    };

    const fault = faults.take(route.api, entry);
    if (!fault) return send(res, entry, run(), restCall);
    if (fault.kind === 'body') return send(res, entry, { status: 200, body: fault.body }, restCall);
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

  const userActions = (by: string): UserActions => ({
    insert(object, fields) {
      const e = validate(object, fields, 'insert');
      if (e) throw new Error(`emulator insert: ${e.errorCode} ${e.message}`);
      return insert(object, fields, by).Id;
    },
    update(id, fields) {
      const r = records.get(id);
      if (!r) throw new Error(`emulator update: no record ${id}`);
      const e = validate(r.type, fields, 'update', r);
      if (e) throw new Error(`emulator update: ${e.errorCode} ${e.message}`);
      update(r, fields, by);
    },
  });

  const control: SalesforceEmulatorControl = {
    addUser(name) {
      const id = `005${String(users.size + 1).padStart(12, '0')}AAA`;
      users.set(id, name);
      return id;
    },
    as(userId) {
      if (!users.has(userId)) throw new Error(`emulator: no user ${userId}`);
      return userActions(userId);
    },
    delete(id) {
      const r = records.get(id);
      if (!r) throw new Error(`emulator delete: no record ${id}`);
      records.delete(id);
      recycleBin.set(id, r);
    },
    touchSystem(id) {
      const r = records.get(id);
      if (!r) throw new Error(`emulator touchSystem: no record ${id}`);
      r.fields.SystemModstamp = sfStamp(now());
    },
    replyNext: (f) => void faults.push({ ...(f.api ? { api: f.api } : {}), kind: 'body', body: f.body, left: 1 }),
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
    setExternalIdField: (object, present) => {
      if (present && !CUSTOMIZABLE.includes(object)) throw new Error(`${object} takes no custom fields`);
      void (present ? externalId.add(object) : externalId.delete(object));
    },
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
