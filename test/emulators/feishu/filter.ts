// The search filter as documented in 记录筛选参数填写说明: conjunction and/or, conditions
// {field_name, operator, value: string[]}, one level of children. 'like' and 'in' are documented as
// "暂未支持" (not supported) and are rejected. Text/phone/number 'is' takes exactly one value;
// isEmpty/isNotEmpty take []. The cap of 50 conditions per filter is this emulator's assumption
// (unverified), kept so a client that builds huge OR filters fails here before it fails in production.
import { cellText, type BitableError } from './cells';
import { FIELD_TYPES, type EmRecord, type EmTable } from './state';

export const MAX_CONDITIONS = 50;
const OPERATORS = ['is', 'isNot', 'contains', 'doesNotContain', 'isEmpty', 'isNotEmpty', 'isGreater', 'isGreaterEqual', 'isLess', 'isLessEqual'];
const SINGLE_VALUE_TYPES = new Set<number>([FIELD_TYPES.text, FIELD_TYPES.number, FIELD_TYPES.phone, FIELD_TYPES.url]);

interface Condition {
  field_name: string;
  operator: string;
  value: string[];
}
interface Filter {
  conjunction: 'and' | 'or';
  conditions: Condition[];
  children: Filter[];
}

const bad = (msg: string): BitableError => ({ status: 200, code: 1254018, msg: `InvalidFilter: ${msg}` });

export function parseFilter(table: EmTable, raw: unknown, depth = 0): { ok: true; filter: Filter | null } | { ok: false; error: BitableError } {
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
    if (!Array.isArray(cond.value) || !cond.value.every((v) => typeof v === 'string')) return { ok: false, error: bad('value must be an array of strings') };
    const empty = cond.operator === 'isEmpty' || cond.operator === 'isNotEmpty';
    if (empty && cond.value.length !== 0) return { ok: false, error: bad('isEmpty/isNotEmpty take value []') };
    if (!empty && SINGLE_VALUE_TYPES.has(field.type) && cond.value.length !== 1) return { ok: false, error: bad(`${cond.operator} on this field takes exactly one value`) };
    conditions.push({ field_name: cond.field_name, operator: cond.operator, value: cond.value as string[] });
  }
  const children: Filter[] = [];
  const rawChildren = (f.children as unknown[] | undefined) ?? [];
  if (rawChildren.length && depth > 0) return { ok: false, error: bad('children may be nested one level only') };
  for (const ch of rawChildren) {
    const r = parseFilter(table, ch, depth + 1);
    if (!r.ok) return r;
    if (r.filter) children.push(r.filter);
  }
  const count = conditions.length + children.reduce((n, c) => n + c.conditions.length, 0);
  if (depth === 0 && count > MAX_CONDITIONS) return { ok: false, error: bad(`at most ${MAX_CONDITIONS} conditions`) };
  return { ok: true, filter: { conjunction: f.conjunction, conditions, children } };
}

function test(table: EmTable, rec: EmRecord, c: Condition): boolean {
  const cell = rec.fields[c.field_name];
  const field = table.fields.find((f) => f.field_name === c.field_name);
  const text = cellText(cell);
  const v = c.value[0] ?? '';
  const isDate = field?.type === FIELD_TYPES.dateTime;
  // Dates compare against ["ExactDate", "<ms>"]; numbers against "<n>".
  const target = isDate ? Number(c.value[1] ?? NaN) : Number(v);
  const num = typeof cell === 'number' ? cell : NaN;
  const multi = Array.isArray(cell) ? cell.map((x) => (typeof x === 'string' ? x : x.id)) : null;
  switch (c.operator) {
    case 'is':
      return multi ? multi.length === 1 && multi[0] === v : isDate ? num === target : text === v;
    case 'isNot':
      return multi ? !(multi.length === 1 && multi[0] === v) : text !== v;
    case 'contains':
      return multi ? c.value.some((x) => multi.includes(x)) : text.includes(v);
    case 'doesNotContain':
      return multi ? !c.value.some((x) => multi.includes(x)) : !text.includes(v);
    case 'isEmpty':
      return cell === undefined || text === '';
    case 'isNotEmpty':
      return cell !== undefined && text !== '';
    case 'isGreater':
      return num > target;
    case 'isGreaterEqual':
      return num >= target;
    case 'isLess':
      return num < target;
    case 'isLessEqual':
      return num <= target;
    default:
      return false;
  }
}

export function matches(table: EmTable, rec: EmRecord, f: Filter | null): boolean {
  if (!f) return true;
  const results = [...f.conditions.map((c) => test(table, rec, c)), ...f.children.map((ch) => matches(table, rec, ch))];
  if (results.length === 0) return true;
  return f.conjunction === 'and' ? results.every(Boolean) : results.some(Boolean);
}
