// In-memory state of the Feishu/Lark emulator: apps (Bases) → tables → fields and records,
// tenant tokens, idempotency (client_token) memory, tasks and the request log.
// Everything is inspectable from tests; nothing here knows about HTTP.

/** Documented field type ids (多维表格记录数据结构: 1 text, 2 number, 3 single select, 4 multi select,
 * 5 datetime, 7 checkbox, 11 user, 13 phone, 15 url, 18 single link, 21 duplex link; and the ones
 * Bitable fills itself: 1001 created time, 1002 最后更新时间, 1003 created by, 1004 modified by, 1005 自动编号). */
export const FIELD_TYPES = {
  text: 1, number: 2, singleSelect: 3, multiSelect: 4, dateTime: 5, checkbox: 7, user: 11, phone: 13, url: 15, singleLink: 18, duplexLink: 21,
  createdTime: 1001, modifiedTime: 1002, createdUser: 1003, modifiedUser: 1004, autoNumber: 1005,
} as const;
/** Types a record write can fill. */
export const WRITABLE_TYPES = new Set<number>([1, 2, 3, 4, 5, 7, 11, 13, 15, 18, 21]);
/**
 * Types Bitable computes (formula 20, lookup 19 and the 100x system fields): a record write naming
 * one is refused. 新增一个数据表 (2025-07-18) lists 20 and 1001–1005 among the types a table may be
 * created with (19 lookup may not be).
 */
export const COMPUTED_TYPES = new Set<number>([19, 20, 1001, 1002, 1003, 1004, 1005]);
/** 新增一个数据表: the types a new table's fields may have (19 lookup excluded). */
export const CREATABLE_TYPES = new Set<number>([1, 2, 3, 4, 5, 7, 11, 13, 15, 17, 18, 20, 21, 22, 23, 1001, 1002, 1003, 1004, 1005]);
/** 新增一个数据表 / 字段编辑指南: the first (index) field may only be one of these (else 1254012). */
export const PRIMARY_TYPES = new Set<number>([1, 2, 5, 13, 15, 20, 22]);

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
  /** open_id of who created / last changed it; absent for writes made by the app itself (undocumented). */
  created_by?: string;
  last_modified_by?: string;
  /** 自动编号 values by field name: the sequence number and the formatted text. */
  auto: Record<string, { seq: number; text: string }>;
}

/** A Feishu user the emulator knows (person cells render their name, as with contact scopes granted). */
export interface EmUser {
  id: string;
  name: string;
  en_name?: string;
  email?: string;
}

export interface EmTable {
  table_id: string;
  name: string;
  revision: number;
  fields: EmField[];
  records: Map<string, EmRecord>;
  /** Writes in flight: Bitable rejects concurrent writes to one table (1254291). */
  writing: number;
  /** Last number handed out per 自动编号 field (by field_id): numbers are never reused. */
  autoSeq: Record<string, number>;
}

export interface EmApp {
  app_token: string;
  name: string;
  tables: Map<string, EmTable>;
  /** 文档时区 (获取多维表格元数据 time_zone): date filters resolve to days in it. */
  time_zone: string;
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
  /** records/search replies: how many records matched the filter (the reply's total). */
  total?: number;
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
  users: Map<string, EmUser>;
}

export function createState(): EmulatorState {
  return { apps: new Map(), tokens: new Map(), tasks: new Map(), clientTokens: new Map(), requests: [], tokenRequests: 0, users: new Map() };
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
