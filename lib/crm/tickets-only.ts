// What the adapters of systems that take tickets and nothing else (the work trackers Jira,
// Linear, Asana, ClickUp, Trello and the help desk Freshdesk) share: the port's customer,
// follow-up, deal and task methods refuse alike in the vendor's words (spec.ts declares them
// false / 'none'), and the per-connection parts of their context (limiter, clock, fetch, the
// reconciliation delays after an unknown outcome, test overrides), built at the first call so a
// factory call with incomplete settings (the registry meta-test) never throws.
import { CrmError } from './errors';
import type { HttpClientOptions } from './http';
import type { AdapterDeps, CrmAdapter } from './port';
import { limiterFor, type RateLimiter } from './rate-limiter';
import type { Localized } from './spec';

const WHAT = {
  customers: { zh_CN: '客户', en: 'customers' },
  followUps: { zh_CN: '客户跟进', en: 'follow-ups on customers' },
  deals: { zh_CN: '成交', en: 'deals' },
  tasks: { zh_CN: '任务', en: 'tasks' },
} as const;

type Refusing = Pick<CrmAdapter, 'findCustomers' | 'createCustomer' | 'updateCustomer' | 'addFollowUp' | 'createDeal' | 'createTask'>;

/**
 * The six refusing methods. `takes`: what the system does take, e.g. { zh_CN: '工单（卡片）', en:
 * 'tickets (cards)' }; `comments`: what follow-ups become there (评论 / comments by default).
 */
export function refusingCrmMethods(vendor: string, takes: Localized, comments: Localized = { zh_CN: '评论', en: 'comments' }): Refusing {
  const refuse = (what: keyof typeof WHAT) => async (): Promise<never> => {
    const w = WHAT[what];
    throw new CrmError('unsupported', `${vendor} keeps no ${w.en} for Liaison: it takes ${takes.en} and ${comments.en} on them`, {
      userMessage: { zh_CN: `${vendor} 不保存${w.zh_CN}，只接收${takes.zh_CN}及其${comments.zh_CN}`, en: `${vendor} keeps no ${w.en}; it takes ${takes.en} and ${comments.en} on them` },
    });
  };
  return {
    findCustomers: refuse('customers'),
    createCustomer: refuse('customers'),
    updateCustomer: refuse('customers'),
    addFollowUp: refuse('followUps'),
    createDeal: refuse('deals'),
    createTask: refuse('tasks'),
  };
}

/** Overrides every tickets-only adapter takes (the emulator's origin and test timing). */
export interface TicketsOnlyOverrides {
  /** Origin requests go to instead of the vendor's (the emulator in tests). */
  baseUrl?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** After a create's unknown outcome, when to look for it again. */
  reconcileDelaysMs?: number[];
}

export interface TicketsOnlyContextBase {
  limiter: RateLimiter;
  now: () => number;
  reconcileDelaysMs: number[];
  fetch?: typeof fetch;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
}

/** The shared part of a context: the connection's limiter (keyed `<kind>:<connection id>`) from the spec's rate limit, and the overrides. */
export function contextBase(
  kind: string,
  deps: AdapterDeps,
  rate: { requestsPerSecond: number; burst: number; concurrentWrites?: number },
  overrides: TicketsOnlyOverrides,
  defaultDelaysMs: number[],
): TicketsOnlyContextBase {
  const { requestsPerSecond, burst, concurrentWrites } = rate;
  return {
    limiter: limiterFor(`${kind}:${deps.connection.id}`, { requestsPerSecond, burst, ...(concurrentWrites !== undefined ? { concurrentWrites } : {}), now: deps.now }),
    now: deps.now,
    reconcileDelaysMs: overrides.reconcileDelaysMs ?? defaultDelaysMs,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
    ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
  };
}

/** `run(fn)`: fn with the context, built at the first call. */
export function lazyContext<C>(build: () => C): <T>(fn: (c: C) => Promise<T>) => Promise<T> {
  let ctx: C | undefined;
  return async (fn) => fn((ctx ??= build()));
}
