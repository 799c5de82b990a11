// A strict emulator of a Jira Cloud site (https://<site>.atlassian.net) for the Jira connector's
// contract tests: REST API v3 myself, project search, create metadata, issues (create, get), JQL
// search (GET and POST /rest/api/3/search/jql; the removed /rest/api/3/search answers 410 Gone,
// CHANGE-2046) and comments. Pages followed (read 2026-12-06): the v3 OpenAPI file
// (shared/specs/jira.json, see routes.ts); developer.atlassian.com/cloud/jira/platform
// "Basic auth for REST APIs" (Authorization: Basic base64(email:api_token), else 401),
// "Rate limiting" (last updated Mar 5, 2026: per-second burst limits per endpoint and method,
// per-issue write limits; 429 with Retry-After (seconds), X-RateLimit-Limit, X-RateLimit-Remaining,
// X-RateLimit-Reset (yyyy-MM-ddTHH:mmZ), RateLimit-Reason jira-burst-based /
// jira-per-issue-on-write; X-RateLimit-NearLimit when under 20% remains; 503 may carry
// Retry-After), "Search and reconcile" (Feb 3, 2026: search results lag writes; `indexLagMs`),
// "Atlassian Document Format" (adf.ts), JQL (jql.ts); support.atlassian.com KB "REST API calls
// with a browser User-Agent header may fail CSRF checks" (POST/PUT with a browser User-Agent →
// 403 "XSRF check failed", X-Atlassian-Token notwithstanding; stablyai/orca#5957, 2026-06).
// Atlassian publishes no burst figures for API tokens: the defaults (10 per second per endpoint
// and method, 10 writes per issue per 10 s) are the emulator's, set per test.
// Faults through `control`: 5xx (503 with Retry-After), a reply lost after the write committed,
// the token revoked, the server down, and a per-request policy for the outbox fault tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultQueue } from '../fault-queue';
import * as r from './routes';

export interface JiraEmulatorOptions {
  email?: string;
  token?: string;
  /** Requests per second per endpoint and method (Jira's burst limit; not published). */
  burstPerSecond?: number;
  /** Writes per issue per 10 seconds (Jira's per-issue write limit; not published). */
  issueWritesPer10s?: number;
  /** How long after a write the search index shows it (0: at once). */
  indexLagMs?: number;
  /** The site's own address in its replies' self links (a browser test serves it as https://<site>.atlassian.net); default the emulator's URL. */
  site?: string;
  now?: () => number;
}

export interface RequestLogEntry { at: number; method: string; path: string; api: string; status: number; outcome: 'replied' | 'dropped' | 'refused'; issue?: string; /** The request's User-Agent (the XSRF filter looks at it). */ userAgent?: string }

export interface Fault { api?: string; left: number; kind: 'fail' | 'drop'; status?: number; commit?: boolean }

type Handler = (ctx: r.Ctx, p: string[], q: URLSearchParams, body: unknown) => r.Reply;
interface Route { api: string; write?: boolean; issueParam?: number; handle: Handler }
const API = '/rest/api/3';
const ROUTES: [string, RegExp, Route][] = [
  ['GET', /^\/rest\/api\/3\/myself$/, { api: 'myself', handle: (c) => r.myself(c) }],
  ['GET', /^\/rest\/api\/3\/project\/search$/, { api: 'project.search', handle: (c, _p, q) => r.searchProjects(c, q) }],
  ['GET', /^\/rest\/api\/3\/issue\/createmeta\/([^/]+)\/issuetypes$/, { api: 'createmeta.issuetypes', handle: (c, p, q) => r.createMetaIssueTypes(c, p[0]!, q) }],
  ['GET', /^\/rest\/api\/3\/issue\/createmeta\/([^/]+)\/issuetypes\/([^/]+)$/, { api: 'createmeta.fields', handle: (c, p, q) => r.createMetaFields(c, p[0]!, p[1]!, q) }],
  ['POST', /^\/rest\/api\/3\/issue$/, { api: 'issue.create', write: true, handle: (c, _p, _q, b) => r.createIssue(c, b) }],
  ['GET', /^\/rest\/api\/3\/issue\/([^/]+)$/, { api: 'issue.get', handle: (c, p, q) => r.getIssue(c, p[0]!, q) }],
  ['GET', /^\/rest\/api\/3\/issue\/([^/]+)\/comment$/, { api: 'comment.list', handle: (c, p, q) => r.listComments(c, p[0]!, q) }],
  ['POST', /^\/rest\/api\/3\/issue\/([^/]+)\/comment$/, { api: 'comment.create', write: true, issueParam: 0, handle: (c, p, _q, b) => r.addComment(c, p[0]!, b) }],
  ['GET', /^\/rest\/api\/3\/search\/jql$/, { api: 'search', handle: (c, _p, q) => r.searchJql(c, { jql: q.get('jql') ?? undefined, maxResults: q.get('maxResults') ?? undefined, nextPageToken: q.get('nextPageToken') ?? undefined, fields: q.getAll('fields').length ? q.getAll('fields') : undefined, reconcileIssues: q.getAll('reconcileIssues').flatMap((v) => v.split(',')) }) }],
  ['POST', /^\/rest\/api\/3\/search\/jql$/, { api: 'search', handle: (c, _p, _q, b) => searchBody(c, b) }],
];
const SEARCH_BODY_KEYS = ['jql', 'maxResults', 'nextPageToken', 'fields', 'expand', 'properties', 'fieldsByKeys', 'failFast', 'reconcileIssues'];
function searchBody(c: r.Ctx, b: unknown): r.Reply {
  if (typeof b !== 'object' || b === null || Array.isArray(b)) return r.jiraError(400, ['Request body must be a JSON object.']);
  const extra = Object.keys(b).filter((k) => !SEARCH_BODY_KEYS.includes(k));
  if (extra.length) return r.jiraError(400, [`Unrecognized field "${extra[0]}".`]);
  return r.searchJql(c, b as Record<string, unknown>);
}

