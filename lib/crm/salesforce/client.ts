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
        headers: { Authorization: `Bearer ${tokens.accessToken}` },
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

/** The sObject an id belongs to, from its key prefix (stable across orgs for standard objects). */
export function objectOfId(id: string): 'Lead' | 'Contact' | 'Task' | 'Opportunity' | 'Account' | undefined {
  const prefix = id.slice(0, 3);
  return ({ '00Q': 'Lead', '003': 'Contact', '00T': 'Task', '006': 'Opportunity', '001': 'Account' } as const)[prefix];
}

export function isSalesforceId(id: string): boolean {
  return /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id);
}
