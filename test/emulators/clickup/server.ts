// A strict emulator of ClickUp's API v2 (https://api.clickup.com/api/v2) for the ClickUp
// connector's contract tests: the authorized user and Workspaces, Spaces, Folders, Lists, a List's
// Custom Fields, tasks (create, list with paging and the tags[] filter, get) and task comments.
// Where its structure comes from (read 2026-12-06): ClickUp's OpenAPI file
// ../shared/specs/clickup.json (= developer.clickup.com/openapi/clickup-api-v2-reference.json,
// third-party copy of 2026-07-30, SOURCES.md; routes.ts), and developer.clickup.com/docs
// "Authentication" (personal token pk_… as the whole Authorization header, no Bearer),
// "Rate Limits" (per token; 100 requests per minute on Free Forever / Unlimited / Business; 429
// with X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset, a Unix timestamp in
// seconds; sent here on every reply, as ClickUp's replies carry them), "Common Errors"
// (updatedAt 2025-09-04: {err, ECODE}; OAUTH_017 missing header; OAUTH_019/021/025/077 token
// not found or revoked; OAUTH_023/026/027/029–045 Workspace not authorized).
// ClickUp publishes no body for a 429, a 5xx or an unknown route: those bodies (APP_002, APP_500,
// APP_001) are the emulator's own, in ClickUp's {err, ECODE} shape.
// Faults through `control`: 5xx, a reply lost after the write committed, the token regenerated
// (the old one answers 401 OAUTH_025), the server down, the List's task listing lagging writes,
// and a per-request policy for fault tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultQueue } from '../fault-queue';
import * as r from './routes';

export interface ClickUpEmulatorOptions {
  token?: string;
  /** Requests per minute per token (ClickUp: 100 on Free Forever, Unlimited and Business). */
  perMinute?: number;
  /** The rate window (ClickUp: a minute). Tests shorten it to watch a reset pass; the headers keep ClickUp's form. */
  windowMs?: number;
  /** How long after a write GET /v2/list/{id}/task shows it (0: at once). */
  listLagMs?: number;
  now?: () => number;
}

export interface RequestLogEntry { at: number; method: string; path: string; api: string; status: number; outcome: 'replied' | 'dropped' | 'refused'; task?: string }

export interface Fault { api?: string; left: number; kind: 'fail' | 'drop'; status?: number; commit?: boolean }

type Handler = (ctx: r.Ctx, p: string[], q: URLSearchParams, body: unknown) => r.Reply;
interface Route { api: string; write?: boolean; taskParam?: number; handle: Handler }
const ID = '([^/]+)';
const ROUTES: [string, RegExp, Route][] = [
  ['GET', /^\/api\/v2\/user$/, { api: 'user', handle: (c) => r.user(c) }],
  ['GET', /^\/api\/v2\/team$/, { api: 'team', handle: (c) => r.teams(c) }],
  ['GET', new RegExp(`^/api/v2/team/${ID}/space$`), { api: 'space.list', handle: (c, p) => r.spaces(c, p[0]!) }],
  ['GET', new RegExp(`^/api/v2/space/${ID}$`), { api: 'space.get', handle: (c, p) => r.space(c, p[0]!) }],
  ['GET', new RegExp(`^/api/v2/space/${ID}/folder$`), { api: 'folder.list', handle: (c, p) => r.folders(c, p[0]!) }],
  ['GET', new RegExp(`^/api/v2/space/${ID}/list$`), { api: 'list.folderless', handle: (c, p) => r.folderlessLists(c, p[0]!) }],
  ['GET', new RegExp(`^/api/v2/list/${ID}$`), { api: 'list.get', handle: (c, p) => r.list(c, p[0]!) }],
  ['GET', new RegExp(`^/api/v2/list/${ID}/field$`), { api: 'field.list', handle: (c, p) => r.fields(c, p[0]!) }],
  ['POST', new RegExp(`^/api/v2/list/${ID}/task$`), { api: 'task.create', write: true, handle: (c, p, _q, b) => r.createTask(c, p[0]!, b) }],
  ['GET', new RegExp(`^/api/v2/list/${ID}/task$`), { api: 'task.list', handle: (c, p, q) => r.listTasks(c, p[0]!, q) }],
  ['GET', new RegExp(`^/api/v2/task/${ID}$`), { api: 'task.get', taskParam: 0, handle: (c, p) => r.getTask(c, p[0]!) }],
  ['GET', new RegExp(`^/api/v2/task/${ID}/comment$`), { api: 'comment.list', taskParam: 0, handle: (c, p, q) => r.listComments(c, p[0]!, q) }],
  ['POST', new RegExp(`^/api/v2/task/${ID}/comment$`), { api: 'comment.create', write: true, taskParam: 0, handle: (c, p, _q, b) => r.addComment(c, p[0]!, b) }],
];

export const ME = 81942673;
export const COLLEAGUE = 81942674;
export const OUTSIDER = 55500001;
export const TEAM = '9012345678';
export const LIST = '901200000011';
export const LIST_NO_TAGS = '901200000031';
export const LIST_OTHER_TEAM = '901300000011';
const S = (status: string, type: r.Status['type'], color = '#87909e'): r.Status => ({ status, type, color });

