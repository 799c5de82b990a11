// Build wiring of the service worker's split (./boundary.ts), added by wxt.config.ts to the
// background's build ("start") and to each chunk's build (its name). Node side only.
// - In every build but the chunk that provides it, a module moved to a chunk is replaced by its
//   shim in ./lazy/ (same exports, each loading the chunk on first call).
// - In a chunk's build, each SHARED_MODULES module becomes a module that re-exports the start
//   bundle's copy (globalThis.__liaisonShared, set by ./shared.ts), so state and classes stay one.
// - A chunk's emitted file only defines a function: globalThis.__liaisonChunks.defs[name]; the
//   worker runs it on first use (./chunks.ts).
import { join, relative, sep } from 'node:path';
import { build } from 'esbuild';
import type { Plugin } from 'vite';
import { CHUNKS, isSharedPackage, sharedFor, type ChunkName, type SharedModule } from './boundary';

export type SplitRole = 'start' | ChunkName;

const SHARED_PREFIX = '\0liaison-shared:';

/** Which build an entrypoint group is: the background, a chunk, or neither (undefined). */
export function splitRole(entrypoints: readonly { name: string; type: string }[]): SplitRole | undefined {
  if (entrypoints.some((e) => e.type === 'background')) return 'start';
  for (const e of entrypoints) {
    const m = /^background-(.+)$/.exec(e.name);
    const name = m?.[1] as ChunkName | undefined;
    if (name && (CHUNKS as readonly string[]).includes(name)) return name;
  }
  return undefined;
}

export function backgroundSplit(root: string, role: SplitRole): Plugin {
  const abs = (p: string) => join(root, p);
  const lazy = join(root, 'lib/background-start/lazy');
  /** Modules that live in a chunk (or, undefined, in a data file): [chunk, bare specifier or absolute path, shim]. */
  const moved: [ChunkName | undefined, string, string][] = [
    ['services', abs('entrypoints/background/services.ts'), join(lazy, 'services.ts')],
    ['vendors', abs('lib/crm/adapters.ts'), join(lazy, 'adapters.ts')],
    ['pinyin', 'pinyin-pro', join(lazy, 'pinyin-pro.ts')],
    ['phone', 'libphonenumber-js/max', join(lazy, 'libphonenumber.ts')],
    [undefined, abs('lib/understand/model/weights-source.ts'), join(lazy, 'weights-source.ts')],
  ];
  const active = moved.filter(([chunk]) => chunk !== role);
  const sharedHere = sharedFor(role);
  const shared = new Set<string>(sharedHere.filter((m) => !isSharedPackage(m)).map(abs));
  const sharedPackages = new Set<string>(sharedHere.filter(isSharedPackage));
  const norm = (id: string) => id.split('?')[0]!.split(sep).join('/');

  return {
    name: 'liaison-background-split',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer) return null;
      for (const [, match, shim] of active) if (source === match) return shim;
      if (source.startsWith('\0')) return null;
      if (sharedPackages.has(source)) return SHARED_PREFIX + source;
      const r = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!r) return null;
      const id = norm(r.id);
      // State lives on one side: a chunk never gets a database of its own, and the start bundle no vendor adapter.
      // (A chunk's `import … from 'dexie'` is the start bundle's Dexie, above; any other way in is a second copy.)
      if (role !== 'start' && /\/node_modules\/dexie\//.test(id)) this.error(`background chunk ${role}: ${relative(root, importer)} brings Dexie into a chunk (the database belongs to the start bundle)`);
      if (role === 'start' && /\/lib\/crm\/(?!local\/)[^/]+\/adapter\.ts$|\/lib\/crm\/vendor-adapters\.ts$/.test(id)) this.error(`background start bundle: ${relative(root, importer)} imports ${relative(root, id)}, which belongs to the vendors chunk`);
      for (const [, match, shim] of active) if (id === match) return shim;
      if (shared.has(id)) return SHARED_PREFIX + relative(root, id).split(sep).join('/');
      return null;
    },
    async load(id) {
      if (!id.startsWith(SHARED_PREFIX)) return null;
      const rel = id.slice(SHARED_PREFIX.length);
      // The module's export names (types erased), as esbuild reads them: a file alone, not bundled;
      // a package through its entry (bundled, so that its `export *` are counted).
      const r = isSharedPackage(rel as SharedModule)
        ? await build({ stdin: { contents: `export * from ${JSON.stringify(rel)}; export { default } from ${JSON.stringify(rel)};`, resolveDir: root }, bundle: true, write: false, metafile: true, format: 'esm', outdir: 'out', logLevel: 'silent' })
        : await build({ entryPoints: [abs(rel)], bundle: false, write: false, metafile: true, format: 'esm', outdir: 'out', logLevel: 'silent' });
      const names = Object.values(r.metafile.outputs).flatMap((o) => o.exports);
      if (names.length === 0) throw new Error(`${rel}: a shared module without exports`);
      const named = names.filter((n) => n !== 'default');
      return [
        `const m = globalThis.__liaisonShared?.[${JSON.stringify(rel)}];`,
        `if (!m) throw new Error(${JSON.stringify(`background chunk: the start bundle did not provide ${rel}`)});`,
        named.length ? `export const { ${named.join(', ')} } = m;` : '',
        names.includes('default') ? 'export default m.default;' : '',
      ].join('\n');
    },
    generateBundle(options, bundle) {
      if (role === 'start') return;
      // WXT ends the file with the IIFE's name as a statement (an unlisted script's result for
      // executeScript): declared at the top level so that statement finds it (undefined).
      const name = options.name;
      if (!name || !/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`background chunk ${role}: unexpected IIFE name ${String(name)}`);
      for (const out of Object.values(bundle)) {
        if (out.type !== 'chunk' || !out.isEntry) continue;
        // The IIFE (`var backgroundX=(function(){…})();`) becomes the chunk's function: evaluating
        // the file defines it, the worker calls it on first use.
        out.code = `var ${name};\n((globalThis.__liaisonChunks ??= { defs: {}, exports: {} }).defs[${JSON.stringify(role)}] = function () {\n${out.code}\n});\n`;
      }
    },
  };
}
