// Freshdesk error bodies → CrmError. http.ts has classified the status (429 with Retry-After as
// the wait, 401/403 auth, 404 not-found, 409 conflict, 400 validation, 5xx on a write an unknown
// outcome); this adds Freshdesk's code and the fields it names, without customer data (Freshdesk
// echoes no values, but a message could), and the user's next step.
// Shapes (developers.freshdesk.com/api "Error" section, read 2026-12-06; the same fields in
// jscarle/Freshdesk.NET Core/ErrorField.cs):
//   400 {"description":"Validation failed","errors":[{"field":"email","message":"It should be a valid email address","code":"invalid_value"}]}
//   409 {"description":"Validation failed","errors":[{"field":"email","additional_info":{"user_id":5},"message":"It should be a unique value","code":"duplicate_value"}]}
//   401 {"code":"invalid_credentials","message":"You have to be logged in to perform this action."}
//   403 {"code":"access_denied","message":"You are not authorized to perform this action."}
//   404 (no body)
import { z } from 'zod';
import { CrmError } from '../errors';

const fieldError = z.object({ field: z.string().optional(), message: z.string().optional(), code: z.string().optional(), additional_info: z.record(z.string(), z.unknown()).optional() }).passthrough();
export const errorBodySchema = z.object({
  description: z.string().optional(),
  errors: z.array(fieldError).optional(),
  code: z.string().optional(),
  message: z.string().optional(),
});
export type FreshdeskErrorBody = z.infer<typeof errorBodySchema>;

export function parseErrorBody(body: unknown): FreshdeskErrorBody | undefined {
  const p = errorBodySchema.safeParse(body);
  return p.success ? p.data : undefined;
}

/** Emails and phone-like digit runs out. */
export function redact(s: string): string {
  return s
    .replace(/[^\s"'<>()[\]{},;:]+@[^\s"'<>()[\]{},;:]+/g, '<email>')
    .replace(/(?<![\d+])\+?\d[\d\s().-]{7,}\d/g, '<number>')
    .slice(0, 300);
}

/** Each error the body names: "email: It should be a valid email address (invalid_value)". */
export function detailOf(b: FreshdeskErrorBody | undefined): string {
  const fields = (b?.errors ?? []).map((x) => `${x.field ? `${x.field}: ` : ''}${x.message ?? 'invalid'}${x.code ? ` (${x.code})` : ''}`);
  return redact(fields.join('; ') || b?.message || b?.description || 'no detail');
}

/** The CrmError's body, for callers that read more of it (a 409's additional_info.user_id). */
const bodies = new WeakMap<CrmError, FreshdeskErrorBody>();
export const errorBodyOf = (e: CrmError): FreshdeskErrorBody | undefined => bodies.get(e);

export function freshdeskError(e: CrmError, b: FreshdeskErrorBody | undefined): CrmError {
  const detail = detailOf(b);
  const code = b?.errors?.[0]?.code ?? b?.code;
  const fields = (b?.errors ?? []).map((x) => x.field).filter((f): f is string => !!f);
  const message = `Freshdesk ${e.status ?? ''} ${detail}`.replace(/\s+/g, ' ').trim();
  const base = {
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(code ? { vendorCode: code } : e.vendorCode ? { vendorCode: e.vendorCode } : {}),
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    cause: e,
  };
  const out = (() => {
    if (e.kind === 'auth' && e.status === 401) {
      return new CrmError('auth', message, {
        ...base,
        userMessage: {
          zh_CN: 'Freshdesk 拒绝了 API 密钥（401）：密钥不对、已重置，或该账户的密码已修改。请在「个人资料设置」→「查看 API 密钥」中复制新的密钥并重新连接',
          en: 'Freshdesk rejected the API key (401): it is wrong, was reset, or the agent’s password changed. Copy the key again from Profile settings → View API key and reconnect',
        },
      });
    }
    if (e.kind === 'auth' && code === 'account_suspended') {
      return new CrmError('auth', message, { ...base, userMessage: { zh_CN: '这个 Freshdesk 账户已被暂停，请联系账户管理员', en: 'This Freshdesk account is suspended; contact its admin' } });
    }
    if (e.kind === 'auth') {
      return new CrmError('auth', message, {
        ...base,
        userMessage: {
          zh_CN: `Freshdesk 拒绝了此操作（${e.status}${code ? ` ${code}` : ''}）：该客服账户没有相应权限（创建工单 / 编辑联系人 / 添加备注），或此功能未开启。请联系 Freshdesk 管理员`,
          en: `Freshdesk refused this (${e.status}${code ? ` ${code}` : ''}): the agent lacks the permission (create tickets / edit contacts / add notes) or the feature is off. Ask a Freshdesk admin`,
        },
      });
    }
    if (e.kind === 'validation' || (e.kind === 'conflict' && fields.length)) {
      return new CrmError(e.kind, message, {
        ...base,
        userMessage: { zh_CN: `Freshdesk 拒绝了这些数据：${detail}`, en: `Freshdesk rejected the data: ${detail}` },
      });
    }
    return new CrmError(e.kind, message, base);
  })();
  if (b) bodies.set(out, b);
  return out;
}
