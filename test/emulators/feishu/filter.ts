// The search filter as documented in 记录筛选参数填写说明 (2025-07-21) and 查询记录 (2025-05-08):
// conjunction and/or, conditions {field_name, operator, value: string[] (≤ 10)}, one level of
// children, at most 50 conditions (查询记录: conditions 长度 0～50; applied here to the whole filter,
// which is stricter). 'like' and 'in' are "暂未支持" and rejected. Text, number, phone, URL and
// auto-number conditions take one value; is/isNot take one value on any field; isEmpty/isNotEmpty
// take []. Formula and lookup fields cannot be filtered on. Date, created-time and 最后更新时间
// fields take only is / isEmpty / isNotEmpty / isGreater / isLess, and compare by CALENDAR DAY in
// the Base's time zone ("第二个元素虽然是时间戳，但是实际筛选时，会被转为文档时区当天的零点"): isGreater
// ["ExactDate", t] matches records on a later day than t's. An auto-number is compared by its
// sequence number (多维表格常见问题 § 6, § 8).
import { cellText, type BitableError } from './cells';
import { cellOf, dayOf, targetDay } from './computed';
import { FIELD_TYPES, type EmField, type EmRecord, type EmTable } from './state';

export const MAX_CONDITIONS = 50;
const MAX_VALUES = 10;
const OPERATORS = ['is', 'isNot', 'contains', 'doesNotContain', 'isEmpty', 'isNotEmpty', 'isGreater', 'isGreaterEqual', 'isLess', 'isLessEqual'];
const DATE_OPERATORS = ['is', 'isEmpty', 'isNotEmpty', 'isGreater', 'isLess'];
const SINGLE_VALUE_TYPES = new Set<number>([FIELD_TYPES.text, FIELD_TYPES.number, FIELD_TYPES.phone, FIELD_TYPES.url, FIELD_TYPES.autoNumber]);
const DATE_TYPES = new Set<number>([FIELD_TYPES.dateTime, FIELD_TYPES.createdTime, FIELD_TYPES.modifiedTime]);
const UNFILTERABLE_TYPES = new Set<number>([19, 20]);

interface Condition {
  field: EmField;
  operator: string;
  value: string[];
  /** Date conditions: the day the value names (YYYY-MM-DD in the Base's time zone). */
  day?: string;
}
interface Filter {
  conjunction: 'and' | 'or';
  conditions: Condition[];
  children: Filter[];
}
export interface FilterContext {
  now: number;
  timeZone: string;
}

const bad = (msg: string): BitableError => ({ status: 200, code: 1254018, msg: `InvalidFilter: ${msg}` });

