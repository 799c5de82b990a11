// A strict emulator of open.feishu.cn / open.larksuite.com for the Bitable connector's contract
// tests: tenant_access_token/internal, bitable v1 tables/fields/records, task v2 — plus the
// gateway's behaviour (Bearer token checks, per-API rate limits answered with HTTP 429 +
// code 99991400 + x-ogw-ratelimit-reset) and fault injection through `control`.
// It rejects what the real API rejects; an emulator that accepts anything tests nothing.
import { createFaultQueue } from '../fault-queue';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { convertFields } from './cells';
import { assignAutoNumbers, autoSerialProblem } from './computed';
import * as r from './routes';
import { FIELD_TYPES, createState, newId, type EmRecord, type EmUser, type EmulatorState, type RequestLogEntry } from './state';

export interface FeishuEmulatorOptions {
  appId?: string;
  appSecret?: string;
  /** tenant_access_token lifetime; 2 h like Feishu. */
  tokenTtlMs?: number;
  /** Requests per second per API (documented: create 50, search 20, tables.create 10, tasks 10…). */
  rateLimits?: Partial<Record<string, number>>;
  latencyMs?: number;
  maxRecordsPerTable?: number;
  now?: () => number;
  /** The Bases' 文档时区 (date filters compare calendar days in it). Default Asia/Shanghai. */
  timeZone?: string;
}

export interface InjectedFault {
  /** Route id ('records.create', 'records.batch_create', 'records.search'…); any route when absent. */
  api?: string;
  count?: number;
  /** Process the request (commit a write) before answering with the fault. */
  commit?: boolean;
}

export interface FeishuEmulatorControl {
  /** Creates a Base and returns its app_token. */
  createApp(name?: string, timeZone?: string): string;
  /** A Feishu user (person cells and created_by/last_modified_by render their name). */
  addUser(user: EmUser): void;
  /**
   * A colleague edits a record in the Bitable UI: validated like a write, modified time advanced,
   * last_modified_by set. No HTTP, no rate limit.
   */
  editAsColleague(appToken: string, tableId: string, recordId: string, fields: Record<string, unknown>, userId: string): void;
  /** A colleague adds a record in the UI (created_by = them). Returns its record_id. */
  addAsColleague(appToken: string, tableId: string, fields: Record<string, unknown>, userId: string): string;
  /** A colleague deletes a record in the UI. */
  deleteRecord(appToken: string, tableId: string, recordId: string): void;
  /** Moves the emulator's clock forward (days pass between pulls). */
  advanceClock(ms: number): void;
  /** Seeds a table directly (no HTTP, no rate limit). Returns table_id. */
  createTable(appToken: string, name: string, fields: { field_name: string; type: number; property?: Record<string, unknown> }[]): string;
  /**
   * A user adds a field in the Base (any documented type, including the computed ones a write
   * cannot fill: 20 formula, 1001 created time…). Returns field_id.
   */
  addField(appToken: string, tableId: string, field: { field_name: string; type: number; property?: Record<string, unknown> }): string;
  /** Seeds records directly; values are validated like a write. Returns record ids. */
  addRecords(appToken: string, tableId: string, rows: Record<string, unknown>[]): string[];
  records(appToken: string, tableId: string): EmRecord[];
  setLatency(ms: number): void;
  /** Every request answers 429/99991400 for `ms`, with x-ogw-ratelimit-reset = the seconds left. */
  rateLimitStorm(ms: number): void;
  /** The next matching request(s) answer with this Feishu error. */
  failNext(f: InjectedFault & { code: number; msg?: string; status?: number }): void;
  /** The next matching write(s) answer 1254291 Write conflict. */
  writeConflicts(count: number, api?: string): void;
  /** The next matching request(s) never get an answer (the client times out). */
  hangNext(f?: InjectedFault): void;
  /** The next matching request(s) lose the connection — after committing, by default. */
  dropNext(f?: InjectedFault): void;
  /** Every issued tenant_access_token expires now. */
  expireTokens(): void;
  /** Tokens expire after `n` more authenticated API requests (mid-batch expiry). */
  expireTokensAfter(n: number): void;
  /** Connections are reset until up(). */
  down(): void;
  up(): void;
  clearLog(): void;
}

export interface FeishuEmulator {
  url: string;
  appId: string;
  appSecret: string;
  state: EmulatorState;
  control: FeishuEmulatorControl;
  close(): Promise<void>;
}

