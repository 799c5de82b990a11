// Every monday call goes through here: one GraphQL POST to /v2 through lib/crm/http.ts
// (limiter, timeout, CrmError), with Authorization: <personal token> (no "Bearer", as monday's
// authentication page shows) and API-Version (spec.ts). monday answers application errors with
// HTTP 200 and an `errors` array (errors.ts); transport errors (401, 429 + Retry-After, 5xx)
// are classified by http.ts and relabelled here.
//
// The complexity budget (rate-limits: 10M points a minute per personal token, 1M on trial/free):
// every document selects `complexity { after reset_in_x_seconds }`; when a reply says fewer than
// `complexityFloor` points are left, the limiter holds every request until the budget resets,
// so Liaison waits instead of meeting a ComplexityException.
import { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient, type HttpClientOptions } from '../http';
import type { RateLimiter } from '../rate-limiter';
import type { TtlMemo } from '../ttl-memo';
import type { BoardRole, MondayConfig } from './config';
import { errorsOf, mondayError } from './errors';
import { MONDAY_API_VERSION } from './spec';
import type { Board } from './objects';

export interface MondayContext {
  config: MondayConfig;
  limiter: RateLimiter;
  now: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** Boards with their columns per role, kept five minutes. */
  boards: TtlMemo<BoardRole, Board>;
  /** Below this many complexity points left, wait for the reset (default 100,000: ten of our heaviest reads). */
  complexityFloor: number;
  /** The server's clock (Date header) at the last reply, for ChangesPage.asOf. */
  serverNow?: () => number | undefined;
}

/** The selection every document carries (see the header). */
export const COMPLEXITY = 'complexity { after reset_in_x_seconds }';
const complexitySchema = z.object({ after: z.number(), reset_in_x_seconds: z.number() }).nullish();

export interface CallOptions<S extends z.ZodType> {
  variables?: Record<string, unknown>;
  write?: boolean;
  signal?: AbortSignal | undefined;
  /** The `data` object's schema. */
  schema: S;
  /** Column id → title, for a ColumnValueException's message. */
  titles?: (id: string) => string | undefined;
}

export async function gql<S extends z.ZodType>(ctx: MondayContext, query: string, o: CallOptions<S>): Promise<z.output<S>> {
  const http = createHttpClient({
    baseUrl: ctx.config.baseUrl,
    limiter: ctx.limiter,
    now: ctx.now,
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
    ...(ctx.onRequest ? { onRequest: ctx.onRequest } : {}),
  });
  let body: unknown;
  try {
    body = await http.request('post', 'v2', {
      headers: { Authorization: ctx.config.token, 'API-Version': MONDAY_API_VERSION },
      json: { query, variables: o.variables ?? {} },
      ...(o.write ? { write: true } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
  } catch (e) {
    if (e instanceof CrmError && e.status !== undefined) {
      // http.ts classified the status (429 with Retry-After, 5xx by write); keep that, with monday's wording for a rejected token.
      if (e.status === 401) throw mondayError({ message: e.message, extensions: { code: 'UNAUTHENTICATED' } }, { write: !!o.write, status: 401 });
      throw e;
    }
    throw e;
  }
  const sn = http.serverNow();
  if (sn !== undefined) ctx.serverNow = () => sn;
  const errors = errorsOf(body);
  const data = body && typeof body === 'object' ? (body as { data?: unknown }).data : undefined;
  const budget = complexitySchema.safeParse(data && typeof data === 'object' ? (data as { complexity?: unknown }).complexity : undefined);
  if (budget.success && budget.data && budget.data.after < ctx.complexityFloor) ctx.limiter.coolDown(ctx.now() + (budget.data.reset_in_x_seconds + 1) * 1000);
  if (errors) {
    const err = mondayError(errors[0]!, { write: !!o.write, ...(o.titles ? { titles: o.titles } : {}) });
    if (err.kind === 'rate-limited') ctx.limiter.coolDown(ctx.now() + (err.retryAfterMs ?? 60_000));
    throw err;
  }
  const parsed = o.schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CrmError('validation', `unexpected reply from monday: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data as z.output<S>;
}
