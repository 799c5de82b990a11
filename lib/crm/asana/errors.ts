// Asana error bodies → CrmError. Asana answers every error as ErrorResponse (asana.yaml
// components/schemas/ErrorResponse; developers.asana.com/docs/errors, updated 2025-09-12):
// {errors: [{message, help?, phrase?}]}, e.g. 400 {"errors":[{"message":"workspace: Missing
// input"}]}, 401 {"errors":[{"message":"Not Authorized"}]}, 500 with a `phrase` for Asana support.
// A 400 message names the field before its first colon. http.ts has classified the status (429
// with Retry-After as the wait, 500 on a write as an unknown outcome); this adds Asana's words
// and the field, without customer data, and the user's next step. 402 Payment Required (a premium
// feature on a free workspace) is 'unsupported', not a data problem.
import { z } from 'zod';
import { CrmError } from '../errors';

export const errorBodySchema = z.object({
  errors: z.array(z.object({ message: z.string().optional(), help: z.string().optional(), phrase: z.string().optional() }).passthrough()),
});
export type AsanaErrorBody = z.infer<typeof errorBodySchema>;

export function parseErrorBody(body: unknown): AsanaErrorBody | undefined {
  const p = errorBodySchema.safeParse(body);
  return p.success ? p.data : undefined;
}

/**
 * Emails and phone-like digit runs out (Asana can echo values). A bare run of 13 or more digits is
 * a gid ("Not a recognized ID: 1205000000000001"), kept: it names what was refused, and no phone
 * number is written that way (E.164 numbers carry "+", national ones are shorter).
 */
export function redact(s: string): string {
  return s
    .replace(/[^\s"'<>()[\]{},;:]+@[^\s"'<>()[\]{},;:]+/g, '<email>')
    .replace(/(?<![\d+])\+?\d[\d\s().-]{7,}\d/g, (m) => (/^\d{13,}$/.test(m) ? m : '<number>'))
    .slice(0, 300);
}

/** The fields the messages name ("workspace: Missing input" → workspace). */
export function fieldsOf(b: AsanaErrorBody | undefined): string[] {
  return [...new Set((b?.errors ?? []).flatMap((e) => /^([A-Za-z_][\w.]*):\s/.exec(e.message ?? '')?.[1] ?? []))];
}

export function detailOf(b: AsanaErrorBody | undefined): string {
  return redact((b?.errors ?? []).map((e) => [e.message, e.phrase ? `(phrase: ${e.phrase})` : undefined].filter(Boolean).join(' ')).join('; ') || 'no detail');
}

export function asanaError(e: CrmError, b: AsanaErrorBody | undefined): CrmError {
  const detail = detailOf(b);
  const message = `Asana ${e.status ?? ''} ${detail}`.replace(/\s+/g, ' ').trim();
  const fields = fieldsOf(b);
  const base = {
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(fields.length ? { vendorCode: fields.join(',') } : {}),
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    cause: e,
  };
  if (e.status === 401) {
    return new CrmError('auth', message, {
      ...base,
      userMessage: {
        zh_CN: 'Asana 拒绝了个人访问令牌（401）：令牌已撤销、已过期或粘贴不完整。请在 https://app.asana.com/0/my-apps 创建新令牌并重新连接',
        en: 'Asana rejected the personal access token (401): it was revoked, expired or pasted incompletely. Create a new one at https://app.asana.com/0/my-apps and reconnect',
      },
    });
  }
  if (e.status === 403) {
    return new CrmError('auth', message, {
      ...base,
      userMessage: {
        zh_CN: 'Asana 拒绝了此操作（403）：令牌所属账户不是所选项目的成员，或没有编辑权限。请让项目所有者把你加入项目',
        en: 'Asana refused this (403): the token’s account is not a member of the chosen project or cannot edit it. Ask the project owner to add you',
      },
    });
  }
  if (e.status === 402) {
    return new CrmError('unsupported', message, {
      ...base,
      userMessage: { zh_CN: `此功能需要 Asana 付费版（402）：${detail}`, en: `This needs a paid Asana plan (402): ${detail}` },
    });
  }
  if (e.kind === 'validation') {
    return new CrmError('validation', message, {
      ...base,
      userMessage: { zh_CN: `Asana 拒绝了这些数据：${detail}`, en: `Asana rejected the data: ${detail}` },
    });
  }
  return new CrmError(e.kind, message, base);
}
