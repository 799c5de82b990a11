// The OAuth session of one Dynamics connection: the access token in use and ONE refresh at a
// time (single flight). Entra access tokens carry expires_in (about an hour): a token known to
// be expired is renewed before the call; a 401 renews once and replays. Renewed tokens go to
// `onSecrets` for the background to persist (Entra rotates the refresh token on every refresh).
import { CrmError } from '../errors';
import type { TokenSet } from '../../oauth/token';
import { reconnect, type DynamicsTokens } from './config';

export interface SessionOptions {
  initial: DynamicsTokens;
  refresh(refreshToken: string, signal?: AbortSignal): Promise<TokenSet>;
  onSecrets?: (patch: Record<string, string>) => void | Promise<void>;
  now: () => number;
}

export interface Session {
  current(): DynamicsTokens;
  /** `stale` was rejected or is expired: resolve with a newer token (one refresh shared by all callers). */
  renew(stale: string, signal?: AbortSignal): Promise<DynamicsTokens>;
}

/** Renew this long before Entra's expiry, so a request never leaves with a token about to die. */
const EARLY_MS = 60_000;

export function isExpired(t: DynamicsTokens, now: number): boolean {
  return t.expiresAt !== undefined && t.expiresAt - EARLY_MS <= now;
}

export function createSession(o: SessionOptions): Session {
  let tokens = o.initial;
  let inflight: Promise<DynamicsTokens> | undefined;

  async function doRefresh(signal?: AbortSignal): Promise<DynamicsTokens> {
    if (!tokens.refreshToken) throw new CrmError('auth', 'Dynamics: access token expired and no refresh token was granted', { vendorCode: 'invalid_grant', userMessage: reconnect });
    let set: TokenSet;
    try {
      set = await o.refresh(tokens.refreshToken, signal);
    } catch (e) {
      if (e instanceof CrmError && e.kind === 'auth') throw new CrmError('auth', e.message, { ...(e.vendorCode ? { vendorCode: e.vendorCode } : {}), userMessage: reconnect, cause: e });
      throw e;
    }
    const refreshToken = set.refresh_token ?? tokens.refreshToken;
    const next: DynamicsTokens = {
      accessToken: set.access_token,
      ...(refreshToken ? { refreshToken } : {}),
      ...(set.expires_in !== undefined ? { expiresAt: o.now() + set.expires_in * 1000 } : {}),
    };
    tokens = next;
    const patch: Record<string, string> = { access_token: next.accessToken };
    if (set.refresh_token) patch.refresh_token = set.refresh_token;
    if (next.expiresAt !== undefined) patch.expires_at = String(next.expiresAt);
    try {
      await o.onSecrets?.(patch);
    } catch {
      /* persisting is the background's job; the token works in memory */
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