function seedState(email: string): r.State {
  return {
    seq: 1_000_000, commentSeq: 90_000_000, me: ME,
    users: [
      { id: ME, username: '李娜', email, color: '#7b68ee', initials: 'LN' },
      { id: COLLEAGUE, username: '王强', email: 'wang.qiang@example.com', color: '#ff7800', initials: 'WQ' },
      { id: OUTSIDER, username: 'Finance Bot', email: 'bot@example.org', color: '#000000', initials: 'FB' },
    ],
    teams: [
      { id: TEAM, name: '联络科技', members: [ME, COLLEAGUE] },
      { id: '9013000000', name: '财务部（无权限）', members: [OUTSIDER] },
    ],
    spaces: [
      { id: '90120000001', name: '售后支持', teamId: TEAM, tags: true, priorities: true, dueDates: true, statuses: [S('to do', 'open'), S('in progress', 'custom', '#4194f6'), S('waiting on customer', 'custom', '#f9d900'), S('resolved', 'done', '#6bc950'), S('complete', 'closed', '#6bc950')] },
      { id: '90120000003', name: '研发', teamId: TEAM, tags: false, priorities: false, dueDates: true, statuses: [S('open', 'open'), S('doing', 'custom'), S('closed', 'closed')] },
      { id: '90130000001', name: '财务', teamId: '9013000000', tags: true, priorities: true, dueDates: true, statuses: [S('to do', 'open'), S('complete', 'closed')] },
    ],
    folders: [{ id: '90120000002', name: '工单', spaceId: '90120000001' }],
    lists: [
      {
        id: LIST, name: '客户工单', spaceId: '90120000001', folderId: '90120000002',
        fields: [
          { id: '5dc86497-098d-4bb0-87d6-cf28e43812e7', name: '来源渠道', type: 'drop_down', options: [{ id: 'a1b2c3d4-0001-4a4a-8a8a-000000000001', name: '微信' }, { id: 'a1b2c3d4-0002-4a4a-8a8a-000000000002', name: 'WhatsApp' }, { id: 'a1b2c3d4-0003-4a4a-8a8a-000000000003', name: '电话' }] },
          { id: '0a52c486-5f05-403b-b4fd-c512ff05131c', name: '订单号', type: 'short_text' },
          { id: '3f2d7a51-7c61-4b7e-9d44-51f3c1e0a901', name: '金额', type: 'currency' },
          { id: 'e3c0ad1f-6f3b-4a8c-bf0e-0b4f1d2a9c11', name: '回访日期', type: 'date' },
          { id: 'c4a7e2b9-1d3f-4e5a-8b6c-7d8e9f0a1b2c', name: '审核人', type: 'users' },
        ],
      },
      { id: '901200000021', name: '收件箱', spaceId: '90120000001', fields: [] },
      { id: LIST_NO_TAGS, name: '缺陷', spaceId: '90120000003', fields: [] },
      { id: LIST_OTHER_TEAM, name: '报销', spaceId: '90130000001', fields: [] },
    ],
    tasks: new Map(),
  };
}

