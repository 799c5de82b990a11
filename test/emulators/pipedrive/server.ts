// A strict emulator of api.pipedrive.com for the Pipedrive connector's contract tests: v1
// users/me, personFields/dealFields/noteFields, notes; v2 persons (create, get, patch, list
// with updated_since, search), deals (create, list, search), activities (create, list). Platform
// behaviour from pipedrive.readme.io (checked 2026-12-06): the API token in x-api-token (or the
// api_token query of older clients), 401 {success:false, error:"unauthorized access",
// errorCode:401}; a burst limit per token in 2-second windows (20 at the lowest plan) and a
// separate search limit (10 per 2 s), with x-ratelimit-limit / -remaining / -reset on every
// reply and 429 + Retry-After past it; the token-based daily budget, each request charged its
// endpoint's cost (v2: the files' x-token-cost; v1: 2 for one record, 20 for a list, 10 for a
// write — rate-limits.apis.io's summary of Pipedrive's cost table, the v1 file has none), 429
// once spent (Retry-After to UTC midnight; the body's words are the emulator's). Faults through
// `control`: 5xx, a reply lost after the write committed, the token revoked, the server down.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultQueue } from '../fault-queue';
import * as r from './routes';

export interface PipedriveEmulatorOptions {
  token?: string;
  /** Requests per 2-second window per token (lowest plan 20). */
  burst?: number;
  /** Search requests per 2-second window (10). */
  searchBurst?: number;
  /** Daily token budget (30,000 × plan multiplier × seats; the smallest company here). */
  dailyTokens?: number;
  now?: () => number;
}

export interface RequestLogEntry { at: number; method: string; path: string; api: string; status: number; outcome: 'replied' | 'dropped' | 'refused'; cost: number }

interface Fault { api?: string; left: number; kind: 'fail' | 'drop'; status?: number; commit?: boolean }

type Handler = (ctx: r.Ctx, p: string[], q: URLSearchParams, body: unknown) => r.Reply;
interface Route { api: string; cost: number; search?: boolean; handle: Handler }
const ROUTES: [string, RegExp, Route][] = [
  ['GET', /^\/v1\/users\/me$/, { api: 'users.me', cost: 2, handle: (c) => r.me(c) }],
  ['GET', /^\/v1\/(person|deal|note)Fields$/, { api: 'fields.list', cost: 20, handle: (c, p, q) => r.listFields(c, p[0] as 'person', q) }],
  ['POST', /^\/v1\/(person|deal)Fields$/, { api: 'fields.create', cost: 10, handle: (c, p, _q, b) => r.createField(c, p[0] as 'person', b) }],
  ['GET', /^\/v1\/notes$/, { api: 'notes.list', cost: 20, handle: (c, _p, q) => r.listNotes(c, q) }],
  ['POST', /^\/v1\/notes$/, { api: 'notes.create', cost: 10, handle: (c, _p, _q, b) => r.createNote(c, b) }],
  ['GET', /^\/api\/v2\/persons\/search$/, { api: 'persons.search', cost: 20, search: true, handle: (c, _p, q) => r.searchPersons(c, q) }],
  ['GET', /^\/api\/v2\/persons$/, { api: 'persons.list', cost: 10, handle: (c, _p, q) => r.listPersons(c, q) }],
  ['POST', /^\/api\/v2\/persons$/, { api: 'persons.create', cost: 5, handle: (c, _p, _q, b) => r.createPerson(c, b) }],
  ['GET', /^\/api\/v2\/persons\/([^/]+)$/, { api: 'persons.get', cost: 1, handle: (c, p) => r.getPerson(c, p[0]!) }],
  ['PATCH', /^\/api\/v2\/persons\/([^/]+)$/, { api: 'persons.update', cost: 5, handle: (c, p, _q, b) => r.patchPerson(c, p[0]!, b) }],
  ['GET', /^\/api\/v2\/deals\/search$/, { api: 'deals.search', cost: 20, search: true, handle: (c, _p, q) => r.searchDeals(c, q) }],
  ['GET', /^\/api\/v2\/deals$/, { api: 'deals.list', cost: 10, handle: (c, _p, q) => r.listDeals(c, q) }],
  ['POST', /^\/api\/v2\/deals$/, { api: 'deals.create', cost: 5, handle: (c, _p, _q, b) => r.createDeal(c, b) }],
  ['GET', /^\/api\/v2\/activities$/, { api: 'activities.list', cost: 10, handle: (c, _p, q) => r.listActivities(c, q) }],
  ['POST', /^\/api\/v2\/activities$/, { api: 'activities.create', cost: 5, handle: (c, _p, _q, b) => r.createActivity(c, b) }],
];

