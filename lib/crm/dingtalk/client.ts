// Every DingTalk call goes through here: lib/crm/http.ts underneath (limiter, timeout, network
// failures as CrmError), with
// - the new API (api.dingtalk.com): the token in `x-acs-dingtalk-access-token`, the error body
//   {code, message, requestid} read back and classified by its code (errors.ts);
// - the old API (oapi.dingtalk.com): the token as ?access_token=, HTTP 200 {errcode, errmsg};
// - one token renewal after a token rejection (single flight, session.ts), the call sent once more
//   (safe for writes: the gateway refused it before any work).
import type { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient, type HttpClientOptions } from '../http';
import type { RateLimiter } from '../rate-limiter';
import type { DingtalkConfig } from './config';
import { dingtalkError, isTokenFailure, parseFailure, type DingtalkFailure } from './errors';
import type { DingtalkSession } from './session';

export interface DingtalkContext {
  config: DingtalkConfig;
  session: DingtalkSession;
  limiter: RateLimiter;
  now: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** Per adapter instance: the operator's unionId, the follow-record content field, the customer form. */
  memo: Map<string, Promise<unknown>>;
  /** The server clock of the last reply (http.ts serverNow), for changesSince's asOf. */
  serverNow?: () => number | undefined;
}

export interface CallOptions<S extends z.ZodType> {
  json?: unknown;
  searchParams?: Record<string, string | number | boolean | undefined>;
  write?: boolean;
  signal?: AbortSignal | undefined;
  schema: S;
}

function client(ctx: DingtalkContext, baseUrl: string, onError: (body: unknown) => void) {
  const base = ctx.fetch ?? globalThis.fetch;
  const http = createHttpClient({
    baseUrl,
    limiter: ctx.limiter,
    now: ctx.now,
    ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
    ...(ctx.onRequest ? { onRequest: ctx.onRequest } : {}),
    fetch: async (input, init) => {
      const res = await base(input, init);
      if (!res.ok) onError(await res.clone().json().catch(() => undefined));
      return res;
    },
  });
  ctx.serverNow = () => http.serverNow();
  return http;
}

function validate<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CrmError('validation', `DingTalk: unexpected reply from ${what}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data as z.output<S>;
}

/**
 * DingTalk signals its limits in the body (HTTP 403 / 400 codes, errcode 90018), which http.ts
 * cannot see: every later request on this connection waits too, not only the refused one.
 */
function coolDown(ctx: DingtalkContext, e: CrmError): CrmError {
  if (e.kind === 'rate-limited') ctx.limiter.coolDown(ctx.now() + (e.retryAfterMs ?? 1000));
  return e;
}

/** A call to the new API; `path` is relative to https://api.dingtalk.com/. */
export async function call<S extends z.ZodType>(ctx: DingtalkContext, method: 'get' | 'post' | 'put', path: string, o: CallOptions<S>): Promise<z.output<S>> {
  let failure: DingtalkFailure | undefined;
  const http = client(ctx, ctx.config.apiBase, (b) => (failure = parseFailure(b)));
  const send = (token: string) =>
    http.request(method, path, {
      headers: { 'x-acs-dingtalk-access-token': token, accept: 'application/json' },
      ...(o.write ? { write: true } : {}),
      ...(o.json !== undefined ? { json: o.json } : {}),
      ...(o.searchParams ? { searchParams: o.searchParams } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
  let token = await ctx.session.token(o.signal);
  let body: unknown;
  try {
    try {
      body = await send(token);
    } catch (e) {
      if (!(e instanceof CrmError) || !isTokenFailure(failure?.code)) throw e;
      token = await ctx.session.renew(token, o.signal);
      failure = undefined;
      body = await send(token);
    }
  } catch (e) {
    if (!(e instanceof CrmError) || e.status === undefined) throw e;
    throw coolDown(ctx, dingtalkError(failure, e, ctx.now(), o.write));
  }
  return validate(o.schema, body, path);
}

/** A POST to the old API (oapi.dingtalk.com/topapi/…), whose failures arrive as HTTP 200 {errcode≠0}. */
export async function oapiCall<S extends z.ZodType>(ctx: DingtalkContext, path: string, o: { json: unknown; write?: boolean; signal?: AbortSignal | undefined; schema: S }): Promise<z.output<S>> {
  const http = client(ctx, ctx.config.oapiBase, () => undefined);
  const send = async (token: string) => {
    const body = (await http.request('post', path, {
      searchParams: { access_token: token },
      json: o.json,
      ...(o.write ? { write: true } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    })) as { errcode?: unknown; errmsg?: unknown } | undefined;
    const errcode = body && typeof body === 'object' ? body.errcode : undefined;
    if (errcode !== undefined && errcode !== 0) {
      // errcode 88 is a wrapper: its sub_code says what (60020: the caller's IP is not allowed).
      const sub = (body as { sub_code?: unknown }).sub_code;
      const code = errcode === 88 && (typeof sub === 'string' || typeof sub === 'number') ? String(sub) : String(errcode);
      return { body, failure: { code, ...(typeof body?.errmsg === 'string' ? { message: body.errmsg } : {}) } as DingtalkFailure };
    }
    return { body, failure: undefined };
  };
  let token = await ctx.session.token(o.signal);
  let r = await send(token);
  if (r.failure && isTokenFailure(r.failure.code)) {
    token = await ctx.session.renew(token, o.signal);
    r = await send(token);
  }
  if (r.failure) throw coolDown(ctx, dingtalkError(r.failure, undefined, ctx.now(), o.write));
  return validate(o.schema, r.body, path);
}

/** Per adapter instance: the first call computes, later ones share (a failure is forgotten). */
export function memo<T>(ctx: DingtalkContext, key: string, make: () => Promise<T>): Promise<T> {
  const hit = ctx.memo.get(key);
  if (hit) return hit as Promise<T>;
  const p = make().catch((e: unknown) => {
    ctx.memo.delete(key);
    throw e;
  });
  ctx.memo.set(key, p);
  return p;
}
