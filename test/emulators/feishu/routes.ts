// Route handlers of the emulator: one function per documented endpoint, each returning the
// {status, body} Feishu would send. Shapes and codes follow the official docs mirrored in
// wxkingstar/doc-hub-mcp (新增记录, 新增多条记录, 查询记录, 更新记录, 新增数据表, 列出字段,
// 获取 tenant_access_token, 创建任务, and 批量获取记录 2025-07-21) — see shared/reference/crm-apis.md.
import { convertFields, renderFields, renderRecord, type BitableError } from './cells';
import { assignAutoNumbers, autoSerialProblem, cellOf, person } from './computed';
import { parseFilter, matches } from './filter';
import { CREATABLE_TYPES, FIELD_TYPES, PRIMARY_TYPES, newId, type Cell, type EmApp, type EmField, type EmRecord, type EmTable, type EmulatorState } from './state';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  state: EmulatorState;
  now: () => number;
  latencyMs: () => number;
  maxRecordsPerTable: number;
  maxTablesPerApp: number;
  tokenTtlMs: number;
  appId: string;
  appSecret: string;
}

export const ok = (data: unknown): Reply => ({ status: 200, body: { code: 0, msg: 'success', data } });
export const fail = (e: BitableError): Reply => ({ status: e.status, body: { code: e.code, msg: e.msg } });
const failWith = (code: number, msg: string, status = 200): Reply => fail({ status, code, msg });

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

// ---------- auth ----------

export function tenantAccessToken(ctx: RouteContext, body: unknown): Reply {
  ctx.state.tokenRequests += 1;
  const b = (body ?? {}) as { app_id?: unknown; app_secret?: unknown };
  if (typeof b.app_id !== 'string' || typeof b.app_secret !== 'string' || !b.app_id || !b.app_secret) return failWith(10003, 'invalid param', 400);
  if (b.app_id !== ctx.appId) return failWith(10003, 'invalid param', 400);
  if (b.app_secret !== ctx.appSecret) return failWith(10014, 'app secret invalid', 400);
  const now = ctx.now();
  // Documented: a token with less than 30 min (of 2 h) left is replaced; otherwise the same one is returned.
  const reuse = [...ctx.state.tokens].find(([, exp]) => exp - now > ctx.tokenTtlMs / 4);
  if (reuse) return { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: reuse[0], expire: Math.floor((reuse[1] - now) / 1000) } };
  const token = `t-${newId('', 40).toLowerCase()}`;
  ctx.state.tokens.set(token, now + ctx.tokenTtlMs);
  return { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: token, expire: Math.floor(ctx.tokenTtlMs / 1000) } };
}

// ---------- lookup helpers ----------

type Found<T> = { ok: true; value: T } | { ok: false; reply: Reply };
function findApp(ctx: RouteContext, appToken: string): Found<EmApp> {
  const app = ctx.state.apps.get(appToken);
  return app ? { ok: true, value: app } : { ok: false, reply: failWith(1254040, 'BaseTokenNotFound') };
}
function findTable(ctx: RouteContext, appToken: string, tableId: string): Found<{ app: EmApp; table: EmTable }> {
  const app = findApp(ctx, appToken);
  if (!app.ok) return app;
  const table = app.value.tables.get(tableId);
  return table ? { ok: true, value: { app: app.value, table } } : { ok: false, reply: failWith(1254041, 'TableIdNotFound') };
}

/** Bitable serializes writes per table; a second write while one runs is rejected (1254291). */
async function withWriteLock(ctx: RouteContext, table: EmTable, fn: () => Reply): Promise<Reply> {
  if (table.writing > 0) return failWith(1254291, 'Write conflict');
  table.writing += 1;
  try {
    const ms = ctx.latencyMs();
    if (ms > 0) await sleep(ms);
    const r = fn();
    if (r.status === 200 && (r.body as { code?: number }).code === 0) table.revision += 1;
    return r;
  } finally {
    table.writing -= 1;
  }
}

