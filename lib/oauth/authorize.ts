// The front channel: the authorize URL we open and the redirect URL the browser hands back.
// Checks made here (draft-ietf-oauth-browser-based-apps): the redirect must be exactly our
// redirect URI (origin + path), its state must be the one we generated, and an error in the
// redirect is reported as such, never mistaken for "no code".
import { OAuthError } from './errors';

export interface AuthorizeParams {
  authorizeUrl: string;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  state: string;
  codeChallenge: string;
  /** Provider extras (Salesforce prompt=login, Microsoft response_mode…). May not override the PKCE ones. */
  extraParams?: Record<string, string>;
}

const RESERVED = new Set(['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method']);

export function buildAuthorizeUrl(p: AuthorizeParams): string {
  const url = new URL(p.authorizeUrl);
  if (url.protocol !== 'https:' && !isLoopback(url)) throw new Error('the authorize URL must be https');
  for (const [k, v] of Object.entries(p.extraParams ?? {})) if (!RESERVED.has(k)) url.searchParams.set(k, v);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', p.clientId);
  url.searchParams.set('redirect_uri', p.redirectUri);
  if (p.scopes.length) url.searchParams.set('scope', p.scopes.join(' '));
  url.searchParams.set('state', p.state);
  url.searchParams.set('code_challenge', p.codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

/** http is only acceptable on the loopback interface (emulators, RFC 8252 §7.3). */
export function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]');
}

/**
 * The authorization code from the redirect URL. Parameters may come in the query (code flow)
 * or, from some providers' error pages, in the fragment; both are read.
 */
export function parseRedirect(redirectUrl: string, expected: { redirectUri: string; state: string }): { code: string } {
  let got: URL;
  let want: URL;
  try {
    got = new URL(redirectUrl);
    want = new URL(expected.redirectUri);
  } catch (e) {
    throw new OAuthError('invalid_request', 'the redirect is not a URL', { cause: e });
  }
  if (got.origin !== want.origin || got.pathname !== want.pathname) {
    throw new OAuthError('redirect_uri_mismatch', `redirected to ${got.origin}${got.pathname}, expected ${want.origin}${want.pathname}`);
  }
  const params = new URLSearchParams(got.search);
  if (![...params.keys()].length && got.hash) for (const [k, v] of new URLSearchParams(got.hash.slice(1))) params.set(k, v);
  // The state is checked before anything else is believed, errors included: a forged redirect
  // must not be able to show us its own error either.
  if (params.get('state') !== expected.state) throw new OAuthError('state_mismatch', 'the state in the redirect is not the one sent');
  const error = params.get('error');
  if (error) throw new OAuthError(error, params.get('error_description') ?? undefined);
  const code = params.get('code');
  if (!code) throw new OAuthError('invalid_request', 'the redirect carries neither a code nor an error');
  return { code };
}
