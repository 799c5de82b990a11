// Every Pipedrive call goes through here: lib/crm/http.ts underneath (limiter, timeout, CrmError
// classification), with
// - the API token in the x-api-token header (pipedrive.readme.io "Authentication": for all
//   requests, v1 and v2), never in the URL where logs and proxies keep it;
// - two limiters per connection: the general one (20 per 2 s at the lowest plan) and a search
//   lane (10 per 2 s, Pipedrive's separate search limit) that search calls take first;
// - an observing fetch: x-ratelimit-remaining 0 cools the lane down for x-ratelimit-reset
//   seconds before the next call is refused; a 429's wait is Retry-After (else the reset) —
//   http.ts reads both;
// - the error body read back, so the CrmError carries Pipedrive's words (errors.ts).
import type { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient, type HttpClientOptions } from '../http';
import type { RateLimiter } from '../rate-limiter';
import type { PipedriveConfig } from './config';
import { parseErrorBody, pipedriveError, type PipedriveErrorBody } from './errors';

export interface PipedriveContext {
  config: PipedriveConfig;
  general: RateLimiter;
  search: RateLimiter;
  now: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** The company's custom fields per entity (fields.ts), kept for the adapter instance. */
  fieldCache: Map<string, Promise<unknown>>;
}

export interface CallOptions<S extends z.ZodType> {
  json?: unknown;
  searchParams?: Record<string, string | number | boolean | undefined>;
  write?: boolean;
  search?: boolean;
  signal?: AbortSignal | undefined;
  schema: S;
}

function lane(search: RateLimiter, general: RateLimiter): RateLimiter {
  return {
    async acquire(kind, signal) {
      await search.acquire('read', signal);
      return general.acquire(kind, signal);
    },
    coolDown: (until) => search.coolDown(until),
    cooldownUntil: () => Math.max(search.cooldownUntil(), general.cooldownUntil()),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function call<S extends z.ZodType>(ctx: PipedriveContext, method: 'get' | 'post' | 'patch' | 'put' | 'delete', path: string, o: CallOptions<S>): Promise<z.output<S>> {
  const base = ctx.fetch ?? globalThis.fetch;
  const limiter = o.search ? lane(ctx.search, ctx.general) : ctx.general;
  let errorBody: PipedriveErrorBody | undefined;
  const observe = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const res = await base(input, init);
    const remaining = Number(res.headers.get('x-ratelimit-remaining') ?? NaN);
    const reset = Number(res.headers.get('x-ratelimit-reset') ?? NaN);
    if (remaining === 0 && Number.isFinite(reset)) (o.search ? ctx.search : ctx.general).coolDown(ctx.now() + Math.max(1, reset) * 1000);
    if (!res.ok) errorBody = parseErrorBody(safeJson(await res.clone().text().catch(() => '')));
    return res;
  };
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
      headers: { 'x-api-token': ctx.config.token, accept: 'application/json' },
      schema: o.schema,
      ...(o.write ? { write: true } : {}),
      ...(o.json !== undefined ? { json: o.json } : {}),
      ...(o.searchParams ? { searchParams: o.searchParams } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    })) as z.output<S>;
  } catch (e) {
    if (!(e instanceof CrmError) || e.status === undefined) throw e;
    throw pipedriveError(e, errorBody);
  }
}

/** Pipedrive's v2 times are RFC 3339; v1's are "YYYY-MM-DD HH:MM:SS" in UTC. Epoch ms, or undefined. */
export function parseTime(s: string | null | undefined): number | undefined {
  if (!s) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(s) ? `${s.replace(' ', 'T')}Z` : s;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}
/** v1's UTC "YYYY-MM-DD HH:MM:SS". */
export function v1Time(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
export function notValidId(id: string): CrmError | undefined {
  return /^\d+$/.test(id) ? undefined : new CrmError('validation', `Pipedrive: "${id.slice(0, 40)}" is not a Pipedrive id`);
}