/** client_token: must be a uuidv4 (1254037); reused with another body → 1255006; reused with the same body → the first reply. */
function idempotency(ctx: RouteContext, scope: string, token: string | null, body: unknown): { replay?: Reply; error?: Reply; remember?: (data: unknown) => void } {
  if (token === null) return {};
  if (!UUID_V4.test(token)) return { error: failWith(1254037, 'Invalid client token, make sure that it complies with the specification.', 400) };
  const key = `${scope}|${token}`;
  const hash = canonical(body);
  const memo = ctx.state.clientTokens.get(key);
  if (memo) {
    if (memo.bodyHash !== hash) return { error: failWith(1255006, 'Client token conflict, please generate a new client token and try again.', 400) };
    return { replay: ok(memo.data) };
  }
  return { remember: (data) => ctx.state.clientTokens.set(key, { bodyHash: hash, data }) };
}

/** A new record: created and modified now, by `by` (an open_id) or by the app itself; auto numbers assigned. */
export function insert(ctx: RouteContext, app: EmApp, table: EmTable, cells: Record<string, Cell | null>, by?: string): EmRecord {
  const now = ctx.now();
  const fields: Record<string, Cell> = {};
  for (const [k, v] of Object.entries(cells)) if (v !== null) fields[k] = v;
  const rec: EmRecord = { record_id: newId('rec', 10), fields, created_time: now, last_modified_time: now, auto: {}, ...(by ? { created_by: by, last_modified_by: by } : {}) };
  assignAutoNumbers(table, rec, app.time_zone);
  table.records.set(rec.record_id, rec);
  return rec;
}

/** Create/update replies: the record id and the cells written (新增记录 响应体: automatic fields "本接口不返回"). */
const recordOut = (ctx: RouteContext, table: EmTable, r: EmRecord, written: Record<string, Cell>) => ({ record_id: r.record_id, id: r.record_id, fields: renderFields(ctx.state, table, written) });
const written = (cells: Record<string, Cell | null>) => Object.fromEntries(Object.entries(cells).filter(([, v]) => v !== null)) as Record<string, Cell>;

// ---------- tables and fields ----------

export function listTables(ctx: RouteContext, appToken: string): Reply {
  const app = findApp(ctx, appToken);
  if (!app.ok) return app.reply;
  const items = [...app.value.tables.values()].map((t) => ({ table_id: t.table_id, name: t.name, revision: t.revision }));
  return ok({ items, has_more: false, page_token: '', total: items.length });
}

