// A strict emulator of api.hubapi.com for the HubSpot connector's contract tests: CRM v3
// objects (contacts, deals, notes, tasks: create, get, patch, archive, search, batch/upsert,
// batch/read), associations v4 (PUT, list), properties v3, owners v3
// and the private app token info — plus the platform's behaviour: Bearer private app tokens
// (401 / 403 MISSING_SCOPES), the burst limit per rolling 10 s, the CRM search limit (4/s),
// the daily quota with X-HubSpot-RateLimit-* headers and 429 bodies, and fault injection
// through `control`. It rejects what the real API rejects; an emulator that accepts anything
// tests nothing.
import { createFaultQueue } from '../fault-queue';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as r from './routes';
import { createState, type EmObject, type EmulatorState, type ObjectType, type RequestLogEntry } from './state';

export interface HubspotEmulatorOptions {
  /** The valid private app token (another can be added with control.addToken). */
  token?: string;
  scopes?: string[];
  portalId?: number;
  /** Requests per rolling window per token (Free/Starter: 100 per 10 s). */
  burst?: { max: number; intervalMs: number };
  /** CRM search requests per second per token. */
  searchPerSecond?: number;
  dailyLimit?: number;
  latencyMs?: number;
  now?: () => number;
}

export interface InjectedFault {
  /** Route id ('objects.batch_upsert', 'objects.search'…); any route when absent. */
  api?: string;
  count?: number;
  /** Process the request (commit a write) before answering with the fault. */
  commit?: boolean;
}

export interface HubspotEmulatorControl {
  /** Seeds a record directly (no HTTP, no limits; values are validated like a write). Returns its id. */
  addObject(type: ObjectType, properties: Record<string, string>): string;
  objects(type: ObjectType): EmObject[];
  /**
   * A colleague edits a record (in HubSpot's UI or another integration): validated like a PATCH,
   * and its modified time advances. No HTTP, no limits.
   */
  editAsColleague(type: ObjectType, id: string, properties: Record<string, string>): void;
  /** A colleague logs a note on a contact (note→contact 202), optionally as an owner. Returns the note id. */
  addNoteAsColleague(contactId: string, note: { body: string; at: number; ownerId?: string }): string;
  /** A colleague creates a deal on a contact (deal→contact 3). Returns the deal id. */
  addDealAsColleague(contactId: string, properties: Record<string, string>): string;
  /** The record goes to the recycling bin (as DELETE /crm/v3/objects/{type}/{id}). */
  archive(type: ObjectType, id: string): void;
  /** A user of the portal who can own records; returns the owner id. */
  addOwner(o: { firstName: string; lastName: string; email: string }): string;
  /** Associations from a record (type ids). */
  associationsOf(type: ObjectType, id: string): { toType: string; toId: string; typeId: number }[];
  addToken(token: string, scopes?: string[]): void;
  setScopes(scopes: string[], token?: string): void;
  /** The token now answers 401 EXPIRED_AUTHENTICATION / INVALID_AUTHENTICATION. */
  expireToken(token?: string): void;
  revokeToken(token?: string): void;
  setLatency(ms: number): void;
  /** The daily counter: how many calls of `limit` are already used today. */
  setDaily(d: { limit?: number; used: number }): void;
  /** The next matching request(s) answer with this status (500/502/503) and HubSpot's error body. */
  failNext(f: InjectedFault & { status: number }): void;
  /** The next matching request(s) lose the connection — after committing, by default. */
  dropNext(f?: InjectedFault): void;
  /**
   * Every authenticated request for the next `ms` answers 429 with HubSpot's body for `policy`
   * (default TEN_SECONDLY_ROLLING) and the X-HubSpot-RateLimit-* headers; with Retry-After (the
   * rest of the window, in whole seconds) unless `retryAfter: false` (then the interval header is
   * the only hint, as HubSpot often sends). DAILY carries the daily headers with 0 remaining.
   */
  rateLimitFor(ms: number, o?: { policy?: RateLimitPolicy; retryAfter?: boolean }): void;
  /**
   * Asked for each request that passed auth and the limits when no queued fault matches: the
   * random fault tests decide per request (lost reply after commit, 5xx) with it. Undefined clears.
   */
  setFaultPolicy(policy?: (req: RequestLogEntry) => PolicyFault | undefined): void;
  /** Connections are reset until up(). */
  down(): void;
  up(): void;
  clearLog(): void;
}

export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';
/** A fault chosen by setFaultPolicy: an error status, or a dropped connection (after committing when `commit`). */
export type PolicyFault = { kind: 'error'; status: number; commit?: boolean } | { kind: 'drop'; commit?: boolean };

