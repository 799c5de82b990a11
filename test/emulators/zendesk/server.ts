// A strict emulator of a Zendesk Support account ({subdomain}.zendesk.com) for the Zendesk
// connector's contract tests: users (me, search, create_or_update, show, update), tickets (list by
// external_id, create, show, update with a comment), ticket comments, ticket and user fields.
// Routes and their rules: routes.ts. Platform behaviour from developer.zendesk.com, checked
// 2026-12-06:
// - "Security and authentication": Basic `{email}/token:{api_token}` (and `{email}:{password}`,
//   not offered here); a wrong one is 401 {"error":"Couldn't authenticate you"}; /users/me
//   without credentials answers the anonymous user;
// - "Requests": JSON bodies with Content-Type: application/json on POST/PUT;
// - ticketing introduction, "Idempotency" (quoted by cloudbees-oss/zendesk-java-client
//   IdempotencyUtil and other public clients): Idempotency-Key on POST /api/v2/tickets; the same
//   key and body answer the first reply with x-idempotency-lookup: hit (first use: miss); the same
//   key with another body is 400 {"error":"IdempotentRequestError","description":"Request
//   parameters don't match the given idempotency key"}; keys expire after two hours (then a
//   retry creates a new ticket). Bodies are compared as JSON values (key order and spacing
//   aside). Only successful creates are remembered: Zendesk does not say it keeps failures, and a
//   failure cached would make the retry it exists for impossible;
// - "Rate limits": requests per minute per account by plan (Team 200 … Enterprise Plus 2500),
//   X-Rate-Limit / X-Rate-Limit-Remaining on replies, 429 with Retry-After (seconds) past it;
//   "Update Ticket" 30 updates per 10 minutes per user per ticket (429, Retry-After). The 429
//   bodies' words are the emulator's.
// Faults through `control`: 5xx, a reply lost after the write committed, the token revoked, the
// server down; and a per-request policy for the outbox fault tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultQueue } from '../fault-queue';
import * as r from './routes';

export interface ZendeskEmulatorOptions {
  subdomain?: string;
  /** The agent the API token belongs to. */
  email?: string;
  token?: string;
  /** Requests per minute for the account (Team plan 200). */
  perMinute?: number;
  /** Updates per ticket per user per 10 minutes (30). */
  ticketUpdates?: number;
  now?: () => number;
}

export interface RequestLogEntry { at: number; method: string; path: string; api: string; status: number; outcome: 'replied' | 'dropped' | 'refused'; idempotency?: 'hit' | 'miss'; key?: string }

export interface Fault { api?: string; left: number; kind: 'fail' | 'drop'; status?: number; commit?: boolean }

type Handler = (ctx: r.Ctx, p: string[], q: URLSearchParams, body: unknown) => r.Reply;
const J = '(?:\\.json)?';
const ROUTES: [string, RegExp, string, Handler][] = [
  ['GET', new RegExp(`^/api/v2/users/me${J}$`), 'users.me', (c) => r.me(c)],
  ['GET', new RegExp(`^/api/v2/users/search${J}$`), 'users.search', (c, _p, q) => r.searchUsers(c, q)],
  ['POST', new RegExp(`^/api/v2/users/create_or_update${J}$`), 'users.create_or_update', (c, _p, _q, b) => r.createOrUpdateUser(c, b)],
  ['GET', new RegExp(`^/api/v2/users/([^/]+?)${J}$`), 'users.show', (c, p) => r.getUser(c, p[0]!)],
  ['PUT', new RegExp(`^/api/v2/users/([^/]+?)${J}$`), 'users.update', (c, p, _q, b) => r.updateUser(c, p[0]!, b)],
  ['GET', new RegExp(`^/api/v2/user_fields${J}$`), 'user_fields.list', (c) => r.listFieldsOf('user', c)],
  ['GET', new RegExp(`^/api/v2/ticket_fields${J}$`), 'ticket_fields.list', (c) => r.listFieldsOf('ticket', c)],
  ['GET', new RegExp(`^/api/v2/tickets${J}$`), 'tickets.list', (c, _p, q) => r.listTickets(c, q)],
  ['POST', new RegExp(`^/api/v2/tickets${J}$`), 'tickets.create', (c, _p, _q, b) => r.createTicket(c, b)],
  ['GET', new RegExp(`^/api/v2/tickets/([^/]+?)/comments${J}$`), 'comments.list', (c, p, q) => r.listComments(c, p[0]!, q)],
  ['GET', new RegExp(`^/api/v2/tickets/([^/]+?)${J}$`), 'tickets.show', (c, p) => r.getTicket(c, p[0]!)],
  ['PUT', new RegExp(`^/api/v2/tickets/([^/]+?)${J}$`), 'tickets.update', (c, p, _q, b) => r.updateTicket(c, p[0]!, b)],
];