const BROWSER_UA = /Mozilla\/|Chrome\/|Safari\/|Firefox\//;

export const SITE_ME = '5b10a2844c20165700ede21g';
export const COLLEAGUE = '5b10ac8d82e05b22cc7d4ef5';

function seedState(site: string, email: string): r.State {
  const priorities = [{ id: '1', name: 'Highest' }, { id: '2', name: 'High' }, { id: '3', name: 'Medium' }, { id: '4', name: 'Low' }, { id: '5', name: 'Lowest' }];
  const pri = priorities.map((p) => ({ self: `${site}/rest/api/3/priority/${p.id}`, iconUrl: `${site}/images/icons/priorities/${p.name.toLowerCase()}.svg`, name: p.name, id: p.id }));
  const std = (o: { labels?: boolean; priority?: boolean; extra?: r.FieldDef[] } = {}): r.FieldDef[] => [
    { fieldId: 'summary', name: 'Summary', required: true, schema: { type: 'string', system: 'summary' } },
    { fieldId: 'issuetype', name: 'Issue Type', required: true, schema: { type: 'issuetype', system: 'issuetype' } },
    { fieldId: 'project', name: 'Project', required: true, schema: { type: 'project', system: 'project' } },
    { fieldId: 'description', name: 'Description', required: false, schema: { type: 'string', system: 'description' } },
    ...(o.labels === false ? [] : [{ fieldId: 'labels', name: 'Labels', required: false, schema: { type: 'array', items: 'string', system: 'labels' } }]),
    ...(o.priority === false ? [] : [{ fieldId: 'priority', name: 'Priority', required: false, hasDefaultValue: true, schema: { type: 'priority', system: 'priority' }, allowedValues: pri }]),
    { fieldId: 'duedate', name: 'Due date', required: false, schema: { type: 'date', system: 'duedate' } },
    { fieldId: 'assignee', name: 'Assignee', required: false, schema: { type: 'user', system: 'assignee' } },
    { fieldId: 'reporter', name: 'Reporter', required: true, hasDefaultValue: true, schema: { type: 'user', system: 'reporter' } },
    ...(o.extra ?? []),
  ];
  const channel: r.FieldDef = { fieldId: 'customfield_10050', name: '来源渠道', required: false, schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select', customId: 10050 }, allowedValues: ['微信', 'WhatsApp', '电话'].map((value, i) => ({ self: `${site}/rest/api/3/customFieldOption/${10100 + i}`, value, id: String(10100 + i) })) };
  const env: r.FieldDef = { fieldId: 'customfield_10060', name: 'Environment details', required: true, schema: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textarea', customId: 10060 } };
  return {
    seq: 10000, commentSeq: 20000, site, me: SITE_ME,
    users: [{ accountId: SITE_ME, displayName: '李娜', emailAddress: email }, { accountId: COLLEAGUE, displayName: '王强', emailAddress: 'wang.qiang@example.com' }],
    statuses: [{ id: '10000', name: 'To Do', category: 'new' }, { id: '3', name: 'In Progress', category: 'indeterminate' }, { id: '10001', name: 'Waiting for customer', category: 'indeterminate' }, { id: '10002', name: 'Done', category: 'done' }],
    priorities,
    projects: [
      { id: '10000', key: 'SUP', name: '售后支持', canCreate: true, issueTypes: [
        { id: '10001', name: 'Task', subtask: false, fields: std({ extra: [channel] }) },
        { id: '10004', name: 'Bug', subtask: false, fields: std({ labels: false }) },
        { id: '10003', name: 'Sub-task', subtask: true, fields: std() },
      ] },
      { id: '10001', key: 'DEV', name: '研发', canCreate: true, issueTypes: [{ id: '10005', name: 'Bug', subtask: false, fields: std({ priority: false, extra: [env] }) }] },
      { id: '10002', key: 'OPS', name: '运维（只读）', canCreate: false, issueTypes: [{ id: '10001', name: 'Task', subtask: false, fields: std() }] },
    ],
    issues: new Map(), counters: new Map(),
  };
}

export async function startJiraEmulator(o: JiraEmulatorOptions = {}) {
  const now = o.now ?? Date.now;
  const email = o.email ?? 'li.na@example.com';
  let token = o.token ?? 'ATATT3xFfGF0-jira-emulator-token';
  const requests: RequestLogEntry[] = [];
  const faults = createFaultQueue<Fault, RequestLogEntry>();
  const windows = new Map<string, number[]>();
  let down = false;
  const burst = o.burstPerSecond ?? 10;
  const perIssue = o.issueWritesPer10s ?? 10;

  const server = createServer((req, res) => void handle(req, res).catch((e) => { res.writeHead(500); res.end(String(e)); }));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state = seedState(o.site ?? url, email);
  const ctx: r.Ctx = { state, now, indexLagMs: o.indexLagMs ?? 0 };

  // Counted as requests arrive: the logged time, taken before the body is read (a second clock
  // reading after it drifts from the log under load, as Asana's and Pipedrive's did).
  function window(key: string, max: number, spanMs: number, t: number): { ok: boolean; remaining: number; retryAfter: number } {
    const list = (windows.get(key) ?? []).filter((x) => t - x < spanMs);
    const allowed = list.length < max;
    if (allowed) list.push(t);
    windows.set(key, list);
    const retryAfter = list.length ? Math.max(1, Math.ceil((spanMs - (t - list[0]!)) / 1000)) : 1;
    return { ok: allowed, remaining: Math.max(0, max - list.length), retryAfter };
  }
  const resetAt = (seconds: number) => new Date(now() + seconds * 1000).toISOString().slice(0, 16) + 'Z';

  function send(res: ServerResponse, entry: RequestLogEntry, reply: r.Reply) {
    entry.status = reply.status;
    const text = reply.text ?? JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': reply.text !== undefined ? 'text/plain;charset=UTF-8' : 'application/json;charset=UTF-8', date: new Date(now()).toUTCString(), 'x-arequestid': `emu-${requests.length}`, ...reply.headers });
    res.end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const hit = ROUTES.find(([m, re]) => m === method && re.test(u.pathname));
    const params = hit ? (hit[1].exec(u.pathname) ?? []).slice(1).map(decodeURIComponent) : [];
    const route = hit?.[2];
    const entry: RequestLogEntry = { at: now(), method, path: u.pathname, api: route?.api ?? 'unknown', status: 0, outcome: 'replied', ...(route?.issueParam !== undefined ? { issue: params[route.issueParam] } : {}), ...(req.headers['user-agent'] !== undefined ? { userAgent: req.headers['user-agent'] } : {}) };
    requests.push(entry);
    if (down) {
      entry.outcome = 'refused';
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    // Faults come before the credentials: an outage or a lost reply does not look at the token.
    const fault = route ? faults.take(route.api, entry) : undefined;
    const expected = `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return send(res, entry, r.jiraError(401, ['Client must be authenticated to access this resource.']));
    if ((method === 'POST' || method === 'PUT') && BROWSER_UA.test(req.headers['user-agent'] ?? '')) return send(res, entry, { status: 403, body: undefined, text: 'XSRF check failed' });
    if (u.pathname === `${API}/search` || u.pathname === '/rest/api/2/search') return send(res, entry, r.jiraError(410, ['The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046']));
    if (!route) return send(res, entry, r.jiraError(404, [`The Jira emulator has no ${method} ${u.pathname}.`]));
    const b = window(`${method} ${route.api}`, burst, 1000, entry.at);
    if (!b.ok) return send(res, entry, { ...r.jiraError(429, ['Rate limit exceeded.']), headers: { 'retry-after': String(b.retryAfter), 'x-ratelimit-limit': String(burst), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetAt(b.retryAfter), 'ratelimit-reason': 'jira-burst-based' } });
    const nearLimit: Record<string, string> = b.remaining < burst * 0.2 ? { 'x-ratelimit-nearlimit': 'true' } : {};
    if (route.write && entry.issue) {
      const issue = r.issueByIdOrKey(ctx, entry.issue);
      const w = window(`issue-write ${issue?.id ?? entry.issue}`, perIssue, 10_000, entry.at);
      if (!w.ok) return send(res, entry, { ...r.jiraError(429, ['Rate limit exceeded.']), headers: { 'retry-after': String(w.retryAfter), 'x-ratelimit-reset': resetAt(w.retryAfter), 'ratelimit-reason': 'jira-per-issue-on-write' } });
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    if (raw) {
      if (!/application\/json/.test(req.headers['content-type'] ?? '')) return send(res, entry, { ...r.jiraError(415, ['Unsupported Media Type']) });
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, entry, r.jiraError(400, ['Unexpected character in the request body: not JSON.']));
      }
    } else if (method === 'POST') return send(res, entry, r.jiraError(400, ['No content to map due to end-of-input']));
    const run = () => {
      const reply = route.handle(ctx, params, u.searchParams, body);
      return { ...reply, headers: { ...nearLimit, ...reply.headers } };
    };
    if (!fault) return send(res, entry, run());
    if (fault.commit) run();
    if (fault.kind === 'drop') {
      entry.outcome = 'dropped';
      res.socket?.destroy();
      return;
    }
    const status = fault.status ?? 500;
    return send(res, entry, { ...r.jiraError(status, [status === 503 ? 'Service Unavailable' : 'Internal server error']), headers: status === 503 ? { 'retry-after': '1' } : {} });
  }

  const issueOf = (keyOrId: string) => {
    const i = r.issueByIdOrKey(ctx, keyOrId);
    if (!i) throw new Error(`no issue ${keyOrId}`);
    return i;
  };
  const control = {
    /** A teammate moves the issue to a status (by name): its category is what Liaison reads back. */
    transition(keyOrId: string, statusName: string) {
      const i = issueOf(keyOrId);
      const st = state.statuses.find((s) => s.name === statusName);
      if (!st) throw new Error(`no status ${statusName}`);
      i.status = st.id;
      i.updated = now();
      i.indexedAt = now() + ctx.indexLagMs;
    },
    assign(keyOrId: string, accountId: string | null) {
      const i = issueOf(keyOrId);
      i.fields.assignee = accountId ?? undefined;
      i.updated = now();
    },
    /** A teammate comments (as 王强). */
    commentAsColleague(keyOrId: string, text: string) {
      const reply = r.addComment(ctx, keyOrId, { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] } }, COLLEAGUE);
      if (reply.status !== 201) throw new Error(JSON.stringify(reply.body));
    },
    deleteIssue(keyOrId: string) {
      issueOf(keyOrId).deleted = true;
    },
    /** Every issue whose labels include `label`, deleted or not (the tests' count of duplicates). */
    issuesLabelled(label: string) {
      return [...state.issues.values()].filter((i) => ((i.fields.labels as string[] | undefined) ?? []).includes(label));
    },
    /** The next `count` requests (of `api`, or any) answer `status` (500 by default); with commit, a write is done first. */
    failNext(f: { api?: string; status?: number; count?: number; commit?: boolean } = {}) {
      faults.push({ kind: 'fail', left: f.count ?? 1, ...(f.api ? { api: f.api } : {}), ...(f.status ? { status: f.status } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    /** The next request of `api` (or any) loses its reply: the connection closes, after the write committed when `commit`. */
    dropNext(f: { api?: string; commit?: boolean } = {}) {
      faults.push({ kind: 'drop', left: 1, ...(f.api ? { api: f.api } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    /** The outbox fault tests' random faults: asked for each request no queued fault applies to. */
    setFaultPolicy(p: ((entry: RequestLogEntry) => Omit<Fault, 'left'> | undefined) | undefined) {
      faults.setPolicy(p);
    },
    /** The user revoked the token at id.atlassian.com: the old one answers 401. */
    revokeToken() {
      token = `${token}-revoked-${Math.random()}`;
    },
    setIndexLag(ms: number) {
      ctx.indexLagMs = ms;
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
    email,
    get token() {
      return token;
    },
    state,
    requests,
    control,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
export type JiraEmulator = Awaited<ReturnType<typeof startJiraEmulator>>;
