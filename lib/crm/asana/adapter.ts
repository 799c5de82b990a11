// The Asana adapter (background only): tickets as tasks in a project (tasks.ts), follow-ups on
// them as comments (stories.ts), the settings form's choices and the project's custom fields
// (fields.ts), and verify. Asana keeps no customers, deals or (Liaison) tasks for Liaison: those
// port methods refuse with CrmError('unsupported') (spec.ts declares them false / 'none'). The
// context is built at the first operation, so a factory call with incomplete settings (the
// registry meta-test) never throws.
import { CrmError } from '../errors';
import type { HttpClientOptions } from '../http';
import type { AdapterDeps, CrmAdapter, CrmField, CrmFieldList, FieldChoice, OpOptions } from '../port';
import { limiterFor } from '../rate-limiter';
import type { AsanaContext } from './client';
import { readConfig } from './config';
import { fieldChoices, listFields } from './fields';
import { asanaSpec } from './spec';
import { addTicketComment } from './stories';
import { createTicket, getTicket } from './tasks';
import { verify } from './verify';

export interface AsanaAdapterOverrides {
  /** Origin requests go to instead of https://app.asana.com (the emulator in tests). */
  baseUrl?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** After a create's unknown outcome, when to look for the task again (default 0, 1 s). */
  reconcileDelaysMs?: number[];
}

export type AsanaAdapter = Omit<CrmAdapter, 'listFields' | 'fieldChoices'> &
  Required<Pick<CrmAdapter, 'createTicket' | 'getTicket' | 'addTicketComment'>> & {
    listFields(opts?: OpOptions): Promise<CrmFieldList & { ticket: CrmField[] }>;
    fieldChoices(fieldKey: string, opts?: OpOptions): Promise<FieldChoice[] | undefined>;
  };

const ZH: Record<string, string> = { customers: '客户', deals: '成交', tasks: '任务（Liaison 的待办）', 'follow-ups on customers': '客户跟进' };
const unsupported = (what: string) => async (): Promise<never> => {
  throw new CrmError('unsupported', `Asana keeps no ${what} for Liaison: it takes tickets (tasks in a project) and comments on them`, {
    userMessage: { zh_CN: `Asana 不保存${ZH[what] ?? what}，只接收工单（项目中的任务）及其评论`, en: `Asana keeps no ${what}; it takes tickets (tasks in a project) and comments on them` },
  });
};

export function createAsanaAdapter(deps: AdapterDeps, overrides: AsanaAdapterOverrides = {}): AsanaAdapter {
  let ctx: AsanaContext | undefined;
  const context = (): AsanaContext => {
    if (ctx) return ctx;
    const config = readConfig(deps, overrides.baseUrl);
    const { requestsPerSecond, burst, concurrentWrites } = asanaSpec.rateLimit;
    ctx = {
      config,
      limiter: limiterFor(`asana:${deps.connection.id}`, { requestsPerSecond, burst, concurrentWrites, now: deps.now }),
      now: deps.now,
      reconcileDelaysMs: overrides.reconcileDelaysMs ?? [0, 1000],
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
    };
    return ctx;
  };
  const run = async <T>(fn: (c: AsanaContext) => Promise<T>): Promise<T> => fn(context());
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
