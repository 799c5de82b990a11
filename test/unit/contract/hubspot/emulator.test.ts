// The emulator must reject what HubSpot rejects: an emulator that accepts anything tests nothing.
import { describe, expect, it } from 'vitest';
import { emulator, raw } from './helpers';

const C = '/crm/v3/objects/contacts';

describe('HubSpot emulator: auth', () => {
  it('401 with HubSpot’s error body without a token, with an unknown, a revoked or an expired token', async () => {
    const emu = await emulator();
    const none = await raw(emu, 'GET', `${C}?limit=1`, undefined, null);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION', correlationId: expect.any(String), message: expect.stringContaining('Authentication credentials not found') });
    expect((await raw(emu, 'GET', `${C}?limit=1`, undefined, 'pat-forged')).status).toBe(401);
    expect((await raw(emu, 'GET', `${C}?limit=1`)).status).toBe(200);
    emu.control.expireToken();
    expect((await raw(emu, 'GET', `${C}?limit=1`)).body.category).toBe('EXPIRED_AUTHENTICATION');
    emu.control.addToken('pat-2');
    emu.control.revokeToken('pat-2');
    expect((await raw(emu, 'GET', `${C}?limit=1`, undefined, 'pat-2')).status).toBe(401);
  });

  it('403 MISSING_SCOPES names the scope; notes are under the contacts scopes; token info gives hubId and scopes', async () => {
    const emu = await emulator({ scopes: ['crm.objects.contacts.read'] });
    const r = await raw(emu, 'POST', C, { properties: { firstname: 'x' } });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ category: 'MISSING_SCOPES', errors: [{ context: { requiredScopes: ['crm.objects.contacts.write'] } }] });
    expect((await raw(emu, 'POST', '/crm/v3/objects/notes/search', { filterGroups: [] })).status).toBe(200);
    const info = await raw(emu, 'POST', '/oauth/v2/private-apps/get/access-token-info', { tokenKey: emu.token }, null);
    expect(info.body).toMatchObject({ hubId: emu.state.portalId, scopes: ['crm.objects.contacts.read'] });
    expect((await raw(emu, 'POST', '/oauth/v2/private-apps/get/access-token-info', { tokenKey: 'nope' }, null)).status).toBe(404);
  });
});

