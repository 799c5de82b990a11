// A strict emulator of Asana's REST API (https://app.asana.com/api/1.0) for the Asana
// connector's contract tests: the user, workspaces, projects, sections, custom field settings,
// tasks (Get multiple tasks, create, get) and stories (list, create). Pages followed (read
// 2026-12-06): Asana's own OpenAPI file (shared/specs/asana.yaml, see routes.ts);
// developers.asana.com/docs "Personal access token" (updated 2026-01-22: Authorization: Bearer
// <token>; anything else answers 401 {"errors":[{"message":"Not Authorized"}]}, "Errors"),
// "Rate limits" (per token, minute-long windows: 150 requests on a free domain, 1,500 on a paid
// one; 429 with Retry-After in seconds and {"errors":[{"message":"You've made too many requests
// and hit a rate limit. Please retry after the given amount of time."}]}; no X-RateLimit headers
// are documented, none are sent), "Errors" (500 carries a `phrase`), "Pagination" (limit 1–100,
// next_page {offset, path, uri}, offsets opaque), "Input/output options" (opt_fields, the data
// envelope). The free/paid figure is the workspace's: `perMinute` defaults to the free 150.
// Faults through `control`: 5xx (503 with Retry-After), a reply lost after the write committed, no
// reply at all (the client's timeout),
// the token revoked, the server down, and a per-request policy for the outbox fault tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultQueue } from '../fault-queue';
import * as r from './routes';
import { COLLEAGUE, seedState, type State } from './state';

export interface AsanaEmulatorOptions {
  token?: string;
  email?: string;
  /** Requests per minute per token (free 150, paid 1,500). */
  perMinute?: number;
  now?: () => number;
}

export interface RequestLogEntry { at: number; method: string; path: string; api: string; status: number; outcome: 'replied' | 'dropped' | 'refused' | 'stalled'; task?: string }
export interface Fault { api?: string; left: number; kind: 'fail' | 'drop' | 'stall'; status?: number; commit?: boolean }

type Handler = (ctx: r.Ctx, p: string[], q: URLSearchParams, body: unknown) => r.Reply;
interface Route { api: string; write?: boolean; handle: Handler }
const ROUTES: [string, RegExp, Route][] = [
  ['GET', /^\/users\/me$/, { api: 'users.me', handle: (c, _p, q) => r.getMe(c, q) }],
  ['GET', /^\/workspaces$/, { api: 'workspaces', handle: (c, _p, q) => r.getWorkspaces(c, q) }],
  ['GET', /^\/workspaces\/([^/]+)\/projects$/, { api: 'workspace.projects', handle: (c, p, q) => r.getWorkspaceProjects(c, p[0]!, q) }],
  ['GET', /^\/projects\/([^/]+)$/, { api: 'project.get', handle: (c, p, q) => r.getProject(c, p[0]!, q) }],
  ['GET', /^\/projects\/([^/]+)\/sections$/, { api: 'project.sections', handle: (c, p, q) => r.getSections(c, p[0]!, q) }],
  ['GET', /^\/projects\/([^/]+)\/custom_field_settings$/, { api: 'project.custom_fields', handle: (c, p, q) => r.getCustomFieldSettings(c, p[0]!, q) }],
  ['GET', /^\/tasks$/, { api: 'tasks.list', handle: (c, _p, q) => r.getTasks(c, q) }],
  ['POST', /^\/tasks$/, { api: 'task.create', write: true, handle: (c, _p, q, b) => r.createTask(c, b, q) }],
  ['GET', /^\/tasks\/([^/]+)$/, { api: 'task.get', handle: (c, p, q) => r.getTask(c, p[0]!, q) }],
  ['GET', /^\/tasks\/([^/]+)\/stories$/, { api: 'stories.list', handle: (c, p, q) => r.getStories(c, p[0]!, q) }],
  ['POST', /^\/tasks\/([^/]+)\/stories$/, { api: 'story.create', write: true, handle: (c, p, q, b) => r.createStory(c, p[0]!, b, q) }],
];
const PREFIX = '/api/1.0';
const RATE_MESSAGE = "You've made too many requests and hit a rate limit. Please retry after the given amount of time.";

