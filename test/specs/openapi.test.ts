// The validator itself can fail: operations matched through server base paths and templates,
// parameters coerced and checked, undeclared query keys, credentials, bodies (3.0 nullable and
// 3.1 type arrays), replies and undeclared 2xx; overlays applied, recorded and refusing to miss;
// a recording fetch that counts validated, violations and uncovered.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadSpec, overlay, specFromDocument, specsAvailable, specsRequired, validatingFetch, type Patch } from './openapi';

const doc30 = {
  openapi: '3.0.1',
  info: { title: 't', version: '1' },
  servers: [{ url: 'https://api.example.com/api/v2' }],
  components: {
    securitySchemes: { key: { type: 'apiKey', in: 'query', name: 'api_token' }, bearer: { type: 'oauth2', flows: { implicit: { authorizationUrl: 'https://x', scopes: {} } } } },
    schemas: {
      Person: { type: 'object', required: ['name', 'title'], properties: { name: { type: 'string' }, age: { type: 'integer', nullable: true }, kids: { type: 'array', items: { $ref: '#/components/schemas/Person' } } } },
    },
  },
  security: [{ key: [] }, { bearer: [] }],
  paths: {
    '/persons/{id}': {
      get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }, { name: 'fields', in: 'query', schema: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } }, explode: false }], responses: { 200: { description: '', content: { 'application/json': { schema: { $ref: '#/components/schemas/Person' } } } } } },
    },
    '/persons/search': { get: { parameters: [{ name: 'term', in: 'query', required: true, schema: { type: 'string', minLength: 2 } }], responses: { 200: { description: '' } } } },
    '/persons': { post: { requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Person' } } } }, responses: { 201: { description: '', content: { 'application/json': { schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } } } } } } },
  },
};

describe('Spec: matching and request checks', () => {
  it('matches through the server base path, the most literal template first; the host is ignored', async () => {
    const s = await specFromDocument('t30', doc30);
    expect(s.operation('GET', 'http://127.0.0.1:5/api/v2/persons/search')?.template).toBe('/persons/search');
    expect(s.operation('GET', 'http://127.0.0.1:5/api/v2/persons/7')).toMatchObject({ template: '/persons/{id}', params: { id: '7' } });
    expect(s.operation('GET', 'http://x/persons/7')).toBeUndefined(); // no base path
    expect(s.operation('DELETE', 'http://x/api/v2/persons/7')).toBeUndefined();
  });

  it('checks path and query parameters, undeclared keys and credentials', async () => {
    const s = await specFromDocument('t30', doc30);
    expect(s.check('GET', 'http://x/api/v2/persons/7?fields=a,b&api_token=k', undefined).errors).toEqual([]);
    expect(s.check('GET', 'http://x/api/v2/persons/seven?fields=a,c&api_token=k', undefined).errors.join('\n')).toMatch(/path id: must be integer[\s\S]*query fields\.1: must be equal to one of the allowed values/);
    expect(s.check('GET', 'http://x/api/v2/persons/search?api_token=k', undefined).errors).toEqual(['GET /persons/search: query term: required']);
    expect(s.check('GET', 'http://x/api/v2/persons/search?term=ab&x=1&api_token=k', undefined).errors).toEqual(['GET /persons/search: query x: not a parameter of this operation']);
    expect(s.check('GET', 'http://x/api/v2/persons/search?term=ab', undefined).errors).toEqual([expect.stringContaining('credentials: none of the schemes')]);
    expect(s.check('GET', 'http://x/api/v2/persons/search?term=ab', undefined, { authorization: 'Bearer t' }).errors).toEqual([]);
  });

  it('checks bodies with nullable (3.0) and circular refs; replies by status; an undeclared 2xx is drift', async () => {
    const s = await specFromDocument('t30', doc30);
    const url = 'http://x/api/v2/persons?api_token=k';
    expect(s.check('POST', url, { name: 'a', title: 't', age: null, kids: [{ name: 'b', title: 'c' }] }).errors).toEqual([]);
    expect(s.check('POST', url, { name: 'a', title: 't', kids: [{ name: 1 }] }).errors.join('\n')).toMatch(/body\.kids\.0: must have required property 'title'[\s\S]*body\.kids\.0\.name: must be string/);
    expect(s.check('POST', url, undefined).errors).toEqual(['POST /persons: body: required']);
    expect(s.check('POST', url, { name: 'a', title: 't' }, { 'content-type': 'text/plain' }).errors).toEqual([expect.stringContaining('content type text/plain')]);
    expect(s.checkReply('POST', url, 201, { id: '1' }).errors).toEqual([]);
    expect(s.checkReply('POST', url, 201, { id: 1 }).errors).toEqual(['POST /persons → 201: reply.id: must be string']);
    expect(s.checkReply('POST', url, 200, { id: '1' }).errors).toEqual(['POST /persons → 200: the operation answers 201, not 200']);
    expect(s.checkReply('POST', url, 503, 'down').errors).toEqual([]); // undeclared fault: not checked
  });

  it('reads OpenAPI 3.1 type arrays through draft 2020-12', async () => {
    const doc31 = { ...structuredClone(doc30), openapi: '3.1.0' } as any;
    doc31.components.schemas.Person.properties.age = { type: ['integer', 'null'] };
    const s = await specFromDocument('t31', doc31);
    expect(s.v31).toBe(true);
    expect(s.check('POST', 'http://x/api/v2/persons?api_token=k', { name: 'a', title: 't', age: null }).errors).toEqual([]);
    expect(s.check('POST', 'http://x/api/v2/persons?api_token=k', { name: 'a', title: 't', age: 'old' }).errors).toEqual(['POST /persons: body.age: must be integer,null']);
  });
});