export async function startClickUpEmulator(o: ClickUpEmulatorOptions = {}) {
  const now = o.now ?? Date.now;
  let token = o.token ?? 'pk_81942673_Q2XJ7W9D4KPL0MZT8YB3HNV6RCF1SAEU';
  const email = 'li.na@example.com';
  const requests: RequestLogEntry[] = [];
  const faults = createFaultQueue<Fault, RequestLogEntry>();
  let hits: number[] = [];
  let down = false;
  const perMinute = o.perMinute ?? 100;
  const span = o.windowMs ?? 60_000;

  const server = createServer((req, res) => void handle(req, res).catch((e) => { res.writeHead(500); res.end(String(e)); }));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state = seedState(email);
  const ctx: r.Ctx = { state, now, listLagMs: o.listLagMs ?? 0, missingTaskStatus: 404, newTagsKept: true };

  /** The per-token window: the requests of the last minute; the reset (Unix seconds) is when the oldest leaves it. */
  // Counted as requests arrive: the logged time, taken before the body is read (a second clock
  // reading after it drifts from the log under load, as Asana's and Pipedrive's did).
  function window(t: number): { ok: boolean; headers: Record<string, string> } {
    hits = hits.filter((x) => t - x < span);
    const allowed = hits.length < perMinute;
    if (allowed) hits.push(t);
    const reset = Math.ceil(((hits[0] ?? t) + span) / 1000);
    return { ok: allowed, headers: { 'x-ratelimit-limit': String(perMinute), 'x-ratelimit-remaining': String(Math.max(0, perMinute - hits.length)), 'x-ratelimit-reset': String(reset) } };
  }

  function send(res: ServerResponse, entry: RequestLogEntry, reply: r.Reply, headers: Record<string, string> = {}) {
    entry.status = reply.status;
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', date: new Date(now()).toUTCString(), ...headers, ...reply.headers });
    res.end(JSON.stringify(reply.body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const hit = ROUTES.find(([m, re]) => m === method && re.test(u.pathname));
    const params = hit ? (hit[1].exec(u.pathname) ?? []).slice(1).map(decodeURIComponent) : [];
    const route = hit?.[2];
    const entry: RequestLogEntry = { at: now(), method, path: u.pathname, api: route?.api ?? 'unknown', status: 0, outcome: 'replied', ...(route?.taskParam !== undefined ? { task: params[route.taskParam] } : {}) };
    requests.push(entry);
    if (down) {
      entry.outcome = 'refused';
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const fault = route ? faults.take(route.api, entry) : undefined;
    const auth = req.headers.authorization;
    if (!auth) return send(res, entry, r.cuError(401, 'Authorization header required', 'OAUTH_017'));
    // The personal token is the whole header: "Bearer pk_…" or another token is not found.
    if (auth !== token) return send(res, entry, r.cuError(401, 'Token invalid', 'OAUTH_025'));
    const w = window(entry.at);
    if (!w.ok) return send(res, entry, r.cuError(429, 'Rate limit reached', 'APP_002'), w.headers);
    if (!route) return send(res, entry, r.cuError(404, `Route not found: ${method} ${u.pathname}`, 'APP_001'), w.headers);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    if (raw) {
      if (!/application\/json/.test(req.headers['content-type'] ?? '')) return send(res, entry, r.cuError(400, 'Content-Type must be application/json', 'INPUT_000'), w.headers);
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, entry, r.cuError(400, 'Unexpected token in JSON body', 'INPUT_000'), w.headers);
      }
    } else if (method === 'POST') return send(res, entry, r.cuError(400, 'Request body required', 'INPUT_001'), w.headers);
    const run = () => route.handle(ctx, params, u.searchParams, body);
    if (!fault) return send(res, entry, run(), w.headers);
    if (fault.commit) run();
    if (fault.kind === 'drop') {
      entry.outcome = 'dropped';
      res.socket?.destroy();
      return;
    }
    const status = fault.status ?? 500;
    return send(res, entry, r.cuError(status, status === 503 ? 'Service Unavailable' : 'Internal Server Error', 'APP_500'), w.headers);
  }

  const taskOf = (id: string) => {
    const t = state.tasks.get(id);
    if (!t) throw new Error(`no task ${id}`);
    return t;
  };
  const control = {
    /** A teammate moves the task to a status (by name) of its Space. */
    setStatus(id: string, status: string) {
      const t = taskOf(id);
      const l = state.lists.find((x) => x.id === t.listId)!;
      if (!state.spaces.find((s) => s.id === l.spaceId)!.statuses.some((s) => s.status === status)) throw new Error(`no status ${status}`);
      t.status = status;
      t.updated = now();
    },
    assign(id: string, userId: number) {
      taskOf(id).assignees = [userId];
      taskOf(id).updated = now();
    },
    /** A teammate comments (as 王强). */
    commentAsColleague(id: string, text: string) {
      const reply = r.addComment(ctx, id, { comment_text: text, notify_all: false }, COLLEAGUE);
      if (reply.status !== 200) throw new Error(JSON.stringify(reply.body));
    },
    deleteTask(id: string) {
      taskOf(id).deleted = true;
    },
    /** Every task carrying `tag`, deleted or not (the tests' count of duplicates). */
    tasksTagged(tag: string) {
      return [...state.tasks.values()].filter((t) => t.tags.includes(tag));
    },
    /** The next `count` requests (of `api`, or any) answer `status` (500 by default); with commit, a write is done first. */
    failNext(f: { api?: string; status?: number; count?: number; commit?: boolean } = {}) {
      faults.push({ kind: 'fail', left: f.count ?? 1, ...(f.api ? { api: f.api } : {}), ...(f.status ? { status: f.status } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    /** The next request of `api` (or any) loses its reply: the connection closes, after the write committed when `commit`. */
    dropNext(f: { api?: string; commit?: boolean } = {}) {
      faults.push({ kind: 'drop', left: 1, ...(f.api ? { api: f.api } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    setFaultPolicy(p: ((entry: RequestLogEntry) => Omit<Fault, 'left'> | undefined) | undefined) {
      faults.setPolicy(p);
    },
    /** The user pressed Regenerate in Settings → Apps: the old token answers 401 OAUTH_025. */
    regenerateToken() {
      token = `pk_${ME}_${Math.random().toString(36).slice(2, 12).toUpperCase()}`;
    },
    setListLag(ms: number) {
      ctx.listLagMs = ms;
    },
    /** A missing task answered 401 ITEM_013 instead of 404 (as one public client's tests record it). */
    setMissingTaskStatus(s: 401 | 404) {
      ctx.missingTaskStatus = s;
    },
    /** Create Task keeps only tags already used in the Space (undocumented either way: the adapter must notice). */
    setNewTagsKept(v: boolean) {
      ctx.newTagsKept = v;
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
export type ClickUpEmulator = Awaited<ReturnType<typeof startClickUpEmulator>>;
