// The HTTP client every remote adapter uses (background only): ky underneath, with the
// connection's rate limiter in front, a timeout, JSON in and out, an optional zod schema for
// the reply, and every failure turned into a CrmError so the outbox never sees vendor shapes.
// Vendors that report errors inside a 200 body (Feishu, 智邦) check `body` themselves.
import ky, { HTTPError, TimeoutError } from 'ky';
import type { z } from 'zod';
import { CrmError, classifyHttpError, classifyNetworkError } from './errors';
import type { RateLimiter } from './rate-limiter';

export interface HttpClientOptions {
  baseUrl: string;
  limiter: RateLimiter;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
  /** Observes every request actually sent (benchmarks count them; never logs bodies). */
  onRequest?(info: { method: string; url: string; at: number }): void;
}

export interface RequestOptions<S extends z.ZodType | undefined> {
  json?: unknown;
  searchParams?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Validates the reply body; a mismatch is a CrmError('validation') naming the first bad path. */
  schema?: S;
  /** Writes queue in the limiter's write lane, and a lost reply is an unknown outcome. */
  write?: boolean;
  signal?: AbortSignal;
}

export type HttpClient = ReturnType<typeof createHttpClient>;

export function createHttpClient(opts: HttpClientOptions) {
  const now = opts.now ?? Date.now;
  // The server's clock as its last reply's Date header gave it (second precision, rounded down),
  // with our clock at that moment: "changes since" cursors are the CRM's times, not ours.
  let serverDate: { server: number; local: number } | undefined;
  const client = ky.create({
    prefixUrl: opts.baseUrl.replace(/\/+$/, ''),
    timeout: opts.timeoutMs ?? 30_000,
    retry: 0, // retries live in one layer only: the outbox
    throwHttpErrors: true,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });

  return {
    async request<S extends z.ZodType | undefined = undefined>(
      method: 'get' | 'post' | 'put' | 'patch' | 'delete',
      path: string,
      ro: RequestOptions<S> = {},
    ): Promise<S extends z.ZodType ? z.output<S> : unknown> {
      const release = await opts.limiter.acquire(ro.write ? 'write' : 'read', ro.signal);
      let body: unknown;
      try {
        const searchParams = ro.searchParams
          ? Object.fromEntries(Object.entries(ro.searchParams).filter((e): e is [string, string | number | boolean] => e[1] !== undefined))
          : undefined;
        opts.onRequest?.({ method: method.toUpperCase(), url: path, at: now() });
        const res = await client(path.replace(/^\/+/, ''), {
          method,
          ...(ro.json !== undefined ? { json: ro.json } : {}),
          ...(searchParams ? { searchParams } : {}),
          ...(ro.headers ? { headers: ro.headers } : {}),
          ...(ro.signal ? { signal: ro.signal } : {}),
        });
        const date = Date.parse(res.headers.get('date') ?? '');
        if (Number.isFinite(date)) serverDate = { server: date, local: now() };
        const text = await res.text();
        body = text ? safeJson(text) : undefined;
      } catch (err) {
        if (err instanceof HTTPError) {
          const errBody = await err.response
            .text()
            .then(safeJson)
            .catch(() => undefined);
          const crmErr = classifyHttpError(err.response.status, err.response.headers, errBody, { write: ro.write, now: now() });
          if (crmErr.kind === 'rate-limited') opts.limiter.coolDown(now() + (crmErr.retryAfterMs ?? 1000));
          throw crmErr;
        }
        if (err instanceof TimeoutError) throw classifyNetworkError(err, { write: !!ro.write });
        if (ro.signal?.aborted) throw err; // the caller cancelled: not a CRM failure
        throw classifyNetworkError(err, { write: !!ro.write });
      } finally {
        release();
      }
      if (!ro.schema) return body as never;
      const parsed = ro.schema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new CrmError('validation', `unexpected reply from ${path}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
      }
      return parsed.data as never;
    },
    /**
     * The CRM server's time now, from the Date header of its last reply plus the time elapsed
     * here since, at most a second behind the truth (the header drops milliseconds); undefined
     * until a reply carried a Date header.
     */
    serverNow(): number | undefined {
      return serverDate && serverDate.server + Math.max(0, now() - serverDate.local);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
