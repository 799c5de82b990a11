// Every Asana call goes through here: lib/crm/http.ts underneath (limiter, timeout, CrmError
// classification, a 429's Retry-After as the wait and the connection's cooldown), with
// - Authorization: Bearer <personal access token> ("Personal access token");
// - request bodies wrapped in {data: …} and replies unwrapped from {data: …}, as Asana's API
//   does both ways ("Input/output options": "data" envelope);
// - opt_fields (comma-separated) so replies carry what Liaison reads and no more;
// - the error body read back, so the CrmError carries Asana's words and field names (errors.ts).
import { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient, type HttpClientOptions } from '../http';
import type { RateLimiter } from '../rate-limiter';
import type { AsanaConfig } from './config';
import { asanaError, parseErrorBody, type AsanaErrorBody } from './errors';

export interface AsanaContext {
  config: AsanaConfig;
  limiter: RateLimiter;
  now: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** After a create's unknown outcome: when to look for the task again (tasks.ts). */
  reconcileDelaysMs: number[];
}

export interface CallOptions<S extends z.ZodType> {
  data?: unknown;
  searchParams?: Record<string, string | number | boolean | undefined>;
  write?: boolean;
  signal?: AbortSignal | undefined;
  schema: S;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One request; resolves with the reply's `data`, checked by `schema`. */
export async function call<S extends z.ZodType>(ctx: AsanaContext, method: 'get' | 'post' | 'put', path: string, o: CallOptions<S>): Promise<z.output<S>> {
  return (await callPage(ctx, method, path, o)).data;
}

const nextPageSchema = z.object({ offset: z.string(), path: z.string().optional(), uri: z.string().optional() }).nullable().optional();

/** One request whose reply may be a page: {data, next_page: {offset} | null}. */
export async function callPage<S extends z.ZodType>(ctx: AsanaContext, method: 'get' | 'post' | 'put', path: string, o: CallOptions<S>): Promise<{ data: z.output<S>; nextOffset?: string }> {
  const base = ctx.fetch ?? globalThis.fetch;
  let errorBody: AsanaErrorBody | undefined;
  const observe = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const res = await base(input, init);
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
  const envelope = z.object({ data: o.schema, next_page: nextPageSchema });
  try {
    const r = (await http.request(method, path, {
      headers: { authorization: `Bearer ${ctx.config.token}`, accept: 'application/json' },
      schema: envelope,
      ...(o.write ? { write: true } : {}),
      ...(o.data !== undefined ? { json: { data: o.data } } : {}),
      ...(o.searchParams ? { searchParams: o.searchParams } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    })) as { data: z.output<S>; next_page?: { offset: string } | null };
    return { data: r.data, ...(r.next_page?.offset ? { nextOffset: r.next_page.offset } : {}) };
  } catch (e) {
    if (!(e instanceof CrmError) || e.status === undefined) throw e;
    throw asanaError(e, errorBody);
  }
}

/** A gid as Asana issues it (digits), so a stray value never lands in a URL path. */
export function notGid(id: string, what = 'task'): CrmError | undefined {
  return /^\d{1,40}$/.test(id) ? undefined : new CrmError('validation', `Asana: "${id.slice(0, 40)}" is not an Asana ${what} gid`);
}

/** Asana's times: ISO 8601 in UTC (2012-02-22T02:06:58.147Z). Epoch ms, or undefined. */
export function parseTime(s: string | null | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}
