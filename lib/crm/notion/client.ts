// Every Notion call goes through here: lib/crm/http.ts underneath (limiter, timeout, CrmError),
// with Authorization: Bearer <integration secret>, Notion-Version: 2025-09-03 (spec.ts), and the
// error body's code turning http.ts's classification into Notion's (errors.ts). One limiter per
// connection (3 requests/s average, Notion's documented rate); a 429's Retry-After cools it.
import type { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient, type HttpClientOptions } from '../http';
import type { RateLimiter } from '../rate-limiter';
import type { TtlMemo } from '../ttl-memo';
import type { NotionConfig, SourceRole } from './config';
import { notionError } from './errors';
import type { DataSource } from './objects';
import { NOTION_VERSION } from './spec';

export interface NotionContext {
  config: NotionConfig;
  limiter: RateLimiter;
  now: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** Data source schemas per role (resolved from what the user pasted), kept five minutes. */
  sources: TtlMemo<SourceRole, DataSource>;
  /** User id → name (GET /v1/users/{id}), for comment authors. */
  users: Map<string, Promise<string | undefined>>;
}

export interface CallOptions<S extends z.ZodType> {
  json?: unknown;
  searchParams?: Record<string, string | number | boolean | undefined>;
  write?: boolean;
  signal?: AbortSignal | undefined;
  schema: S;
}

export async function call<S extends z.ZodType>(ctx: NotionContext, method: 'get' | 'post' | 'patch', path: string, o: CallOptions<S>): Promise<z.output<S>> {
  const http = createHttpClient({
    baseUrl: ctx.config.baseUrl,
    limiter: ctx.limiter,
    now: ctx.now,
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
    ...(ctx.onRequest ? { onRequest: ctx.onRequest } : {}),
  });
  try {
    return (await http.request(method, path, {
      headers: { Authorization: `Bearer ${ctx.config.token}`, 'Notion-Version': NOTION_VERSION },
      schema: o.schema,
      ...(o.write ? { write: true } : {}),
      ...(o.json !== undefined ? { json: o.json } : {}),
      ...(o.searchParams ? { searchParams: o.searchParams } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    })) as z.output<S>;
  } catch (e) {
    if (e instanceof CrmError && e.status !== undefined) throw notionError(e, o.write === true);
    throw e;
  }
}

export const enc = encodeURIComponent;
