/**
 * A real NocoDB for the integration tests: installed once into a cache folder (install.ts),
 * started on 127.0.0.1 at a free port with SQLite in a fresh temp dir and telemetry off, then
 * prepared like a user would: admin signed in, an API token created, an empty base made.
 *
 * It never "skips": if NocoDB cannot be installed or started, startNocodb() throws a loud error
 * and the integration run fails. `stop()` kills the whole process group and removes the data.
 *
 * CLI: `npx tsx scripts/nocodb/harness.ts` installs (or reuses), starts, prints timings and the
 * URL, and keeps running until Ctrl-C (handy for poking at the API by hand).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installNocodb, NOCODB_VERSION } from './install';

export interface NocodbServer {
  url: string;
  /** API token (xc-token) of the super-admin. */
  token: string;
  /** A fresh, empty base for the tests. */
  baseId: string;
  email: string;
  password: string;
  version: string;
  timings: { installMs: number; reusedInstall: boolean; startMs: number };
  stop(): Promise<void>;
}

const LAUNCHER = `// Written by Liaison's test harness: NocoDB's npm package has no CLI of its own.
const http = require('http');
const express = require('express');
(async () => {
  const { Noco } = require('nocodb');
  const app = express();
  app.disable('x-powered-by');
  const server = http.createServer(app);
  app.use(await Noco.init({}, server, app));
  server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('[launcher] listening on ' + process.env.PORT));
})().catch((e) => {
  console.error('[launcher] NocoDB failed to start:', e && e.stack ? e.stack : e);
  process.exit(1);
});
`;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function fail(what: string, detail: string): never {
  const bar = '!'.repeat(78);
  throw new Error(`\n${bar}\nNocoDB integration harness: ${what}\n${detail}\n(the integration tests need a real NocoDB; they fail rather than skip)\n${bar}`);
}

async function json(url: string, init: RequestInit & { json?: unknown } = {}): Promise<unknown> {
  const { json: body, ...rest } = init;
  const res = await fetch(url, {
    ...rest,
    headers: { 'content-type': 'application/json', ...(rest.headers as Record<string, string> | undefined) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname} → ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the launcher runs detached: its own process group
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

export async function startNocodb(opts: { log?: (s: string) => void; readyTimeoutMs?: number } = {}): Promise<NocodbServer> {
  const log = opts.log ?? ((s: string) => console.log(`[nocodb] ${s}`));
  let install: Awaited<ReturnType<typeof installNocodb>>;
  try {
    install = await installNocodb({ log });
  } catch (e) {
    fail(`could not install nocodb@${NOCODB_VERSION}`, e instanceof Error ? e.message : String(e));
  }
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'liaison-nocodb-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const email = 'admin@liaison.test';
  const password = `Liaison-${Math.random().toString(36).slice(2)}-Pw1!`;
  const launcher = join(install.dir, 'liaison-launcher.cjs');
  writeFileSync(launcher, LAUNCHER);
  const logFile = join(dataDir, 'nocodb.log');
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [launcher], {
    cwd: install.dir,
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dataDir,
      PORT: String(port),
      NODE_ENV: 'production',
      NC_DB: `sqlite3://?d=${join(dataDir, 'noco.db')}`,
      NC_TOOL_DIR: `${dataDir}/`,
      NC_AUTH_JWT_SECRET: `liaison-test-${Math.random().toString(36).slice(2)}`,
      NC_ADMIN_EMAIL: email,
      NC_ADMIN_PASSWORD: password,
      NC_DISABLE_TELE: 'true',
      NC_DISABLE_ERR_REPORTS: 'true',
      NC_DISABLE_SUPPORT_CHAT: 'true',
      NC_PUBLIC_URL: url,
    },
  });
  closeSync(out);
  let exited: string | undefined;
  child.on('exit', (code, sig) => {
    exited = `exited with ${code ?? sig}`;
  });
  const tail = () => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    } catch {
      return '(no log)';
    }
  };
  const stop = async () => {
    killGroup(child, 'SIGTERM');
    const gone = await Promise.race([
      new Promise<boolean>((r) => (child.exitCode !== null || child.signalCode !== null ? r(true) : child.once('exit', () => r(true)))),
      new Promise<boolean>((r) => setTimeout(() => r(false), 5000)),
    ]);
    if (!gone) killGroup(child, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 90_000);
    for (;;) {
      if (exited) fail(`NocoDB ${exited} before it was ready`, tail());
      if (Date.now() > deadline) fail(`NocoDB did not answer /api/v1/health within ${(opts.readyTimeoutMs ?? 90_000) / 1000} s`, tail());
      try {
        const res = await fetch(`${url}/api/v1/health`);
        if (res.ok && /"OK"/.test(await res.text())) break;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const signin = (await json(`${url}/api/v2/auth/user/signin`, { method: 'POST', json: { email, password } })) as { token?: string };
    if (!signin.token) fail('sign-in returned no token', JSON.stringify(Object.keys(signin)));
    const tok = (await json(`${url}/api/v1/tokens`, { method: 'POST', headers: { 'xc-auth': signin.token }, json: { description: 'liaison-integration' } })) as { token?: string };
    if (!tok.token) fail('creating an API token returned no token', JSON.stringify(Object.keys(tok)));
    const base = (await json(`${url}/api/v2/meta/bases`, { method: 'POST', headers: { 'xc-token': tok.token }, json: { title: 'Liaison CRM' } })) as { id?: string };
    if (!base.id) fail('creating a base returned no id', JSON.stringify(Object.keys(base)));
    const startMs = Date.now() - started;
    log(`ready at ${url} in ${(startMs / 1000).toFixed(1)} s (install ${install.reused ? 'reused' : `${(install.ms / 1000).toFixed(0)} s`})`);
    return {
      url,
      token: tok.token,
      baseId: base.id,
      email,
      password,
      version: NOCODB_VERSION,
      timings: { installMs: install.ms, reusedInstall: install.reused, startMs },
      stop,
    };
  } catch (e) {
    await stop();
    if (e instanceof Error && e.message.includes('NocoDB integration harness')) throw e;
    fail('NocoDB started but could not be prepared', `${e instanceof Error ? e.message : String(e)}\n${tail()}`);
  }
}

/** Another empty base on the same server (each test file gets its own tables). */
export async function createBase(server: Pick<NocodbServer, 'url' | 'token'>, title: string): Promise<string> {
  const base = (await json(`${server.url}/api/v2/meta/bases`, { method: 'POST', headers: { 'xc-token': server.token }, json: { title } })) as { id?: string };
  if (!base.id) throw new Error('creating a base returned no id');
  return base.id;
}

if (process.argv[1]?.endsWith('harness.ts')) {
  startNocodb().then(
    (s) => {
      console.log(JSON.stringify({ url: s.url, baseId: s.baseId, timings: s.timings }, null, 2));
      console.log('[nocodb] running; Ctrl-C stops it');
      const bye = () => void s.stop().then(() => process.exit(0));
      process.on('SIGINT', bye);
      process.on('SIGTERM', bye);
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
