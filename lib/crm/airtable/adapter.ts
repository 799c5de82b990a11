// The Airtable adapter (background only): customers, follow-ups, deals and tasks as records in
// four tables of the base the user chose by name (write.ts), the read side (read.ts), the
// one-click setup, listFields and the connect form's choices (schema.ts). The context is built
// at the first operation, so a factory call with empty settings never throws.
import type { HttpClientOptions } from '../http';
import type { AdapterDeps, BatchItemResult, ChangesOptions, ChangesPage, CrmAdapter, CrmFieldList, FieldChoice, ListOptions, OpOptions, PrepareResult, RemoteCustomerRecord, RemoteDeal, RemoteFollowUp } from '../port';
import { limiterFor } from '../rate-limiter';
import { createTtlMemo } from '../ttl-memo';
import type { AirtableContext } from './client';
import { readConfig } from './config';
import { changesSince, findCustomers, getCustomer, listDeals, listFollowUps } from './read';
import { fieldChoices, listFields, prepare } from './schema';
import { AIRTABLE_API, airtableSpec } from './spec';
import { verify } from './verify';
import { addFollowUp, batchCreateCustomers, createCustomer, createDeal, createTask, updateCustomer, type BatchItem } from './write';

export interface AirtableAdapterOverrides {
  /** Origin instead of https://api.airtable.com (the emulator in tests). */
  baseUrl?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /**
   * Tests only: pace at this rate instead of Airtable's documented 5 requests/s per base, against
   * an emulator told the same rate (one test keeps the real rate and the emulator's real limit).
   */
  rateLimit?: { requestsPerSecond: number; burst: number };
}

export interface AirtableAdapter extends CrmAdapter {
  batchCreateCustomers(items: BatchItem[], opts?: OpOptions): Promise<BatchItemResult[]>;
  prepare(opts?: OpOptions): Promise<PrepareResult>;
  listFields(opts?: OpOptions): Promise<CrmFieldList>;
  fieldChoices(fieldKey: string, opts?: OpOptions): Promise<FieldChoice[] | undefined>;
  getCustomer(remoteId: string, opts?: OpOptions): Promise<RemoteCustomerRecord | null>;
  listFollowUps(remoteCustomerId: string, opts?: ListOptions): Promise<RemoteFollowUp[]>;
  listDeals(remoteCustomerId: string, opts?: ListOptions): Promise<RemoteDeal[]>;
  changesSince(opts: ChangesOptions): Promise<ChangesPage>;
}

export function createAirtableAdapter(deps: AdapterDeps, overrides: AirtableAdapterOverrides = {}): AirtableAdapter {
  let ctx: AirtableContext | undefined;
  const context = (): AirtableContext => {
    if (ctx) return ctx;
    const config = readConfig(deps);
    // 5 requests/s per base; one connection is one base. Shared by every instance in the worker.
    const limiter = limiterFor(`airtable:${deps.connection.id}`, { ...airtableSpec.rateLimit, ...overrides.rateLimit, now: deps.now });
    ctx = {
      config,
      baseUrl: (overrides.baseUrl ?? AIRTABLE_API).replace(/\/+$/, ''),
      limiter,
      now: deps.now,
      fetch: deps.fetch ?? ((input, init) => fetch(input, init)),
      tables: createTtlMemo(deps.now),
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
    };
    return ctx;
  };
  const run = async <T>(fn: (c: AirtableContext) => Promise<T>): Promise<T> => fn(context());

  return {
    verify: (opts = {}) => run((c) => verify(c, opts.signal)),
    findCustomers: (query, opts = {}) => run((c) => findCustomers(c, query, opts.signal)),
    createCustomer: (customer, opts) => run((c) => createCustomer(c, customer, opts)),
    updateCustomer: (remoteId, patch, opts) => run((c) => updateCustomer(c, remoteId, patch, opts)),
    addFollowUp: (id, f, opts) => run((c) => addFollowUp(c, id, f, opts)),
    createDeal: (id, d, opts) => run((c) => createDeal(c, id, d, opts)),
    createTask: (id, t, opts) => run((c) => createTask(c, id, t, opts)),
    batchCreateCustomers: (items, opts = {}) => run((c) => batchCreateCustomers(c, items, opts)),
    prepare: (opts = {}) => run((c) => prepare(c, opts.signal)),
    listFields: (opts = {}) => run((c) => listFields(c, opts.signal)),
    fieldChoices: (key, opts = {}) => run((c) => fieldChoices(c, key, opts.signal)),
    getCustomer: (remoteId, opts = {}) => run((c) => getCustomer(c, remoteId, opts.signal)),
    listFollowUps: (id, opts = {}) => run((c) => listFollowUps(c, id, opts)),
    listDeals: (id, opts = {}) => run((c) => listDeals(c, id, opts)),
    changesSince: (opts) => run((c) => changesSince(c, opts)),
  };
}
