// A strict emulator of one 智邦ERP installation (plain node:http on 127.0.0.1, port 0), for the
// adapter's contract tests. It follows shared/reference/crm-apis.md § 智邦ERP and seed 003, and
// rejects what the real API rejects: bad body shapes, missing/expired sessions, unknown enum ids,
// over-long fields, missing required fields, duplicate codes or mobiles (per 策略).
//
// Fault injection (control): latency, HTTP 500 (or any status, headers and body: 401, 429 with
// Retry-After) for the next N requests, a response dropped AFTER the request was processed (the
// client sees a reset socket: the write committed but its outcome is unknown — on reply.asp, the
// follow-up save, this is "commit then lose the reply"), a reply cut in half after processing
// (malformed JSON), and the whole server down / back up on the same port. Test helpers acting as
// a colleague (edit a customer, log a follow-up, delete) and the captcha lock live on the store.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { EmuStore, type EnumItem, type EmuUser, type Strategy } from './store';
import { fail, V1_STATUS, v3, type EmuReply, type ReplyShape } from './replies';
import * as V1 from './v1';
import * as V3 from './v3';
import * as Service from './service';

export type { ReplyShape } from './replies';
export { V1_STATUS } from './replies';
export type { EmuStore } from './store';

export interface ZhibangEmulatorOptions {
  /** Where replies carry the business part: "body" (help page) or "data" (seed 003 sample code). */
  replyShape?: ReplyShape;
  users?: Partial<EmuUser>[];
  sessionTtlMs?: number;
  /** 客户编号 format for codes the ERP assigns (installation setting). Default KH{YYYY}{seq:3} → KH2026001. */
  khidFormat?: string;
  uniqueMobile?: boolean;
  uniqueName?: boolean;
  /** Extra 客户来源 options (the seed's new enum value 微信咨询). */
  extraSources?: EnumItem[];
  /** 跟进程度 tree (sort1) names. */
  sort1Options?: string[];
  now?: () => number;
  /** How source.asp answers (v1.ts Ctx.enumShape). Default 'table'. */
  enumShape?: 'table' | 'options';
  /** The customer detail bill also carries ModifyStamp (v1.ts). Default false: the documented form has no such field. */
  billModifyStamp?: boolean;
  /** 0 (default): any free port. */
  port?: number;
}

export interface FaultReply {
  /** HTTP status of the injected answer (default 500). */
  status?: number;
  /** Headers to send with it (e.g. Retry-After with a 429). */
  headers?: Record<string, string>;
  /** Body text (default an IIS 500 page). */
  body?: string;
}

export interface RequestMatch {
  /** Substring of the lower-cased path, e.g. "custom/add.asp". */
  path?: string;
  cmdkey?: string;
}

