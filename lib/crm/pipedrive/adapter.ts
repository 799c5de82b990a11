// The Pipedrive adapter (background only): persons (persons.ts), notes (notes.ts), deals
// (deals.ts), task activities (activities.ts), the custom fields (fields.ts: prepare, listFields)
// and verify. The context — config, per-connection limiters — is built at the first operation,
// so a factory call with incomplete settings (the registry meta-test) never throws.
import type { HttpClientOptions } from '../http';
import type { AdapterDeps, CrmAdapter, CrmFieldList, OpOptions, PrepareResult } from '../port';
import { limiterFor } from '../rate-limiter';
import { createTask } from './activities';
import type { PipedriveContext } from './client';
import { readConfig } from './config';
import { createDeal, listDeals } from './deals';
import { listFields, prepare } from './fields';
import { addFollowUp, listFollowUps } from './notes';
import { changesSince, createCustomer, findCustomers, getCustomer, updateCustomer } from './persons';
import { PIPEDRIVE_API, pipedriveSpec } from './spec';
import { verify } from './verify';

/** Pipedrive's search limit is 10 per 2 s per token; 3 a second with a bucket of 1 sends ≤ 7 in any 2 s (the margin is for arrival, spec.ts). */
export const SEARCH_REQUESTS_PER_SECOND = 3;

export interface PipedriveAdapterOverrides {
  /** Origin instead of https://api.pipedrive.com (the emulator in tests). */
  baseUrl?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
}

export type PipedriveAdapter = CrmAdapter & Required<Pick<CrmAdapter, 'getCustomer' | 'listFollowUps' | 'listDeals' | 'changesSince'>> & {
  prepare(opts?: OpOptions): Promise<PrepareResult>;
  listFields(opts?: OpOptions): Promise<CrmFieldList>;
};

export function createPipedriveAdapter(deps: AdapterDeps, overrides: PipedriveAdapterOverrides = {}): PipedriveAdapter {
  let ctx: PipedriveContext | undefined;
  const context = (): PipedriveContext => {
    if (ctx) return ctx;
    const config = readConfig(deps, overrides.baseUrl ?? PIPEDRIVE_API);
    const { requestsPerSecond, burst } = pipedriveSpec.rateLimit;
    ctx = {
      config,
      general: limiterFor(`pipedrive:${deps.connection.id}`, { requestsPerSecond, burst, now: deps.now }),
      search: limiterFor(`pipedrive-search:${deps.connection.id}`, { requestsPerSecond: SEARCH_REQUESTS_PER_SECOND, burst: 1, now: deps.now }),
      now: deps.now,
      fieldCache: new Map(),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
    };
    return ctx;
  };
  const run = async <T>(fn: (c: PipedriveContext) => Promise<T>): Promise<T> => fn(context());
  return {
    verify: (opts = {}) => run((c) => verify(c, opts.signal)),
    findCustomers: (q, opts = {}) => run((c) => findCustomers(c, q, opts.signal)),
    createCustomer: (customer, opts) => run((c) => createCustomer(c, customer, opts)),
    updateCustomer: (id, patch, opts) => run((c) => updateCustomer(c, id, patch, opts)),
    addFollowUp: (id, f, opts) => run((c) => addFollowUp(c, id, f, opts)),
    createDeal: (id, d, opts) => run((c) => createDeal(c, id, d, opts)),
    createTask: (id, t, opts) => run((c) => createTask(c, id, t, opts)),
    prepare: (opts = {}) => run((c) => prepare(c, opts.signal)),
    listFields: (opts = {}) => run((c) => listFields(c, opts.signal)),
    // The read side. No conditional update (spec.ts read.conditionalUpdate false): ifMarker is ignored.
    getCustomer: (id, opts = {}) => run((c) => getCustomer(c, id, opts.signal)),
    listFollowUps: (id, opts = {}) => run((c) => listFollowUps(c, id, opts)),
    listDeals: (id, opts = {}) => run((c) => listDeals(c, id, opts)),
    changesSince: (opts) => run((c) => changesSince(c, opts)),
  };
}
