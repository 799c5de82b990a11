// Every Freshdesk call goes through here: lib/crm/http.ts underneath (limiter, timeout, CrmError
// classification; a 429's Retry-After cools the whole connection down, as Freshdesk's limit is
// per account), with
// - Basic credentials `{api_key}:X` on every request (developers.freshdesk.com/api
//   "Authentication"), never the key in a URL or a message;
// - Accept: application/json (Freshdesk v2 speaks JSON only);
// - an observing fetch that keeps the error body (errors.ts adds Freshdesk's code and the fields
//   it names) and hands a successful reply's headers to callers that page (Link: <…>; rel="next").
import type { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient, type HttpClientOptions } from '../http';
import type { RateLimiter } from '../rate-limiter';
import { basicAuth, type FreshdeskConfig } from './config';
import { freshdeskError, parseErrorBody, type FreshdeskErrorBody } from './errors';

export interface FreshdeskContext {
  config: FreshdeskConfig;
  limiter: RateLimiter;
  now: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** After a create's unknown outcome: when to look for the ticket again (tickets.ts). */
  reconcileDelaysMs: number[];
  /** ticket_fields, kept for the adapter instance (custom status names, types). */
  fieldsCache?: Promise<unknown>;
}

export interface CallOptions<S extends z.ZodType> {
  json?: unknown;
  searchParams?: Record<string, string | number | boolean | undefined>;
  write?: boolean;
  signal?: AbortSignal | undefined;
  schema: S;
  onHeaders?: (h: Headers) => void;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function call<S extends z.ZodType>(ctx: FreshdeskContext, method: 'get' | 'post' | 'put', path: string, o: CallOptions<S>): Promise<z.output<S>> {
  const base = ctx.fetch ?? globalThis.fetch;
  let errorBody: FreshdeskErrorBody | undefined;
  const observe = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const res = await base(input, init);
    if (!res.ok) errorBody = parseErrorBody(safeJson(await res.clone().text().catch(() => '')));
    else o.onHeaders?.(res.headers);
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
      headers: { authorization: basicAuth(ctx.config.apiKey), accept: 'application/json' },
      schema: o.schema,
      ...(o.write ? { write: true } : {}),
      ...(o.json !== undefined ? { json: o.json } : {}),
      ...(o.searchParams ? { searchParams: o.searchParams } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    })) as z.output<S>;
  } catch (e) {
    if (!(e instanceof CrmError) || e.status === undefined) throw e;
    throw freshdeskError(e, errorBody);
  }
}

/** The next page's path from a Link header (`<https://x.freshdesk.com/api/v2/tickets?page=2>; rel="next"`). */
export function nextPage(link: string | null | undefined): string | undefined {
  const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link ?? '');
  if (!m) return undefined;
  try {
    const u = new URL(m[1]!);
    return `${u.pathname.replace(/^\//, '')}${u.search}`;
  } catch {
    return undefined;
  }
}

/** Freshdesk times are ISO 8601 UTC ("2026-12-01T02:30:00Z"). Epoch ms, or undefined. */
export function parseTime(s: string | null | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}

export function notValidId(id: string, what = 'ticket id'): CrmError | undefined {
  return /^\d{1,19}$/.test(id) ? undefined : new CrmError('validation', `Freshdesk: "${id.slice(0, 40)}" is not a Freshdesk ${what}`);
}
