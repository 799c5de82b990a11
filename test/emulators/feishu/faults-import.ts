// The gateway's rate limiting as a lead import meets it, counted instead of timed: a loopback
// proxy in front of the Feishu emulator that answers the next N requests of one API with what
// the open platform's gateway sends when a per-API limit is hit — HTTP 429, body
// {code: 99991400, msg: "request trigger frequency limit"}, headers x-ogw-ratelimit-limit and
// x-ogw-ratelimit-reset (seconds until the window resets) — without passing them on, and logs
// every request (API, client_token, status) so a test can check what the client re-sent.
// Source: 频控策略 / Rate limits, https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control
// (read 2026-12-06): over the limit the gateway answers HTTP 429 (HTTP 400 for some older APIs)
// with {"code":99991400,"msg":"request trigger frequency limit"}, x-ogw-ratelimit-limit and
// x-ogw-ratelimit-reset (seconds); the client should wait x-ogw-ratelimit-reset seconds and
// retry, and on another 429 wait again and retry "until it succeeds". The emulator's own storm
// (server.ts rateLimitStorm) sends the same shape but by the clock, which a test under load
// cannot count on.
// It lives beside, not inside, the emulator (server.ts belongs to the read-side work).
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ImportFaultLogEntry {
  api: string;
  method: string;
  clientToken?: string;
  /** 429 (or 400) when the proxy answered; else the emulator's status (0: the connection was dropped). */
  status: number;
  limited: boolean;
}

export interface ImportFaultProxy {
  url: string;
  log: ImportFaultLogEntry[];
  /** The next `count` requests to `api` (any API when absent) get 429/99991400 with x-ogw-ratelimit-reset = resetSeconds. */
  rateLimitNext(f: { api?: string; count?: number; resetSeconds?: number; limit?: number; /** 400 for the older APIs' variant. */ status?: 429 | 400 }): void;
  close(): Promise<void>;
}

/** The emulator's route ids (server.ts ROUTES), recognised by path. */
export function apiOf(method: string, path: string): string {
  if (/\/auth\/v3\/tenant_access_token\/internal$/.test(path)) return 'auth.tenant_access_token';
  if (/\/records\/batch_create$/.test(path)) return 'records.batch_create';
  if (/\/records\/batch_update$/.test(path)) return 'records.batch_update';
  if (/\/records\/search$/.test(path)) return 'records.search';
  if (/\/tables\/[^/]+\/records$/.test(path)) return method === 'POST' ? 'records.create' : 'records.list';
  if (/\/tables\/[^/]+\/records\/[^/]+$/.test(path)) return 'records.update';
  if (/\/tables\/[^/]+\/fields$/.test(path)) return method === 'POST' ? 'fields.create' : 'fields.list';
  if (/\/tables$/.test(path)) return method === 'POST' ? 'tables.create' : 'tables.list';
  return 'other';
}

export async function startImportFaultProxy(targetUrl: string): Promise<ImportFaultProxy> {
  const target = new URL(targetUrl);
  const queue: { api?: string; left: number; resetSeconds: number; limit: number; status: number }[] = [];
  const log: ImportFaultLogEntry[] = [];

  const server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const api = apiOf(req.method ?? 'GET', url.pathname);
    const entry: ImportFaultLogEntry = { api, method: req.method ?? 'GET', status: 0, limited: false };
    const token = url.searchParams.get('client_token');
    if (token) entry.clientToken = token;
    log.push(entry);
    const i = queue.findIndex((f) => !f.api || f.api === api);
    if (i >= 0) {
      const f = queue[i]!;
      if (--f.left <= 0) queue.splice(i, 1);
      entry.status = f.status;
      entry.limited = true;
      req.resume();
      res.writeHead(f.status, {
        'content-type': 'application/json; charset=utf-8',
        'x-ogw-ratelimit-limit': String(f.limit),
        'x-ogw-ratelimit-reset': String(f.resetSeconds),
      });
      res.end(JSON.stringify({ code: 99991400, msg: 'request trigger frequency limit' }));
      return;
    }
    const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (r) => {
      entry.status = r.statusCode ?? 0;
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    // The emulator dropped the connection (a lost reply): so does the proxy.
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    rateLimitNext: ({ api, count = 1, resetSeconds = 1, limit = 50, status = 429 }) => void queue.push({ ...(api ? { api } : {}), left: count, resetSeconds, limit, status }),
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
