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
import { createAppTokenSession, createSessionCache, type AppToken, type AppTokenSession } from '../app-token';
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

export type WecomSession = AppTokenSession;

export function createSession(o: SessionOptions): WecomSession {
  const http = createHttpClient({ baseUrl: o.base, limiter: o.limiter, now: o.now, ...(o.fetch ? { fetch: o.fetch } : {}), ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}) });

  async function fetchToken(signal?: AbortSignal): Promise<AppToken> {
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
    return { token: r.access_token, expiresAt: o.now() + r.expires_in * 1000 };
  }
  return createAppTokenSession({ fetchToken, now: o.now });
}

const sessions = createSessionCache();
export function wecomSessionFor(connectionId: string, o: SessionOptions): WecomSession {
  return sessions.get(connectionId, `${o.base}|${o.corpid}|${o.secret}`, () => createSession(o));
}
/** Tests only. */
export function resetWecomSessions(): void {
  sessions.clear();
}
