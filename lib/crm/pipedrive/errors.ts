// Pipedrive error bodies {success:false, error, error_info?, errorCode?, data?} (v1 and v2 alike;
// OpenAPI v1 /users/me 401 reply; shared/reference/crm-apis.md § Pipedrive) → CrmError. http.ts
// has classified the status already (429 with Retry-After or x-ratelimit-reset as the wait);
// this adds the vendor's words, without customer data (Pipedrive can echo values), and the
// user's next step for a rejected token.
import { z } from 'zod';
import { CrmError } from '../errors';

export const errorBodySchema = z.object({
  success: z.literal(false).optional(),
  error: z.string().optional(),
  error_info: z.string().optional(),
  errorCode: z.union([z.number(), z.string()]).optional(),
});
export type PipedriveErrorBody = z.infer<typeof errorBodySchema>;

export function parseErrorBody(body: unknown): PipedriveErrorBody | undefined {
  const p = errorBodySchema.safeParse(body);
  return p.success ? p.data : undefined;
}

/** Emails and phone-like digit runs out. */
export function redact(s: string): string {
  return s
    .replace(/[^\s"'<>()[\]{},;:]+@[^\s"'<>()[\]{},;:]+/g, '<email>')
    .replace(/(?<![\d+])\+?\d[\d\s().-]{5,}\d/g, '<number>')
    .slice(0, 300);
}

export function pipedriveError(e: CrmError, b: PipedriveErrorBody | undefined): CrmError {
  const detail = redact(b?.error || 'no detail');
  const message = `Pipedrive ${e.status ?? ''} ${detail}`.replace(/\s+/g, ' ').trim();
  const base = {
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(b?.errorCode !== undefined ? { vendorCode: String(b.errorCode) } : e.vendorCode ? { vendorCode: e.vendorCode } : {}),
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    cause: e,
  };
  if (e.kind === 'auth' && e.status === 401) {
    return new CrmError('auth', message, {
      ...base,
      userMessage: {
        zh_CN: 'Pipedrive 拒绝了 API 令牌（401）：令牌错误，或已在「个人偏好设置 → API」中重新生成。请复制当前令牌并重新连接',
        en: 'Pipedrive rejected the API token (401): it is wrong or was regenerated under Personal preferences → API. Copy the current token and reconnect',
      },
    });
  }
  if (e.kind === 'auth') {
    return new CrmError('auth', message, {
      ...base,
      userMessage: { zh_CN: `Pipedrive 拒绝了此操作（${e.status}）：你的用户没有相应权限，请联系公司管理员`, en: `Pipedrive refused this (${e.status}): your user lacks the permission; ask a company admin` },
    });
  }
  if (e.kind === 'validation') {
    return new CrmError('validation', message, { ...base, userMessage: { zh_CN: `Pipedrive 拒绝了这些数据：${detail}`, en: `Pipedrive rejected the data: ${detail}` } });
  }
  return new CrmError(e.kind, message, base);
}
