// A strict emulator of Trello's REST API (https://api.trello.com/1) for the Trello connector's
// contract tests: the token's member, its boards and Workspaces, a board's lists, labels and
// cards, cards (create, get) and their comments (list, create). Pages followed (read 2026-12-06):
// Trello's OpenAPI file (shared/specs/trello.json, see routes.ts); developer.atlassian.com/cloud/
// trello/guides/rest-api: "Authorizing With Trello's REST API" (Jun 24, 2025: the API key and the
// user's token as the `key` and `token` query parameters, or an `Authorization: OAuth
// oauth_consumer_key="…", oauth_token="…"` header), "Rate Limits" (Jan 26, 2026: 300 requests per
// 10 s per API key, 100 per 10 s per token, /1/members/ 100 per 900 s (nested routes such as
// /1/members/me/boards not counted); a 429 with {"error":"API_TOKEN_LIMIT_EXCEEDED" |
// "API_KEY_LIMIT_EXCEEDED","message":"Rate limit exceeded"} and no rate-limit header; the
// /1/members/ reply as observed in laracasts.com "API Trello: Exceeded rate limit to /1/member":
// {"message":"Exceeded rate limit to /1/member","error":"RATE_LIMIT_EXCEEDED"}). Trello takes its
// inputs as query parameters and also as a JSON or form body (n8n-io/n8n#10189); both are read.
// Faults through `control`: 5xx, a reply lost after the write committed, the token revoked, the
// server down, and a per-request policy for the outbox fault tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultQueue } from '../fault-queue';
import * as r from './routes';

export interface TrelloEmulatorOptions {
  key?: string;
  token?: string;
  /** Requests per 10 s per token (Trello: 100). */
  tokenPer10s?: number;
  /** Requests per 10 s per API key (Trello: 300). */
  keyPer10s?: number;
  /** Requests to /1/members/{id} per 900 s (Trello: 100). */
  membersPer900s?: number;
  now?: () => number;
}

export interface RequestLogEntry { at: number; method: string; path: string; api: string; status: number; outcome: 'replied' | 'dropped' | 'refused'; card?: string }

export interface Fault { api?: string; left: number; kind: 'fail' | 'drop' | 'hang'; status?: number; commit?: boolean }

type Handler = (ctx: r.Ctx, p: string[], q: URLSearchParams) => r.Reply;
interface Route { api: string; write?: boolean; members?: boolean; handle: Handler }
const ROUTES: [string, RegExp, Route][] = [
  ['GET', /^\/1\/members\/([^/]+)$/, { api: 'members.get', members: true, handle: (c, p) => r.getMember(c, p[0]!) }],
  ['GET', /^\/1\/members\/([^/]+)\/boards$/, { api: 'members.boards', handle: (c, p, q) => r.memberBoards(c, p[0]!, q) }],
  ['GET', /^\/1\/members\/([^/]+)\/organizations$/, { api: 'members.organizations', handle: (c, p) => r.memberOrgs(c, p[0]!) }],
  ['GET', /^\/1\/organizations\/([^/]+)$/, { api: 'organizations.get', handle: (c, p) => r.getOrg(c, p[0]!) }],
  ['GET', /^\/1\/boards\/([^/]+)$/, { api: 'boards.get', handle: (c, p, q) => r.getBoard(c, p[0]!, q) }],
  ['GET', /^\/1\/boards\/([^/]+)\/lists$/, { api: 'boards.lists', handle: (c, p, q) => r.boardLists(c, p[0]!, q) }],
  ['GET', /^\/1\/boards\/([^/]+)\/labels$/, { api: 'boards.labels', handle: (c, p, q) => r.boardLabels(c, p[0]!, q) }],
  ['GET', /^\/1\/boards\/([^/]+)\/cards$/, { api: 'boards.cards', handle: (c, p) => r.boardCards(c, p[0]!, 'open') }],
  ['GET', /^\/1\/boards\/([^/]+)\/cards\/([^/]+)$/, { api: 'boards.cards', handle: (c, p) => r.boardCards(c, p[0]!, p[1]!) }],
  ['POST', /^\/1\/cards$/, { api: 'cards.create', write: true, handle: (c, _p, q) => r.createCard(c, q) }],
  ['GET', /^\/1\/cards\/([^/]+)$/, { api: 'cards.get', handle: (c, p, q) => r.getCard(c, p[0]!, q) }],
  ['GET', /^\/1\/cards\/([^/]+)\/actions$/, { api: 'cards.actions', handle: (c, p, q) => r.cardActions(c, p[0]!, q) }],
  ['POST', /^\/1\/cards\/([^/]+)\/actions\/comments$/, { api: 'comments.create', write: true, handle: (c, p, q) => r.addComment(c, p[0]!, q) }],
];
/** Path ids that must be Trello ids (24 hexadecimal characters); /1/members/{id} also takes "me" or a username. */
const ID_CHECKED = new Set(['organizations.get', 'boards.get', 'boards.lists', 'boards.labels', 'boards.cards', 'cards.get', 'cards.actions', 'comments.create']);
const TRELLO_ID = /^[0-9a-f]{24}$/i;
export const MAX_URL = 8192;