export function createTable(ctx: RouteContext, appToken: string, body: unknown): Reply {
  const app = findApp(ctx, appToken);
  if (!app.ok) return app.reply;
  const t = (body as { table?: { name?: unknown; fields?: unknown } } | null)?.table;
  if (!t || typeof t.name !== 'string' || !t.name.trim() || t.name.length > 100) return failWith(1254001, 'WrongRequestBody');
  if ([...app.value.tables.values()].some((x) => x.name === t.name)) return failWith(1254013, 'TableNameDuplicated');
  if (app.value.tables.size >= ctx.maxTablesPerApp) return failWith(1254100, 'TableExceedLimit');
  const rawFields = (t.fields ?? [{ field_name: '文本', type: FIELD_TYPES.text }]) as unknown[];
  if (!Array.isArray(rawFields) || rawFields.length === 0) return failWith(1254001, 'WrongRequestBody');
  const table: EmTable = { table_id: newId('tbl', 13), name: t.name, revision: 1, fields: [], records: new Map(), writing: 0, autoSeq: {} };
  const backFields: [EmTable, EmField][] = [];
  for (const [i, rf] of rawFields.entries()) {
    const f = rf as { field_name?: unknown; type?: unknown; property?: Record<string, unknown> };
    if (typeof f.field_name !== 'string' || !f.field_name.trim() || typeof f.type !== 'number' || !CREATABLE_TYPES.has(f.type)) {
      return failWith(1254001, 'WrongRequestBody');
    }
    // 新增一个数据表: the first field is the index field, and only some types may be one.
    if (i === 0 && !PRIMARY_TYPES.has(f.type)) return failWith(1254012, 'NotSupportFieldOrView', 400);
    if (table.fields.some((x) => x.field_name === f.field_name)) return failWith(1254014, 'FieldNameDuplicated', 400);
    if (f.type === FIELD_TYPES.autoNumber && autoSerialProblem(f.property)) return failWith(1254001, 'WrongRequestBody');
    const field: EmField = { field_id: newId('fld', 10), field_name: f.field_name, type: f.type, is_primary: i === 0, property: null };
    if (f.type === FIELD_TYPES.singleSelect || f.type === FIELD_TYPES.multiSelect) {
      const opts = (f.property?.options ?? []) as { name?: unknown; color?: unknown }[];
      if (!Array.isArray(opts) || !opts.every((o) => typeof o?.name === 'string' && o.name)) return failWith(1254001, 'WrongRequestBody');
      field.property = { options: opts.map((o, j) => ({ id: newId('opt', 8), name: o.name as string, color: typeof o.color === 'number' ? o.color : j })) };
    } else if (f.type === FIELD_TYPES.singleLink || f.type === FIELD_TYPES.duplexLink) {
      const target = app.value.tables.get(String(f.property?.table_id ?? ''));
      if (!target) return failWith(1254041, 'TableIdNotFound');
      field.property = { table_id: target.table_id, multiple: f.property?.multiple !== false };
      if (f.type === FIELD_TYPES.duplexLink) {
        const back = typeof f.property?.back_field_name === 'string' ? f.property.back_field_name : t.name;
        field.property.back_field_name = back;
        backFields.push([target, { field_id: newId('fld', 10), field_name: back, type: FIELD_TYPES.duplexLink, is_primary: false, property: { table_id: table.table_id, back_field_name: f.field_name, multiple: true } }]);
      }
    } else if (f.property && typeof f.property === 'object') {
      field.property = { ...f.property };
    }
    table.fields.push(field);
  }
  app.value.tables.set(table.table_id, table);
  for (const [target, back] of backFields) if (!target.fields.some((x) => x.field_name === back.field_name)) target.fields.push(back);
  return ok({ table_id: table.table_id, default_view_id: newId('vew', 10), field_id_list: table.fields.map((f) => f.field_id) });
}

/**
 * 新增字段 POST /open-apis/bitable/v1/apps/:app_token/tables/:table_id/fields?client_token
 * (open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-field/create, read 2026-12-06):
 * body {field_name, type, property?, description?, ui_type?} → data.field {field_id, field_name,
 * type, property, is_primary: false, ui_type}. A name the table has → 1254014 FieldNameDuplicated;
 * a type the API cannot create → 1254001. Computed fields (created/modified time…) show the
 * records' own times at once. Link fields are not emulated here (refused, so no test passes on them).
 */
