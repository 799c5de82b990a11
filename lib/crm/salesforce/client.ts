// Every Salesforce REST call goes through here: lib/crm/http.ts underneath (limiter, timeout,
// CrmError classification), a Bearer token from the session, and Salesforce's error arrays read
// from the reply (a thin fetch wrapper keeps the error body and the Sforce-Limit-Info header,
// which http.ts does not hand back). A 401 / INVALID_SESSION_ID renews the token ONCE and
// replays the call: safe even for writes, the server rejected it before reading it.
import type { z } from 'zod';
import { CrmError } from '../errors';
import { createHttpClient, type HttpClientOptions } from '../http';
import type { RateLimiter } from '../rate-limiter';
import type { TtlMemo } from '../ttl-memo';
import type { SalesforceConfig, WrittenObject } from './config';
import type { SfFieldDef } from './describe';
import { firstError, parseLimitInfo, salesforceError } from './errors';
import type { Session } from './session';

export interface ApiUsage {
  used: number;
  max: number;
  at: number;
}

export interface SalesforceContext {
  config: SalesforceConfig;
  session: Session;
  limiter: RateLimiter;
  apiVersion: string;
  now: () => number;
  fetch: typeof fetch;
  timeoutMs?: number;
  onRequest?: HttpClientOptions['onRequest'];
  /** Latest Sforce-Limit-Info seen on this adapter. */
  usage?: ApiUsage;
  onApiUsage?: (u: ApiUsage) => void;
  /** Objects found to lack the external ID field (so creates fall back to POST + lookup). */
  noExternalId: Set<string>;
  /** The org's fields per object (describe), for listFields and typing template values. */
  describes: TtlMemo<WrittenObject, SfFieldDef[]>;
}

export interface SfCallOptions<S extends z.ZodType | undefined> {
  json?: unknown;
  searchParams?: Record<string, string>;
  /** Request headers besides Authorization (If-Unmodified-Since, Sforce-Query-Options). */
  headers?: Record<string, string>;
  write?: boolean;
  signal?: AbortSignal | undefined;
  schema?: S;
}

/** `path` is relative to /services/data/vXX.X/, or absolute from the instance root when it starts with '/'. */
export async function sfCall<S extends z.ZodType | undefined = undefined>(
  ctx: SalesforceContext,
  method: 'get' | 'post' | 'patch' | 'delete',
  path: string,
  o: SfCallOptions<S> = {},
): Promise<S extends z.ZodType ? z.output<S> : unknown> {
  for (let attempt = 0; ; attempt++) {
    const tokens = ctx.session.current();
    let errorBody: unknown;
    const http = createHttpClient({
      baseUrl: tokens.instanceUrl,
      limiter: ctx.limiter,
      now: ctx.now,
      ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
      ...(ctx.onRequest ? { onRequest: ctx.onRequest } : {}),
      fetch: async (input, init) => {
        const res = await ctx.fetch(input, init);
        const usage = parseLimitInfo(res.headers.get('sforce-limit-info'));
        if (usage) {
          ctx.usage = { ...usage, at: ctx.now() };
          ctx.onApiUsage?.(ctx.usage);
        }
        if (!res.ok) errorBody = await res.clone().json().catch(() => undefined);
        return res;
      },
    });
    const full = path.startsWith('/') ? path.slice(1) : `services/data/v${ctx.apiVersion}/${path}`;
    try {
      return await http.request(method, full, {
        headers: { ...o.headers, Authorization: `Bearer ${tokens.accessToken}` },
        write: o.write === true,
        ...(o.json !== undefined ? { json: o.json } : {}),
        ...(o.searchParams ? { searchParams: o.searchParams } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.schema ? { schema: o.schema } : {}),
      } as never);
    } catch (e) {
      if (!(e instanceof CrmError)) throw e;
      const sf = firstError(errorBody);
      const sessionRejected = e.status === 401 || sf?.errorCode === 'INVALID_SESSION_ID';
      if (sessionRejected && attempt === 0) {
        await ctx.session.renew(tokens.accessToken, o.signal);
        continue;
      }
      if (sessionRejected) throw new CrmError('auth', e.message, { ...(e.status !== undefined ? { status: e.status } : {}), vendorCode: 'INVALID_SESSION_ID' });
      throw sf && e.status !== undefined ? salesforceError(sf, { kind: e.kind, status: e.status }) : e;
    }
  }
}

/** SOQL string literal: backslash and quote escaped (plus the control escapes SOQL defines). */
export function soqlString(value: string): string {
  const escaped = value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' })[c]!);
  return `'${escaped}'`;
}

/** SOSL search term: every reserved character ? & | ! { } [ ] ( ) ^ ~ * : \ " ' + - escaped with a backslash. */
export function soslTerm(value: string): string {
  return value.replace(/[?&|!{}[\]()^~*:\\"'+-]/g, (c) => `\\${c}`);
}

/** A Salesforce date (yyyy-mm-dd) for an epoch-ms time, in the user's local calendar. */
export function sfDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * A SOQL datetime literal for an epoch-ms time: UTC, whole seconds (the time floored), unquoted —
 * 2026-12-06T08:00:00Z, one of the three forms SOQL accepts (sforce_api_calls_soql_select_dateformats.htm).
 */
export function soqlDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const SF_DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;
/** A datetime as the REST API writes it (2026-12-06T08:00:00.000+0000) as epoch ms; undefined when it is not one. */
export function parseSfDateTime(v: unknown): number | undefined {
  const m = typeof v === 'string' ? SF_DATETIME.exec(v) : null;
  if (!m) return undefined;
  const zone = m[6] === 'Z' ? 'Z' : `${m[6]!.slice(0, 3)}:${m[6]!.slice(-2)}`;
  const ms = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}${m[5] ? m[5].padEnd(4, '0') : ''}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A Salesforce date (yyyy-mm-dd) as the local midnight it names, the inverse of sfDate; undefined when it is not one. */
export function parseSfDate(v: unknown): number | undefined {
  const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getFullYear() === Number(m[1]) && d.getMonth() === Number(m[2]) - 1 && d.getDate() === Number(m[3]) ? d.getTime() : undefined;
}

/** An HTTP date (RFC 9110 IMF-fixdate, "Sun, 06 Dec 2026 08:00:00 GMT") for an epoch-ms time, floored to the second. */
export function httpDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString();
}

/** The sObject an id belongs to, from its key prefix (stable across orgs for standard objects). */
export function objectOfId(id: string): 'Lead' | 'Contact' | 'Task' | 'Opportunity' | 'Account' | 'Case' | 'CaseComment' | undefined {
  const prefix = id.slice(0, 3);
  return ({ '00Q': 'Lead', '003': 'Contact', '00T': 'Task', '006': 'Opportunity', '001': 'Account', '500': 'Case', '00a': 'CaseComment' } as const)[prefix];
}

export function isSalesforceId(id: string): boolean {
  return /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id);
}
