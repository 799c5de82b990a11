// The service worker's chunk loader (lib/background-start/chunks.ts) and the boundary's lists.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { CHUNKS, SERVICES_SHARED_MODULES, SHARED_MODULES, START_SHARED_MODULES, chunkFile, sharedFor } from '../../../lib/background-start/boundary';
import { loadChunk, provideChunk } from '../../../lib/background-start/chunks';
import { sharedModules } from '../../../lib/background-start/shared';
import { servicesSharedModules } from '../../../lib/background-start/shared-services';
import { splitRole } from '../../../lib/background-start/vite-plugin';
import { loadWeightsJson } from '../../../lib/background-start/lazy/weights-source';

const g = globalThis as { __liaisonChunks?: unknown; importScripts?: unknown };

afterEach(() => {
  delete g.__liaisonChunks;
  delete g.importScripts;
});

describe('loadChunk', () => {
  it('imports the chunk file once, runs its function once, and returns what it provided', () => {
    let runs = 0;
    const importScripts = vi.fn((url: string) => {
      expect(url).toBe('/background-phone.js');
      (g.__liaisonChunks as { defs: Record<string, () => void> }).defs.phone = () => {
        runs++;
        provideChunk('phone', { parse: 'x' });
      };
    });
    g.importScripts = importScripts;
    expect(loadChunk<{ parse: string }>('phone').parse).toBe('x');
    expect(loadChunk<{ parse: string }>('phone').parse).toBe('x');
    expect(importScripts).toHaveBeenCalledTimes(1);
    expect(runs).toBe(1);
  });

  it('runs a chunk already loaded (Firefox lists them in the manifest) without importScripts', () => {
    g.__liaisonChunks = { defs: { phone: () => provideChunk('phone', { parse: 1 }) }, exports: {} };
    expect(loadChunk<{ parse: number }>('phone').parse).toBe(1);
  });

  it('says which chunk is missing where importScripts is not available, and when a chunk provides nothing', () => {
    expect(() => loadChunk('vendors')).toThrow(/"vendors" is not loaded/);
    g.importScripts = () => undefined;
    expect(() => loadChunk('pinyin')).toThrow(/background-pinyin\.js did not define it/);
    g.__liaisonChunks = { defs: { pinyin: () => undefined }, exports: {} };
    expect(() => loadChunk('pinyin')).toThrow(/ran but provided nothing/);
  });
});

describe("the worker's model weights", () => {
  afterEach(() => vi.unstubAllGlobals());

  it('are fetched from the packaged file, and a failed read says so', async () => {
    const fetch = vi.fn(async (url: string) => (url === '/model-weights.json' ? new Response('{"version":2}') : new Response('', { status: 404 })));
    vi.stubGlobal('fetch', fetch);
    await expect(loadWeightsJson()).resolves.toEqual({ version: 2 });
    vi.stubGlobal('fetch', async () => new Response('', { status: 404 }));
    await expect(loadWeightsJson()).rejects.toThrow(/model-weights\.json.*HTTP 404/);
  });
});

describe('the boundary', () => {
  it('has an entrypoint for every chunk, and each provides the chunk it is named after', () => {
    const entries = readdirSync(new URL('../../../entrypoints/', import.meta.url)).filter((f) => /^background-.+\.ts$/.test(f));
    expect(entries.sort()).toEqual(CHUNKS.map((n) => chunkFile(n).replace(/\.js$/, '.ts')).sort());
    for (const n of CHUNKS) expect(readFileSync(new URL(`../../../entrypoints/background-${n}.ts`, import.meta.url), 'utf8')).toContain(`provideChunk('${n}'`);
  });

  it('the start bundle and the services chunk each provide their shared modules, each the module itself', async () => {
    expect(Object.keys(sharedModules).sort()).toEqual([...START_SHARED_MODULES].sort());
    expect(Object.keys(servicesSharedModules).sort()).toEqual([...SERVICES_SHARED_MODULES].sort());
    const provided: Record<string, object> = { ...sharedModules, ...servicesSharedModules };
    for (const path of SHARED_MODULES) expect(provided[path]).toBe(await import(path.includes('/') ? `../../../${path}` : path));
  });

  it('gives each build the shared modules of the bundles loaded before it', () => {
    expect(sharedFor('start')).toEqual([]);
    // The services chunk is loaded by the start bundle only: it may read the start's, and provides the rest.
    expect(sharedFor('services')).toEqual(START_SHARED_MODULES);
    for (const n of CHUNKS.filter((c) => c !== 'services')) expect(sharedFor(n)).toEqual(SHARED_MODULES);
  });

  it('tells the background, each chunk and every other entrypoint apart', () => {
    expect(splitRole([{ name: 'background', type: 'background' }])).toBe('start');
    for (const n of CHUNKS) expect(splitRole([{ name: `background-${n}`, type: 'unlisted-script' }])).toBe(n);
    expect(splitRole([{ name: 'lead-extractor', type: 'unlisted-script' }])).toBeUndefined();
    expect(splitRole([{ name: 'background-other', type: 'unlisted-script' }])).toBeUndefined();
  });
});
