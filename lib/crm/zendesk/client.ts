// Every Zendesk call goes through here: lib/crm/http.ts underneath (limiter, timeout, CrmError
// classification, Retry-After on a 429 cooling the whole connection down), with
// - Basic credentials `{email}/token:{api_token}` on every request (developer.zendesk.com
//   "Security and authentication"), never the token in a URL or a message;
// - Accept: application/json on every request (Zendesk's "Requests" page asks for it);
// - an observing fetch that keeps the error body (errors.ts adds Zendesk's words and the field a
//   422 names) and lets a caller read reply headers (x-idempotency-lookup).
import type { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient, type HttpClientOptions } from '../http';
import type { RateLimiter } from '../rate-limiter';
import { basicAuth, type ZendeskConfig } from './config';
import { parseErrorBody, zendeskError, type ZendeskErrorBody } from './errors';

export interface ZendeskContext {
  config: ZendeskConfig;
  limiter: RateLimiter;
  now: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
}

export interface CallOptions<S extends z.ZodType> {
  json?: unknown;
  searchParams?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  write?: boolean;
  signal?: AbortSignal | undefined;
  schema: S;
  /** The reply's headers (a successful reply's), for callers that read one. */
  onHeaders?: (h: Headers) => void;
  /**
   * A 429 here may be one ticket's own limit (Update Ticket: 30 per 10 minutes per user per
   * ticket), not the account's: it fails this call with its Retry-After but does not hold every
   * other request of the connection for up to ten minutes. An account-wide 429 shows on the
   * next other request, which then cools the connection down itself.
   */
  ownLimit?: boolean;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function call<S extends z.ZodType>(ctx: ZendeskContext, method: 'get' | 'post' | 'put', path: string, o: CallOptions<S>): Promise<z.output<S>> {
  const base = ctx.fetch ?? globalThis.fetch;
  let errorBody: ZendeskErrorBody | undefined;
  const observe = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const res = await base(input, init);
    if (!res.ok) errorBody = parseErrorBody(safeJson(await res.clone().text().catch(() => '')));
    else o.onHeaders?.(res.headers);
    return res;
  };
  const limiter: RateLimiter = o.ownLimit ? { acquire: (k, sig) => ctx.limiter.acquire(k, sig), coolDown: () => undefined, cooldownUntil: () => ctx.limiter.cooldownUntil() } : ctx.limiter;
  const http = createHttpClient({
    baseUrl: ctx.config.baseUrl,
    limiter,
    now: ctx.now,
    fetch: observe as typeof fetch,
    ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
    ...(ctx.onRequest ? { onRequest: ctx.onRequest } : {}),
  });
  try {
    return (await http.request(method, path, {
      headers: { authorization: basicAuth(ctx.config), accept: 'application/json', ...o.headers },
      schema: o.schema,
      ...(o.write ? { write: true } : {}),
      ...(o.json !== undefined ? { json: o.json } : {}),
      ...(o.searchParams ? { searchParams: o.searchParams } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    })) as z.output<S>;
  } catch (e) {
    if (!(e instanceof CrmError) || e.status === undefined) throw e;
    throw zendeskError(e, errorBody);
  }
}

/** Zendesk times are ISO 8601 UTC ("2026-12-01T02:30:00Z"). Epoch ms, or undefined. */
export function parseTime(s: string | null | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}

export function notValidId(id: string, what = 'id'): CrmError | undefined {
  return /^\d{1,19}$/.test(id) ? undefined : new CrmError('validation', `Zendesk: "${id.slice(0, 40)}" is not a Zendesk ${what}`);
}