export async function startAsanaEmulator(o: AsanaEmulatorOptions = {}) {
  const now = o.now ?? Date.now;
  let token = o.token ?? '2/1201000000000001/1209999999999999:0f1e2d3c4b5a69788796a5b4c3d2e1f0';
  const requests: RequestLogEntry[] = [];
  const faults = createFaultQueue<Fault, RequestLogEntry>();
  let window: number[] = [];
  let down = false;
  let phrase = 0;
  const perMinute = o.perMinute ?? 150;

  const server = createServer((req, res) => void handle(req, res).catch((e) => { res.writeHead(500); res.end(String(e)); }));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state: State = seedState(o.email ?? 'li.na@example.com');
  const ctx: r.Ctx = { state, now, baseUrl: url };

  function send(res: ServerResponse, entry: RequestLogEntry, reply: r.Reply) {
    entry.status = reply.status;
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=UTF-8', date: new Date(now()).toUTCString(), 'x-asana-request-id': `emu-${requests.length}`, ...reply.headers });
    res.end(JSON.stringify(reply.body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const path = u.pathname.startsWith(PREFIX) ? u.pathname.slice(PREFIX.length) : '';
    const hit = ROUTES.find(([m, re]) => m === method && re.test(path));
    const params = hit ? (hit[1].exec(path) ?? []).slice(1).map(decodeURIComponent) : [];
    const route = hit?.[2];
    const entry: RequestLogEntry = { at: now(), method, path: u.pathname, api: route?.api ?? 'unknown', status: 0, outcome: 'replied', ...(/^\/tasks\/\d+/.test(path) ? { task: path.split('/')[2] } : {}) };
    requests.push(entry);
    if (down) {
      entry.outcome = 'refused';
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const fault = route ? faults.take(route.api, entry) : undefined;
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, entry, r.asanaError(401, 'Not Authorized'));
    // "Limits are allocated per authorization token", minute-long windows, counted as requests
    // arrive (the logged time, taken before the body is read: under load reading it can take a
    // while, and a second clock reading made the window's times drift from the log's).
    const t = entry.at;
    window = window.filter((x) => t - x < 60_000);
    if (window.length >= perMinute) {
      const retryAfter = Math.max(1, Math.ceil((60_000 - (t - window[0]!)) / 1000));
      return send(res, entry, { ...r.asanaError(429, RATE_MESSAGE), headers: { 'retry-after': String(retryAfter) } });
    }
    window.push(t);
    if (!route) return send(res, entry, r.asanaError(404, `The Asana emulator has no ${method} ${u.pathname}`));
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    if (raw) {
      if (!/application\/json/.test(req.headers['content-type'] ?? '')) return send(res, entry, r.asanaError(400, 'The Asana emulator takes JSON bodies only (Content-Type: application/json)'));
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, entry, r.asanaError(400, 'Could not parse request data, invalid JSON'));
      }
    } else if (method === 'POST') return send(res, entry, r.asanaError(400, 'data: Missing input'));
    if (!fault) return send(res, entry, route.handle(ctx, params, u.searchParams, body));
    if (fault.commit) route.handle(ctx, params, u.searchParams, body);
    if (fault.kind === 'stall') {
      entry.outcome = 'stalled'; // no reply at all: the client's timeout decides (closed with the emulator)
      return;
    }
    if (fault.kind === 'drop') {
      entry.outcome = 'dropped';
      res.socket?.destroy();
      return;
    }
    const status = fault.status ?? 500;
    if (status === 503) return send(res, entry, { ...r.asanaError(503, 'Service Unavailable'), headers: { 'retry-after': '1' } });
    return send(res, entry, { status, body: { errors: [{ message: 'Server Error', phrase: `${++phrase} sad squid snuggle softly` }] } });
  }

  const taskOf = (gid: string) => {
    const t = r.liveTask(ctx, gid);
    if (!t) throw new Error(`no task ${gid}`);
    return t;
  };
  const touch = (t: { modifiedAt: number }) => {
    t.modifiedAt = now();
  };
  const control = {
    /** A teammate marks the task complete (or incomplete again). */
    complete(gid: string, done = true) {
      const t = taskOf(gid);
      t.completed = done;
      t.completedAt = done ? now() : null;
      touch(t);
      t.stories.push({ gid: String(++state.seq), createdAt: now(), createdBy: COLLEAGUE, subtype: done ? 'marked_complete' : 'marked_incomplete', text: done ? 'completed this task' : 'marked incomplete' });
    },
    /** A teammate drags the task to another section (board column) of its project. */
    moveToSection(gid: string, sectionName: string) {
      const t = taskOf(gid);
      const m = t.memberships[0]!;
      const s = state.projects.find((p) => p.gid === m.project)!.sections.find((x) => x.name === sectionName);
      if (!s) throw new Error(`no section ${sectionName}`);
      m.section = s.gid;
      touch(t);
      t.stories.push({ gid: String(++state.seq), createdAt: now(), createdBy: COLLEAGUE, subtype: 'section_changed', text: `moved this task to ${sectionName}` });
    },
    assign(gid: string, userGid: string | null) {
      const t = taskOf(gid);
      t.assignee = userGid;
      touch(t);
    },
    /** A teammate comments (as 王强). */
    commentAsColleague(gid: string, text: string) {
      const reply = r.createStory(ctx, gid, { data: { text } }, new URLSearchParams(), COLLEAGUE);
      if (reply.status !== 201) throw new Error(JSON.stringify(reply.body));
    },
    /** A teammate creates a task in the project (unrelated to Liaison: it fills the lookup's pages). */
    addTaskAsColleague(name: string, projectGid = state.projects[0]!.gid) {
      const p = state.projects.find((x) => x.gid === projectGid)!;
      const at = now();
      const gid = String(++state.seq);
      state.tasks.set(gid, { gid, workspace: p.workspace, name, notes: '', completed: false, completedAt: null, createdAt: at, modifiedAt: at, assignee: COLLEAGUE, dueOn: null, memberships: [{ project: p.gid, section: p.sections[0]!.gid }], custom: {}, stories: [], deleted: false });
      return gid;
    },
    editNotes(gid: string, notes: string) {
      const t = taskOf(gid);
      t.notes = notes;
      touch(t);
    },
    deleteTask(gid: string) {
      taskOf(gid).deleted = true;
    },
    /** Every task whose notes carry Liaison's marker line for `key`, deleted or not (the tests' count of duplicates). */
    tasksMarked(key: string) {
      return [...state.tasks.values()].filter((t) => t.notes.split('\n').includes(`Liaison-Key: ${key}`));
    },
    /** The next `count` requests (of `api`, or any) answer `status` (500 by default); with commit, a write is done first. */
    failNext(f: { api?: string; status?: number; count?: number; commit?: boolean } = {}) {
      faults.push({ kind: 'fail', left: f.count ?? 1, ...(f.api ? { api: f.api } : {}), ...(f.status ? { status: f.status } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    /** The next request of `api` (or any) loses its reply: the connection closes, after the write committed when `commit`. */
    dropNext(f: { api?: string; commit?: boolean } = {}) {
      faults.push({ kind: 'drop', left: 1, ...(f.api ? { api: f.api } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    /** The next request of `api` (or any) gets no reply at all (after the write committed when `commit`): the client times out. */
    stallNext(f: { api?: string; commit?: boolean } = {}) {
      faults.push({ kind: 'stall', left: 1, ...(f.api ? { api: f.api } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    /** The outbox fault tests' random faults: asked for each request no queued fault applies to. */
    setFaultPolicy(p: ((entry: RequestLogEntry) => Omit<Fault, 'left'> | undefined) | undefined) {
      faults.setPolicy(p);
    },
    /** The user deleted the token in the developer console: the old one answers 401. */
    revokeToken() {
      token = `${token}-revoked-${Math.random()}`;
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
    get token() {
      return token;
    },
    state,
    requests,
    control,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
export type AsanaEmulator = Awaited<ReturnType<typeof startAsanaEmulator>>;
