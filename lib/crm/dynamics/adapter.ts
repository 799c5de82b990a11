// The Dynamics 365 (Dataverse Web API v9.2) adapter (background only). Auth is OAuth 2.0 + PKCE
// through the user's own Entra app, done by the background (lib/oauth); the adapter reads the
// tokens from deps.secrets, renews the access token before it expires or once after a 401, and
// hands new tokens to `onSecrets`. The context is built at the first operation, so a factory
// call with empty settings (the registry meta-test, a half-filled form) never throws.
import { refreshToken } from '../../oauth/token';
import type { HttpClientOptions } from '../http';
import { limiterFor } from '../rate-limiter';
import type { AdapterDeps, CrmAdapter, CrmFieldList, OpOptions } from '../port';
import { listFields, verify } from './account';
import type { DynamicsContext } from './client';
import { readConfig, readTokens } from './config';
import { changesSince, findCustomers, followUpsSince, getCustomer, listDeals, listFollowUps } from './read';
import { sessionFor } from './session';
import { dynamicsSpec } from './spec';
import { addFollowUp, createCustomer, createDeal, createTask, updateCustomer } from './write';

export interface DynamicsAdapterOverrides {
  /** Entra login origin instead of https://login.microsoftonline.com (the emulator in tests). */
  loginUrl?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
}

export interface DynamicsAdapter extends CrmAdapter {
  getCustomer: NonNullable<CrmAdapter['getCustomer']>;
  listFollowUps: NonNullable<CrmAdapter['listFollowUps']>;
  listDeals: NonNullable<CrmAdapter['listDeals']>;
  changesSince: NonNullable<CrmAdapter['changesSince']>;
  followUpsSince: NonNullable<CrmAdapter['followUpsSince']>;
  listFields(opts?: OpOptions): Promise<CrmFieldList>;
}

export function createDynamicsAdapter(deps: AdapterDeps, overrides: DynamicsAdapterOverrides = {}): DynamicsAdapter {
  let ctx: DynamicsContext | undefined;
  const fetchImpl = deps.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const s = { settings: deps.connection.settings };
  const context = (): DynamicsContext => {
    if (ctx) return ctx;
    const config = readConfig(deps, overrides.loginUrl);
    const limiter = limiterFor(`dynamics:${deps.connection.id}`, { ...dynamicsSpec.rateLimit, now: deps.now });
    const session = sessionFor(deps.connection.id, {
      initial: readTokens(deps.secrets),
      now: deps.now,
      refresh: (rt, signal) =>
        refreshToken({
          tokenUrl: config.tokenUrl,
          clientId: config.clientId,
          refreshToken: rt,
          scopes: config.scopes,
          fetch: fetchImpl,
          now: deps.now,
          ...(signal ? { signal } : {}),
          ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
        }),
      ...(deps.onSecrets ? { onSecrets: deps.onSecrets } : {}),
    });
    ctx = {
      config,
      session,
      limiter,
      now: deps.now,
      fetch: fetchImpl,
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
    };
    return ctx;
  };
  const run = async <T>(fn: (c: DynamicsContext) => Promise<T>): Promise<T> => fn(context());

  return {
    verify: (opts = {}) => run((c) => verify(c, opts.signal)),
    findCustomers: (query, opts = {}) => run((c) => findCustomers(c, s, query, opts.signal)),
    createCustomer: (customer, opts) => run((c) => createCustomer(c, s, customer, opts)),
    updateCustomer: (remoteId, patch, opts) => run((c) => updateCustomer(c, s, remoteId, patch, opts)),
    addFollowUp: (remoteCustomerId, followUp, opts) => run((c) => addFollowUp(c, remoteCustomerId, followUp, opts)),
    createDeal: (remoteCustomerId, deal, opts) => run((c) => createDeal(c, remoteCustomerId, deal, opts)),
    createTask: (remoteCustomerId, task, opts) => run((c) => createTask(c, remoteCustomerId, task, opts)),
    listFields: (opts = {}) => run((c) => listFields(c, opts.signal)),
    // The read side (spec read: getCustomer, followUps, deals, changes 'modified-filter', followUpChanges, conditionalUpdate).
    getCustomer: (remoteId, opts = {}) => run((c) => getCustomer(c, s, remoteId, opts)),
    listFollowUps: (remoteCustomerId, opts = {}) => run((c) => listFollowUps(c, remoteCustomerId, opts)),
    listDeals: (remoteCustomerId, opts = {}) => run((c) => listDeals(c, remoteCustomerId, opts)),
    changesSince: (opts) => run((c) => changesSince(c, s, opts)),
    followUpsSince: (opts) => run((c) => followUpsSince(c, opts)),
  };
}
