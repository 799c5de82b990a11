// A strict emulator of a Freshdesk helpdesk ({domain}.freshdesk.com, API v2) for the Freshdesk
// connector's contract tests: the authenticated agent, groups, ticket fields, contacts (list by
// email/phone/mobile, create), tickets (list, create, view) and notes (create, list the
// conversations). Routes and their rules: routes.ts. Freshdesk publishes no machine-readable API
// description (shared/specs/SOURCES.md, "Freshdesk: None found"), so this follows its
// documentation, developers.freshdesk.com/api (read 2026-12-06 through the search tool):
// - "Authentication": Basic with the API key as the user name; the password is not checked
//   (the docs send "X"); a wrong or missing key is 401 {"code":"invalid_credentials","message":
//   "You have to be logged in to perform this action."}; an agent without the permission gets 403
//   {"code":"access_denied","message":"You are not authorized to perform this action."};
// - "Rate Limit": per account per minute (Growth 200 by default here) with per-endpoint caps
//   inside it (Growth: ticket create 80, tickets list 20, contacts list 20), "invalid requests count";
//   every reply carries X-RateLimit-Total, X-RateLimit-Remaining, X-RateLimit-Used-CurrentRequest;
//   past the limit 429 with Retry-After (seconds to the end of the minute);
// - "Pagination": page and per_page (≤ 100, default 30), Link: <…>; rel="next" while more follow;
// - JSON only: a body without Content-Type application/json is 415 invalid_content_type, bad JSON
//   400 invalid_json; an unknown path 404 without a body; a known path with another method 405.
// Faults through `control`: 5xx, a reply lost after the write committed, a key reset, the server
// down, a rate-limit window; and a per-request policy for the outbox fault tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultQueue } from '../fault-queue';
import * as r from './routes';

export interface FreshdeskEmulatorOptions {
  domain?: string;
  /** The API key of the agent Liaison connects as. */
  apiKey?: string;
  /** Requests per minute for the account (Growth 200). */
  perMinute?: number;
  /** Per-endpoint caps within the account's minute (Growth: ticket create 80, tickets list 20, contacts list 20). */
  endpointPerMinute?: Record<string, number>;
  now?: () => number;
}

export interface RequestLogEntry { at: number; method: string; path: string; query: string; api: string; status: number; outcome: 'replied' | 'dropped' | 'refused'; body?: unknown }

export interface Fault { api?: string; left: number; kind: 'fail' | 'drop'; status?: number; commit?: boolean }

type Handler = (ctx: r.Ctx, p: string[], q: URLSearchParams, body: unknown) => r.Reply;
const ROUTES: [string, RegExp, string, Handler][] = [
  ['GET', /^\/api\/v2\/agents\/me$/, 'agents.me', (c) => r.me(c)],
  ['GET', /^\/api\/v2\/groups$/, 'groups.list', (c, _p, q) => r.listGroups(c, q)],
  ['GET', /^\/api\/v2\/groups\/([^/]+)$/, 'groups.show', (c, p) => r.getGroup(c, p[0]!)],
  ['GET', /^\/api\/v2\/ticket_fields$/, 'ticket_fields.list', (c, _p, q) => r.listTicketFields(c, q)],
  ['GET', /^\/api\/v2\/contacts$/, 'contacts.list', (c, _p, q) => r.listContacts(c, q)],
  ['POST', /^\/api\/v2\/contacts$/, 'contacts.create', (c, _p, _q, b) => r.createContact(c, b)],
  ['GET', /^\/api\/v2\/tickets$/, 'tickets.list', (c, _p, q) => r.listTickets(c, q)],
  ['POST', /^\/api\/v2\/tickets$/, 'tickets.create', (c, _p, _q, b) => r.createTicket(c, b)],
  ['GET', /^\/api\/v2\/tickets\/([^/]+)$/, 'tickets.show', (c, p, q) => r.getTicket(c, p[0]!, q)],
  ['POST', /^\/api\/v2\/tickets\/([^/]+)\/notes$/, 'notes.create', (c, p, _q, b) => r.createNote(c, p[0]!, b)],
  ['GET', /^\/api\/v2\/tickets\/([^/]+)\/conversations$/, 'conversations.list', (c, p, q) => r.listConversations(c, p[0]!, q)],
];

