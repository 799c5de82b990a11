// Every Dataverse Web API call goes through here: lib/crm/http.ts underneath (limiter, timeout,
// CrmError classification incl. 429 Retry-After), a Bearer token from the session, the OData
// headers the service expects, and the reply's headers kept (ETag, OData-EntityId, Date) which
// http.ts does not hand back. A 401 renews the token ONCE and replays the call: safe for writes,
// the service rejected it before reading it.
import type { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient, type HttpClientOptions } from '../http';
import type { RateLimiter } from '../rate-limiter';
import { DATAVERSE_API, type DynamicsConfig } from './config';
import { withDataverseDetail } from './errors';
import { isExpired, type Session } from './session';

export interface DynamicsContext {
  config: DynamicsConfig;
  session: Session;
  limiter: RateLimiter;
  now: () => number;
  fetch: typeof fetch;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
}

export interface DvCallOptions<S extends z.ZodType | undefined> {
  json?: unknown;
  searchParams?: Record<string, string>;
  headers?: Record<string, string>;
  write?: boolean;
  signal?: AbortSignal | undefined;
  schema?: S;
}

export interface DvReply<T> {
  body: T;
  headers: Headers;
}

/**
 * `path` is relative to /api/data/v9.2/, or a full URL on the environment (an @odata.nextLink).
 */
export async function dvCall<S extends z.ZodType | undefined = undefined>(
  ctx: DynamicsContext,
  method: 'get' | 'post' | 'patch' | 'delete',
  path: string,
  o: DvCallOptions<S> = {},
): Promise<DvReply<S extends z.ZodType ? z.output<S> : unknown>> {
  const origin = ctx.config.orgOrigin;
  let full: string;
  if (/^https?:\/\//.test(path)) {
    const url = new URL(path);
    // A nextLink is the service's own; still, never send the token to another host.
    if (url.origin !== origin) throw new CrmError('validation', `Dynamics: a link to another host (${url.host})`);
    full = url.pathname.slice(1) + url.search;
  } else full = `${DATAVERSE_API}/${path}`;

  let tokens = ctx.session.current();
  if (isExpired(tokens, ctx.now())) tokens = await ctx.session.renew(tokens.accessToken, o.signal);
  for (let attempt = 0; ; attempt++) {
    let errorBody: unknown;
    let headers = new Headers();
    const http = createHttpClient({
      baseUrl: origin,
      limiter: ctx.limiter,
      now: ctx.now,
      ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
      ...(ctx.onRequest ? { onRequest: ctx.onRequest } : {}),
      fetch: async (input, init) => {
        const res = await ctx.fetch(input, init);
        headers = res.headers;
        if (!res.ok) errorBody = await res.clone().json().catch(() => undefined);
        return res;
      },
    });
    try {
      const body = await http.request(method, full, {
        headers: { Accept: 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0', ...o.headers, Authorization: `Bearer ${tokens.accessToken}` },
        write: o.write === true,
        ...(o.json !== undefined ? { json: o.json } : {}),
        ...(o.searchParams ? { searchParams: o.searchParams } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.schema ? { schema: o.schema } : {}),
      } as never);
      return { body, headers } as never;
    } catch (e) {
      if (!(e instanceof CrmError)) throw e;
      if (e.status === 401 && attempt === 0) {
        tokens = await ctx.session.renew(tokens.accessToken, o.signal);
        continue;
      }
      throw withDataverseDetail(e, errorBody);
    }
  }
}

/** An OData string literal: single quotes doubled (OData ABNF SQUOTE-in-string), the value stays a literal. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** An OData DateTimeOffset literal (unquoted), UTC, whole seconds floored. */
export function odataDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isGuid(v: string): boolean {
  return GUID.test(v);
}

/** A Dataverse row id: a GUID, checked before it goes into a URL path. */
export function guidOrThrow(id: string): string {
  if (!isGuid(id)) throw new CrmError('not-found', `Dynamics: "${id.slice(0, 40)}" is not a row id`);
  return id.toLowerCase();
}

/**
 * The row id a write with this idempotency key creates: the key itself when it is a GUID (the
 * outbox's are crypto.randomUUID()), else a GUID made from its SHA-256. The same key always gives
 * the same id, so a retry of a create whose reply was lost finds its own row.
 */
export async function rowIdFor(key: string): Promise<string> {
  if (isGuid(key)) return key.toLowerCase();
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`liaison:${key}`))).slice(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8 (custom)
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A Dataverse datetime ("2026-12-06T08:00:00Z") as epoch ms; undefined when it is not one. */
export function parseDvDate(v: unknown): number | undefined {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}
