// Trello's error replies → CrmError. Trello answers most errors in plain text, not JSON:
// 401 "invalid key" / "invalid token" / "unauthorized token" / "expired token" (the credentials;
// py-trello#367, trello-archive/api-docs#156), 401 "unauthorized permission requested" or
// "unauthorized card permission requested" (a valid token without access to that board: Trello
// says 401, not 403), 400 "invalid id" (bugwarrior#639) and "invalid value for <param>" (the
// parameter named), 404 "The requested resource was not found." The 429 is JSON, "Rate Limits"
// (developer.atlassian.com/cloud/trello/guides/rest-api/rate-limits, Jan 26, 2026):
// {"error":"API_TOKEN_LIMIT_EXCEEDED"|"API_KEY_LIMIT_EXCEEDED","message":"Rate limit exceeded"},
// with no header telling when the window resets: the wait is the documented 10-second window.
// Read 2026-12-06. http.ts has classified the status; this adds Trello's words, the parameter it
// names, and the user's next step.
import { z } from 'zod';
import { CrmError } from '../errors';

/** The token and key limits are per 10-second window ("Rate Limits"). */
export const RATE_WINDOW_MS = 10_000;
/**
 * /1/members/ has its own 100-per-900-seconds limit. Only verify and the board chooser call it
 * (once per adapter), so its 429 holds back that call alone, for a minute, not the connection.
 */
export const MEMBERS_RETRY_MS = 60_000;

const jsonError = z.object({ error: z.string().optional(), message: z.string().optional() }).passthrough();

export interface TrelloErrorBody {
  /** API_TOKEN_LIMIT_EXCEEDED, API_KEY_LIMIT_EXCEEDED, … (the JSON replies' `error`). */
  code?: string;
  text: string;
}

export function parseErrorBody(raw: unknown): TrelloErrorBody | undefined {
  if (typeof raw === 'string') return raw.trim() ? { text: raw.trim().slice(0, 300) } : undefined;
  const p = jsonError.safeParse(raw);
  if (!p.success) return undefined;
  return { ...(p.data.error ? { code: p.data.error } : {}), text: (p.data.message ?? p.data.error ?? '').slice(0, 300) };
}

/** Emails and phone-like digit runs out (Trello can echo values). */
export function redact(s: string): string {
  return s
    .replace(/[^\s"'<>()[\]{},;:]+@[^\s"'<>()[\]{},;:]+/g, '<email>')
    .replace(/(?<![\d+])\+?\d[\d\s().-]{7,}\d/g, '<number>')
    .slice(0, 300);
}

/** The parameter a 400 "invalid value for X" names. */
export const paramOf = (text: string) => /invalid value for (\w+)/i.exec(text)?.[1];

export function trelloError(e: CrmError, b: TrelloErrorBody | undefined): CrmError {
  const detail = redact(b?.text || 'no detail');
  const message = `Trello ${e.status ?? ''} ${b?.code ? `${b.code}: ` : ''}${detail}`.replace(/\s+/g, ' ').trim();
  const base = { ...(e.status !== undefined ? { status: e.status } : {}), cause: e };
  if (e.kind === 'rate-limited') {
    const which = b?.code === 'API_KEY_LIMIT_EXCEEDED' ? 'key' : b?.code === 'API_TOKEN_LIMIT_EXCEEDED' ? 'token' : /member/i.test(detail) ? 'members' : 'token';
    const what = {
      key: { zh: '该 API 密钥每 10 秒 300 次', en: '300 requests per 10 s per API key' },
      token: { zh: '该令牌每 10 秒 100 次', en: '100 requests per 10 s per token' },
      members: { zh: '/1/members 每 900 秒 100 次', en: '100 requests to /1/members per 900 s' },
    }[which];
    return new CrmError('rate-limited', message, {
      ...base,
      vendorCode: b?.code ?? 'RATE_LIMIT_EXCEEDED',
      retryAfterMs: e.retryAfterMs ?? (which === 'members' ? MEMBERS_RETRY_MS : RATE_WINDOW_MS),
      userMessage: { zh_CN: `Trello 限流（${what.zh}），稍后自动重试`, en: `Trello's rate limit (${what.en}); Liaison will wait and retry` },
    });
  }
  if (e.kind === 'auth' && /permission/i.test(detail)) {
    return new CrmError('auth', message, {
      ...base,
      vendorCode: 'PERMISSION',
      userMessage: {
        zh_CN: 'Trello 拒绝了此操作：令牌所属账户不是所选看板的成员或没有编辑权限。请把该账户加入看板，或重新选择看板',
        en: 'Trello refused this: the token’s account is not a member of the chosen board or may not edit it. Add the account to the board, or choose another board',
      },
    });
  }
  if (e.kind === 'auth') {
    return new CrmError('auth', message, {
      ...base,
      vendorCode: /key/i.test(detail) ? 'INVALID_KEY' : 'INVALID_TOKEN',
      userMessage: {
        zh_CN: `Trello 拒绝了 API 密钥或令牌（${e.status}：${detail}）：密钥写错、令牌已撤销或过期，或令牌不是用这个密钥生成的。请按帮助重新生成令牌并重新连接`,
        en: `Trello rejected the API key or token (${e.status}: ${detail}): the key is wrong, the token was revoked or expired, or it was made with another key. Generate a token again as the help says and reconnect`,
      },
    });
  }
  if (e.kind === 'validation') {
    const param = paramOf(detail);
    return new CrmError('validation', message, {
      ...base,
      vendorCode: param ?? e.vendorCode ?? 'INVALID',
      userMessage: {
        zh_CN: `Trello 拒绝了这些数据${param ? `（参数 ${param}）` : ''}：${detail}`,
        en: `Trello rejected the data${param ? ` (parameter ${param})` : ''}: ${detail}`,
      },
    });
  }
  return new CrmError(e.kind, message, { ...base, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}), ...(e.vendorCode ? { vendorCode: e.vendorCode } : {}) });
}
