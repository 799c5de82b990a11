// tenant_access_token for a self-built app (POST /open-apis/auth/v3/tenant_access_token/internal
// {app_id, app_secret} → {code, msg, tenant_access_token, expire}). Lives 2 h; Feishu hands out a
// new one once less than 30 min are left. We refresh a margin before expiry, and every concurrent
// caller shares ONE refresh (single flight), so a burst of operations costs one token request.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { HttpClient } from '../http';
import { feishuError, reclassify } from './codes';

const tokenReply = z.object({
  code: z.number(),
  msg: z.string().optional().default(''),
  tenant_access_token: z.string().min(1).optional(),
  expire: z.number().positive().optional(),
});

export interface TokenSource {
  get(signal?: AbortSignal): Promise<string>;
  /** Forget `token` if it is still the cached one (a later refresh already replaced it otherwise). */
  invalidate(token: string): void;
}

export interface TokenCacheOptions {
  http: HttpClient;
  appId: string;
  appSecret: string;
  now: () => number;
  /** Refresh this long before expiry; at most a quarter of the lifetime. Default 5 min. */
  marginMs?: number;
}

export function createTokenCache(o: TokenCacheOptions): TokenSource {
  let cached: { token: string; expiresAt: number; margin: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function fetchToken(signal?: AbortSignal): Promise<string> {
    let body: z.output<typeof tokenReply>;
    try {
      body = await o.http.request('post', 'auth/v3/tenant_access_token/internal', {
        json: { app_id: o.appId, app_secret: o.appSecret },
        schema: tokenReply,
        ...(signal ? { signal } : {}),
      });
    } catch (e) {
      throw e instanceof CrmError ? reclassify(e, false) : e;
    }
    if (body.code !== 0) throw feishuError(body.code, body.msg, { write: false, status: 200 });
    if (!body.tenant_access_token || !body.expire) throw new CrmError('validation', 'Feishu token reply without tenant_access_token/expire');
    const lifetime = body.expire * 1000;
    cached = { token: body.tenant_access_token, expiresAt: o.now() + lifetime, margin: Math.min(o.marginMs ?? 5 * 60_000, lifetime / 4) };
    return cached.token;
  }

  return {
    get(signal) {
      if (cached && cached.expiresAt - cached.margin > o.now()) return Promise.resolve(cached.token);
      inflight ??= fetchToken(signal).finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}

/** Token caches outlive adapter instances (the background may build one per operation). */
const caches = new Map<string, { secret: string; source: TokenSource }>();
export function tokenCacheFor(key: string, o: TokenCacheOptions): TokenSource {
  const hit = caches.get(key);
  if (hit && hit.secret === o.appSecret) return hit.source;
  const source = createTokenCache(o);
  caches.set(key, { secret: o.appSecret, source });
  return source;
}
/** Tests only. */
export function resetTokenCaches(): void {
  caches.clear();
}
