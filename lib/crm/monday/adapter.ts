// The monday.com adapter (background only): customers are items on the customers board,
// follow-ups updates on them, deals and tasks items on their boards pointing at the customer
// item; the read side (customers.ts, follow-ups.ts, deals.ts), prepare() (setup.ts),
// listFields() and the board chooser (fieldChoices). The context is built at the first
// operation, so a factory call with incomplete settings never throws.
import type { HttpClientOptions } from '../http';
import type { AdapterDeps, ChangesOptions, ChangesPage, CrmAdapter, CrmFieldList, FieldChoice, ListOptions, OpOptions, PrepareResult, RemoteCustomerRecord, RemoteDeal, RemoteFollowUp } from '../port';
import { limiterFor } from '../rate-limiter';
import { createTtlMemo } from '../ttl-memo';
import { boardChoices } from './boards';
import type { MondayContext } from './client';
import { readConfig } from './config';
import { changesSince, createCustomer, findCustomers, getCustomer, updateCustomer } from './customers';
import { createDeal, createTask, listDeals } from './deals';
import { listFields } from './fields';
import { addFollowUp, listFollowUps } from './follow-ups';
import { prepare } from './setup';
import { MONDAY_API, mondaySpec } from './spec';
import { verify } from './verify';

export interface MondayAdapterOverrides {
  /** Origin instead of https://api.monday.com (the emulator in tests). */
  baseUrl?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** See client.ts. */
  complexityFloor?: number;
}

export interface MondayAdapter extends CrmAdapter {
  prepare(opts?: OpOptions): Promise<PrepareResult>;
  listFields(opts?: OpOptions): Promise<CrmFieldList>;
  fieldChoices(fieldKey: string, opts?: OpOptions): Promise<FieldChoice[] | undefined>;
  getCustomer(remoteId: string, opts?: OpOptions): Promise<RemoteCustomerRecord | null>;
  listFollowUps(remoteCustomerId: string, opts?: ListOptions): Promise<RemoteFollowUp[]>;
  listDeals(remoteCustomerId: string, opts?: ListOptions): Promise<RemoteDeal[]>;
  changesSince(opts: ChangesOptions): Promise<ChangesPage>;
}

export function createMondayAdapter(deps: AdapterDeps, overrides: MondayAdapterOverrides = {}): MondayAdapter {
  let ctx: MondayContext | undefined;
  const context = (): MondayContext => {
    if (ctx) return ctx;
    const { requestsPerSecond, burst } = mondaySpec.rateLimit;
    ctx = {
      config: readConfig(deps, overrides.baseUrl ?? MONDAY_API),
      // monday's limits are per token (and account); the connection holds one token.
      limiter: limiterFor(`monday:${deps.connection.id}`, { requestsPerSecond, burst, now: deps.now }),
      now: deps.now,
      boards: createTtlMemo(deps.now),
      complexityFloor: overrides.complexityFloor ?? 100_000,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
    };
    return ctx;
  };
  const run = async <T>(fn: (c: MondayContext) => Promise<T>): Promise<T> => fn(context());
  return {
    verify: (opts = {}) => run((c) => verify(c, opts.signal)),
    findCustomers: (query, opts = {}) => run((c) => findCustomers(c, query, opts.signal)),
    createCustomer: (customer, opts) => run((c) => createCustomer(c, customer, opts)),
    updateCustomer: (remoteId, patch, opts) => run((c) => updateCustomer(c, remoteId, patch, opts)),
    addFollowUp: (remoteCustomerId, followUp, opts) => run((c) => addFollowUp(c, remoteCustomerId, followUp, opts)),
    createDeal: (remoteCustomerId, deal, opts) => run((c) => createDeal(c, remoteCustomerId, deal, opts)),
    createTask: (remoteCustomerId, task, opts) => run((c) => createTask(c, remoteCustomerId, task, opts)),
    prepare: (opts = {}) => run((c) => prepare(c, opts.signal)),
    listFields: (opts = {}) => run((c) => listFields(c, opts.signal)),
    fieldChoices: (fieldKey, opts = {}) => run((c) => boardChoices(c, fieldKey, opts.signal)),
    getCustomer: (remoteId, opts = {}) => run((c) => getCustomer(c, remoteId, opts.signal)),
    listFollowUps: (remoteCustomerId, opts = {}) => run((c) => listFollowUps(c, remoteCustomerId, opts)),
    listDeals: (remoteCustomerId, opts = {}) => run((c) => listDeals(c, remoteCustomerId, opts)),
    changesSince: (opts) => run((c) => changesSince(c, opts)),
  };
}
