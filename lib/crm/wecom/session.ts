// The access token of one WeCom app and ONE fetch of it at a time (single flight, as
// lib/crm/zoho/session.ts and lib/crm/dingtalk/session.ts do). GET /cgi-bin/gettoken?corpid&
// corpsecret → {errcode:0, access_token, expires_in} (WwOpenGetToken.yaml: normally 7200 s; "不能频繁
// 调用gettoken接口，否则会受到频率拦截"; WeCom may invalidate a token early, so a rejected one —
// 40014/42001 — is renewed once for every caller together). Nothing to persist: the secret mints a
// token at any time, and the token never leaves the background.
import { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient } from '../http';
import type { RateLimiter } from '../rate-limiter';
import { userText, wecomError } from './errors';

const tokenReply = z.object({
  errcode: z.number().int(),
  errmsg: z.string().default(''),
  access_token: z.string().min(1).max(512).optional(),
  expires_in: z.number().int().positive().optional(),
});

export interface SessionOptions {
  base: string;
  corpid: string;
  secret: string;
  limiter: RateLimiter;
  now: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface WecomSession {
  /** A token that is not about to expire (fetching one when needed). */
  token(signal?: AbortSignal): Promise<string>;
  /** `stale` was rejected: resolve with a newer token (one fetch shared by all callers). */
  renew(stale: string, signal?: AbortSignal): Promise<string>;
  /** How many tokens this session fetched (tests). */
  fetched(): number;
}

/** Renew this long before expiry, so a request never leaves with a token about to die. */
const EARLY_MS = 5 * 60_000;

export function createSession(o: SessionOptions): WecomSession {
  let current: { token: string; expiresAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  let count = 0;
  const http = createHttpClient({ baseUrl: o.base, limiter: o.limiter, now: o.now, ...(o.fetch ? { fetch: o.fetch } : {}), ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}) });

  async function fetchToken(signal?: AbortSignal): Promise<string> {
    count += 1;
    const r = await http.request('get', 'cgi-bin/gettoken', { searchParams: { corpid: o.corpid, corpsecret: o.secret }, schema: tokenReply, ...(signal ? { signal } : {}) });
    if (r.errcode !== 0) {
      const e = wecomError({ errcode: r.errcode, errmsg: r.errmsg }, 'cgi-bin/gettoken');
      // Any refusal of gettoken other than a rate limit or the IP rule: the corpid or secret is wrong.
      if (e.kind === 'auth' || e.kind === 'validation') {
        throw new CrmError('auth', e.message, { vendorCode: String(r.errcode), userMessage: r.errcode === 60020 ? userText.ip : userText.credentials });
      }
      throw e;
    }
    if (!r.access_token || !r.expires_in) throw new CrmError('validation', 'WeCom gettoken: errcode 0 without access_token/expires_in');
    current = { token: r.access_token, expiresAt: o.now() + r.expires_in * 1000 };
    return r.access_token;
  }

  const refresh = (signal?: AbortSignal) => {
    inflight ??= fetchToken(signal).finally(() => {
      inflight = undefined;
    });
    return inflight;
  };

  return {
    token(signal) {
      if (current && current.expiresAt - EARLY_MS > o.now()) return Promise.resolve(current.token);
      return refresh(signal);
    },
    renew(stale, signal) {
      if (current && current.token !== stale && current.expiresAt - EARLY_MS > o.now()) return Promise.resolve(current.token);
      current = undefined;
      return refresh(signal);
    },
    fetched: () => count,
  };
}

/** Sessions outlive adapter instances (the background rebuilds adapters when settings change). */
const sessions = new Map<string, { grant: string; session: WecomSession }>();
export function wecomSessionFor(connectionId: string, o: SessionOptions): WecomSession {
  const grant = `${o.base}|${o.corpid}|${o.secret}`;
  const hit = sessions.get(connectionId);
  if (hit && hit.grant === grant) return hit.session;
  const session = createSession(o);
  sessions.set(connectionId, { grant, session });
  return session;
}
/** Tests only. */
export function resetWecomSessions(): void {
  sessions.clear();
}
