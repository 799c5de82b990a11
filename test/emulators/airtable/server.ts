// A strict emulator of Airtable's Web API for the adapter's contract tests. Airtable publishes no
// machine-readable description; every behaviour here follows airtable.com/developers/web/api
// (pages read 2026-12-06: authentication, rate-limits, errors, list-records, get-record,
// create-records, update-multiple-records (performUpsert), update-record, get-user-id-scopes
// (whoami), list-bases, get-base-schema, create-table, create-field, field-model) and
// shared/reference/crm-apis.md § Airtable. What it enforces:
// - Authorization: Bearer <PAT>; otherwise 401 AUTHENTICATION_REQUIRED. A base the token was not
//   given → 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND (Airtable does not say which).
// - 5 requests per second per base; the 6th in a second → 429 {errors:[{error:RATE_LIMIT_REACHED}]}
//   and every request to that base for the next 30 s is refused the same way (docs: "wait 30
//   seconds before subsequent requests will succeed"). No Retry-After header (none documented).
// - Writes: ≤ 10 records (422 INVALID_RECORDS otherwise); unknown field → 422 UNKNOWN_FIELD_NAME
//   'Unknown field name: "X"'; a value the field cannot take → 422 INVALID_VALUE_FOR_COLUMN
//   'Field "X" cannot accept the provided value'; computed fields refuse every value; a select
//   option that does not exist is created only with typecast (else INVALID_MULTIPLE_CHOICE_OPTIONS);
//   links must name existing records of the linked table (ROW_DOES_NOT_EXIST).
// - performUpsert {fieldsToMergeOn: 1–3 fields}: each record matched on all of them; one match →
//   updated, none → created, several → 422 (the docs: "if more than one record matches, the
//   request fails"); reply {records, createdRecords, updatedRecords}.
// - Empty cells are left out of `fields` in replies; inverse link fields are maintained (the
//   customer table lists the follow-ups that link to it).
// - Lists: pageSize ≤ 100 (422 otherwise), maxRecords, filterByFormula (formula.ts; an invalid
//   formula → 422 INVALID_FILTER_BY_FORMULA), `offset` iterators over the result fixed at the
//   first page; an unknown/expired offset → 422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE.
// - A deleted or unknown record → 404 {"error":"NOT_FOUND"}; an unknown table → 404 TABLE_NOT_FOUND.
// - Meta API: tables/fields created with the documented write formats; computed types cannot be
//   created (422 UNSUPPORTED_FIELD_TYPE_FOR_CREATE); a link field gets its inverse in the linked
//   table (named after the source table). Bases list pages by offset.
// Faults: queued (failNext, dropNext) or a per-request policy (the fault tests): an error status
// (500 after committing = a lost reply), a dropped connection before or after committing.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createFaultQueue } from '../fault-queue';
import { checkFormula, FormulaError, matches, parseFormula, type FormulaRow } from './formula';

export interface AtField { id: string; name: string; type: string; options?: Record<string, unknown> }
export interface AtTable { id: string; name: string; primaryFieldId: string; fields: AtField[] }
export interface AtRecord { id: string; createdTime: string; createdAt: number; modifiedAt: number; cells: Record<string, unknown> }
export interface AtBase { id: string; name: string; tables: AtTable[]; records: Map<string, Map<string, AtRecord>> }

export interface RequestLogEntry { at: number; method: string; path: string; api: string; status: number; errorType?: string; outcome: 'replied' | 'dropped'; records?: number; query?: Record<string, string> }
export type PolicyFault = { kind: 'error'; status: number; commit?: boolean } | { kind: 'drop'; commit?: boolean };
interface QueuedFault { api?: string; left: number; kind: 'error' | 'drop'; status?: number; commit?: boolean }

export interface AirtableEmulatorOptions {
  token?: string;
  now?: () => number;
  /** Requests per second per base before 429 (Airtable: 5). Tests of other behaviour may raise it to run faster. */
  perSecond?: number;
}

