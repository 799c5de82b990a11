// The Zoho CRM adapter (background only): customers as Leads or Contacts (records.ts), Notes
// (notes.ts), Deals (deals.ts), Tasks (tasks.ts), the Liaison Key fields (fields.ts: prepare,
// listFields) and verify. OAuth: the access token from the connection's secrets, refreshed once
// per rejection for every caller together (session.ts) with the user's client id + secret; new
// tokens go to deps.onSecrets. The context is built at the first operation, so a factory call
// with incomplete settings (the registry meta-test) never throws.
import type { HttpClientOptions } from '../http';
import type { AdapterDeps, CrmAdapter, CrmFieldList, OpOptions, PrepareResult } from '../port';
import { limiterFor } from '../rate-limiter';
import { refreshToken } from '../../oauth/token';
import type { ZohoContext } from './client';
import { readConfig } from './config';
import { createDeal, listDeals } from './deals';
import { listFields, prepare } from './fields';
import { addFollowUp, followUpsSince, listFollowUps } from './notes';
import { changesSince, createCustomer, findCustomers, getCustomer, updateCustomer } from './records';
import { zohoSessionFor } from './session';
import { zohoSpec } from './spec';
import { createTask } from './tasks';
import { verify } from './verify';

export interface ZohoAdapterOverrides {
  /** Origin instead of https://www.zohoapis.<dc> (the emulator in tests). */
  baseUrl?: string;
  /** Token endpoint instead of https://accounts.zoho.<dc>/oauth/v2/token. */
  tokenUrl?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
}

export type ZohoAdapter = CrmAdapter & Required<Pick<CrmAdapter, 'getCustomer' | 'listFollowUps' | 'listDeals' | 'changesSince' | 'followUpsSince'>> & {
  prepare(opts?: OpOptions): Promise<PrepareResult>;
  listFields(opts?: OpOptions): Promise<CrmFieldList>;
};

export function createZohoAdapter(deps: AdapterDeps, overrides: ZohoAdapterOverrides = {}): ZohoAdapter {
  let ctx: ZohoContext | undefined;
  const context = (): ZohoContext => {
    if (ctx) return ctx;
    const config = readConfig(deps, overrides);
    const { requestsPerSecond, burst, concurrentWrites } = zohoSpec.rateLimit;
    const fetchImpl = deps.fetch;
    ctx = {
      config,
      session: zohoSessionFor(deps.connection.id, {
        initial: config.tokens,
        now: deps.now,
        refresh: (rt, signal) =>
          refreshToken({ tokenUrl: config.tokenUrl, clientId: config.clientId, refreshToken: rt, now: deps.now, ...(config.clientSecret ? { clientSecret: config.clientSecret } : {}), ...(fetchImpl ? { fetch: fetchImpl } : {}), ...(signal ? { signal } : {}), ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}) }),
        ...(deps.onSecrets ? { onSecrets: deps.onSecrets } : {}),
      }),
      limiter: limiterFor(`zoho:${deps.connection.id}`, { requestsPerSecond, burst, concurrentWrites, now: deps.now }),
      now: deps.now,
      fieldCache: new Map(),
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
    };
    return ctx;
  };
  const run = async <T>(fn: (c: ZohoContext) => Promise<T>): Promise<T> => fn(context());
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
    followUpsSince: (opts) => run((c) => followUpsSince(c, opts)),
  };
}
