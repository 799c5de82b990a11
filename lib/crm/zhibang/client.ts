// V1 and V3 call helpers over lib/crm/http.ts (rate limiter, timeout, HTTP → CrmError), adding
// what 智邦 needs on top: the session in the body (V1) or the ZBAPI-Token header (V3), the
// body-level status → CrmError mapping, and one re-login + replay when the session is refused.
import type { HttpClient } from '../http';
import type { ZhibangConfig } from './config';
import { v1Failure, v3Failure } from './errors';
import type { SessionManager } from './session';
import { v3ReplySchema, zbDocSchema, type V3Reply, type ZbDoc } from './wire';

export type Datas = Record<string, string | number | undefined>;

export interface CallOptions {
  /** Serialized in the limiter's write lane; a lost reply is an unknown outcome. */
  write?: boolean;
  signal?: AbortSignal;
  searchParams?: Record<string, string>;
}

export interface ZhibangClient {
  readonly config: ZhibangConfig;
  readonly sessions: SessionManager;
  /** POST <path> {session, cmdkey, datas:[{id,val}]}; resolves with a header.status 0 document. */
  v1(path: string, cmdkey: string, datas: Datas, opts?: CallOptions): Promise<ZbDoc>;
  /** POST /webapi/v3/<path> with ZBAPI-Token; resolves with a Code 200 reply. */
  v3(path: string, body: Record<string, string | number>, opts?: CallOptions): Promise<V3Reply>;
}

/** Keeps order (the ERP reads datas like a form post) and drops undefined values. */
export const toDatas = (d: Datas) =>
  Object.entries(d)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([id, val]) => ({ id, val }));

export function createZhibangClient(config: ZhibangConfig, http: HttpClient, sessions: SessionManager): ZhibangClient {
  return {
    config,
    sessions,
    v1(path, cmdkey, datas, opts = {}) {
      return sessions.withSession(async (session) => {
        const doc = await http.request('post', path, {
          json: { session, cmdkey, datas: toDatas(datas) },
          schema: zbDocSchema,
          ...(opts.write ? { write: true } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.searchParams ? { searchParams: opts.searchParams } : {}),
        });
        if (doc.header.status !== 0) throw v1Failure(doc.header.status, doc.header.message);
        return doc;
      });
    },
    v3(path, body, opts = {}) {
      return sessions.withSession(async (session) => {
        const reply = await http.request('post', `webapi/v3/${path}`, {
          json: body,
          headers: { 'ZBAPI-Token': session },
          schema: v3ReplySchema,
          ...(opts.write ? { write: true } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
        if (reply.Code !== 200) throw v3Failure(reply.Code, reply.Msg, !!opts.write);
        return reply;
      });
    },
  };
}

/** Endpoint paths (relative to the ERP base URL). */
export const PATHS = {
  customAdd: 'sysa/mobilephone/salesmanage/custom/add.asp',
  customList: 'sysa/mobilephone/salesmanage/custom/list.asp',
  personList: 'sysa/mobilephone/salesmanage/person/list.asp',
  reply: 'sysa/mobilephone/systemmanage/reply.asp',
  replyList: 'sysa/mobilephone/systemmanage/replylist.asp',
  order: 'sysa/mobilephone/systemmanage/order.asp',
  chanceAdd: 'sysa/mobilephone/salesmanage/chance/add.asp',
  source: 'sysa/mobilephone/source.asp',
  serviceAdd: 'sysa/mobilephone/salesmanage/service/add.asp',
  serviceList: 'sysa/mobilephone/salesmanage/service/list.asp',
} as const;
