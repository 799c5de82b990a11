// The Salesforce adapter (background only). Auth is OAuth 2.0 + PKCE done by the background
// (lib/oauth); the adapter reads the resulting tokens from deps.secrets, renews the access token
// with the refresh token when Salesforce rejects it, and hands new tokens to `onSecrets` for the
// background to persist. The context is built at the first operation, so a factory call with
// empty settings (the registry meta-test, a half-filled form) never throws.
import { refreshToken } from '../../oauth/token';
import type { HttpClientOptions } from '../http';
import { limiterFor } from '../rate-limiter';
import { createTtlMemo } from '../ttl-memo';
import type { AdapterDeps, BatchItemResult, CrmAdapter, CrmFieldList, OpOptions, PrepareResult } from '../port';
import { batchCreateCustomers, type BatchItem } from './batch';
import type { ApiUsage, SalesforceContext } from './client';
import { readConfig, readTokens, SALESFORCE_API_VERSION } from './config';
import { createCustomer } from './create';
import { changesSince } from './changes';
import { createDeal } from './deal';
import { listFields } from './describe';
import { findCustomers } from './find';
import { addFollowUp } from './follow-up';
import { getCustomer } from './get-customer';
import { listFollowUps } from './list-follow-ups';
import { prepare } from './prepare';
import { sessionFor, type SecretsPatch } from './session';
import { salesforceSpec } from './spec';
import { createTask } from './task';
import { addCaseComment, createCase, getCase } from './ticket';
import { updateCustomer } from './update';
import { verify } from './verify';

/**
 * AdapterDeps plus the one thing OAuth adds: where renewed tokens go. Kept here rather than in
 * port.ts until a second OAuth adapter (Dynamics) needs it too.
 */
export interface SalesforceAdapterDeps extends AdapterDeps {
  /** Merge into the connection's secrets (access_token, instance_url, issued_at; refresh_token when rotated). */
  onSecrets?: (patch: SecretsPatch) => void | Promise<void>;
}

export interface SalesforceAdapterOverrides {
  /** Login origin instead of the one from the settings (the emulator in tests). */
  loginUrl?: string;
  apiVersion?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  onApiUsage?: (u: ApiUsage) => void;
}

export interface SalesforceAdapter extends CrmAdapter {
  getCustomer: NonNullable<CrmAdapter['getCustomer']>;
  listFollowUps: NonNullable<CrmAdapter['listFollowUps']>;
  changesSince: NonNullable<CrmAdapter['changesSince']>;
  batchCreateCustomers(items: BatchItem[], opts?: OpOptions): Promise<BatchItemResult[]>;
  prepare(opts?: OpOptions): Promise<PrepareResult>;
  /** The createable fields of the customer object, Task and Opportunity (describe), minus Liaison's own. */
  listFields(opts?: OpOptions): Promise<CrmFieldList>;
  /** The latest Sforce-Limit-Info (api-usage=used/max) seen, for the options page's health line. */
  apiUsage(): ApiUsage | undefined;
}

export function createSalesforceAdapter(deps: SalesforceAdapterDeps, overrides: SalesforceAdapterOverrides = {}): SalesforceAdapter {
  let ctx: SalesforceContext | undefined;
  const fetchImpl = deps.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const context = (): SalesforceContext => {
    if (ctx) return ctx;
    const config = readConfig(deps, overrides.loginUrl);
    const initial = readTokens(deps.secrets);
    // One limiter per connection, shared by every adapter instance in the worker.
    const limiter = limiterFor(`salesforce:${deps.connection.id}`, { ...salesforceSpec.rateLimit, now: deps.now });
    const session = sessionFor(deps.connection.id, {
      initial,
      refresh: (rt, signal) =>
        refreshToken({ tokenUrl: config.tokenUrl, clientId: config.consumerKey, refreshToken: rt, fetch: fetchImpl, now: deps.now, ...(signal ? { signal } : {}), ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}) }),
      ...(deps.onSecrets ? { onSecrets: deps.onSecrets } : {}),
    });
    ctx = {
      config,
      session,
      limiter,
      apiVersion: overrides.apiVersion ?? SALESFORCE_API_VERSION,
      now: deps.now,
      fetch: fetchImpl,
      noExternalId: new Set(),
      describes: createTtlMemo(deps.now),
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
      ...(overrides.onApiUsage ? { onApiUsage: overrides.onApiUsage } : {}),
    };
    return ctx;
  };
  const run = async <T>(fn: (c: SalesforceContext) => Promise<T>): Promise<T> => fn(context());

  return {
    verify: (opts = {}) => run((c) => verify(c, opts.signal)),
    findCustomers: (query, opts = {}) => run((c) => findCustomers(c, query, opts.signal)),
    createCustomer: (customer, opts) => run((c) => createCustomer(c, customer, opts)),
    updateCustomer: (remoteId, patch, opts) => run((c) => updateCustomer(c, remoteId, patch, opts)),
    addFollowUp: (remoteCustomerId, followUp, opts) => run((c) => addFollowUp(c, remoteCustomerId, followUp, opts)),
    createDeal: (remoteCustomerId, deal, opts) => run((c) => createDeal(c, remoteCustomerId, deal, opts)),
    createTask: (remoteCustomerId, task, opts) => run((c) => createTask(c, remoteCustomerId, task, opts)),
    batchCreateCustomers: (items, opts = {}) => run((c) => batchCreateCustomers(c, items, opts)),
    prepare: (opts = {}) => run((c) => prepare(c, opts.signal)),
    listFields: (opts = {}) => run((c) => listFields(c, opts.signal)),
    // The read side (spec read: getCustomer, followUps, changes 'modified-filter', conditionalUpdate).
    getCustomer: (remoteId, opts = {}) => run((c) => getCustomer(c, remoteId, opts)),
    listFollowUps: (remoteCustomerId, opts = {}) => run((c) => listFollowUps(c, remoteCustomerId, opts)),
    changesSince: (opts) => run((c) => changesSince(c, opts)),
    // Tickets → Case and CaseComment (ticket.ts).
    createTicket: (ticket, opts) => run((c) => createCase(c, ticket, opts)),
    getTicket: (remoteId, opts = {}) => run((c) => getCase(c, remoteId, opts)),
    addTicketComment: (remoteTicketId, followUp, opts) => run((c) => addCaseComment(c, remoteTicketId, followUp, opts)),
    apiUsage: () => ctx?.usage,
  };
}
