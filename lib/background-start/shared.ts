// The start bundle's copies of the modules the vendors chunk must share with it (./boundary.ts,
// SHARED_MODULES): the chunk's build reads these instead of bundling its own (./vite-plugin.ts).
import * as crmErrors from '@/lib/crm/errors';
import * as oauthErrors from '@/lib/oauth/errors';
import * as http from '@/lib/crm/http';
import * as rateLimiter from '@/lib/crm/rate-limiter';
import * as connectionState from '@/lib/crm/connection-state';
import type { SharedModule } from './boundary';

export const sharedModules: Record<SharedModule, object> = {
  'lib/crm/errors.ts': crmErrors,
  'lib/oauth/errors.ts': oauthErrors,
  'lib/crm/http.ts': http,
  'lib/crm/rate-limiter.ts': rateLimiter,
  'lib/crm/connection-state.ts': connectionState,
};

/** Call before any chunk is loaded (the top of the worker's main). */
export function provideShared(): void {
  (globalThis as { __liaisonShared?: Record<string, object> }).__liaisonShared = sharedModules;
}