export function parseFilter(table: EmTable, raw: unknown, fc: FilterContext, depth = 0): { ok: true; filter: Filter | null } | { ok: false; error: BitableError } {
  if (raw === undefined || raw === null) return { ok: true, filter: null };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, error: bad('filter must be an object') };
  const f = raw as Record<string, unknown>;
  if (f.conjunction !== 'and' && f.conjunction !== 'or') return { ok: false, error: bad('conjunction must be "and" or "or"') };
  const conditions: Condition[] = [];
  for (const c of (f.conditions as unknown[] | undefined) ?? []) {
    const cond = c as Record<string, unknown>;
    if (!cond || typeof cond.field_name !== 'string' || typeof cond.operator !== 'string') return { ok: false, error: bad('condition needs field_name and operator') };
    const field = table.fields.find((x) => x.field_name === cond.field_name);
    if (!field) return { ok: false, error: { status: 200, code: 1254045, msg: 'FieldNameNotFound' } };
    if (cond.operator === 'like' || cond.operator === 'in') return { ok: false, error: bad(`operator ${cond.operator} is not supported`) };
    if (!OPERATORS.includes(cond.operator)) return { ok: false, error: bad(`unknown operator ${cond.operator}`) };
    if (UNFILTERABLE_TYPES.has(field.type)) return { ok: false, error: bad('formula and lookup fields cannot be filtered on') };
    if (!Array.isArray(cond.value) || !cond.value.every((v) => typeof v === 'string')) return { ok: false, error: bad('value must be an array of strings') };
    const value = cond.value as string[];
    if (value.length > MAX_VALUES) return { ok: false, error: bad(`at most ${MAX_VALUES} values`) };
    const empty = cond.operator === 'isEmpty' || cond.operator === 'isNotEmpty';
    if (empty && value.length !== 0) return { ok: false, error: bad('isEmpty/isNotEmpty take value []') };
    let day: string | undefined;
    if (DATE_TYPES.has(field.type)) {
      if (!DATE_OPERATORS.includes(cond.operator)) return { ok: false, error: bad(`${cond.operator} is not supported on date fields`) };
      if (!empty) {
        const t = targetDay(value, fc.now, fc.timeZone);
        if ('error' in t) return { ok: false, error: bad(t.error) };
        day = t.day;
      }
    } else if (!empty) {
      const one = SINGLE_VALUE_TYPES.has(field.type) || cond.operator === 'is' || cond.operator === 'isNot' || field.type === FIELD_TYPES.checkbox;
      if (one && value.length !== 1) return { ok: false, error: bad(`${cond.operator} on this field takes exactly one value`) };
      if (field.type === FIELD_TYPES.checkbox && (cond.operator !== 'is' || !['true', 'false'].includes(value[0]!))) return { ok: false, error: bad('a checkbox takes is ["true"|"false"]') };
    }
    conditions.push({ field, operator: cond.operator, value, ...(day ? { day } : {}) });
  }
  const children: Filter[] = [];
  const rawChildren = (f.children as unknown[] | undefined) ?? [];
  if (rawChildren.length && depth > 0) return { ok: false, error: bad('children may be nested one level only') };
  for (const ch of rawChildren) {
    const r = parseFilter(table, ch, fc, depth + 1);
    if (!r.ok) return r;
    if (r.filter) children.push(r.filter);
  }
  const count = conditions.length + children.reduce((n, c) => n + c.conditions.length, 0);
  if (depth === 0 && count > MAX_CONDITIONS) return { ok: false, error: bad(`at most ${MAX_CONDITIONS} conditions`) };
  return { ok: true, filter: { conjunction: f.conjunction, conditions, children } };
}

function compare(op: string, a: number | string, b: number | string): boolean {
  switch (op) {
    case 'is':
      return a === b;
    case 'isNot':
      return a !== b;
    case 'isGreater':
      return a > b;
    case 'isGreaterEqual':
      return a >= b;
    case 'isLess':
      return a < b;
    case 'isLessEqual':
      return a <= b;
    default:
      return false;
  }
}

function test(rec: EmRecord, c: Condition, fc: FilterContext): boolean {
  const cell = cellOf(c.field, rec);
  const text = cellText(cell);
  if (c.operator === 'isEmpty') return cell === undefined || text === '';
  if (c.operator === 'isNotEmpty') return cell !== undefined && text !== '';
  if (c.day !== undefined) return typeof cell === 'number' && compare(c.operator, dayOf(cell, fc.timeZone), c.day);
  if (c.field.type === FIELD_TYPES.autoNumber) {
    const seq = rec.auto[c.field.field_name]?.seq;
    if (c.operator === 'contains' || c.operator === 'doesNotContain') return text.includes(c.value[0]!) === (c.operator === 'contains');
    return seq !== undefined && compare(c.operator, seq, Number(c.value[0]));
  }
  const v = c.value[0] ?? '';
  const multi = Array.isArray(cell) ? cell.map((x) => (typeof x === 'string' ? x : x.id)) : null;
  switch (c.operator) {
    case 'is':
      return multi ? multi.length === 1 && multi[0] === v : typeof cell === 'number' ? cell === Number(v) : text === v;
    case 'isNot':
      return multi ? !(multi.length === 1 && multi[0] === v) : typeof cell === 'number' ? cell !== Number(v) : text !== v;
    case 'contains':
      return multi ? c.value.some((x) => multi.includes(x)) : c.value.some((x) => text.includes(x));
    case 'doesNotContain':
      return multi ? !c.value.some((x) => multi.includes(x)) : !c.value.some((x) => text.includes(x));
    default:
      return typeof cell === 'number' && compare(c.operator, cell, Number(v));
  }
}

export function matches(rec: EmRecord, f: Filter | null, fc: FilterContext): boolean {
  if (!f) return true;
  const results = [...f.conditions.map((c) => test(rec, c, fc)), ...f.children.map((ch) => matches(rec, ch, fc))];
  if (results.length === 0) return true;
  return f.conjunction === 'and' ? results.every(Boolean) : results.some(Boolean);
}
