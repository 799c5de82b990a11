// The 智邦ERP adapter (background only): the CrmAdapter port over the V1/V3 client, plus two
// 智邦-specific operations the background may wire later (客户指派 and the enum lists).
// Everything is built lazily on first use, so constructing the adapter never throws and a
// half-configured connection fails with a CrmError from the operation instead.
import { createHttpClient } from '../http';
import { CrmError, type AdapterDeps, type CrmAdapter, type CrmFieldList, type OpOptions } from '../port';
import { limiterFor, type RateLimiter } from '../rate-limiter';
import { assignCustomer, type Assignment } from './assign';
import { createZhibangClient, type ZhibangClient } from './client';
import { parseConfig } from './config';
import { createCustomer } from './create';
import { createDeal } from './deal';
import { loadZhibangEnums } from './enums';
import { findCustomers } from './find';
import { addFollowUp } from './follow-up';
import { getCustomer } from './read';
import { listReplies } from './replies';
import { createSessionManager } from './session';
import { zhibangSpec } from './spec';
import { createServiceOrder, getServiceOrder } from './ticket';
import { stateStoreFor, type ConnectionStateStore, type StateBackend } from './state';
import { listFields } from './template-fields';
import { updateCustomer } from './update';

export interface ZhibangDeps<Db = unknown> extends AdapterDeps<Db> {
  /** Where allocated ords and confirmed writes are remembered (see state.ts for the fallbacks). */
  state?: StateBackend;
  /** Overrides the connection's shared limiter (tests, benchmarks). */
  limiter?: RateLimiter;
  timeoutMs?: number;
}

export interface ZhibangAdapter extends CrmAdapter {
  listFields(opts?: OpOptions): Promise<CrmFieldList>;
  /** 客户指派: make the customer public, or assign it to ERP users. */
  assignCustomer(remoteId: string, assignment: Assignment, opts?: OpOptions): Promise<void>;
  /** 客户来源 (13), 洽谈方式 (98) and 价值评估 (14) as the installation defines them. */
  loadEnums(opts?: OpOptions): ReturnType<typeof loadZhibangEnums>;
}

function ordOf(remoteId: string): string {
  if (!/^\d+$/.test(remoteId)) throw new CrmError('validation', '智邦ERP: a customer id (ord) is a number');
  return remoteId;
}

export function createZhibangAdapter(deps: ZhibangDeps): ZhibangAdapter {
  const now = deps.now;
  let client: ZhibangClient | undefined;
  let state: ConnectionStateStore | undefined;

  const ctx = () => {
    if (!client) {
      const cfg = parseConfig(deps);
      const http = createHttpClient({
        baseUrl: cfg.baseUrl,
        limiter: deps.limiter ?? limiterFor(`zhibang:${cfg.connectionId}`, { ...zhibangSpec.rateLimit, now }),
        ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        now,
      });
      client = createZhibangClient(cfg, http, createSessionManager(cfg, http, now));
    }
    state ??= stateStoreFor(deps);
    return { client, state };
  };

  // Every operation is async so a bad id or setting rejects the promise instead of throwing.
  return {
    async verify() {
      const { client: c } = ctx();
      await c.sessions.fresh();
      return { account: `${c.config.user} @ ${new URL(c.config.baseUrl).host}` };
    },
    findCustomers: async (query, opts) => findCustomers(ctx().client, query, opts?.signal, now),
    createCustomer: async (customer, opts) => {
      const { client: c, state: s } = ctx();
      return createCustomer({ client: c, state: s, now }, customer, opts.idempotencyKey, opts.signal, opts.fields);
    },
    updateCustomer: async (remoteId, patch, opts) => updateCustomer(ctx().client, now, ordOf(remoteId), patch, opts.signal, opts.fields),
    addFollowUp: async (remoteId, followUp, opts) => {
      const { client: c, state: s } = ctx();
      return addFollowUp(c, s, ordOf(remoteId), followUp, opts.idempotencyKey, opts.signal, { now, fields: opts.fields });
    },
    createDeal: async (remoteId, deal, opts) => {
      const { client: c, state: s } = ctx();
      return createDeal(c, s, ordOf(remoteId), deal, opts.idempotencyKey, opts.signal, { now, fields: opts.fields });
    },
    // The read side (read.ts, replies.ts). No changesSince: the customer list filters by 添加时间
    // (date1_0/date1_1), 领用 and 添加日期 only, never by modification time (spec.ts).
    getCustomer: async (remoteId, opts) => getCustomer(ctx().client, ordOf(remoteId), now, opts?.signal),
    listFollowUps: async (remoteId, opts) => listReplies(ctx().client, ordOf(remoteId), opts ?? {}),
    // The documented form fields: 智邦 has no API that lists them, so nothing to ask or cache.
    listFields: async () => listFields(),
    async createTask() {
      throw new CrmError('unsupported', '智邦ERP: reminders travel as a follow-up schedule (plantype 1), not as separate tasks');
    },
    // Tickets → 售后服务单 (ticket.ts). No addTicketComment: no documented note on a service order.
    createTicket: async (ticket, opts) => {
      const { client: c, state: s } = ctx();
      return createServiceOrder({ client: c, state: s, now }, ticket, opts.idempotencyKey, opts.signal);
    },
    getTicket: async (remoteId, opts) => getServiceOrder(ctx().client, remoteId, opts?.signal),
    assignCustomer: async (remoteId, assignment, opts) => assignCustomer(ctx().client, ordOf(remoteId), assignment, opts?.signal),
    // 负责人 (lib/assign): the customer assigned to that one ERP user. Setting the same assignment again is harmless, so a retry is safe.
    assignOwner: async (remoteId, userId, opts) => assignCustomer(ctx().client, ordOf(remoteId), { userIds: [userId] }, opts.signal),
    loadEnums: async (opts) => loadZhibangEnums(ctx().client, now, opts?.signal),
    // 默认客户来源 is an id of the installation's 客户来源 enum: offered by name in the form.
    fieldChoices: async (key, opts) => {
      if (key !== 'defaultSource') return undefined;
      const { sources } = await loadZhibangEnums(ctx().client, now, opts?.signal);
      return sources.map((o) => ({ value: o.id, label: o.name }));
    },
  };
}
