// Feishu error codes → CrmError kinds. Sources: the error tables of 新增记录 / 新增多条记录
// (bitable 1254xxx/1255xxx, mostly HTTP 200), the gateway's generic codes (99991xxx; larksuite/cli
// internal/output/lark_errors.go) and the token endpoint (10003 invalid param, 10014 app secret invalid).
import { CrmError, type CrmErrorKind } from '../errors';
import type { Localized } from '../spec';

/** The access token is missing, malformed, invalid or expired: refresh once and replay. */
export const TOKEN_INVALID_CODES = new Set([99991661, 99991663, 99991668, 99991671, 99991677]);
/** The reply names no field; the adapter lists the table's fields to say which one (diagnose.ts). */
export const FIELD_VALUE_CODES = new Set([1254015, 1254045, 1254060, 1254061, 1254062, 1254063, 1254064, 1254065, 1254066, 1254067, 1254068, 1254072, 1254074]);
export const RATE_LIMIT_CODES = new Set([99991400, 1254290]);

const CREDENTIAL_CODES = new Set([10003, 10014, 99991543, 99991662, 99991673]);
const SCOPE_CODES = new Set([99991672, 99991676, 99991679]);
const DOC_PERMISSION_CODES = new Set([1254302, 1254304, 1254306, 91402, 91403]);
/** Nothing was written, or a retry is explicitly advised by the docs. */
const RETRYABLE_CODES = new Set([1254291, 1254607, 1254608, 1254036]);
/** Internal errors and the 504 timeout: a write may have been committed. */
const MAYBE_COMMITTED_CODES = new Set([1255040, 1255001, 1255002, 1254002]);

const L = (zh_CN: string, en: string): Localized => ({ zh_CN, en });

export interface CodeContext {
  write: boolean;
  status?: number;
  retryAfterMs?: number;
}

/** A short technical message: code and Feishu's msg (never request data). */
export function feishuError(code: number, msg: string, c: CodeContext): CrmError {
  const message = `Feishu ${code}: ${msg}`.slice(0, 300);
  const base = { vendorCode: String(code), ...(c.status !== undefined ? { status: c.status } : {}) };
  const make = (kind: CrmErrorKind, userMessage?: Localized, extra: { retryAfterMs?: number } = {}) =>
    new CrmError(kind, message, { ...base, ...extra, ...(userMessage ? { userMessage } : {}) });

  if (TOKEN_INVALID_CODES.has(code)) return make('auth', L('飞书访问凭证无效或已过期', 'The Feishu access token is invalid or expired'));
  if (code === 10014) return make('auth', L('飞书拒绝了 App Secret（10014 app secret invalid），请到开放平台「凭证与基础信息」重新复制', 'Feishu rejected the App Secret (10014 app secret invalid); copy it again from "Credentials & Basic Info"'));
  if (CREDENTIAL_CODES.has(code)) return make('auth', L(`飞书拒绝了应用凭证（${code}），请检查 App ID / App Secret 和区域`, `Feishu rejected the app credentials (${code}); check the App ID, App Secret and region`));
  if (SCOPE_CODES.has(code)) return make('auth', L('飞书应用缺少权限：请在开放平台开通 bitable:app（或 base:record:*）并发布新版本', 'The Feishu app lacks a scope: enable bitable:app (or base:record:*) and publish a new version'));
  if (DOC_PERMISSION_CODES.has(code)) return make('auth', L('应用没有这个多维表格的权限：在表格「…」→「更多」→「添加文档应用」中添加它', 'The app has no access to this Base: add it under "…" → "More" → "Add document app"'));
  if (RATE_LIMIT_CODES.has(code)) return make('rate-limited', undefined, { retryAfterMs: c.retryAfterMs ?? 1000 });
  if (RETRYABLE_CODES.has(code)) return make('retryable');
  if (MAYBE_COMMITTED_CODES.has(code)) return make(c.write ? 'unknown-outcome' : 'retryable');
  if (code === 1254043) return make('not-found');
  if (code === 1255006) return make('conflict', L('幂等键已用于另一份数据', 'The idempotency key was already used with different data'));
  if (code === 1254040 || code === 1254003) return make('validation', L('找不到这个多维表格：请检查 app_token', 'Base not found: check the app_token'));
  if (code === 1254041 || code === 1254004) return make('validation', L('找不到数据表：请检查 table_id 或重新创建推荐表格', 'Table not found: check the table id or create the recommended tables again'));
  if (code === 1254103) return make('validation', L('数据表已达 20,000 条记录上限', 'The table has reached Bitable’s 20,000-record limit'));
  if (code === 1254104) return make('validation', L('单次写入的记录过多（上限 500 条）', 'Too many records in one call (at most 500)'));
  return make('validation');
}

/** Re-reads a CrmError that http.ts built from a non-2xx reply, by its Feishu body code. */
export function reclassify(err: CrmError, write: boolean): CrmError {
  const code = Number(err.vendorCode);
  if (!Number.isInteger(code) || err.vendorCode === undefined) return err;
  // http.ts already turned a 429 into rate-limited with the x-ogw-ratelimit-reset wait and cooled the limiter down.
  if (err.kind === 'rate-limited') return err;
  const known =
    TOKEN_INVALID_CODES.has(code) || CREDENTIAL_CODES.has(code) || SCOPE_CODES.has(code) || DOC_PERMISSION_CODES.has(code) ||
    RETRYABLE_CODES.has(code) || MAYBE_COMMITTED_CODES.has(code) || FIELD_VALUE_CODES.has(code) || code === 1255006 || code === 1254037 || code === 1254043;
  if (!known) return err;
  const msg = err.message.replace(/^HTTP \d+( \d+)?: /, '');
  return feishuError(code, msg, { write, ...(err.status !== undefined ? { status: err.status } : {}) });
}
