// Every Airtable call goes through here: lib/crm/http.ts underneath (limiter, timeout, CrmError
// classification), Authorization: Bearer <personal access token>, and Airtable's error body
// read back (a thin fetch wrapper keeps it; http.ts only classifies by status) so a 422 names
// its field and a 429 waits the documented 30 s — for every later request of the connection too.
import type { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient, type HttpClientOptions } from '../http';
import type { RateLimiter } from '../rate-limiter';
import type { TtlMemo } from '../ttl-memo';
import type { AirtableConfig } from './config';
import { airtableError, parseAirtableError, RATE_LIMIT_WAIT_MS } from './errors';
import type { TableMeta } from './schema';

export interface AirtableContext {
  config: AirtableConfig;
  baseUrl: string;
  limiter: RateLimiter;
  now: () => number;
  fetch: typeof fetch;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** The base id, once resolved from its name. */
  baseId?: string;
  /** The base's tables (meta API), kept a few minutes. */
  tables: TtlMemo<string, TableMeta[]>;
}

export interface CallOptions<S extends z.ZodType | undefined> {
  json?: unknown;
  searchParams?: Record<string, string | number | boolean | undefined>;
  write?: boolean;
  signal?: AbortSignal | undefined;
  schema?: S;
}

export async function call<S extends z.ZodType | undefined = undefined>(
  ctx: AirtableContext,
  method: 'get' | 'post' | 'patch' | 'delete',
  path: string,
  o: CallOptions<S> = {},
): Promise<S extends z.ZodType ? z.output<S> : unknown> {
  let errorBody: unknown;
  const http = createHttpClient({
    baseUrl: ctx.baseUrl,
    limiter: ctx.limiter,
    now: ctx.now,
    ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
    ...(ctx.onRequest ? { onRequest: ctx.onRequest } : {}),
    fetch: async (input, init) => {
      const res = await ctx.fetch(input, init);
      if (!res.ok) {
        errorBody = await res.clone().json().catch(() => undefined);
        // Cool the whole connection down before ky throws: no queued request slips into the wait.
        if (res.status === 429) ctx.limiter.coolDown(ctx.now() + RATE_LIMIT_WAIT_MS);
      }
      return res;
    },
  });
  try {
    return await http.request(method, path, {
      headers: { Authorization: `Bearer ${ctx.config.token}` },
      write: o.write === true,
      ...(o.json !== undefined ? { json: o.json } : {}),
      ...(o.searchParams ? { searchParams: o.searchParams } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.schema ? { schema: o.schema } : {}),
    } as never);
  } catch (e) {
    if (!(e instanceof CrmError) || e.status === undefined) throw e;
    const info = parseAirtableError(errorBody);
    if (info) throw airtableError(info, { kind: e.kind, status: e.status });
    if (e.status === 429) throw new CrmError('rate-limited', e.message, { status: 429, retryAfterMs: RATE_LIMIT_WAIT_MS });
    throw e;
  }
}
