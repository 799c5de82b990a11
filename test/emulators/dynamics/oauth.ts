// The emulator's Microsoft Entra ID v2.0 endpoints (learn.microsoft.com/entra/identity-platform/
// v2-oauth2-auth-code-flow and refresh-tokens, read 2026-12-06): /{tenant}/oauth2/v2.0/authorize
// answers 302 to the registered redirect URI with code and state; /{tenant}/oauth2/v2.0/token
// redeems a code once with the PKCE verifier (S256 checked) and refreshes. Errors are Entra's
// {error, error_description "AADSTSnnnn: …", error_codes}. Refresh tokens rotate on every use;
// a single-page-app grant ends 24 h after sign-in whatever the refreshes (the SPA lifetime).
// Not modelled: the Origin check Entra makes for SPA redemption (AADSTS9002327) — node's fetch
// sends no Origin; the browser test exercises the real header path.
import { createHash, randomBytes } from 'node:crypto';

export interface OAuthState {
  tenant: string;
  clientId: string;
  redirectUri: string;
  /** The resource the app may ask for: <orgUrl>/user_impersonation. */
  resource: string;
  codes: Map<string, { challenge: string; redirectUri: string; expiresAt: number; used: boolean; scope: string }>;
  accessTokens: Map<string, number>;
  /** refresh token → the end of its grant (sign-in + 24 h) */
  refreshTokens: Map<string, number>;
  tokenRequests: { authorization_code: number; refresh_token: number };
  accessTtlMs: number;
  /** How long a grant lives from sign-in (24 h for a single-page app). */
  grantLifetimeMs: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  text?: string;
}

export const GRANT_LIFETIME_MS = 24 * 3600_000;
const b64url = (b: Buffer) => b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const aadError = (error: string, code: number, description: string, status = 400): Reply => ({
  status,
  body: { error, error_description: `AADSTS${code}: ${description}`, error_codes: [code], timestamp: new Date().toISOString(), trace_id: crypto.randomUUID(), correlation_id: crypto.randomUUID() },
});

export function authorize(o: OAuthState, tenant: string, q: URLSearchParams, now: number): Reply {
  if (tenant !== o.tenant) return { status: 400, text: `AADSTS90002: Tenant '${tenant}' not found.` };
  if (q.get('client_id') !== o.clientId) return { status: 400, text: `AADSTS700016: Application with identifier '${q.get('client_id')}' was not found in the directory.` };
  if (q.get('redirect_uri') !== o.redirectUri) return { status: 400, text: `AADSTS50011: The redirect URI '${q.get('redirect_uri')}' specified in the request does not match the redirect URIs configured for the application.` };
  const state = q.get('state');
  const back = (params: Record<string, string>): Reply => {
    const u = new URL(o.redirectUri);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    if (state !== null) u.searchParams.set('state', state);
    return { status: 302, headers: { location: u.toString() } };
  };
  if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type', error_description: 'AADSTS700054: response_type is not enabled for the application.' });
  const challenge = q.get('code_challenge');
  if (!challenge || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return back({ error: 'invalid_request', error_description: 'AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption.' });
  if (q.get('code_challenge_method') !== 'S256') return back({ error: 'invalid_request', error_description: 'AADSTS501491: Invalid code_challenge_method (this emulator accepts S256 only).' });
  const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
  if (!scopes.includes(o.resource)) return back({ error: 'invalid_client', error_description: `AADSTS650057: Invalid resource. The client has requested access to a resource which is not listed in the requested permissions: ${scopes.join(' ')}` });
  if (scopes.some((s) => s !== o.resource && !['offline_access', 'openid', 'profile', 'email'].includes(s))) return back({ error: 'invalid_scope', error_description: 'AADSTS70011: The provided value for the input parameter \'scope\' is not valid.' });
  const code = `0.A${b64url(randomBytes(48))}`;
  o.codes.set(code, { challenge, redirectUri: o.redirectUri, expiresAt: now + 10 * 60_000, used: false, scope: scopes.join(' ') });
  return back({ code });
}

function issue(o: OAuthState, scope: string, now: number, grantEnds: number): Reply {
  const access = `eyJ0eXAiOiJKV1QifQ.${b64url(randomBytes(48))}.${b64url(randomBytes(16))}`;
  o.accessTokens.set(access, now + o.accessTtlMs);
  const body: Record<string, unknown> = { token_type: 'Bearer', scope, expires_in: Math.floor(o.accessTtlMs / 1000), ext_expires_in: Math.floor(o.accessTtlMs / 1000), access_token: access };
  if (scope.split(' ').includes('offline_access')) {
    const refresh = `1.A${b64url(randomBytes(64))}`;
    o.refreshTokens.set(refresh, grantEnds);
    body.refresh_token = refresh;
  }
  return { status: 200, body };
}

export function token(o: OAuthState, tenant: string, contentType: string | undefined, raw: string, now: number): Reply {
  if (tenant !== o.tenant) return aadError('invalid_request', 90002, `Tenant '${tenant}' not found.`);
  if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return aadError('invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
  const f = new URLSearchParams(raw);
  const grant = f.get('grant_type');
  if (grant !== 'authorization_code' && grant !== 'refresh_token') return aadError('unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
  o.tokenRequests[grant] += 1;
  if (f.get('client_id') !== o.clientId) return aadError('unauthorized_client', 700016, `Application with identifier '${f.get('client_id')}' was not found in the directory.`);
  if (grant === 'refresh_token') {
    const rt = f.get('refresh_token') ?? '';
    const ends = o.refreshTokens.get(rt);
    if (ends === undefined) return aadError('invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    if (ends <= now) return aadError('invalid_grant', 700084, 'The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended.');
    const scope = f.get('scope') ?? `${o.resource} offline_access`;
    if (!scope.split(' ').includes(o.resource)) return aadError('invalid_scope', 70011, "The provided value for the input parameter 'scope' is not valid.");
    return issue(o, scope, now, ends);
  }
  const code = f.get('code') ?? '';
  const entry = o.codes.get(code);
  if (!entry || entry.used || entry.expiresAt <= now) return aadError('invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity.');
  entry.used = true;
  if (f.get('redirect_uri') !== entry.redirectUri) return aadError('invalid_grant', 50148, 'The redirect_uri does not match the one used in the authorization request.');
  const verifier = f.get('code_verifier');
  if (!verifier || !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || b64url(createHash('sha256').update(verifier).digest()) !== entry.challenge) {
    return aadError('invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
  }
  return issue(o, entry.scope, now, now + o.grantLifetimeMs);
}

export function bearerOk(o: OAuthState, header: string | undefined, now: number): boolean {
  const m = header ? /^Bearer (\S+)$/.exec(header) : null;
  const exp = m ? o.accessTokens.get(m[1]!) : undefined;
  return exp !== undefined && exp > now;
}
