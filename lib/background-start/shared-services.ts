// The services chunk's copies of the modules the vendors chunk must share with it (./boundary.ts,
// SERVICES_SHARED_MODULES): the vendors chunk is only ever loaded by the services' adapters, so it
// reads these rather than bundling its own; the start bundle, which needs none of them, stays lighter.
import * as crmErrors from '@/lib/crm/errors';
import * as oauthErrors from '@/lib/oauth/errors';
import * as http from '@/lib/crm/http';
import * as rateLimiter from '@/lib/crm/rate-limiter';
import * as connectionState from '@/lib/crm/connection-state';
import type { SERVICES_SHARED_MODULES } from './boundary';

export const servicesSharedModules: Record<(typeof SERVICES_SHARED_MODULES)[number], object> = {
  'lib/crm/errors.ts': crmErrors,
  'lib/oauth/errors.ts': oauthErrors,
  'lib/crm/http.ts': http,
  'lib/crm/rate-limiter.ts': rateLimiter,
  'lib/crm/connection-state.ts': connectionState,
};

/** Called by the services chunk when it runs, before it can load the vendors chunk. */
export function provideServicesShared(): void {
  const g = globalThis as { __liaisonShared?: Record<string, object> };
  g.__liaisonShared = { ...g.__liaisonShared, ...servicesSharedModules };
}
