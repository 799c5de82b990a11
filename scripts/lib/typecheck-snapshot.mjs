// The type check on a copy of WXT's generated folder (.wxt/), so that it can run beside the builds.
// Every WXT build rewrites .wxt/ (tsconfig.json with its `exclude` of the build's folder, and the
// generated types) while it runs; tsc reads those files as it starts. Copied right after a build
// has finished, the folder is whole, and tsc reads the copy: the same compiler options, the same
// WXT types and the same sources as `tsc --noEmit` with the root tsconfig.json, which extends
// .wxt/tsconfig.json. The copy is a sibling of .wxt/, so the generated relative paths ("..",
// "../**/*") mean the repository root from both.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SNAPSHOT_DIR = '.wxt-typecheck';

/**
 * Copies .wxt/ to SNAPSHOT_DIR and writes a tsconfig there that is the root one pointed at the
 * copy. Returns the tsconfig's path (for `tsc -p`) and a remover.
 * @param {string} root the repository root
 */
export function typecheckSnapshot(root) {
  const dir = join(root, SNAPSHOT_DIR);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, '.wxt'), dir, { recursive: true });
  const rootConfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
  if (rootConfig.extends !== './.wxt/tsconfig.json') throw new Error(`tsconfig.json extends ${rootConfig.extends}, not ./.wxt/tsconfig.json: update scripts/lib/typecheck-snapshot.mjs`);
  // Paths in a tsconfig are relative to its own folder: the root's includes, seen from the copy.
  const include = rootConfig.include.map((p) => (p.startsWith('.wxt/') ? `./${p.slice('.wxt/'.length)}` : `../${p}`));
  const config = { extends: './tsconfig.json', compilerOptions: rootConfig.compilerOptions, include };
  const file = join(dir, 'tsconfig.check.json');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return { config: file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
