// Every Zoho call goes through here: lib/crm/http.ts underneath (limiter, timeout, CrmError
// classification), with
// - the access token as `Authorization: Zoho-oauthtoken <token>` (Zoho's OAuth docs; the v8
//   files' iam-oauth2-schema);
// - one refresh after a 401 INVALID_TOKEN (single flight, session.ts), the request sent again once;
// - the error body read back (errors.ts), so the CrmError names Zoho's code and field;
// - record-level errors in a 2xx write reply (data[0].status "error") raised the same way.
import type { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient, type HttpClientOptions } from '../http';
import type { RateLimiter } from '../rate-limiter';
import type { ZohoConfig } from './config';
import { parseException, zohoError, type ZohoException } from './errors';
import type { ZohoSession } from './session';

export interface ZohoContext {
  config: ZohoConfig;
  session: ZohoSession;
  limiter: RateLimiter;
  now: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** Field metadata per module (fields.ts), kept for the adapter instance. */
  fieldCache: Map<string, Promise<unknown>>;
  /** The server clock of the last reply (http.ts serverNow), for changesSince's asOf. */
  serverNow?: () => number | undefined;
}

export interface CallOptions<S extends z.ZodType> {
  json?: unknown;
  searchParams?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  write?: boolean;
  signal?: AbortSignal | undefined;
  schema: S;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function call<S extends z.ZodType>(ctx: ZohoContext, method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, o: CallOptions<S>): Promise<z.output<S>> {
  const base = ctx.fetch ?? globalThis.fetch;
  let errorBody: ZohoException | undefined;
  const observe = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const res = await base(input, init);
    if (!res.ok) errorBody = parseException(safeJson(await res.clone().text().catch(() => '')));
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
  ctx.serverNow = () => http.serverNow();
  const send = (token: string) =>
    http.request(method, path, {
      headers: { authorization: `Zoho-oauthtoken ${token}`, accept: 'application/json', ...o.headers },
      ...(o.write ? { write: true } : {}),
      ...(o.json !== undefined ? { json: o.json } : {}),
      ...(o.searchParams ? { searchParams: o.searchParams } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
  let body: unknown;
  const token = ctx.session.current().accessToken;
  try {
    try {
      body = await send(token);
    } catch (e) {
      if (!(e instanceof CrmError) || e.status !== 401 || errorBody?.code !== 'INVALID_TOKEN') throw e;
      const fresh = await ctx.session.renew(token, o.signal);
      errorBody = undefined;
      body = await send(fresh.accessToken);
    }
  } catch (e) {
    if (!(e instanceof CrmError) || e.status === undefined) throw e;
    throw zohoError(errorBody, e);
  }
  if (o.write) {
    const failed = parseException(body);
    if (failed) throw zohoError(failed);
  }
  const parsed = o.schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CrmError('validation', `Zoho: unexpected reply from ${path}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data as z.output<S>;
}

/** Zoho times are ISO 8601 with an offset (2026-12-01T10:30:00+05:30). Epoch ms, or undefined. */
export function parseTime(s: string | null | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}
/** ISO 8601 to the second, UTC with +00:00 (the form Zoho's criteria and If-Modified-Since take). */
export function zohoTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
export function notValidId(id: string): CrmError | undefined {
  return /^\d{1,30}$/.test(id) ? undefined : new CrmError('validation', `Zoho: "${id.slice(0, 40)}" is not a Zoho record id`);
}
/** A criteria value with Zoho's special characters escaped (backslash before ( ) , : and itself). */
export function criteriaValue(v: string): string {
  return v.replace(/[\\(),:]/g, (c) => `\\${c}`);
}
