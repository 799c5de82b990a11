// In-memory state of the Feishu/Lark emulator: apps (Bases) → tables → fields and records,
// tenant tokens, idempotency (client_token) memory, tasks and the request log.
// Everything is inspectable from tests; nothing here knows about HTTP.

/** Documented field type ids (多维表格记录数据结构: 1 text, 2 number, 3 single select, 4 multi select,
 * 5 datetime, 7 checkbox, 11 user, 13 phone, 15 url, 18 single link, 21 duplex link). */
export const FIELD_TYPES = { text: 1, number: 2, singleSelect: 3, multiSelect: 4, dateTime: 5, checkbox: 7, user: 11, phone: 13, url: 15, singleLink: 18, duplexLink: 21 } as const;
export const WRITABLE_TYPES = new Set<number>(Object.values(FIELD_TYPES));

export interface EmField {
  field_id: string;
  field_name: string;
  type: number;
  is_primary: boolean;
  property: {
    options?: { id: string; name: string; color: number }[];
    table_id?: string;
    back_field_name?: string;
    multiple?: boolean;
    [k: string]: unknown;
  } | null;
}

/** Stored (canonical) cell values: text/phone/select string, multi string[], number, link record ids. */
export type Cell = string | number | boolean | string[] | { id: string }[] | { text: string; link: string };

export interface EmRecord {
  record_id: string;
  fields: Record<string, Cell>;
  created_time: number;
  last_modified_time: number;
}

export interface EmTable {
  table_id: string;
  name: string;
  revision: number;
  fields: EmField[];
  records: Map<string, EmRecord>;
  /** Writes in flight: Bitable rejects concurrent writes to one table (1254291). */
  writing: number;
}

export interface EmApp {
  app_token: string;
  name: string;
  tables: Map<string, EmTable>;
}

export interface EmTask {
  guid: string;
  summary: string;
  description?: string;
  due?: { timestamp: string; is_all_day: boolean };
  created_at: string;
}

export interface RequestLogEntry {
  /** When the request arrived (epoch ms). */
  at: number;
  method: string;
  path: string;
  /** Route id, e.g. 'records.batch_create'. */
  api: string;
  status: number;
  /** The body's code (0 = ok); undefined when the connection was dropped or hung. */
  code?: number;
  /** x-ogw-ratelimit-reset sent with a 429, in seconds. */
  resetSeconds?: number;
  /** Records in a batch request body. */
  records?: number;
  outcome: 'replied' | 'dropped' | 'hung' | 'refused';
}

export interface ClientTokenMemo {
  bodyHash: string;
  data: unknown;
}

export interface EmulatorState {
  apps: Map<string, EmApp>;
  /** token → expiry (epoch ms). */
  tokens: Map<string, number>;
  tasks: Map<string, EmTask>;
  /** `${scope}|${client_token}` → what the first request produced. */
  clientTokens: Map<string, ClientTokenMemo>;
  requests: RequestLogEntry[];
  /** Successful and failed calls to tenant_access_token/internal. */
  tokenRequests: number;
}

export function createState(): EmulatorState {
  return { apps: new Map(), tokens: new Map(), tasks: new Map(), clientTokens: new Map(), requests: [], tokenRequests: 0 };
}

let seq = 0;
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Ids shaped like Feishu's (tblXXXXXXXXXXXXX, recXXXXXXXXXX, fldXXXXXXXXXX, optXXXXXXXX). */
export function newId(prefix: string, len: number): string {
  seq += 1;
  let s = '';
  let n = seq * 7919 + Math.floor(Math.random() * 1e9);
  for (let i = 0; i < len; i++) {
    s += ALNUM[(n + Math.floor(Math.random() * 62)) % 62];
    n = Math.floor(n / 3) + 17;
  }
  return prefix + s;
}

export function tableByName(state: EmulatorState, appToken: string, name: string): EmTable | undefined {
  return [...(state.apps.get(appToken)?.tables.values() ?? [])].find((t) => t.name === name);
}
