// The service worker's lib/crm/adapters.ts (./vite-plugin.ts swaps it in): the local CRM here,
// every vendor's factory in the vendors chunk, loaded on the first adapter of a vendor.
import type { LiaisonDb } from '@/lib/db/db';
import type { AdapterDeps, CrmAdapter } from '@/lib/crm/port';
import type { AdapterFactory } from '@/lib/crm/adapters';
import { createLocalAdapter } from '@/lib/crm/local/adapter';
import { loadChunk } from '../chunks';
import type { VendorsChunk } from '@/entrypoints/background-vendors';

export type { AdapterFactory };

export function adapterFor(kind: string, deps: AdapterDeps<LiaisonDb>): CrmAdapter | undefined {
  if (kind === 'local') return createLocalAdapter(deps.db, deps.now);
  return loadChunk<VendorsChunk>('vendors').adapterFor(kind, deps);
}