export async function startPipedriveEmulator(o: PipedriveEmulatorOptions = {}) {
  const now = o.now ?? Date.now;
  const tokens = new Set([o.token ?? 'pd-test-token-0123456789abcdef0123456789ab']);
  const token = [...tokens][0]!;
  const state: r.State = {
    seq: 1000,
    users: [{ id: 1, name: '李娜', email: 'li.na@example.com' }, { id: 2, name: '王强', email: 'wang.qiang@example.com' }],
    me: 1,
    company: { id: 77, name: '深圳联络贸易', domain: 'liaison-demo' },
    fields: { person: [], deal: [], note: [] },
    persons: new Map(), notes: new Map(), deals: new Map(), activities: new Map(),
  };
  const t0 = r.v1Time(now());
  const std = (key: string, name: string, field_type: string): r.Field => ({ id: ++state.seq, key, name, field_type, edit_flag: false, add_time: t0, update_time: t0, active_flag: true });
  state.fields.person.push(std('name', 'Name', 'varchar'), std('email', 'Email', 'varchar'), std('phone', 'Phone', 'phone'));
  state.fields.deal.push(std('title', 'Title', 'varchar'), std('value', 'Value', 'monetary'), std('status', 'Status', 'enum'));
  state.fields.note.push(std('content', 'Content', 'text'));
  const ctx: r.Ctx = { state, now };
  const requests: RequestLogEntry[] = [];
  const faults = createFaultQueue<Fault>();
  const windows = new Map<string, number[]>();
  let spent = 0;
  let spentDay = new Date(now()).toISOString().slice(0, 10);
  let down = false;
  const burst = o.burst ?? 20;
  const searchBurst = o.searchBurst ?? 10;
  const daily = o.dailyTokens ?? 30_000;

  /** A request arriving at `t` in the 2-second window of `key`. */
  function rate(key: string, max: number, t: number): { ok: boolean; remaining: number; reset: number } {
    const list = (windows.get(key) ?? []).filter((x) => t - x < 2000);
    const ok = list.length < max;
    if (ok) list.push(t);
    windows.set(key, list);
    const reset = list.length ? Math.max(1, Math.ceil((2000 - (t - list[0]!)) / 1000)) : 2;
    return { ok, remaining: Math.max(0, max - list.length), reset };
  }

  function send(res: ServerResponse, entry: RequestLogEntry, reply: r.Reply) {
    entry.status = reply.status;
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': 'application/json', date: new Date(now()).toUTCString(), ...reply.headers });
    res.end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const hit = ROUTES.find(([m, re]) => m === method && re.test(url.pathname));
    const params = hit ? (hit[1].exec(url.pathname) ?? []).slice(1).map(decodeURIComponent) : [];
    const entry: RequestLogEntry = { at: now(), method, path: url.pathname, api: hit?.[2].api ?? 'unknown', status: 0, outcome: 'replied', cost: 0 };
    requests.push(entry);
    if (down) {
      entry.outcome = 'refused';
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const given = (req.headers['x-api-token'] as string | undefined) ?? url.searchParams.get('api_token') ?? undefined;
    if (!given || !tokens.has(given)) return send(res, entry, r.pdError(401, 'unauthorized access', { errorCode: 401 }));
    if (!hit) return send(res, entry, r.pdError(404, `Unknown method ${method} ${url.pathname}`));
    const route = hit[2];
    // Daily token budget (UTC day), then the burst windows.
    const day = new Date(now()).toISOString().slice(0, 10);
    if (day !== spentDay) [spent, spentDay] = [0, day];
    if (spent + route.cost > daily) {
      const midnight = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
      return send(res, entry, { ...r.pdError(429, 'Daily token budget exceeded', { errorCode: 429 }), headers: { 'retry-after': String(Math.ceil((midnight - now()) / 1000)) } });
    }
    // Counted as requests arrive: the logged time, taken before the body is read (under load
    // reading it can take a while, which bunched requests sent apart into one window).
    const b = rate(`all:${given}`, burst, entry.at);
    const s = route.search ? rate(`search:${given}`, searchBurst, entry.at) : undefined;
    const limit = s && !s.ok ? { ...s, max: searchBurst } : { ...b, max: burst };
    const headers = { 'x-ratelimit-limit': String(limit.max), 'x-ratelimit-remaining': String(limit.remaining), 'x-ratelimit-reset': String(limit.reset) };
    if (!b.ok || (s && !s.ok)) return send(res, entry, { ...r.pdError(429, 'Request over limit', { errorCode: 429 }), headers: { ...headers, 'retry-after': String(limit.reset) } });
    spent += route.cost;
    entry.cost = route.cost;
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    if (raw) {
      if (!/application\/json/.test(req.headers['content-type'] ?? '')) return send(res, entry, r.pdError(415, 'Content-Type must be application/json'));
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, entry, r.pdError(400, 'Invalid JSON body'));
      }
    } else if (method === 'POST' || method === 'PATCH') return send(res, entry, r.pdError(400, 'Request body is missing'));
    const fault = faults.take(route.api);
    const run = () => {
      const reply = route.handle(ctx, params, url.searchParams, body);
      return { ...reply, headers: { ...headers, ...reply.headers } };
    };
    if (!fault) return send(res, entry, run());
    if (fault.commit) run();
    if (fault.kind === 'drop') {
      entry.outcome = 'dropped';
      res.socket?.destroy();
      return;
    }
    return send(res, entry, { ...r.pdError(fault.status ?? 500, fault.status === 503 ? 'Service unavailable' : 'Internal server error'), headers });
  }

  const server = createServer((req, res) => void handle(req, res).catch((e) => { res.writeHead(500); res.end(String(e)); }));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const control = {
    /** A colleague adds a person in Pipedrive's UI (validated like a create). Returns its id. */
    addPerson(p: { name: string; phones?: string[]; emails?: string[]; custom?: Record<string, string> }): number {
      const reply = r.createPerson(ctx, { name: p.name, phones: (p.phones ?? []).map((value, i) => ({ value, primary: i === 0 })), emails: (p.emails ?? []).map((value, i) => ({ value, primary: i === 0 })), ...(p.custom ? { custom_fields: p.custom } : {}) });
      if (reply.status !== 200) throw new Error(JSON.stringify(reply.body));
      return (reply.body as { data: { id: number } }).data.id;
    },
    /** A colleague edits a person: update_time moves to now. */
    editPerson(id: number, patch: { name?: string; phones?: string[] }): void {
      const reply = r.patchPerson(ctx, String(id), { ...(patch.name ? { name: patch.name } : {}), ...(patch.phones ? { phones: patch.phones.map((value, i) => ({ value, primary: i === 0 })) } : {}) });
      if (reply.status !== 200) throw new Error(JSON.stringify(reply.body));
    },
    deletePerson(id: number): void {
      const p = state.persons.get(id);
      if (p) p.is_deleted = true;
    },
    /** A colleague (user 2, 王强) logs a note on a person. Returns the note id. */
    addNoteAsColleague(personId: number, content: string, at: number): number {
      const reply = r.createNote(ctx, { content, person_id: personId, add_time: r.v1Time(at) }, 2);
      if (reply.status !== 200) throw new Error(JSON.stringify(reply.body));
      return (reply.body as { data: { id: number } }).data.id;
    },
    addDealAsColleague(personId: number, title: string, value: number, status = 'open'): number {
      const reply = r.createDeal(ctx, { title, value, status, person_id: personId }, 2);
      if (reply.status !== 200) throw new Error(JSON.stringify(reply.body));
      return (reply.body as { data: { id: number } }).data.id;
    },
    /** The next `count` requests (of `api`, or any) answer `status` (500 by default); with commit, a write is done first. */
    failNext(f: { api?: string; status?: number; count?: number; commit?: boolean } = {}) {
      faults.push({ kind: 'fail', left: f.count ?? 1, ...(f.api ? { api: f.api } : {}), ...(f.status ? { status: f.status } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    /** The next request of `api` (or any) loses its reply: the connection closes, after the write committed when `commit`. */
    dropNext(f: { api?: string; commit?: boolean } = {}) {
      faults.push({ kind: 'drop', left: 1, ...(f.api ? { api: f.api } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    /** The user regenerated the token in Pipedrive: the old one answers 401. */
    revokeToken(t = token) {
      tokens.delete(t);
    },
    setDown(v: boolean) {
      down = v;
    },
    clearLog() {
      requests.length = 0;
    },
    spentTokens: () => spent,
  };
  return {
    url,
    token,
    state,
    requests,
    control,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
export type PipedriveEmulator = Awaited<ReturnType<typeof startPipedriveEmulator>>;