const IDEMPOTENCY_TTL_MS = 2 * 60 * 60 * 1000;

/** A JSON value with object keys sorted: "the same body" whatever the key order or spacing. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

export async function startZendeskEmulator(o: ZendeskEmulatorOptions = {}) {
  const now = o.now ?? Date.now;
  const subdomain = o.subdomain ?? 'liaison-demo';
  const email = o.email ?? 'li.na@example.com';
  const token = o.token ?? 'zd-test-token-6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
  const tokens = new Set([token]);
  const t0 = new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const state: r.State = { seq: 9000, subdomain, users: new Map(), tickets: new Map(), ticketFields: [], userFields: [] };
  const agent: r.User = { id: 501, name: '李娜', email, secondaryEmails: [], tags: [], role: 'agent', active: true, verified: true, user_fields: {}, created_at: t0, updated_at: t0 };
  const colleague: r.User = { ...agent, id: 502, name: '王强', email: 'wang.qiang@example.com' };
  state.users.set(agent.id, agent);
  state.users.set(colleague.id, colleague);
  // System ticket fields (not removable) and two custom ones; one user field.
  const tf = (id: number, title: string, type: string, removable: boolean, options?: string[]): r.Field => ({ id, title, type, active: true, removable, ...(options ? { custom_field_options: options.map((v, i) => ({ id: id * 10 + i, name: v, value: v })) } : {}) });
  state.ticketFields.push(tf(1, 'Subject', 'subject', false), tf(2, 'Description', 'description', false), tf(3, 'Status', 'status', false), tf(4, 'Priority', 'priority', false), tf(360001, '订单号', 'text', true), tf(360002, '产品线', 'tagger', true, ['loans', 'cards']));
  state.userFields.push({ id: 7001, key: 'customer_code', title: '客户编号', type: 'text', active: true, removable: true });

  const requests: RequestLogEntry[] = [];
  const faults = createFaultQueue<Fault, RequestLogEntry>();
  const idempotent = new Map<string, { body: string; reply: r.Reply; at: number }>();
  let window: { start: number; count: number } = { start: now(), count: 0 };
  const updates = new Map<string, number[]>();
  let down = false;
  /** A rate-limit window the fault tests open: every request until then is a 429 announcing the rest of it. */
  let limitedUntil = 0;
  const perMinute = o.perMinute ?? 200;
  const ticketUpdates = o.ticketUpdates ?? 30;

  function send(res: ServerResponse, entry: RequestLogEntry, reply: r.Reply, extra: Record<string, string> = {}) {
    entry.status = reply.status;
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', date: new Date(now()).toUTCString(), ...extra, ...reply.headers });
    res.end(JSON.stringify(reply.body));
  }

  /** The authenticated user, 'anonymous' (no credentials), or undefined (wrong ones). */
  function authenticate(req: IncomingMessage): r.User | 'anonymous' | undefined {
    const h = req.headers.authorization;
    if (!h) return 'anonymous';
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(h);
    if (!m) return undefined;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const sep = decoded.indexOf('/token:');
    if (sep < 0) return undefined;
    const [who, tok] = [decoded.slice(0, sep), decoded.slice(sep + 7)];
    const user = [...state.users.values()].find((u) => u.email?.toLowerCase() === who.toLowerCase() && u.active);
    return user && user.role !== 'end-user' && tokens.has(tok) && who.toLowerCase() === email.toLowerCase() ? user : undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const hit = ROUTES.find(([m, re]) => m === method && re.test(url.pathname));
    const params = hit ? (hit[1].exec(url.pathname) ?? []).slice(1).map(decodeURIComponent) : [];
    const entry: RequestLogEntry = { at: now(), method, path: url.pathname, api: hit?.[2] ?? 'unknown', status: 0, outcome: 'replied' };
    requests.push(entry);
    if (down) {
      entry.outcome = 'refused';
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const who = authenticate(req);
    if (who === 'anonymous' && hit?.[2] === 'users.me') return send(res, entry, { status: 200, body: { user: { id: null, name: 'Anonymous user', email: 'invalid@example.com', role: 'end-user', url: null } } });
    if (!who || who === 'anonymous') return send(res, entry, r.zdError(401, "Couldn't authenticate you"));
    if (!hit) return send(res, entry, r.zdError(404, 'InvalidEndpoint', `Not found: ${method} ${url.pathname}`));
    // The account's per-minute budget (and a window a fault test opened), counted as requests
    // arrive: the logged time, taken before the body is read (a second clock reading after it
    // drifts from the log under load).
    const t = entry.at;
    if (t < limitedUntil) return send(res, entry, { ...r.zdError(429, 'APIRateLimitExceeded', 'Number of allowed API requests per minute exceeded'), headers: { 'retry-after': String(Math.max(1, Math.ceil((limitedUntil - t) / 1000))), 'x-rate-limit': String(perMinute), 'x-rate-limit-remaining': '0' } });
    if (t - window.start >= 60_000) window = { start: t, count: 0 };
    const wait = Math.max(1, Math.ceil((window.start + 60_000 - t) / 1000));
    if (window.count >= perMinute) return send(res, entry, { ...r.zdError(429, 'APIRateLimitExceeded', 'Number of allowed API requests per minute exceeded'), headers: { 'retry-after': String(wait), 'x-rate-limit': String(perMinute), 'x-rate-limit-remaining': '0' } });
    window.count++;
    const headers = { 'x-rate-limit': String(perMinute), 'x-rate-limit-remaining': String(perMinute - window.count) };
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    if (raw) {
      if (!/application\/json/.test(req.headers['content-type'] ?? '')) return send(res, entry, r.zdError(415, 'UnsupportedMediaType', 'Content-Type must be application/json'), headers);
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, entry, r.zdError(400, 'InvalidJSON', 'The request body is not valid JSON'), headers);
      }
    } else if (method === 'POST' || method === 'PUT') return send(res, entry, r.zdError(400, 'InvalidParameter', 'The request body is missing'), headers);
    // Update Ticket: 30 per 10 minutes per user per ticket.
    if (hit[2] === 'tickets.update') {
      const k = `${who.id}:${params[0]}`;
      const list = (updates.get(k) ?? []).filter((x) => t - x < 600_000);
      if (list.length >= ticketUpdates) {
        const retry = Math.max(1, Math.ceil((list[0]! + 600_000 - t) / 1000));
        return send(res, entry, { ...r.zdError(429, 'TooManyRequests', 'Rate limit for ticket updates exceeded, please wait before updating this ticket again'), headers: { ...headers, 'retry-after': String(retry) } });
      }
      list.push(t);
      updates.set(k, list);
    }
    const ctx: r.Ctx = { state, now, me: who };
    // Idempotency-Key on ticket creation.
    const key = hit[2] === 'tickets.create' ? (req.headers['idempotency-key'] as string | undefined) : undefined;
    if (key !== undefined) {
      entry.key = key;
      if (!key.length || key.length > 255) return send(res, entry, r.zdError(400, 'InvalidParameter', 'Idempotency-Key: 1 to 255 characters'), headers);
      for (const [k, v] of idempotent) if (t - v.at >= IDEMPOTENCY_TTL_MS) idempotent.delete(k);
      const seen = idempotent.get(key);
      if (seen) {
        if (seen.body !== canonical(body)) return send(res, entry, r.zdError(400, 'IdempotentRequestError', "Request parameters don't match the given idempotency key"), headers);
        entry.idempotency = 'hit';
        const fault = faults.take(hit[2], entry);
        if (fault?.kind === 'drop') {
          entry.outcome = 'dropped';
          res.socket?.destroy();
          return;
        }
        return send(res, entry, seen.reply, { ...headers, 'x-idempotency-lookup': 'hit' });
      }
      entry.idempotency = 'miss';
    }
    const run = (): r.Reply => {
      const reply = hit[3](ctx, params, url.searchParams, body);
      if (key !== undefined && reply.status >= 200 && reply.status < 300) idempotent.set(key, { body: canonical(body), reply, at: t });
      return { ...reply, headers: { ...headers, ...(key !== undefined ? { 'x-idempotency-lookup': 'miss' } : {}), ...reply.headers } };
    };
    const fault = faults.take(hit[2], entry);
    if (!fault) return send(res, entry, run());
    if (fault.commit) run();
    if (fault.kind === 'drop') {
      entry.outcome = 'dropped';
      res.socket?.destroy();
      return;
    }
    const status = fault.status ?? 500;
    return send(res, entry, r.zdError(status, status === 503 ? 'ServiceUnavailable' : 'InternalServerError', status === 503 ? 'Service temporarily unavailable' : 'Something went wrong'), headers);
  }

  const server = createServer((req, res) => void handle(req, res).catch((e) => { res.writeHead(500); res.end(String(e)); }));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ctxAs = (u: r.User): r.Ctx => ({ state, now, me: u });

  const control = {
    /** A colleague adds an end user in Zendesk's UI. Returns its id. */
    addUser(p: { name: string; email?: string; phone?: string; external_id?: string }): number {
      const u = r.newUser(ctxAs(colleague), { name: p.name, ...(p.email ? { email: p.email } : {}), ...(p.phone ? { phone: p.phone } : {}), ...(p.external_id ? { external_id: p.external_id } : {}) });
      state.users.set(u.id, u);
      return u.id;
    },
    /** A colleague edits a user: updated_at moves to now. */
    editUser(id: number, patch: { name?: string; phone?: string; notes?: string }): void {
      const reply = r.updateUser(ctxAs(colleague), String(id), { user: patch });
      if (reply.status !== 200) throw new Error(JSON.stringify(reply.body));
    },
    /** Deleted in Zendesk: reads back active:false. */
    deleteUser(id: number): void {
      const u = state.users.get(id);
      if (u) u.active = false;
    },
    /** An agent moves the ticket on (open, pending, solved…) in Zendesk's UI. */
    setTicketStatus(id: number, status: r.Ticket['status'], assigneeId = colleague.id): void {
      const reply = r.updateTicket(ctxAs(colleague), String(id), { ticket: { status, assignee_id: assigneeId } });
      if (reply.status !== 200) throw new Error(JSON.stringify(reply.body));
    },
    deleteTicket(id: number): void {
      const tk = state.tickets.get(id);
      if (tk) tk.deleted = true;
    },
    /** The next `count` requests (of `api`, or any) answer `status` (500 by default); with commit, the write is done first. */
    failNext(f: { api?: string; status?: number; count?: number; commit?: boolean } = {}) {
      faults.push({ kind: 'fail', left: f.count ?? 1, ...(f.api ? { api: f.api } : {}), ...(f.status ? { status: f.status } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    /** The next request of `api` (or any) loses its reply: the connection closes, after the write committed when `commit`. */
    dropNext(f: { api?: string; commit?: boolean } = {}) {
      faults.push({ kind: 'drop', left: 1, ...(f.api ? { api: f.api } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    /** Random faults for the outbox fault tests: asked for each request no queued fault applies to. */
    setFaultPolicy(p: ((entry: RequestLogEntry) => Omit<Fault, 'left'> | undefined) | undefined) {
      faults.setPolicy(p);
    },
    /** The admin deleted the token: it answers 401 from now on. */
    revokeToken(tk = token) {
      tokens.delete(tk);
    },
    /** Every request for the next `ms` is refused with 429 and the rest of the window as Retry-After. */
    rateLimitFor(ms: number) {
      limitedUntil = now() + ms;
    },
    setDown(v: boolean) {
      down = v;
    },
    clearLog() {
      requests.length = 0;
    },
    /** Keys Zendesk still remembers (expired ones are dropped on the next create). */
    idempotencyKeys: () => [...idempotent.keys()],
  };
  return {
    url,
    subdomain,
    email,
    token,
    agent,
    colleague,
    state,
    requests,
    control,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
export type ZendeskEmulator = Awaited<ReturnType<typeof startZendeskEmulator>>;
