// Vendor-neutral CRM errors. Adapters turn HTTP replies into a CrmError kind so the outbox
// can decide (retry, wait, ask the user to reconnect, reconcile) without knowing the vendor.
// Background only in practice, but free of browser APIs and vendor code.
import type { Localized } from './spec';

export const CRM_ERROR_KINDS = [
  /** Transient (503, connection refused before sending): retry with backoff. */
  'retryable',
  /** 429 and vendor equivalents: wait at least retryAfterMs. */
  'rate-limited',
  /** Credentials rejected or lacking permission: stop and ask the user to reconnect. */
  'auth',
  /** The CRM refused the data (400/422, required field, bad enum): retrying won't help. */
  'validation',
  /** Duplicate or concurrent-modification (409, 412, Bitable 1254291). */
  'conflict',
  /** The remote record is gone (deleted or merged in the CRM): the link must be re-made. */
  'not-found',
  /** A write may have been committed (timeout, killed fetch, 500/504 on a write): reconcile before retrying. */
  'unknown-outcome',
  /** The CRM cannot do this (WeCom create customer, an endpoint removed). */
  'unsupported',
] as const;
export type CrmErrorKind = (typeof CRM_ERROR_KINDS)[number];

export const USER_MESSAGES: Record<CrmErrorKind, Localized> = {
  retryable: { zh_CN: 'CRM 暂时不可用，稍后自动重试', en: 'The CRM is temporarily unavailable; Liaison will retry' },
  'rate-limited': { zh_CN: '请求过于频繁，已暂停，稍后自动重试', en: 'Too many requests; Liaison will wait and retry' },
  auth: { zh_CN: '凭证无效、已过期或权限不足，请重新连接', en: 'The credentials were rejected or lack permission; reconnect' },
  validation: { zh_CN: 'CRM 拒绝了这些数据，请检查字段映射和必填项', en: 'The CRM rejected the data; check the field mapping and required fields' },
  conflict: { zh_CN: 'CRM 中已有冲突的记录', en: 'The CRM reports a conflicting record' },
  'not-found': { zh_CN: 'CRM 中的记录已不存在，请重新关联', en: 'The record no longer exists in the CRM; link it again' },
  'unknown-outcome': { zh_CN: '不确定 CRM 是否已保存，将先核对再重试', en: 'Unsure whether the CRM saved it; Liaison will check before retrying' },
  unsupported: { zh_CN: '此 CRM 不支持该操作', en: 'This CRM does not support this operation' },
};

export class CrmError extends Error {
  override readonly name = 'CrmError';
  readonly kind: CrmErrorKind;
  readonly retryAfterMs?: number;
  /** What the sidebar shows; `message` keeps the technical detail (never phone numbers or chat text). */
  readonly userMessage: Localized;
  readonly status?: number;
  /** The vendor's own error code (Feishu 1254291, Salesforce DUPLICATES_DETECTED…). */
  readonly vendorCode?: string;

  constructor(
    kind: CrmErrorKind,
    message: string,
    opts: { retryAfterMs?: number; userMessage?: Localized; status?: number; vendorCode?: string; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.kind = kind;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
    this.userMessage = opts.userMessage ?? USER_MESSAGES[kind];
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.vendorCode !== undefined) this.vendorCode = opts.vendorCode;
  }

  /** Whether the outbox should try again (after reconciling, for unknown-outcome). */
  get retryable(): boolean {
    return this.kind === 'retryable' || this.kind === 'rate-limited' || this.kind === 'unknown-outcome';
  }
}

export type HeaderBag = Headers | Record<string, string | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers as Record<string, string | undefined>)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Retry-After is delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Negative or unparseable → undefined. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Reset headers differ per vendor: Feishu x-ogw-ratelimit-reset is seconds to wait, ClickUp
 * X-RateLimit-Reset an epoch in seconds, Jira an ISO time. Tell them apart by magnitude.
 */
function parseReset(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) {
    const n = Number(v);
    if (n > 1e12) return Math.max(0, n - now); // epoch ms
    if (n > 1e9) return Math.max(0, n * 1000 - now); // epoch s
    return Math.round(n * 1000); // delta s
  }
  return parseRetryAfter(v, now);
}