const hex = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ((seed * 7 + i * 13) % 16).toString(16)).join('');
export const ME = '5f1a2b3c4d5e6f7081920a1b';
export const COLLEAGUE = '5f1a2b3c4d5e6f7081920a2c';
export const OUTSIDER = '5f1a2b3c4d5e6f7081920a3d';
export const WORKSPACE = '60a1b2c3d4e5f60718293a4b';
/** The support board (售后工单) with its lists and labels. */
export const BOARD = '61b2c3d4e5f6071829304a5b';
export const PRODUCT_BOARD = '61b2c3d4e5f6071829304a6c';
export const FINANCE_BOARD = '61b2c3d4e5f6071829304a7d';
/** A closed board the member is still on. */
export const CLOSED_BOARD = '61b2c3d4e5f6071829304a8e';
export const LISTS = { inbox: '62c3d4e5f607182930415a01', doing: '62c3d4e5f607182930415a02', waiting: '62c3d4e5f607182930415a03', done: '62c3d4e5f607182930415a04', old: '62c3d4e5f607182930415a05', ideas: '62c3d4e5f607182930415b01', finance: '62c3d4e5f607182930415c01', archive: '62c3d4e5f607182930415d01' };
export const LABELS = { urgent: '63d4e5f60718293041526a01', high: '63d4e5f60718293041526a02', low: '63d4e5f60718293041526a03', blue: '63d4e5f60718293041526a04', idea: '63d4e5f60718293041526b01' };

function seedState(me: string): r.State {
  return {
    seq: 0x1000, me,
    members: [
      { id: ME, username: 'lina_liaison', fullName: '李娜', initials: 'LN' },
      { id: COLLEAGUE, username: 'wangqiang', fullName: '王强', initials: 'WQ' },
      { id: OUTSIDER, username: 'zhao_fin', fullName: '赵敏', initials: 'ZM' },
    ],
    orgs: [{ id: WORKSPACE, name: 'liaisonsupport', displayName: '联络售后' }],
    boards: [
      { id: BOARD, name: '售后工单', idOrganization: WORKSPACE, closed: false, members: [ME, COLLEAGUE], shortLink: 'aB3dE5gH' },
      { id: PRODUCT_BOARD, name: '产品反馈', idOrganization: WORKSPACE, closed: false, members: [ME], shortLink: 'kL7mN9pQ' },
      { id: FINANCE_BOARD, name: '财务', idOrganization: WORKSPACE, closed: false, members: [OUTSIDER], shortLink: 'rS2tU4vW' },
      { id: CLOSED_BOARD, name: '2025 旧看板', idOrganization: WORKSPACE, closed: true, members: [ME], shortLink: 'xY5zA7bC' },
    ],
    lists: [
      { id: LISTS.inbox, name: '待处理', closed: false, pos: 16384, idBoard: BOARD },
      { id: LISTS.doing, name: '处理中', closed: false, pos: 32768, idBoard: BOARD },
      { id: LISTS.waiting, name: '等客户回复', closed: false, pos: 49152, idBoard: BOARD },
      { id: LISTS.done, name: '已完成', closed: false, pos: 65536, idBoard: BOARD },
      { id: LISTS.old, name: '旧工单', closed: true, pos: 81920, idBoard: BOARD },
      { id: LISTS.ideas, name: 'Ideas', closed: false, pos: 16384, idBoard: PRODUCT_BOARD },
      { id: LISTS.finance, name: '报销', closed: false, pos: 16384, idBoard: FINANCE_BOARD },
      { id: LISTS.archive, name: '归档', closed: false, pos: 16384, idBoard: CLOSED_BOARD },
    ],
    labels: [
      { id: LABELS.urgent, idBoard: BOARD, name: '紧急', color: 'red' },
      { id: LABELS.high, idBoard: BOARD, name: '高', color: 'orange' },
      { id: LABELS.low, idBoard: BOARD, name: '低', color: 'green' },
      { id: LABELS.blue, idBoard: BOARD, name: '', color: 'blue' },
      { id: LABELS.idea, idBoard: PRODUCT_BOARD, name: '想法', color: 'purple' },
    ],
    cards: new Map(), shortSeq: new Map(),
  };
}

/** Trello's OAuth header form: OAuth oauth_consumer_key="…", oauth_token="…". */
function oauthHeader(h: string | undefined): { key?: string; token?: string } {
  if (!h || !/^OAuth\s/i.test(h)) return {};
  const get = (n: string) => new RegExp(`${n}="([^"]*)"`).exec(h)?.[1];
  const key = get('oauth_consumer_key');
  const token = get('oauth_token');
  return { ...(key ? { key } : {}), ...(token ? { token } : {}) };
}

