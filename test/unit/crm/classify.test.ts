import { describe, expect, it } from 'vitest';
import { classifyHttpError, classifyNetworkError, parseRetryAfter, CrmError } from '../../../lib/crm/port';

const now = Date.UTC(2026, 2, 5, 10, 0, 0);

describe('classifyHttpError', () => {
  it.each([
    // status, headers, body, opts, kind, retryAfterMs
    [429, { 'Retry-After': '7' }, { message: 'slow down' }, {}, 'rate-limited', 7000],
    [429, { 'retry-after': new Date(now + 90_000).toUTCString() }, {}, {}, 'rate-limited', 90_000],
    [429, { 'retry-after': new Date(now - 5000).toUTCString() }, {}, {}, 'rate-limited', 0],
    [429, { 'x-ogw-ratelimit-reset': '3' }, { code: 99991400, msg: 'request trigger frequency limit' }, {}, 'rate-limited', 3000],
    [429, { 'X-RateLimit-Reset': String(now / 1000 + 60) }, { err: 'Rate limit reached', ECODE: 'APP_002' }, {}, 'rate-limited', 60_000],
    [429, {}, { error: { type: 'RATE_LIMIT_REACHED' } }, { defaultRetryAfterMs: 30_000 }, 'rate-limited', 30_000],
    [400, {}, { code: 99991400, msg: 'request trigger frequency limit' }, {}, 'rate-limited', undefined],
    [403, {}, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }], {}, 'rate-limited', undefined],
    [401, {}, { message: 'token expired' }, {}, 'auth', undefined],
    [403, {}, { errorMessages: ['XSRF check failed'] }, {}, 'auth', undefined],
    [400, {}, { status: 'error', message: 'Property values were not valid' }, {}, 'validation', undefined],
    [422, {}, { errors: [{ message: 'name is required' }] }, {}, 'validation', undefined],
    [404, {}, { object: 'error', code: 'object_not_found' }, {}, 'not-found', undefined],
    [409, {}, { message: 'Contact already exists' }, { write: true }, 'conflict', undefined],
    [412, {}, {}, {}, 'conflict', undefined],
    [501, {}, {}, {}, 'unsupported', undefined],
    [500, {}, {}, { write: false }, 'retryable', undefined],
    [500, {}, {}, { write: true }, 'unknown-outcome', undefined],
    [504, {}, {}, { write: true }, 'unknown-outcome', undefined],
    [503, { 'Retry-After': '120' }, {}, { write: true }, 'retryable', 120_000],
    [529, {}, { code: 'service_overload' }, {}, 'retryable', undefined],
    [408, {}, {}, { write: true }, 'retryable', undefined],
  ] as const)('%i %j → %s', (status, headers, body, opts, kind, retryAfterMs) => {
    const e = classifyHttpError(status, headers, body, { now, ...opts });
    expect(e).toBeInstanceOf(CrmError);
    expect(e.kind).toBe(kind);
    expect(e.retryAfterMs).toBe(retryAfterMs);
    expect(e.status).toBe(status);
    expect(e.userMessage.zh_CN.length).toBeGreaterThan(0);
    expect(e.userMessage.en.length).toBeGreaterThan(0);
  });

  it('reads Headers objects and keeps the vendor detail in the message', () => {
    const e = classifyHttpError(429, new Headers({ 'Retry-After': '2' }), { code: 1254290, msg: 'TooManyRequest' }, { now });
    expect(e.retryAfterMs).toBe(2000);
    expect(e.vendorCode).toBe('1254290');
    expect(e.message).toBe('HTTP 429 1254290: TooManyRequest');
    expect(e.retryable).toBe(true);
  });

  it('parseRetryAfter ignores garbage', () => {
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });
});

describe('classifyNetworkError', () => {
  it('a failed read is retryable; a failed write has an unknown outcome', () => {
    const err = new TypeError('Failed to fetch');
    expect(classifyNetworkError(err, { write: false }).kind).toBe('retryable');
    const w = classifyNetworkError(new DOMException('timed out', 'AbortError'), { write: true });
    expect(w.kind).toBe('unknown-outcome');
    expect(w.retryable).toBe(true);
    expect(new CrmError('auth', 'x').retryable).toBe(false);
  });
});
