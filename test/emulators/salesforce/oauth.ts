// The emulator's OAuth 2.0 endpoints (web server flow + PKCE, refresh token flow), strict like
// Salesforce: registered client id and exact callback URL, response_type=code, S256 only,
// single-use codes bound to the client, callback and challenge, form-encoded token requests.
import { createHash, randomBytes } from 'node:crypto';

export interface OAuthState {
  clientId: string;
  redirectUri: string;
  codes: Map<string, { redirectUri: string; challenge: string; expiresAt: number; used: boolean }>;
  /** access token → expiry (epoch ms) */
  accessTokens: Map<string, number>;
  refreshTokens: Set<string>;
  tokenRequests: { authorization_code: number; refresh_token: number };
  denyNext: number;
  sessionTtlMs: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  text?: string;
}

const b64url = (b: Buffer) => b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const oauthError = (error: string, error_description: string, status = 400): Reply => ({ status, body: { error, error_description } });

export function authorize(o: OAuthState, q: URLSearchParams, now: number): Reply {
  // Until client and callback are known good, never redirect (an open redirector otherwise).
  if (q.get('client_id') !== o.clientId) return { status: 400, text: 'error=invalid_client_id&error_description=client%20identifier%20invalid' };
  if (q.get('redirect_uri') !== o.redirectUri) return { status: 400, text: 'error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration' };
  const state = q.get('state');
  const back = (params: Record<string, string>): Reply => {
    const u = new URL(o.redirectUri);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    if (state !== null) u.searchParams.set('state', state);
    return { status: 302, headers: { location: u.toString() } };
  };
  if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type', error_description: 'response type not supported' });
  const challenge = q.get('code_challenge');
  if (!challenge || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return back({ error: 'invalid_request', error_description: 'missing or invalid code_challenge' });
  if (q.get('code_challenge_method') !== 'S256') return back({ error: 'invalid_request', error_description: 'code_challenge_method must be S256' });
  if (!state) return back({ error: 'invalid_request', error_description: 'missing state' });
  const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
  if (scopes.some((s) => !['api', 'refresh_token', 'offline_access', 'id', 'profile', 'email', 'openid'].includes(s))) return back({ error: 'invalid_scope', error_description: 'the requested scope is not allowed' });
  if (o.denyNext > 0) {
    o.denyNext -= 1;
    return back({ error: 'access_denied', error_description: 'end-user denied authorization' });
  }
  // Salesforce codes end in "==" and arrive URL-encoded: clients must decode them.
  const code = `aPrx${b64url(randomBytes(24))}==`;
  o.codes.set(code, { redirectUri: o.redirectUri, challenge, expiresAt: now + 15 * 60_000, used: false });
  return back({ code });
}

function issue(o: OAuthState, url: string, now: number, withRefresh: boolean): Reply {
  const access = `00D000000000001!AQ${b64url(randomBytes(30))}`;
  o.accessTokens.set(access, now + o.sessionTtlMs);
  const body: Record<string, string> = {
    access_token: access,
    signature: b64url(randomBytes(32)),
    scope: 'api refresh_token',
    instance_url: url,
    id: `${url}/id/00D000000000001EAA/005000000000001AAA`,
    token_type: 'Bearer',
    issued_at: String(now),
  };
  if (withRefresh) {
    const refresh = `5Aep861${b64url(randomBytes(40))}`;
    o.refreshTokens.add(refresh);
    body.refresh_token = refresh;
  }
  return { status: 200, body };
}

export function token(o: OAuthState, contentType: string | undefined, raw: string, url: string, now: number): Reply {
  if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return oauthError('invalid_request', 'must be application/x-www-form-urlencoded');
  const f = new URLSearchParams(raw);
  const grant = f.get('grant_type');
  if (grant !== 'authorization_code' && grant !== 'refresh_token') return oauthError('unsupported_grant_type', 'grant type not supported');
  o.tokenRequests[grant] += 1;
  if (f.get('client_id') !== o.clientId) return oauthError('invalid_client_id', 'client identifier invalid');
  if (grant === 'refresh_token') {
    const rt = f.get('refresh_token');
    if (!rt || !o.refreshTokens.has(rt)) return oauthError('invalid_grant', 'expired access/refresh token');
    return issue(o, url, now, false);
  }
  const code = f.get('code') ?? '';
  const entry = o.codes.get(code);
  if (!entry || entry.used || entry.expiresAt <= now) return oauthError('invalid_grant', 'invalid authorization code');
  entry.used = true; // single use, whatever happens next
  if (f.get('redirect_uri') !== entry.redirectUri) return oauthError('invalid_grant', 'redirect_uri must match configuration');
  const verifier = f.get('code_verifier');
  if (!verifier || !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return oauthError('invalid_grant', 'invalid code verifier');
  if (b64url(createHash('sha256').update(verifier).digest()) !== entry.challenge) return oauthError('invalid_grant', 'invalid code verifier');
  return issue(o, url, now, true);
}

/** The Bearer token of a request, when it is a live access token. */
export function bearerOk(o: OAuthState, header: string | undefined, now: number): boolean {
  const m = header ? /^Bearer (\S+)$/.exec(header) : null;
  const exp = m ? o.accessTokens.get(m[1]!) : undefined;
  return exp !== undefined && exp > now;
}
