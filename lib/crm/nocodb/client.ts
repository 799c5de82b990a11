// Every NocoDB call goes through here: lib/crm/http.ts underneath (limiter, timeout, CrmError
// classification), the xc-token header, and NocoDB's own error bodies refined on top:
// {"error":"ERR_…","message":"…"} or {"msg":"…"}. The generic classification already gives
// 401/403 → auth, 404 → not-found, 5xx → retryable (reads) / unknown-outcome (writes); here a
// 400/422 keeps NocoDB's message (it names the valid select options, the payload limit) in a
// sidebar-friendly userMessage, and a 404 "table not found" is told apart from a missing record.
import type { z } from 'zod';
import { CrmError } from '../errors';
import type { HttpClient } from '../http';
import type { RateLimiter } from '../rate-limiter';
import type { TtlMemo } from '../ttl-memo';
import type { NocodbConfig } from './config';
import type { TableMeta } from './meta';
import type { ConnectionStateStore } from '../connection-state';
import type { ReadPlan } from './read-plan';

export interface NocodbContext {
  config: NocodbConfig;
  http: HttpClient;
  limiter: RateLimiter;
  now: () => number;
  /** Table ids found by title when the settings carry none (one lookup per adapter instance). */
  tableIds?: Promise<Partial<Record<'customers' | 'followUps' | 'deals', string>>>;
  /** Column metadata per table id (select options, link columns, types). */
  meta: TtlMemo<string, TableMeta>;
  /** State kept across worker restarts (read-plan.ts); absent in callers that pass none. */
  state?: ConnectionStateStore;
  /** The read plans in memory, with the settings each was built for and whether it came from the state. */
  plans?: Partial<Record<'customers' | 'followUps', { fingerprint: string; plan: ReadPlan; stored: boolean }>>;
}

export interface CallOptions<S extends z.ZodType | undefined> {
  json?: unknown;
  searchParams?: Record<string, string | number | boolean | undefined>;
  /** Record and schema writes: serialized by the write lane; a lost reply is an unknown outcome. */
  write?: boolean;
  signal?: AbortSignal | undefined;
  schema?: S;
}

/** Ids in paths are NocoDB's own (letters, digits); escape anyway, they come from settings. */
export const seg = (s: string | number) => encodeURIComponent(String(s));

export async function call<S extends z.ZodType | undefined = undefined>(
  ctx: NocodbContext,
  method: 'get' | 'post' | 'patch' | 'delete',
  path: string,
  o: CallOptions<S> = {},
): Promise<S extends z.ZodType ? z.output<S> : unknown> {
  try {
    return await ctx.http.request(method, path, {
      headers: { 'xc-token': ctx.config.token },
      ...(o.json !== undefined ? { json: o.json } : {}),
      ...(o.searchParams ? { searchParams: o.searchParams } : {}),
      ...(o.write ? { write: true } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.schema ? { schema: o.schema } : {}),
    });
  } catch (e) {
    if (e instanceof CrmError) throw refine(e, path);
    throw e;
  }
}

/** Paths in messages without ids that could identify a customer (record Ids are fine, phones never appear in paths). */
function shortPath(path: string): string {
  return path.replace(/\?.*$/, '');
}

/** NocoDB echoes rejected values; a long digit run could be a phone number, so it never reaches a message or log. */
export function redact(s: string): string {
  return s.replace(/\+?\d[\d\s-]{5,}\d/g, '…').slice(0, 300);
}

export function refine(e: CrmError, path: string): CrmError {
  const detail = redact(e.message.replace(/^HTTP \d+( \S+)?: /, ''));
  if (e.kind === 'validation' && e.status !== undefined) {
    if (/MAX_PAYLOAD_LIMIT|payload limit/i.test(e.message)) {
      return new CrmError('validation', `NocoDB ${shortPath(path)}: ${detail}`, {
        status: e.status,
        vendorCode: 'ERR_MAX_PAYLOAD_LIMIT_EXCEEDED',
        userMessage: { zh_CN: 'NocoDB 一次最多接受 100 行数据', en: 'NocoDB accepts at most 100 rows per request' },
        cause: e,
      });
    }
    return new CrmError('validation', `NocoDB ${shortPath(path)}: ${detail}`, {
      status: e.status,
      ...(e.vendorCode ? { vendorCode: e.vendorCode } : {}),
      // NocoDB's message is technical but specific ("Invalid option(s) "x" provided for column
      // "意向产品". Valid options are "…""): more useful to the user than a generic sentence.
      userMessage: { zh_CN: `NocoDB 拒绝了这些数据：${detail}`, en: `NocoDB rejected the data: ${detail}` },
      cause: e,
    });
  }
  if (e.kind === 'not-found' && /table|model|base/i.test(detail) && !/record/i.test(detail)) {
    return new CrmError('not-found', `NocoDB ${shortPath(path)}: ${detail}`, {
      status: 404,
      userMessage: { zh_CN: 'NocoDB 中找不到这个 Base 或数据表，请检查连接设置', en: 'The NocoDB base or table was not found; check the connection settings' },
      cause: e,
    });
  }
  return e;
}
