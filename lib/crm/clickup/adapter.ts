// The ClickUp adapter (background only): tickets as tasks in a chosen List (tasks.ts), follow-ups
// on them as task comments (comments.ts), the List's Custom Fields and the settings form's
// choices (fields.ts), and verify. ClickUp keeps no customers, deals or reminders for Liaison:
// those port methods refuse with CrmError('unsupported') (spec.ts declares them false / 'none').
// The context is built at the first operation, so a factory call with incomplete settings (the
// registry meta-test) never throws.
import { CrmError } from '../errors';
import type { HttpClientOptions } from '../http';
import type { AdapterDeps, CrmAdapter, CrmField, CrmFieldList, FieldChoice, OpOptions } from '../port';
import { limiterFor } from '../rate-limiter';
import type { ClickUpContext } from './client';
import { addTicketComment } from './comments';
import { readConfig } from './config';
import { fieldChoices, listFields } from './fields';
import { clickupSpec } from './spec';
import { createTicket, getTicket } from './tasks';
import { verify } from './verify';

export interface ClickUpAdapterOverrides {
  /** Origin requests go to instead of api.clickup.com (the emulator in tests). */
  baseUrl?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** After a create's unknown outcome, when to look for the task again (default 0, 2 s, 5 s). */
  reconcileDelaysMs?: number[];
}

export type ClickUpAdapter = Omit<CrmAdapter, 'listFields' | 'fieldChoices'> &
  Required<Pick<CrmAdapter, 'createTicket' | 'getTicket' | 'addTicketComment'>> & {
    listFields(opts?: OpOptions): Promise<CrmFieldList & { ticket: CrmField[] }>;
    fieldChoices(fieldKey: string, opts?: OpOptions): Promise<FieldChoice[] | undefined>;
  };

const WHAT = {
  customers: { zh: '客户', en: 'customers' },
  'follow-ups on customers': { zh: '客户跟进', en: 'follow-ups on customers' },
  deals: { zh: '成交', en: 'deals' },
  tasks: { zh: '提醒任务', en: 'reminder tasks' },
} as const;

const unsupported = (what: keyof typeof WHAT) => async (): Promise<never> => {
  throw new CrmError('unsupported', `ClickUp keeps no ${WHAT[what].en} for Liaison: it takes tickets (tasks) and comments on them`, {
    userMessage: { zh_CN: `ClickUp 不保存${WHAT[what].zh}，只接收工单（任务）及其评论`, en: `ClickUp keeps no ${WHAT[what].en}; it takes tickets (tasks) and comments on them` },
  });
};

export function createClickUpAdapter(deps: AdapterDeps, overrides: ClickUpAdapterOverrides = {}): ClickUpAdapter {
  let ctx: ClickUpContext | undefined;
  const context = (): ClickUpContext => {
    if (ctx) return ctx;
    const config = readConfig(deps, overrides.baseUrl);
    const { requestsPerSecond, burst, concurrentWrites } = clickupSpec.rateLimit;
    ctx = {
      config,
      // One budget per connection (ClickUp counts per token: one token, one connection in practice).
      limiter: limiterFor(`clickup:${deps.connection.id}`, { requestsPerSecond, burst, concurrentWrites, now: deps.now }),
      now: deps.now,
      listCache: new Map(),
      reconcileDelaysMs: overrides.reconcileDelaysMs ?? [0, 2000, 5000],
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
    };
    return ctx;
  };
  const run = async <T>(fn: (c: ClickUpContext) => Promise<T>): Promise<T> => fn(context());
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
