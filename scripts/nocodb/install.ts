/**
 * Installs a pinned NocoDB into a cache folder outside the project's own
 * dependencies (it is ~1.5 GB), with the workarounds from
 * shared/reference/nocodb.md. A marker file written only after a fully
 * successful install lets a second run reuse the copy; a half-finished
 * install (no marker) is wiped and redone rather than trusted.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const NOCODB_VERSION = '0.301.3';
const MARKER = '.liaison-installed.json';

export function nocodbDir(version = NOCODB_VERSION): string {
  const root = process.env.LIAISON_NOCODB_DIR ?? join(homedir(), '.cache', 'liaison-nocodb');
  return join(root, version);
}

export function isInstalled(dir = nocodbDir()): boolean {
  return existsSync(join(dir, MARKER)) && existsSync(join(dir, 'node_modules', 'nocodb', 'package.json'));
}

function run(cmd: string, args: string[], cwd: string, log: (s: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
    let tail = '';
    const keep = (b: Buffer) => {
      tail = (tail + b.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (e) => reject(new Error(`${cmd} ${args.join(' ')} could not start: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) {
        log(`${cmd} ${args.join(' ')}: ok`);
        resolve();
      } else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${tail}`));
    });
  });
}

export interface InstallResult {
  dir: string;
  reused: boolean;
  ms: number;
}

export async function installNocodb(opts: { version?: string; log?: (s: string) => void } = {}): Promise<InstallResult> {
  const version = opts.version ?? NOCODB_VERSION;
  const log = opts.log ?? ((s: string) => console.log(`[nocodb] ${s}`));
  const dir = nocodbDir(version);
  const started = Date.now();
  if (isInstalled(dir)) return { dir, reused: true, ms: Date.now() - started };
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'liaison-nocodb-cache',
        private: true,
        // Exact pin: the tests are written against this version's API replies.
        dependencies: { nocodb: version },
        // xlsx's own dependency points at an unreachable CDN tarball.
        overrides: { xlsx: '0.18.5' },
      },
      null,
      2,
    ),
  );
  log(`installing nocodb@${version} into ${dir} (first run: several minutes, ~1.5 GB)`);
  // nocodb-sdk's preinstall insists on pnpm, so skip scripts and rebuild only
  // the two native modules NocoDB needs to boot with SQLite.
  await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], dir, log);
  await run('npm', ['rebuild', 'sqlite3', 'sharp'], dir, log);
  if (!existsSync(join(dir, 'node_modules', 'nocodb', 'package.json'))) {
    throw new Error(`npm reported success but ${dir}/node_modules/nocodb is missing`);
  }
  const ms = Date.now() - started;
  writeFileSync(join(dir, MARKER), JSON.stringify({ version, installedAt: new Date().toISOString(), ms }));
  log(`installed in ${(ms / 1000).toFixed(0)} s`);
  return { dir, reused: false, ms };
}

export function installInfo(dir = nocodbDir()): { ms?: number } {
  try {
    return JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as { ms?: number };
  } catch {
    return {};
  }
}

if (process.argv[1]?.endsWith('install.ts')) {
  installNocodb().then(
    (r) => console.log(`[nocodb] ${r.reused ? 'reused' : 'installed'} ${r.dir} in ${r.ms} ms`),
    (e: unknown) => {
      console.error(`[nocodb] INSTALL FAILED: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