export async function startFreshdeskEmulator(o: FreshdeskEmulatorOptions = {}) {
  const now = o.now ?? Date.now;
  const domain = o.domain ?? 'liaison-demo';
  const apiKey = o.apiKey ?? 'Fd7kQm2XrT9vLp4sWn8Z';
  const agent: r.Agent = { id: 43000000101, name: '李娜', email: 'li.na@example.com', key: apiKey, readOnly: false };
  const colleague: r.Agent = { id: 43000000102, name: '王强', email: 'wang.qiang@example.com', key: 'Cq3nVb6YhJ1kLs5Dx0Pa', readOnly: false };
  const restricted: r.Agent = { id: 43000000103, name: '只读客服', email: 'viewer@example.com', key: 'Rr0Ee4Aa8Dd2Oo6Nn1Ll', readOnly: true };
  const state: r.State = {
    seq: 43000100000,
    domain,
    agents: [agent, colleague, restricted],
    contacts: new Map(),
    tickets: new Map(),
    groups: [{ id: 43000000501, name: '售后组' }, { id: 43000000502, name: '技术支持组' }, { id: 43000000503, name: 'Billing' }],
    fields: [],
  };
  const f = (id: number, name: string, label: string, type: string, position: number, choices?: unknown, required = false): r.TicketField => ({ id, name, label, type, default: type.startsWith('default_'), required_for_agents: required, position, ...(choices !== undefined ? { choices } : {}) });
  state.fields.push(
    f(43000000001, 'requester', 'Search a requester', 'default_requester', 1, undefined, true),
    f(43000000002, 'subject', 'Subject', 'default_subject', 2, undefined, true),
    f(43000000003, 'ticket_type', 'Type', 'default_ticket_type', 3, ['Question', 'Incident', 'Problem', 'Feature Request', 'Refund']),
    f(43000000004, 'source', 'Source', 'default_source', 4, { Email: 1, Portal: 2, Phone: 3, Chat: 7, 'Feedback Widget': 9, 'Outbound Email': 10 }),
    f(43000000005, 'status', 'Status', 'default_status', 5, { 2: ['Open', 'Being Processed'], 3: ['Pending', 'Awaiting your Reply'], 4: ['Resolved', 'This ticket has been Resolved'], 5: ['Closed', 'This ticket has been Closed'], 6: ['Waiting on Customer', 'Awaiting your Reply'], 7: ['Waiting on Third Party', 'Being Processed'] }, true),
    f(43000000006, 'priority', 'Priority', 'default_priority', 6, { Low: 1, Medium: 2, High: 3, Urgent: 4 }, true),
    f(43000000007, 'group', 'Group', 'default_group', 7, {}),
    f(43000000008, 'agent', 'Agent', 'default_agent', 8, {}),
    f(43000000009, 'description', 'Description', 'default_description', 9, undefined, true),
    f(43000000010, 'cf_order_number', '订单号', 'custom_text', 10),
    f(43000000011, 'cf_product_line', '产品线', 'custom_dropdown', 11, ['贷款', '信用卡']),
  );

  const requests: RequestLogEntry[] = [];
  const faults = createFaultQueue<Fault, RequestLogEntry>();
  const keys = new Set([apiKey, colleague.key, restricted.key]);
  const perMinute = o.perMinute ?? 200;
  const endpointCaps: Record<string, number> = o.endpointPerMinute ?? { 'tickets.create': 80, 'tickets.list': 20, 'contacts.list': 20 };
  let window = { start: now(), count: 0, byApi: new Map<string, number>() };
  let limitedUntil = 0;
  let down = false;

  function send(res: ServerResponse, entry: RequestLogEntry, reply: r.Reply, headers: Record<string, string>) {
    entry.status = reply.status;
    const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
    res.writeHead(reply.status, { ...(body ? { 'content-type': 'application/json; charset=utf-8' } : {}), date: new Date(now()).toUTCString(), ...headers, ...reply.headers });
    res.end(body);
  }

  function authenticate(req: IncomingMessage): r.Agent | undefined {
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
    if (!m) return undefined;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const sep = decoded.indexOf(':');
    const user = sep < 0 ? decoded : decoded.slice(0, sep);
    return keys.has(user) ? state.agents.find((a) => a.key === user) : undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const hit = ROUTES.find(([m, re]) => m === method && re.test(url.pathname));
    const params = hit ? (hit[1].exec(url.pathname) ?? []).slice(1).map(decodeURIComponent) : [];
    const entry: RequestLogEntry = { at: now(), method, path: url.pathname, query: url.search, api: hit?.[2] ?? 'unknown', status: 0, outcome: 'replied' };
    requests.push(entry);
    if (down) {
      entry.outcome = 'refused';
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    // Every request counts against the minute, invalid ones too, as it arrives: the logged time,
    // taken before the body is read (a second clock reading after it drifts from the log under load).
    const t = entry.at;
    if (t - window.start >= 60_000) window = { start: t, count: 0, byApi: new Map() };
    const rest = Math.max(1, Math.ceil(((t < limitedUntil ? limitedUntil : window.start + 60_000) - t) / 1000));
    const cap = hit ? endpointCaps[hit[2]] : undefined;
    const used = hit ? (window.byApi.get(hit[2]) ?? 0) : 0;
    if (t < limitedUntil || window.count >= perMinute || (cap !== undefined && used >= cap)) {
      return send(res, entry, { status: 429, body: { message: `You have exceeded the limit of requests per minute. Try again after ${rest} seconds.` } }, { 'retry-after': String(rest), 'x-ratelimit-total': String(perMinute), 'x-ratelimit-remaining': '0', 'x-ratelimit-used-currentrequest': '1' });
    }
    window.count++;
    if (hit) window.byApi.set(hit[2], used + 1);
    const headers = { 'x-ratelimit-total': String(perMinute), 'x-ratelimit-remaining': String(perMinute - window.count), 'x-ratelimit-used-currentrequest': '1' };
    const who = authenticate(req);
    if (!who) return send(res, entry, r.fdError(401, 'invalid_credentials', 'You have to be logged in to perform this action.'), headers);
    if (!hit) {
      if (ROUTES.some(([, re]) => re.test(url.pathname))) return send(res, entry, r.fdError(405, 'method_not_allowed', `${ROUTES.filter(([, re]) => re.test(url.pathname)).map(([m]) => m).join(', ')} method is allowed`), headers);
      return send(res, entry, r.notFound(), headers);
    }
    if (who.readOnly && method !== 'GET') return send(res, entry, r.fdError(403, 'access_denied', 'You are not authorized to perform this action.'), headers);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    if (method === 'POST') {
      const type = req.headers['content-type'] ?? '';
      if (!/^application\/json\b/i.test(type)) return send(res, entry, r.fdError(415, 'invalid_content_type', `Content-Type header is set to ${type || 'nothing'}. It should be set to application/json`), headers);
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, entry, r.fdError(400, 'invalid_json', 'Request body has invalid json format'), headers);
      }
      entry.body = body;
    } else if (raw) return send(res, entry, r.fdError(400, 'no_content_required', 'No JSON data required'), headers);
    const ctx: r.Ctx = { state, now, me: who };
    const run = () => hit[3](ctx, params, url.searchParams, body);
    const fault = faults.take(hit[2], entry);
    if (!fault) return send(res, entry, run(), headers);
    if (fault.commit) run();
    if (fault.kind === 'drop') {
      entry.outcome = 'dropped';
      res.socket?.destroy();
      return;
    }
    const status = fault.status ?? 500;
    return send(res, entry, { status, body: { code: status === 503 ? 'service_unavailable' : 'internal_error', message: status === 503 ? 'Service temporarily unavailable' : 'We are facing some issues. Please try again later.' } }, headers);
  }

  const server = createServer((req, res) => void handle(req, res).catch((e) => { res.writeHead(500); res.end(String(e)); }));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const control = {
    /** A colleague adds a contact in Freshdesk's UI. Returns its id. */
    addContact(p: { name: string; email?: string; phone?: string; mobile?: string }): number {
      const reply = r.createContact({ state, now, me: colleague }, p);
      if (reply.status !== 201) throw new Error(JSON.stringify(reply.body));
      return (reply.body as { id: number }).id;
    },
    /** An agent moves the ticket on (2 Open, 3 Pending, 4 Resolved, 5 Closed, 6/7 custom) and maybe takes it. */
    setTicketStatus(id: number, status: number, responderId: number | null = colleague.id): void {
      const tk = state.tickets.get(id);
      if (!tk) throw new Error(`no ticket ${id}`);
      tk.status = status;
      tk.responder_id = responderId;
      tk.updated_at = r.iso(now());
    },
    /** Moved to Trash: reads back with deleted:true, gone from lists. */
    deleteTicket(id: number): void {
      const tk = state.tickets.get(id);
      if (tk) tk.deleted = true;
    },
    /** The next `count` requests (of `api`, or any) answer `status` (500 by default); with commit, the write is done first. */
    failNext(fl: { api?: string; status?: number; count?: number; commit?: boolean } = {}) {
      faults.push({ kind: 'fail', left: fl.count ?? 1, ...(fl.api ? { api: fl.api } : {}), ...(fl.status ? { status: fl.status } : {}), ...(fl.commit ? { commit: true } : {}) });
    },
    /** The next request of `api` (or any) loses its reply: the connection closes, after the write committed when `commit`. */
    dropNext(fl: { api?: string; commit?: boolean } = {}) {
      faults.push({ kind: 'drop', left: 1, ...(fl.api ? { api: fl.api } : {}), ...(fl.commit ? { commit: true } : {}) });
    },
    /** Random faults for the outbox fault tests: asked for each request no queued fault applies to. */
    setFaultPolicy(p: ((entry: RequestLogEntry) => Omit<Fault, 'left'> | undefined) | undefined) {
      faults.setPolicy(p);
    },
    /** The agent reset the API key (or changed the password): the old one answers 401. */
    resetKey(k = apiKey) {
      keys.delete(k);
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
  };
  return {
    url,
    domain,
    apiKey,
    agent,
    colleague,
    restricted,
    state,
    requests,
    control,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
export type FreshdeskEmulator = Awaited<ReturnType<typeof startFreshdeskEmulator>>;
