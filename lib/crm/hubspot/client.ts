// Every HubSpot call goes through here: lib/crm/http.ts underneath (limiter, timeout, CrmError
// classification), with
// - Authorization: Bearer <private app token>;
// - two limiters per connection: the general one (burst per 10 s) for every call, and a search
//   lane (3/s, one in flight, under HubSpot's separate CRM search limit) that search calls take first;
// - an observing fetch handed to http.ts, so the X-HubSpot-RateLimit-* headers of every reply
//   feed the daily quota (quota.ts), and a 429 cools the right lane down BEFORE ky throws (no
//   queued request can slip into the wait); http.ts only knows Retry-After, HubSpot often sends
//   only the interval headers;
// - the error body read back from that observation, so the CrmError names scopes, properties,
//   the existing contact id or the rate policy (errors.ts).
import type { z } from 'zod';
import { CrmError, parseRetryAfter } from '../errors';
import { createHttpClient, type HttpClientOptions } from '../http';
import type { RateLimiter } from '../rate-limiter';
import type { TtlMemo } from '../ttl-memo';
import type { HubspotConfig } from './config';
import { hubspotError, parseErrorBody, type HubspotErrorBody } from './errors';
import type { PropertyDef, PropertyObject } from './property-list';
import { blockForDay, noteHeaders, quotaRefusal, type QuotaState } from './quota';

export interface HubspotContext {
  config: HubspotConfig;
  general: RateLimiter;
  search: RateLimiter;
  /** One search in flight per connection (searchLane). */
  searchGate?: SearchGate;
  quota: QuotaState;
  now: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** prepare()'s work, once per adapter instance when a write finds liaison_id missing. */
  ensured?: Promise<unknown>;
  /** The portal's property definitions per object, for listFields and typing template values. */
  properties: TtlMemo<PropertyObject, PropertyDef[]>;
  /** Owner id → name (GET /crm/v3/owners), for the authors of notes and deals read back. */
  owners: TtlMemo<'owners', Map<string, string>>;
}

export interface CallOptions<S extends z.ZodType> {
  json?: unknown;
  searchParams?: Record<string, string | number | boolean | undefined>;
  write?: boolean;
  /** CRM search: paced by the 4/s search lane as well as the general limiter. */
  search?: boolean;
  /** Allowed while the daily quota is ≥ 75 % used (verify only: it shows the user the state). */
  essential?: boolean;
  signal?: AbortSignal | undefined;
  schema: S;
}

/** One search at a time per connection: a promise-chain mutex shared by every adapter instance. */
export interface SearchGate {
  enter(signal?: AbortSignal): Promise<() => void>;
}
const gates = new Map<string, SearchGate>();
export function searchGateFor(key: string): SearchGate {
  let g = gates.get(key);
  if (!g) {
    let tail: Promise<void> = Promise.resolve();
    g = {
      async enter(signal) {
        let open!: () => void;
        const mine = new Promise<void>((ok) => (open = ok));
        const before = tail;
        tail = tail.then(() => mine);
        try {
          await (signal ? Promise.race([before, new Promise<never>((_, no) => (signal.aborted ? no(signal.reason) : signal.addEventListener('abort', () => no(signal.reason), { once: true })))]) : before);
        } catch (e) {
          // Cancelled while waiting: let the next one through when our turn comes.
          void before.then(open);
          throw e;
        }
        return open;
      },
    };
    gates.set(key, g);
  }
  return g;
}

/**
 * The search lane: one search in flight per connection, then a search slot, then a general slot;
 * the gate opens again when the reply has been read (http.ts releases after the body). Pacing
 * the starts alone is not enough: network and event-loop jitter can bunch the arrivals at
 * HubSpot. With one in flight, request n+1 leaves only after request n arrived (its reply came
 * back), so any five consecutive arrivals span at least three start gaps: ≥ 1 s at 3 a second.
 * A 429 on search cools the search lane only.
 */