export function createField(ctx: RouteContext, appToken: string, tableId: string, q: URLSearchParams, body: unknown): Reply {
  const found = findTable(ctx, appToken, tableId);
  if (!found.ok) return found.reply;
  const idem = idempotency(ctx, `fields.create|${tableId}`, q.get('client_token'), body);
  if (idem.error) return idem.error;
  if (idem.replay) return idem.replay;
  const f = body as { field_name?: unknown; type?: unknown; property?: Record<string, unknown> | null } | null;
  if (!f || typeof f.field_name !== 'string' || !f.field_name.trim() || f.field_name.length > 100 || typeof f.type !== 'number' || !CREATABLE_TYPES.has(f.type)) {
    return failWith(1254001, 'WrongRequestBody');
  }
  if (f.type === FIELD_TYPES.singleLink || f.type === FIELD_TYPES.duplexLink) return failWith(1254001, 'the emulator does not create link fields one by one', 400);
  const table = found.value.table;
  if (table.fields.some((x) => x.field_name === f.field_name)) return failWith(1254014, 'FieldNameDuplicated', 400);
  if (f.type === FIELD_TYPES.autoNumber && autoSerialProblem(f.property ?? undefined)) return failWith(1254001, 'WrongRequestBody');
  const field: EmField = { field_id: newId('fld', 10), field_name: f.field_name, type: f.type, is_primary: false, property: null };
  if (f.type === FIELD_TYPES.singleSelect || f.type === FIELD_TYPES.multiSelect) {
    const opts = (f.property?.options ?? []) as { name?: unknown; color?: unknown }[];
    if (!Array.isArray(opts) || !opts.every((o) => typeof o?.name === 'string' && o.name)) return failWith(1254001, 'WrongRequestBody');
    field.property = { options: opts.map((o, j) => ({ id: newId('opt', 8), name: o.name as string, color: typeof o.color === 'number' ? o.color : j })) };
  } else if (f.property && typeof f.property === 'object') {
    field.property = { ...f.property };
  }
  table.fields.push(field);
  table.revision += 1;
  const data = { field: { field_id: field.field_id, field_name: field.field_name, type: field.type, property: field.property, is_primary: false } };
  idem.remember?.(data);
  return ok(data);
}

/** 列出字段: page_size 1..100 (default 20), page_token from the previous page, has_more. */
export function listFields(ctx: RouteContext, appToken: string, tableId: string, q: URLSearchParams = new URLSearchParams()): Reply {
  const found = findTable(ctx, appToken, tableId);
  if (!found.ok) return found.reply;
  const pageSize = q.has('page_size') ? Number(q.get('page_size')) : 20;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) return failWith(99992402, 'field validation failed', 400);
  const pt = q.get('page_token');
  const offset = pt ? Number(Buffer.from(pt, 'base64url').toString()) : 0;
  if (!Number.isInteger(offset) || offset < 0) return failWith(1254001, 'WrongRequestBody');
  const all = found.value.table.fields;
  const items = all.slice(offset, offset + pageSize).map((f) => ({ field_id: f.field_id, field_name: f.field_name, type: f.type, is_primary: f.is_primary, property: f.property }));
  const next = offset + items.length;
  const has_more = next < all.length;
  return ok({ items, has_more, page_token: has_more ? Buffer.from(String(next)).toString('base64url') : '', total: all.length });
}

// ---------- records ----------

export async function createRecord(ctx: RouteContext, appToken: string, tableId: string, q: URLSearchParams, body: unknown): Promise<Reply> {
  const found = findTable(ctx, appToken, tableId);
  if (!found.ok) return found.reply;
  const { app, table } = found.value;
  const fields = (body as { fields?: unknown } | null)?.fields;
  if (fields === undefined) return failWith(1254001, 'WrongRequestBody');
  const idem = idempotency(ctx, `${appToken}/${tableId}/create`, q.get('client_token'), body);
  if (idem.error) return idem.error;
  if (idem.replay) return idem.replay;
  return withWriteLock(ctx, table, () => {
    if (table.records.size + 1 > ctx.maxRecordsPerTable) return failWith(1254103, 'RecordExceedLimit');
    const conv = convertFields(app, table, fields);
    if (!conv.ok) return fail(conv.error);
    const data = { record: recordOut(ctx, table, insert(ctx, app, table, conv.cells), written(conv.cells)) };
    idem.remember?.(data);
    return ok(data);
  });
}

