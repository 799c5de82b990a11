// A loopback server for the browser benches: the demo chat (demo/public) with its big
// conversation extended to BIG_MESSAGES, the saved pages of the real sites
// (test/fixtures/sites/<site>/<name>.html, at any path with ?liaison-fixture=<site>/<name>, so a
// page can be opened at the path and hash its reader expects), plus bench scripts under /__bench/.
// It is served under a host name no content script matches (see BENCH_HOST), so the reader
// measured is only the one the bench injects, and the extension's own reader does not compete
// for the CPU.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';

const PUBLIC_DIR = resolve(import.meta.dirname, '../../demo/public');
const SITES_DIR = resolve(import.meta.dirname, '../../test/fixtures/sites');
/** Mapped to 127.0.0.1 by --host-resolver-rules; matched by no content script. */
export const BENCH_HOST = 'bench.invalid';
export const BIG_THREAD = 'u_8613600001111';
const BIG_CALL = `bigConversation('${BIG_THREAD}', 3000)`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export interface FixtureServer {
  port: number;
  /** The demo on the bench host, on the big conversation, live messages off. */
  bigChatUrl(host?: string): string;
  /** A blank page on the bench host that loads /__bench/<name>.js. */
  pageUrl(name: string): string;
  /**
   * A saved site page on the bench host, at `path` (path, query and hash of the address its
   * reader expects, e.g. `/k/#@zhangwei_sh`): the host stays the bench's.
   */
  siteUrl(site: string, name: string, path: string): string;
  close(): Promise<void>;
}

export async function startFixtureServer(o: { bigMessages: number; scripts: Record<string, string> }): Promise<FixtureServer> {
  const appJs = await readFile(join(PUBLIC_DIR, 'app.js'), 'utf8');
  // The demo's deterministic generator, asked for more messages. Fail loudly if the demo
  // changed: a silently smaller conversation would flatter the reader.
  if (!appJs.includes(BIG_CALL)) throw new Error(`demo/public/app.js no longer contains ${BIG_CALL}; update bench/lib/fixture-server.ts`);
  const bigAppJs = appJs.replace(BIG_CALL, `bigConversation('${BIG_THREAD}', ${o.bigMessages})`);

  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      // Cross-origin isolation on the bench host: Chromium then gives performance.now 5 µs
      // resolution instead of 100 µs, which matters for sub-millisecond figures.
      const isolated = (req.headers.host ?? '').startsWith(`${BENCH_HOST}:`)
        ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
        : {};
      const send = (status: number, type: string, body: string | Buffer) => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...isolated });
        res.end(body);
      };
      const fixture = new URL(req.url ?? '/', 'http://x').searchParams.get('liaison-fixture');
      if (fixture !== null) {
        const m = /^([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(fixture);
        if (!m) return send(400, 'text/plain', 'bad fixture name');
        try {
          return send(200, TYPES['.html']!, await readFile(join(SITES_DIR, m[1]!, `${m[2]!}.html`)));
        } catch {
          return send(404, 'text/plain', 'no such fixture');
        }
      }
      const bench = /^\/__bench\/([\w-]+)\.(js|html)$/.exec(path);
      if (bench) {
        const [, name, kind] = bench;
        const script = o.scripts[name!];
        if (script === undefined) return send(404, 'text/plain', 'no such bench script');
        if (kind === 'js') return send(200, TYPES['.js']!, script);
        return send(200, TYPES['.html']!, `<!doctype html><meta charset="utf-8"><title>bench ${name}</title><script src="/__bench/${name}.js"></script>`);
      }
      if (path === '/app.js') return send(200, TYPES['.js']!, bigAppJs);
      const file = path === '/' ? 'index.html' : path.replace(/^\/+/, '');
      if (!/^[\w.-]+$/.test(file)) return send(400, 'text/plain', 'bad path');
      try {
        send(200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(join(PUBLIC_DIR, file)));
      } catch {
        send(404, 'text/plain', 'not found');
      }
    })();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    bigChatUrl: (host = BENCH_HOST) => `http://${host}:${port}/?live=0#/chat/${BIG_THREAD}`,
    pageUrl: (name) => `http://${BENCH_HOST}:${port}/__bench/${name}.html`,
    siteUrl: (site, name, path) => {
      const u = new URL(path, `http://${BENCH_HOST}:${port}/`);
      u.searchParams.set('liaison-fixture', `${site}/${name}`);
      return u.href;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/**
 * Chromium flags: send the bench host to this machine (nothing leaves it), and treat it as a
 * secure context, which cross-origin isolation (fine-grained timers) requires.
 */
export const benchHostFlags = (port: number): string[] => [
  `--host-resolver-rules=MAP ${BENCH_HOST} 127.0.0.1`,
  `--unsafely-treat-insecure-origin-as-secure=http://${BENCH_HOST}:${port}`,
];
