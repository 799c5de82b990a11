// The access token of an app-credentials connection (DingTalk appKey/appSecret, WeCom corpid/secret):
// the credentials mint a token at any time, so nothing is persisted; ONE fetch runs at a time
// (single flight), a token near its end is renewed before a call leaves, and a rejected one is
// renewed once for every caller together. The vendor part — how a token is fetched and what a
// refusal means — stays in each adapter's session.ts.

export interface AppToken {
  token: string;
  /** epoch ms */
  expiresAt: number;
}

export interface AppTokenSession {
  /** A token that is not about to expire (fetching one when needed). */
  token(signal?: AbortSignal): Promise<string>;
  /** `stale` was rejected: resolve with a newer token (one fetch shared by all callers). */
  renew(stale: string, signal?: AbortSignal): Promise<string>;
  /** How many tokens this session fetched (tests). */
  fetched(): number;
}

/** Renew this long before expiry, so a request never leaves with a token about to die. */
export const RENEW_EARLY_MS = 5 * 60_000;

export function createAppTokenSession(o: { fetchToken(signal?: AbortSignal): Promise<AppToken>; now: () => number }): AppTokenSession {
  let current: AppToken | undefined;
  let inflight: Promise<string> | undefined;
  let count = 0;
  const fresh = () => current !== undefined && current.expiresAt - RENEW_EARLY_MS > o.now();
  const refresh = (signal?: AbortSignal) => {
    inflight ??= (async () => {
      count += 1;
      current = await o.fetchToken(signal);
      return current.token;
    })().finally(() => {
      inflight = undefined;
    });
    return inflight;
  };
  return {
    token: (signal) => (fresh() ? Promise.resolve(current!.token) : refresh(signal)),
    renew(stale, signal) {
      if (fresh() && current!.token !== stale) return Promise.resolve(current!.token);
      // The rejected token is not handed out again while the new one is fetched.
      if (current?.token === stale) current = undefined;
      return refresh(signal);
    },
    fetched: () => count,
  };
}

/**
 * Sessions outlive adapter instances (the background rebuilds adapters when settings change): one
 * per connection, replaced when its credentials (`grant`) change.
 */
export function createSessionCache() {
  const sessions = new Map<string, { grant: string; session: AppTokenSession }>();
  return {
    get(connectionId: string, grant: string, make: () => AppTokenSession): AppTokenSession {
      const hit = sessions.get(connectionId);
      if (hit && hit.grant === grant) return hit.session;
      const session = make();
      sessions.set(connectionId, { grant, session });
      return session;
    },
    /** Tests only (a killed service worker loses these). */
    clear: () => sessions.clear(),
  };
}