export async function startTrelloEmulator(o: TrelloEmulatorOptions = {}) {
  const now = o.now ?? Date.now;
  const key = o.key ?? hex(32, 3);
  let token = o.token ?? `ATTA${hex(64, 5)}E2F1A9C0`;
  const requests: RequestLogEntry[] = [];
  const faults = createFaultQueue<Fault, RequestLogEntry>();
  const windows = new Map<string, number[]>();
  let down = false;

  // Node's own limit (16 KB of request line and headers, answered 431) would come before Trello's 8 KB one.
  const server = createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => void handle(req, res).catch((e) => { res.writeHead(500); res.end(String(e)); }));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state = seedState(ME);
  const ctx: r.Ctx = { state, now, site: 'https://trello.com' };

  /** A sliding window over the requests served (a refused one does not count). */
  // Counted as requests arrive: the logged time, taken before the body is read (a second clock
  // reading after it drifts from the log under load, as Asana's and Pipedrive's did).
  function window(k: string, max: number, spanMs: number, t: number): boolean {
    const list = (windows.get(k) ?? []).filter((x) => t - x < spanMs);
    const allowed = list.length < max;
    if (allowed) list.push(t);
    windows.set(k, list);
    return allowed;
  }

  function send(res: ServerResponse, entry: RequestLogEntry, reply: r.Reply) {
    entry.status = reply.status;
    const isText = reply.text !== undefined;
    res.writeHead(reply.status, { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', date: new Date(now()).toUTCString(), 'x-trello-version': '1.2345.0', ...reply.headers });
    res.end(isText ? reply.text : JSON.stringify(reply.body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const hit = ROUTES.find(([m, re]) => m === method && re.test(u.pathname));
    const params = hit ? (hit[1].exec(u.pathname) ?? []).slice(1).map(decodeURIComponent) : [];
    const route = hit?.[2];
    const entry: RequestLogEntry = { at: now(), method, path: u.pathname, api: route?.api ?? 'unknown', status: 0, outcome: 'replied', ...(route && /^cards\.|^comments\./.test(route.api) && params[0] ? { card: params[0] } : {}) };
    requests.push(entry);
    if (down) {
      entry.outcome = 'refused';
      req.socket.destroy();
      return;
    }
    // Trello's edge refuses a URL over about 8 KB before looking at the credentials
    // (mheap/trello-cli#241: 8,170 characters passed, 8,370 did not).
    if ((req.url ?? '').length > MAX_URL) return send(res, entry, r.text(414, 'Request-URI Too Large'));
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    // Trello reads a JSON or form body as parameters too; the query string wins on a clash.
    const q = new URLSearchParams();
    const raw = Buffer.concat(chunks).toString('utf8');
    if (raw) {
      const type = req.headers['content-type'] ?? '';
      if (/json/.test(type)) {
        let b: unknown;
        try {
          b = JSON.parse(raw);
        } catch {
          return send(res, entry, r.text(400, 'invalid JSON'));
        }
        if (typeof b !== 'object' || b === null || Array.isArray(b)) return send(res, entry, r.text(400, 'invalid JSON'));
        for (const [k, v] of Object.entries(b)) q.set(k, Array.isArray(v) ? v.join(',') : String(v));
      } else if (/x-www-form-urlencoded/.test(type)) for (const [k, v] of new URLSearchParams(raw)) q.set(k, v);
      else return send(res, entry, r.text(400, 'unsupported content type'));
    }
    for (const [k, v] of u.searchParams) q.set(k, v);
    // Faults come before the credentials: an outage or a lost reply does not look at the token.
    const fault = route ? faults.take(route.api, entry) : undefined;
    const header = oauthHeader(req.headers.authorization);
    const gotKey = q.get('key') ?? header.key;
    const gotToken = q.get('token') ?? header.token;
    if (gotKey !== key) return send(res, entry, r.text(401, 'invalid key'));
    if (gotToken !== token) return send(res, entry, r.text(401, 'invalid token'));
    q.delete('key');
    q.delete('token');
    // Rate limits, in Trello's order of reporting: the key's, the token's, then /1/members/.
    if (!window(`key`, o.keyPer10s ?? 300, 10_000, entry.at)) return send(res, entry, { status: 429, body: { error: 'API_KEY_LIMIT_EXCEEDED', message: 'Rate limit exceeded' } });
    if (!window(`token`, o.tokenPer10s ?? 100, 10_000, entry.at)) return send(res, entry, { status: 429, body: { error: 'API_TOKEN_LIMIT_EXCEEDED', message: 'Rate limit exceeded' } });
    if (route?.members && !window('members', o.membersPer900s ?? 100, 900_000, entry.at)) return send(res, entry, { status: 429, body: { message: 'Exceeded rate limit to /1/member', error: 'RATE_LIMIT_EXCEEDED' } });
    if (!route) return send(res, entry, r.text(404, `Cannot ${method} ${u.pathname}`));
    if (ID_CHECKED.has(route.api) && !TRELLO_ID.test(params[0]!)) return send(res, entry, r.text(400, 'invalid id'));
    const run = () => route.handle(ctx, params, q);
    if (!fault) return send(res, entry, run());
    if (fault.commit) run();
    if (fault.kind === 'hang') {
      // No answer until the client gives up (its timeout) or the emulator closes.
      entry.outcome = 'dropped';
      return;
    }
    if (fault.kind === 'drop') {
      entry.outcome = 'dropped';
      res.socket?.destroy();
      return;
    }
    const status = fault.status ?? 500;
    // An injected 429 answers as Trello's token limit does (JSON, no header).
    if (status === 429) return send(res, entry, { status, body: { error: 'API_TOKEN_LIMIT_EXCEEDED', message: 'Rate limit exceeded' } });
    return send(res, entry, r.text(status, status === 503 ? 'Service Unavailable' : 'Internal Server Error'));
  }

  const cardOf = (id: string) => {
    const c = state.cards.get(id.toLowerCase());
    if (!c) throw new Error(`no card ${id}`);
    return c;
  };
  const control = {
    /** A teammate drags the card to another list (an updateCard:idList action, as Trello records it). */
    move(cardId: string, idList: string) {
      const c = cardOf(cardId);
      const l = state.lists.find((x) => x.id === idList);
      if (!l) throw new Error(`no list ${idList}`);
      c.actions.push({ id: r.newId(ctx), idMemberCreator: COLLEAGUE, type: 'updateCard', date: now(), listBefore: c.idList, listAfter: l.id });
      c.idList = l.id;
      c.idBoard = l.idBoard;
      c.dateLastActivity = now();
    },
    archive(cardId: string, closed = true) {
      const c = cardOf(cardId);
      c.closed = closed;
      c.dateLastActivity = now();
    },
    completeDue(cardId: string, done = true) {
      const c = cardOf(cardId);
      c.dueComplete = done;
      c.dateLastActivity = now();
    },
    assign(cardId: string, memberId: string) {
      cardOf(cardId).idMembers.push(memberId);
    },
    deleteCard(cardId: string) {
      cardOf(cardId).deleted = true;
    },
    /** A teammate comments (as 王强). */
    commentAsColleague(cardId: string, text: string) {
      const reply = r.addComment(ctx, cardId, new URLSearchParams({ text }), COLLEAGUE);
      if (reply.status !== 200) throw new Error(JSON.stringify(reply));
    },
    /** Cards (deleted or not) whose description carries the line `Liaison <key>`: the tests' count of duplicates. */
    cardsMarked(idempotencyKey: string) {
      return [...state.cards.values()].filter((c) => c.desc.split('\n').some((l) => l.trim() === `\`Liaison ${idempotencyKey}\``));
    },
    /** The next `count` requests (of `api`, or any) answer `status` (500 by default); with commit, a write is done first. */
    failNext(f: { api?: string; status?: number; count?: number; commit?: boolean } = {}) {
      faults.push({ kind: 'fail', left: f.count ?? 1, ...(f.api ? { api: f.api } : {}), ...(f.status ? { status: f.status } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    /** The next request of `api` (or any) loses its reply: the connection closes, after the write committed when `commit`. */
    dropNext(f: { api?: string; commit?: boolean } = {}) {
      faults.push({ kind: 'drop', left: 1, ...(f.api ? { api: f.api } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    /** The next request of `api` (or any) gets no answer at all, after the write committed when `commit`: the client's timeout ends it. */
    hangNext(f: { api?: string; commit?: boolean } = {}) {
      faults.push({ kind: 'hang', left: 1, ...(f.api ? { api: f.api } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    /** The outbox fault tests' random faults: asked for each request no queued fault applies to. */
    setFaultPolicy(p: ((entry: RequestLogEntry) => Omit<Fault, 'left'> | undefined) | undefined) {
      faults.setPolicy(p);
    },
    /** The user revoked the token (Settings → Applications): the old one answers 401 "invalid token". */
    revokeToken() {
      token = `${token}x`;
    },
    setDown(v: boolean) {
      down = v;
    },
    clearLog() {
      requests.length = 0;
    },
  };
  return {
    /** Where the adapter's baseUrl points (Trello's https://api.trello.com/1). */
    url,
    api: `${url}/1`,
    key,
    get token() {
      return token;
    },
    state,
    requests,
    control,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
export type TrelloEmulator = Awaited<ReturnType<typeof startTrelloEmulator>>;