describe('HubSpot emulator: writes', () => {
  it('refuses unknown properties (400 PROPERTY_DOESNT_EXIST), bad enum values, invalid emails, read-only properties and unknown body keys', async () => {
    const emu = await emulator();
    const unknown = await raw(emu, 'POST', C, { properties: { firstname: 'A', wechat: 'x' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', errors: [{ code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: ['wechat'] } }] });
    expect(unknown.body.message).toMatch(/^Property values were not valid: \[\{"isValid":false,"message":"Property \\"wechat\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"wechat"/);
    expect((await raw(emu, 'POST', C, { properties: { hs_lead_status: 'WON' } })).body.errors[0].code).toBe('INVALID_OPTION');
    expect((await raw(emu, 'POST', C, { properties: { email: 'nope' } })).body.errors[0].code).toBe('INVALID_EMAIL');
    expect((await raw(emu, 'POST', C, { properties: { hs_object_id: '1' } })).body.errors[0].code).toBe('READ_ONLY_VALUE');
    expect((await raw(emu, 'POST', C, { properties: {}, extra: 1 })).status).toBe(400);
    expect((await raw(emu, 'POST', C, '{not json')).status).toBe(400);
    expect(emu.control.objects('contacts')).toHaveLength(0);
  });

  it('emails are unique: 409 CONFLICT "Contact already exists. Existing ID: n" (case-insensitive), on create and update', async () => {
    const emu = await emulator();
    const a = await raw(emu, 'POST', C, { properties: { email: 'a@x.cn' } });
    expect(a.status).toBe(201);
    const dup = await raw(emu, 'POST', C, { properties: { email: 'A@X.cn' } });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ category: 'CONFLICT', message: `Contact already exists. Existing ID: ${a.body.id}` });
    const b = await raw(emu, 'POST', C, { properties: { email: 'b@x.cn' } });
    expect((await raw(emu, 'PATCH', `${C}/${b.body.id}`, { properties: { email: 'a@x.cn' } })).status).toBe(409);
    expect((await raw(emu, 'PATCH', `${C}/999999`, { properties: { firstname: 'x' } })).body.category).toBe('OBJECT_NOT_FOUND');
  });

  it('notes need hs_timestamp and a valid association type (202 to contacts, not 204); deals need dealname and a known dealstage', async () => {
    const emu = await emulator();
    const contact = emu.control.addObject('contacts', { firstname: 'A' });
    const assoc = (typeId: number, id = contact) => [{ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }] }];
    expect((await raw(emu, 'POST', '/crm/v3/objects/notes', { properties: { hs_note_body: 'x' }, associations: assoc(202) })).body.errors[0].code).toBe('REQUIRED_PROPERTY');
    expect((await raw(emu, 'POST', '/crm/v3/objects/notes', { properties: { hs_timestamp: '1700000000000' }, associations: assoc(204) })).status).toBe(400);
    expect((await raw(emu, 'POST', '/crm/v3/objects/notes', { properties: { hs_timestamp: '1700000000000' }, associations: assoc(202, '424242') })).status).toBe(400);
    const ok = await raw(emu, 'POST', '/crm/v3/objects/notes', { properties: { hs_timestamp: '2026-03-05T01:00:00Z' }, associations: assoc(202) });
    expect(ok.status).toBe(201);
    expect(ok.body.properties.hs_timestamp).toBe('2026-03-05T01:00:00.000Z');
    expect(emu.control.associationsOf('notes', ok.body.id)).toEqual([{ toType: 'contacts', toId: contact, typeId: 202 }]);
    expect((await raw(emu, 'POST', '/crm/v3/objects/deals', { properties: { dealname: 'd', dealstage: 'won' } })).body.errors[0].code).toBe('INVALID_OPTION');
    const deal = await raw(emu, 'POST', '/crm/v3/objects/deals', { properties: { dealname: 'd', dealstage: 'closedwon', pipeline: 'default' } });
    const put = (typeId: number) => raw(emu, 'PUT', `/crm/v4/objects/deals/${deal.body.id}/associations/contacts/${contact}`, [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }]);
    expect((await put(202)).status).toBe(400);
    expect((await put(3)).status).toBe(201);
    expect((await put(3)).status).toBe(201);
    expect(emu.control.associationsOf('deals', deal.body.id)).toHaveLength(1);
  });

  it('batch/upsert: ≤ 100 inputs, unique idProperty only, no duplicate ids; 207 with per-input errors', async () => {
    const emu = await emulator();
    const up = (inputs: unknown[]) => raw(emu, 'POST', `${C}/batch/upsert`, { inputs });
    const many = Array.from({ length: 101 }, (_, i) => ({ idProperty: 'email', id: `u${i}@x.cn`, properties: {} }));
    expect((await up(many)).status).toBe(400);
    expect((await up([{ idProperty: 'firstname', id: 'A', properties: {} }])).body.message).toContain('not a unique identifier property');
    expect((await up([{ idProperty: 'liaison_id', id: 'A', properties: {} }])).body.errors[0].code).toBe('PROPERTY_DOESNT_EXIST');
    expect((await up([{ idProperty: 'email', id: 'a@x.cn', properties: {} }, { idProperty: 'email', id: 'A@x.cn', properties: {} }])).body.message).toContain('Duplicate IDs');
    const r = await up([
      { idProperty: 'email', id: 'a@x.cn', properties: { firstname: 'A' }, objectWriteTraceId: '0' },
      { idProperty: 'email', id: 'b@x.cn', properties: { hs_lead_status: 'WON' }, objectWriteTraceId: '1' },
    ]);
    expect(r.status).toBe(207);
    expect(r.body).toMatchObject({ status: 'COMPLETE', numErrors: 1, results: [{ properties: { email: 'a@x.cn', firstname: 'A' }, new: true }], errors: [{ category: 'VALIDATION_ERROR', context: { objectWriteTraceId: ['1'] } }] });
    const again = await up([{ idProperty: 'email', id: 'a@x.cn', properties: { firstname: 'A2' } }]);
    expect(again.status).toBe(200);
    expect(again.body.results[0]).toMatchObject({ id: r.body.results[0].id, new: false });
    expect(emu.control.objects('contacts')).toHaveLength(1);
  });

  it('properties: GET 404 when missing, POST creates (name rules), 409 when it exists', async () => {
    const emu = await emulator();
    expect((await raw(emu, 'GET', '/crm/v3/properties/contacts/liaison_id')).status).toBe(404);
    const def = { name: 'liaison_id', label: 'Liaison ID', type: 'string', fieldType: 'text', groupName: 'contactinformation', hasUniqueValue: true };
    expect((await raw(emu, 'POST', '/crm/v3/properties/contacts', { ...def, name: 'Bad-Name' })).status).toBe(400);
    expect((await raw(emu, 'POST', '/crm/v3/properties/contacts', { ...def, label: undefined })).status).toBe(400);
    expect((await raw(emu, 'POST', '/crm/v3/properties/contacts', def)).status).toBe(201);
    expect((await raw(emu, 'POST', '/crm/v3/properties/contacts', def)).status).toBe(409);
    expect((await raw(emu, 'GET', '/crm/v3/properties/contacts/liaison_id')).body).toMatchObject({ name: 'liaison_id', hasUniqueValue: true });
  });
});

