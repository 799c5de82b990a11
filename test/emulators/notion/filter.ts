// Data source query filters and sorts as Notion evaluates them (reference/filter-data-source-entries,
// reference/sort-data-source-entries): compound and/or (nesting ≤ 2), property conditions typed
// by the property (the rich_text condition also serves title, url, email and phone_number),
// relation contains, and timestamp conditions on created_time / last_edited_time, compared at
// Notion's minute precision.
import { minute, ValidationError, type EmDataSource, type EmPage, type Json } from './state';

const TEXT_TYPES = new Set(['title', 'rich_text', 'url', 'email', 'phone_number']);

function textOf(page: EmPage, type: string, name: string): string {
  const v = page.values.get(name);
  if (!v) return '';
  const s = v[type];
  return typeof s === 'string' ? s : '';
}

function dateCond(value: number, cond: Json, what: string): boolean {
  const [op, raw] = Object.entries(cond)[0] ?? [];
  if (!op) throw new ValidationError(`${what}: a date condition is required.`);
  if (op === 'is_empty') return false;
  if (op === 'is_not_empty') return true;
  const t = typeof raw === 'string' ? Date.parse(raw) : NaN;
  if (Number.isNaN(t)) throw new ValidationError(`body failed validation: ${what}.${op} should be a valid ISO 8601 date string.`);
  switch (op) {
    case 'equals': return value === minute(t);
    case 'before': return value < t;
    case 'after': return value > t;
    case 'on_or_before': return value <= t;
    case 'on_or_after': return value >= t;
    default: throw new ValidationError(`body failed validation: ${what}.${op} is not a date filter condition.`);
  }
}

export function matches(ds: EmDataSource, page: EmPage, f: Json, depth = 0): boolean {
  if (f.or || f.and) {
    if (depth >= 2) throw new ValidationError('body failed validation: filter nesting is limited to two levels.');
    const list = (f.or ?? f.and) as Json[];
    if (!Array.isArray(list) || list.length > 100) throw new ValidationError('body failed validation: body.filter.or should be an array of ≤ 100 filters.');
    return f.or ? list.some((x) => matches(ds, page, x, depth + 1)) : list.every((x) => matches(ds, page, x, depth + 1));
  }
  if (f.timestamp) {
    if (f.timestamp !== 'last_edited_time' && f.timestamp !== 'created_time') throw new ValidationError('body failed validation: body.filter.timestamp should be "created_time" or "last_edited_time".');
    const cond = f[f.timestamp];
    if (!cond || typeof cond !== 'object') throw new ValidationError(`body failed validation: body.filter.${f.timestamp} should be defined.`);
    return dateCond(minute(f.timestamp === 'created_time' ? page.createdAt : page.editedAt), cond, `body.filter.${f.timestamp}`);
  }
  const p = [...ds.properties.values()].find((x) => x.name === f.property || x.id === f.property);
  if (!p) throw new ValidationError(`Could not find property with name or id: ${f.property}`);
  const key = Object.keys(f).find((k) => k !== 'property' && k !== 'type');
  if (!key) throw new ValidationError(`body failed validation: a condition for ${p.name} is required.`);
  const cond = f[key] as Json;
  const ok = key === p.type || (key === 'rich_text' && TEXT_TYPES.has(p.type));
  if (!ok) throw new ValidationError(`body failed validation: the ${key} filter does not apply to ${p.name} (a ${p.type} property).`);
  const stored = page.values.get(p.name);
  if (TEXT_TYPES.has(p.type)) {
    const s = textOf(page, p.type, p.name);
    const [op, v] = Object.entries(cond)[0] ?? [];
    switch (op) {
      case 'equals': return s === v;
      case 'does_not_equal': return s !== v;
      case 'contains': return typeof v === 'string' && s.includes(v);
      case 'does_not_contain': return typeof v === 'string' && !s.includes(v);
      case 'starts_with': return typeof v === 'string' && s.startsWith(v);
      case 'ends_with': return typeof v === 'string' && s.endsWith(v);
      case 'is_empty': return !s;
      case 'is_not_empty': return !!s;
      default: throw new ValidationError(`body failed validation: ${op} is not a ${key} filter condition.`);
    }
  }
  switch (p.type) {
    case 'select':
    case 'status':
      return 'equals' in cond ? stored?.[p.type] === cond.equals : 'is_empty' in cond ? !stored?.[p.type] : !!stored?.[p.type];
    case 'multi_select':
      return (stored?.multi_select ?? []).includes(cond.contains);
    case 'relation':
      if (typeof cond.contains !== 'string') throw new ValidationError('body failed validation: relation.contains should be a page id.');
      return (stored?.relation ?? []).includes(cond.contains);
    case 'number':
      return 'equals' in cond ? stored?.number === cond.equals : false;
    case 'date':
      return stored?.date ? dateCond(Date.parse(stored.date), cond, `body.filter.${p.name}.date`) : false;
    default:
      throw new ValidationError(`body failed validation: ${p.type} filters are not supported by this emulator.`);
  }
}

export function sorter(ds: EmDataSource, sorts: Json[] | undefined): (a: EmPage, b: EmPage) => number {
  const rules = sorts?.length ? sorts : [{ timestamp: 'created_time', direction: 'descending' }];
  for (const s of rules) {
    if (s.timestamp && s.timestamp !== 'created_time' && s.timestamp !== 'last_edited_time') throw new ValidationError('body failed validation: sorts[].timestamp should be "created_time" or "last_edited_time".');
    if (!s.timestamp && ![...ds.properties.values()].some((p) => p.name === s.property)) throw new ValidationError(`Could not find sort property with name or id: ${s.property}`);
    if (s.direction !== 'ascending' && s.direction !== 'descending') throw new ValidationError('body failed validation: sorts[].direction should be "ascending" or "descending".');
  }
  return (a, b) => {
    for (const s of rules) {
      const va = s.timestamp ? minute(s.timestamp === 'created_time' ? a.createdAt : a.editedAt) : JSON.stringify(a.values.get(s.property) ?? null);
      const vb = s.timestamp ? minute(s.timestamp === 'created_time' ? b.createdAt : b.editedAt) : JSON.stringify(b.values.get(s.property) ?? null);
      if (va !== vb) return (va < vb ? -1 : 1) * (s.direction === 'ascending' ? 1 : -1);
    }
    // Stable within a minute: creation order (Notion's own tie order is unspecified; a fixed one keeps cursors meaningful).
    return a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1);
  };
}
