// Robot replies become CrmError kinds (lib/crm/errors.ts) so the outbox treats a group message
// like any other write: wait on 'rate-limited', stop and ask on 'auth' or 'validation'. The
// vendor's own code and message are kept (vendorCode, message); userMessage says what to do.
import { CrmError, classifyHttpError, type CrmErrorKind } from '../crm/errors';
import type { Localized } from '../crm/spec';

export function robotError(
  kind: CrmErrorKind,
  vendor: string,
  code: string | number,
  vendorMessage: string,
  user: Localized,
  opts: { status?: number; retryAfterMs?: number } = {},
): CrmError {
  const detail = vendorMessage.slice(0, 200);
  return new CrmError(kind, `${vendor} ${code}: ${detail}`, {
    vendorCode: String(code),
    userMessage: { zh_CN: `${user.zh_CN}（${vendor} ${code}: ${detail}）`, en: `${user.en} (${vendor} ${code}: ${detail})` },
    ...(opts.status !== undefined ? { status: opts.status } : {}),
    ...(opts.retryAfterMs !== undefined ? { retryAfterMs: opts.retryAfterMs } : {}),
  });
}

/** A non-2xx reply without a vendor body we know: the shared HTTP classification (a send is a write). */
export function httpError(status: number, headers: Headers, body: unknown, nowMs: number, defaultRetryAfterMs?: number): CrmError {
  return classifyHttpError(status, headers, body, { write: true, now: nowMs, ...(defaultRetryAfterMs !== undefined ? { defaultRetryAfterMs } : {}) });
}

export const USER = {
  badSign: {
    zh_CN: '签名校验失败：请检查签名密钥是否与机器人安全设置中的一致，以及电脑时间是否准确',
    en: "Signature rejected: check that the secret matches the robot's security settings and that this computer's clock is right",
  },
  keyword: {
    zh_CN: '消息不含机器人设置的自定义关键词：请在机器人设置里填写关键词，或在模板中加入它',
    en: "The message lacks one of the robot's custom keywords: enter the keyword in the robot's settings here or add it to the template",
  },
  ip: {
    zh_CN: '机器人设置了 IP 白名单，本机的出口 IP 不在其中：请改用签名校验',
    en: "The robot only accepts listed IP addresses and this computer's is not one: use signature verification instead",
  },
  gone: {
    zh_CN: 'Webhook 地址无效，或机器人已被移出群、被停用：请重新复制机器人的 Webhook 地址',
    en: 'The webhook address is invalid, or the robot was removed from the group or disabled: copy its webhook address again',
  },
  tooFast: {
    zh_CN: '发送过于频繁，机器人被限流，稍后自动重试',
    en: 'Sent too often; the robot is rate-limited and Liaison will retry later',
  },
  badMessage: {
    zh_CN: '机器人拒绝了消息格式或内容',
    en: 'The robot refused the message format or content',
  },
  busy: {
    zh_CN: '机器人服务暂时不可用，稍后自动重试',
    en: 'The robot service is temporarily unavailable; Liaison will retry',
  },
} satisfies Record<string, Localized>;
