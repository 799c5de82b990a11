// The start bundle's copies of the modules the chunks must share with it (./boundary.ts,
// START_SHARED_MODULES): a chunk's build reads these instead of bundling its own (./vite-plugin.ts).
// The services chunk adds its own (./shared-services.ts) for the vendors chunk.
import * as dexie from 'dexie';
import * as database from '@/lib/db/db';
import * as router from '@/lib/messaging/router';
import * as broadcast from '@/entrypoints/background/broadcast';
import type { START_SHARED_MODULES } from './boundary';

export const sharedModules: Record<(typeof START_SHARED_MODULES)[number], object> = {
  dexie,
  'lib/db/db.ts': database,
  'lib/messaging/router.ts': router,
  'entrypoints/background/broadcast.ts': broadcast,
};

/** Call before any chunk is loaded (the top of the worker's main). */
export function provideShared(): void {
  const g = globalThis as { __liaisonShared?: Record<string, object> };
  g.__liaisonShared = { ...g.__liaisonShared, ...sharedModules };
}
