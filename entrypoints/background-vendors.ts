// The service worker's vendors chunk (lib/background-start/boundary.ts): every CRM vendor's
// adapter, loaded on the first adapter of a vendor. The modules it shares with the start bundle
// (errors, http, rate limiter, connection state) are the start bundle's, not copies; the local
// CRM (and the database) are not in it.
import { vendorAdapterFor } from '@/lib/crm/vendor-adapters';
import { provideChunk } from '@/lib/background-start/chunks';

export interface VendorsChunk {
  adapterFor: typeof vendorAdapterFor;
}

export default defineUnlistedScript(() => provideChunk('vendors', { adapterFor: vendorAdapterFor } satisfies VendorsChunk));