export interface HubspotEmulator {
  url: string;
  token: string;
  state: EmulatorState;
  control: HubspotEmulatorControl;
  close(): Promise<void>;
}

export const ALL_SCOPES = [
  'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.deals.read', 'crm.objects.deals.write',
  'crm.objects.companies.read', 'crm.schemas.contacts.read', 'crm.schemas.contacts.write', 'crm.schemas.deals.read', 'crm.schemas.deals.write',
  'crm.objects.owners.read', 'tickets',
];

interface Route {
  api: string;
  auth: boolean;
  search?: boolean;
  /** Scope needed, from the path params. */
  scope?(p: string[]): string;
  handle(ctx: r.RouteContext, p: string[], q: URLSearchParams, body: unknown): r.Reply;
}

/** Notes and tasks are covered by the contacts scopes (HubSpot's private app scope list). */
// Tickets: the private app scope "tickets" (read and write; scopes list, read 2026-12-06).
const objScope = (type: string, rw: 'read' | 'write') => (type === 'tickets' ? 'tickets' : `crm.objects.${type === 'notes' || type === 'tasks' ? 'contacts' : type}.${rw}`);
const T = '(contacts|deals|notes|tasks|tickets)';
const ROUTES: [string, RegExp, Route][] = [
  ['POST', new RegExp(`^/crm/v3/objects/${T}/search$`), { api: 'objects.search', auth: true, search: true, scope: (p) => objScope(p[0]!, 'read'), handle: (c, p, _q, b) => r.search(c, p[0] as ObjectType, b) }],
  ['POST', new RegExp(`^/crm/v3/objects/${T}/batch/upsert$`), { api: 'objects.batch_upsert', auth: true, scope: (p) => objScope(p[0]!, 'write'), handle: (c, p, _q, b) => r.batchUpsert(c, p[0] as ObjectType, b) }],
  ['POST', new RegExp(`^/crm/v3/objects/${T}$`), { api: 'objects.create', auth: true, scope: (p) => objScope(p[0]!, 'write'), handle: (c, p, _q, b) => r.create(c, p[0] as ObjectType, b) }],
  ['GET', new RegExp(`^/crm/v3/objects/${T}$`), { api: 'objects.list', auth: true, scope: (p) => objScope(p[0]!, 'read'), handle: (c, p, q) => r.list(c, p[0] as ObjectType, q) }],
  ['POST', new RegExp(`^/crm/v3/objects/${T}/batch/read$`), { api: 'objects.batch_read', auth: true, scope: (p) => objScope(p[0]!, 'read'), handle: (c, p, q, b) => r.batchRead(c, p[0] as ObjectType, q, b) }],
  ['GET', new RegExp(`^/crm/v3/objects/${T}/([^/]+)$`), { api: 'objects.get', auth: true, scope: (p) => objScope(p[0]!, 'read'), handle: (c, p, q) => r.getOne(c, p[0] as ObjectType, p[1]!, q) }],
  ['DELETE', new RegExp(`^/crm/v3/objects/${T}/(\\d+)$`), { api: 'objects.archive', auth: true, scope: (p) => objScope(p[0]!, 'write'), handle: (c, p) => r.archive(c, p[0] as ObjectType, p[1]!) }],
  ['GET', /^\/crm\/v4\/objects\/([a-z]+)\/(\d+)\/associations\/([a-z]+)$/, { api: 'associations.list', auth: true, scope: (p) => objScope(r.v4Type(p[0]!) ?? 'contacts', 'read'), handle: (c, p, q) => r.listAssociations(c, p[0]!, p[1]!, p[2]!, q) }],
  ['GET', /^\/crm\/v3\/owners\/?$/, { api: 'owners.list', auth: true, scope: () => 'crm.objects.owners.read', handle: (c, _p, q) => r.listOwners(c, q) }],
  ['PATCH', new RegExp(`^/crm/v3/objects/${T}/(\\d+)$`), { api: 'objects.update', auth: true, scope: (p) => objScope(p[0]!, 'write'), handle: (c, p, _q, b) => r.update(c, p[0] as ObjectType, p[1]!, b) }],
  ['PUT', /^\/crm\/v4\/objects\/([a-z]+)\/(\d+)\/associations\/default\/([a-z]+)\/(\d+)$/, { api: 'associations.put_default', auth: true, scope: (p) => objScope(r.v4Type(p[0]!) ?? 'contacts', 'write'), handle: (c, p, _q, b) => r.associateDefault(c, p[0]!, p[1]!, p[2]!, p[3]!, b) }],
  ['GET', /^\/crm\/v3\/pipelines\/([a-z]+)(?:\/([^/]+))?$/, { api: 'pipelines.get', auth: true, scope: (p) => (p[0] === 'tickets' ? 'tickets' : ''), handle: (c, p, q) => r.getPipelines(c, p[0]!, p[1], q) }],
  ['PUT', new RegExp(`^/crm/v4/objects/${T}/(\\d+)/associations/${T}/(\\d+)$`), { api: 'associations.put', auth: true, scope: (p) => objScope(p[0]!, 'write'), handle: (c, p, _q, b) => r.associateV4(c, p[0] as ObjectType, p[1]!, p[2] as ObjectType, p[3]!, b) }],
  ['GET', /^\/crm\/v3\/properties\/(contacts|deals|notes|tasks|tickets)\/([^/]+)$/, { api: 'properties.get', auth: true, scope: (p) => objScope(p[0]!, 'read'), handle: (c, p) => r.getProperty(c, p[0] as ObjectType, p[1]!) }],
  // Any type name reaches the handler, which answers HubSpot's error for one it cannot resolve.
  ['GET', /^\/crm\/v3\/properties\/([^/]+)$/, { api: 'properties.list', auth: true, scope: (p) => (r.objectType(p[0]!) ? objScope(p[0]!, 'read') : ''), handle: (c, p, q) => r.listProperties(c, p[0]!, q) }],
  ['POST', /^\/crm\/v3\/properties\/(contacts|deals|notes|tasks|tickets)$/, { api: 'properties.create', auth: true, scope: (p) => (p[0] === 'tickets' ? 'tickets' : `crm.schemas.${p[0] === 'deals' ? 'deals' : 'contacts'}.write`), handle: (c, p, _q, b) => r.createProperty(c, p[0] as ObjectType, b) }],
  ['POST', /^\/oauth\/v2\/private-apps\/get\/access-token-info$/, { api: 'token.info', auth: false, handle: (c, _p, _q, b) => r.tokenInfo(c, b) }],
];

