// The Feishu Bitable adapter (background only): the port's operations plus Bitable's extras
// (setup of seed 000's tables, mapping of existing tables, lead import, the tables' fields for the
// template mapping editor). The context — config, HTTP client, per-connection limiter, token
// cache, field lists — is built at the first operation, so a factory call with incomplete
// settings (the registry meta-test, a half-filled form) never throws.
import { createHttpClient, type HttpClientOptions } from '../http';
import { limiterFor } from '../rate-limiter';
import { createTtlMemo } from '../ttl-memo';
import type {
  AdapterDeps, BatchItemResult, ChangesOptions, ChangesPage, CrmAdapter, CrmFieldList, ListOptions, OpOptions, PrepareResult, RemoteCustomerRecord,
  RemoteDeal, RemoteFollowUp, VerifyResult,
} from '../port';
import type { FeishuContext } from './client';
import { readConfig } from './config';
import { batchCreateCustomers, type BatchItem } from './batch';
import { createCustomer } from './create';
import { createDeal } from './deal';
import { listFields } from './field-list';
import { findCustomers } from './find';
import { addFollowUp } from './follow-up';
import { listDeals, listFollowUps } from './history';
import { changesSince, getCustomer } from './read';
import { importLeadsWith, type ImportOptions, type ImportReport, type Lead } from './import';
import { mapExistingTables, setupRecommendedTables, type TablesReport } from './setup';
import { feishuBitableSpec } from './spec';
import { listTables } from './tables';
import { createTask } from './task';
import { tokenCacheFor } from './token';
import { updateCustomer } from './update';
import { fieldNames } from './values';
import { RECOMMENDED_TABLES, type TableKey } from './schema';

export interface FeishuAdapterOverrides {
  /** Origin instead of open.feishu.cn / open.larksuite.com (the emulator in tests). */
  baseUrl?: string;
  timeoutMs?: number;
  /** Refresh the token this long before it expires (default 5 min, at most ¼ of its life). */
  tokenMarginMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
}

export interface FeishuBitableAdapter extends CrmAdapter {
  batchCreateCustomers(items: BatchItem[], opts?: OpOptions): Promise<BatchItemResult[]>;
  /** The writable fields of the customer, follow-up and deal tables, minus Liaison's keys and links. */
  listFields(opts?: OpOptions): Promise<CrmFieldList>;
  /** Creates seed 000's three tables (reusing any that exist by name) and reports their ids. */
  setupRecommendedTables(opts?: OpOptions): Promise<TablesReport>;
  /** Checks the user's own tables by field name; the report lists what is missing or mistyped. */
  mapExistingTables(ids: Partial<Record<TableKey, string>>, opts?: OpOptions): Promise<TablesReport>;
  importLeads(leads: Lead[], opts?: ImportOptions): Promise<ImportReport>;
  prepare(opts?: OpOptions): Promise<PrepareResult>;
  getCustomer(remoteId: string, opts?: OpOptions): Promise<RemoteCustomerRecord | null>;
  listFollowUps(remoteCustomerId: string, opts?: ListOptions): Promise<RemoteFollowUp[]>;
  listDeals(remoteCustomerId: string, opts?: ListOptions): Promise<RemoteDeal[]>;
  changesSince(opts: ChangesOptions): Promise<ChangesPage>;
}

