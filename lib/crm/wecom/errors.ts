// WeCom replies errors as HTTP 200 {errcode, errmsg} (every YAML's response; 全局错误码 page,
// developer.work.weixin.qq.com/document/path/90313, read 2026-12-06). errcode → CrmError kind:
// - 40014 不合法的access_token, 42001 access_token已过期, 41001 缺少access_token: the token is
//   renewed once (client.ts) and only then reported as auth;
// - 40001 不合法的secret, 40013 不合法的CorpID, 40091 secret不合法: the credentials are wrong;
// - 48002 api forbidden: the app is not in 「客户联系 可调用接口的应用」 (or lacks the API);
// - 60020 not allow to access from your ip: 企业可信IP; 60011 no privilege: visible range;
// - 45009 api freq out of limit: blocked 60 s for a per-minute rule (path/90454), 45033 api
//   concurrent out of limit: wait a moment; -1 系统繁忙: retry;
// - 84061 not external contact, 40096 不合法的外部联系人userid: the contact is gone (not-found);
// - 60111 userid not found: the follow user in the settings; 81013 every recipient invalid;
// - anything else: the request was read and refused (validation).
import { CrmError } from '../errors';
import type { Localized } from '../spec';

export interface WecomFailure {
  errcode: number;
  errmsg: string;
}

/** 45009: "按分钟拦截则被屏蔽60秒" — the reply does not say which rule fired, so wait the minute. */
export const FREQ_WAIT_MS = 60_000;
export const CONCURRENCY_WAIT_MS = 1_000;

const TOKEN = new Set([40014, 42001, 41001]);
const CREDENTIALS = new Set([40001, 40013, 40091, 40056, 40082]);
const NOT_FOUND = new Set([84061, 40096, 40097]);

export function isTokenFailure(errcode: number | undefined): boolean {
  return errcode !== undefined && TOKEN.has(errcode);
}

export const userText = {
  credentials: { zh_CN: '企业微信拒绝了企业ID或应用 Secret，请在管理后台核对后重新填写', en: 'WeCom refused the Corp ID or the app Secret; check them in the admin console and enter them again' },
  forbidden: {
    zh_CN: '企业微信应用没有客户联系接口权限（48002）：请在管理后台「客户与上下游 → 客户联系 → 客户 → API → 可调用接口的应用」中勾选这个自建应用',
    en: 'The WeCom app may not call the Customer Contact APIs (48002): in the admin console tick this self-built app under Customers & Partners → Customer Contact → Customers → API → Apps that can call the API',
  },
  ip: {
    zh_CN: '企业微信拒绝了来自这台电脑 IP 的调用（60020）：请在应用页面最下方「企业可信IP」中加入本机的公网 IP',
    en: 'WeCom refused calls from this computer’s IP address (60020): add your public IP under "Trusted IP of the company" at the bottom of the app page',
  },
  scope: {
    zh_CN: '企业微信应用无权访问该成员（60011）：请把跟进成员加入应用的可见范围和「客户联系」的使用范围',
    en: 'The WeCom app may not access this member (60011): add the follow-up member to the app’s visible range and to Customer Contact’s usage range',
  },
  user: { zh_CN: '设置中的跟进成员账号（userid）在企业微信中不存在，请检查', en: 'The follow-up member’s userid in the options does not exist in WeCom; check it' },
  gone: { zh_CN: '该客户已不是跟进成员的企业微信客户（可能已删除好友），请重新关联', en: 'This customer is no longer the follow-up member’s WeCom contact (perhaps deleted); link it again' },
} satisfies Record<string, Localized>;

/** What a failed reply means for the outbox. `write`: a -1 (系统繁忙) on a write may have been half done. */
export function wecomError(f: WecomFailure, path: string, o: { write?: boolean } = {}): CrmError {
  const message = `WeCom ${path} errcode ${f.errcode}: ${f.errmsg.slice(0, 300)}`;
  const base = { vendorCode: String(f.errcode) };
  const code = f.errcode;
  if (code === 45009) return new CrmError('rate-limited', message, { ...base, retryAfterMs: FREQ_WAIT_MS });
  if (code === 45033) return new CrmError('rate-limited', message, { ...base, retryAfterMs: CONCURRENCY_WAIT_MS });
  if (code === -1) return new CrmError(o.write ? 'unknown-outcome' : 'retryable', message, base);
  if (TOKEN.has(code)) return new CrmError('auth', message, base);
  if (CREDENTIALS.has(code)) return new CrmError('auth', message, { ...base, userMessage: userText.credentials });
  if (code === 48002) return new CrmError('auth', message, { ...base, userMessage: userText.forbidden });
  if (code === 60020) return new CrmError('auth', message, { ...base, userMessage: userText.ip });
  if (code === 60011) return new CrmError('auth', message, { ...base, userMessage: userText.scope });
  if (NOT_FOUND.has(code)) return new CrmError('not-found', message, { ...base, userMessage: userText.gone });
  if (code === 60111) return new CrmError('validation', message, { ...base, userMessage: userText.user });
  return new CrmError('validation', message, base);
}
