// The DingTalk CRM adapter (background only): customers (customers.ts), follow records
// (follow-ups.ts), todos (tasks.ts), the forms for the mapping editor (fields.ts) and verify.
// Auth: the app key + secret trade for an access token (session.ts, single flight), no user
// sign-in. The context is built at the first operation, so a factory call with incomplete
// settings (the registry meta-test) never throws.
import type { HttpClientOptions } from '../http';
import type { AdapterDeps, CrmAdapter, CrmFieldList, OpOptions } from '../port';
import { CrmError } from '../errors';
import { limiterFor } from '../rate-limiter';
import type { DingtalkContext } from './client';
import { readConfig } from './config';
import { changesSince, createCustomer, findCustomers, getCustomer, updateCustomer } from './customers';
import { listFields } from './fields';
import { addFollowUp, listFollowUps } from './follow-ups';
import { dingtalkSessionFor } from './session';
import { dingtalkSpec } from './spec';
import { createTask } from './tasks';
import { verify } from './verify';
import { sendWorkNotice } from './work-notice';

export interface DingtalkAdapterOverrides {
  /** Origin instead of https://api.dingtalk.com (the emulator in tests). */
  apiBase?: string;
  /** Origin instead of https://oapi.dingtalk.com. */
  oapiBase?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
}

export type DingtalkAdapter = CrmAdapter & Required<Pick<CrmAdapter, 'getCustomer' | 'listFollowUps' | 'changesSince'>> & { listFields(opts?: OpOptions): Promise<CrmFieldList> };

/** The per-connection context (settings, session, limiter), shared with the work-notice sender. */
export function dingtalkContext(deps: AdapterDeps, overrides: DingtalkAdapterOverrides = {}): DingtalkContext {
  const config = readConfig(deps, { ...(overrides.apiBase ? { apiBase: overrides.apiBase } : {}), ...(overrides.oapiBase ? { oapiBase: overrides.oapiBase } : {}) });
  const { requestsPerSecond, burst, concurrentWrites } = dingtalkSpec.rateLimit;
  const limiter = limiterFor(`dingtalk:${deps.connection.id}`, { requestsPerSecond, burst, concurrentWrites, now: deps.now });
  return {
    config,
    session: dingtalkSessionFor(deps.connection.id, {
      apiBase: config.apiBase,
      appKey: config.appKey,
      appSecret: config.appSecret,
      limiter,
      now: deps.now,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
    }),
    limiter,
    now: deps.now,
    memo: new Map(),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
    ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}),
  };
}

export function createDingtalkAdapter(deps: AdapterDeps, overrides: DingtalkAdapterOverrides = {}): DingtalkAdapter {
  let ctx: DingtalkContext | undefined;
  const run = async <T>(fn: (c: DingtalkContext) => Promise<T>): Promise<T> => fn((ctx ??= dingtalkContext(deps, overrides)));
  return {
    verify: (opts = {}) => run((c) => verify(c, opts.signal)),
    findCustomers: (q, opts = {}) => run((c) => findCustomers(c, q, opts.signal)),
    createCustomer: (customer, opts) => run((c) => createCustomer(c, customer, opts)),
    updateCustomer: (id, patch, opts) => run((c) => updateCustomer(c, id, patch, opts)),
    addFollowUp: (id, f, opts) => run((c) => addFollowUp(c, id, f, opts)),
    createDeal: async () => {
      throw new CrmError('unsupported', 'DingTalk CRM: no open API for opportunities', { userMessage: { zh_CN: '钉钉客户管理没有开放商机接口，商机不会同步', en: 'DingTalk CRM has no open API for opportunities; deals are not synced' } });
    },
    createTask: (id, t, opts) => run((c) => createTask(c, id, t, opts)),
    listFields: (opts = {}) => run((c) => listFields(c, opts.signal)),
    // The read side. No conditional update (spec.ts read.conditionalUpdate false): ifMarker is ignored.
    getCustomer: (id, opts = {}) => run((c) => getCustomer(c, id, opts.signal)),
    listFollowUps: (id, opts = {}) => run((c) => listFollowUps(c, id, opts)),
    changesSince: (opts) => run((c) => changesSince(c, opts)),
    // 通知销售人员: one work notice (DingTalk itself drops the same content to the same user twice a day, so a retry after a lost reply does not notify twice).
    notifyPerson: async (userId, n, opts) => {
      await run((c) => sendWorkNotice(c, { userIds: [userId], format: 'markdown', title: n.title, text: `### ${n.title}\n\n${n.text.replace(/\n/g, '  \n')}` }, opts.signal));
    },
  };
}
