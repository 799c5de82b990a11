// Airtable's error bodies → CrmError. Airtable answers {error: {type, message}} (or, for an
// unknown route/record, {error: "NOT_FOUND"}); 429 carries {errors: [{error, message}]} and no
// Retry-After: the documented rule is to wait 30 seconds (airtable.com/developers/web/api/
// rate-limits, read 2026-12-06). Messages name fields (schema, never values).
import { z } from 'zod';
import { CrmError, type CrmErrorKind } from '../errors';

/** "If you exceed this rate, you will receive a 429 status code and will need to wait 30 seconds before subsequent requests will succeed." */
export const RATE_LIMIT_WAIT_MS = 30_000;

const body = z.union([
  z.object({ error: z.object({ type: z.string(), message: z.string().optional() }).loose() }).loose(),
  z.object({ error: z.string() }).loose(),
  z.object({ errors: z.array(z.object({ error: z.string(), message: z.string().optional() }).loose()).min(1) }).loose(),
]);

export interface AirtableErrorInfo {
  type: string;
  message: string;
}

export function parseAirtableError(raw: unknown): AirtableErrorInfo | undefined {
  const p = body.safeParse(raw);
  if (!p.success) return undefined;
  const b = p.data as Record<string, unknown>;
  if (typeof b.error === 'string') return { type: b.error, message: '' };
  if (b.error && typeof b.error === 'object') {
    const e = b.error as { type: string; message?: string };
    return { type: e.type, message: e.message ?? '' };
  }
  const first = (b.errors as { error: string; message?: string }[])[0]!;
  return { type: first.error, message: first.message ?? '' };
}

/** The field a 422 names: `Field "电话" cannot accept…`, `Unknown field name: "X"`, `…select option ""X""` (the option, not a field). */
export function fieldOf(message: string): string | undefined {
  const m = /Field "([^"]+)"/.exec(message) ?? /field name: "([^"]+)"/i.exec(message);
  return m?.[1];
}

const AUTH = new Set(['AUTHENTICATION_REQUIRED', 'INVALID_PERMISSIONS', 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND', 'NOT_AUTHORIZED', 'INVALID_AUTHORIZATION']);
const NOT_FOUND = new Set(['NOT_FOUND', 'MODEL_ID_NOT_FOUND', 'TABLE_NOT_FOUND']);

/** An Airtable error reply as a CrmError; `fallback` is http.ts' guess from the status. */
export function airtableError(info: AirtableErrorInfo, fallback: { kind: CrmErrorKind; status?: number }): CrmError {
  const status = fallback.status;
  const base = { vendorCode: info.type, ...(status !== undefined ? { status } : {}) };
  const message = `Airtable ${status ?? ''} ${info.type}: ${info.message.slice(0, 240)}`.replace(/\s+/g, ' ').trim();
  if (status === 429 || info.type === 'RATE_LIMIT_REACHED') {
    return new CrmError('rate-limited', message, { ...base, retryAfterMs: RATE_LIMIT_WAIT_MS });
  }
  if (status === 401 || status === 403 || AUTH.has(info.type)) {
    return new CrmError('auth', message, {
      ...base,
      userMessage: {
        zh_CN: 'Airtable 拒绝了令牌或令牌无权访问这个 Base：请检查令牌的 scopes 和 Access 中是否添加了该 Base',
        en: 'Airtable rejected the token or it has no access to this base: check its scopes and that the base is added under Access',
      },
    });
  }
  if (status === 404 || NOT_FOUND.has(info.type)) return new CrmError('not-found', message, base);
  if (status === 422 || status === 400) {
    const field = fieldOf(info.message);
    return new CrmError('validation', message, {
      ...base,
      userMessage: field
        ? { zh_CN: `Airtable 拒绝了字段「${field}」的值（${info.type}），请检查字段映射和字段类型`, en: `Airtable refused the value of field "${field}" (${info.type}); check the field mapping and the field's type` }
        : { zh_CN: `Airtable 拒绝了这些数据（${info.type}）`, en: `Airtable rejected the data (${info.type})` },
    });
  }
  return new CrmError(fallback.kind, message, base);
}
