// A vendor's fixed API host (https://api.hubapi.com, https://open.feishu.cn) served by its
// emulator: a throwaway certificate for that name, a TLS proxy in front of the plain-HTTP
// emulator, and the Chromium flags that resolve the name to the proxy. The extension then
// talks to the production URL, so its host permissions and match patterns are the real ones.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsProxy {
  host: string;
  port: number;
  /** --host-resolver-rules entry for this host ("MAP host:443 127.0.0.1:port"). */
  rule: string;
  close(): Promise<void>;
}

export async function startTlsProxy(host: string, targetUrl: string): Promise<TlsProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-cert-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  // An ECDSA P-256 key: generated in milliseconds, where RSA-2048 took 0.8 s of CPU per proxy.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-keyout', key, '-out', cert, '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`], { stdio: 'ignore' });
  const target = new URL(targetUrl);
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const up = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    // The emulator dropped the connection (down, lost reply): so does the proxy.
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    host,
    port,
    rule: `MAP ${host}:443 127.0.0.1:${port}`,
    async close() {
      await new Promise((ok) => server.close(ok));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Chromium flags for these proxies (the throwaway certificates are not trusted otherwise). */
export function proxyArgs(proxies: TlsProxy[]): string[] {
  return [`--host-resolver-rules=${proxies.map((p) => p.rule).join(', ')}`, '--ignore-certificate-errors'];
}