/** A short technical message from the usual error body shapes of the seventeen CRMs. */
export function errorDetail(body: unknown): string | undefined {
  const pick = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  if (typeof body === 'string') return pick(body.slice(0, 300));
  if (Array.isArray(body)) return errorDetail(body[0]); // Salesforce [{message,errorCode}]
  if (body === null || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const nested = b.error;
  const found =
    pick(b.message) ??
    pick(b.msg) ?? // Feishu {code,msg}
    pick(b.errmsg) ?? // WeCom
    pick(b.err) ?? // ClickUp
    (nested && typeof nested === 'object' ? pick((nested as Record<string, unknown>).message) : pick(nested)) ??
    (Array.isArray(b.errorMessages) ? pick(b.errorMessages[0]) : undefined) ?? // Jira
    (Array.isArray(b.errors) ? errorDetail(b.errors[0]) : undefined); // GraphQL, HubSpot, Asana
  return found?.slice(0, 300);
}

function vendorCodeOf(body: unknown): string | undefined {
  const b = (Array.isArray(body) ? body[0] : body) as Record<string, unknown> | null | undefined;
  if (!b || typeof b !== 'object') return undefined;
  const c = b.code ?? b.errorCode ?? b.errcode ?? b.ECODE;
  return typeof c === 'string' || typeof c === 'number' ? String(c) : undefined;
}

export interface ClassifyOptions {
  /** A write (create/update) whose outcome is unknown on 500/504 (the server may have committed). */
  write?: boolean;
  now?: number;
  /** When a 429 carries no usable header (Airtable says wait 30 s; Salesforce has none). */
  defaultRetryAfterMs?: number;
}

/** Salesforce signals its daily allocation as 403 REQUEST_LIMIT_EXCEEDED; Feishu's old APIs as 400 code 99991400. */
const RATE_LIMIT_CODES = new Set(['REQUEST_LIMIT_EXCEEDED', '99991400', '1254290', '45009', 'RATELIMITED', 'COMPLEXITY_BUDGET_EXHAUSTED']);

/** Turns a non-2xx HTTP reply into a CrmError. Vendors that answer errors with HTTP 200 classify their body codes themselves. */
export function classifyHttpError(status: number, headers: HeaderBag, body: unknown, opts: ClassifyOptions = {}): CrmError {
  const now = opts.now ?? Date.now();
  const vendorCode = vendorCodeOf(body);
  const message = `HTTP ${status}${vendorCode ? ` ${vendorCode}` : ''}: ${errorDetail(body) ?? 'no detail'}`;
  const base = { status, ...(vendorCode ? { vendorCode } : {}) };
  const waitMs = () =>
    parseRetryAfter(header(headers, 'retry-after'), now) ??
    parseReset(header(headers, 'x-ogw-ratelimit-reset'), now) ??
    parseReset(header(headers, 'x-ratelimit-reset'), now) ??
    opts.defaultRetryAfterMs;
  const withWait = (kind: CrmErrorKind) => {
    const retryAfterMs = waitMs();
    return new CrmError(kind, message, { ...base, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  };

  if (status === 429 || (vendorCode !== undefined && RATE_LIMIT_CODES.has(vendorCode))) return withWait('rate-limited');
  if (status === 401 || status === 403) return new CrmError('auth', message, base);
  if (status === 404 || status === 410) return new CrmError('not-found', message, base);
  if (status === 409 || status === 412) return new CrmError('conflict', message, base);
  if (status === 405 || status === 501) return new CrmError('unsupported', message, base);
  if (status === 408) return withWait('retryable'); // the server gave up waiting for our request: nothing was done
  if (status >= 500) {
    // 500/502/504 on a write: the request may have reached the database before the error.
    if (opts.write && status !== 503 && status !== 529) return new CrmError('unknown-outcome', message, base);
    return withWait('retryable');
  }
  return new CrmError('validation', message, base); // 400, 422 and other 4xx
}

/**
 * fetch rejected (offline, DNS, reset, our timeout's AbortError). A read is simply retried; a
 * write may have been received and committed, so its outcome is unknown (Stripe, FoundationDB's
 * commit_unknown_result): the outbox reconciles by idempotency key or lookup before retrying.
 */
export function classifyNetworkError(error: unknown, opts: { write: boolean }): CrmError {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new CrmError(opts.write ? 'unknown-outcome' : 'retryable', `network error: ${detail}`.slice(0, 300), { cause: error });
}
