// The access token of one DingTalk connection and ONE fetch of it at a time (single flight).
// POST /v1.0/oauth2/accessToken {appKey, appSecret} → {accessToken, expireIn} (seconds, 7200 in
// the docs): a token near its end is renewed before the call; a rejected one (401
// InvalidAuthentication, old API errcode 40014/42001) is renewed once for every caller
// together. Nothing to persist: the app credentials mint a new token at any time.
import { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient } from '../http';
import type { RateLimiter } from '../rate-limiter';
import { createAppTokenSession, createSessionCache, type AppToken, type AppTokenSession } from '../app-token';
import { dingtalkError, parseFailure } from './errors';

const tokenReply = z.object({ accessToken: z.string().min(1), expireIn: z.number().int().positive() });

export interface SessionOptions {
  apiBase: string;
  appKey: string;
  appSecret: string;
  limiter: RateLimiter;
  now: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export type DingtalkSession = AppTokenSession;

const badCredentials = { zh_CN: '钉钉拒绝了应用的 Client ID 或 Client Secret，请在开发者后台核对后重新填写', en: 'DingTalk refused the app’s Client ID or Client Secret; check them in the developer console and enter them again' };

export function createSession(o: SessionOptions): DingtalkSession {
  return createAppTokenSession({ fetchToken, now: o.now });

  async function fetchToken(signal?: AbortSignal): Promise<AppToken> {
    let failure: unknown;
    const base = o.fetch ?? globalThis.fetch;
    const http = createHttpClient({
      baseUrl: o.apiBase,
      limiter: o.limiter,
      now: o.now,
      ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
      fetch: async (input, init) => {
        const res = await base(input, init);
        if (!res.ok) failure = await res.clone().json().catch(() => undefined);
        return res;
      },
    });
    try {
      const r = await http.request('post', 'v1.0/oauth2/accessToken', { json: { appKey: o.appKey, appSecret: o.appSecret }, schema: tokenReply, ...(signal ? { signal } : {}) });
      return { token: r.accessToken, expiresAt: o.now() + r.expireIn * 1000 };
    } catch (e) {
      if (!(e instanceof CrmError) || e.status === undefined) throw e;
      const f = parseFailure(failure);
      const classified = dingtalkError(f, e, o.now());
      // Any 4xx from the token endpoint other than a rate limit: the app key or secret is wrong.
      if (e.status >= 400 && e.status < 500 && classified.kind !== 'rate-limited') {
        throw new CrmError('auth', classified.message, { status: e.status, ...(f ? { vendorCode: f.code } : {}), userMessage: badCredentials, cause: e });
      }
      throw classified;
    }
  }
}

const sessions = createSessionCache();
export function dingtalkSessionFor(connectionId: string, o: SessionOptions): DingtalkSession {
  return sessions.get(connectionId, `${o.apiBase}|${o.appKey}|${o.appSecret}`, () => createSession(o));
}
/** Tests only. */
export function resetDingtalkSessions(): void {
  sessions.clear();
}
