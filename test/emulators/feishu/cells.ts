// Cell writes and reads as documented in 新增记录 / 多维表格记录数据结构:
// text is written as a string and read back as [{text,type:'text'}]; numbers must be numbers;
// a select value not yet among the options CREATES the option (documented: "对于新的选项值，
// 将会创建一个新的选项"); dates are ms timestamps; phones are strings matching (\+)?\d* (≤64);
// links are written as record-id arrays and read as {link_record_ids}; people are written as
// [{id}] and read with their name (when the app has contact scopes; this emulator's known users).
// Unknown field → 1254045. A field Bitable computes (自动编号, 最后更新时间, created time/by,
// formula, lookup) cannot be written: the docs give no code for that exact case, so the emulator
// answers 1254015 "Field types do not match." (HTTP 400), the documented code for a value of a
// type the field does not take (列出工作流 error table, 2026-02) — the adapter never sends one.
import { cellOf, person } from './computed';
import { COMPUTED_TYPES, FIELD_TYPES, newId, type Cell, type EmApp, type EmField, type EmRecord, type EmTable, type EmulatorState } from './state';

export interface BitableError {
  status: number;
  code: number;
  msg: string;
}
const err = (code: number, msg: string, status = 200): BitableError => ({ status, code, msg });

const PHONE = /^\+?\d*$/;

/** Validates one record's fields, returning the stored form or the error Feishu would send. Adds new select options. */
export function convertFields(
  app: EmApp,
  table: EmTable,
  fields: unknown,
  opts: { dryRun?: boolean } = {},
): { ok: true; cells: Record<string, Cell | null> } | { ok: false; error: BitableError } {
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return { ok: false, error: err(1254001, 'WrongRequestBody') };
  const cells: Record<string, Cell | null> = {};
  const newOptions: [EmField, string][] = [];
  for (const [name, value] of Object.entries(fields as Record<string, unknown>)) {
    const field = table.fields.find((f) => f.field_name === name);
    if (!field) return { ok: false, error: err(1254045, 'FieldNameNotFound') };
    if (COMPUTED_TYPES.has(field.type)) return { ok: false, error: err(1254015, 'Field types do not match.', 400) };
    if (value === null) {
      cells[name] = null;
      continue;
    }
    const r = convertCell(app, field, value, newOptions);
    if ('error' in r) return { ok: false, error: r.error };
    cells[name] = r.cell;
  }
  if (!opts.dryRun) {
    for (const [field, name] of newOptions) {
      const options = (field.property ??= {}).options ?? (field.property.options = []);
      if (!options.some((o) => o.name === name)) options.push({ id: newId('opt', 8), name, color: options.length % 55 });
    }
  }
  return { ok: true, cells };
}

function convertCell(app: EmApp, field: EmField, v: unknown, newOptions: [EmField, string][]): { cell: Cell } | { error: BitableError } {
  switch (field.type) {
    case FIELD_TYPES.text:
      return typeof v === 'string' ? { cell: v } : { error: err(1254060, 'TextFieldConvFail') };
    case FIELD_TYPES.number:
      return typeof v === 'number' && Number.isFinite(v) ? { cell: v } : { error: err(1254061, 'NumberFieldConvFail') };
    case FIELD_TYPES.singleSelect: {
      if (typeof v !== 'string' || !v.trim()) return { error: err(1254062, 'SingleSelectFieldConvFail') };
      if (!field.property?.options?.some((o) => o.name === v)) newOptions.push([field, v]);
      return { cell: v };
    }
    case FIELD_TYPES.multiSelect: {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.trim())) return { error: err(1254063, 'MultiSelectFieldConvFail') };
      if (v.length > 1000) return { error: err(1254063, 'MultiSelectFieldConvFail') };
      for (const x of v as string[]) if (!field.property?.options?.some((o) => o.name === x)) newOptions.push([field, x]);
      return { cell: [...(v as string[])] };
    }
    case FIELD_TYPES.dateTime:
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? { cell: v } : { error: err(1254064, 'DatetimeFieldConvFail') };
    case FIELD_TYPES.checkbox:
      return typeof v === 'boolean' ? { cell: v } : { error: err(1254065, 'CheckboxFieldConvFail') };
    case FIELD_TYPES.user:
      return Array.isArray(v) && v.every((x) => x && typeof x === 'object' && typeof (x as { id?: unknown }).id === 'string')
        ? { cell: (v as { id: string }[]).map((x) => ({ id: x.id })) }
        : { error: err(1254066, 'UserFieldConvFail') };
    case FIELD_TYPES.phone:
      return typeof v === 'string' && PHONE.test(v) && v.length <= 64
        ? { cell: v }
        : { error: err(1254072, 'Failed to convert phone field, please make sure it is correct.') };
    case FIELD_TYPES.url: {
      const o = v as { text?: unknown; link?: unknown };
      return o && typeof o === 'object' && typeof o.link === 'string'
        ? { cell: { text: typeof o.text === 'string' ? o.text : o.link, link: o.link } }
        : { error: err(1254068, 'URLFieldConvFail') };
    }
    case FIELD_TYPES.singleLink:
    case FIELD_TYPES.duplexLink: {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
        return field.type === FIELD_TYPES.duplexLink
          ? { error: err(1254074, 'The parameters of Duplex Link field are invalid and need to be filled with an array of string.', 400) }
          : { error: err(1254067, 'LinkFieldConvFail') };
      }
      const target = app.tables.get(field.property?.table_id ?? '');
      if (!target || !(v as string[]).every((id) => target.records.has(id))) return { error: err(1254067, 'LinkFieldConvFail') };
      return { cell: [...(v as string[])] };
    }
    default:
      return { error: err(1254001, 'WrongRequestBody') };
  }
}

/** The read form of a cell (search, batch_get, create/update replies). */
export function renderCell(state: EmulatorState, field: EmField | undefined, cell: Cell): unknown {
  if (!field) return cell;
  if (field.type === FIELD_TYPES.text) return [{ text: String(cell), type: 'text' }];
  if (field.type === FIELD_TYPES.singleLink || field.type === FIELD_TYPES.duplexLink) return { link_record_ids: cell };
  if (field.type === FIELD_TYPES.user || field.type === FIELD_TYPES.createdUser || field.type === FIELD_TYPES.modifiedUser) {
    return (cell as { id: string }[]).map((u) => person(state, u.id));
  }
  return cell;
}

/** The cells a write set (create/update replies echo what was written: 新增记录 响应体示例). */
export function renderFields(state: EmulatorState, table: EmTable, fields: Record<string, Cell>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = renderCell(state, table.fields.find((f) => f.field_name === k), v);
  return out;
}

/** Every non-empty cell of a record, computed ones included (查询记录 / 批量获取记录: empty cells are left out). */
export function renderRecord(state: EmulatorState, table: EmTable, rec: EmRecord, only?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of table.fields) {
    if (only && !only.includes(f.field_name)) continue;
    const v = cellOf(f, rec);
    if (v !== undefined) out[f.field_name] = renderCell(state, f, v);
  }
  return out;
}

/** Plain text of a cell for filters ('is', 'contains'). */
export function cellText(cell: Cell | undefined): string {
  if (cell === undefined) return '';
  if (Array.isArray(cell)) return cell.map((x) => (typeof x === 'string' ? x : x.id)).join(',');
  if (typeof cell === 'object') return cell.text;
  return String(cell);
}
