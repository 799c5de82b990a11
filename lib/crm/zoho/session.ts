// The OAuth session of one Zoho connection: the access token in use and ONE refresh at a time.
// Zoho access tokens live an hour (expires_in 3600); the signal to refresh is the API's 401
// {"code":"INVALID_TOKEN"}. Every caller that saw the same rejected token shares one refresh
// (single flight); a caller holding an already replaced token just takes the new one. Zoho keeps
// the refresh token (it does not rotate it); new access tokens go to onSecrets to persist.
import { CrmError } from '../errors';
import type { TokenSet } from '../../oauth/token';
import { reconnect, type ZohoTokens } from './config';

export interface ZohoSession {
  current(): ZohoTokens;
  renew(stale: string, signal?: AbortSignal): Promise<ZohoTokens>;
  refreshes(): number;
}

export interface ZohoSessionOptions {
  initial: ZohoTokens;
  refresh(refreshToken: string, signal?: AbortSignal): Promise<TokenSet>;
  onSecrets?: (patch: Record<string, string>) => void | Promise<void>;
  now: () => number;
}

export function createZohoSession(o: ZohoSessionOptions): ZohoSession {
  let tokens = o.initial;
  let inflight: Promise<ZohoTokens> | undefined;
  let count = 0;
  async function doRefresh(signal?: AbortSignal): Promise<ZohoTokens> {
    if (!tokens.refreshToken) throw new CrmError('auth', 'Zoho: access token rejected and no refresh token was granted', { vendorCode: 'INVALID_TOKEN', userMessage: reconnect });
    count++;
    let set: TokenSet;
    try {
      set = await o.refresh(tokens.refreshToken, signal);
    } catch (e) {
      if (e instanceof CrmError && e.kind === 'auth') throw new CrmError('auth', e.message, { ...(e.vendorCode ? { vendorCode: e.vendorCode } : {}), userMessage: reconnect, cause: e });
      throw e;
    }
    tokens = { accessToken: set.access_token, refreshToken: set.refresh_token ?? tokens.refreshToken };
    const patch: Record<string, string> = { access_token: set.access_token };
    if (set.refresh_token) patch.refresh_token = set.refresh_token;
    if (set.expires_in !== undefined && Number.isFinite(set.expires_in)) patch.expires_at = String(o.now() + set.expires_in * 1000);
    try {
      await o.onSecrets?.(patch);
    } catch {
      /* persisting is the background's job; the token works in memory meanwhile */
    }
    return tokens;
  }
  return {
    current: () => tokens,
    refreshes: () => count,
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
const sessions = new Map<string, { grant: string; session: ZohoSession }>();
export function zohoSessionFor(connectionId: string, o: ZohoSessionOptions): ZohoSession {
  const grant = o.initial.refreshToken ?? o.initial.accessToken;
  const hit = sessions.get(connectionId);
  if (hit && hit.grant === grant) return hit.session;
  const session = createZohoSession(o);
  sessions.set(connectionId, { grant, session });
  return session;
}
/** Tests only (a killed service worker loses these). */
export function resetZohoSessions(): void {
  sessions.clear();
}