export async function batchCreate(ctx: RouteContext, appToken: string, tableId: string, q: URLSearchParams, body: unknown): Promise<Reply> {
  const found = findTable(ctx, appToken, tableId);
  if (!found.ok) return found.reply;
  const { app, table } = found.value;
  const records = (body as { records?: unknown } | null)?.records;
  if (!Array.isArray(records) || records.length === 0) return failWith(1254001, 'WrongRequestBody');
  if (records.length > 500) return failWith(1254104, 'RecordAddOnceExceedLimit');
  const idem = idempotency(ctx, `${appToken}/${tableId}/batch_create`, q.get('client_token'), body);
  if (idem.error) return idem.error;
  if (idem.replay) return idem.replay;
  return withWriteLock(ctx, table, () => {
    if (table.records.size + records.length > ctx.maxRecordsPerTable) return failWith(1254103, 'RecordExceedLimit');
    // All or nothing: every record is checked before any is written.
    for (const r of records) {
      const conv = convertFields(app, table, (r as { fields?: unknown } | null)?.fields, { dryRun: true });
      if (!conv.ok) return fail(conv.error);
    }
    const out = records.map((r) => {
      const conv = convertFields(app, table, (r as { fields: unknown }).fields);
      if (!conv.ok) throw new Error('emulator: a record valid in the dry run failed');
      return recordOut(ctx, table, insert(ctx, app, table, conv.cells), written(conv.cells));
    });
    const data = { records: out };
    idem.remember?.(data);
    return ok(data);
  });
}

function applyUpdate(app: EmApp, table: EmTable, recordId: unknown, fields: unknown, dryRun: boolean): { ok: true; rec: EmRecord; cells: Record<string, Cell | null> } | { ok: false; reply: Reply } {
  if (typeof recordId !== 'string') return { ok: false, reply: failWith(1254001, 'WrongRequestBody') };
  const rec = table.records.get(recordId);
  if (!rec) return { ok: false, reply: failWith(1254043, 'RecordIdNotFound') };
  const conv = convertFields(app, table, fields, { dryRun });
  if (!conv.ok) return { ok: false, reply: fail(conv.error) };
  return { ok: true, rec, cells: conv.cells };
}

/**
 * Applies a write and advances the modification time — strictly, so two writes in one millisecond
 * still give two markers (the docs' examples show whole seconds; whether Feishu keeps ms is not said).
 */
export function commitUpdate(ctx: RouteContext, rec: EmRecord, cells: Record<string, Cell | null>, by?: string) {
  for (const [k, v] of Object.entries(cells)) {
    if (v === null) delete rec.fields[k];
    else rec.fields[k] = v;
  }
  rec.last_modified_time = Math.max(ctx.now(), rec.last_modified_time + 1);
  if (by) rec.last_modified_by = by;
  else delete rec.last_modified_by;
}

export async function updateRecord(ctx: RouteContext, appToken: string, tableId: string, recordId: string, body: unknown): Promise<Reply> {
  const found = findTable(ctx, appToken, tableId);
  if (!found.ok) return found.reply;
  const { app, table } = found.value;
  const fields = (body as { fields?: unknown } | null)?.fields;
  if (fields === undefined) return failWith(1254001, 'WrongRequestBody');
  return withWriteLock(ctx, table, () => {
    const r = applyUpdate(app, table, recordId, fields, false);
    if (!r.ok) return r.reply;
    commitUpdate(ctx, r.rec, r.cells);
    return ok({ record: recordOut(ctx, table, r.rec, written(r.cells)) });
  });
}

