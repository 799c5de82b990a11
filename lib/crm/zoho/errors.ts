// Zoho CRM error bodies → CrmError. Zoho answers {code, details, message, status:"error"} at the
// top (401 INVALID_TOKEN / OAUTH_SCOPE_MISMATCH, 429 TOO_MANY_REQUESTS, 400 INVALID_URL_PATTERN…)
// or per record inside {data:[…]} (INVALID_DATA, MANDATORY_NOT_FOUND with details.api_name,
// DUPLICATE_DATA with details.api_name and details.id), per the v8 files' API_Exception schemas
// (record.json, notes.json). http.ts has classified the status (429's wait from Retry-After or
// X-RATELIMIT-RESET, 5xx on a write = unknown outcome); this adds Zoho's code and the field.
import { z } from 'zod';
import { CrmError } from '../errors';

const exception = z.object({
  code: z.string(),
  message: z.string().optional(),
  status: z.string().optional(),
  details: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type ZohoException = z.infer<typeof exception>;
const wrapped = z.object({ data: z.array(exception.partial().passthrough()).min(1) });

/** The first exception a body carries (top-level or the first failed record). */
export function parseException(body: unknown): ZohoException | undefined {
  const top = exception.safeParse(body);
  if (top.success && top.data.status !== 'success') return top.data;
  const w = wrapped.safeParse(body);
  if (!w.success) return undefined;
  const failed = w.data.data.find((d) => d.status === 'error' && typeof d.code === 'string');
  return failed ? exception.parse(failed) : undefined;
}

/** Default wait after a 429 that names none: Zoho documents no Retry-After; a minute. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

const field = (x: ZohoException) => (typeof x.details?.api_name === 'string' ? x.details.api_name : undefined);

/** A record-level or top-level exception as a CrmError; `e` is http.ts's classification when there was an HTTP error. */
export function zohoError(x: ZohoException | undefined, e?: CrmError): CrmError {
  const status = e?.status;
  const base = { ...(status !== undefined ? { status } : {}), ...(x ? { vendorCode: x.code } : e?.vendorCode ? { vendorCode: e.vendorCode } : {}), ...(e ? { cause: e } : {}) };
  const name = x && field(x);
  const msg = `Zoho ${status ?? ''} ${x?.code ?? ''}${name ? ` ${name}` : ''}: ${(x?.message ?? e?.message ?? 'no detail').slice(0, 200)}`.replace(/\s+/g, ' ').trim();
  switch (x?.code) {
    case 'INVALID_TOKEN':
    case 'AUTHENTICATION_FAILURE':
    case 'OAUTH_SCOPE_MISMATCH':
    case 'NO_PERMISSION':
      return new CrmError('auth', msg, { ...base, userMessage: x.code === 'INVALID_TOKEN' || x.code === 'AUTHENTICATION_FAILURE' ? { zh_CN: 'Zoho CRM 授权已失效，请在设置中重新连接', en: 'The Zoho CRM authorization expired; connect again in the options' } : { zh_CN: `Zoho CRM 拒绝了此操作（${x.code}）：授权范围或用户权限不足，请重新连接或联系管理员`, en: `Zoho CRM refused this (${x.code}): the grant's scopes or your profile lack the permission; reconnect or ask an admin` } });
    case 'INVALID_DATA':
    case 'MANDATORY_NOT_FOUND':
    case 'MAX_LENGTH_EXCEEDED':
    case 'EXPECTED_FIELD_MISSING':
    case 'LIMIT_EXCEEDED':
      return new CrmError('validation', msg, { ...base, userMessage: name ? { zh_CN: `Zoho CRM 拒绝了字段 ${name}（${x.code}）`, en: `Zoho CRM rejected the field ${name} (${x.code})` } : { zh_CN: `Zoho CRM 拒绝了这些数据（${x.code}）`, en: `Zoho CRM rejected the data (${x.code})` } });
    case 'DUPLICATE_DATA':
      return new CrmError('conflict', msg, { ...base, userMessage: { zh_CN: `Zoho CRM 中已有 ${name ?? '该值'} 相同的记录`, en: `Zoho CRM already has a record with the same ${name ?? 'value'}` } });
    case 'TOO_MANY_REQUESTS':
      return new CrmError('rate-limited', msg, { ...base, retryAfterMs: e?.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS });
    case 'INVALID_MODULE':
    case 'INVALID_URL_PATTERN':
      return new CrmError('unsupported', msg, base);
    default:
      if (e?.kind === 'rate-limited') return new CrmError('rate-limited', msg, { ...base, retryAfterMs: e.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS });
      return new CrmError(e?.kind ?? 'validation', msg, { ...base, ...(e?.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) });
  }
}
