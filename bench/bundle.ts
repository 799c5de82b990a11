// Bundle sizes of the built extension (.output/chrome-mv3, made by `wxt build` before the bench):
// every content script and the background, raw and gzip. The content script sits on the
// customer's chat page all day, so its gzip size has a target; the background is reported so a
// jump shows up. gzip uses zlib's default level (6), the same as the `gzip` command.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { EXTENSION_DIR } from '../scripts/lib/chromium.mjs';
import type { Figure, Section } from './lib/report';

export const CONTENT_SCRIPT_GZIP_TARGET_KB = 40;

function sizes(file: string): { raw: number; gzip: number } {
  const buf = readFileSync(file);
  return { raw: buf.length, gzip: gzipSync(buf).length };
}

const kB = (n: number) => Math.round((n / 1000) * 10) / 10;

export function benchBundle(dir: string = EXTENSION_DIR): Section {
  if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`no build at ${dir}: run \`npx wxt build\` first`);
  const figures: Figure[] = [];
  const csDir = join(dir, 'content-scripts');
  const scripts = readdirSync(csDir).filter((f) => f.endsWith('.js')).sort();
  let largest = { name: '', raw: 0, gzip: 0 };
  for (const f of scripts) {
    const s = sizes(join(csDir, f));
    if (s.gzip > largest.gzip) largest = { name: f, ...s };
    figures.push({ area: 'Bundle', metric: `content script ${f} (raw)`, value: kB(s.raw), unit: 'kB' });
    figures.push({
      area: 'Bundle',
      metric: `content script ${f} (gzip)`,
      value: kB(s.gzip),
      unit: 'kB',
      target: { op: '<=', value: CONTENT_SCRIPT_GZIP_TARGET_KB },
    });
  }
  // The sidebar's stylesheet ships with each content script (injected into its shadow root).
  const css = readdirSync(csDir).filter((f) => f.endsWith('.css')).sort()[0];
  if (css) {
    const s = sizes(join(csDir, css));
    figures.push({ area: 'Bundle', metric: `content script CSS ${css} (raw / gzip)`, value: kB(s.gzip), unit: 'kB gzip', note: `${kB(s.raw)} kB raw` });
  }
  const bg = sizes(join(dir, 'background.js'));
  figures.push({ area: 'Bundle', metric: 'background.js (raw)', value: kB(bg.raw), unit: 'kB' });
  figures.push({ area: 'Bundle', metric: 'background.js (gzip)', value: kB(bg.gzip), unit: 'kB' });
  const total = walk(dir).reduce((n, f) => n + statSync(f).size, 0);
  figures.push({ area: 'Bundle', metric: 'whole extension directory (raw)', value: kB(total), unit: 'kB' });
  return {
    area: 'Bundle',
    figures,
    notes: [
      `Read from ${dir} after \`wxt build\` (production, minified). gzip = zlib level 6. Largest content script: ${largest.name} at ${kB(largest.gzip)} kB gzip (${kB(largest.raw)} kB raw).`,
    ],
  };
}

function walk(d: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
}