/** Documented per-API limits (requests per second per app × tenant). */
export const DEFAULT_RATE_LIMITS: Record<string, number> = {
  'records.create': 50,
  'records.batch_create': 50,
  'records.update': 50,
  'records.batch_update': 50,
  'records.search': 20,
  'records.batch_get': 20,
  'tables.list': 20,
  'tables.create': 10,
  'fields.list': 20,
  'fields.create': 10,
  'tasks.create': 10,
};

interface Route {
  api: string;
  auth: boolean;
  handle(ctx: r.RouteContext, p: string[], q: URLSearchParams, body: unknown): r.Reply | Promise<r.Reply>;
}

const B = '/open-apis/bitable/v1/apps/([^/]+)';
const ROUTES: [string, RegExp, Route][] = [
  ['POST', /^\/open-apis\/auth\/v3\/tenant_access_token\/internal$/, { api: 'auth.tenant_access_token', auth: false, handle: (c, _p, _q, b) => r.tenantAccessToken(c, b) }],
  ['GET', new RegExp(`^${B}/tables$`), { api: 'tables.list', auth: true, handle: (c, p) => r.listTables(c, p[0]!) }],
  ['POST', new RegExp(`^${B}/tables$`), { api: 'tables.create', auth: true, handle: (c, p, _q, b) => r.createTable(c, p[0]!, b) }],
  ['GET', new RegExp(`^${B}/tables/([^/]+)/fields$`), { api: 'fields.list', auth: true, handle: (c, p, q) => r.listFields(c, p[0]!, p[1]!, q) }],
  ['POST', new RegExp(`^${B}/tables/([^/]+)/fields$`), { api: 'fields.create', auth: true, handle: (c, p, q, b) => r.createField(c, p[0]!, p[1]!, q, b) }],
  ['POST', new RegExp(`^${B}/tables/([^/]+)/records/batch_create$`), { api: 'records.batch_create', auth: true, handle: (c, p, q, b) => r.batchCreate(c, p[0]!, p[1]!, q, b) }],
  ['POST', new RegExp(`^${B}/tables/([^/]+)/records/batch_update$`), { api: 'records.batch_update', auth: true, handle: (c, p, _q, b) => r.batchUpdate(c, p[0]!, p[1]!, b) }],
  ['POST', new RegExp(`^${B}/tables/([^/]+)/records/search$`), { api: 'records.search', auth: true, handle: (c, p, q, b) => r.searchRecords(c, p[0]!, p[1]!, q, b) }],
  ['POST', new RegExp(`^${B}/tables/([^/]+)/records/batch_get$`), { api: 'records.batch_get', auth: true, handle: (c, p, _q, b) => r.batchGet(c, p[0]!, p[1]!, b) }],
  ['POST', new RegExp(`^${B}/tables/([^/]+)/records$`), { api: 'records.create', auth: true, handle: (c, p, q, b) => r.createRecord(c, p[0]!, p[1]!, q, b) }],
  ['PUT', new RegExp(`^${B}/tables/([^/]+)/records/([^/]+)$`), { api: 'records.update', auth: true, handle: (c, p, _q, b) => r.updateRecord(c, p[0]!, p[1]!, p[2]!, b) }],
  ['POST', /^\/open-apis\/task\/v2\/tasks$/, { api: 'tasks.create', auth: true, handle: (c, _p, _q, b) => r.createTask(c, b) }],
];

const WRITE_APIS = new Set(['records.create', 'records.batch_create', 'records.update', 'records.batch_update']);

type Fault = InjectedFault & { kind: 'error' | 'hang' | 'drop'; left: number; code?: number; msg?: string; status?: number };

