// monday.com error bodies → CrmError (api-reference/docs/error-handling, read 2026-12-06).
// Application errors come with HTTP 200 and an `errors` array whose entries carry
// extensions.code (ColumnValueException, InvalidBoardIdException, UserUnauthorizedException…),
// extensions.status_code and extensions.error_data; transport errors use HTTP statuses (400,
// 401, 429, 5xx: http.ts classifies those). Older API versions answer with a flat body
// {error_code, status_code, error_message, error_data} (changelog "Changes to
// ComplexityException error reverted"); both shapes are read. Messages are redacted: monday
// echoes the values it refused.
import { CrmError, type CrmErrorKind } from '../errors';

export interface GraphqlErrorEntry {
  message?: string;
  extensions?: { code?: string; status_code?: number; error_data?: Record<string, unknown>; retry_in_seconds?: number } & Record<string, unknown>;
}

export function redact(s: string): string {
  return s
    .replace(/[^\s"'`<>()[\]{},;:]+@[^\s"'`<>()[\]{},;:]+/g, '<email>')
    .replace(/(?<![\w-])\+?\d[\d\s().-]{7,}\d/g, '<number>')
    .slice(0, 300);
}

/** Rate and budget codes: complexity (both spellings), per-minute, daily, concurrency, IP. */
const RATE_CODES = new Set(['ComplexityException', 'COMPLEXITY_BUDGET_EXHAUSTED', 'RATE_LIMIT_EXCEEDED', 'Rate Limit Exceeded', 'DAILY_LIMIT_EXCEEDED', 'maxConcurrencyExceeded', 'MAX_CONCURRENCY_EXCEEDED', 'IP_RATE_LIMIT_EXCEEDED']);
const AUTH_CODES = new Set(['UserUnauthorizedException', 'Unauthorized', 'UNAUTHENTICATED', 'USER_UNAUTHORIZED', 'missingRequiredPermissions', 'UserAccessDeniedException']);
const NOT_FOUND_CODES = new Set(['InvalidItemIdException', 'ItemNotFoundException', 'ResourceNotFoundException', 'RecordInvalidException:not_found']);
const VALIDATION_CODES = new Set([
  'ColumnValueException', 'InvalidColumnIdException', 'InvalidArgumentException', 'InvalidUserIdException', 'InvalidVersionException',
  'ItemNameTooLongException', 'ItemsLimitationException', 'CreateBoardException', 'JsonParseException', 'ParseError',
  'GRAPHQL_VALIDATION_FAILED', 'argumentLiteralsIncompatible', 'undefinedField', 'missingRequiredArguments', 'variableMismatch', 'RecordInvalidException', 'BAD_USER_INPUT',
]);

/** "…reset in 3 seconds" / extensions.retry_in_seconds → ms. */
function retryMs(e: GraphqlErrorEntry): number | undefined {
  const s = e.extensions?.retry_in_seconds ?? (e.extensions?.error_data?.retry_in_seconds as number | undefined);
  if (typeof s === 'number' && Number.isFinite(s) && s >= 0) return Math.round(s * 1000);
  const m = /reset in (\d+) seconds?/i.exec(e.message ?? '');
  return m ? Number(m[1]) * 1000 : undefined;
}

/** The column a ColumnValueException / InvalidColumnIdException names (error_data.column_id, else the message). */
export function columnOf(e: GraphqlErrorEntry): string | undefined {
  const d = e.extensions?.error_data ?? {};
  const id = d.column_id ?? d.columnId ?? (d.column as { id?: unknown } | undefined)?.id;
  if (typeof id === 'string' && id) return id;
  return /column(?: with)? id[: ]+["“]?([\w-]+)/i.exec(e.message ?? '')?.[1];
}

/**
 * The first error of a reply (either shape) as a CrmError. `titles` maps column ids to their
 * titles, so the user reads "电话", not "phone_mkx1". `write`: a server error on a write is an
 * unknown outcome (the item may exist).
 */
export function mondayError(e: GraphqlErrorEntry, o: { write: boolean; status?: number; titles?: (id: string) => string | undefined }): CrmError {
  const code = e.extensions?.code;
  const status = o.status ?? e.extensions?.status_code;
  const message = `monday${status ? ` ${status}` : ''}${code ? ` ${code}` : ''}: ${redact(e.message ?? 'no message')}`;
  const wait = retryMs(e);
  const base = { ...(status !== undefined ? { status } : {}), ...(code ? { vendorCode: code } : {}), ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  const make = (kind: CrmErrorKind, userMessage?: { zh_CN: string; en: string }) => new CrmError(kind, message, { ...base, ...(userMessage ? { userMessage } : {}) });
  if ((code && RATE_CODES.has(code)) || status === 429) {
    return make('rate-limited', code === 'DAILY_LIMIT_EXCEEDED'
      ? { zh_CN: 'monday 今日的 API 调用次数已用完（按套餐：免费 200 次、基础/标准 1,000 次），将在 UTC 零点后继续同步', en: 'The monday daily API call limit is used up (by plan: free 200, basic/standard 1,000); syncing resumes after midnight UTC' }
      : undefined);
  }
  if ((code && AUTH_CODES.has(code)) || status === 401 || status === 403) {
    return make('auth', status === 401 || code === 'UNAUTHENTICATED'
      ? { zh_CN: 'monday 拒绝了 API 令牌：令牌错误或已重新生成。请在头像 → 开发者 → 我的访问令牌 中复制新令牌并重新连接', en: 'monday rejected the API token: it is wrong or was regenerated. Copy a new one under avatar → Developers → My access tokens and reconnect' }
      : { zh_CN: '令牌所属用户没有这项权限（例如看板只读或不是看板成员）', en: "The token's user lacks this permission (the board is read-only for them, or they are not a member)" });
  }
  if (code === 'InvalidBoardIdException') {
    return make('validation', { zh_CN: 'monday 找不到所选看板，或令牌所属用户无权访问：请在连接设置中重新选择看板', en: "monday cannot find the chosen board, or the token's user cannot access it: choose the board again in the connection settings" });
  }
  if (code && NOT_FOUND_CODES.has(code)) return make('not-found');
  if (code === 'ColumnValueException' || code === 'InvalidColumnIdException') {
    const col = columnOf(e);
    const name = col ? (o.titles?.(col) ?? col) : undefined;
    return make('validation', name
      ? { zh_CN: `monday 拒绝了列「${name}」的值，请检查字段映射（列名和类型），或点「添加 Liaison 需要的列」`, en: `monday refused the value of the column "${name}": check the field mapping (column and type), or click "Add the columns Liaison needs"` }
      : undefined);
  }
  if (code && VALIDATION_CODES.has(code)) return make('validation');
  if (status !== undefined && status >= 500) return make(o.write ? 'unknown-outcome' : 'retryable');
  if (code === 'INTERNAL_SERVER_ERROR' || code === 'InternalServerException') return make(o.write ? 'unknown-outcome' : 'retryable');
  return make('validation');
}

/** The errors of a reply body in either shape, or undefined when it has none. */
export function errorsOf(body: unknown): GraphqlErrorEntry[] | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.errors) && b.errors.length && typeof b.errors[0] === 'object') return b.errors as GraphqlErrorEntry[];
  if (typeof b.error_code === 'string' || typeof b.error_message === 'string') {
    return [{ message: String(b.error_message ?? b.error_code), extensions: { code: String(b.error_code ?? ''), ...(typeof b.status_code === 'number' ? { status_code: b.status_code } : {}), ...(b.error_data && typeof b.error_data === 'object' ? { error_data: b.error_data as Record<string, unknown> } : {}) } }];
  }
  return undefined;
}
