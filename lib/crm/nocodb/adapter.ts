// The NocoDB adapter (background only): the port's operations, its read side (read.ts), plus NocoDB's extras (setup of the
// recommended tables, mapping of existing ones, lead import, the tables' columns for the template
// mapping editor). The context — config, HTTP client, per-connection limiter, column metadata
// (kept five minutes at most) — is built at the first operation, so a factory call with
// incomplete settings (the registry meta-test, a half-filled form) never throws.
import { z } from 'zod';
import { createHttpClient, type HttpClientOptions } from '../http';
import { limiterFor } from '../rate-limiter';
import { createTtlMemo } from '../ttl-memo';
import type { AdapterDeps, BatchItemResult, CrmAdapter, CrmFieldList, OpOptions, PrepareResult, VerifyResult } from '../port';
import { batchCreateCustomers, type BatchItem } from './batch';
import { call, type NocodbContext } from './client';
import { readConfig } from './config';
import { createCustomer } from './create';
import { createDeal } from './deal';
import { listFields } from './field-list';
import { findCustomers } from './find';
import { addFollowUp } from './follow-up';
import { importLeadsWith, type ImportOptions, type ImportReport, type Lead } from './import';
import { listTables } from './meta';
import { connectionState } from '../connection-state';
import { changesSince, followUpsSince, getCustomer, listDeals, listFollowUps } from './read';
import { countRows } from './records';
import { RECOMMENDED_TABLES, type TableKey } from './schema';
import { mapExistingTables, setupRecommendedTables, type TablesReport } from './setup';
import { nocodbSpec } from './spec';
import { tableId } from './tables';
import { createTask } from './task';
import { updateCustomer } from './update';
import { fieldNames } from './values';

export interface NocodbAdapterOverrides {
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
}

export interface NocodbAdapter extends CrmAdapter {
  batchCreateCustomers(items: BatchItem[], opts?: OpOptions): Promise<BatchItemResult[]>;
  /** The writable columns of the customer, follow-up and deal tables, minus Liaison's keys and links. */
  listFields(opts?: OpOptions): Promise<CrmFieldList>;
  setupRecommendedTables(opts?: OpOptions): Promise<TablesReport>;
  mapExistingTables(ids: Partial<Record<TableKey, string>>, opts?: OpOptions): Promise<TablesReport>;
  importLeads(leads: Lead[], opts?: ImportOptions): Promise<ImportReport>;
  /** Rows in one of the connection's tables (NocoDB's own /count), optionally filtered. */
  count(key: TableKey, where?: string, opts?: OpOptions): Promise<number>;
  prepare(opts?: OpOptions): Promise<PrepareResult>;
}

const me = z.object({ email: z.string().optional() }).loose();

export function createNocodbAdapter(deps: AdapterDeps, overrides: NocodbAdapterOverrides = {}): NocodbAdapter {
  let ctx: NocodbContext | undefined;
  const context = (): NocodbContext => {
    if (ctx) return ctx;
    const config = readConfig(deps);
    // One limiter per connection, shared by every adapter instance in the worker: the single
    // write lane must hold across all operations on this base.
    const limiter = limiterFor(`nocodb:${deps.connection.id}`, { ...nocodbSpec.rateLimit, now: deps.now });
    const http = createHttpClient({
      baseUrl: config.baseUrl,
      limiter,
      now: deps.now,
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
    });
    ctx = { config, http, limiter, now: deps.now, meta: createTtlMemo(deps.now), state: connectionState(deps, 'nocodb') };
    return ctx;
  };
  const run = async <T>(fn: (c: NocodbContext) => Promise<T>): Promise<T> => fn(context());

  return {
    verify: (opts = {}) =>
      run(async (c): Promise<VerifyResult> => {
        // Any authenticated call rejects a bad token with 401; /auth/user/me also names the account.
        const who = await call(c, 'get', 'api/v2/auth/user/me', { signal: opts.signal, schema: me });
        const host = new URL(c.config.baseUrl).host;
        const account = [host, who.email].filter(Boolean).join(' · ');
        if (!c.config.base_id) return { account };
        const tables = await listTables(c, opts.signal); // proves the base id and the token's access to it
        return { account: `${account} · ${tables.length} tables` };
      }),
    findCustomers: (query, opts = {}) => run((c) => findCustomers(c, query, opts.signal)),
    createCustomer: (customer, opts) => run((c) => createCustomer(c, customer, opts)),
    updateCustomer: (remoteId, patch, opts) => run((c) => updateCustomer(c, remoteId, patch, opts)),
    addFollowUp: (remoteCustomerId, followUp, opts) => run((c) => addFollowUp(c, remoteCustomerId, followUp, opts)),
    createDeal: (remoteCustomerId, deal, opts) => run((c) => createDeal(c, remoteCustomerId, deal, opts)),
    createTask: () => createTask(),
    getCustomer: (remoteId, opts = {}) => run((c) => getCustomer(c, remoteId, opts.signal)),
    changesSince: (opts) => run((c) => changesSince(c, opts)),
    followUpsSince: (opts) => run((c) => followUpsSince(c, opts)),
    listFollowUps: (remoteCustomerId, opts = {}) => run((c) => listFollowUps(c, remoteCustomerId, opts)),
    listDeals: (remoteCustomerId, opts = {}) => run((c) => listDeals(c, remoteCustomerId, opts)),
    batchCreateCustomers: (items, opts = {}) => run((c) => batchCreateCustomers(c, items, opts)),
    listFields: (opts = {}) => run((c) => listFields(c, fieldNames(c.config), opts.signal)),
    setupRecommendedTables: (opts = {}) => run((c) => setupRecommendedTables(c, opts.signal)),
    mapExistingTables: (ids, opts = {}) => run((c) => mapExistingTables(c, ids, opts.signal)),
    importLeads: (leads, opts = {}) => run((c) => importLeadsWith(c, leads, opts)),
    count: (key, where, opts = {}) => run(async (c) => countRows(c, await tableId(c, key, opts.signal), where, opts.signal)),
    prepare: (opts = {}) =>
      run(async (c) => {
        const ids = { customers: c.config.customers_table, followUps: c.config.followups_table, deals: c.config.deals_table };
        // Table ids in the settings mean "use my tables": check them. Otherwise find or create the recommended ones.
        const report = ids.customers ? await mapExistingTables(c, ids, opts.signal) : await setupRecommendedTables(c, opts.signal);
        return prepareResult(report);
      }),
  };
}

/**
 * The table ids and skipped columns to keep in the connection's settings, and codeMaster: true
 * when NocoDB allocates 客户编号 (the recommended table's Formula on the row id), so its code
 * replaces Liaison's; false when the code column is text Liaison fills with its own codes.
 */
function prepareResult(r: TablesReport): PrepareResult {
  return {
    settings: {
      codeMaster: r.codeAllocated,
      ...(r.tables.customers ? { customers_table: r.tables.customers } : {}),
      ...(r.tables.followUps ? { followups_table: r.tables.followUps } : {}),
      ...(r.tables.deals ? { deals_table: r.tables.deals } : {}),
      omit_fields: r.omitFields,
    },
    created: r.created.map((k) => RECOMMENDED_TABLES[k].title),
    problems: [...r.missing, ...r.incompatible].map((p) => `${p.tableTitle}.${p.column}${p.actualType !== undefined ? ` (type ${p.actualType}, expected ${p.expectedType})` : ' (missing)'}`),
    usable: r.usable,
  };
}

export type { ImportOptions, ImportReport, Lead, TablesReport, TableKey };
