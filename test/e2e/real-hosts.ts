// The real chats' content scripts in real Chromium, on saved fixtures served under the real
// addresses: an HTTPS server on 127.0.0.1 with a certificate made now by openssl, and Chromium
// told to resolve the chat hosts there. So the manifest's real match patterns are what inject
// the scripts; nothing leaves the machine. One per test file (each file names its hosts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchWithExtension, type LaunchedExtension } from '../../scripts/lib/chromium.mjs';
import { sidebar } from './sidebar-locator';

export const SITE_FIXTURES = resolve(import.meta.dirname, '../fixtures/sites');
// This 2-core machine may run other browser tests at the same time.
export const SLOW = { timeout: 30_000 };

export interface Reply {
  status?: number;
  type?: string;
  body: string | Buffer;
}

export interface RealHosts {
  ext: LaunchedExtension;
  /** Open a page and wait for the sidebar. */
  open(url: string): Promise<Page>;
  stop(): Promise<void>;
}

/** A saved page by site and name (`[a-z0-9-]+` only), or null. */
export function fixtureFile(site: string, name: string): Reply | null {
  if (!/^[a-z0-9-]+$/.test(name) || !/^[a-z0-9-]+$/.test(site)) return null;
  try {
    return { body: readFileSync(join(SITE_FIXTURES, site, `${name}.html`)) };
  } catch {
    return null;
  }
}

export { sidebar };

/**
 * Serve `hosts` (exact names, e.g. web.whatsapp.com, xyz.feishu.cn) over HTTPS on loopback and
 * launch Chromium with the built extension resolving them there. `route` answers each request
 * (null: 404).
 */
export async function startRealHosts(opts: { hosts: string[]; route(host: string, url: URL): Reply | null }): Promise<RealHosts> {
  const certDir = mkdtempSync(join(tmpdir(), 'liaison-cert-'));
  const san = opts.hosts.map((h) => `DNS:${h}`).join(',');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem'),
    '-subj', `/CN=${opts.hosts[0]}`, '-addext', `subjectAltName=${san}`,
  ], { stdio: 'ignore' });
  const server: Server = createServer({ key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    let reply: Reply | null = null;
    try {
      reply = opts.route(host, new URL(req.url ?? '/', `https://${host}`));
    } catch {
      reply = null;
    }
    if (!reply) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(reply.status ?? 200, { 'content-type': reply.type ?? 'text/html; charset=utf-8' }).end(reply.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  const rules = opts.hosts.map((h) => `MAP ${h}:443 127.0.0.1:${port}`).join(', ');
  const ext = await launchWithExtension({ args: [`--host-resolver-rules=${rules}`, '--ignore-certificate-errors'] });
  return {
    ext,
    async open(url) {
      const page = await ext.context.newPage();
      if (process.env.E2E_DEBUG) page.on('console', (m) => console.log(`[${url}]`, m.text()));
      await page.goto(url);
      await sidebar(page).waitFor(SLOW);
      return page;
    },
    async stop() {
      await ext.close();
      await new Promise((ok) => server.close(ok));
      rmSync(certDir, { recursive: true, force: true });
    },
  };
}
