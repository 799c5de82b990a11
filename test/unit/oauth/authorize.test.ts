// The front channel: the authorize URL carries every PKCE parameter; the redirect is believed
// only when it comes back to our exact redirect URI with our state.
import { describe, expect, it } from 'vitest';
import { buildAuthorizeUrl, parseRedirect } from '../../../lib/oauth/authorize';
import { OAuthError } from '../../../lib/oauth/errors';
import { startPkceFlow } from '../../../lib/oauth/flow';
import { codeChallengeS256 } from '../../../lib/oauth/pkce';
import { expandTemplate } from '../../../lib/oauth/template';

const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as OAuthError;
  }
  throw new Error('did not throw');
};

describe('authorize URL', () => {
  it('has response_type=code, S256, state, exact redirect and space-separated scopes', () => {
    const u = new URL(buildAuthorizeUrl({ authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize', clientId: 'ck', redirectUri: REDIRECT, scopes: ['api', 'refresh_token'], state: 'st', codeChallenge: 'ch', extraParams: { prompt: 'login', code_challenge_method: 'plain' } }));
    expect(Object.fromEntries(u.searchParams)).toEqual({ prompt: 'login', response_type: 'code', client_id: 'ck', redirect_uri: REDIRECT, scope: 'api refresh_token', state: 'st', code_challenge: 'ch', code_challenge_method: 'S256' });
  });

  it('refuses a plain-http authorize URL except on loopback', () => {
    const p = { clientId: 'c', redirectUri: REDIRECT, scopes: [], state: 's', codeChallenge: 'x' };
    expect(() => buildAuthorizeUrl({ ...p, authorizeUrl: 'http://login.salesforce.com/a' })).toThrow(/https/);
    expect(() => buildAuthorizeUrl({ ...p, authorizeUrl: 'http://127.0.0.1:9/a' })).not.toThrow();
  });

  it('expands {{field}} templates and refuses missing values', () => {
    expect(expandTemplate('{{loginHost}}/services/oauth2/token', { loginHost: 'https://test.salesforce.com/' })).toBe('https://test.salesforce.com/services/oauth2/token');
    expect(() => expandTemplate('{{loginHost}}/x', {})).toThrow(/loginHost/);
  });
});

describe('redirect parsing', () => {
  const exp = { redirectUri: REDIRECT, state: 'good-state' };
  it('returns the decoded code', () => {
    expect(parseRedirect(`${REDIRECT}?code=aPrxabc%3D%3D&state=good-state`, exp)).toEqual({ code: 'aPrxabc==' });
  });
  it('rejects a state mismatch, even on an error redirect', () => {
    expect(thrown(() => parseRedirect(`${REDIRECT}?code=x&state=evil`, exp))).toMatchObject({ kind: 'auth', oauthCode: 'state_mismatch' });
    expect(thrown(() => parseRedirect(`${REDIRECT}?error=access_denied`, exp))).toMatchObject({ oauthCode: 'state_mismatch' });
  });
  it('rejects another origin or path', () => {
    expect(thrown(() => parseRedirect('https://evil.example/?code=x&state=good-state', exp))).toMatchObject({ oauthCode: 'redirect_uri_mismatch' });
    expect(thrown(() => parseRedirect(`${REDIRECT}other?code=x&state=good-state`, exp))).toMatchObject({ oauthCode: 'redirect_uri_mismatch' });
  });
  it('turns access_denied into a clear auth error', () => {
    const e = thrown(() => parseRedirect(`${REDIRECT}?error=access_denied&error_description=end-user+denied+authorization&state=good-state`, exp));
    expect(e).toBeInstanceOf(OAuthError);
    expect(e).toMatchObject({ kind: 'auth', oauthCode: 'access_denied', message: 'OAuth access_denied: end-user denied authorization' });
    expect(e.userMessage.zh_CN).toContain('拒绝');
  });
  it('server_error is retryable; no code and no error is invalid_request', () => {
    expect(thrown(() => parseRedirect(`${REDIRECT}?error=server_error&state=good-state`, exp))).toMatchObject({ kind: 'retryable' });
    expect(thrown(() => parseRedirect(`${REDIRECT}?state=good-state`, exp))).toMatchObject({ oauthCode: 'invalid_request' });
  });
});

describe('startPkceFlow', () => {
  it('sends S256(verifier) and state, and returns the code with that verifier', async () => {
    let seen: URL | undefined;
    const r = await startPkceFlow({
      authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize', clientId: 'ck', redirectUri: REDIRECT, scopes: ['api'],
      launch: async (url, interactive) => {
        expect(interactive).toBe(true);
        seen = new URL(url);
        return `${REDIRECT}?code=c1&state=${seen.searchParams.get('state')}`;
      },
    });
    expect(r.code).toBe('c1');
    expect(seen!.searchParams.get('code_challenge')).toBe(await codeChallengeS256(r.verifier));
  });
  it('a closed window is flow_cancelled; a forged state is refused', async () => {
    const base = { authorizeUrl: 'https://login.salesforce.com/a', clientId: 'ck', redirectUri: REDIRECT, scopes: [] };
    await expect(startPkceFlow({ ...base, launch: () => Promise.reject(new Error('The user did not approve access.')) })).rejects.toMatchObject({ oauthCode: 'flow_cancelled', kind: 'auth' });
    await expect(startPkceFlow({ ...base, launch: async () => `${REDIRECT}?code=c&state=forged` })).rejects.toMatchObject({ oauthCode: 'state_mismatch' });
  });
});
