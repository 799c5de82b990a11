// Every Trello call goes through here: lib/crm/http.ts underneath (limiter, timeout, CrmError
// classification), with
// - the API key and the user's token as the `key` and `token` query parameters, as Trello's
//   "Authorizing With Trello's REST API" (Jun 24, 2025) and trello.json's securitySchemes say;
//   they are never in an error message (a timeout's text carries the URL: scrubbed here);
// - a read's inputs as query parameters, a write's as a JSON body: Trello reads the same
//   parameters from either, and its edge refuses a URL over about 8 KB with 414
//   (mheap/trello-cli#241, 2026-08: ~900 CJK characters of description; n8n-io/n8n#10189 moved
//   to bodies for this), which a card description quoting a chat reaches easily;
// - the error reply read back, so the CrmError carries Trello's words and the parameter it names,
//   and a 429 waits out the documented 10-second window (errors.ts: no reset header exists).
import type { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient, type HttpClientOptions } from '../http';
import type { RateLimiter } from '../rate-limiter';
import type { TrelloConfig } from './config';
import { TRELLO_ID } from './config';
import { parseErrorBody, RATE_WINDOW_MS, trelloError, type TrelloErrorBody } from './errors';

export interface TrelloContext {
  config: TrelloConfig;
  limiter: RateLimiter;
  now: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** After a create's unknown outcome: when to read the board for its marker again (cards.ts). */
  reconcileDelaysMs: number[];
  /** The token's member id (GET /1/members/me), kept for the adapter instance. */
  memberId?: Promise<string>;
}

export type Params = Record<string, string | number | boolean | undefined>;

export interface CallOptions<S extends z.ZodType> {
  searchParams?: Params;
  /** A write's parameters (sent as a JSON body). */
  json?: Params;
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

/** The same error with the key and token cut out of its message (ky's timeout message quotes the URL). */
function scrub(ctx: TrelloContext, e: CrmError): CrmError {
  const clean = e.message.split(ctx.config.token).join('<token>').split(ctx.config.key).join('<key>');
  if (clean === e.message) return e;
  return new CrmError(e.kind, clean, {
    userMessage: e.userMessage,
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    ...(e.vendorCode !== undefined ? { vendorCode: e.vendorCode } : {}),
  });
}

export async function call<S extends z.ZodType>(ctx: TrelloContext, method: 'get' | 'post' | 'put', path: string, o: CallOptions<S>): Promise<z.output<S>> {
  const base = ctx.fetch ?? globalThis.fetch;
  let errorBody: TrelloErrorBody | undefined;
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
  try {
    return (await http.request(method, path, {
      headers: { accept: 'application/json' },
      searchParams: { ...o.searchParams, key: ctx.config.key, token: ctx.config.token },
      schema: o.schema,
      ...(o.json ? { json: Object.fromEntries(Object.entries(o.json).filter(([, v]) => v !== undefined)) } : {}),
      ...(o.write ? { write: true } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    })) as z.output<S>;
  } catch (e) {
    if (!(e instanceof CrmError)) throw e;
    if (e.status === undefined) throw scrub(ctx, e);
    const err = trelloError(e, errorBody);
    // No header says when Trello's window resets: the whole connection waits the key's or the
    // token's window out (the /1/members/ limit holds back only that call: errors.ts).
    if (err.kind === 'rate-limited' && err.vendorCode !== 'RATE_LIMIT_EXCEEDED') ctx.limiter.coolDown(ctx.now() + (err.retryAfterMs ?? RATE_WINDOW_MS));
    throw scrub(ctx, err);
  }
}

/** A card or action id as Trello issues it, so a stray value never lands in a URL path. */
export function notTrelloId(id: string, what: string): CrmError | undefined {
  return TRELLO_ID.test(id) ? undefined : new CrmError('validation', `Trello: "${id.slice(0, 40)}" is not a Trello ${what} id`);
}

/** Trello's times: ISO 8601 in UTC (2026-12-06T10:15:30.123Z). Epoch ms, or undefined. */
export function parseTime(s: string | null | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}
