// Cell writes and reads as documented in 新增记录 / 多维表格记录数据结构:
// text is written as a string and read back as [{text,type:'text'}]; numbers must be numbers;
// a select value not yet among the options CREATES the option (documented: "对于新的选项值，
// 将会创建一个新的选项"); dates are ms timestamps; phones are strings matching (\+)?\d* (≤64);
// links are written as record-id arrays and read as {link_record_ids}. Unknown field → 1254045.
import { FIELD_TYPES, newId, type Cell, type EmApp, type EmField, type EmTable } from './state';

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

/** The read form of a stored cell (search, create replies). */
export function renderCell(field: EmField | undefined, cell: Cell): unknown {
  if (!field) return cell;
  if (field.type === FIELD_TYPES.text) return [{ text: String(cell), type: 'text' }];
  if (field.type === FIELD_TYPES.singleLink || field.type === FIELD_TYPES.duplexLink) return { link_record_ids: cell };
  return cell;
}

export function renderFields(table: EmTable, fields: Record<string, Cell>, only?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (only && !only.includes(k)) continue;
    out[k] = renderCell(table.fields.find((f) => f.field_name === k), v);
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
