// The Zendesk Support adapter (background only): end users as customers (users.ts), tickets
// with their status and private comments (tickets.ts), the fields a template may write
// (fields.ts) and verify. Follow-ups on a customer, deals and tasks are not Zendesk's (spec.ts
// says why) and throw CrmError('unsupported'). The context — config, the per-connection
// limiter — is built at the first operation, so a factory call with incomplete settings (the
// registry meta-test) never throws.
import { CrmError } from '../errors';
import type { HttpClientOptions } from '../http';
import type { AdapterDeps, CrmAdapter, CrmField, CrmFieldList, OpOptions } from '../port';
import { limiterFor } from '../rate-limiter';
import type { ZendeskContext } from './client';
import { readConfig } from './config';
import { listFields, ticketFields } from './fields';
import { zendeskSpec } from './spec';
import { addTicketComment, createTicket, getTicket } from './tickets';
import { createCustomer, findCustomers, getCustomer, updateCustomer } from './users';
import { verify } from './verify';

export interface ZendeskAdapterOverrides {
  /** Origin instead of https://{subdomain}.zendesk.com (the emulator in tests). */
  baseUrl?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
}

export type ZendeskAdapter = CrmAdapter &
  Required<Pick<CrmAdapter, 'getCustomer' | 'createTicket' | 'getTicket' | 'addTicketComment'>> & {
    listFields(opts?: OpOptions): Promise<CrmFieldList>;
    ticketFields(opts?: OpOptions): Promise<CrmField[]>;
  };

const unsupported = (what: string) =>
  Promise.reject(
    new CrmError('unsupported', `Zendesk keeps no ${what}`, {
      userMessage: { zh_CN: `Zendesk 没有${what === 'follow-ups on a user' ? '客户跟进记录（请在工单上添加备注）' : what === 'deals' ? '商机' : '任务'}`, en: `Zendesk has no ${what}${what === 'follow-ups on a user' ? ' (add a note on a ticket instead)' : ''}` },
    }),
  );

export function createZendeskAdapter(deps: AdapterDeps, overrides: ZendeskAdapterOverrides = {}): ZendeskAdapter {
  let ctx: ZendeskContext | undefined;
  const context = (): ZendeskContext => {
    if (ctx) return ctx;
    const config = readConfig(deps, overrides.baseUrl);
    const { requestsPerSecond, burst } = zendeskSpec.rateLimit;
    ctx = {
      config,
      limiter: limiterFor(`zendesk:${deps.connection.id}`, { requestsPerSecond, burst, now: deps.now }),
      now: deps.now,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
    };
    return ctx;
  };
  const run = async <T>(fn: (c: ZendeskContext) => Promise<T>): Promise<T> => fn(context());
  return {
    verify: (opts = {}) => run((c) => verify(c, opts.signal)),
    findCustomers: (q, opts = {}) => run((c) => findCustomers(c, q, opts.signal)),
    createCustomer: (customer, opts) => run((c) => createCustomer(c, customer, opts)),
    updateCustomer: (id, patch, opts) => run((c) => updateCustomer(c, id, patch, opts)),
    addFollowUp: () => unsupported('follow-ups on a user'),
    createDeal: () => unsupported('deals'),
    createTask: () => unsupported('tasks'),
    listFields: (opts = {}) => run((c) => listFields(c, opts.signal)),
    ticketFields: (opts = {}) => run((c) => ticketFields(c, opts.signal)),
    // The read side: one user back (spec.ts read); no conditional update, ifMarker is ignored.
    getCustomer: (id, opts = {}) => run((c) => getCustomer(c, id, opts.signal)),
    createTicket: (t, opts) => run((c) => createTicket(c, t, opts)),
    getTicket: (id, opts = {}) => run((c) => getTicket(c, id, opts)),
    addTicketComment: (id, f, opts) => run((c) => addTicketComment(c, id, f, opts)),
  };
}
