// A strict emulator of api.notion.com (API version 2025-09-03) for the Notion adapter's contract
// tests: users/me, users/{id}, databases/{id} (GET), data_sources/{id} (GET, PATCH: add
// properties), data_sources/{id}/query, pages (POST, GET, PATCH), comments (GET, POST) — and the
// platform's behaviour: Bearer integration tokens (401 unauthorized), the Notion-Version header
// (400 missing_version), integration capabilities (403 restricted_resource), sharing (404
// object_not_found for a data source not connected to the integration), property values checked
// against the schema (400 validation_error naming the property), page_size ≤ 100 with
// start_cursor / next_cursor paging, minute-rounded times, the rate limit (an average of 3
// requests/s with bursts: 429 rate_limited + Retry-After), and faults through `control`
// (5xx, lost replies after commit, down). Error bodies: {object:"error", status, code, message,
// request_id} (reference/status-codes).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultQueue } from '../fault-queue';
import { matches, sorter } from './filter';
import {
  createState, dataSourceOut, newId, normalizeValue, pageOut, propertyFromSchema, ValidationError,
  type EmComment, type EmPage, type EmProperty, type Json, type RequestLogEntry, type State,
} from './state';

export interface NotionEmulatorOptions {
  token?: string;
  workspaceName?: string;
  /** Average requests per second and bucket size (Notion: "an average of three requests per second … some bursts beyond the average are allowed"). */
  rate?: { perSecond: number; burst: number };
  now?: () => number;
}
export interface Capabilities {
  readComments: boolean;
  insertComments: boolean;
  readUsers: boolean;
  updateContent: boolean;
}
type Fault = { api?: string; left: number; kind: 'error' | 'drop'; status?: number; code?: string; commit?: boolean };