export interface ZhibangControl {
  setLatency(ms: number): void;
  /** The next `count` matching requests answer HTTP 500 (or `status`, `headers`, `body`) without being processed. */
  failNext(count: number, match?: RequestMatch & FaultReply): void;
  /**
   * The next `count` matching requests are processed (writes commit), then the socket is
   * destroyed unanswered: "commit then lose the reply" (e.g. on reply.asp, the follow-up save).
   */
  dropNext(count: number, match?: RequestMatch): void;
  /** The next `count` matching requests are processed, then answered HTTP 200 with a truncated body. */
  garbleNext(count: number, match?: RequestMatch): void;
  setEnumShape(shape: 'table' | 'options'): void;
  /** Stops listening and cuts every open connection (host unreachable). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  expireSessions(): void;
  setReplyShape(shape: ReplyShape): void;
  setStrategy(s: Partial<Strategy>): void;
}

export interface ZhibangEmulator {
  url: string;
  port: number;
  state: EmuStore;
  control: ZhibangControl;
  close(): Promise<void>;
}

export const DEFAULT_USER: EmuUser = { id: 63, user: 'sales01', password: 'pa55word', name: '张销售' };

interface Fault {
  left: number;
  match: RequestMatch;
  reply?: FaultReply;
}

const matches = (m: RequestMatch, path: string, cmdkey: string | undefined) =>
  (!m.path || path.includes(m.path.toLowerCase())) && (m.cmdkey === undefined || m.cmdkey === cmdkey);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startZhibangEmulator(opts: ZhibangEmulatorOptions = {}): Promise<ZhibangEmulator> {
  const now = opts.now ?? Date.now;
  const users = (opts.users ?? [DEFAULT_USER]).map((u, i) => ({ ...DEFAULT_USER, id: DEFAULT_USER.id + i, ...u }));
  const store = new EmuStore(now, {
    users,
    extraSources: opts.extraSources ?? [{ id: 1001, name: '微信咨询' }],
    sort1Options: opts.sort1Options ?? ['重点客户', '潜在客户', '暂不跟进', '一般客户'],
    strategy: { uniqueMobile: opts.uniqueMobile ?? true, uniqueName: opts.uniqueName ?? false, khidFormat: opts.khidFormat ?? 'KH{YYYY}{seq:3}' },
    sessionTtlMs: opts.sessionTtlMs ?? 30 * 60_000,
  });
  let shape: ReplyShape = opts.replyShape ?? 'body';
  let latency = 0;
  const failures: Fault[] = [];
  const drops: Fault[] = [];
  const garbles: Fault[] = [];
  let enumShape: 'table' | 'options' = opts.enumShape ?? 'table';
  const sockets = new Set<Socket>();

  function take(list: Fault[], path: string, cmdkey: string | undefined): Fault | undefined {
    const f = list.find((x) => x.left > 0 && matches(x.match, path, cmdkey));
    if (f) f.left -= 1;
    return f;
  }

  function route(path: string, query: URLSearchParams, parsed: unknown, token: string | undefined): EmuReply | undefined {
    const ctx = { store, shape, query, enumShape, billModifyStamp: opts.billModifyStamp ?? false };
    const v3ctx = { store, shape, token };
    switch (path) {
      case '/sysa/mobilephone/login.asp':
        return V1.login(ctx, parsed, 'v1');
      case '/webapi/v3/ov1/login':
        return V1.login(ctx, parsed, 'v3');
      case '/sysa/mobilephone/logout.asp':
        return V1.logout(ctx, parsed);
      case '/sysa/mobilephone/salesmanage/custom/add.asp':
        return V1.customAdd(ctx, parsed);
      case '/sysa/mobilephone/salesmanage/custom/list.asp':
        return V1.customList(ctx, parsed);
      case '/sysa/mobilephone/salesmanage/person/list.asp':
        return V1.personList(ctx, parsed);
      case '/sysa/mobilephone/systemmanage/reply.asp':
        return V1.reply(ctx, parsed);
      case '/sysa/mobilephone/systemmanage/replylist.asp':
        return V1.replyList(ctx, parsed);
      case '/sysa/mobilephone/systemmanage/order.asp':
        return V1.order(ctx, parsed);
      case '/sysa/mobilephone/salesmanage/chance/add.asp':
        return V1.chanceAdd(ctx, parsed);
      case '/sysa/mobilephone/source.asp':
        return V1.source(ctx, parsed);
      case '/sysa/mobilephone/salesmanage/service/add.asp':
        return Service.serviceAdd(ctx, parsed);
      case '/sysa/mobilephone/salesmanage/service/list.asp':
        return Service.serviceList(ctx, parsed);
      case '/sysa/mobilephone/salesmanage/service/chuli.asp':
        return Service.serviceChuli(ctx, parsed);
      case '/webapi/v3/sales/customer/add':
        return V3.customerAdd(v3ctx, parsed);
      case '/webapi/v3/sales/customer/edit':
        return V3.customerEdit(v3ctx, parsed);
      default:
        return undefined;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.toLowerCase(); // IIS paths are case-insensitive
    const text = await readBody(req);
    let parsed: unknown;
    let jsonOk = true;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      jsonOk = false;
    }
    const cmdkey = parsed && typeof parsed === 'object' && typeof (parsed as { cmdkey?: unknown }).cmdkey === 'string' ? (parsed as { cmdkey: string }).cmdkey : undefined;
    // Never log bodies: they carry passwords and customer data.
    const entry: (typeof store.requests)[number] = { at: now(), method: req.method ?? '', path, ...(cmdkey !== undefined ? { cmdkey } : {}) };
    store.requests.push(entry);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));

    const injected = take(failures, path, cmdkey);
    if (injected) {
      entry.status = injected.reply?.status ?? 500;
      entry.failed = true;
      res.writeHead(entry.status, { 'content-type': 'text/html; charset=utf-8', ...injected.reply?.headers });
      res.end(injected.reply?.body ?? '<html><body><h1>500 - 内部服务器错误。</h1></body></html>');
      return;
    }

    let reply: EmuReply | undefined;
    if (req.method !== 'POST') reply = { http: 405, json: { error: 'method not allowed' } };
    else if (!jsonOk) reply = path.startsWith('/webapi/v3/') && !path.endsWith('/login') ? v3(shape, 300, '请求体不是有效的JSON') : fail(shape, V1_STATUS.badRequest, '请求体不是有效的JSON');
    else {
      const token = req.headers['zbapi-token'];
      reply = route(path, url.searchParams, parsed, typeof token === 'string' ? token : undefined);
    }
    if (!reply) reply = { http: 404, json: { error: 'not found' } };

    if (take(drops, path, cmdkey)) {
      entry.dropped = true;
      req.socket.destroy();
      return;
    }
    entry.status = reply.http;
    res.writeHead(reply.http, { 'content-type': 'application/json; charset=utf-8' });
    const out = JSON.stringify(reply.json);
    res.end(take(garbles, path, cmdkey) ? out.slice(0, Math.max(1, Math.floor(out.length / 2))) : out);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`emulator bug: ${String(err)}`);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });

  // A fixed port for `npm start` (so the user can type it in options); tests use a free one.
  await listen(opts.port ?? 0);
  const port = (server.address() as AddressInfo).port;

  const control: ZhibangControl = {
    setLatency: (ms) => void (latency = ms),
    failNext: (count, match = {}) => {
      const { status, headers, body, ...where } = match;
      failures.push({ left: count, match: where, reply: { ...(status !== undefined ? { status } : {}), ...(headers ? { headers } : {}), ...(body !== undefined ? { body } : {}) } });
    },
    dropNext: (count, match = {}) => void drops.push({ left: count, match }),
    garbleNext: (count, match = {}) => void garbles.push({ left: count, match }),
    setEnumShape: (s) => void (enumShape = s),
    down: stop,
    up: () => listen(port),
    expireSessions: () => store.expireSessions(),
    setReplyShape: (s) => void (shape = s),
    setStrategy: (s) => void Object.assign(store.strategy, s),
  };

  return { url: `http://127.0.0.1:${port}`, port, state: store, control, close: stop };
}
