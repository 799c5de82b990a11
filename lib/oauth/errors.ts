// OAuth failures as CrmErrors, so the options page and the outbox treat them like any other
// CRM failure: 'auth' means "connect again", 'retryable' means the provider had a hiccup.
// Messages carry the OAuth error code and the provider's description, never a code or token.
import { CrmError, type CrmErrorKind } from '../crm/errors';
import type { Localized } from '../crm/spec';

/** RFC 6749 §4.1.2.1 / §5.2 codes, plus Salesforce's own (invalid_client_id, inactive_user…). */
const MESSAGES: Record<string, Localized> = {
  access_denied: { zh_CN: '您在授权页面拒绝了访问，连接未完成', en: 'Access was denied on the authorization page; the connection was not made' },
  invalid_grant: { zh_CN: '授权已失效或被撤销，请重新连接', en: 'The authorization expired or was revoked; connect again' },
  invalid_client: { zh_CN: 'Consumer Key 无效或该应用未启用 OAuth，请检查 Connected App', en: 'The consumer key is invalid or the app has no OAuth enabled; check the connected app' },
  invalid_client_id: { zh_CN: 'Consumer Key 无效，请检查 Connected App', en: 'The consumer key is invalid; check the connected app' },
  redirect_uri_mismatch: { zh_CN: '回调地址不一致：请把设置页显示的 chromiumapp.org 地址填为 Connected App 的 Callback URL', en: 'Callback URL mismatch: set the chromiumapp.org address shown in the options as the connected app’s callback URL' },
  invalid_scope: { zh_CN: '应用未开通所需的权限范围（api、refresh_token）', en: 'The app lacks the required scopes (api, refresh_token)' },
  invalid_request: { zh_CN: '授权请求被拒绝（参数不正确），请检查 Connected App 是否要求 PKCE', en: 'The authorization request was rejected (bad parameters); check the connected app requires PKCE' },
  unsupported_response_type: { zh_CN: '授权服务不支持该授权方式', en: 'The authorization server does not support this flow' },
  inactive_user: { zh_CN: '该用户已停用', en: 'This user is inactive' },
  inactive_org: { zh_CN: '该组织已停用或被锁定', en: 'The organization is inactive or locked' },
  state_mismatch: { zh_CN: '授权回调与本次请求不匹配（可能被篡改），请重试', en: 'The authorization reply does not match this request (possibly forged); try again' },
  flow_cancelled: { zh_CN: '授权窗口已关闭或未能打开，连接未完成', en: 'The authorization window was closed or could not open; the connection was not made' },
};

const RETRYABLE = new Set(['server_error', 'temporarily_unavailable']);

export class OAuthError extends CrmError {
  /** The OAuth error code (access_denied, invalid_grant, state_mismatch…). */
  readonly oauthCode: string;
  constructor(oauthCode: string, description: string | undefined, opts: { status?: number; kind?: CrmErrorKind; cause?: unknown } = {}) {
    const kind = opts.kind ?? (RETRYABLE.has(oauthCode) ? 'retryable' : 'auth');
    const detail = description ? `: ${description.slice(0, 200)}` : '';
    super(kind, `OAuth ${oauthCode}${detail}`, {
      vendorCode: oauthCode,
      ...(MESSAGES[oauthCode] ? { userMessage: MESSAGES[oauthCode] } : {}),
      ...(opts.status !== undefined ? { status: opts.status } : {}),
      ...(opts.cause !== undefined ? { cause: opts.cause } : {}),
    });
    this.oauthCode = oauthCode;
  }
}