type Fault = InjectedFault & { kind: 'error' | 'drop'; left: number; status?: number };

export async function startHubspotEmulator(opts: HubspotEmulatorOptions = {}): Promise<HubspotEmulator> {
  const now = opts.now ?? Date.now;
  const state = createState(opts.portalId ?? 24_681_357);
  const token = opts.token ?? 'pat-na1-11111111-2222-4333-8444-555555555555';
  state.tokens.set(token, { scopes: opts.scopes ?? [...ALL_SCOPES], state: 'active' });
  if (opts.dailyLimit !== undefined) state.daily.limit = opts.dailyLimit;
  const burst = opts.burst ?? { max: 100, intervalMs: 10_000 };
  const searchPerSecond = opts.searchPerSecond ?? 4;
  let latency = opts.latencyMs ?? 0;
  let isDown = false;
  const faults = createFaultQueue<Fault, RequestLogEntry>();
  let forcedLimit: { until: number; policy: RateLimitPolicy; retryAfter: boolean } | undefined;
  /** Arrival times of served requests per token: all, and searches. */
  const windows = new Map<string, number[]>();
  const searchWindows = new Map<string, number[]>();
  const ctx: r.RouteContext = { state, now };

  function send(res: ServerResponse, entry: RequestLogEntry, reply: r.Reply) {
    entry.status = reply.status;
    const b = reply.body as { category?: unknown; policyName?: unknown } | null;
    if (reply.status >= 400 && typeof b?.category === 'string') entry.category = b.category;
    if (typeof b?.policyName === 'string') entry.policy = b.policyName;
    const correlation = (reply.body as { correlationId?: unknown } | null)?.correlationId;
    if (reply.status === 204) {
      res.writeHead(204, { ...reply.headers });
      res.end();
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json;charset=utf-8', ...(typeof correlation === 'string' ? { 'x-hubspot-correlation-id': correlation } : {}), ...reply.headers });
    res.end(JSON.stringify(reply.body));
  }

  function dailyHeaders(): Record<string, string> {
    return { 'X-HubSpot-RateLimit-Daily': String(state.daily.limit), 'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, state.daily.limit - state.daily.used)) };
  }

  /** The limits, in HubSpot's order: daily, burst window, search per second. Served requests count. */
  // Counted as requests arrive: the logged time, taken before the body is read (a second clock
  // reading after it drifts from the log under load, as Asana's and Pipedrive's did).
  function limit(key: string, search: boolean, t: number): { reply?: r.Reply; headers: Record<string, string> } {
    const w = (windows.get(key) ?? []).filter((x) => x > t - burst.intervalMs);
    windows.set(key, w);
    const sw = (searchWindows.get(key) ?? []).filter((x) => x > t - 1000);
    searchWindows.set(key, sw);
    const rl = (policyName: string, message: string, retryMs: number | undefined, headers: Record<string, string>) => {
      const reply = r.hsError(429, 'RATE_LIMITS', message, { errorType: 'RATE_LIMIT', policyName });
      const retry = retryMs !== undefined ? Math.max(1, Math.ceil(retryMs / 1000)) : undefined;
      reply.headers = { ...headers, ...(retry !== undefined ? { 'Retry-After': String(retry) } : {}) };
      return { reply, headers: reply.headers };
    };
    if (state.daily.used >= state.daily.limit) return rl('DAILY', 'You have reached your daily limit.', undefined, dailyHeaders());
    const intervalHeaders = (remaining: number) => ({ 'X-HubSpot-RateLimit-Interval-Milliseconds': String(burst.intervalMs), 'X-HubSpot-RateLimit-Max': String(burst.max), 'X-HubSpot-RateLimit-Remaining': String(remaining) });
    if (forcedLimit && t < forcedLimit.until) {
      const { policy, until, retryAfter } = forcedLimit;
      const message = policy === 'DAILY' ? 'You have reached your daily limit.' : policy === 'SECONDLY' ? 'You have reached your secondly limit.' : 'You have reached your ten_secondly_rolling limit.';
      const headers = policy === 'DAILY' ? { ...dailyHeaders(), 'X-HubSpot-RateLimit-Daily-Remaining': '0' } : { ...dailyHeaders(), ...intervalHeaders(0) };
      return rl(policy, message, retryAfter ? until - t : undefined, headers);
    }
    if (w.length >= burst.max) return rl('TEN_SECONDLY_ROLLING', 'You have reached your ten_secondly_rolling limit.', w[0]! + burst.intervalMs - t, { ...dailyHeaders(), ...intervalHeaders(0) });
    if (search && sw.length >= searchPerSecond) return rl('SECONDLY', 'You have reached your secondly limit.', sw[0]! + 1000 - t, {});
    w.push(t);
    if (search) sw.push(t);
    state.daily.used += 1;
    // CRM search replies carry no rate-limit headers (documented); the others carry both sets.
    return { headers: search ? {} : { ...dailyHeaders(), ...intervalHeaders(burst.max - w.length) } };
  }

  function authError(req: IncomingMessage, route: Route, params: string[]): r.Reply | undefined {
    const h = req.headers.authorization;
    const m = h ? /^Bearer (\S+)$/.exec(h) : null;
    const t = m ? state.tokens.get(m[1]!) : undefined;
    if (!t || t.state === 'revoked') {
      return r.hsError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview');
    }
    if (t.state === 'expired') return r.hsError(401, 'EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired. Please refresh your access token.');
    const scope = route.scope?.(params);
    if (scope && !t.scopes.includes(scope)) {
      return r.hsError(403, 'MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.", {
        errors: [{ message: 'One or more of the following scopes are required.', context: { requiredScopes: [scope] } }],
      });
    }
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const hit = ROUTES.find(([m, re]) => m === method && re.test(url.pathname));
    const params = hit ? (hit[1].exec(url.pathname) ?? []).slice(1).map(decodeURIComponent) : [];
    const entry: RequestLogEntry = { at: now(), method, path: url.pathname, api: hit?.[2].api ?? 'unknown', status: 0, outcome: 'replied', ...(url.pathname.includes('/objects/') && params[0] ? { objectType: params[0] } : {}) };
    state.requests.push(entry);
    if (isDown) {
      entry.outcome = 'refused';
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (!hit) return send(res, entry, r.hsError(404, 'OBJECT_NOT_FOUND', `Unable to route ${method} ${url.pathname}`));
    const route = hit[2];
    let headers: Record<string, string> = {};
    if (route.auth) {
      const denied = authError(req, route, params);
      if (denied) return send(res, entry, denied);
      const l = limit(req.headers.authorization!, route.search === true, entry.at);
      if (l.reply) {
        entry.retryAfterSeconds = l.reply.headers?.['Retry-After'] ? Number(l.reply.headers['Retry-After']) : undefined;
        return send(res, entry, l.reply);
      }
      headers = l.headers;
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    if (raw) {
      if (!/application\/json/.test(req.headers['content-type'] ?? '')) return send(res, entry, r.hsError(415, 'VALIDATION_ERROR', 'Content-Type must be application/json'));
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, entry, r.hsError(400, 'VALIDATION_ERROR', 'Invalid input JSON: could not parse the request body'));
      }
    }
    if (Array.isArray((body as { inputs?: unknown })?.inputs)) entry.inputs = (body as { inputs: unknown[] }).inputs.length;
    if (latency > 0) await new Promise((ok) => setTimeout(ok, latency));
    const fault = faults.take(route.api, entry);
    const run = () => {
      const reply = route.handle(ctx, params, url.searchParams, body);
      reply.headers = { ...headers, ...reply.headers };
      return reply;
    };
    if (!fault) return send(res, entry, run());
    if (fault.commit) run();
    if (fault.kind === 'drop') {
      entry.outcome = 'dropped';
      res.socket?.destroy();
      return;
    }
    const status = fault.status ?? 500;
    return send(res, entry, r.hsError(status, status === 502 ? 'BAD_GATEWAY' : 'INTERNAL_ERROR', status === 502 ? 'Bad gateway' : 'internal error'));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'error', message: `emulator bug: ${String(e)}`, category: 'INTERNAL_ERROR' }));
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;

  const tokenOf = (t?: string) => {
    const v = state.tokens.get(t ?? token);
    if (!v) throw new Error('emulator: no such token');
    return v;
  };
  const control: HubspotEmulatorControl = {
    addObject(type, properties) {
      const reply = r.create(ctx, type, { properties });
      if (reply.status !== 201) throw new Error(`emulator addObject: ${JSON.stringify(reply.body)}`);
      return (reply.body as { id: string }).id;
    },
    objects: (type) => [...state.objects[type].values()],
    editAsColleague(type, id, properties) {
      const reply = r.update(ctx, type, id, { properties });
      if (reply.status !== 200) throw new Error(`emulator editAsColleague: ${JSON.stringify(reply.body)}`);
    },
    addNoteAsColleague(contactId, note) {
      const associations = [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] }];
      const properties = { hs_note_body: note.body, hs_timestamp: String(note.at), ...(note.ownerId ? { hubspot_owner_id: note.ownerId } : {}) };
      const reply = r.create(ctx, 'notes', { properties, associations });
      if (reply.status !== 201) throw new Error(`emulator addNoteAsColleague: ${JSON.stringify(reply.body)}`);
      return (reply.body as { id: string }).id;
    },
    addDealAsColleague(contactId, properties) {
      const associations = [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] }];
      const reply = r.create(ctx, 'deals', { properties, associations });
      if (reply.status !== 201) throw new Error(`emulator addDealAsColleague: ${JSON.stringify(reply.body)}`);
      return (reply.body as { id: string }).id;
    },
    archive(type, id) {
      const reply = r.archive(ctx, type, id);
      if (reply.status !== 204) throw new Error(`emulator archive: ${JSON.stringify(reply.body)}`);
    },
    addOwner(o) {
      const id = String(70_000_000 + state.owners.length + 1);
      state.owners.push({ id, ...o, userId: 9_000_000 + state.owners.length + 1 });
      return id;
    },
    associationsOf: (type, id) => state.associations.filter((a) => a.fromType === type && a.fromId === id).map(({ toType, toId, typeId }) => ({ toType, toId, typeId })),
    addToken: (t, scopes = [...ALL_SCOPES]) => void state.tokens.set(t, { scopes, state: 'active' }),
    setScopes: (scopes, t) => void (tokenOf(t).scopes = scopes),
    expireToken: (t) => void (tokenOf(t).state = 'expired'),
    revokeToken: (t) => void (tokenOf(t).state = 'revoked'),
    setLatency: (ms) => void (latency = ms),
    setDaily: (d) => {
      if (d.limit !== undefined) state.daily.limit = d.limit;
      state.daily.used = d.used;
    },
    failNext: (f) => void faults.push({ ...f, kind: 'error', left: f.count ?? 1 }),
    dropNext: (f = {}) => void faults.push({ commit: true, ...f, kind: 'drop', left: f.count ?? 1 }),
    rateLimitFor: (ms, o = {}) => void (forcedLimit = { until: now() + ms, policy: o.policy ?? 'TEN_SECONDLY_ROLLING', retryAfter: o.retryAfter ?? true }),
    setFaultPolicy: (policy) => faults.setPolicy(policy),
    down: () => void (isDown = true),
    up: () => void (isDown = false),
    clearLog: () => void (state.requests.length = 0),
  };

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    state,
    control,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

