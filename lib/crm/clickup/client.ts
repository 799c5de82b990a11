// Every ClickUp call goes through here: lib/crm/http.ts underneath (limiter, timeout, CrmError
// classification), with
// - the personal token as the whole Authorization header, no "Bearer" (developer.clickup.com
//   "Authentication": `Authorization: pk_…`);
// - an observing fetch: X-RateLimit-Remaining 0 cools the connection down until X-RateLimit-Reset
//   (a Unix timestamp in seconds, "Rate Limits"); a 429's wait is read by http.ts from the same
//   header;
// - the error body read back, so the CrmError carries ClickUp's words and ECODE (errors.ts).
import type { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient, type HttpClientOptions } from '../http';
import type { RateLimiter } from '../rate-limiter';
import type { ClickUpConfig } from './config';
import { clickupError, parseErrorBody, type ClickUpErrorBody } from './errors';

export interface ClickUpContext {
  config: ClickUpConfig;
  limiter: RateLimiter;
  now: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** After a create's unknown outcome: when to look for its tag again (tasks.ts). */
  reconcileDelaysMs: number[];
  /** The chosen list's space check, kept for the adapter instance (fields.ts). */
  listCache: Map<string, Promise<unknown>>;
}

export interface CallOptions<S extends z.ZodType> {
  json?: unknown;
  searchParams?: Record<string, string | number | boolean | readonly string[] | undefined>;
  headers?: Record<string, string>;
  write?: boolean;
  signal?: AbortSignal | undefined;
  schema: S;
}

/**
 * When a window whose Remaining is 0 opens again: X-RateLimit-Reset in Unix seconds ("Rate
 * Limits"); read as milliseconds if it is that large, and never more than a window (a minute)
 * plus slack ahead, so a header ClickUp changed cannot stall the connection for good.
 */
export function resetAt(reset: number, now: number): number {
  const at = reset > 1e12 ? reset : reset * 1000;
  return Math.min(Math.max(at, now + 1000), now + 65_000);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Query text with repeated keys for arrays (`tags[]=a&tags[]=b`, ClickUp's form). */
export function queryPath(path: string, params: CallOptions<z.ZodType>['searchParams']): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) q.append(k, String(x));
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export async function call<S extends z.ZodType>(ctx: ClickUpContext, method: 'get' | 'post' | 'put', path: string, o: CallOptions<S>): Promise<z.output<S>> {
  const base = ctx.fetch ?? globalThis.fetch;
  let errorBody: ClickUpErrorBody | undefined;
  const observe = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const res = await base(input, init);
    const remaining = Number(res.headers.get('x-ratelimit-remaining') ?? NaN);
    const reset = Number(res.headers.get('x-ratelimit-reset') ?? NaN);
    if (remaining === 0 && Number.isFinite(reset)) ctx.limiter.coolDown(resetAt(reset, ctx.now()));
    if (!res.ok) errorBody = parseErrorBody(safeJson(await res.clone().text().catch(() => '')));
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
    return (await http.request(method, queryPath(path, o.searchParams), {
      headers: { authorization: ctx.config.token, accept: 'application/json', ...o.headers },
      schema: o.schema,
      ...(o.write ? { write: true } : {}),
      ...(o.json !== undefined ? { json: o.json } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    })) as z.output<S>;
  } catch (e) {
    if (!(e instanceof CrmError) || e.status === undefined) throw e;
    throw clickupError(e, errorBody);
  }
}

/** ClickUp's times: epoch milliseconds as a string ("1567780450202"). Epoch ms, or undefined. */
export function parseTime(s: string | number | null | undefined): number | undefined {
  if (s === null || s === undefined || s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** A task id as ClickUp issues it (letters and digits, "86b1x2y3z"), so a stray value never lands in a URL path. */
export function notTaskId(id: string): CrmError | undefined {
  return /^[A-Za-z0-9]{1,32}$/.test(id) ? undefined : new CrmError('validation', `ClickUp: "${id.slice(0, 40)}" is not a ClickUp task id`);
}
