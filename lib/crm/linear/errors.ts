// Linear's error replies → CrmError. Linear answers GraphQL errors as {errors: [{message, path,
// extensions: {type, code, statusCode, userError, userPresentableMessage, …}}]}: the `type`
// strings are the ones @linear/sdk maps (linear/linear packages/sdk/src/error.ts: "authentication
// error", "forbidden", "ratelimited", "invalid input", "feature not accessible", "usage limit
// exceeded", "lock timeout", "internal error", "graphql error", "user error"…), `code` the upper-
// case form (RATELIMITED, AUTHENTICATION_ERROR, FORBIDDEN, INPUT_ERROR, GRAPHQL_VALIDATION_FAILED).
// The HTTP status varies (400 with the error in the body, 401/403/429, 5xx): the body decides
// where it has errors, the status where it has none (as the SDK's parseLinearError does). The
// field a refusal names comes from extensions.validationErrors[].property (an argument
// validation error), else from the message. No customer data in messages: Linear can echo values.
import { z } from 'zod';
import { CrmError } from '../errors';

export const gqlErrorSchema = z
  .object({
    message: z.string(),
    path: z.array(z.union([z.string(), z.number()])).optional(),
    extensions: z
      .object({
        type: z.string().optional(),
        code: z.string().optional(),
        statusCode: z.number().optional(),
        userError: z.boolean().optional(),
        userPresentableMessage: z.string().optional(),
        validationErrors: z.array(z.object({ property: z.string().optional(), constraints: z.record(z.string(), z.string()).optional() }).passthrough()).optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();
export type LinearGqlError = z.infer<typeof gqlErrorSchema>;

/** The errors array of a reply body, when it has one. */
export function errorsOf(body: unknown): LinearGqlError[] | undefined {
  const p = z.object({ errors: z.array(gqlErrorSchema).min(1) }).safeParse(body);
  return p.success ? p.data.errors : undefined;
}

/** Emails and phone-like digit runs out. */
export function redact(s: string): string {
  return s
    .replace(/[^\s"'<>()[\]{},;:]+@[^\s"'<>()[\]{},;:]+/g, '<email>')
    .replace(/(?<![\d+])\+?\d[\d\s().-]{7,}\d/g, '<number>')
    .slice(0, 300);
}

/** The input fields an error names (argument validation errors). */
export function fieldsOf(e: LinearGqlError): string[] {
  return [...new Set((e.extensions?.validationErrors ?? []).map((v) => v.property).filter((p): p is string => !!p))];
}

const kindOf = (e: LinearGqlError): string => `${e.extensions?.type ?? ''}|${e.extensions?.code ?? ''}`.toLowerCase();

export interface ErrorContext {
  status?: number | undefined;
  write: boolean;
  /** The wait the reply's rate-limit headers ask for (client.ts). */
  retryAfterMs?: number | undefined;
}

export function linearError(errors: LinearGqlError[] | undefined, c: ErrorContext): CrmError {
  const e = errors?.[0];
  const words = e ? redact(e.extensions?.userPresentableMessage ?? e.message) : `HTTP ${c.status ?? '?'}`;
  const fields = e ? fieldsOf(e) : [];
  const k = e ? kindOf(e) : '';
  const message = `Linear${c.status ? ` ${c.status}` : ''}${e?.extensions?.code ? ` ${e.extensions.code}` : ''}: ${redact(e?.message ?? words)}${fields.length ? ` (${fields.join(', ')})` : ''}`;
  const base = {
    ...(c.status !== undefined ? { status: c.status } : {}),
    ...(fields.length ? { vendorCode: fields.join(',') } : e?.extensions?.code ? { vendorCode: e.extensions.code } : {}),
  };
  const status = c.status ?? 0;
  if (/ratelimited/.test(k) || (!e && status === 429)) {
    return new CrmError('rate-limited', message, { ...base, vendorCode: 'RATELIMITED', ...(c.retryAfterMs !== undefined ? { retryAfterMs: c.retryAfterMs } : {}) });
  }
  if (/authentication/.test(k) || (!e && status === 401)) {
    return new CrmError('auth', message, {
      ...base,
      userMessage: {
        zh_CN: 'Linear 拒绝了 API 密钥：密钥有误、已过期或已在 设置 → 账户 → 安全与访问 中撤销。请创建新密钥并重新连接',
        en: 'Linear rejected the API key: it is wrong, expired, or was revoked under Settings → Account → Security & access. Create a new key and reconnect',
      },
    });
  }
  if (/forbidden/.test(k) || (!e && status === 403)) {
    return new CrmError('auth', message, {
      ...base,
      userMessage: {
        zh_CN: `Linear 拒绝了此操作（${words}）：API 密钥没有相应权限（Read / Create issues / Create comments）或不能访问该团队。请换一个权限足够的密钥`,
        en: `Linear refused this (${words}): the API key lacks the permission (Read / Create issues / Create comments) or access to the team. Use a key with enough permissions`,
      },
    });
  }
  if (e && /entity not found|could not find referenced/i.test(`${e.message} ${e.extensions?.userPresentableMessage ?? ''}`)) {
    return new CrmError('not-found', message, base);
  }
  if (/lock timeout/.test(k)) return new CrmError('retryable', message, base);
  if (/usage limit exceeded|feature not accessible/.test(k)) {
    return new CrmError('validation', message, { ...base, userMessage: { zh_CN: `Linear 工作区的套餐不允许此操作：${words}`, en: `The Linear workspace’s plan does not allow this: ${words}` } });
  }
  if (/internal error/.test(k) || status >= 500) {
    if (c.write && status !== 503) return new CrmError('unknown-outcome', message, base);
    return new CrmError('retryable', message, { ...base, ...(c.retryAfterMs !== undefined ? { retryAfterMs: c.retryAfterMs } : {}) });
  }
  if (e || (status >= 400 && status < 500)) {
    return new CrmError('validation', message, { ...base, userMessage: { zh_CN: `Linear 拒绝了这些数据：${words}${fields.length ? `（${fields.join('、')}）` : ''}`, en: `Linear rejected the data: ${words}${fields.length ? ` (${fields.join(', ')})` : ''}` } });
  }
  return new CrmError(c.write ? 'unknown-outcome' : 'retryable', message, base);
}
