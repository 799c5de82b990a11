// ClickUp error bodies → CrmError. ClickUp answers errors as {err, ECODE} (developer.clickup.com
// "Common Errors", updatedAt 2025-09-04, read 2026-12-06), e.g. 401 {"err":"Token invalid",
// "ECODE":"OAUTH_025"}. http.ts has classified the status (429 with X-RateLimit-Reset as the wait);
// this adds ClickUp's words and code, tells a revoked token from a Workspace the token may not
// reach (both 401 at ClickUp), and turns "Task not found" (ITEM_013, which ClickUp has been seen
// to answer with 401 as well as 404: public clients' tests, see docs/clickup.md) into not-found.
import { z } from 'zod';
import { CrmError } from '../errors';

export const errorBodySchema = z.object({ err: z.string(), ECODE: z.string().optional() }).passthrough();
export type ClickUpErrorBody = z.infer<typeof errorBodySchema>;

export function parseErrorBody(body: unknown): ClickUpErrorBody | undefined {
  const p = errorBodySchema.safeParse(body);
  return p.success ? p.data : undefined;
}

/** Emails and phone-like digit runs out (ClickUp can echo values). */
export function redact(s: string): string {
  return s
    .replace(/[^\s"'<>()[\]{},;:]+@[^\s"'<>()[\]{},;:]+/g, '<email>')
    .replace(/(?<![\d+])\+?\d[\d\s().-]{7,}\d/g, '<number>')
    .slice(0, 300);
}

/** "Token not found" codes: the token was revoked or never existed. */
const TOKEN_CODES = new Set(['OAUTH_017', 'OAUTH_019', 'OAUTH_021', 'OAUTH_025', 'OAUTH_077']);
/** "Team not authorized": OAUTH_023, OAUTH_026, OAUTH_027 and OAUTH_029 to OAUTH_045. */
export function isTeamCode(code: string | undefined): boolean {
  const m = /^OAUTH_(\d{3})$/.exec(code ?? '');
  if (!m) return false;
  const n = Number(m[1]);
  return n === 23 || n === 26 || n === 27 || (n >= 29 && n <= 45);
}
/** Item-not-found codes: ITEM_013 a task, ITEM_015 a list/space the id does not name. */
const NOT_FOUND_CODES = new Set(['ITEM_013', 'ITEM_015']);

export function clickupError(e: CrmError, b: ClickUpErrorBody | undefined): CrmError {
  const code = b?.ECODE;
  const detail = redact(b?.err ?? 'no detail');
  const message = `ClickUp ${e.status ?? ''} ${code ?? ''} ${detail}`.replace(/\s+/g, ' ').trim();
  const base = {
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(code ? { vendorCode: code } : e.vendorCode ? { vendorCode: e.vendorCode } : {}),
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    cause: e,
  };
  if (code && NOT_FOUND_CODES.has(code) && (e.status === 401 || e.status === 404)) return new CrmError('not-found', message, base);
  if (e.kind === 'auth' && (isTeamCode(code) || e.status === 403)) {
    return new CrmError('auth', message, {
      ...base,
      userMessage: {
        zh_CN: `ClickUp 拒绝了此操作（${e.status}${code ? ` ${code}` : ''}）：该令牌的账户无权访问这个工作区或列表。请确认账户是该工作区成员，并能在所选列表中创建任务和评论`,
        en: `ClickUp refused this (${e.status}${code ? ` ${code}` : ''}): the token’s account may not reach this Workspace or List. Check the account is a member of the Workspace and can create tasks and comments in the chosen List`,
      },
    });
  }
  if (e.kind === 'auth') {
    return new CrmError('auth', message, {
      ...base,
      userMessage: {
        zh_CN: `ClickUp 拒绝了 API 令牌（${e.status}${code && TOKEN_CODES.has(code) ? ` ${code}` : ''}）：令牌有误或已重新生成（旧令牌随即失效）。请在 ClickUp 设置 → 应用中复制当前令牌并重新连接`,
        en: `ClickUp rejected the API token (${e.status}${code && TOKEN_CODES.has(code) ? ` ${code}` : ''}): it is wrong or was regenerated (which voids the old one). Copy the current token from ClickUp Settings → Apps and reconnect`,
      },
    });
  }
  if (e.kind === 'validation') {
    return new CrmError('validation', message, { ...base, userMessage: { zh_CN: `ClickUp 拒绝了这些数据：${detail}`, en: `ClickUp rejected the data: ${detail}` } });
  }
  return new CrmError(e.kind, message, base);
}