export async function startFeishuEmulator(opts: FeishuEmulatorOptions = {}): Promise<FeishuEmulator> {
  const clock = opts.now ?? Date.now;
  let offset = 0;
  const now = () => clock() + offset;
  const timeZone = opts.timeZone ?? 'Asia/Shanghai';
  const state = createState();
  const appId = opts.appId ?? 'cli_a1b2c3d4e5f6a7b8';
  const appSecret = opts.appSecret ?? 'emulatorSecret0123456789abcdefXY';
  const limits = { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits };
  let latency = opts.latencyMs ?? 0;
  let stormUntil = 0;
  let isDown = false;
  let expireAfter: number | undefined;
  const faults = createFaultQueue<Fault>();
  const windows = new Map<string, number[]>();

  const ctx: r.RouteContext = {
    state,
    now,
    latencyMs: () => latency,
    maxRecordsPerTable: opts.maxRecordsPerTable ?? 20_000,
    maxTablesPerApp: 100,
    tokenTtlMs: opts.tokenTtlMs ?? 2 * 60 * 60 * 1000,
    appId,
    appSecret,
  };

  function send(res: ServerResponse, entry: RequestLogEntry, reply: r.Reply) {
    entry.status = reply.status;
    const code = (reply.body as { code?: unknown } | null)?.code;
    if (typeof code === 'number') entry.code = code;
    const total = (reply.body as { data?: { total?: unknown } } | null)?.data?.total;
    if (entry.api === 'records.search' && typeof total === 'number') entry.total = total;
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', 'x-tt-logid': newId('', 20), ...reply.headers });
    res.end(text);
  }

  // Counted as requests arrive: the logged time, taken before the body is read (a second clock
  // reading after it drifts from the log under load, as Asana's and Pipedrive's did).
  function rateLimited(entry: RequestLogEntry, api: string): r.Reply | undefined {
    const t = entry.at;
    let reset = 0;
    let limit = 0;
    if (t < stormUntil) {
      reset = Math.ceil((stormUntil - t) / 1000);
      limit = limits[api] ?? 50;
    } else if (limits[api] !== undefined) {
      const w = (windows.get(api) ?? []).filter((x) => x > t - 1000);
      windows.set(api, w);
      if (w.length >= limits[api]!) {
        limit = limits[api]!;
        reset = Math.max(1, Math.ceil((w[0]! + 1000 - t) / 1000));
      } else w.push(t);
    }
    if (!reset) return undefined;
    entry.resetSeconds = reset;
    return {
      status: 429,
      body: { code: 99991400, msg: 'request trigger frequency limit' },
      headers: { 'x-ogw-ratelimit-limit': String(limit), 'x-ogw-ratelimit-reset': String(reset) },
    };
  }

  function authError(req: IncomingMessage): r.Reply | undefined {
    if (expireAfter !== undefined) {
      if (expireAfter <= 0) {
        for (const k of state.tokens.keys()) state.tokens.set(k, 0);
        expireAfter = undefined;
      } else expireAfter -= 1;
    }
    const h = req.headers.authorization;
    if (!h || !/^Bearer \S+$/.test(h)) return r.fail({ status: 400, code: 99991661, msg: 'Missing access token for authorization. Please make a request with token attached.' });
    const token = h.slice(7);
    const exp = state.tokens.get(token);
    if (exp === undefined || exp <= now()) return r.fail({ status: 400, code: 99991663, msg: 'Invalid access token for authorization. Please make a request with token attached.' });
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const hit = ROUTES.find(([m, re]) => m === method && re.test(url.pathname));
    const entry: RequestLogEntry = { at: now(), method, path: url.pathname, api: hit?.[2].api ?? 'unknown', status: 0, outcome: 'replied' };
    state.requests.push(entry);
    if (isDown) {
      entry.outcome = 'refused';
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (!hit) return send(res, entry, { status: 404, body: { code: 404, msg: '404 page not found' } });
    const [, re, route] = hit;
    const limited = rateLimited(entry, route.api);
    if (limited) return send(res, entry, limited);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, entry, r.fail({ status: 400, code: route.api.startsWith('records') ? 1254000 : 10003, msg: route.api.startsWith('records') ? 'WrongRequestJson' : 'invalid param' }));
      }
    }
    if (Array.isArray((body as { records?: unknown })?.records)) entry.records = (body as { records: unknown[] }).records.length;
    if (route.auth) {
      const denied = authError(req);
      if (denied) return send(res, entry, denied);
    }
    const params = (re.exec(url.pathname) ?? []).slice(1).map(decodeURIComponent);
    if (!WRITE_APIS.has(route.api) && latency > 0) await new Promise((ok) => setTimeout(ok, latency));
    const fault = faults.take(route.api);
    const run = () => route.handle(ctx, params, url.searchParams, body);
    if (!fault) return send(res, entry, await run());
    if (fault.commit) await run();
    if (fault.kind === 'error') {
      return send(res, entry, r.fail({ status: fault.status ?? 200, code: fault.code ?? 1255001, msg: fault.msg ?? 'InternalError' }));
    }
    if (fault.kind === 'drop') {
      entry.outcome = 'dropped';
      res.socket?.destroy();
      return;
    }
    entry.outcome = 'hung'; // never answered; close() resets the connection
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 1255001, msg: `InternalError: ${String(e)}` }));
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;

  const control: FeishuEmulatorControl = {
    createApp(name = 'Liaison CRM', tz = timeZone) {
      const app_token = newId('bascn', 22);
      state.apps.set(app_token, { app_token, name, tables: new Map(), time_zone: tz });
      return app_token;
    },
    addUser: (user) => void state.users.set(user.id, user),
    createTable(appToken, name, fields) {
      const reply = r.createTable(ctx, appToken, { table: { name, fields } });
      const b = reply.body as { code: number; msg: string; data?: { table_id: string } };
      if (b.code !== 0 || !b.data) throw new Error(`emulator createTable: ${b.code} ${b.msg}`);
      return b.data.table_id;
    },
    addField(appToken, tableId, field) {
      const app = state.apps.get(appToken);
      const table = app?.tables.get(tableId);
      if (!app || !table) throw new Error('emulator addField: no such table');
      if (table.fields.some((f) => f.field_name === field.field_name)) throw new Error(`emulator addField: ${field.field_name} exists`);
      if (field.type === FIELD_TYPES.autoNumber && autoSerialProblem(field.property)) throw new Error(`emulator addField: ${autoSerialProblem(field.property)}`);
      const options = field.property?.options as { name: string }[] | undefined;
      const property = options ? { ...field.property, options: options.map((o, i) => ({ id: newId('opt', 8), name: o.name, color: i })) } : (field.property ?? null);
      const f = { field_id: newId('fld', 10), field_name: field.field_name, type: field.type, is_primary: false, property };
      table.fields.push(f);
      // A new auto-number field numbers the existing records, oldest first.
      if (f.type === FIELD_TYPES.autoNumber) {
        const only = { fields: [f], autoSeq: table.autoSeq };
        for (const rec of [...table.records.values()].sort((a, b) => a.created_time - b.created_time)) assignAutoNumbers(only, rec, app.time_zone);
      }
      return f.field_id;
    },
    addRecords(appToken, tableId, rows) {
      const app = state.apps.get(appToken);
      const table = app?.tables.get(tableId);
      if (!app || !table) throw new Error('emulator addRecords: no such table');
      return rows.map((fields) => {
        const conv = convertFields(app, table, fields);
        if (!conv.ok) throw new Error(`emulator addRecords: ${conv.error.code} ${conv.error.msg}`);
        return r.insert(ctx, app, table, conv.cells).record_id;
      });
    },
    addAsColleague(appToken, tableId, fields, userId) {
      const app = state.apps.get(appToken);
      const table = app?.tables.get(tableId);
      if (!app || !table) throw new Error('emulator addAsColleague: no such table');
      const conv = convertFields(app, table, fields);
      if (!conv.ok) throw new Error(`emulator addAsColleague: ${conv.error.code} ${conv.error.msg}`);
      table.revision += 1;
      return r.insert(ctx, app, table, conv.cells, userId).record_id;
    },
    editAsColleague(appToken, tableId, recordId, fields, userId) {
      const app = state.apps.get(appToken);
      const table = app?.tables.get(tableId);
      const rec = table?.records.get(recordId);
      if (!app || !table || !rec) throw new Error('emulator editAsColleague: no such record');
      const conv = convertFields(app, table, fields);
      if (!conv.ok) throw new Error(`emulator editAsColleague: ${conv.error.code} ${conv.error.msg}`);
      table.revision += 1;
      r.commitUpdate(ctx, rec, conv.cells, userId);
    },
    deleteRecord(appToken, tableId, recordId) {
      const table = state.apps.get(appToken)?.tables.get(tableId);
      if (!table?.records.delete(recordId)) throw new Error('emulator deleteRecord: no such record');
      table.revision += 1;
    },
    advanceClock: (ms) => void (offset += ms),
    records: (appToken, tableId) => [...(state.apps.get(appToken)?.tables.get(tableId)?.records.values() ?? [])],
    setLatency: (ms) => void (latency = ms),
    rateLimitStorm: (ms) => void (stormUntil = now() + ms),
    failNext: (f) => void faults.push({ ...f, kind: 'error', left: f.count ?? 1 }),
    writeConflicts: (count, api) => void faults.push({ kind: 'error', left: count, code: 1254291, msg: 'Write conflict', ...(api ? { api } : {}) }),
    hangNext: (f = {}) => void faults.push({ ...f, kind: 'hang', left: f.count ?? 1 }),
    dropNext: (f = {}) => void faults.push({ commit: true, ...f, kind: 'drop', left: f.count ?? 1 }),
    expireTokens: () => {
      for (const k of state.tokens.keys()) state.tokens.set(k, 0);
    },
    expireTokensAfter: (n) => void (expireAfter = n),
    down: () => void (isDown = true),
    up: () => void (isDown = false),
    clearLog: () => {
      state.requests.length = 0;
      state.tokenRequests = 0;
    },
  };

  return {
    url: `http://127.0.0.1:${port}`,
    appId,
    appSecret,
    state,
    control,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