export async function batchUpdate(ctx: RouteContext, appToken: string, tableId: string, body: unknown): Promise<Reply> {
  const found = findTable(ctx, appToken, tableId);
  if (!found.ok) return found.reply;
  const { app, table } = found.value;
  const records = (body as { records?: unknown } | null)?.records;
  if (!Array.isArray(records) || records.length === 0) return failWith(1254001, 'WrongRequestBody');
  if (records.length > 1000) return failWith(1254104, 'RecordAddOnceExceedLimit');
  return withWriteLock(ctx, table, () => {
    const checked = [];
    for (const r of records as { record_id?: unknown; fields?: unknown }[]) {
      const c = applyUpdate(app, table, r?.record_id, r?.fields, true);
      if (!c.ok) return c.reply;
      checked.push(r);
    }
    const out = checked.map((r) => {
      const c = applyUpdate(app, table, r.record_id, r.fields, false);
      if (!c.ok) throw new Error('emulator: update valid in the dry run failed');
      commitUpdate(ctx, c.rec, c.cells);
      return recordOut(ctx, table, c.rec, written(c.cells));
    });
    return ok({ records: out });
  });
}

/** The automatic fields of 查询记录 / 批量获取记录 with automatic_fields=true. */
function automatic(ctx: RouteContext, r: EmRecord) {
  return {
    created_time: r.created_time,
    last_modified_time: r.last_modified_time,
    ...(r.created_by ? { created_by: person(ctx.state, r.created_by) } : {}),
    ...(r.last_modified_by ? { last_modified_by: person(ctx.state, r.last_modified_by) } : {}),
  };
}

function compareCells(a: Cell | undefined, b: Cell | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = Array.isArray(a) ? a.map((v) => (typeof v === 'string' ? v : v.id)).join(',') : typeof a === 'object' ? a.text : String(a);
  const y = Array.isArray(b) ? b.map((v) => (typeof v === 'string' ? v : v.id)).join(',') : typeof b === 'object' ? b.text : String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** 查询记录: page_size 1..500 (default 20), page_token from the previous page, has_more, total. */
export async function searchRecords(ctx: RouteContext, appToken: string, tableId: string, q: URLSearchParams, body: unknown): Promise<Reply> {
  const found = findTable(ctx, appToken, tableId);
  if (!found.ok) return found.reply;
  const { app, table } = found.value;
  const pageSize = q.has('page_size') ? Number(q.get('page_size')) : 20;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) return failWith(99992402, 'field validation failed', 400);
  let offset = 0;
  const pt = q.get('page_token');
  if (pt) {
    offset = Number(Buffer.from(pt, 'base64url').toString());
    if (!Number.isInteger(offset) || offset < 0) return failWith(1254030, 'InvalidPageToken', 400);
  }
  const b = (body ?? {}) as { field_names?: unknown; filter?: unknown; sort?: unknown; automatic_fields?: unknown };
  if (b.field_names !== undefined) {
    if (!Array.isArray(b.field_names) || b.field_names.length > 200 || !b.field_names.every((n) => typeof n === 'string')) return failWith(1254001, 'WrongRequestBody');
    if (!b.field_names.every((n) => table.fields.some((f) => f.field_name === n))) return failWith(1254045, 'FieldNameNotFound');
  }
  if (b.automatic_fields !== undefined && typeof b.automatic_fields !== 'boolean') return failWith(1254001, 'WrongRequestBody');
  const fc = { now: ctx.now(), timeZone: app.time_zone };
  const filter = parseFilter(table, b.filter, fc);
  if (!filter.ok) return fail(filter.error);
  let rows = [...table.records.values()].filter((r) => matches(r, filter.filter, fc));
  if (b.sort !== undefined && (!Array.isArray(b.sort) || b.sort.length > 100)) return failWith(1254016, 'InvalidSort');
  const sort = (b.sort as { field_name?: unknown; desc?: unknown }[] | undefined) ?? [];
  for (const s of [...sort].reverse()) {
    const field = table.fields.find((f) => f.field_name === s?.field_name);
    if (!field) return failWith(1254045, 'FieldNameNotFound');
    if (s.desc !== undefined && typeof s.desc !== 'boolean') return failWith(1254016, 'InvalidSort');
    rows = rows.sort((x, y) => compareCells(cellOf(field, x), cellOf(field, y)) * (s.desc ? -1 : 1));
  }
  const page = rows.slice(offset, offset + pageSize);
  const next = offset + page.length;
  const has_more = next < rows.length;
  const names = b.field_names as string[] | undefined;
  return ok({
    items: page.map((r) => ({ record_id: r.record_id, fields: renderRecord(ctx.state, table, r, names), ...(b.automatic_fields === true ? automatic(ctx, r) : {}) })),
    has_more,
    ...(has_more ? { page_token: Buffer.from(String(next)).toString('base64url') } : {}),
    total: rows.length,
  });
}

