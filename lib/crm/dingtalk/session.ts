// The access token of one DingTalk connection and ONE fetch of it at a time (single flight).
// POST /v1.0/oauth2/accessToken {appKey, appSecret} → {accessToken, expireIn} (seconds, 7200 in
// the docs): a token near its end is renewed before the call; a rejected one (401
// InvalidAuthentication, old API errcode 40014/42001) is renewed once for every caller
// together. Nothing to persist: the app credentials mint a new token at any time.
import { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient } from '../http';
import type { RateLimiter } from '../rate-limiter';
import { dingtalkError, parseFailure } from './errors';

const tokenReply = z.object({ accessToken: z.string().min(1), expireIn: z.number().int().positive() });

export interface DingtalkToken {
  accessToken: string;
  /** epoch ms */
  expiresAt: number;
}

export interface SessionOptions {
  apiBase: string;
  appKey: string;
  appSecret: string;
  limiter: RateLimiter;
  now: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface DingtalkSession {
  /** A token that is not about to expire (fetching one when needed). */
  token(signal?: AbortSignal): Promise<string>;
  /** `stale` was rejected: resolve with a newer token (one fetch shared by all callers). */
  renew(stale: string, signal?: AbortSignal): Promise<string>;
  /** How many tokens this session fetched (tests). */
  fetched(): number;
}

/** Renew this long before expiry, so a request never leaves with a token about to die. */
const EARLY_MS = 5 * 60_000;

const badCredentials = { zh_CN: '钉钉拒绝了应用的 Client ID 或 Client Secret，请在开发者后台核对后重新填写', en: 'DingTalk refused the app’s Client ID or Client Secret; check them in the developer console and enter them again' };

export function createSession(o: SessionOptions): DingtalkSession {
  let current: DingtalkToken | undefined;
  let inflight: Promise<string> | undefined;
  let count = 0;

  async function fetchToken(signal?: AbortSignal): Promise<string> {
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
      count += 1;
      const r = await http.request('post', 'v1.0/oauth2/accessToken', { json: { appKey: o.appKey, appSecret: o.appSecret }, schema: tokenReply, ...(signal ? { signal } : {}) });
      current = { accessToken: r.accessToken, expiresAt: o.now() + r.expireIn * 1000 };
      return r.accessToken;
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

  const refresh = (signal?: AbortSignal) => {
    inflight ??= fetchToken(signal).finally(() => {
      inflight = undefined;
    });
    return inflight;
  };

  return {
    token(signal) {
      if (current && current.expiresAt - EARLY_MS > o.now()) return Promise.resolve(current.accessToken);
      return refresh(signal);
    },
    renew(stale, signal) {
      if (current && current.accessToken !== stale && current.expiresAt - EARLY_MS > o.now()) return Promise.resolve(current.accessToken);
      return refresh(signal);
    },
    fetched: () => count,
  };
}

/** Sessions outlive adapter instances (the background rebuilds adapters when settings change). */
const sessions = new Map<string, { grant: string; session: DingtalkSession }>();
export function dingtalkSessionFor(connectionId: string, o: SessionOptions): DingtalkSession {
  const grant = `${o.apiBase}|${o.appKey}|${o.appSecret}`;
  const hit = sessions.get(connectionId);
  if (hit && hit.grant === grant) return hit.session;
  const session = createSession(o);
  sessions.set(connectionId, { grant, session });
  return session;
}
/** Tests only. */
export function resetDingtalkSessions(): void {
  sessions.clear();
}
