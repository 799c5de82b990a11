// The Jira Cloud adapter (background only): tickets as issues (issues.ts), follow-ups on them as
// comments (comments.ts), the create metadata and the settings form's choices (fields.ts), and
// verify. Jira keeps no customers, deals or tasks for Liaison: those port methods refuse with
// CrmError('unsupported') (spec.ts declares them false / 'none'). The context is built at the
// first operation, so a factory call with incomplete settings (the registry meta-test) never throws.
import { CrmError } from '../errors';
import type { HttpClientOptions } from '../http';
import type { AdapterDeps, CrmAdapter, CrmField, CrmFieldList, FieldChoice, OpOptions } from '../port';
import { limiterFor } from '../rate-limiter';
import type { JiraContext } from './client';
import { addTicketComment } from './comments';
import { readConfig } from './config';
import { fieldChoices, listFields } from './fields';
import { createTicket, getTicket } from './issues';
import { jiraSpec } from './spec';
import { verify } from './verify';

export interface JiraAdapterOverrides {
  /** Origin requests go to instead of the site (the emulator in tests); browse links keep the site. */
  baseUrl?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** After a create's unknown outcome, when to look for the issue again (default 0, 2 s, 5 s). */
  reconcileDelaysMs?: number[];
}

export type JiraAdapter = Omit<CrmAdapter, 'listFields' | 'fieldChoices'> &
  Required<Pick<CrmAdapter, 'createTicket' | 'getTicket' | 'addTicketComment'>> & {
    listFields(opts?: OpOptions): Promise<CrmFieldList & { ticket: CrmField[] }>;
    fieldChoices(fieldKey: string, opts?: OpOptions): Promise<FieldChoice[] | undefined>;
  };

const unsupported = (what: string) => async (): Promise<never> => {
  throw new CrmError('unsupported', `Jira keeps no ${what} for Liaison: it takes tickets (issues) and comments on them`, {
    userMessage: { zh_CN: `Jira 不保存${what === 'customers' ? '客户' : what === 'deals' ? '成交' : what === 'tasks' ? '任务' : '客户跟进'}，只接收工单（问题）及其评论`, en: `Jira keeps no ${what}; it takes tickets (issues) and comments on them` },
  });
};

export function createJiraAdapter(deps: AdapterDeps, overrides: JiraAdapterOverrides = {}): JiraAdapter {
  let ctx: JiraContext | undefined;
  const context = (): JiraContext => {
    if (ctx) return ctx;
    const config = readConfig(deps, overrides.baseUrl);
    const { requestsPerSecond, burst, concurrentWrites } = jiraSpec.rateLimit;
    ctx = {
      config,
      limiter: limiterFor(`jira:${deps.connection.id}`, { requestsPerSecond, burst, concurrentWrites, now: deps.now }),
      now: deps.now,
      metaCache: new Map(),
      reconcileDelaysMs: overrides.reconcileDelaysMs ?? [0, 2000, 5000],
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
    };
    return ctx;
  };
  const run = async <T>(fn: (c: JiraContext) => Promise<T>): Promise<T> => fn(context());
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
