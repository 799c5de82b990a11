// The Notion adapter (background only): customers are pages of a data source, follow-ups
// comments on them, deals and tasks pages linked by a relation; the read side (read.ts,
// follow-up.ts, deal.ts), prepare() (setup.ts) and listFields(). The context is built at the
// first operation, so a factory call with incomplete settings never throws.
import type { HttpClientOptions } from '../http';
import type { AdapterDeps, ChangesOptions, ChangesPage, CrmAdapter, CrmFieldList, ListOptions, OpOptions, PrepareResult, RemoteCustomerRecord, RemoteDeal, RemoteFollowUp } from '../port';
import { limiterFor } from '../rate-limiter';
import { createTtlMemo } from '../ttl-memo';
import type { NotionContext } from './client';
import { readConfig } from './config';
import { createCustomer } from './create';
import { createDeal, createTask, listDeals } from './deal';
import { listFields } from './field-list';
import { findCustomers } from './find';
import { addFollowUp, listFollowUps } from './follow-up';
import { changesSince, getCustomer } from './read';
import { prepare } from './setup';
import { NOTION_API, notionSpec } from './spec';
import { updateCustomer } from './update';
import { verify } from './verify';

export interface NotionAdapterOverrides {
  /** Origin instead of https://api.notion.com (the emulator in tests). */
  baseUrl?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /**
   * Tests only: pace at this rate instead of Notion's documented 3 requests/s, against an emulator
   * told the same rate (the contract tests check behaviour, not Notion's speed; one test keeps the
   * real rate and shows the emulator refuses nothing).
   */
  rateLimit?: { requestsPerSecond: number; burst: number };
}

export interface NotionAdapter extends CrmAdapter {
  prepare(opts?: OpOptions): Promise<PrepareResult>;
  listFields(opts?: OpOptions): Promise<CrmFieldList>;
  getCustomer(remoteId: string, opts?: OpOptions): Promise<RemoteCustomerRecord | null>;
  listFollowUps(remoteCustomerId: string, opts?: ListOptions): Promise<RemoteFollowUp[]>;
  listDeals(remoteCustomerId: string, opts?: ListOptions): Promise<RemoteDeal[]>;
  changesSince(opts: ChangesOptions): Promise<ChangesPage>;
}

export function createNotionAdapter(deps: AdapterDeps, overrides: NotionAdapterOverrides = {}): NotionAdapter {
  let ctx: NotionContext | undefined;
  const context = (): NotionContext => {
    if (ctx) return ctx;
    const { requestsPerSecond, burst } = overrides.rateLimit ?? notionSpec.rateLimit;
    ctx = {
      config: readConfig(deps, overrides.baseUrl ?? NOTION_API),
      // Notion's limit is per integration token; the connection holds one token.
      limiter: limiterFor(`notion:${deps.connection.id}`, { requestsPerSecond, burst, now: deps.now }),
      now: deps.now,
      sources: createTtlMemo(deps.now),
      users: new Map(),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
    };
    return ctx;
  };
  const run = async <T>(fn: (c: NotionContext) => Promise<T>): Promise<T> => fn(context());
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
    getCustomer: (remoteId, opts = {}) => run((c) => getCustomer(c, remoteId, opts.signal)),
    listFollowUps: (remoteCustomerId, opts = {}) => run((c) => listFollowUps(c, remoteCustomerId, opts)),
    listDeals: (remoteCustomerId, opts = {}) => run((c) => listDeals(c, remoteCustomerId, opts)),
    changesSince: (opts) => run((c) => changesSince(c, opts)),
  };
}