/** 批量获取记录: 1..100 record ids; the missing ones come back in absent_record_ids. */
export function batchGet(ctx: RouteContext, appToken: string, tableId: string, body: unknown): Reply {
  const found = findTable(ctx, appToken, tableId);
  if (!found.ok) return found.reply;
  const { table } = found.value;
  const b = (body ?? {}) as { record_ids?: unknown; user_id_type?: unknown; with_shared_url?: unknown; automatic_fields?: unknown };
  if (!Array.isArray(b.record_ids) || b.record_ids.length < 1 || b.record_ids.length > 100 || !b.record_ids.every((x) => typeof x === 'string')) {
    return failWith(1254001, 'WrongRequestBody', 400);
  }
  if (b.user_id_type !== undefined && !['open_id', 'union_id', 'user_id'].includes(b.user_id_type as string)) return failWith(1254001, 'WrongRequestBody', 400);
  for (const k of ['with_shared_url', 'automatic_fields'] as const) if (b[k] !== undefined && typeof b[k] !== 'boolean') return failWith(1254001, 'WrongRequestBody', 400);
  const ids = [...new Set(b.record_ids as string[])];
  const records = ids.flatMap((id) => {
    const r = table.records.get(id);
    return r ? [{ record_id: r.record_id, fields: renderRecord(ctx.state, table, r), ...(b.automatic_fields === true ? automatic(ctx, r) : {}) }] : [];
  });
  return ok({ records, absent_record_ids: ids.filter((id) => !table.records.has(id)), forbidden_record_ids: [] });
}

// ---------- task v2 ----------

export function createTask(ctx: RouteContext, body: unknown): Reply {
  const b = (body ?? {}) as { summary?: unknown; description?: unknown; due?: unknown; client_token?: unknown };
  const bad = failWith(1470400, 'invalid param', 400);
  if (typeof b.summary !== 'string' || !b.summary.trim() || b.summary.length > 3000) return bad;
  if (b.description !== undefined && (typeof b.description !== 'string' || b.description.length > 3000)) return bad;
  let due: { timestamp: string; is_all_day: boolean } | undefined;
  if (b.due !== undefined) {
    const d = b.due as { timestamp?: unknown; is_all_day?: unknown };
    // The documented type is a string of ms digits; a number is rejected.
    if (typeof d?.timestamp !== 'string' || !/^\d{10,16}$/.test(d.timestamp)) return bad;
    due = { timestamp: d.timestamp, is_all_day: d.is_all_day === true };
  }
  if (b.client_token !== undefined && (typeof b.client_token !== 'string' || b.client_token.length < 10 || b.client_token.length > 100)) return bad;
  const key = typeof b.client_token === 'string' ? `task|${b.client_token}` : undefined;
  const memo = key ? ctx.state.clientTokens.get(key) : undefined;
  if (memo) return memo.bodyHash === canonical(body) ? ok(memo.data) : failWith(1470400, 'client_token conflict', 400);
  const task = { guid: newId('', 8) + '-' + newId('', 4) + '-' + newId('', 12), summary: b.summary, ...(typeof b.description === 'string' ? { description: b.description } : {}), ...(due ? { due } : {}), created_at: String(ctx.now()) };
  ctx.state.tasks.set(task.guid, task);
  const data = { task };
  if (key) ctx.state.clientTokens.set(key, { bodyHash: canonical(body), data });
  return ok(data);
}
