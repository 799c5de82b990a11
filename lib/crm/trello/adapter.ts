// The Trello adapter (background only): tickets as cards (cards.ts), follow-ups on them as
// comments (comments.ts), the settings form's choices and the card parameters a template may set
// (fields.ts), and verify. Trello keeps no customers, deals or tasks for Liaison: those port
// methods refuse with CrmError('unsupported') (spec.ts declares them false / 'none'). The context
// is built at the first operation, so a factory call with incomplete settings (the registry
// meta-test) never throws.
import { CrmError } from '../errors';
import type { HttpClientOptions } from '../http';
import type { AdapterDeps, CrmAdapter, CrmField, CrmFieldList, FieldChoice, OpOptions } from '../port';
import { limiterFor } from '../rate-limiter';
import { createTicket, getTicket } from './cards';
import type { TrelloContext } from './client';
import { addTicketComment } from './comments';
import { readConfig } from './config';
import { fieldChoices, listFields } from './fields';
import { trelloSpec } from './spec';
import { verify } from './verify';

export interface TrelloAdapterOverrides {
  /** Where requests go instead of https://api.trello.com/1 (the emulator's /1 in tests). */
  baseUrl?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** After a create's unknown outcome, when to read the board for its card again (default 0, 2 s). */
  reconcileDelaysMs?: number[];
}

export type TrelloAdapter = Omit<CrmAdapter, 'listFields' | 'fieldChoices'> &
  Required<Pick<CrmAdapter, 'createTicket' | 'getTicket' | 'addTicketComment'>> & {
    listFields(opts?: OpOptions): Promise<CrmFieldList & { ticket: CrmField[] }>;
    fieldChoices(fieldKey: string, opts?: OpOptions): Promise<FieldChoice[] | undefined>;
  };

const WHAT_ZH: Record<string, string> = { customers: '客户', deals: '成交', tasks: '任务', 'follow-ups on customers': '客户跟进' };
const unsupported = (what: string) => async (): Promise<never> => {
  throw new CrmError('unsupported', `Trello keeps no ${what} for Liaison: it takes tickets (cards) and comments on them`, {
    userMessage: { zh_CN: `Trello 不保存${WHAT_ZH[what] ?? what}，只接收工单（卡片）及其评论`, en: `Trello keeps no ${what}; it takes tickets (cards) and comments on them` },
  });
};

export function createTrelloAdapter(deps: AdapterDeps, overrides: TrelloAdapterOverrides = {}): TrelloAdapter {
  let ctx: TrelloContext | undefined;
  const context = (): TrelloContext => {
    if (ctx) return ctx;
    const config = readConfig(deps, overrides.baseUrl);
    const { requestsPerSecond, burst, concurrentWrites } = trelloSpec.rateLimit;
    ctx = {
      config,
      // Trello counts per token; one connection holds one token, so the budget is kept per connection.
      limiter: limiterFor(`trello:${deps.connection.id}`, { requestsPerSecond, burst, concurrentWrites, now: deps.now }),
      now: deps.now,
      reconcileDelaysMs: overrides.reconcileDelaysMs ?? [0, 2000],
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
    };
    return ctx;
  };
  const run = async <T>(fn: (c: TrelloContext) => Promise<T>): Promise<T> => fn(context());
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