describe('HubSpot emulator: search', () => {
  it('≤ 5 filter groups, ≤ 6 filters a group, limit ≤ 200, known operators and properties, values for IN', async () => {
    const emu = await emulator({ searchPerSecond: 100 }); // this test is about shapes, not pacing
    const s = (body: unknown) => raw(emu, 'POST', `${C}/search`, body);
    const f = { propertyName: 'email', operator: 'EQ', value: 'a@x.cn' };
    expect((await s({ filterGroups: Array.from({ length: 6 }, () => ({ filters: [f] })) })).status).toBe(400);
    expect((await s({ filterGroups: [{ filters: Array.from({ length: 7 }, () => f) }] })).status).toBe(400);
    expect((await s({ filterGroups: [{ filters: [f] }], limit: 201 })).status).toBe(400);
    expect((await s({ filterGroups: [{ filters: [{ ...f, operator: 'LIKE' }] }] })).status).toBe(400);
    expect((await s({ filterGroups: [{ filters: [{ ...f, propertyName: 'wechat' }] }] })).body.errors[0].code).toBe('PROPERTY_DOESNT_EXIST');
    expect((await s({ filterGroups: [{ filters: [{ propertyName: 'phone', operator: 'IN', value: 'x' }] }] })).status).toBe(400);
    expect((await s({ filterGroups: [{ filters: [f] }], sort: [] })).status).toBe(400);
    expect((await s({ filterGroups: Array.from({ length: 5 }, () => ({ filters: Array.from({ length: 6 }, () => f) })) })).status).toBe(200);
  });

  it('ORs groups, ANDs filters, pages with after, returns only the asked properties', async () => {
    const emu = await emulator();
    for (let i = 0; i < 5; i++) emu.control.addObject('contacts', { firstname: `N${i}`, phone: i % 2 ? '13800138000' : '+8613900139000', company: 'ACME' });
    const body = { filterGroups: [{ filters: [{ propertyName: 'phone', operator: 'IN', values: ['13800138000'] }] }, { filters: [{ propertyName: 'firstname', operator: 'EQ', value: 'n0' }, { propertyName: 'company', operator: 'EQ', value: 'acme' }] }], properties: ['firstname'], limit: 2 };
    const p1 = await raw(emu, 'POST', `${C}/search`, body);
    expect(p1.body.total).toBe(3);
    expect(p1.body.results.map((r: any) => r.properties.firstname)).toEqual(['N0', 'N1']);
    expect(p1.body.results[0].properties.phone).toBeUndefined();
    expect(p1.body.paging.next.after).toBe('2');
    const p2 = await raw(emu, 'POST', `${C}/search`, { ...body, after: p1.body.paging.next.after });
    expect(p2.body.results.map((r: any) => r.properties.firstname)).toEqual(['N3']);
    expect(p2.body.paging).toBeUndefined();
  });
});

describe('HubSpot emulator: rate limits', () => {
  it('search: the 5th request in a second is 429 with the secondly-limit body and Retry-After', async () => {
    const emu = await emulator();
    const replies = await Promise.all(Array.from({ length: 5 }, () => raw(emu, 'POST', `${C}/search`, { filterGroups: [] })));
    const limited = replies.filter((r) => r.status === 429);
    expect(limited).toHaveLength(1);
    expect(limited[0]!.body).toMatchObject({ status: 'error', message: 'You have reached your secondly limit.', category: 'RATE_LIMITS', policyName: 'SECONDLY' });
    expect(limited[0]!.headers.get('retry-after')).toBe('1');
  });

  it('burst: beyond max per interval → 429 TEN_SECONDLY_ROLLING with the X-HubSpot-RateLimit-* headers; replies carry daily counters', async () => {
    const emu = await emulator({ burst: { max: 3, intervalMs: 10_000 }, dailyLimit: 500 });
    const ok = await raw(emu, 'GET', `${C}?limit=1`);
    expect(Object.fromEntries(['x-hubspot-ratelimit-daily', 'x-hubspot-ratelimit-daily-remaining', 'x-hubspot-ratelimit-max', 'x-hubspot-ratelimit-remaining', 'x-hubspot-ratelimit-interval-milliseconds'].map((h) => [h, ok.headers.get(h)]))).toEqual({
      'x-hubspot-ratelimit-daily': '500', 'x-hubspot-ratelimit-daily-remaining': '499', 'x-hubspot-ratelimit-max': '3', 'x-hubspot-ratelimit-remaining': '2', 'x-hubspot-ratelimit-interval-milliseconds': '10000',
    });
    await raw(emu, 'GET', `${C}?limit=1`);
    await raw(emu, 'GET', `${C}?limit=1`);
    const limited = await raw(emu, 'GET', `${C}?limit=1`);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ category: 'RATE_LIMITS', policyName: 'TEN_SECONDLY_ROLLING' });
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(9);
    expect(emu.state.daily.used).toBe(3); // refused requests don't count
  });

  it('daily: at the limit every call is 429 DAILY', async () => {
    const emu = await emulator({ dailyLimit: 10 });
    emu.control.setDaily({ used: 10 });
    const r = await raw(emu, 'GET', `${C}?limit=1`);
    expect(r.status).toBe(429);
    expect(r.body).toMatchObject({ policyName: 'DAILY', message: 'You have reached your daily limit.' });
    expect(r.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('0');
  });
});

