// The service worker's services chunk (lib/background-start/boundary.ts): everything but the
// start's first reads (entrypoints/background/services.ts). The modules it shares with the start
// bundle (Dexie, the database, the router, broadcast) are the start bundle's, not copies; it
// provides the CRM errors, http and rate limiter to the vendors chunk (lib/background-start/shared-services.ts).
import { createServices } from '@/entrypoints/background/services';
import { provideChunk } from '@/lib/background-start/chunks';
import { provideServicesShared } from '@/lib/background-start/shared-services';

export interface ServicesChunk {
  createServices: typeof createServices;
}

export default defineUnlistedScript(() => {
  provideServicesShared();
  provideChunk('services', { createServices } satisfies ServicesChunk);
});