export function searchLane(search: RateLimiter, general: RateLimiter, gate?: SearchGate): RateLimiter {
  return {
    async acquire(kind, signal) {
      const leave = gate ? await gate.enter(signal) : () => undefined;
      try {
        await search.acquire('read', signal);
        const release = await general.acquire(kind, signal);
        return () => {
          release();
          leave();
        };
      } catch (e) {
        leave();
        throw e;
      }
    },
    coolDown: (until) => search.coolDown(until),
    cooldownUntil: () => Math.max(search.cooldownUntil(), general.cooldownUntil()),
  };
}

interface Seen {
  status?: number;
  headers?: Headers;
  body?: HubspotErrorBody;
  retryAfterMs?: number;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A 429's wait from its headers alone, applied at once (before the body is read: reading takes
 * I/O turns during which a queued caller could otherwise start). Without Retry-After we don't
 * know where in the window we are: a whole interval is the only wait that is surely enough.
 * A search's 429 cools the search lane; one on any other call cools every call.
 */
function coolFromHeaders(ctx: HubspotContext, res: Response, isSearch: boolean): number {
  const now = ctx.now();
  const retryAfter = parseRetryAfter(res.headers.get('Retry-After') ?? undefined, now);
  const interval = Number(res.headers.get('X-HubSpot-RateLimit-Interval-Milliseconds') ?? NaN);
  const wait = retryAfter ?? (Number.isFinite(interval) && interval > 0 ? interval : 1000);
  (isSearch ? ctx.search : ctx.general).coolDown(now + wait);
  return wait;
}

/** What the body adds: DAILY blocks the connection for the day, a burst 429 on a search cools every call. */
function coolFromBody(ctx: HubspotContext, body: HubspotErrorBody | undefined, wait: number, isSearch: boolean): number {
  const policy = body?.policyName?.toUpperCase();
  if (policy === 'DAILY') return blockForDay(ctx.quota, ctx.now());
  if (isSearch && policy === 'TEN_SECONDLY_ROLLING') ctx.general.coolDown(ctx.now() + wait);
  return wait;
}

export async function call<S extends z.ZodType>(ctx: HubspotContext, method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, o: CallOptions<S>): Promise<z.output<S>> {
  if (!o.essential) {
    const refused = quotaRefusal(ctx.quota, ctx.now());
    if (refused) throw refused;
  }
  const base = ctx.fetch ?? globalThis.fetch;
  const seen: Seen = {};
  const observe = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const res = await base(input, init);
    seen.status = res.status;
    seen.headers = res.headers;
    noteHeaders(ctx.quota, res.headers, ctx.now());
    const wait = res.status === 429 ? coolFromHeaders(ctx, res, o.search === true) : undefined;
    if (!res.ok) {
      seen.body = parseErrorBody(safeJson(await res.clone().text().catch(() => '')));
      if (wait !== undefined) seen.retryAfterMs = coolFromBody(ctx, seen.body, wait, o.search === true);
    }
    return res;
  };
  const http = createHttpClient({
    baseUrl: ctx.config.baseUrl,
    limiter: o.search ? searchLane(ctx.search, ctx.general, ctx.searchGate) : ctx.general,
    now: ctx.now,
    fetch: observe as typeof fetch,
    ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
    ...(ctx.onRequest ? { onRequest: ctx.onRequest } : {}),
  });
  try {
    return (await http.request(method, path, {
      headers: { Authorization: `Bearer ${ctx.config.token}` },
      schema: o.schema,
      ...(o.write ? { write: true } : {}),
      ...(o.json !== undefined ? { json: o.json } : {}),
      ...(o.searchParams ? { searchParams: o.searchParams } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    })) as z.output<S>;
  } catch (e) {
    if (!(e instanceof CrmError) || e.status === undefined || !seen.body) throw e;
    if (e.kind === 'rate-limited' && seen.body.policyName?.toUpperCase() === 'DAILY') {
      const refused = quotaRefusal(ctx.quota, ctx.now());
      if (refused) throw refused;
    }
    const retryAfterMs = e.kind === 'rate-limited' ? (seen.retryAfterMs ?? e.retryAfterMs) : e.retryAfterMs;
    throw hubspotError(e.kind, seen.body, { status: e.status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), cause: e });
  }
}

export const objectPath = (type: string, ...rest: string[]) => ['crm/v3/objects', type, ...rest.map(encodeURIComponent)].join('/');