describe('HubSpot emulator: faults', () => {
  it('failNext answers 500/502 (after committing when asked); dropNext commits and resets the connection; down refuses', async () => {
    const emu = await emulator();
    emu.control.failNext({ api: 'objects.create', status: 502 });
    expect((await raw(emu, 'POST', C, { properties: { firstname: 'A' } })).status).toBe(502);
    expect(emu.control.objects('contacts')).toHaveLength(0);
    emu.control.failNext({ api: 'objects.create', status: 500, commit: true });
    expect((await raw(emu, 'POST', C, { properties: { firstname: 'B' } })).status).toBe(500);
    expect(emu.control.objects('contacts')).toHaveLength(1);
    emu.control.dropNext({ api: 'objects.create' });
    await expect(raw(emu, 'POST', C, { properties: { firstname: 'C' } })).rejects.toThrow();
    expect(emu.control.objects('contacts')).toHaveLength(2);
    emu.control.down();
    await expect(raw(emu, 'GET', `${C}?limit=1`)).rejects.toThrow();
    emu.control.up();
    expect((await raw(emu, 'GET', `${C}?limit=1`)).status).toBe(200);
  });
});

describe('HubSpot emulator: fault controls of the sync fault test', () => {
  it('rateLimitFor: 429 for the window (Retry-After = the rest of it, or only the interval header; DAILY with 0 remaining), then served again', async () => {
    let t = Date.UTC(2026, 2, 5);
    const emu = await emulator({ now: () => t });
    emu.control.rateLimitFor(4_500);
    t += 500;
    const a = await raw(emu, 'GET', `${C}?limit=1`);
    expect(a).toMatchObject({ status: 429, body: { category: 'RATE_LIMITS', policyName: 'TEN_SECONDLY_ROLLING' } });
    expect(a.headers.get('retry-after')).toBe('4');
    expect(a.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(a.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    t += 4_000;
    expect((await raw(emu, 'GET', `${C}?limit=1`)).status).toBe(200);
    emu.control.rateLimitFor(2_000, { retryAfter: false });
    const b = await raw(emu, 'POST', `${C}/search`, { filterGroups: [] });
    expect(b.status).toBe(429);
    expect(b.headers.get('retry-after')).toBeNull();
    expect(b.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    emu.control.rateLimitFor(60_000, { policy: 'DAILY', retryAfter: false });
    const c = await raw(emu, 'GET', `${C}?limit=1`);
    expect(c).toMatchObject({ status: 429, body: { policyName: 'DAILY', message: 'You have reached your daily limit.' } });
    expect(c.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('0');
    expect(emu.state.requests.map((r) => [r.status, r.policy, r.retryAfterSeconds])).toEqual([
      [429, 'TEN_SECONDLY_ROLLING', 4], [200, undefined, undefined], [429, 'TEN_SECONDLY_ROLLING', undefined], [429, 'DAILY', undefined],
    ]);
  });

  it('setFaultPolicy: asked per request after auth and limits; drop after commit, an error status, or nothing; cleared with undefined', async () => {
    const emu = await emulator();
    const asked: string[] = [];
    const plan = [{ kind: 'drop', commit: true }, { kind: 'error', status: 503 }, undefined] as const;
    let i = 0;
    emu.control.setFaultPolicy((req) => {
      asked.push(req.api);
      return plan[i++];
    });
    await expect(raw(emu, 'POST', C, { properties: { firstname: 'A' } })).rejects.toThrow();
    expect(emu.control.objects('contacts')).toHaveLength(1); // committed, reply lost
    expect((await raw(emu, 'POST', C, { properties: { firstname: 'B' } })).status).toBe(503);
    expect(emu.control.objects('contacts')).toHaveLength(1);
    expect((await raw(emu, 'POST', C, { properties: { firstname: 'C' } })).status).toBe(201);
    expect((await raw(emu, 'POST', C, { properties: { firstname: 'D' } }, 'pat-na1-wrong')).status).toBe(401); // not asked
    expect(asked).toEqual(['objects.create', 'objects.create', 'objects.create']);
    expect(emu.state.requests[0]!.outcome).toBe('dropped');
    emu.control.setFaultPolicy(undefined);
    expect((await raw(emu, 'POST', C, { properties: { firstname: 'E' } })).status).toBe(201);
  });
});
