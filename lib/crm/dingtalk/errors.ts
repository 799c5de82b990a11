// DingTalk error bodies on top of the vendor-neutral classification (lib/crm/errors.ts).
// New API (api.dingtalk.com): HTTP 4xx/5xx {code, message, requestid}; most business refusals
// are HTTP 400 with a code, so the HTTP status alone misleads (a 400 request.too.frequent is a
// rate limit, a 400 crmAppNotExisted means the CRM app is off). Old API (oapi.dingtalk.com):
// HTTP 200 {errcode, errmsg}. Codes from the pages cited in spec.ts (error tables of
// add-crm-personal-customers and obtains-crm-individual-customers…, the throttling page).
import { z } from 'zod';
import { CrmError } from '../errors';
import type { Localized } from '../spec';

const newBody = z.object({ code: z.string(), message: z.string().optional(), requestid: z.string().optional() }).passthrough();
export interface DingtalkFailure {
  code: string;
  message?: string;
  requestid?: string;
}
export function parseFailure(body: unknown): DingtalkFailure | undefined {
  const p = newBody.safeParse(body);
  if (!p.success) return undefined;
  return { code: p.data.code, ...(p.data.message ? { message: p.data.message } : {}), ...(p.data.requestid ? { requestid: p.data.requestid } : {}) };
}

/** The documented "sleep 1 s" for the per-second limits. */
export const QPS_WAIT_MS = 1000;
const QPS = new Set(['Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', 'Forbidden.AccessDenied.QpsLimitForApi', 'request.too.frequent', 'system.busy', '90018', '90002']);
const QUOTA = new Set(['Forbidden.AccessDenied.ApiCountLimitForOrg', '90020']);
const DAILY = new Set(['daily.call.limit']);
const TOKEN = new Set(['InvalidAuthentication', '40014', '42001', '88']);
const PERMISSION = new Set(['Forbidden.AccessDenied.AccessTokenPermissionDenied', 'systemError.notPermittedAccess', 'no.permission', 'noPermission.to.setField', '60011']);
/** The app restricts its callers' IPs (服务器出口IP): old API errcode 88 with sub_code 60020 (a third-party note; not on the pages we read). */
const IP = new Set(['60020']);
const NO_CRM = new Set(['crmAppNotExisted', 'crmApp.not.installed', 'systemError.appNotExists']);
const CONFLICT = new Set(['same.data.exists', 'duplicate.operation']);
const USER = new Set(['creatorUserId.not.exists', 'operatorUserId.not.exist', '60121']);

export function isTokenFailure(code: string | undefined): boolean {
  return code !== undefined && TOKEN.has(code);
}

const userText = {
  noCrm: { zh_CN: '该钉钉组织未开通「客户管理」应用，或应用没有客户管理权限：请在工作台开通客户管理，并在开发者后台为应用申请 CRM 主数据读写权限', en: 'This DingTalk organisation has no CRM app (客户管理) enabled, or the app lacks CRM permissions: enable 客户管理 in the workbench and grant the app the CRM master-data read/write permissions' },
  permission: { zh_CN: '钉钉应用缺少所需权限：请在开发者后台「权限管理」中申请后重新发布应用', en: 'The DingTalk app lacks a permission it needs: request it under Permission management in the developer console and publish the app again' },
  quota: { zh_CN: '本组织本月的钉钉接口调用次数已用完（标准版每月 5000 次），升级钉钉版本或下月再试', en: 'The organisation used up its DingTalk API calls for this month (5,000 on the standard edition); upgrade the edition or wait for next month' },
  daily: { zh_CN: '今天的钉钉客户管理接口调用次数已达上限，明天自动重试', en: 'Today’s DingTalk CRM call limit is reached; Liaison retries tomorrow' },
  ip: { zh_CN: '钉钉应用设置了服务器出口 IP 白名单，本机的 IP 不在其中：请在开发者后台应用的「开发配置」中清空或加入本机出口 IP', en: 'The DingTalk app has a server egress IP allow-list that does not include this computer’s IP: clear it or add this IP under the app’s development settings in the developer console' },
  user: { zh_CN: '设置中的钉钉 userId 不是本组织的成员，请检查「你的钉钉 userId」', en: 'The DingTalk userId in the options is not a member of this organisation; check "Your DingTalk userId"' },
  conflict: { zh_CN: '钉钉客户管理中已有相同的客户（按组织的查重规则）', en: 'DingTalk CRM already has the same customer (by the organisation’s duplicate-check rules)' },
} satisfies Record<string, Localized>;

/** Milliseconds until the next midnight in China (UTC+8), when a daily limit resets. */
export function untilChinaMidnight(now: number): number {
  const day = 86_400_000;
  const local = now + 8 * 3_600_000;
  return day - (local % day);
}

/** `e` (from http.ts, or a synthetic one for a 200 failure) re-made with what DingTalk said. */
export function dingtalkError(f: DingtalkFailure | undefined, e: CrmError | undefined, now: number, write = false): CrmError {
  if (!f) return e ?? new CrmError('validation', 'DingTalk: unexpected reply');
  const message = `DingTalk${e?.status !== undefined ? ` HTTP ${e.status}` : ''} ${f.code}: ${(f.message ?? '').slice(0, 300)}${f.requestid ? ` (requestid ${f.requestid})` : ''}`;
  const base = { vendorCode: f.code, ...(e?.status !== undefined ? { status: e.status } : {}), ...(e ? { cause: e } : {}) };
  if (QPS.has(f.code)) return new CrmError('rate-limited', message, { ...base, retryAfterMs: QPS_WAIT_MS });
  if (DAILY.has(f.code)) return new CrmError('rate-limited', message, { ...base, retryAfterMs: untilChinaMidnight(now), userMessage: userText.daily });
  if (QUOTA.has(f.code)) return new CrmError('rate-limited', message, { ...base, retryAfterMs: 3_600_000, userMessage: userText.quota });
  if (TOKEN.has(f.code)) return new CrmError('auth', message, base);
  if (IP.has(f.code)) return new CrmError('auth', message, { ...base, userMessage: userText.ip });
  if (PERMISSION.has(f.code)) return new CrmError('auth', message, { ...base, userMessage: userText.permission });
  if (NO_CRM.has(f.code)) return new CrmError('unsupported', message, { ...base, userMessage: userText.noCrm });
  if (CONFLICT.has(f.code)) return new CrmError('conflict', message, { ...base, userMessage: userText.conflict });
  if (USER.has(f.code)) return new CrmError('validation', message, { ...base, userMessage: userText.user });
  if (e) return new CrmError(e.kind, message, { ...base, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) });
  // A failure inside a 200 (old API errcode, a batch item): the request was read and refused.
  return new CrmError(write && /^5\d\d$|system/i.test(f.code) ? 'unknown-outcome' : 'validation', message, base);
}
