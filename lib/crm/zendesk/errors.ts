// Zendesk error bodies → CrmError. http.ts has classified the status already (429 with
// Retry-After as the wait, 401/403 auth, 404 not-found, 400/422 validation, 5xx on a write an
// unknown outcome); this adds Zendesk's words and the field a 422 names, without customer data
// (Zendesk echoes values such as an invalid email), and the user's next step for a rejected token.
// Shapes (developer.zendesk.com "Response format" and the error examples of each endpoint,
// 2026-12-06; zendesk.yaml components Errors/Error):
//   {"error":"RecordInvalid","description":"Record validation errors","details":{"requester":[{"description":"Requester: Email is invalid","error":"InvalidValue"}]}}
//   {"error":"Couldn't authenticate you"}                 (401)
//   {"error":{"title":"Forbidden","message":"You do not have access to this page…"}}   (403)
//   {"error":"RecordNotFound","description":"Not found"}  (404)
//   {"error":"IdempotentRequestError","description":"Request parameters don't match the given idempotency key"} (400)
//   {"errors":[{"code":"…","title":"…","detail":"…"}]}   (newer endpoints)
import { z } from 'zod';
import { CrmError } from '../errors';

const detailItem = z.object({ description: z.string().optional(), error: z.string().optional() }).passthrough();
export const errorBodySchema = z.object({
  error: z.union([z.string(), z.object({ title: z.string().optional(), message: z.string().optional() }).passthrough()]).optional(),
  description: z.string().optional(),
  details: z.record(z.string(), z.array(detailItem)).optional(),
  errors: z.array(z.object({ code: z.string().optional(), title: z.string().optional(), detail: z.string().optional() }).passthrough()).optional(),
});
export type ZendeskErrorBody = z.infer<typeof errorBodySchema>;

export function parseErrorBody(body: unknown): ZendeskErrorBody | undefined {
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

export const IDEMPOTENCY_MISMATCH = 'IdempotentRequestError';

/** The vendor code: RecordInvalid, RecordNotFound, IdempotentRequestError… (the `error` word when it is one). */
function codeOf(b: ZendeskErrorBody | undefined): string | undefined {
  if (typeof b?.error === 'string' && /^[A-Za-z]+$/.test(b.error)) return b.error;
  if (b?.error && typeof b.error === 'object' && b.error.title) return b.error.title.replace(/\s+/g, '');
  return b?.errors?.[0]?.code;
}

/** The fields a 422 names, with Zendesk's description of each ("requester: Requester: Email is invalid"). */
export function fieldProblems(b: ZendeskErrorBody | undefined): string[] {
  return Object.entries(b?.details ?? {}).map(([field, items]) => `${field}: ${items.map((i) => i.description ?? i.error ?? 'invalid').join('; ')}`);
}

export function zendeskError(e: CrmError, b: ZendeskErrorBody | undefined): CrmError {
  const code = codeOf(b);
  const fields = fieldProblems(b).map(redact);
  const words =
    fields.join(' · ') ||
    (typeof b?.error === 'object' ? b.error.message : undefined) ||
    b?.description ||
    (typeof b?.error === 'string' ? b.error : undefined) ||
    b?.errors?.map((x) => x.detail ?? x.title).join('; ') ||
    'no detail';
  const detail = redact(words);
  const message = `Zendesk ${e.status ?? ''} ${code && code !== detail ? `${code}: ` : ''}${detail}`.replace(/\s+/g, ' ').trim();
  const base = {
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(code ? { vendorCode: code } : e.vendorCode ? { vendorCode: e.vendorCode } : {}),
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    cause: e,
  };
  if (e.kind === 'auth' && e.status === 401) {
    return new CrmError('auth', message, {
      ...base,
      userMessage: {
        zh_CN: 'Zendesk 拒绝了登录（401）：邮箱或 API 令牌不对，令牌已被删除，或管理中心里「令牌访问」已关闭。请检查后重新连接',
        en: 'Zendesk rejected the sign-in (401): the email or API token is wrong, the token was deleted, or Token access is off in Admin Center. Check them and reconnect',
      },
    });
  }
  if (e.kind === 'auth') {
    return new CrmError('auth', message, {
      ...base,
      userMessage: { zh_CN: `Zendesk 拒绝了此操作（${e.status}）：这个用户没有相应权限（需要客服或管理员角色）`, en: `Zendesk refused this (${e.status}): this user lacks the permission (an agent or admin role is needed)` },
    });
  }
  if (e.kind === 'validation' && code === IDEMPOTENCY_MISMATCH) {
    return new CrmError('conflict', message, {
      ...base,
      userMessage: { zh_CN: 'Zendesk 拒绝了重试：同一个幂等键此前随不同内容发送过', en: 'Zendesk refused the retry: the same idempotency key was sent earlier with different content' },
    });
  }
  if (e.kind === 'validation') {
    return new CrmError('validation', message, { ...base, userMessage: { zh_CN: `Zendesk 拒绝了这些数据：${detail}`, en: `Zendesk rejected the data: ${detail}` } });
  }
  return new CrmError(e.kind, message, base);
}
