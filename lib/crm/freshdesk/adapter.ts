// The Freshdesk adapter (background only): tickets (tickets.ts) with their requester contact
// (contacts.ts), follow-ups on them as private notes (notes.ts), the ticket fields and the
// settings form's choices (fields.ts), and verify. Freshdesk keeps no customers, deals or tasks
// for Liaison: those port methods refuse with CrmError('unsupported') (spec.ts declares them false
// / 'none'). The context is built at the first operation, so a factory call with incomplete
// settings (the registry meta-test) never throws.
import { CrmError } from '../errors';
import type { HttpClientOptions } from '../http';
import type { AdapterDeps, CrmAdapter, CrmField, CrmFieldList, FieldChoice, OpOptions } from '../port';
import { limiterFor } from '../rate-limiter';
import type { FreshdeskContext } from './client';
import { readConfig } from './config';
import { fieldChoices, listFields } from './fields';
import { addTicketComment } from './notes';
import { freshdeskSpec } from './spec';
import { createTicket, getTicket, RECONCILE_DELAYS_MS } from './tickets';
import { verify } from './verify';

export interface FreshdeskAdapterOverrides {
  /** Origin requests go to instead of https://{domain}.freshdesk.com (the emulator in tests); ticket links keep the real one. */
  baseUrl?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** After a create's unknown outcome, when to look for the ticket again (default 0, 1 s). */
  reconcileDelaysMs?: number[];
}

export type FreshdeskAdapter = Omit<CrmAdapter, 'listFields' | 'fieldChoices'> &
  Required<Pick<CrmAdapter, 'createTicket' | 'getTicket' | 'addTicketComment'>> & {
    listFields(opts?: OpOptions): Promise<CrmFieldList & { ticket: CrmField[] }>;
    fieldChoices(fieldKey: string, opts?: OpOptions): Promise<FieldChoice[] | undefined>;
  };

const NAMES: Record<string, { zh: string; en: string }> = {
  customers: { zh: '客户', en: 'customers' },
  'follow-ups on customers': { zh: '客户跟进记录（请在工单上添加备注）', en: 'follow-ups on customers (add a note on a ticket instead)' },
  deals: { zh: '商机', en: 'deals' },
  tasks: { zh: '任务', en: 'tasks' },
};

const unsupported = (what: string) => async (): Promise<never> => {
  throw new CrmError('unsupported', `Freshdesk keeps no ${what} for Liaison: it takes tickets and notes on them`, {
    userMessage: { zh_CN: `Freshdesk 不保存${NAMES[what]!.zh}，只接收工单及其备注`, en: `Freshdesk keeps no ${NAMES[what]!.en}; it takes tickets and notes on them` },
  });
};

export function createFreshdeskAdapter(deps: AdapterDeps, overrides: FreshdeskAdapterOverrides = {}): FreshdeskAdapter {
  let ctx: FreshdeskContext | undefined;
  const context = (): FreshdeskContext => {
    if (ctx) return ctx;
    const config = readConfig(deps, overrides.baseUrl);
    const { requestsPerSecond, burst } = freshdeskSpec.rateLimit;
    ctx = {
      config,
      limiter: limiterFor(`freshdesk:${deps.connection.id}`, { requestsPerSecond, burst, now: deps.now }),
      now: deps.now,
      reconcileDelaysMs: overrides.reconcileDelaysMs ?? RECONCILE_DELAYS_MS,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
    };
    return ctx;
  };
  const run = async <T>(fn: (c: FreshdeskContext) => Promise<T>): Promise<T> => fn(context());
  return {
    verify: (opts = {}) => run((c) => verify(c, opts.signal)),
    findCustomers: unsupported('customers'),
    createCustomer: unsupported('customers'),
    updateCustomer: unsupported('customers'),
    addFollowUp: unsupported('follow-ups on customers'),
    createDeal: unsupported('deals'),
    createTask: unsupported('tasks'),
    listFields: (opts = {}) => run((c) => listFields(c, opts.signal)),
    fieldChoices: (key, opts = {}) => run((c) => fieldChoices(c, key, opts.signal)),
    createTicket: (t, opts) => run((c) => createTicket(c, t, opts)),
    getTicket: (id, opts = {}) => run((c) => getTicket(c, id, opts.signal)),
    addTicketComment: (id, f, opts) => run((c) => addTicketComment(c, id, f, opts)),
  };
}