export function createFeishuBitableAdapter(deps: AdapterDeps, overrides: FeishuAdapterOverrides = {}): FeishuBitableAdapter {
  let ctx: FeishuContext | undefined;
  const context = (): FeishuContext => {
    if (ctx) return ctx;
    const config = readConfig(deps, overrides.baseUrl);
    // One limiter per connection, shared by every adapter instance in the worker: a 429's
    // cooldown and the single write lane must hold across all operations on this Base.
    const limiter = limiterFor(`feishu-bitable:${deps.connection.id}`, { ...feishuBitableSpec.rateLimit, now: deps.now });
    const http = createHttpClient({
      baseUrl: config.baseUrl,
      limiter,
      now: deps.now,
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
    });
    const tokens = tokenCacheFor(`${deps.connection.id}|${config.baseUrl}|${config.appId}`, {
      http,
      appId: config.appId,
      appSecret: config.appSecret,
      now: deps.now,
      ...(overrides.tokenMarginMs !== undefined ? { marginMs: overrides.tokenMarginMs } : {}),
    });
    ctx = { config, http, limiter, tokens, now: deps.now, fieldLists: createTtlMemo(deps.now) };
    return ctx;
  };
  const run = async <T>(fn: (c: FeishuContext) => Promise<T>): Promise<T> => fn(context());

  return {
    verify: (opts = {}) =>
      run(async (c): Promise<VerifyResult> => {
        await c.tokens.get(opts.signal); // rejects bad credentials with CrmError('auth')
        const host = new URL(c.config.baseUrl).host;
        if (!c.config.app_token) return { account: `${host} · ${c.config.appId}` };
        const tables = await listTables(c, opts.signal);
        return { account: `${host} · ${c.config.appId} · ${tables.length} tables` };
      }),
    findCustomers: (query, opts = {}) => run((c) => findCustomers(c, query, opts.signal)),
    createCustomer: (customer, opts) => run((c) => createCustomer(c, customer, opts)),
    updateCustomer: (remoteId, patch, opts) => run((c) => updateCustomer(c, remoteId, patch, opts)),
    addFollowUp: (remoteCustomerId, followUp, opts) => run((c) => addFollowUp(c, remoteCustomerId, followUp, opts)),
    createDeal: (remoteCustomerId, deal, opts) => run((c) => createDeal(c, remoteCustomerId, deal, opts)),
    createTask: (remoteCustomerId, task, opts) => run((c) => createTask(c, remoteCustomerId, task, opts)),
    batchCreateCustomers: (items, opts = {}) => run((c) => batchCreateCustomers(c, items, opts)),
    listFields: (opts = {}) => run((c) => listFields(c, fieldNames(c.config), opts.signal)),
    // Tables made or checked just now: the field lists cached for templates are read afresh.
    setupRecommendedTables: (opts = {}) => run((c) => afterSetup(c, setupRecommendedTables(c, opts.signal))),
    mapExistingTables: (ids, opts = {}) => run((c) => afterSetup(c, mapExistingTables(c, ids, opts.signal))),
    importLeads: (leads, opts = {}) => run((c) => importLeadsWith(c, leads, opts)),
    getCustomer: (remoteId, opts = {}) => run((c) => getCustomer(c, remoteId, opts.signal)),
    listFollowUps: (remoteCustomerId, opts = {}) => run((c) => listFollowUps(c, remoteCustomerId, opts)),
    listDeals: (remoteCustomerId, opts = {}) => run((c) => listDeals(c, remoteCustomerId, opts)),
    changesSince: (opts) => run((c) => changesSince(c, opts)),
    prepare: (opts = {}) =>
      run(async (c) => {
        const ids = { customers: c.config.customers_table, followUps: c.config.followups_table, deals: c.config.deals_table };
        const report = await afterSetup(c, c.config.tables_mode === 'existing' ? mapExistingTables(c, ids, opts.signal) : setupRecommendedTables(c, opts.signal));
        return prepareResult(report);
      }),
  };
}

async function afterSetup<T>(c: FeishuContext, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } finally {
    c.fieldLists.clear();
  }
}

/**
 * The table ids and skipped fields to keep in the connection's settings. An auto-numbered 客户ID
 * makes this connection the team's code master: code_auto (never write the code, read it back)
 * and codeMaster (the sync adopts the CRM's code as the customer's 客户编号).
 */
function prepareResult(r: TablesReport): PrepareResult {
  return {
    settings: {
      ...(r.tables.customers ? { customers_table: r.tables.customers } : {}),
      ...(r.tables.followUps ? { followups_table: r.tables.followUps } : {}),
      ...(r.tables.deals ? { deals_table: r.tables.deals } : {}),
      omit_fields: r.omitFields,
      tables_mode: 'existing',
      code_auto: r.codeAuto,
      ...(r.codeAuto ? { codeMaster: true } : {}),
    },
    created: [...r.created.map((k) => RECOMMENDED_TABLES[k].name), ...r.addedFields.map((f) => `${RECOMMENDED_TABLES[f.table].name}.${f.field}`)],
    problems: [...r.missing, ...r.incompatible].map((p) => `${p.tableName}.${p.field}${p.actualType !== undefined ? ` (type ${p.actualType}, expected ${p.expectedType})` : ''}`),
    usable: r.usable,
  };
}

/** `importLeads(adapter, leads, opts)`: seed 000's lead import through a Bitable adapter. */
export function importLeads(adapter: FeishuBitableAdapter, leads: Lead[], opts: ImportOptions = {}): Promise<ImportReport> {
  return adapter.importLeads(leads, opts);
}

export type { ImportOptions, ImportReport, Lead, TablesReport, TableKey };
