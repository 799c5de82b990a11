// The split's build plugin (lib/background-start/vite-plugin.ts): which module each build gets.
import { describe, expect, it } from 'vitest';
import { backgroundSplit, type SplitRole } from '../../../lib/background-start/vite-plugin';

const ROOT = '/repo';

/** Calls the plugin's resolveId as Rollup would, resolving every other specifier to `resolved`. */
async function resolve(role: SplitRole, source: string, resolved: string, importer = `${ROOT}/lib/x.ts`): Promise<unknown> {
  const plugin = backgroundSplit(ROOT, role);
  const ctx = {
    resolve: async () => ({ id: resolved }),
    error: (m: string) => {
      throw new Error(m);
    },
  };
  return (plugin.resolveId as unknown as (this: typeof ctx, s: string, i: string, o: object) => Promise<unknown>).call(ctx, source, importer, {});
}

describe('the background split plugin', () => {
  it('swaps the moved libraries and modules for their shims, except in the chunk that provides them', async () => {
    expect(await resolve('start', 'pinyin-pro', '')).toBe(`${ROOT}/lib/background-start/lazy/pinyin-pro.ts`);
    expect(await resolve('vendors', 'libphonenumber-js/max', '')).toBe(`${ROOT}/lib/background-start/lazy/libphonenumber.ts`);
    expect(await resolve('phone', 'libphonenumber-js/max', `${ROOT}/node_modules/libphonenumber-js/max/index.js`)).toBeNull();
    expect(await resolve('start', '@/lib/crm/adapters', `${ROOT}/lib/crm/adapters.ts`)).toBe(`${ROOT}/lib/background-start/lazy/adapters.ts`);
    expect(await resolve('start', './weights-source', `${ROOT}/lib/understand/model/weights-source.ts`)).toBe(`${ROOT}/lib/background-start/lazy/weights-source.ts`);
    expect(await resolve('start', './services', `${ROOT}/entrypoints/background/services.ts`)).toBe(`${ROOT}/lib/background-start/lazy/services.ts`);
    expect(await resolve('services', './services', `${ROOT}/entrypoints/background/services.ts`)).toBeNull();
  });

  it("gives a chunk the start bundle's shared modules, and the start bundle its own", async () => {
    expect(await resolve('vendors', '../errors', `${ROOT}/lib/crm/errors.ts`)).toBe('\0liaison-shared:lib/crm/errors.ts');
    expect(await resolve('vendors', './rate-limiter', `${ROOT}/lib/crm/rate-limiter.ts`)).toBe('\0liaison-shared:lib/crm/rate-limiter.ts');
    expect(await resolve('start', '../errors', `${ROOT}/lib/crm/errors.ts`)).toBeNull();
    expect(await resolve('vendors', '../../model', `${ROOT}/lib/model/index.ts`)).toBeNull();
    // The services chunk reads the start's database and router, and bundles the CRM modules it provides to the vendors chunk.
    expect(await resolve('services', '../db/db', `${ROOT}/lib/db/db.ts`)).toBe('\0liaison-shared:lib/db/db.ts');
    expect(await resolve('services', '@/lib/messaging/router', `${ROOT}/lib/messaging/router.ts`)).toBe('\0liaison-shared:lib/messaging/router.ts');
    expect(await resolve('services', '../errors', `${ROOT}/lib/crm/errors.ts`)).toBeNull();
    expect(await resolve('vendors', '../../db/db', `${ROOT}/lib/db/db.ts`)).toBe('\0liaison-shared:lib/db/db.ts');
  });

  it("gives a chunk the start bundle's Dexie, refuses any other copy of it in a chunk, and a vendor adapter in the start bundle", async () => {
    expect(await resolve('vendors', 'dexie', `${ROOT}/node_modules/dexie/import-wrapper.mjs`)).toBe('\0liaison-shared:dexie');
    expect(await resolve('services', 'dexie', `${ROOT}/node_modules/dexie/import-wrapper.mjs`)).toBe('\0liaison-shared:dexie');
    await expect(resolve('services', 'dexie/dist/dexie.mjs', `${ROOT}/node_modules/dexie/dist/dexie.mjs`)).rejects.toThrow(/Dexie into a chunk/);
    await expect(resolve('start', './hubspot/adapter', `${ROOT}/lib/crm/hubspot/adapter.ts`)).rejects.toThrow(/belongs to the vendors chunk/);
    await expect(resolve('start', '../crm/vendor-adapters', `${ROOT}/lib/crm/vendor-adapters.ts`)).rejects.toThrow(/belongs to the vendors chunk/);
    expect(await resolve('start', './local/adapter', `${ROOT}/lib/crm/local/adapter.ts`)).toBeNull();
    expect(await resolve('start', 'dexie', `${ROOT}/node_modules/dexie/import-wrapper.mjs`)).toBeNull();
  });
});
