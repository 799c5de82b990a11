// The HubSpot adapter (background only): the port's operations over contacts, notes, tasks and
// deals, the read side (read.ts: getCustomer, changesSince; history.ts: notes and deals), plus prepare() (the liaison_id / liaison_code custom properties) and quota() (the
// daily numbers read from HubSpot's headers), and listFields() (the portal's writable properties,
// for the template mapping editor). The context — config, per-connection limiters,
// the quota state — is built at the first operation, so a factory call with incomplete
// settings (the registry meta-test, a half-filled form) never throws.
import type { HttpClientOptions } from '../http';
import type { AdapterDeps, BatchItemResult, ChangesOptions, ChangesPage, CrmAdapter, CrmFieldList, ListOptions, OpOptions, PrepareResult, RemoteCustomerRecord, RemoteDeal, RemoteFollowUp } from '../port';
import { limiterFor } from '../rate-limiter';
import { createTtlMemo } from '../ttl-memo';
import { batchCreateCustomers, type BatchItem } from './batch';
import { searchGateFor, type HubspotContext } from './client';
import { readConfig } from './config';
import { createCustomer } from './create';
import { createDeal } from './deal';
import { findCustomers } from './find';
import { addFollowUp } from './follow-up';
import { listDeals, listFollowUps } from './history';
import { prepareProperties } from './properties';
import { listFields } from './property-list';
import { quotaFor, type QuotaSnapshot } from './quota';
import { changesSince, getCustomer } from './read';
import { HUBSPOT_API, hubspotSpec } from './spec';
import { createTask } from './task';
import { addTicketNote, createTicket, getTicket } from './ticket';
import { updateCustomer } from './update';
import { verify } from './verify';

/**
 * CRM search is limited separately from the burst limit: 4 requests/s per token in HubSpot's
 * changelog (crm-search-api-rate-limit-increase), 5/s per account in later third-party pages.
 * Under the lower figure with a margin that holds whatever the network does: 3 starts a second
 * and one search in flight (client.ts searchLane), so no second at HubSpot ever sees 5 — nor,
 * with replies back in time, 4. findCustomers, the engagement dedup and changesSince share it.
 */
export const SEARCH_REQUESTS_PER_SECOND = 3;

export interface HubspotAdapterOverrides {
  /** Origin instead of https://api.hubapi.com (the emulator in tests). */
  baseUrl?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
}

export interface HubspotAdapter extends CrmAdapter {
  batchCreateCustomers(items: BatchItem[], opts?: OpOptions): Promise<BatchItemResult[]>;
  prepare(opts?: OpOptions): Promise<PrepareResult>;
  listFields(opts?: OpOptions): Promise<CrmFieldList>;
  /** Daily and burst numbers from the last reply, and until when calls are paused (≥ 75 % used). */
  quota(): QuotaSnapshot;
  getCustomer(remoteId: string, opts?: OpOptions): Promise<RemoteCustomerRecord | null>;
  listFollowUps(remoteCustomerId: string, opts?: ListOptions): Promise<RemoteFollowUp[]>;
  listDeals(remoteCustomerId: string, opts?: ListOptions): Promise<RemoteDeal[]>;
  changesSince(opts: ChangesOptions): Promise<ChangesPage>;
}

export function createHubspotAdapter(deps: AdapterDeps, overrides: HubspotAdapterOverrides = {}): HubspotAdapter {
  let ctx: HubspotContext | undefined;
  const connectionKey = `hubspot:${deps.connection.id}`;
  const context = (): HubspotContext => {
    if (ctx) return ctx;
    const config = readConfig(deps, overrides.baseUrl ?? HUBSPOT_API);
    // Shared by every adapter instance of this connection in the worker: a 429's cooldown and
    // the burst budget hold across all operations.
    const { requestsPerSecond, burst } = hubspotSpec.rateLimit;
    ctx = {
      config,
      general: limiterFor(connectionKey, { requestsPerSecond, burst, now: deps.now }),
      search: limiterFor(`hubspot-search:${deps.connection.id}`, { requestsPerSecond: SEARCH_REQUESTS_PER_SECOND, burst: 1, now: deps.now }),
      searchGate: searchGateFor(`hubspot-search:${deps.connection.id}`),
      quota: quotaFor(connectionKey),
      now: deps.now,
      properties: createTtlMemo(deps.now),
      owners: createTtlMemo(deps.now),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
    };
    return ctx;
  };
  const run = async <T>(fn: (c: HubspotContext) => Promise<T>): Promise<T> => fn(context());

  return {
    verify: (opts = {}) => run((c) => verify(c, opts.signal)),
    findCustomers: (query, opts = {}) => run((c) => findCustomers(c, query, opts.signal)),
    createCustomer: (customer, opts) => run((c) => createCustomer(c, customer, opts)),
    updateCustomer: (remoteId, patch, opts) => run((c) => updateCustomer(c, remoteId, patch, opts)),
    addFollowUp: (remoteCustomerId, followUp, opts) => run((c) => addFollowUp(c, remoteCustomerId, followUp, opts)),
    createDeal: (remoteCustomerId, deal, opts) => run((c) => createDeal(c, remoteCustomerId, deal, opts)),
    createTask: (remoteCustomerId, task, opts) => run((c) => createTask(c, remoteCustomerId, task, opts)),
    batchCreateCustomers: (items, opts = {}) => run((c) => batchCreateCustomers(c, items, opts)),
    prepare: (opts = {}) => run((c) => prepareProperties(c, opts.signal)),
    listFields: (opts = {}) => run((c) => listFields(c, opts.signal)),
    quota: () => ({ ...quotaFor(connectionKey).snapshot }),
    // The read side. No conditional update: HubSpot's PATCH takes no If-Match / version guard
    // (spec.ts read.conditionalUpdate false), so WriteOptions.ifMarker is ignored.
    getCustomer: (remoteId, opts = {}) => run((c) => getCustomer(c, remoteId, opts.signal)),
    listFollowUps: (remoteCustomerId, opts = {}) => run((c) => listFollowUps(c, remoteCustomerId, opts)),
    listDeals: (remoteCustomerId, opts = {}) => run((c) => listDeals(c, remoteCustomerId, opts)),
    changesSince: (opts) => run((c) => changesSince(c, opts)),
    // Tickets (ticket.ts): a ticket in a pipeline, associated with the contact; notes as comments.
    createTicket: (ticket, opts) => run((c) => createTicket(c, ticket, opts)),
    getTicket: (remoteId, opts = {}) => run((c) => getTicket(c, remoteId, opts)),
    addTicketComment: (remoteTicketId, followUp, opts) => run((c) => addTicketNote(c, remoteTicketId, followUp, opts)),
  };
}
