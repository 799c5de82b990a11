// The emulator itself refuses what Dataverse and Entra refuse, so the contract tests cannot pass
// against an emulator that accepts anything.
import { describe, expect, it } from 'vitest';
import { connectWithPkce } from '../../../../lib/oauth/flow';
import { connect, emulator, launch, oauthUrls, settingsFor } from './helpers';
import type { DynamicsEmulator } from '../../../emulators/dynamics';

async function raw(emu: DynamicsEmulator, method: string, path: string, token: string | undefined, o: { body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${emu.url}/api/data/v9.2/${path}`, {
    method,
    headers: { ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...o.headers },
    ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as any) : undefined };
}

async function signedIn() {
  const emu = await emulator();
  const s = await connect(emu, settingsFor(emu));
  return { emu, token: s.access_token! };
}

describe('Dataverse emulator', () => {
  it('401 without a live bearer token, with WWW-Authenticate and no body', async () => {
    const { emu } = await signedIn();
    const r = await raw(emu, 'GET', 'WhoAmI', 'nope');
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer authorization_uri=/);
    expect(r.body).toBeUndefined();
  });

  it('queries: unknown columns and unsupported functions are refused like the service does', async () => {
    const { emu, token } = await signedIn();
    expect((await raw(emu, 'GET', 'contacts?$select=contactid,wechat', token)).body.error).toEqual({ code: '0x80060888', message: "Could not find a property named 'wechat' on type 'Microsoft.Dynamics.CRM.contact'." });
    expect((await raw(emu, 'GET', `contacts?$filter=${encodeURIComponent("matchesPattern(fullname,'a')")}`, token)).status).toBe(400);
    expect((await raw(emu, 'GET', `contacts?$filter=${encodeURIComponent("fullname eq 'a")}`, token)).status).toBe(400);
    expect((await raw(emu, 'GET', `contacts?$filter=${encodeURIComponent("fullname eq 'a' or")}`, token)).status).toBe(400);
    expect((await raw(emu, 'GET', 'contacts?$expand=parentcustomerid', token)).status).toBe(400);
    expect((await raw(emu, 'GET', `contacts?$filter=${encodeURIComponent("fullname eq 'O''Brien'")}`, token)).status).toBe(200);
    expect((await raw(emu, 'GET', 'contacts?$skiptoken=forged', token)).body.error.code).toBe('0x80040203');
  });

  it('writes: unknown and read-only properties, too-long text, binds to missing rows, If-None-Match / If-Match', async () => {
    const { emu, token } = await signedIn();
    expect((await raw(emu, 'POST', 'contacts', token, { body: { lastname: 'a', wechat: 'x' } })).body.error.message).toContain("The property 'wechat' does not exist on type 'Microsoft.Dynamics.CRM.contact'");
    expect((await raw(emu, 'POST', 'contacts', token, { body: { fullname: 'x' } })).status).toBe(400);
    expect((await raw(emu, 'POST', 'contacts', token, { body: { lastname: 'x'.repeat(51) } })).body.error.code).toBe('0x80044331');
    expect((await raw(emu, 'POST', 'annotations', token, { body: { notetext: 'x', 'objectid_contact@odata.bind': `/contacts(${crypto.randomUUID()})` } })).status).toBe(404);
    const created = await raw(emu, 'POST', 'contacts', token, { body: { lastname: 'a' } });
    expect(created.status).toBe(204);
    const id = /contacts\(([0-9a-f-]+)\)/.exec(created.headers.get('odata-entityid')!)![1]!;
    expect((await raw(emu, 'PATCH', `contacts(${id})`, token, { body: { lastname: 'b' }, headers: { 'if-none-match': '*' } })).status).toBe(412);
    expect((await raw(emu, 'PATCH', `contacts(${crypto.randomUUID()})`, token, { body: { lastname: 'b' }, headers: { 'if-match': '*' } })).status).toBe(404);
    expect((await raw(emu, 'PATCH', `contacts(${id})`, token, { body: { lastname: 'b' }, headers: { 'if-match': 'W/"1"' } })).status).toBe(412);
    // Without a condition PATCH is an upsert: it creates.
    expect((await raw(emu, 'PATCH', `contacts(${crypto.randomUUID()})`, token, { body: { lastname: 'c' } })).status).toBe(204);
    expect(emu.control.rows('contacts')).toHaveLength(2);
  });

  it('paging: odata.maxpagesize pages over a result fixed at the first page; $top switches paging off', async () => {
    const { emu, token } = await signedIn();
    for (let i = 0; i < 5; i++) await raw(emu, 'POST', 'contacts', token, { body: { lastname: `n${i}` } });
    const first = await raw(emu, 'GET', 'contacts?$select=lastname&$orderby=lastname', token, { headers: { prefer: 'odata.maxpagesize=2' } });
    expect(first.body.value.map((r: any) => r.lastname)).toEqual(['n0', 'n1']);
    const next = first.body['@odata.nextLink'] as string;
    const second = await fetch(next, { headers: { authorization: `Bearer ${token}`, prefer: 'odata.maxpagesize=2' } }).then((r) => r.json() as Promise<any>);
    expect(second.value.map((r: any) => r.lastname)).toEqual(['n2', 'n3']);
    const top = await raw(emu, 'GET', 'contacts?$select=lastname&$top=3', token, { headers: { prefer: 'odata.maxpagesize=2' } });
    expect(top.body.value).toHaveLength(3);
    expect(top.body['@odata.nextLink']).toBeUndefined();
  });

  it('Entra: a wrong PKCE verifier, a reused code, a scope for another environment, a foreign redirect URI are refused', async () => {
    const emu = await emulator();
    const s = settingsFor(emu);
    const u = oauthUrls(emu, s);
    let code = '';
    const spy = async (url: string, i: boolean) => {
      const loc = await launch(url, i);
      code = new URL(loc).searchParams.get('code')!;
      return loc;
    };
    await connectWithPkce({ ...u, clientId: emu.clientId, redirectUri: emu.redirectUri, launch: spy });
    const post = (form: Record<string, string>) => fetch(u.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const reused = await post({ grant_type: 'authorization_code', client_id: emu.clientId, code, redirect_uri: emu.redirectUri, code_verifier: 'a'.repeat(43) });
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // a fresh code with the wrong verifier
    const loc = await launch(`${u.authorizeUrl}?${new URLSearchParams({ client_id: emu.clientId, response_type: 'code', redirect_uri: emu.redirectUri, scope: u.scopes.join(' '), state: 's', code_challenge: 'A'.repeat(43), code_challenge_method: 'S256' })}`, true);
    const fresh = new URL(loc).searchParams.get('code')!;
    const wrong = await post({ grant_type: 'authorization_code', client_id: emu.clientId, code: fresh, redirect_uri: emu.redirectUri, code_verifier: 'b'.repeat(43) });
    expect(wrong.body.error_codes).toEqual([501481]);
    const other = await launch(`${u.authorizeUrl}?${new URLSearchParams({ client_id: emu.clientId, response_type: 'code', redirect_uri: emu.redirectUri, scope: 'https://other.crm.dynamics.com/user_impersonation', state: 's', code_challenge: 'A'.repeat(43), code_challenge_method: 'S256' })}`, true);
    expect(new URL(other).searchParams.get('error_description')).toMatch(/^AADSTS650057/);
    const foreign = await fetch(`${u.authorizeUrl}?${new URLSearchParams({ client_id: emu.clientId, response_type: 'code', redirect_uri: 'https://evil.example.com/', scope: u.scopes.join(' '), state: 's', code_challenge: 'A'.repeat(43), code_challenge_method: 'S256' })}`, { redirect: 'manual' });
    expect(foreign.status).toBe(400);
  });
});
