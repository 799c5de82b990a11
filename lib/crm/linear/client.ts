// Every Linear call goes through here: one GraphQL POST to /graphql through lib/crm/http.ts
// (limiter, timeout, CrmError), with `Authorization: <API key>` (personal keys take no "Bearer":
// linear.app/developers "Authentication"), JSON {query, variables, operationName}. Linear answers
// errors in an `errors` array, with HTTP 400 or 200 (errors.ts); transport failures (timeout,
// connection lost, 5xx) are classified by http.ts, a lost write being an unknown outcome.
//
// Rate limits ("Rate limiting", read 2026-12-06): every reply carries
// X-RateLimit-Requests-{Limit,Remaining,Reset} and X-RateLimit-Complexity-{Limit,Remaining,Reset}
// (resets as UTC epoch times: milliseconds today, seconds on the older page, told apart by
// magnitude) and X-Complexity (this query's points). When a budget is spent (requests remaining
// 0, or fewer complexity points left than the last query cost) the limiter holds every request
// of the connection until that budget's reset, so Liaison waits instead of meeting RATELIMITED;
// a RATELIMITED error waits for Retry-After when sent, else the spent budget's reset.
import type { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient, type HttpClientOptions } from '../http';
import type { RateLimiter } from '../rate-limiter';
import type { LinearConfig } from './config';
import { errorsOf, linearError } from './errors';

export interface LinearContext {
  config: LinearConfig;
  limiter: RateLimiter;
  now: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** After a create's unknown outcome: when to look the id up again (issues.ts). */
  reconcileDelaysMs: number[];
  /** Team labels by team id, kept for the adapter instance (issues.ts, fields.ts). */
  labelCache: Map<string, Promise<{ id: string; name: string }[]>>;
}

export interface CallOptions<S extends z.ZodType> {
  variables?: Record<string, unknown>;
  write?: boolean;
  signal?: AbortSignal | undefined;
  /** The `data` object's schema. */
  schema: S;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A reset header as epoch ms (epoch ms or epoch seconds on the wire). */
export function resetAt(v: string | null): number | undefined {
  if (!v || !/^\d+(\.\d+)?$/.test(v.trim())) return undefined;
  const n = Number(v);
  return n > 1e12 ? n : n > 1e9 ? n * 1000 : undefined;
}
const num = (v: string | null) => (v !== null && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

/** What the reply's headers say about the budgets: cool the connection down when one is spent; the wait a RATELIMITED error should use. */
export function readBudgets(ctx: Pick<LinearContext, 'limiter' | 'now'>, h: Headers): number | undefined {
  const now = ctx.now();
  const requests = { left: num(h.get('x-ratelimit-requests-remaining')), reset: resetAt(h.get('x-ratelimit-requests-reset')) };
  const complexity = { left: num(h.get('x-ratelimit-complexity-remaining')), reset: resetAt(h.get('x-ratelimit-complexity-reset')) };
  const cost = num(h.get('x-complexity')) ?? 0;
  const spent = [requests.left !== undefined && requests.left <= 0 ? requests.reset : undefined, complexity.left !== undefined && complexity.left < Math.max(cost, 1) ? complexity.reset : undefined].filter((x): x is number => x !== undefined);
  const until = spent.length ? Math.max(...spent) : undefined;
  if (until !== undefined && until > now) ctx.limiter.coolDown(until);
  const retryAfter = num(h.get('retry-after'));
  if (retryAfter !== undefined) return Math.round(retryAfter * 1000);
  if (until !== undefined) return Math.max(0, until - now);
  return undefined;
}

export async function gql<S extends z.ZodType>(ctx: LinearContext, query: string, o: CallOptions<S>): Promise<z.output<S>> {
  const base = ctx.fetch ?? globalThis.fetch;
  let errorBody: unknown;
  let wait: number | undefined;
  const observe = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const res = await base(input, init);
    wait = readBudgets(ctx, res.headers);
    if (!res.ok) errorBody = safeJson(await res.clone().text().catch(() => ''));
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
  const operationName = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
  let body: unknown;
  try {
    body = await http.request('post', 'graphql', {
      headers: { authorization: ctx.config.apiKey },
      json: { query, variables: o.variables ?? {}, ...(operationName ? { operationName } : {}) },
      ...(o.write ? { write: true } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
  } catch (e) {
    if (!(e instanceof CrmError) || e.status === undefined) throw e;
    const err = linearError(errorsOf(errorBody), { status: e.status, write: !!o.write, retryAfterMs: e.retryAfterMs ?? wait });
    if (err.kind === 'rate-limited') ctx.limiter.coolDown(ctx.now() + (err.retryAfterMs ?? 60_000));
    throw err;
  }
  const errors = errorsOf(body);
  if (errors) {
    const err = linearError(errors, { status: 200, write: !!o.write, retryAfterMs: wait });
    if (err.kind === 'rate-limited') ctx.limiter.coolDown(ctx.now() + (err.retryAfterMs ?? 60_000));
    throw err;
  }
  const data = body && typeof body === 'object' ? (body as { data?: unknown }).data : undefined;
  const parsed = o.schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CrmError('validation', `unexpected reply from Linear${operationName ? ` (${operationName})` : ''}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data as z.output<S>;
}

/** Linear's times: ISO 8601 (2026-12-06T10:15:30.000Z). Epoch ms, or undefined. */
export function parseTime(s: string | null | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}
