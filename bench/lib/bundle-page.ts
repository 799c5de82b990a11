// Bundles a bench page entry (bench/pages/*.ts) into one IIFE with esbuild (wxt's own
// dependency, so nothing new is installed). The entry imports the project's real modules
// (lib/readers, lib/db…), so what runs in Chromium is the shipped code, minified the way a
// production build is.
import { build } from 'esbuild';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export async function bundlePage(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [resolve(ROOT, entry)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    write: false,
    // '@/…' and friends resolve through the project's tsconfig paths.
    tsconfig: resolve(ROOT, 'tsconfig.json'),
    define: { 'process.env.NODE_ENV': '"production"', 'import.meta.env.MODE': '"production"' },
    logLevel: 'silent',
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error(`esbuild produced nothing for ${entry}`);
  return file.text;
}