const COMPUTED = new Set(['formula', 'rollup', 'count', 'multipleLookupValues', 'createdTime', 'lastModifiedTime', 'createdBy', 'lastModifiedBy', 'autoNumber', 'button']);
const CREATABLE = new Set(['singleLineText', 'multilineText', 'email', 'url', 'phoneNumber', 'number', 'currency', 'percent', 'rating', 'duration', 'checkbox', 'date', 'dateTime', 'singleSelect', 'multipleSelects', 'multipleRecordLinks', 'richText']);
const PRIMARY_TYPES = new Set(['singleLineText', 'multilineText', 'email', 'url', 'phoneNumber', 'number', 'currency', 'percent', 'date', 'dateTime', 'richText']);

const id = (prefix: string) => prefix + randomBytes(10).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(14, 'x').slice(0, 14);

export async function startAirtableEmulator(o: AirtableEmulatorOptions = {}) {
  const token = o.token ?? `pat${randomBytes(8).toString('hex')}.${randomBytes(16).toString('hex')}`;
  const now = o.now ?? Date.now;
  const bases = new Map<string, AtBase>();
  const requests: RequestLogEntry[] = [];
  const faults = createFaultQueue<QueuedFault, RequestLogEntry>();
  const iterators = new Map<string, { ids: string[]; pos: number }>();
  const hits = new Map<string, number[]>();
  const blockedUntil = new Map<string, number>();
  const noAccess = new Set<string>();
  let tokenValid = true;
  /** Link fields Airtable added as the other side of a link (their value is computed from it). */
  const inverseIds = new Set<string>();

  const err = (status: number, type: string, message?: string) => ({ status, body: message === undefined ? { error: type } : { error: { type, message } } });
  const isoOf = (ms: number) => new Date(ms).toISOString();

  function addBase(name: string): AtBase {
    const b: AtBase = { id: id('app'), name, tables: [], records: new Map() };
    bases.set(b.id, b);
    return b;
  }

  function createField(base: AtBase, table: AtTable, def: { name?: unknown; type?: unknown; options?: unknown; description?: unknown }, primary = false): AtField | { status: number; body: unknown } {
    if (typeof def.name !== 'string' || !def.name.trim()) return err(422, 'INVALID_REQUEST_UNKNOWN', 'field name is required');
    if (typeof def.type !== 'string') return err(422, 'INVALID_REQUEST_UNKNOWN', 'field type is required');
    if (table.fields.some((f) => f.name.toLowerCase() === (def.name as string).toLowerCase())) return err(422, 'DUPLICATE_OR_EMPTY_FIELD_NAME', `Field name "${def.name}" already exists`);
    if (!CREATABLE.has(def.type)) return err(422, 'UNSUPPORTED_FIELD_TYPE_FOR_CREATE', `Creating ${def.type} fields is not supported`);
    if (primary && !PRIMARY_TYPES.has(def.type)) return err(422, 'INVALID_PRIMARY_FIELD_TYPE', `${def.type} cannot be the primary field`);
    const options = (def.options ?? undefined) as Record<string, unknown> | undefined;
    const f: AtField = { id: id('fld'), name: def.name, type: def.type, ...(options ? { options: JSON.parse(JSON.stringify(options)) } : {}) };
    if (def.type === 'singleSelect' || def.type === 'multipleSelects') {
      const choices = (options?.choices ?? []) as { name?: string }[];
      f.options = { choices: choices.map((c) => ({ id: id('sel'), name: String(c.name) })) };
    }
    if (['dateTime'].includes(def.type) && !(options && options.dateFormat && options.timeFormat && options.timeZone)) return err(422, 'INVALID_FIELD_TYPE_OPTIONS', 'dateTime needs dateFormat, timeFormat and timeZone');
    if (def.type === 'multipleRecordLinks') {
      const linked = base.tables.find((t) => t.id === options?.linkedTableId);
      if (!linked) return err(422, 'INVALID_FIELD_TYPE_OPTIONS', 'linkedTableId does not name a table of this base');
      let name = table.name;
      for (let k = 2; linked.fields.some((x) => x.name === name); k++) name = `${table.name} ${k}`;
      const inverse: AtField = { id: id('fld'), name, type: 'multipleRecordLinks', options: { linkedTableId: table.id, inverseLinkFieldId: f.id, prefersSingleRecordLink: false } };
      f.options = { linkedTableId: linked.id, inverseLinkFieldId: inverse.id, prefersSingleRecordLink: false };
      inverseIds.add(inverse.id);
      linked.fields.push(inverse);
    }
    table.fields.push(f);
    return f;
  }

  function addTable(base: AtBase, name: string, fields: { name: string; type: string; options?: Record<string, unknown> }[]): AtTable | { status: number; body: unknown } {
    if (base.tables.some((t) => t.name.toLowerCase() === name.toLowerCase())) return err(422, 'DUPLICATE_TABLE_NAME', `Table name "${name}" already exists`);
    if (!fields.length) return err(422, 'INVALID_REQUEST_UNKNOWN', 'a table needs at least one field');
    const t: AtTable = { id: id('tbl'), name, primaryFieldId: '', fields: [] };
    base.tables.push(t);
    base.records.set(t.id, new Map());
    for (const [i, def] of fields.entries()) {
      const f = createField(base, t, def, i === 0);
      if ('status' in f) {
        base.tables.splice(base.tables.indexOf(t), 1);
        for (const other of base.tables) other.fields = other.fields.filter((x) => x.options?.linkedTableId !== t.id);
        return f;
      }
    }
    t.primaryFieldId = t.fields[0]!.id;
    return t;
  }

  const tableOf = (base: AtBase, idOrName: string) => base.tables.find((t) => t.id === idOrName) ?? base.tables.find((t) => t.name === idOrName);

  /** Links TO a record of `table` are stored on the other side: the inverse field's value is computed. */
  function inverseValue(base: AtBase, field: AtField, recordId: string): string[] {
    const other = base.tables.find((t) => t.id === field.options?.linkedTableId);
    const forward = other?.fields.find((f) => f.id === field.options?.inverseLinkFieldId);
    if (!other || !forward) return [];
    return [...base.records.get(other.id)!.values()].filter((r) => ((r.cells[forward.id] as string[] | undefined) ?? []).includes(recordId)).map((r) => r.id);
  }
  const isInverse = (_base: AtBase, _table: AtTable, f: AtField) => inverseIds.has(f.id);

  function cellOut(base: AtBase, table: AtTable, f: AtField, r: AtRecord): unknown {
    if (f.type === 'multipleRecordLinks' && isInverse(base, table, f)) {
      const v = inverseValue(base, f, r.id);
      return v.length ? v : undefined;
    }
    if (f.type === 'lastModifiedTime') return isoOf(r.modifiedAt);
    if (f.type === 'createdTime') return r.createdTime;
    const v = r.cells[f.id];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length) || v === false) return undefined;
    return v;
  }

  function recordOut(base: AtBase, table: AtTable, r: AtRecord) {
    const fields: Record<string, unknown> = {};
    for (const f of table.fields) {
      const v = cellOut(base, table, f, r);
      if (v !== undefined) fields[f.name] = v;
    }
    return { id: r.id, createdTime: r.createdTime, fields };
  }

  function formulaRow(base: AtBase, table: AtTable, r: AtRecord): FormulaRow {
    return {
      id: r.id,
      modifiedAt: r.modifiedAt,
      hasField: (name) => table.fields.some((f) => f.name === name),
      cell(name) {
        const f = table.fields.find((x) => x.name === name)!;
        const v = cellOut(base, table, f, r);
        if (v === undefined) return undefined;
        if (f.type === 'multipleRecordLinks') {
          const other = base.tables.find((t) => t.id === f.options?.linkedTableId)!;
          const prim = other.fields.find((x) => x.id === other.primaryFieldId)!;
          return (v as string[]).map((rid) => String(base.records.get(other.id)!.get(rid)?.cells[prim.id] ?? '')).join(', ');
        }
        if (f.type === 'dateTime' || f.type === 'lastModifiedTime' || f.type === 'createdTime') return new Date(String(v));
        if (typeof v === 'object') return JSON.stringify(v);
        return v as string | number | boolean;
      },
    };
  }

  type Bad = { status: number; body: unknown };
  /** One value for one field, as Airtable would store it, or the 422 it answers. */
  function convert(base: AtBase, f: AtField, v: unknown, typecast: boolean): { ok: unknown } | Bad {
    const bad = () => err(422, 'INVALID_VALUE_FOR_COLUMN', `Field "${f.name}" cannot accept the provided value`);
    if (COMPUTED.has(f.type)) return err(422, 'INVALID_VALUE_FOR_COLUMN', `Field "${f.name}" cannot accept a value because the field is computed`);
    if (v === null) return { ok: null };
    switch (f.type) {
      case 'singleLineText': case 'multilineText': case 'phoneNumber': case 'url': case 'richText':
        if (typeof v === 'string') return { ok: f.type === 'singleLineText' ? v.replace(/\n/g, ' ') : v };
        return typecast && typeof v === 'number' ? { ok: String(v) } : bad();
      case 'email':
        return typeof v === 'string' && (v === '' || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) ? { ok: v } : bad();
      case 'number': case 'currency': case 'percent': case 'rating': case 'duration':
        if (typeof v === 'number' && Number.isFinite(v)) return { ok: v };
        return typecast && typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? { ok: Number(v) } : bad();
      case 'checkbox':
        return typeof v === 'boolean' ? { ok: v } : bad();
      case 'date':
        return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? { ok: v } : bad();
      case 'dateTime': {
        const t = typeof v === 'string' ? Date.parse(v) : NaN;
        return Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(String(v)) ? bad() : { ok: isoOf(t) };
      }
      case 'singleSelect': case 'multipleSelects': {
        const list = f.type === 'singleSelect' ? [v] : v;
        if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) return bad();
        const choices = (f.options!.choices as { id: string; name: string }[]);
        for (const name of list as string[]) {
          if (choices.some((c) => c.name === name)) continue;
          if (!typecast) return err(422, 'INVALID_MULTIPLE_CHOICE_OPTIONS', `Insufficient permissions to create new select option ""${name}""`);
          choices.push({ id: id('sel'), name });
        }
        return { ok: v };
      }
      case 'multipleRecordLinks': {
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return bad();
        const other = base.records.get(String(f.options?.linkedTableId));
        const missing = v.find((x) => !other?.has(x));
        if (missing) return err(422, 'ROW_DOES_NOT_EXIST', `Record ID ${missing} does not exist in the linked table`);
        return { ok: [...new Set(v)] };
      }
      default:
        return bad();
    }
  }

  function cellsFor(base: AtBase, table: AtTable, fields: unknown, typecast: boolean): { ok: Record<string, unknown> } | Bad {
    if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return err(422, 'INVALID_REQUEST_UNKNOWN', 'fields must be an object');
    const out: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(fields)) {
      const f = table.fields.find((x) => x.name === name || x.id === name);
      if (!f) return err(422, 'UNKNOWN_FIELD_NAME', `Unknown field name: "${name}"`);
      if (f.type === 'multipleRecordLinks' && isInverse(base, table, f)) throw new Error('emulator: writing an inverse link field is not modelled');
      const c = convert(base, f, v, typecast);
      if ('status' in c) return c;
      out[f.id] = c.ok;
    }
    return { ok: out };
  }

  function write(table: AtTable, base: AtBase, r: AtRecord | undefined, cells: Record<string, unknown>): AtRecord {
    const t = now();
    if (!r) {
      r = { id: id('rec'), createdTime: isoOf(t), createdAt: t, modifiedAt: t, cells: {} };
      base.records.get(table.id)!.set(r.id, r);
    }
    let changed = false;
    for (const [k, v] of Object.entries(cells)) {
      if (JSON.stringify(r.cells[k] ?? null) !== JSON.stringify(v ?? null)) changed = true;
      r.cells[k] = v;
    }
    if (changed) r.modifiedAt = t;
    return r;
  }

  // Counted as requests arrive: the logged time, taken before the body is read (a second clock
  // reading after it drifts from the log under load).
  function rateLimited(baseId: string, t: number): boolean {
    if ((blockedUntil.get(baseId) ?? 0) > t) return true;
    const list = (hits.get(baseId) ?? []).filter((x) => x > t - 1000);
    list.push(t);
    hits.set(baseId, list);
    if (list.length > (o.perSecond ?? 5)) {
      blockedUntil.set(baseId, t + 30_000);
      return true;
    }
    return false;
  }

  async function route(method: string, u: URL, body: unknown, entry: RequestLogEntry, commit: () => void): Promise<{ status: number; body: unknown }> {
    const parts = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'v0') return err(404, 'NOT_FOUND');
    if (parts[1] === 'meta') {
      if (parts[2] === 'whoami' && method === 'GET') { entry.api = 'meta.whoami'; return { status: 200, body: { id: 'usrLiaisonTester01', email: 'sales@example.com', scopes: ['data.records:read', 'data.records:write', 'schema.bases:read', 'schema.bases:write', 'user.email:read'] } }; }
      if (parts[2] === 'bases' && parts.length === 3 && method === 'GET') {
        entry.api = 'meta.bases';
        const all = [...bases.values()].filter((b) => !noAccess.has(b.id));
        const start = u.searchParams.get('offset') ? Number(u.searchParams.get('offset')!.replace(/^itr/, '')) : 0;
        if (Number.isNaN(start)) return err(422, 'INVALID_OFFSET_VALUE', 'invalid offset');
        const page = all.slice(start, start + 1000);
        return { status: 200, body: { bases: page.map((b) => ({ id: b.id, name: b.name, permissionLevel: 'create' })), ...(start + 1000 < all.length ? { offset: `itr${start + 1000}` } : {}) } };
      }
      if (parts[2] === 'bases' && parts[4] === 'tables') {
        const base = bases.get(parts[3]!);
        if (!base || noAccess.has(base.id)) return err(403, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND', 'Invalid permissions, or the requested model was not found. Check that both your user and your token have the required permissions, and that the model names and/or ids are correct.');
        if (rateLimited(base.id, entry.at)) return { status: 429, body: { errors: [{ error: 'RATE_LIMIT_REACHED', message: 'Rate limit exceeded. Please try again later' }] } };
        if (parts.length === 5 && method === 'GET') { entry.api = 'meta.tables'; return { status: 200, body: { tables: base.tables.map((t) => ({ ...t, fields: t.fields.map((f) => ({ id: f.id, name: f.name, type: f.type, ...(f.options ? { options: f.options } : {}) })) })) } }; }
        if (parts.length === 5 && method === 'POST') {
          entry.api = 'meta.createTable';
          const b = body as { name?: unknown; fields?: unknown };
          if (typeof b?.name !== 'string' || !Array.isArray(b.fields)) return err(422, 'INVALID_REQUEST_UNKNOWN', 'name and fields are required');
          commit();
          const t = addTable(base, b.name, b.fields as never);
          if ('status' in t) return t;
          return { status: 200, body: t };
        }
        if (parts.length === 7 && parts[6] === 'fields' && method === 'POST') {
          entry.api = 'meta.createField';
          const table = base.tables.find((t) => t.id === parts[5]);
          if (!table) return err(404, 'TABLE_NOT_FOUND', `Could not find table ${parts[5]}`);
          commit();
          const f = createField(base, table, (body ?? {}) as never);
          if ('status' in f) return f;
          return { status: 200, body: f };
        }
      }
      return err(404, 'NOT_FOUND');
    }
    const base = bases.get(parts[1] ?? '');
    if (!base || noAccess.has(base.id)) return err(403, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND', 'Invalid permissions, or the requested model was not found. Check that both your user and your token have the required permissions, and that the model names and/or ids are correct.');
    if (rateLimited(base.id, entry.at)) return { status: 429, body: { errors: [{ error: 'RATE_LIMIT_REACHED', message: 'Rate limit exceeded. Please try again later' }] } };
    const table = tableOf(base, parts[2] ?? '');
    if (!table) return err(404, 'TABLE_NOT_FOUND', `Could not find table ${parts[2]} in application ${base.id}`);
    const rows = base.records.get(table.id)!;
    const recordId = parts[3];

    if (method === 'GET' && recordId) {
      entry.api = 'records.get';
      const r = rows.get(recordId);
      return r ? { status: 200, body: recordOut(base, table, r) } : err(404, 'NOT_FOUND');
    }
    if (method === 'GET') {
      entry.api = 'records.list';
      entry.query = Object.fromEntries(u.searchParams);
      const pageSize = Number(u.searchParams.get('pageSize') ?? 100);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) return err(422, 'INVALID_PAGE_SIZE', 'pageSize must be between 1 and 100');
      const offset = u.searchParams.get('offset');
      let it: { ids: string[]; pos: number };
      if (offset) {
        const found = iterators.get(offset);
        if (!found) return err(422, 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE', 'The iterator is not available');
        it = found;
        iterators.delete(offset);
      } else {
        const formula = u.searchParams.get('filterByFormula');
        let ids = [...rows.values()];
        if (formula) {
          try {
            const n = parseFormula(formula);
            checkFormula(n, (name) => table.fields.some((f) => f.name === name));
            ids = ids.filter((r) => matches(n, formulaRow(base, table, r)));
          } catch (e) {
            if (e instanceof FormulaError) return err(422, 'INVALID_FILTER_BY_FORMULA', `The formula for filtering records is invalid: ${e.message}`);
            throw e;
          }
        }
        const max = u.searchParams.get('maxRecords');
        if (max !== null) ids = ids.slice(0, Number(max));
        it = { ids: ids.map((r) => r.id), pos: 0 };
      }
      const page = it.ids.slice(it.pos, it.pos + pageSize).map((rid) => rows.get(rid)).filter((r): r is AtRecord => !!r);
      it.pos += pageSize;
      let next: string | undefined;
      if (it.pos < it.ids.length) {
        next = `itr${randomBytes(6).toString('hex')}/${it.ids[it.pos]}`;
        iterators.set(next, it);
      }
      return { status: 200, body: { records: page.map((r) => recordOut(base, table, r)), ...(next ? { offset: next } : {}) } };
    }
    const b = (body ?? {}) as { records?: unknown; fields?: unknown; typecast?: unknown; performUpsert?: { fieldsToMergeOn?: unknown } };
    const typecast = b.typecast === true;
    if (method === 'PATCH' && recordId) {
      entry.api = 'records.update';
      const r = rows.get(recordId);
      if (!r) return err(404, 'NOT_FOUND');
      const c = cellsFor(base, table, b.fields, typecast);
      if ('status' in c) return c;
      commit();
      return { status: 200, body: recordOut(base, table, write(table, base, r, c.ok)) };
    }
    if ((method === 'PATCH' || method === 'POST') && !recordId) {
      if (!Array.isArray(b.records) || b.records.length === 0) return err(422, 'INVALID_RECORDS', 'records must be a non-empty array');
      entry.records = b.records.length;
      if (b.records.length > 10) return err(422, 'INVALID_RECORDS', 'You can create or update at most 10 records at a time');
      const merge = b.performUpsert?.fieldsToMergeOn;
      entry.api = method === 'POST' ? 'records.create' : merge ? 'records.upsert' : 'records.updateMany';
      const items: { record?: AtRecord; cells: Record<string, unknown> }[] = [];
      let mergeFields: AtField[] = [];
      if (merge !== undefined) {
        if (method !== 'PATCH' || !Array.isArray(merge) || merge.length < 1 || merge.length > 3) return err(422, 'INVALID_REQUEST_UNKNOWN', 'fieldsToMergeOn must list 1 to 3 fields');
        for (const name of merge) {
          const f = table.fields.find((x) => x.name === name || x.id === name);
          if (!f) return err(422, 'UNKNOWN_FIELD_NAME', `Unknown field name: "${name}"`);
          if (COMPUTED.has(f.type) || f.type === 'multipleRecordLinks') return err(422, 'INVALID_MERGE_FIELD', `Field "${f.name}" cannot be used to merge`);
          mergeFields.push(f);
        }
      }
      for (const item of b.records as { id?: unknown; fields?: unknown }[]) {
        const c = cellsFor(base, table, item?.fields, typecast);
        if ('status' in c) return c;
        if (merge !== undefined) {
          if (item.id !== undefined) return err(422, 'INVALID_REQUEST_UNKNOWN', 'records of an upsert carry no id');
          const key = mergeFields.map((f) => c.ok[f.id]);
          if (key.some((v) => v === undefined || v === null || v === '')) return err(422, 'INVALID_VALUE_FOR_COLUMN', `Field "${mergeFields[0]!.name}" must have a value to merge on`);
          const found = [...rows.values()].filter((r) => mergeFields.every((f, k) => JSON.stringify(r.cells[f.id]) === JSON.stringify(key[k])));
          if (found.length > 1) return err(422, 'INVALID_REQUEST_UNKNOWN', 'More than one record matches the fields to merge on');
          items.push({ ...(found[0] ? { record: found[0] } : {}), cells: c.ok });
        } else if (method === 'PATCH') {
          const r = rows.get(String(item.id));
          if (!r) return err(404, 'NOT_FOUND');
          items.push({ record: r, cells: c.ok });
        } else items.push({ cells: c.ok });
      }
      commit();
      const created: string[] = [];
      const updated: string[] = [];
      const out = items.map((it) => {
        const r = write(table, base, it.record, it.cells);
        (it.record ? updated : created).push(r.id);
        return recordOut(base, table, r);
      });
      return { status: 200, body: { records: out, ...(merge !== undefined ? { createdRecords: created, updatedRecords: updated } : {}) } };
    }
    return err(404, 'NOT_FOUND');
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const entry: RequestLogEntry = { at: now(), method, path: u.pathname, api: 'unknown', status: 0, outcome: 'replied' };
    requests.push(entry);
    const chunks: Buffer[] = [];
    for await (const ch of req) chunks.push(ch as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const send = (r: { status: number; body: unknown }) => {
      entry.status = r.status;
      const b = r.body as { error?: { type?: string } | string; errors?: { error: string }[] };
      const type = typeof b?.error === 'string' ? b.error : b?.error?.type ?? b?.errors?.[0]?.error;
      if (type && r.status >= 400) entry.errorType = type;
      res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(r.body));
    };
    const auth = req.headers.authorization;
    if (!tokenValid || auth !== `Bearer ${token}`) return send(err(401, 'AUTHENTICATION_REQUIRED', 'Authentication required'));
    let body: unknown;
    if (method === 'POST' || method === 'PATCH') {
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(err(415, 'INVALID_REQUEST_UNKNOWN', 'Content-Type must be application/json'));
      try {
        body = JSON.parse(raw);
      } catch {
        return send(err(422, 'INVALID_REQUEST_BODY', 'Could not parse request body'));
      }
    }
    // Which fault this request meets: decided before it runs; a committing fault runs it first.
    const parts = u.pathname.split('/').filter(Boolean);
    entry.api = method === 'GET' ? (parts[1] === 'meta' ? 'meta' : parts[3] ? 'records.get' : 'records.list') : parts[1] === 'meta' ? 'meta.write' : parts[3] ? 'records.update' : 'records.write';
    const fault = faults.take(entry.api, entry);
    let committed = false;
    const run = () => route(method, u, body, entry, () => void (committed = true));
    if (!fault) return send(await run());
    if (fault.commit) await run();
    if (fault.kind === 'drop') {
      entry.outcome = 'dropped';
      res.socket?.destroy();
      return;
    }
    void committed;
    const status = fault.status ?? 500;
    return send(status === 429 ? { status, body: { errors: [{ error: 'RATE_LIMIT_REACHED', message: 'Rate limit exceeded. Please try again later' }] } } : err(status, status === 503 ? 'SERVICE_UNAVAILABLE' : 'SERVER_ERROR', 'Server error'));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'EMULATOR_BUG', message: String(e) } }));
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const userOf = (baseId: string) => {
    const base = bases.get(baseId);
    if (!base) throw new Error(`emulator: no base ${baseId}`);
    return base;
  };
  const control = {
    addBase,
    /** Creates a table directly (as a user in the Airtable UI would). */
    addTable(baseId: string, name: string, fields: { name: string; type: string; options?: Record<string, unknown> }[]): AtTable {
      const t = addTable(userOf(baseId), name, fields);
      if ('status' in t) throw new Error(`emulator addTable: ${JSON.stringify(t.body)}`);
      return t;
    },
    table: (baseId: string, name: string) => userOf(baseId).tables.find((t) => t.name === name),
    /** Rows of a table as name → value (replies' shape). */
    rows(baseId: string, tableName: string) {
      const base = userOf(baseId);
      const t = base.tables.find((x) => x.name === tableName);
      if (!t) return [];
      return [...base.records.get(t.id)!.values()].map((r) => recordOut(base, t, r));
    },
    /** A colleague edits a record in the Airtable UI (validated, LAST_MODIFIED_TIME moves). */
    edit(baseId: string, tableName: string, recordId: string, fields: Record<string, unknown>) {
      const base = userOf(baseId);
      const t = base.tables.find((x) => x.name === tableName)!;
      const c = cellsFor(base, t, fields, true);
      if ('status' in c) throw new Error(`emulator edit: ${JSON.stringify(c.body)}`);
      const r = base.records.get(t.id)!.get(recordId);
      if (!r) throw new Error(`emulator edit: no record ${recordId}`);
      write(t, base, r, c.ok);
    },
    insert(baseId: string, tableName: string, fields: Record<string, unknown>): string {
      const base = userOf(baseId);
      const t = base.tables.find((x) => x.name === tableName)!;
      const c = cellsFor(base, t, fields, true);
      if ('status' in c) throw new Error(`emulator insert: ${JSON.stringify(c.body)}`);
      return write(t, base, undefined, c.ok).id;
    },
    delete(baseId: string, tableName: string, recordId: string) {
      const base = userOf(baseId);
      const t = base.tables.find((x) => x.name === tableName)!;
      base.records.get(t.id)!.delete(recordId);
      for (const other of base.tables) for (const f of other.fields) if (f.type === 'multipleRecordLinks') for (const r of base.records.get(other.id)!.values()) if (Array.isArray(r.cells[f.id])) r.cells[f.id] = (r.cells[f.id] as string[]).filter((x) => x !== recordId);
    },
    revokeAccess: (baseId: string) => void noAccess.add(baseId),
    invalidateToken: () => void (tokenValid = false),
    expireIterators: () => iterators.clear(),
    /** Every request to the base is refused with 429 for `ms` (as after exceeding 5/s). */
    rateLimitFor: (baseId: string, ms: number) => void blockedUntil.set(baseId, now() + ms),
    failNext: (f: { api?: string; status: number; commit?: boolean; count?: number }) => faults.push({ kind: 'error', status: f.status, ...(f.api ? { api: f.api } : {}), ...(f.commit ? { commit: true } : {}), left: f.count ?? 1 }),
    dropNext: (f: { api?: string; commit?: boolean; count?: number } = {}) => faults.push({ kind: 'drop', commit: f.commit ?? true, ...(f.api ? { api: f.api } : {}), left: f.count ?? 1 }),
    setFaultPolicy: (p?: (e: RequestLogEntry) => PolicyFault | undefined) => faults.setPolicy(p),
    clearLog: () => void (requests.length = 0),
  };

  return {
    url,
    token,
    state: { bases, requests },
    control,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

export type AirtableEmulator = Awaited<ReturnType<typeof startAirtableEmulator>>;
