// The start bundle's entrypoints/background/services.ts (./vite-plugin.ts swaps it in): the
// services are the services chunk, loaded (synchronously) when the start first builds them.
import type { ServicesDeps, Services } from '@/entrypoints/background/services';
import { loadChunk } from '../chunks';
import type { ServicesChunk } from '@/entrypoints/background-services';

export type { ServicesDeps, Services };

export function createServices(deps: ServicesDeps): Services {
  return loadChunk<ServicesChunk>('services').createServices(deps);
}
