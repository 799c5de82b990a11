// The emulator itself rejects what Salesforce rejects: otherwise the contract tests prove nothing.
import { describe, expect, it } from 'vitest';
import { connect, emulator, raw } from './helpers';

const V = '/services/data/v60.0';

async function org() {
  const emu = await emulator();
  const s = await connect(emu, { loginHost: 'my-domain', myDomain: emu.loginUrl });
  return { emu, token: s.access_token! };
}

describe('Salesforce emulator strictness', () => {
  it('authorize: exact redirect_uri and client_id (no redirect), S256 only, response_type=code, state required', async () => {
    const emu = await emulator();
    const q = (over: Record<string, string>) => {
      const p = new URLSearchParams({ response_type: 'code', client_id: emu.clientId, redirect_uri: emu.redirectUri, code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', state: 's1', ...over });
      return fetch(`${emu.loginUrl}/services/oauth2/authorize?${p}`, { redirect: 'manual' });
    };
    expect((await q({ redirect_uri: `${emu.redirectUri}x` })).status).toBe(400);
    expect((await q({ client_id: 'nope' })).status).toBe(400);
    const loc = async (over: Record<string, string>) => new URL((await q(over)).headers.get('location')!).searchParams;
    expect((await loc({ code_challenge_method: 'plain' })).get('error')).toBe('invalid_request');
    expect((await loc({ response_type: 'token' })).get('error')).toBe('unsupported_response_type');
    expect((await loc({ state: '' })).get('error')).toBe('invalid_request');
    const ok = await loc({});
    expect(ok.get('state')).toBe('s1');
    expect(ok.get('code')).toMatch(/==$/);
  });

  it('token: form encoding required', async () => {
    const emu = await emulator();
    const r = await fetch(`${emu.loginUrl}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'refresh_token' }) });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('REST: Bearer required (401 INVALID_SESSION_ID); Sforce-Limit-Info on replies; 403 when the allocation is spent', async () => {
    const { emu, token } = await org();
    const noAuth = await raw(emu, 'GET', `${V}/limits`, undefined);
    expect(noAuth).toMatchObject({ status: 401, body: [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }] });
    const ok = await raw(emu, 'GET', `${V}/limits`, token);
    expect(ok.headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
    emu.control.setDailyLimit(1);
    expect(await raw(emu, 'GET', `${V}/limits`, token)).toMatchObject({ status: 403, body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED' }] });
  });

  it('sObjects: required fields, unknown fields, read-only fields, restricted picklists, JSON content type', async () => {
    const { emu, token } = await org();
    expect(await raw(emu, 'POST', `${V}/sobjects/Lead`, token, { LastName: 'x' })).toMatchObject({ status: 400, body: [{ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Company'] }] });
    expect(await raw(emu, 'POST', `${V}/sobjects/Lead`, token, { LastName: 'x', Company: 'c', Foo__c: 1 })).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_FIELD' }] });
    expect(await raw(emu, 'POST', `${V}/sobjects/Lead`, token, { LastName: 'x', Company: 'c', Name: 'n' })).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' }] });
    expect(await raw(emu, 'POST', `${V}/sobjects/Lead`, token, { LastName: 'x', Company: 'c', Status: 'Hot' })).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' }] });
    expect(await raw(emu, 'POST', `${V}/sobjects/Opportunity`, token, { Name: 'o', StageName: 'Prospecting', CloseDate: '2026/03/01' })).toMatchObject({ status: 400, body: [{ errorCode: 'JSON_PARSER_ERROR' }] });
    expect(await raw(emu, 'POST', `${V}/sobjects/Task`, token, { WhoId: '00Q000000000000AAA' })).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_CROSS_REFERENCE_KEY' }] });
    expect((await raw(emu, 'POST', `${V}/sobjects/Lead`, token, 'LastName=x', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect(await raw(emu, 'POST', `${V}/sobjects/Lead`, token, { LastName: 'x', Company: 'c' })).toMatchObject({ status: 201, body: { success: true, id: expect.stringMatching(/^00Q\w{15}$/) } });
  });

  it('upsert: 201 then 200; external id in the body refused; unknown external id field is 404', async () => {
    const { emu, token } = await org();
    expect((await raw(emu, 'PATCH', `${V}/sobjects/Lead/Liaison_Id__c/k1`, token, { LastName: 'x', Company: 'c' })).status).toBe(201);
    expect(await raw(emu, 'PATCH', `${V}/sobjects/Lead/Liaison_Id__c/k1`, token, { LastName: 'y' })).toMatchObject({ status: 200, body: { created: false } });
    expect((await raw(emu, 'PATCH', `${V}/sobjects/Lead/Liaison_Id__c/k1`, token, { Liaison_Id__c: 'k2' })).status).toBe(400);
    expect(await raw(emu, 'PATCH', `${V}/sobjects/Lead/Other__c/k1`, token, { LastName: 'x' })).toMatchObject({ status: 404, body: [{ message: expect.stringContaining('external ID field') }] });
    expect(emu.control.records('Lead')).toHaveLength(1);
  });

  it('SOQL: unescaped quotes and unsupported syntax are MALFORMED_QUERY; unknown columns INVALID_FIELD', async () => {
    const { emu, token } = await org();
    const soql = (q: string) => raw(emu, 'GET', `${V}/query?q=${encodeURIComponent(q)}`, token);
    expect(await soql("SELECT Id FROM Lead WHERE Email = 'o'brien@x.com'")).toMatchObject({ status: 400, body: [{ errorCode: 'MALFORMED_QUERY' }] });
    // SOQL needs parentheses to mix AND and OR.
    expect(await soql("SELECT Id FROM Lead WHERE Email = 'a' AND Name = 'b' OR Phone = 'c'")).toMatchObject({ status: 400, body: [{ errorCode: 'MALFORMED_QUERY' }] });
    expect(await soql("SELECT Id FROM Lead WHERE Email = 'a")).toMatchObject({ status: 400, body: [{ errorCode: 'MALFORMED_QUERY' }] });
    expect(await soql("SELECT Id, Nope FROM Lead WHERE Email = 'a'")).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_FIELD' }] });
    expect(await soql("SELECT Id FROM Lead WHERE Email = 'o\\'brien@x.com' LIMIT 5")).toMatchObject({ status: 200, body: { totalSize: 0, done: true, records: [] } });
  });

  it('SOSL: reserved characters must be escaped; PHONE FIELDS match any formatting', async () => {
    const { emu, token } = await org();
    emu.control.seed('Lead', { LastName: 'p', Company: 'c', Phone: '+86 (138) 0013-8000' });
    const sosl = (q: string) => raw(emu, 'GET', `${V}/search?q=${encodeURIComponent(q)}`, token);
    expect(await sosl('FIND {138-0013} IN PHONE FIELDS RETURNING Lead(Id)')).toMatchObject({ status: 400, body: [{ errorCode: 'MALFORMED_SEARCH' }] });
    expect(await sosl('FIND {13800138000} IN PHONE FIELDS RETURNING Lead(Id, Phone), Contact(Id)')).toMatchObject({ status: 200, body: { searchRecords: [{ attributes: { type: 'Lead' }, Phone: '+86 (138) 0013-8000' }] } });
  });

  it('collections: more than 200 records is 400; allOrNone true rolls back', async () => {
    const { emu, token } = await org();
    const recs = (n: number, bad = -1) => Array.from({ length: n }, (_, i) => ({ attributes: { type: 'Lead' }, LastName: `L${i}`, ...(i === bad ? {} : { Company: 'c' }) }));
    expect(await raw(emu, 'POST', `${V}/composite/sobjects`, token, { allOrNone: false, records: recs(201) })).toMatchObject({ status: 400, body: [{ errorCode: 'EXCEEDED_ID_LIMIT' }] });
    const all = await raw(emu, 'POST', `${V}/composite/sobjects`, token, { allOrNone: true, records: recs(3, 1) });
    expect(all.body.map((r: { success: boolean }) => r.success)).toEqual([false, false, false]);
    expect(emu.control.records('Lead')).toHaveLength(0);
    const some = await raw(emu, 'POST', `${V}/composite/sobjects`, token, { allOrNone: false, records: recs(3, 1) });
    expect(some.body[1]).toMatchObject({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['Company'] }] });
    expect(emu.control.records('Lead')).toHaveLength(2);
  });
});

describe('Salesforce emulator: fault controls of the sync fault test', () => {
  it('limitExceededFor: 403 REQUEST_LIMIT_EXCEEDED for REST calls during the window (after the session check), then served again', async () => {
    let t = Date.UTC(2026, 2, 5);
    const emu = await emulator({ now: () => t });
    const s = await connect(emu, { loginHost: 'my-domain', myDomain: emu.loginUrl });
    emu.control.limitExceededFor(60_000);
    expect(await raw(emu, 'GET', `${V}/limits`, s.access_token)).toMatchObject({ status: 403, body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED' }] });
    expect((await raw(emu, 'GET', `${V}/limits`, 'not-a-token')).status).toBe(401);
    t += 60_000;
    expect((await raw(emu, 'GET', `${V}/limits`, s.access_token)).status).toBe(200);
  });

  it('setFaultPolicy: asked per request; drop after commit, an error status, or nothing; cleared with undefined', async () => {
    const { emu, token } = await org();
    const asked: string[] = [];
    const plan = [{ kind: 'drop', commit: true }, { kind: 'error', status: 503 }, undefined] as const;
    let i = 0;
    emu.control.setFaultPolicy((req) => {
      asked.push(req.api);
      return plan[i++];
    });
    const lead = (n: string) => ({ LastName: n, Company: n });
    await expect(raw(emu, 'POST', `${V}/sobjects/Lead`, token, lead('A'))).rejects.toThrow();
    expect(emu.control.records('Lead')).toHaveLength(1); // committed, reply lost
    expect(await raw(emu, 'POST', `${V}/sobjects/Lead`, token, lead('B'))).toMatchObject({ status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE' }] });
    expect((await raw(emu, 'POST', `${V}/sobjects/Lead`, token, lead('C'))).status).toBe(201);
    expect(asked).toEqual(['sobject.create', 'sobject.create', 'sobject.create']);
    emu.control.setFaultPolicy(undefined);
    expect((await raw(emu, 'POST', `${V}/sobjects/Lead`, token, lead('D'))).status).toBe(201);
    expect(emu.control.records('Lead')).toHaveLength(3);
  });
});
