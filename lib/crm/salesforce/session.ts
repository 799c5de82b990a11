// The OAuth session of one connection: the access token in use and ONE refresh at a time.
// Salesforce access tokens have no expires_in (their life is the org's session timeout), so the
// only refresh signal is a 401 INVALID_SESSION_ID. Every caller that saw the same rejected token
// shares one refresh (single flight), and a caller holding a token that was already replaced
// just takes the new one — so a burst of 200 rejected requests costs exactly one refresh.
// New tokens go to `onSecrets` for the background to persist in the connection's secrets.
import { CrmError } from '../errors';
import type { TokenSet } from '../../oauth/token';
import { checkInstanceUrl, type SalesforceTokens } from './config';

export type SecretsPatch = Record<string, string>;

export interface SessionOptions {
  initial: SalesforceTokens;
  refresh(refreshToken: string, signal?: AbortSignal): Promise<TokenSet>;
  onSecrets?: (patch: SecretsPatch) => void | Promise<void>;
}

export interface Session {
  current(): SalesforceTokens;
  /** `stale` was rejected: resolve with a newer token (refreshing once, shared by all callers). */
  renew(stale: string, signal?: AbortSignal): Promise<SalesforceTokens>;
}

const reconnect = { zh_CN: 'Salesforce 授权已失效，请在设置中重新连接', en: 'The Salesforce authorization expired; connect again in the options' };

export function createSession(o: SessionOptions): Session {
  let tokens = o.initial;
  let inflight: Promise<SalesforceTokens> | undefined;

  async function doRefresh(signal?: AbortSignal): Promise<SalesforceTokens> {
    if (!tokens.refreshToken) throw new CrmError('auth', 'Salesforce: session expired and no refresh token was granted', { vendorCode: 'INVALID_SESSION_ID', userMessage: reconnect });
    let set: TokenSet;
    try {
      set = await o.refresh(tokens.refreshToken, signal);
    } catch (e) {
      if (e instanceof CrmError && e.kind === 'auth') throw new CrmError('auth', e.message, { ...(e.vendorCode ? { vendorCode: e.vendorCode } : {}), userMessage: reconnect, cause: e });
      throw e;
    }
    const next: SalesforceTokens = {
      accessToken: set.access_token,
      instanceUrl: set.instance_url ? checkInstanceUrl(set.instance_url) : tokens.instanceUrl,
      // Salesforce keeps the refresh token unless the app rotates it; then the new one replaces it.
      ...(set.refresh_token ?? tokens.refreshToken ? { refreshToken: set.refresh_token ?? tokens.refreshToken } : {}),
    };
    tokens = next;
    const patch: SecretsPatch = { access_token: next.accessToken, instance_url: next.instanceUrl };
    if (set.refresh_token) patch.refresh_token = set.refresh_token;
    if (set.issued_at) patch.issued_at = set.issued_at;
    // Persisting is the background's job; a failure there must not fail the request that
    // triggered it (the token works in memory; the next worker start refreshes again).
    try {
      await o.onSecrets?.(patch);
    } catch {
      /* ignored on purpose, see above */
    }
    return next;
  }

  return {
    current: () => tokens,
    renew(stale, signal) {
      if (tokens.accessToken !== stale) return Promise.resolve(tokens);
      inflight ??= doRefresh(signal).finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
  };
}

/** Sessions outlive adapter instances (the background rebuilds adapters when settings change). */
const sessions = new Map<string, { grant: string; session: Session }>();
export function sessionFor(connectionId: string, o: SessionOptions): Session {
  // The grant is the refresh token (or the access token without one): a reconnect issues a new one.
  const grant = o.initial.refreshToken ?? o.initial.accessToken;
  const hit = sessions.get(connectionId);
  if (hit && hit.grant === grant) return hit.session;
  const session = createSession(o);
  sessions.set(connectionId, { grant, session });
  return session;
}
/** Tests only. */
export function resetSessions(): void {
  sessions.clear();
}
