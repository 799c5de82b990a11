// Loading a chunk of the service worker (./boundary.ts) in the worker. Synchronous, like the
// imports it replaces: importScripts() blocks until the chunk file is evaluated, and evaluating it
// only defines the chunk's function; calling that function runs the chunk's modules once.
import { CHUNKS, chunkFile, type ChunkName } from './boundary';

interface ChunkRegistry {
  /** name → the chunk's modules wrapped in a function (set by evaluating the chunk file). */
  defs: Partial<Record<ChunkName, () => unknown>>;
  /** name → what the chunk provides (set by the chunk's entrypoint when its function runs). */
  exports: Partial<Record<ChunkName, unknown>>;
}

/** One registry per worker, shared by the start bundle and every chunk (each has its own copy of this file). */
function registry(): ChunkRegistry {
  const g = globalThis as { __liaisonChunks?: ChunkRegistry };
  g.__liaisonChunks ??= { defs: {}, exports: {} };
  return g.__liaisonChunks;
}

/** Called by a chunk's entrypoint: what it provides. */
export function provideChunk(name: ChunkName, exports: unknown): void {
  registry().exports[name] = exports;
}

/** The chunk's exports, loading and running it on first use. Throws when the chunk cannot be had. */
export function loadChunk<T>(name: ChunkName): T {
  const r = registry();
  if (r.exports[name] === undefined) {
    if (!r.defs[name]) {
      const load = (globalThis as { importScripts?: (...urls: string[]) => void }).importScripts;
      if (!load) throw new Error(`background chunk "${name}" is not loaded, and this context cannot importScripts() it`);
      load(`/${chunkFile(name)}`);
    }
    const def = r.defs[name];
    if (!def) throw new Error(`background chunk "${name}": ${chunkFile(name)} did not define it`);
    def();
    if (r.exports[name] === undefined) throw new Error(`background chunk "${name}" ran but provided nothing`);
  }
  return r.exports[name] as T;
}

/**
 * Chromium lets a service worker importScripts() later only what it imported while installing:
 * import every chunk in the install event (each file only defines its function: nothing runs).
 * Call synchronously at the worker script's top level. No-op where there is no install event.
 */
export function installChunks(): void {
  const load = (globalThis as { importScripts?: (...urls: string[]) => void }).importScripts;
  if (!load || typeof (globalThis as { ServiceWorkerGlobalScope?: unknown }).ServiceWorkerGlobalScope === 'undefined') return;
  globalThis.addEventListener('install', () => load(...CHUNKS.map((n) => `/${chunkFile(n)}`)));
}
