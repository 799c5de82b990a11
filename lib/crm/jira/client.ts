// Every Jira call goes through here: lib/crm/http.ts underneath (limiter, timeout, CrmError
// classification), with
// - Basic auth, base64("email:token") (developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis);
// - X-Atlassian-Token: no-check, Atlassian's documented opt-out of its XSRF filter. It does not
//   cover a browser User-Agent (support.atlassian.com KB "REST API calls with a browser
//   User-Agent header may fail CSRF checks"; stablyai/orca#5957): see docs/jira.md;
// - an observing fetch: X-RateLimit-Remaining 0 cools the connection down until X-RateLimit-Reset
//   (ISO 8601, yyyy-MM-ddTHH:mmZ, "Rate limiting"); a 429's wait (Retry-After, else the reset) and
//   a 503's Retry-After are read by http.ts;
// - the error body read back, so the CrmError carries Jira's words and field names (errors.ts).
import type { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient, type HttpClientOptions } from '../http';
import type { RateLimiter } from '../rate-limiter';
import type { JiraConfig } from './config';
import { jiraError, parseErrorBody, type JiraErrorBody } from './errors';

export interface JiraContext {
  config: JiraConfig;
  limiter: RateLimiter;
  now: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** After a create's unknown outcome: when to search for its label again (issues.ts). */
  reconcileDelaysMs: number[];
  /** createmeta per project/issue type, kept for the adapter instance (fields.ts). */
  metaCache: Map<string, Promise<unknown>>;
}

export interface CallOptions<S extends z.ZodType> {
  json?: unknown;
  searchParams?: Record<string, string | number | boolean | undefined>;
  write?: boolean;
  signal?: AbortSignal | undefined;
  schema: S;
}

/** base64 of UTF-8 text (btoa alone refuses non-Latin-1 characters). */
export function basicAuth(email: string, token: string): string {
  const bytes = new TextEncoder().encode(`${email}:${token}`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function call<S extends z.ZodType>(ctx: JiraContext, method: 'get' | 'post' | 'put', path: string, o: CallOptions<S>): Promise<z.output<S>> {
  const base = ctx.fetch ?? globalThis.fetch;
  let errorBody: JiraErrorBody | undefined;
  let rawError: unknown;
  const observe = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const res = await base(input, init);
    const remaining = Number(res.headers.get('x-ratelimit-remaining') ?? NaN);
    const reset = Date.parse(res.headers.get('x-ratelimit-reset') ?? '');
    if (remaining === 0 && Number.isFinite(reset)) ctx.limiter.coolDown(Math.max(reset, ctx.now() + 1000));
    if (!res.ok) {
      rawError = safeJson(await res.clone().text().catch(() => ''));
      errorBody = parseErrorBody(rawError);
    }
    return res;
  };
  const http = createHttpClient({
    baseUrl: ctx.config.baseUrl,
    limiter: ctx.limiter,
    now: ctx.now,
    fetch: observe as typeof fetch,
    ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
    ...(ctx.onRequest ? { onRequest: ctx.onRequest } : {}),
  });
  try {
    return (await http.request(method, path, {
      headers: { authorization: basicAuth(ctx.config.email, ctx.config.token), accept: 'application/json', 'x-atlassian-token': 'no-check' },
      schema: o.schema,
      ...(o.write ? { write: true } : {}),
      ...(o.json !== undefined ? { json: o.json } : {}),
      ...(o.searchParams ? { searchParams: o.searchParams } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    })) as z.output<S>;
  } catch (e) {
    if (!(e instanceof CrmError) || e.status === undefined) throw e;
    // Jira's XSRF filter answers a plain-text 403 "XSRF check failed": not a permission problem.
    if (e.status === 403 && typeof rawError === 'string' && /XSRF check failed/i.test(rawError)) {
      throw new CrmError('auth', 'Jira 403 XSRF check failed: the request carried a browser User-Agent', {
        status: 403,
        vendorCode: 'XSRF',
        cause: e,
        userMessage: {
          zh_CN: 'Jira 的 XSRF 检查拒绝了请求（浏览器 User-Agent）。这不是权限问题，请更新 Liaison 扩展',
          en: 'Jira’s XSRF check refused the request (browser User-Agent). This is not a permission problem; update the Liaison extension',
        },
      });
    }
    throw jiraError(e, errorBody);
  }
}

/** Jira's times: ISO 8601 with a numeric offset (2026-12-06T10:15:30.000+0800). Epoch ms, or undefined. */
export function parseTime(s: string | null | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(t) ? t : undefined;
}

/** An issue id as Jira issues it (digits), so a stray value never lands in a URL path. */
export function notIssueId(id: string): CrmError | undefined {
  return /^\d+$/.test(id) ? undefined : new CrmError('validation', `Jira: "${id.slice(0, 40)}" is not a Jira issue id`);
}
