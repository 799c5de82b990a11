// CRM id → adapter factory. Background only: this file pulls in every vendor's operations
// (./vendor-adapters.ts; the service worker swaps this file for lib/background-start/lazy/adapters.ts,
// which loads them on first use). Typed over CrmId so a spec without a factory fails to compile
// (and the meta-test).
import type { LiaisonDb } from '../db/db';
import type { CrmId } from './registry';
import type { AdapterDeps, CrmAdapter } from './port';
import { createLocalAdapter } from './local/adapter';
import { vendorAdapterFactories, type AdapterFactory } from './vendor-adapters';

export type { AdapterFactory };

export const adapterFactories: Record<CrmId, AdapterFactory> = {
  local: (deps) => createLocalAdapter(deps.db, deps.now),
  ...vendorAdapterFactories,
};

export function adapterFor(kind: string, deps: AdapterDeps<LiaisonDb>): CrmAdapter | undefined {
  const factory = (adapterFactories as Record<string, AdapterFactory | undefined>)[kind];
  return factory?.(deps);
}
