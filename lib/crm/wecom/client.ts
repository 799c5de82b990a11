// Every WeCom call goes through here: lib/crm/http.ts underneath (limiter, timeout, network
// failures and HTTP 5xx as CrmError), the token as ?access_token=, the HTTP 200 {errcode, errmsg}
// body read first (errcode ≠ 0 is a failure, errors.ts), and one token renewal after 40014/42001
// (single flight, session.ts) with the call sent once more — safe for writes, WeCom refused the
// token before doing anything. Replies are checked with the caller's zod schema.
import { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../http';
import type { RateLimiter } from '../rate-limiter';
import type { WecomConfig } from './config';
import { isTokenFailure, wecomError } from './errors';
import type { WecomSession } from './session';

export interface WecomContext {
  config: WecomConfig;
  session: WecomSession;
  limiter: RateLimiter;
  now: () => number;
  http: HttpClient;
  /** Per adapter instance: the corp tag list, the follow user's contacts. */
  memo: Map<string, { at: number; value: Promise<unknown> }>;
}

export function createContextHttp(o: { base: string; limiter: RateLimiter; now: () => number; fetch?: typeof fetch; timeoutMs?: number; onRequest?: HttpClientOptions['onRequest'] }): HttpClient {
  return createHttpClient({
    baseUrl: o.base,
    limiter: o.limiter,
    now: o.now,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.onRequest ? { onRequest: o.onRequest } : {}),
  });
}

const envelope = z.object({ errcode: z.number().int(), errmsg: z.string().default('') }).passthrough();

export interface CallOptions<S extends z.ZodType> {
  searchParams?: Record<string, string | number | undefined>;
  json?: unknown;
  write?: boolean;
  signal?: AbortSignal | undefined;
  schema: S;
}

/** One API call; `path` is relative to https://qyapi.weixin.qq.com/ (cgi-bin/…). */
export async function call<S extends z.ZodType>(ctx: WecomContext, method: 'get' | 'post', path: string, o: CallOptions<S>): Promise<z.output<S>> {
  const send = async (token: string) => {
    const raw = await ctx.http.request(method, path, {
      searchParams: { access_token: token, ...o.searchParams },
      ...(o.json !== undefined ? { json: o.json } : {}),
      ...(o.write ? { write: true } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const env = envelope.safeParse(raw);
    if (!env.success) throw new CrmError('validation', `WeCom: unexpected reply from ${path}: no errcode`);
    return { raw, errcode: env.data.errcode, errmsg: env.data.errmsg };
  };
  let token = await ctx.session.token(o.signal);
  let r = await send(token);
  if (isTokenFailure(r.errcode)) {
    token = await ctx.session.renew(token, o.signal);
    r = await send(token);
  }
  if (r.errcode !== 0) {
    const e = wecomError({ errcode: r.errcode, errmsg: r.errmsg }, path, { ...(o.write ? { write: true } : {}) });
    if (e.kind === 'rate-limited') ctx.limiter.coolDown(ctx.now() + (e.retryAfterMs ?? 1000));
    throw e;
  }
  const parsed = o.schema.safeParse(r.raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CrmError('validation', `WeCom: unexpected reply from ${path}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data as z.output<S>;
}

/** Per adapter instance, kept `ttlMs`: concurrent callers share one request; a failure is forgotten. */
export function memo<T>(ctx: WecomContext, key: string, ttlMs: number, make: () => Promise<T>): Promise<T> {
  const hit = ctx.memo.get(key);
  if (hit && ctx.now() - hit.at < ttlMs) return hit.value as Promise<T>;
  const entry = { at: ctx.now(), value: make() as Promise<unknown> };
  ctx.memo.set(key, entry);
  entry.value.catch(() => {
    if (ctx.memo.get(key) === entry) ctx.memo.delete(key);
  });
  return entry.value as Promise<T>;
}

export function forget(ctx: WecomContext, key: string): void {
  ctx.memo.delete(key);
}
