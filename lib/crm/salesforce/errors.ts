// Salesforce's error bodies → CrmError. REST errors are arrays [{message, errorCode, fields}];
// composite collection items carry {statusCode, message, fields}. Messages name fields (schema,
// not customer data) and never echo values.
import { z } from 'zod';
import { CrmError, type CrmErrorKind } from '../errors';

const duplicateResult = z.object({
  duplicateRule: z.string().optional(),
  matchResults: z
    .array(z.object({ entityType: z.string().optional(), matchRecords: z.array(z.object({ record: z.object({ Id: z.string() }).passthrough() }).passthrough()).default([]) }).passthrough())
    .default([]),
}).passthrough();

export const sfErrorSchema = z
  .object({
    message: z.string().default(''),
    errorCode: z.string().optional(),
    statusCode: z.string().optional(),
    fields: z.array(z.string()).optional(),
    duplicateResult: duplicateResult.optional(),
  })
  .passthrough();
export type SfError = z.infer<typeof sfErrorSchema>;

/** A duplicate rule blocked the save; `matches` are the existing records' ids (best first). */
export class SalesforceDuplicateError extends CrmError {
  readonly matches: string[];
  constructor(message: string, matches: string[], status?: number) {
    super('conflict', message, {
      vendorCode: 'DUPLICATES_DETECTED',
      ...(status !== undefined ? { status } : {}),
      userMessage: { zh_CN: 'Salesforce 的查重规则发现已有相同的记录', en: 'A Salesforce duplicate rule found an existing record' },
    });
    this.matches = matches;
  }
}

const VALIDATION = new Set([
  'REQUIRED_FIELD_MISSING', 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'INVALID_FIELD', 'INVALID_FIELD_FOR_INSERT_UPDATE',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'INVALID_EMAIL_ADDRESS', 'STRING_TOO_LONG', 'INVALID_TYPE_ON_FIELD_IN_RECORD',
  'JSON_PARSER_ERROR', 'MALFORMED_QUERY', 'INVALID_TYPE', 'FIELD_INTEGRITY_EXCEPTION', 'MALFORMED_ID', 'NUMBER_OUTSIDE_VALID_RANGE',
]);
const NOT_FOUND = new Set(['NOT_FOUND', 'ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY']);
const RETRYABLE = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE']);

/** The whole daily allocation is used up; it frees gradually (rolling 24 h), so wait minutes, not seconds. */
export const LIMIT_EXCEEDED_WAIT_MS = 5 * 60_000;

function fieldNote(fields: string[] | undefined): string {
  return fields?.length ? ` [${fields.join(', ')}]` : '';
}

/** One Salesforce error (REST item or composite item) as a CrmError; `fallback` is http.ts' guess from the status. */
export function salesforceError(e: SfError, fallback: { kind: CrmErrorKind; status?: number }): CrmError {
  const code = e.errorCode ?? e.statusCode ?? 'UNKNOWN';
  const message = `Salesforce ${code}${fieldNote(e.fields)}: ${e.message.slice(0, 240)}`;
  const base = { vendorCode: code, ...(fallback.status !== undefined ? { status: fallback.status } : {}) };
  if (code === 'DUPLICATES_DETECTED') {
    const ids = (e.duplicateResult?.matchResults ?? []).flatMap((m) => m.matchRecords.map((r) => r.record.Id));
    return new SalesforceDuplicateError(message, [...new Set(ids)], fallback.status);
  }
  if (code === 'REQUEST_LIMIT_EXCEEDED') return new CrmError('rate-limited', message, { ...base, retryAfterMs: LIMIT_EXCEEDED_WAIT_MS });
  if (VALIDATION.has(code)) {
    const fields = e.fields?.length ? e.fields.join(', ') : '';
    // A custom validation rule's text is written by the org's admin for users: show it.
    const rule = code === 'FIELD_CUSTOM_VALIDATION_EXCEPTION' ? `：${e.message.slice(0, 200)}` : '';
    return new CrmError('validation', message, {
      ...base,
      userMessage: {
        zh_CN: `Salesforce 拒绝了数据（${code}${fields ? `，字段 ${fields}` : ''}）${rule}`,
        en: `Salesforce rejected the data (${code}${fields ? `, fields ${fields}` : ''})${rule ? `: ${e.message.slice(0, 200)}` : ''}`,
      },
    });
  }
  if (NOT_FOUND.has(code)) return new CrmError('not-found', message, base);
  if (RETRYABLE.has(code)) return new CrmError('retryable', message, base);
  return new CrmError(fallback.kind, message, base);
}

/** The first error of a REST error body, when it is Salesforce-shaped. */
export function firstError(body: unknown): SfError | undefined {
  const list = Array.isArray(body) ? body : undefined;
  const parsed = sfErrorSchema.safeParse(list?.[0]);
  return parsed.success ? parsed.data : undefined;
}

/** Sforce-Limit-Info: api-usage=used/max (headers_api_usage.htm). */
export function parseLimitInfo(value: string | null | undefined): { used: number; max: number } | undefined {
  const m = value ? /api-usage=(\d+)\/(\d+)/.exec(value) : null;
  return m ? { used: Number(m[1]), max: Number(m[2]) } : undefined;
}