describe('overlay', () => {
  const patch: Patch = { id: 'no-title', reason: 'test: title is not a property', op: 'replace', path: '/components/schemas/Person/required', value: ['name'] };
  it('applies JSON-pointer edits and records them on the spec', async () => {
    const s = await specFromDocument('t30', doc30, [patch]);
    expect(s.applied.map((p) => p.id)).toEqual(['no-title']);
    expect(s.check('POST', 'http://x/api/v2/persons?api_token=k', { name: 'a' }).errors).toEqual([]);
    expect(overlay({ a: { 'b/c': [1] } }, [{ id: 'x', reason: 'r', op: 'add', path: '/a/b~1c/-', value: 2 }])).toEqual({ a: { 'b/c': [1, 2] } });
    expect(overlay({ a: { b: 1, c: 2 } }, [{ id: 'x', reason: 'r', op: 'remove', path: '/a/b' }])).toEqual({ a: { c: 2 } });
  });
  it('refuses a patch whose target is gone (the vendor fixed it, or the pointer is wrong)', () => {
    expect(() => overlay(structuredClone(doc30), [{ ...patch, path: '/components/schemas/Nobody/required' }])).toThrow(/no-title: .* does not exist/);
    expect(() => overlay(structuredClone(doc30), [{ ...patch, op: 'remove', path: '/components/schemas/Person/nothing' }])).toThrow(/does not exist/);
  });
});

describe('validatingFetch', () => {
  it('records each request with its operation, counts validated, violations and uncovered', async () => {
    const server = createServer((req, res) => {
      res.writeHead(req.url!.startsWith('/api/v2/persons') && req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url!.includes('bad') ? { id: 5 } : { id: '5' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const s = await specFromDocument('t30', doc30);
      const { fetch: f, log } = await validatingFetch('test-vendor', [s], { report: false });
      const post = (q: string, body: unknown) => f(`${base}/api/v2/persons?api_token=k${q}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await post('', { name: 'a', title: 't' });
      await post('&bad=1', { name: 'a' });
      await f(`${base}/v1/users/me`);
      expect(log.counts()).toEqual({ validated: 2, violations: 3, uncovered: 1, replies: 2 });
      expect(log.uncovered).toEqual(['GET /v1/users/me']);
      expect(log.records[0]).toMatchObject({ operation: 'POST /persons (t30)', ok: true, errors: [] });
      expect(log.errors()).toEqual([
        'POST /persons: query bad: not a parameter of this operation',
        "POST /persons: body: must have required property 'title'",
        'POST /persons → 201: reply.id: must be string',
      ]);
    } finally {
      server.close();
    }
  });
});

describe('the vendors\' files', () => {
  it.skipIf(!specsAvailable() && !specsRequired())('load, and a missing one fails naming it and how to get it', async () => {
    const v2 = await loadSpec('pipedrive.v2.yaml');
    // SOURCES.md's Pipedrive defect, as the file has it (the Pipedrive contract overlays it).
    expect(v2.check('POST', 'http://x/api/v2/persons', { name: 'x' }, { 'x-api-token': 't' }).errors).toEqual(["POST /persons: body: must have required property 'title'"]);
    await expect(loadSpec('nobody.yaml')).rejects.toThrow(/Vendor API description missing: .*nobody\.yaml.*SOURCES\.md.*LIAISON_SPECS_DIR/);
  });
});
