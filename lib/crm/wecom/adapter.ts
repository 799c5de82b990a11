// The WeCom 客户联系 adapter (background only): the follow user's contacts found, linked, read
// and annotated (customers.ts, tags.ts), 日程 as tasks (tasks.ts), the writable fields for the
// mapping editor (fields.ts) and verify. Auth: corpid + the app secret trade for an access token
// (session.ts, single flight). No customer creation, follow-ups or deals: WeCom has no API for
// them (spec.ts). The context is built at the first operation, so a factory call with incomplete
// settings (the registry meta-test) never throws.
import type { HttpClientOptions } from '../http';
import type { AdapterDeps, CrmAdapter, CrmFieldList, OpOptions } from '../port';
import { CrmError } from '../errors';
import { limiterFor } from '../rate-limiter';
import { createContextHttp, type WecomContext } from './client';
import { readConfig } from './config';
import { createCustomer, findCustomers, getCustomer, updateCustomer } from './customers';
import { listFields } from './fields';
import { wecomSessionFor } from './session';
import { wecomSpec } from './spec';
import { createTask } from './tasks';
import { verify } from './verify';
import { sendAppMessage } from './app-message';

export interface WecomAdapterOverrides {
  /** Origin instead of https://qyapi.weixin.qq.com (the emulator in tests). */
  base?: string;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
}

export type WecomAdapter = CrmAdapter & Required<Pick<CrmAdapter, 'getCustomer'>> & { listFields(opts?: OpOptions): Promise<CrmFieldList> };

/** The per-connection context (settings, session, limiter), shared with the app-message sender. */
export function wecomContext(deps: AdapterDeps, overrides: WecomAdapterOverrides = {}): WecomContext {
  const config = readConfig(deps, overrides.base ? { base: overrides.base } : {});
  const { requestsPerSecond, burst, concurrentWrites } = wecomSpec.rateLimit;
  const limiter = limiterFor(`wecom:${deps.connection.id}`, { requestsPerSecond, burst, concurrentWrites, now: deps.now });
  const io = { base: config.base, limiter, now: deps.now, ...(deps.fetch ? { fetch: deps.fetch } : {}), ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}) };
  return {
    config,
    session: wecomSessionFor(deps.connection.id, { ...io, corpid: config.corpid, secret: config.secret }),
    limiter,
    now: deps.now,
    http: createContextHttp({ ...io, ...(overrides.onRequest ? { onRequest: overrides.onRequest } : {}) }),
    memo: new Map(),
  };
}

const unsupported = (what: string, zh: string, en: string) => async (): Promise<never> => {
  throw new CrmError('unsupported', `WeCom: ${what}`, { userMessage: { zh_CN: zh, en } });
};

export function createWecomAdapter(deps: AdapterDeps, overrides: WecomAdapterOverrides = {}): WecomAdapter {
  let ctx: WecomContext | undefined;
  const run = async <T>(fn: (c: WecomContext) => Promise<T>): Promise<T> => fn((ctx ??= wecomContext(deps, overrides)));
  return {
    verify: (opts = {}) => run((c) => verify(c, opts.signal)),
    findCustomers: (q, opts = {}) => run((c) => findCustomers(c, q, opts.signal)),
    createCustomer: (customer, opts) => run((c) => createCustomer(c, customer, opts)),
    updateCustomer: (id, patch, opts) => run((c) => updateCustomer(c, id, patch, opts)),
    addFollowUp: unsupported(
      'no follow-up record API for self-built apps',
      '企业微信没有开放「跟进记录」接口，跟进记录只保存在 Liaison（客户描述仍按字段映射同步）',
      'WeCom has no follow-up record API; follow-ups stay in Liaison (the contact’s description still syncs per the field mapping)',
    ),
    createDeal: unsupported('no deal/opportunity object', '企业微信客户联系没有商机对象，商机不会同步', 'WeCom Customer Contact has no deal object; deals are not synced'),
    createTask: (id, t, opts) => run((c) => createTask(c, id, t, opts)),
    listFields: (opts = {}) => run((c) => listFields(c, opts.signal)),
    // The read side: no change feed and no conditional update (spec.ts read); ifMarker is ignored.
    getCustomer: (id, opts = {}) => run((c) => getCustomer(c, id, opts.signal)),
    // 通知销售人员: one application message, duplicate-checked by WeCom for 30 minutes (a retry after a lost reply is not delivered twice).
    notifyPerson: async (userId, n, opts) => {
      const r = await run((c) => sendAppMessage(c, { userIds: [userId], text: `${n.title}\n${n.text}` }, opts.signal));
      if (r.undelivered.length)
        throw new CrmError('validation', `WeCom did not deliver to ${r.undelivered.join(', ')}`, {
          vendorCode: 'UNDELIVERED',
          userMessage: { zh_CN: `企业微信未投递给 ${r.undelivered.join('、')}：他不在应用的可见范围内或没有许可`, en: `WeCom did not deliver to ${r.undelivered.join(', ')}: not in the app's visible range or unlicensed` },
        });
    },
  };
}
