// Jira error bodies → CrmError. Jira answers errors as an ErrorCollection (jira.json
// components/schemas/ErrorCollection): {errorMessages: string[], errors: {field: message}}, e.g.
// 400 {"errorMessages":[],"errors":{"priority":"Priority name 'Urgent' is not valid"}}. http.ts has
// classified the status (429 with Retry-After / X-RateLimit-Reset as the wait); this adds Jira's
// words and the fields it names, without customer data (Jira can echo values), and the user's next
// step for a rejected token or a missing permission.
import { z } from 'zod';
import { CrmError } from '../errors';

export const errorBodySchema = z.object({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.string()).optional(),
});
export type JiraErrorBody = z.infer<typeof errorBodySchema>;

export function parseErrorBody(body: unknown): JiraErrorBody | undefined {
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

/** "field: message; …" then the general messages. */
export function detailOf(b: JiraErrorBody | undefined): string {
  const fields = Object.entries(b?.errors ?? {}).map(([k, v]) => `${k}: ${v}`);
  return redact([...fields, ...(b?.errorMessages ?? [])].join('; ') || 'no detail');
}

export function jiraError(e: CrmError, b: JiraErrorBody | undefined): CrmError {
  const detail = detailOf(b);
  const message = `Jira ${e.status ?? ''} ${detail}`.replace(/\s+/g, ' ').trim();
  const fields = Object.keys(b?.errors ?? {});
  const base = {
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(fields.length ? { vendorCode: fields.join(',') } : e.vendorCode ? { vendorCode: e.vendorCode } : {}),
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    cause: e,
  };
  if (e.kind === 'auth' && e.status === 401) {
    return new CrmError('auth', message, {
      ...base,
      userMessage: {
        zh_CN: 'Jira 拒绝了邮箱和 API 令牌（401）：邮箱写错、令牌已过期或已在 id.atlassian.com 撤销。请创建新令牌并重新连接',
        en: 'Jira rejected the email and API token (401): the email is wrong, or the token expired or was revoked at id.atlassian.com. Create a new token and reconnect',
      },
    });
  }
  if (e.kind === 'auth') {
    return new CrmError('auth', message, {
      ...base,
      userMessage: {
        zh_CN: `Jira 拒绝了此操作（${e.status}）：该账户在项目中没有相应权限（创建问题 / 添加评论 / 浏览项目），请联系 Jira 管理员`,
        en: `Jira refused this (${e.status}): the account lacks the permission in the project (Create issues / Add comments / Browse projects); ask a Jira admin`,
      },
    });
  }
  if (e.kind === 'validation') {
    return new CrmError('validation', message, {
      ...base,
      userMessage: { zh_CN: `Jira 拒绝了这些数据：${detail}`, en: `Jira rejected the data: ${detail}` },
    });
  }
  return new CrmError(e.kind, message, base);
}