export interface NotionEmulatorControl {
  /** A database with one data source; properties as PATCH /v1/data_sources takes them, plus its title property's name. */
  addDatabase(o: { title: string; titleProperty?: string; properties?: Record<string, Json>; shared?: boolean }): { databaseId: string; dataSourceId: string };
  share(dataSourceId: string, shared: boolean): void;
  pages(dataSourceId?: string): Json[];
  /** A colleague edits a page in Notion: values in the write form, checked like a PATCH. */
  editAsColleague(pageId: string, properties: Record<string, Json>, userId?: string): void;
  /** A colleague creates a page (a customer typed in by hand). */
  addPageAsColleague(dataSourceId: string, properties: Record<string, Json>, userId?: string): string;
  addCommentAsColleague(pageId: string, text: string, userId: string): string;
  trash(pageId: string): void;
  addUser(name: string): string;
  comments(pageId?: string): EmComment[];
  setCapabilities(c: Partial<Capabilities>): void;
  revokeToken(): void;
  failNext(f: { api?: string; status: number; code?: string; count?: number; commit?: boolean }): void;
  dropNext(f?: { api?: string; count?: number; commit?: boolean }): void;
  rateLimitFor(ms: number): void;
  /** The fault tests' rate-limit window, on the emulator's own clock (`now`): 429 until `at`. */
  rateLimitUntil(at: number): void;
  /** Per-request random faults (the sync fault tests), asked when no queued fault applies. */
  setFaultPolicy(p: ((entry: RequestLogEntry) => Omit<Fault, 'left'> | undefined) | undefined): void;
  down(): void;
  up(): void;
  clearLog(): void;
}
export interface NotionEmulator {
  url: string;
  token: string;
  botId: string;
  state: State;
  control: NotionEmulatorControl;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
const err = (status: number, code: string, message: string): Reply => ({ status, body: { object: 'error', status, code, message, request_id: newId() } });
const notFound = (kind: string, id: string) => err(404, 'object_not_found', `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`);
const list = (results: unknown[], next: string | null, type: string): Json => ({ object: 'list', results, next_cursor: next, has_more: next !== null, type, [type]: {} });
const VERSIONS = new Set(['2022-06-28', '2025-09-03']);
const ID = '([0-9a-fA-F-]{32,36})';

export async function startNotionEmulator(opts: NotionEmulatorOptions = {}): Promise<NotionEmulator> {
  const now = opts.now ?? Date.now;
  const state = createState();
  let token = opts.token ?? `ntn_${'1'.repeat(46)}`;
  const botId = newId();
  state.users.set(botId, { id: botId, type: 'bot', name: 'Liaison' });
  const caps: Capabilities = { readComments: true, insertComments: true, readUsers: true, updateContent: true };
  const rate = opts.rate ?? { perSecond: 3, burst: 10 };
  let tokens = rate.burst;
  let refilled = Date.now();
  let forcedUntil = 0;
  let forcedUntilAt = 0;
  let isDown = false;
  const faults = createFaultQueue<Fault, RequestLogEntry>();

  const dsOf = (id: string): Reply | EmDataSourceT => {
    const ds = state.dataSources.get(id.length === 32 ? dashed(id) : id);
    return ds && ds.shared ? ds : notFound('data_source', id);
  };
  type EmDataSourceT = NonNullable<ReturnType<typeof state.dataSources.get>>;
  const isReply = (x: unknown): x is Reply => typeof (x as Reply).status === 'number';
  const pageOf = (id: string): Reply | EmPage => {
    const p = state.pages.get(id.length === 32 ? dashed(id) : id);
    return p && state.dataSources.get(p.dataSourceId)?.shared ? p : notFound('page', id);
  };

  function writeValues(page: EmPage, ds: EmDataSourceT, props: unknown) {
    if (props === undefined) return;
    if (!props || typeof props !== 'object' || Array.isArray(props)) throw new ValidationError('body failed validation: body.properties should be an object.');
    for (const [name, v] of Object.entries(props as Json)) {
      const p: EmProperty | undefined = ds.properties.get(name) ?? [...ds.properties.values()].find((x) => x.id === name);
      if (!p) throw new ValidationError(`${name} is not a property that exists.`);
      if (!v || typeof v !== 'object') throw new ValidationError(`${name} is expected to be ${p.type}.`);
      page.values.set(p.name, normalizeValue(state, p, v as Json));
    }
  }

  const routes: [string, RegExp, string, (m: string[], q: URLSearchParams, b: Json, version: string) => Reply][] = [
    ['GET', /^\/v1\/users\/me$/, 'users.me', () => ({ status: 200, body: { object: 'user', id: botId, name: 'Liaison', avatar_url: null, type: 'bot', bot: { owner: { type: 'workspace', workspace: true }, workspace_name: opts.workspaceName ?? '联络销售团队' } } })],
    ['GET', new RegExp(`^/v1/users/${ID}$`), 'users.get', (m) => {
      if (!caps.readUsers) return err(403, 'restricted_resource', 'Insufficient permissions for this endpoint.');
      const u = state.users.get(m[0]!);
      if (!u) return notFound('user', m[0]!);
      return { status: 200, body: { object: 'user', id: u.id, type: u.type, name: u.name, avatar_url: null, ...(u.type === 'person' ? { person: {} } : { bot: {} }) } };
    }],
    ['GET', new RegExp(`^/v1/databases/${ID}$`), 'databases.get', (m) => {
      const db = state.databases.get(m[0]!.length === 32 ? dashed(m[0]!) : m[0]!);
      if (!db || !db.dataSources.some((d) => state.dataSources.get(d)?.shared)) return notFound('database', m[0]!);
      return { status: 200, body: { object: 'database', id: db.id, title: [{ type: 'text', text: { content: db.title, link: null }, plain_text: db.title, href: null }], data_sources: db.dataSources.map((id) => ({ id, name: state.dataSources.get(id)!.title })), parent: { type: 'workspace', workspace: true }, in_trash: false, is_inline: false } };
    }],
    ['GET', new RegExp(`^/v1/data_sources/${ID}$`), 'data_sources.get', (m, _q, _b, v) => {
      if (v < '2025-09-03') return err(400, 'invalid_request_url', 'Invalid request URL.');
      const ds = dsOf(m[0]!);
      return isReply(ds) ? ds : { status: 200, body: dataSourceOut(ds) };
    }],
    ['PATCH', new RegExp(`^/v1/data_sources/${ID}$`), 'data_sources.update', (m, _q, b) => {
      const ds = dsOf(m[0]!);
      if (isReply(ds)) return ds;
      if (!caps.updateContent) return err(403, 'restricted_resource', 'Insufficient permissions for this endpoint.');
      const props = b?.properties;
      if (props !== undefined && (typeof props !== 'object' || Array.isArray(props))) throw new ValidationError('body failed validation: body.properties should be an object.');
      const add: EmProperty[] = [];
      for (const [name, def] of Object.entries(props ?? {})) {
        if (ds.properties.has(name)) throw new ValidationError(`Property ${name} already exists; renaming or retyping is not supported here.`);
        add.push(propertyFromSchema(state, name, def as Json));
      }
      for (const p of add) ds.properties.set(p.name, p);
      return { status: 200, body: dataSourceOut(ds) };
    }],
    ['POST', new RegExp(`^/v1/data_sources/${ID}/query$`), 'data_sources.query', (m, _q, b) => {
      const ds = dsOf(m[0]!);
      if (isReply(ds)) return ds;
      const size = b?.page_size ?? 100;
      if (!Number.isInteger(size) || size < 1 || size > 100) throw new ValidationError(`body failed validation: body.page_size should be ≤ \`100\`, instead was \`${size}\`.`);
      let rows = [...state.pages.values()].filter((p) => p.dataSourceId === ds.id && !p.inTrash);
      if (b?.filter) rows = rows.filter((p) => matches(ds, p, b.filter));
      rows.sort(sorter(ds, b?.sorts));
      let start = 0;
      if (b?.start_cursor !== undefined) {
        start = rows.findIndex((p) => p.id === b.start_cursor);
        if (start < 0) throw new ValidationError('The start_cursor provided is invalid: ' + String(b.start_cursor));
      }
      const slice = rows.slice(start, start + size);
      const next = rows[start + size]?.id ?? null;
      return { status: 200, body: list(slice.map((p) => pageOut(state, p)), next, 'page_or_data_source') };
    }],
    ['POST', /^\/v1\/pages$/, 'pages.create', (_m, _q, b) => {
      const parent = b?.parent;
      const dsId = parent?.data_source_id;
      if (typeof dsId !== 'string') throw new ValidationError('body failed validation: body.parent.data_source_id should be defined (pages in a database are created under its data source since 2025-09-03).');
      const ds = dsOf(dsId);
      if (isReply(ds)) return ds;
      if (!caps.updateContent) return err(403, 'restricted_resource', 'Insufficient permissions for this endpoint.');
      const t = now();
      const page: EmPage = { id: newId(), dataSourceId: ds.id, values: new Map(), createdAt: t, editedAt: t, createdBy: botId, editedBy: botId, inTrash: false };
      writeValues(page, ds, b.properties);
      state.pages.set(page.id, page);
      return { status: 200, body: pageOut(state, page) };
    }],
    ['GET', new RegExp(`^/v1/pages/${ID}$`), 'pages.get', (m) => {
      const p = pageOf(m[0]!);
      return isReply(p) ? p : { status: 200, body: pageOut(state, p) };
    }],
    ['PATCH', new RegExp(`^/v1/pages/${ID}$`), 'pages.update', (m, _q, b) => {
      const p = pageOf(m[0]!);
      if (isReply(p)) return p;
      if (p.inTrash && b?.in_trash !== false) throw new ValidationError("Can't edit block that is archived. You must unarchive the block before editing.");
      const ds = state.dataSources.get(p.dataSourceId)!;
      const staged: EmPage = { ...p, values: new Map(p.values) };
      writeValues(staged, ds, b?.properties);
      p.values = staged.values;
      if (typeof b?.in_trash === 'boolean') p.inTrash = b.in_trash;
      p.editedAt = now();
      p.editedBy = botId;
      return { status: 200, body: pageOut(state, p) };
    }],
    ['GET', /^\/v1\/comments$/, 'comments.list', (_m, q) => {
      if (!caps.readComments) return err(403, 'restricted_resource', 'Insufficient permissions for this endpoint.');
      const block = q.get('block_id');
      if (!block) throw new ValidationError('body failed validation: query.block_id should be defined.');
      const p = pageOf(block);
      if (isReply(p)) return p;
      const size = Number(q.get('page_size') ?? 100);
      if (!Number.isInteger(size) || size < 1 || size > 100) throw new ValidationError(`query.page_size should be ≤ 100, instead was ${q.get('page_size')}.`);
      const rows = state.comments.filter((c) => c.pageId === p.id);
      const cursor = q.get('start_cursor');
      const start = cursor ? rows.findIndex((c) => c.id === cursor) : 0;
      if (start < 0) throw new ValidationError('The start_cursor provided is invalid.');
      const slice = rows.slice(start, start + size);
      return { status: 200, body: list(slice.map(commentOut), rows[start + size]?.id ?? null, 'comment') };
    }],
    ['POST', /^\/v1\/comments$/, 'comments.create', (_m, _q, b) => {
      if (!caps.insertComments) return err(403, 'restricted_resource', 'Insufficient permissions for this endpoint.');
      const pageId = b?.parent?.page_id;
      if (typeof pageId !== 'string' && typeof b?.discussion_id !== 'string') throw new ValidationError('body failed validation: body.parent.page_id should be defined, or body.discussion_id.');
      const p = pageOf(pageId);
      if (isReply(p)) return p;
      const rt = b?.rich_text;
      if (!Array.isArray(rt) || !rt.length || rt.length > 100) throw new ValidationError('body failed validation: body.rich_text should be an array of 1 to 100 rich text objects.');
      let text = '';
      for (const item of rt) {
        const c = item?.text?.content;
        if (typeof c !== 'string') throw new ValidationError('body failed validation: body.rich_text[0].text.content should be a string.');
        if (c.length > 2000) throw new ValidationError(`body failed validation: body.rich_text[0].text.content.length should be ≤ \`2000\`, instead was \`${c.length}\`.`);
        text += c;
      }
      const c: EmComment = { id: newId(), pageId: p.id, createdAt: now(), createdBy: botId, text };
      state.comments.push(c);
      return { status: 200, body: commentOut(c) };
    }],
  ];

  function commentOut(c: EmComment): Json {
    return { object: 'comment', id: c.id, parent: { type: 'page_id', page_id: c.pageId }, discussion_id: newId(), created_time: new Date(Math.floor(c.createdAt / 60_000) * 60_000).toISOString(), last_edited_time: new Date(Math.floor(c.createdAt / 60_000) * 60_000).toISOString(), created_by: { object: 'user', id: c.createdBy }, rich_text: [{ type: 'text', text: { content: c.text, link: null }, plain_text: c.text, href: null }], display_name: { type: 'integration', resolved_name: state.users.get(c.createdBy)?.name ?? '' } };
  }

  /** The rate limit runs on the wall clock, so a test's frozen record clock cannot starve the bucket. */
  function limited(): Reply | undefined {
    const at = now();
    if (at < forcedUntilAt) return { ...err(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.'), headers: { 'Retry-After': String(Math.max(1, Math.ceil((forcedUntilAt - at) / 1000))) } };
    const t = Date.now();
    if (t < forcedUntil) return { ...err(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.'), headers: { 'Retry-After': String(Math.max(1, Math.ceil((forcedUntil - t) / 1000))) } };
    tokens = Math.min(rate.burst, tokens + ((t - refilled) / 1000) * rate.perSecond);
    refilled = t;
    if (tokens < 1) return { ...err(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.'), headers: { 'Retry-After': String(Math.max(1, Math.ceil((1 - tokens) / rate.perSecond))) } };
    tokens -= 1;
    return undefined;
  }

  function send(res: ServerResponse, entry: RequestLogEntry, r: Reply) {
    entry.status = r.status;
    const ra = r.headers?.['Retry-After'];
    if (r.status === 429 && ra !== undefined) entry.retryAfterMs = Number(ra) * 1000;
    res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', ...r.headers });
    res.end(JSON.stringify(r.body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const hit = routes.find(([m, re]) => m === method && re.test(url.pathname));
    const entry: RequestLogEntry = { at: now(), method, path: url.pathname, api: hit?.[2] ?? 'unknown', status: 0, outcome: 'replied' };
    state.requests.push(entry);
    if (isDown) {
      entry.outcome = 'refused';
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (!hit) return send(res, entry, err(400, 'invalid_request_url', 'Invalid request URL.'));
    const auth = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!auth || auth[1] !== token) return send(res, entry, err(401, 'unauthorized', 'API token is invalid.'));
    const version = String(req.headers['notion-version'] ?? '');
    if (!version) return send(res, entry, err(400, 'missing_version', 'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.'));
    if (!VERSIONS.has(version)) return send(res, entry, err(400, 'validation_error', `Notion-Version header failed validation: ${version} is not a valid version.`));
    const rl = limited();
    if (rl) return send(res, entry, rl);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Json | undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, entry, err(400, 'invalid_json', 'Error parsing JSON body.'));
      }
    }
    entry.body = body;
    const params = (hit[1].exec(url.pathname) ?? []).slice(1);
    const fault = faults.take(hit[2], entry);
    const run = (): Reply => {
      try {
        return hit[3](params, url.searchParams, body ?? {}, version);
      } catch (e) {
        if (e instanceof ValidationError) return err(400, 'validation_error', e.message);
        throw e;
      }
    };
    if (!fault) return send(res, entry, run());
    if (fault.commit) run();
    if (fault.kind === 'drop') {
      entry.outcome = 'dropped';
      res.socket?.destroy();
      return;
    }
    const status = fault.status ?? 500;
    const code = fault.code ?? ({ 500: 'internal_server_error', 502: 'bad_gateway', 503: 'service_unavailable', 504: 'gateway_timeout', 409: 'conflict_error' } as Record<number, string>)[status] ?? 'internal_server_error';
    return send(res, entry, err(status, code, code === 'conflict_error' ? 'Transaction could not be completed, potentially due to a data collision. Make sure the parameters are up to date and try again.' : 'Unexpected error occurred.'));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'error', status: 500, code: 'internal_server_error', message: `emulator bug: ${String(e)}` }));
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;

  const mustPage = (id: string) => {
    const p = state.pages.get(id);
    if (!p) throw new Error(`emulator: no page ${id}`);
    return p;
  };
  const control: NotionEmulatorControl = {
    addDatabase(o) {
      const databaseId = newId();
      const dataSourceId = newId();
      const properties = new Map<string, EmProperty>();
      properties.set(o.titleProperty ?? 'Name', { id: 'title', name: o.titleProperty ?? 'Name', type: 'title', config: {} });
      const ds = { id: dataSourceId, databaseId, title: o.title, properties, shared: o.shared ?? true };
      state.dataSources.set(dataSourceId, ds);
      for (const [name, def] of Object.entries(o.properties ?? {})) properties.set(name, propertyFromSchema(state, name, def));
      state.databases.set(databaseId, { id: databaseId, title: o.title, dataSources: [dataSourceId] });
      return { databaseId, dataSourceId };
    },
    share(id, shared) {
      const ds = state.dataSources.get(id);
      if (!ds) throw new Error('emulator: no data source');
      ds.shared = shared;
    },
    pages: (dsId) => [...state.pages.values()].filter((p) => !dsId || p.dataSourceId === dsId).map((p) => pageOut(state, p)),
    editAsColleague(pageId, properties, userId) {
      const p = mustPage(pageId);
      writeValues(p, state.dataSources.get(p.dataSourceId)!, properties);
      p.editedAt = now();
      p.editedBy = userId ?? p.editedBy;
    },
    addPageAsColleague(dsId, properties, userId) {
      const ds = state.dataSources.get(dsId)!;
      const t = now();
      const page: EmPage = { id: newId(), dataSourceId: dsId, values: new Map(), createdAt: t, editedAt: t, createdBy: userId ?? botId, editedBy: userId ?? botId, inTrash: false };
      writeValues(page, ds, properties);
      state.pages.set(page.id, page);
      return page.id;
    },
    addCommentAsColleague(pageId, text, userId) {
      mustPage(pageId);
      const c: EmComment = { id: newId(), pageId, createdAt: now(), createdBy: userId, text };
      state.comments.push(c);
      return c.id;
    },
    trash(pageId) {
      const p = mustPage(pageId);
      p.inTrash = true;
      p.editedAt = now();
    },
    addUser(name) {
      const id = newId();
      state.users.set(id, { id, type: 'person', name });
      return id;
    },
    comments: (pageId) => state.comments.filter((c) => !pageId || c.pageId === pageId),
    setCapabilities: (c) => void Object.assign(caps, c),
    revokeToken: () => void (token = `revoked-${newId()}`),
    failNext: (f) => void faults.push({ ...f, kind: 'error', left: f.count ?? 1 }),
    dropNext: (f = {}) => void faults.push({ commit: true, ...f, kind: 'drop', left: f.count ?? 1 }),
    rateLimitFor: (ms) => void (forcedUntil = Date.now() + ms),
    rateLimitUntil: (at) => void (forcedUntilAt = Math.max(forcedUntilAt, at)),
    setFaultPolicy: (p) => faults.setPolicy(p),
    down: () => void (isDown = true),
    up: () => void (isDown = false),
    clearLog: () => void (state.requests.length = 0),
  };
  return {
    url: `http://127.0.0.1:${port}`,
    get token() {
      return token;
    },
    botId,
    state,
    control,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

function dashed(hex: string): string {
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
