// The back channel against the Salesforce emulator's token endpoint: form-encoded, verifier
// checked, single-use codes, refresh; and every failure classified.
import { afterEach, describe, expect, it } from 'vitest';
import { exchangeCode, refreshToken } from '../../../lib/oauth/token';
import { connectWithPkce } from '../../../lib/oauth/flow';
import { startSalesforceEmulator, type SalesforceEmulator } from '../../emulators/salesforce';

const open: SalesforceEmulator[] = [];
afterEach(async () => void (await Promise.all(open.splice(0).map((e) => e.close()))));
async function emu() {
  const e = await startSalesforceEmulator();
  open.push(e);
  return e;
}
const launchVia = (redirect: 'manual') => async (url: string) => {
  const res = await fetch(url, { redirect });
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
};

describe('token endpoint', () => {
  it('exchanges a code once; the second use is invalid_grant (auth)', async () => {
    const e = await emu();
    const o = { authorizeUrl: `${e.loginUrl}/services/oauth2/authorize`, tokenUrl: `${e.loginUrl}/services/oauth2/token`, clientId: e.clientId, redirectUri: e.redirectUri, scopes: ['api', 'refresh_token'] };
    let code = '';
    let verifier = '';
    const tokens = await connectWithPkce({
      ...o,
      launch: async (url) => {
        const loc = await launchVia('manual')(url);
        code = new URL(loc).searchParams.get('code')!;
        return loc;
      },
      fetch: async (input, init) => {
        const req = new Request(input, init);
        verifier = new URLSearchParams(await req.clone().text()).get('code_verifier')!;
        return fetch(req);
      },
    });
    expect(tokens).toMatchObject({ token_type: 'Bearer', instance_url: e.url });
    expect(tokens.refresh_token).toBeTruthy();
    await expect(exchangeCode({ tokenUrl: o.tokenUrl, clientId: e.clientId, code, codeVerifier: verifier, redirectUri: e.redirectUri })).rejects.toMatchObject({ kind: 'auth', oauthCode: 'invalid_grant', status: 400 });
  });

  it('a wrong verifier is invalid_grant', async () => {
    const e = await emu();
    const loc = await launchVia('manual')(`${e.loginUrl}/services/oauth2/authorize?response_type=code&client_id=${encodeURIComponent(e.clientId)}&redirect_uri=${encodeURIComponent(e.redirectUri)}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=s`);
    const code = new URL(loc).searchParams.get('code')!;
    await expect(exchangeCode({ tokenUrl: `${e.loginUrl}/services/oauth2/token`, clientId: e.clientId, code, codeVerifier: 'x'.repeat(43), redirectUri: e.redirectUri })).rejects.toMatchObject({ oauthCode: 'invalid_grant' });
  });

  it('refresh works; a revoked refresh token is invalid_grant; an unknown client is invalid_client_id', async () => {
    const e = await emu();
    const tokenUrl = `${e.loginUrl}/services/oauth2/token`;
    const t = await connectWithPkce({ authorizeUrl: `${e.loginUrl}/services/oauth2/authorize`, tokenUrl, clientId: e.clientId, redirectUri: e.redirectUri, scopes: ['api', 'refresh_token'], launch: launchVia('manual') });
    const r = await refreshToken({ tokenUrl, clientId: e.clientId, refreshToken: t.refresh_token! });
    expect(r.access_token).not.toBe(t.access_token);
    expect(r.refresh_token).toBeUndefined();
    await expect(refreshToken({ tokenUrl, clientId: 'someone-else', refreshToken: t.refresh_token! })).rejects.toMatchObject({ oauthCode: 'invalid_client_id', kind: 'auth' });
    e.control.revokeRefreshTokens();
    await expect(refreshToken({ tokenUrl, clientId: e.clientId, refreshToken: t.refresh_token! })).rejects.toMatchObject({ oauthCode: 'invalid_grant' });
  });

  it('5xx is retryable, a dropped connection is retryable, plain http off loopback is refused', async () => {
    const e = await emu();
    const tokenUrl = `${e.loginUrl}/services/oauth2/token`;
    e.control.failNext({ api: 'oauth.token', status: 503 });
    await expect(refreshToken({ tokenUrl, clientId: e.clientId, refreshToken: 'x' })).rejects.toMatchObject({ kind: 'retryable', status: 503 });
    e.control.dropNext({ api: 'oauth.token', commit: false });
    await expect(refreshToken({ tokenUrl, clientId: e.clientId, refreshToken: 'x' })).rejects.toMatchObject({ kind: 'retryable' });
    await expect(refreshToken({ tokenUrl: 'http://login.salesforce.com/services/oauth2/token', clientId: 'c', refreshToken: 'x' })).rejects.toThrow(/https/);
  });

  it('the user denying access is access_denied', async () => {
    const e = await emu();
    e.control.denyNextAuthorization();
    await expect(connectWithPkce({ authorizeUrl: `${e.loginUrl}/services/oauth2/authorize`, tokenUrl: `${e.loginUrl}/services/oauth2/token`, clientId: e.clientId, redirectUri: e.redirectUri, scopes: ['api'], launch: launchVia('manual') })).rejects.toMatchObject({ oauthCode: 'access_denied', kind: 'auth' });
    expect(e.state.oauth.tokenRequests.authorization_code).toBe(0);
  });
});
