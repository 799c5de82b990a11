// What Bitable computes itself, and the day arithmetic of its date filters.
// Sources (open.feishu.cn, mirrored in wxkingstar/doc-hub-mcp, read 2026-12-06):
// - 字段编辑指南 (2025-06-30) § 自动编号字段: property.auto_serial {type: "auto_increment_number" |
//   "custom", options: [{type: "system_number", value: "1".."9" digits} | {type: "fixed_text", value
//   ≤ 20 chars} | {type: "created_time", value: yyyyMMdd | yyyyMM | yyyy | MMdd | MM | dd}]}, the
//   rules concatenated in order. The docs' own examples say MM renders January as "1" and MMdd
//   January 30th as "130": followed literally (dd is taken as two digits).
// - 多维表格记录数据结构 (2025-04-01): 1001/1002 read back as ms numbers, 1003/1004 as person
//   objects, 1005 as a string "由自动编号规则组成的字符串".
// - 记录筛选参数填写说明 (2025-07-21) § 日期字段填写说明: on date, created-time and 最后更新时间 fields
//   only is / isEmpty / isNotEmpty / isGreater / isLess are allowed, and the ExactDate timestamp
//   "会被转为文档时区当天的零点": the comparison is by calendar day in the Base's time zone.
// - 多维表格常见问题 (2025-01-08) § 6: an auto-number field is filtered by its sequence number
//   only (a custom number's fixed text left out).
// How numbers behave when the digits overflow, and whether a date rule resets the sequence, is not
// documented: here the sequence runs on across days and simply grows past its digits.
import { FIELD_TYPES, type Cell, type EmField, type EmRecord, type EmulatorState } from './state';

const AUTO_TIME_FORMATS = new Set(['yyyyMMdd', 'yyyyMM', 'yyyy', 'MMdd', 'MM', 'dd']);

/** Why an auto_serial property is invalid, or undefined when it is fine. */
export function autoSerialProblem(property: Record<string, unknown> | null | undefined): string | undefined {
  const a = property?.auto_serial as { type?: unknown; options?: unknown } | undefined;
  if (a === undefined) return undefined; // Bitable defaults to a plain increasing number
  if (!a || typeof a !== 'object') return 'auto_serial must be an object';
  if (a.type === 'auto_increment_number') return undefined;
  if (a.type !== 'custom') return 'auto_serial.type must be custom or auto_increment_number';
  if (!Array.isArray(a.options) || !a.options.length) return 'a custom auto_serial needs options';
  let numbers = 0;
  for (const o of a.options as { type?: unknown; value?: unknown }[]) {
    if (typeof o?.value !== 'string') return 'each auto_serial option needs a string value';
    if (o.type === 'system_number') {
      numbers += 1;
      if (!/^[1-9]$/.test(o.value)) return 'system_number takes 1-9 digits';
    } else if (o.type === 'fixed_text') {
      if (!o.value || o.value.length > 20) return 'fixed_text is 1-20 characters';
    } else if (o.type === 'created_time') {
      if (!AUTO_TIME_FORMATS.has(o.value)) return `created_time format ${o.value} is not one of ${[...AUTO_TIME_FORMATS].join(', ')}`;
    } else return `unknown auto_serial option type ${String(o?.type)}`;
  }
  return numbers === 1 ? undefined : 'a custom auto_serial has exactly one system_number';
}

function dateParts(ms: number, timeZone: string): { y: string; m: number; d: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { y: get('year'), m: Number(get('month')), d: Number(get('day')) };
}

/** The text of auto number `seq` for a record created at `createdMs`. */
export function formatAutoNumber(field: EmField, seq: number, createdMs: number, timeZone: string): string {
  const a = field.property?.auto_serial as { type?: string; options?: { type: string; value: string }[] } | undefined;
  if (!a || a.type !== 'custom') return String(seq);
  return (a.options ?? [])
    .map((o) => {
      if (o.type === 'system_number') return String(seq).padStart(Number(o.value), '0');
      if (o.type === 'fixed_text') return o.value;
      const { y, m, d } = dateParts(createdMs, timeZone);
      const dd = String(d).padStart(2, '0');
      const mm = String(m).padStart(2, '0');
      switch (o.value) {
        case 'yyyyMMdd':
          return `${y}${mm}${dd}`;
        case 'yyyyMM':
          return `${y}${mm}`;
        case 'yyyy':
          return y;
        case 'MMdd':
          return `${m}${dd}`;
        case 'MM':
          return String(m);
        default:
          return dd;
      }
    })
    .join('');
}

/** Hands out the next number of every auto-number field of the table to a new record. */
export function assignAutoNumbers(table: { fields: EmField[]; autoSeq: Record<string, number> }, rec: EmRecord, timeZone: string): void {
  for (const f of table.fields) {
    if (f.type !== FIELD_TYPES.autoNumber) continue;
    const seq = (table.autoSeq[f.field_id] ?? 0) + 1;
    table.autoSeq[f.field_id] = seq;
    rec.auto[f.field_name] = { seq, text: formatAutoNumber(f, seq, rec.created_time, timeZone) };
  }
}

/** A record's value of a field, computed fields included (undefined = empty). */
export function cellOf(field: EmField, rec: EmRecord): Cell | undefined {
  switch (field.type) {
    case FIELD_TYPES.createdTime:
      return rec.created_time;
    case FIELD_TYPES.modifiedTime:
      return rec.last_modified_time;
    case FIELD_TYPES.createdUser:
      return rec.created_by ? [{ id: rec.created_by }] : undefined;
    case FIELD_TYPES.modifiedUser:
      return rec.last_modified_by ? [{ id: rec.last_modified_by }] : undefined;
    case FIELD_TYPES.autoNumber:
      return rec.auto[field.field_name]?.text;
    default:
      return rec.fields[field.field_name];
  }
}

/** A person as the read APIs return it: the id, plus name/email when the emulator knows the user. */
export function person(state: EmulatorState, id: string): Record<string, string> {
  const u = state.users.get(id);
  return u ? { id, name: u.name, en_name: u.en_name ?? u.name, email: u.email ?? '', avatar_url: `https://example.invalid/avatar/${id}` } : { id };
}

/** The calendar day of `ms` in the Base's time zone, as YYYY-MM-DD (compares as a string). */
export function dayOf(ms: number, timeZone: string): string {
  const { y, m, d } = dateParts(ms, timeZone);
  return `${y.padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const DAY = 86_400_000;
/**
 * The day a date condition's value names: ["ExactDate", "<ms>"], ["Today"], ["Tomorrow"],
 * ["Yesterday"]. The week/month ranges the guide also lists are not modelled (no client here
 * sends them): they are refused rather than answered wrongly.
 */
export function targetDay(value: string[], now: number, timeZone: string): { day: string } | { error: string } {
  const [kind, arg] = value;
  if (kind === 'ExactDate') {
    if (value.length !== 2 || !/^\d{1,16}$/.test(arg ?? '')) return { error: 'ExactDate takes ["ExactDate", "<ms timestamp>"]' };
    return { day: dayOf(Number(arg), timeZone) };
  }
  if (value.length !== 1) return { error: `${kind} takes one element` };
  if (kind === 'Today') return { day: dayOf(now, timeZone) };
  if (kind === 'Tomorrow') return { day: dayOf(now + DAY, timeZone) };
  if (kind === 'Yesterday') return { day: dayOf(now - DAY, timeZone) };
  return { error: `date value ${String(kind)} is not modelled by this emulator` };
}
