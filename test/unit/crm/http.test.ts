// The shared HTTP client against a real (tiny) server on 127.0.0.1: errors become CrmErrors,
// a 429's wait blocks the connection's limiter, a timed-out write is an unknown outcome.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHttpClient } from '../../../lib/crm/http';
import { CrmError } from '../../../lib/crm/errors';
import { createRateLimiter } from '../../../lib/crm/rate-limiter';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_q, res) => res.end();
const hits: { url: string; at: number }[] = [];
let server: Server;
let baseUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push({ url: req.url ?? '', at: Date.now() });
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/** Fake clock for the client and limiter; sleeping advances it and records the wait. */
function clock() {
  let t = Date.UTC(2026, 2, 5, 10, 0, 0);
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

async function caught(p: Promise<unknown>): Promise<CrmError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CrmError) return e;
    throw e;
  }
  throw new Error('expected a CrmError');
}

describe('createHttpClient', () => {
  it('returns the parsed reply and validates it against the schema', async () => {
    handler = (_q, res) => json(res, 200, { data: { id: 'rec1' } });
    const c = clock();
    const http = createHttpClient({ baseUrl, limiter: createRateLimiter({ now: c.now, sleep: c.sleep }), now: c.now });
    await expect(http.request('get', '/records/1', { schema: z.object({ data: z.object({ id: z.string() }) }) })).resolves.toEqual({ data: { id: 'rec1' } });
  });

  it('a reply that does not match the schema is a validation error naming the path', async () => {
    handler = (_q, res) => json(res, 200, { data: { id: 42 } });
    const c = clock();
    const http = createHttpClient({ baseUrl, limiter: createRateLimiter({ now: c.now, sleep: c.sleep }), now: c.now });
    const e = await caught(http.request('get', '/records/1', { schema: z.object({ data: z.object({ id: z.string() }) }) }));
    expect(e.kind).toBe('validation');
    expect(e.message).toContain('data.id');
  });

  it.each([
    ['delay-seconds', (now: number) => ({ 'retry-after': '7' }), 7_000],
    ['HTTP-date', (now: number) => ({ 'retry-after': new Date(now + 90_000).toUTCString() }), 90_000],
  ])('429 with Retry-After as %s → rate-limited, and the limiter holds the next request', async (_name, headers, waitMs) => {
    const c = clock();
    const limiter = createRateLimiter({ now: c.now, sleep: c.sleep });
    const http = createHttpClient({ baseUrl, limiter, now: c.now });
    handler = (_q, res) => json(res, 429, { message: 'slow down' }, headers(c.now()));
    const t0 = c.now();
    const e = await caught(http.request('post', '/records', { json: { a: 1 }, write: true }));
    expect(e.kind).toBe('rate-limited');
    expect(e.retryAfterMs).toBe(waitMs);
    expect(limiter.cooldownUntil()).toBe(t0 + waitMs);

    handler = (_q, res) => json(res, 200, { ok: true });
    const before = hits.length;
    await http.request('get', '/records');
    expect(c.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(waitMs); // waited before sending
    expect(hits.length).toBe(before + 1);
  });

  it('a write that times out is an unknown outcome; a read that times out is retryable', async () => {
    handler = () => undefined; // never answers
    const c = clock();
    const http = createHttpClient({ baseUrl, limiter: createRateLimiter({ now: c.now, sleep: c.sleep }), now: c.now, timeoutMs: 100 });
    expect((await caught(http.request('post', '/records', { json: {}, write: true }))).kind).toBe('unknown-outcome');
    expect((await caught(http.request('get', '/records'))).kind).toBe('retryable');
  });

  it('500 on a write is an unknown outcome, 503 retryable, 401 auth, 422 validation with the detail', async () => {
    const c = clock();
    const http = createHttpClient({ baseUrl, limiter: createRateLimiter({ now: c.now, sleep: c.sleep }), now: c.now });
    const kindFor = async (status: number, body: unknown, write: boolean) => {
      handler = (_q, res) => json(res, status, body);
      return caught(http.request(write ? 'post' : 'get', '/x', { write, ...(write ? { json: {} } : {}) }));
    };
    expect((await kindFor(500, {}, true)).kind).toBe('unknown-outcome');
    expect((await kindFor(503, {}, true)).kind).toBe('retryable');
    expect((await kindFor(401, { message: 'bad token' }, false)).kind).toBe('auth');
    const v = await kindFor(422, { errors: [{ message: 'name is required' }] }, true);
    expect(v.kind).toBe('validation');
    expect(v.message).toContain('name is required');
  });

  it('a refused connection on a write is an unknown outcome, on a read retryable', async () => {
    const c = clock();
    const dead = createHttpClient({ baseUrl: 'http://127.0.0.1:9/api', limiter: createRateLimiter({ now: c.now, sleep: c.sleep }), now: c.now });
    expect((await caught(dead.request('post', '/x', { json: {}, write: true }))).kind).toBe('unknown-outcome');
    expect((await caught(dead.request('get', '/x'))).kind).toBe('retryable');
  });

  it("the caller's abort is passed through, not turned into a CRM failure", async () => {
    handler = () => undefined;
    const c = clock();
    const http = createHttpClient({ baseUrl, limiter: createRateLimiter({ now: c.now, sleep: c.sleep }), now: c.now });
    const ac = new AbortController();
    const p = http.request('get', '/slow', { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('stop')), 20);
    await expect(p).rejects.not.toBeInstanceOf(CrmError);
  });
});
