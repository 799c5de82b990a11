// The Linear adapter (background only): tickets as issues (issues.ts), follow-ups on them as
// comments (comments.ts), the settings form's choices and the template-writable fields
// (fields.ts), and verify. Linear keeps no customers, deals or tasks for Liaison: those port
// methods refuse with CrmError('unsupported') (spec.ts declares them false / 'none'). The context
// is built at the first operation, so a factory call with incomplete settings never throws.
import { CrmError } from '../errors';
import type { HttpClientOptions } from '../http';
import type { AdapterDeps, CrmAdapter, CrmField, CrmFieldList, FieldChoice, OpOptions } from '../port';
import { limiterFor } from '../rate-limiter';
import type { LinearContext } from './client';
import { addTicketComment } from './comments';
import { readConfig } from './config';
import { fieldChoices, listFields } from './fields';
import { createTicket, getTicket } from './issues';
import { linearSpec } from './spec';
import { verify } from './verify';

export interface LinearAdapterOverrides {
  /** Origin requests go to instead of https://api.linear.app (the emulator in tests). */
  baseUrl?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** After a create's unknown outcome, when to look the id up again (default 0, 1 s, 3 s). */
  reconcileDelaysMs?: number[];
}

export type LinearAdapter = Omit<CrmAdapter, 'listFields' | 'fieldChoices'> &
  Required<Pick<CrmAdapter, 'createTicket' | 'getTicket' | 'addTicketComment'>> & {
    listFields(opts?: OpOptions): Promise<CrmFieldList & { ticket: CrmField[] }>;
    fieldChoices(fieldKey: string, opts?: OpOptions): Promise<FieldChoice[] | undefined>;
  };

const WHAT = {
  customers: { zh_CN: '客户', en: 'customers' },
  deals: { zh_CN: '成交', en: 'deals' },
  tasks: { zh_CN: '任务', en: 'tasks' },
  followUps: { zh_CN: '客户跟进', en: 'follow-ups on customers' },
} as const;
const unsupported = (what: keyof typeof WHAT) => async (): Promise<never> => {
  throw new CrmError('unsupported', `Linear keeps no ${WHAT[what].en} for Liaison: it takes tickets (issues) and comments on them`, {
    userMessage: { zh_CN: `Linear 不保存${WHAT[what].zh_CN}，只接收工单（问题）及其评论`, en: `Linear keeps no ${WHAT[what].en}; it takes tickets (issues) and comments on them` },
  });
};

export function createLinearAdapter(deps: AdapterDeps, overrides: LinearAdapterOverrides = {}): LinearAdapter {
  let ctx: LinearContext | undefined;
  const context = (): LinearContext => {
    if (ctx) return ctx;
    const config = readConfig(deps, overrides.baseUrl);
    const { requestsPerSecond, burst } = linearSpec.rateLimit;
    ctx = {
      config,
      limiter: limiterFor(`linear:${deps.connection.id}`, { requestsPerSecond, burst, now: deps.now }),
      now: deps.now,
      labelCache: new Map(),
      reconcileDelaysMs: overrides.reconcileDelaysMs ?? [0, 1000, 3000],
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
    };
    return ctx;
  };
  const run = async <T>(fn: (c: LinearContext) => Promise<T>): Promise<T> => fn(context());
  return {
    verify: (opts = {}) => run((c) => verify(c, opts.signal)),
    findCustomers: unsupported('customers'),
    createCustomer: unsupported('customers'),
    updateCustomer: unsupported('customers'),
    addFollowUp: unsupported('followUps'),
    createDeal: unsupported('deals'),
    createTask: unsupported('tasks'),
    listFields: (opts = {}) => run((c) => listFields(c, opts.signal)),
    fieldChoices: (key, opts = {}) => run((c) => fieldChoices(c, key, opts.signal)),
    createTicket: (t, opts) => run((c) => createTicket(c, t, opts)),
    getTicket: (id, opts = {}) => run((c) => getTicket(c, id, opts.signal)),
    addTicketComment: (id, f, opts) => run((c) => addTicketComment(c, id, f, opts)),
  };
}
