// Every Bitable/Task call goes through here: lib/crm/http.ts underneath (limiter, timeout,
// CrmError classification), then Feishu's own envelope {code, msg, data}: most bitable errors
// arrive as HTTP 200 with code ≠ 0, so the body is classified here (codes.ts). An invalid or
// expired token is refreshed ONCE and the call replayed (safe: the gateway rejected it unread).
import { z } from 'zod';
import { CrmError } from '../errors';
import type { HttpClient } from '../http';
import type { RateLimiter } from '../rate-limiter';
import type { TtlMemo } from '../ttl-memo';
import { TOKEN_INVALID_CODES, feishuError, reclassify } from './codes';
import type { FeishuConfig } from './config';
import type { FeishuField } from './fields';
import type { TokenSource } from './token';

export interface FeishuContext {
  config: FeishuConfig;
  http: HttpClient;
  limiter: RateLimiter;
  tokens: TokenSource;
  now: () => number;
  /** Table ids found by name when settings carry none (one lookup per adapter instance). */
  tableIds?: Promise<Partial<Record<'customers' | 'followUps' | 'deals', string>>>;
  /** Each table's fields by table id, for listFields and typing template values. */
  fieldLists: TtlMemo<string, FeishuField[]>;
}

const envelope = z.object({ code: z.number(), msg: z.string().optional().default(''), data: z.unknown().optional() });

export interface CallOptions<S extends z.ZodType> {
  json?: unknown;
  searchParams?: Record<string, string | number | boolean | undefined>;
  /** Record writes: serialized by the limiter's write lane; a lost reply is an unknown outcome. */
  write?: boolean;
  signal?: AbortSignal | undefined;
  /** Schema of `data` in the reply. */
  data: S;
}

const tokenRejected = (e: CrmError) => e.vendorCode !== undefined && TOKEN_INVALID_CODES.has(Number(e.vendorCode));

export async function call<S extends z.ZodType>(ctx: FeishuContext, method: 'get' | 'post' | 'put', path: string, o: CallOptions<S>): Promise<z.output<S>> {
  const write = o.write === true;
  for (let attempt = 0; ; attempt++) {
    const token = await ctx.tokens.get(o.signal);
    let failure: CrmError | undefined;
    let data: unknown;
    try {
      const body = await ctx.http.request(method, path, {
        headers: { Authorization: `Bearer ${token}` },
        schema: envelope,
        write,
        ...(o.json !== undefined ? { json: o.json } : {}),
        ...(o.searchParams ? { searchParams: o.searchParams } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      });
      if (body.code !== 0) {
        failure = feishuError(body.code, body.msg, { write, status: 200 });
        // HTTP 200 + 1254290 carries no reset header we can read: hold every request for a second.
        if (failure.kind === 'rate-limited') ctx.limiter.coolDown(ctx.now() + (failure.retryAfterMs ?? 1000));
      } else data = body.data;
    } catch (e) {
      if (!(e instanceof CrmError)) throw e;
      failure = reclassify(e, write);
    }
    if (failure) {
      if (tokenRejected(failure) && attempt === 0) {
        ctx.tokens.invalidate(token);
        continue;
      }
      throw failure;
    }
    const parsed = o.data.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CrmError('validation', `unexpected Feishu reply from ${path.replace(/\/(bascn|tbl|rec)\w+/g, '/$1…')}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
    }
    return parsed.data;
  }
}

/** bitable/v1/apps/:app_token/… with path segments escaped. */
export function appPath(appToken: string, ...rest: string[]): string {
  return ['bitable/v1/apps', encodeURIComponent(appToken), ...rest.map((s) => (s.includes('/') ? s : encodeURIComponent(s)))].join('/');
}
