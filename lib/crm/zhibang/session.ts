// 智邦 sessions: log in with user/password ("txt:" plain-text values), keep the session per
// connection for every adapter instance in the worker, and share one login between concurrent
// callers (single flight). A session the ERP refuses is dropped and the call replayed ONCE
// after a fresh login; a refusal right after logging in is an auth error, not a loop.
//
// Failed logins are remembered for a while: after more than 3 failures the ERP demands a
// captcha (rndcode) we cannot answer, so retrying a known-bad password would lock the account.
import { CrmError } from '../errors';
import type { HttpClient } from '../http';
import type { ZhibangConfig } from './config';
import { TokenInvalid } from './errors';
import { zbDocSchema } from './wire';

interface Entry {
  session?: string;
  pending?: Promise<string>;
  logins: number;
  failure?: { password: string; at: number; error: CrmError; captcha: boolean };
}

const entries = new Map<string, Entry>();
const FAILURE_MEMORY_MS = 10 * 60_000;
/**
 * A captcha lock is lifted by the user signing in once in the browser, and then pressing 重试:
 * it is remembered only long enough to keep concurrent calls from each trying to log in. (Whether
 * a try while locked counts as a failure is not documented; the outbox pauses on auth, so only
 * the user's 重试 and the periodic pull try again.)
 */
const CAPTCHA_MEMORY_MS = 15_000;

/** The vendorCode of the captcha lock, for a UI that wants to offer "open the ERP" next to 重试. */
export const CAPTCHA_REQUIRED = 'CAPTCHA_REQUIRED';

/**
 * After more than 3 failed logins the ERP demands the captcha (rndcode) of its login page, which
 * Liaison cannot answer: an auth error (the outbox pauses) saying exactly what to do.
 */
export function captchaError(cfg: Pick<ZhibangConfig, 'baseUrl'>, status: number, message: string): CrmError {
  const where = cfg.baseUrl;
  return new CrmError('auth', `智邦ERP login needs the captcha (status ${status}): ${message.slice(0, 200)}`, {
    vendorCode: CAPTCHA_REQUIRED,
    userMessage: {
      zh_CN: `智邦ERP 要求输入验证码（登录失败次数过多）：请在浏览器中打开 ${where} 登录一次（输入验证码），然后回到 Liaison 点「重试」`,
      en: `Zhibang ERP is asking for a captcha (too many failed sign-ins): open ${where} in your browser, sign in once (entering the captcha), then come back to Liaison and click Retry`,
    },
  });
}

/** Tests only. */
export function resetZhibangSessions(): void {
  entries.clear();
}

export interface SessionManager {
  /** The cached session, or a (shared) fresh login. */
  current(): Promise<string>;
  /** Logs in now, ignoring the cache and any remembered failure ("test connection"). */
  fresh(): Promise<string>;
  /** Runs `call` with a session; on TokenInvalid logs in again and replays it once. */
  withSession<T>(call: (session: string) => Promise<T>): Promise<T>;
  /** How many logins this connection has made in this worker (tests, diagnostics). */
  logins(): number;
}

export function createSessionManager(cfg: ZhibangConfig, http: HttpClient, now: () => number): SessionManager {
  const key = `${cfg.connectionId}|${cfg.baseUrl}|${cfg.user}`;
  const entry = (): Entry => {
    let e = entries.get(key);
    if (!e) {
      e = { logins: 0 };
      entries.set(key, e);
    }
    return e;
  };

  async function login(): Promise<string> {
    const e = entry();
    e.logins += 1;
    const path = cfg.apiStyle === 'v3' ? 'webapi/v3/ov1/login' : 'sysa/mobilephone/login.asp';
    let doc;
    try {
      doc = await http.request('post', path, {
        json: {
          datas: [
            { id: 'user', val: `txt:${cfg.user}` },
            { id: 'password', val: `txt:${cfg.password}` },
            { id: 'serialnum', val: `txt:${cfg.serialnum}` },
            { id: 'rndcode', val: '' },
          ],
        },
        schema: zbDocSchema,
      });
    } catch (err) {
      if (err instanceof CrmError && (err.kind === 'not-found' || err.kind === 'unsupported')) {
        throw new CrmError('validation', `智邦ERP: no login endpoint at ${path} (${err.message})`, {
          cause: err,
          userMessage: { zh_CN: '该地址上找不到智邦ERP登录接口，请检查 ERP 地址和接口风格', en: 'No Zhibang ERP login endpoint at this address; check the ERP address and API style' },
        });
      }
      throw err;
    }
    const { status, message = '', session } = doc.header;
    if (status !== 0 || !session) {
      const captcha = status === 3 || /验证码|rndcode/i.test(message);
      const error = captcha ? captchaError(cfg, status, message) : new CrmError('auth', `智邦ERP login refused (status ${status}): ${message.slice(0, 200)}`, {
        vendorCode: `status ${status}`,
        userMessage: { zh_CN: `智邦ERP 登录失败：${message || '用户名或密码错误'}`, en: `Zhibang ERP sign-in failed: ${message || 'wrong user name or password'}` },
      });
      e.failure = { password: cfg.password, at: now(), error, captcha };
      throw error;
    }
    e.failure = undefined;
    e.session = session;
    return session;
  }

  function shared(): Promise<string> {
    const e = entry();
    if (!e.pending) {
      // Not tied to any caller's AbortSignal: other callers wait on the same login.
      e.pending = login().finally(() => {
        e.pending = undefined;
      });
    }
    return e.pending;
  }

  async function current(): Promise<string> {
    const e = entry();
    if (e.session) return e.session;
    const f = e.failure;
    if (f && f.password === cfg.password && now() - f.at < (f.captcha ? CAPTCHA_MEMORY_MS : FAILURE_MEMORY_MS)) throw f.error;
    return shared();
  }

  return {
    current,
    fresh() {
      const e = entry();
      e.session = undefined;
      e.failure = undefined;
      return shared();
    },
    async withSession(call) {
      const first = await current();
      try {
        return await call(first);
      } catch (err) {
        if (!(err instanceof TokenInvalid)) throw err;
        const e = entry();
        // Only drop the session this call used: a concurrent caller may already have a new one.
        if (e.session === first) e.session = undefined;
      }
      const second = await current();
      try {
        return await call(second);
      } catch (err) {
        if (err instanceof TokenInvalid) {
          throw new CrmError('auth', `智邦ERP refused a fresh session: ${err.message.slice(0, 200)}`, {
            userMessage: { zh_CN: '智邦ERP 拒绝了刚登录的会话，请检查账号权限或设备序列号', en: 'Zhibang ERP refused a session right after sign-in; check the account rights or device serial' },
          });
        }
        throw err;
      }
    },
    logins: () => entry().logins,
  };
}
