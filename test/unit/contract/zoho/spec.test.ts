// The declared half: the spec parses, asks for the chosen data centre only, its OAuth URLs expand
// per data centre, the form fields carry the keys lib/connections/oauth.ts reads (clientId in
// the settings, client_secret in the secrets); and the sign-in itself — the shared PKCE flow with
// the client secret — against the emulator's accounts endpoints, a reused code being Zoho's
// HTTP 200 {"error":"invalid_code"}.
import { afterEach, expect, it } from 'vitest';
import { crmSpecSchema, hostPatternsFor } from '../../../../lib/crm/spec';
import { ZOHO_DCS, zohoSpec } from '../../../../lib/crm/zoho/spec';
import { connectWithPkce } from '../../../../lib/oauth/flow';
import { expandTemplate } from '../../../../lib/oauth/template';
import { exchangeCode } from '../../../../lib/oauth/token';
import { startZohoEmulator, type ZohoEmulator } from '../../../emulators/zoho';
import { failure } from './helpers';

const open: ZohoEmulator[] = [];
afterEach(async () => void (await Promise.all(open.splice(0).map((e) => e.close()))));

it('the Zoho spec is valid, per data centre, with the keys the connect flow reads', () => {
  expect(crmSpecSchema.safeParse(zohoSpec).success).toBe(true);
  for (const dc of ZOHO_DCS) {
    expect(hostPatternsFor(zohoSpec, { dc })).toEqual([`https://accounts.zoho.${dc}/*`, `https://www.zohoapis.${dc}/*`]);
    expect(expandTemplate(zohoSpec.auth.oauth.tokenUrl, { dc })).toBe(`https://accounts.zoho.${dc}/oauth/v2/token`);
  }
  expect(zohoSpec.auth.fields.find((f) => f.key === 'dc')!.options!.map((o) => o.value)).toEqual([...ZOHO_DCS]);
  expect(zohoSpec.auth.fields.find((f) => f.key === 'clientId')!.secret).toBe(false);
  expect(zohoSpec.auth.fields.find((f) => f.key === 'client_secret')!.secret).toBe(true);
  expect(zohoSpec.auth.oauth.clientSecret).toBe('required');
  expect(zohoSpec.auth.oauth.extraAuthorizeParams).toEqual({ access_type: 'offline', prompt: 'consent' });
});

it('signs in through the shared flow with the client secret; a reused code is invalid_code (HTTP 200)', async () => {
  const emu = await startZohoEmulator();
  open.push(emu);
  let code = '';
  const o = { authorizeUrl: `${emu.url}/oauth/v2/auth`, tokenUrl: `${emu.url}/oauth/v2/token`, clientId: emu.client.id, clientSecret: emu.client.secret, redirectUri: emu.redirectUri, scopes: zohoSpec.auth.oauth.scopes, extraParams: zohoSpec.auth.oauth.extraAuthorizeParams };
  let verifier = '';
  const tokens = await connectWithPkce({
    ...o,
    launch: async (url) => {
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const loc = res.headers.get('location')!;
      code = new URL(loc).searchParams.get('code')!;
      return loc;
    },
    fetch: async (input, init) => {
      const req = new Request(input, init);
      verifier = new URLSearchParams(await req.clone().text()).get('code_verifier')!;
      return fetch(req);
    },
  });
  expect(tokens).toMatchObject({ token_type: 'Bearer', refresh_token: expect.stringMatching(/^1000\.refresh\./), api_domain: 'https://www.zohoapis.com' });
  const again = await failure(exchangeCode({ tokenUrl: o.tokenUrl, clientId: o.clientId, clientSecret: o.clientSecret, code, codeVerifier: verifier, redirectUri: o.redirectUri }));
  expect([again?.kind, again?.vendorCode, again?.status]).toEqual(['auth', 'invalid_code', 200]);
  const noSecret = await failure(exchangeCode({ tokenUrl: o.tokenUrl, clientId: o.clientId, code: 'x', codeVerifier: verifier, redirectUri: o.redirectUri }));
  expect(noSecret?.vendorCode).toBe('invalid_client');
});
