// The user's template mapping arrives at an adapter as WriteOptions.fields: CRM field name →
// rendered text (or a number). Every remote adapter puts those values on top of its own payload,
// typed the way its field takes them; these are the conversions and refusals they share, so
// "12.5" means a number, "是" a tick and "2026-03-05" a day in every CRM alike.
//
// A value that cannot become the field's type is refused here (CrmError 'validation' naming the
// field) instead of being dropped silently or sent for the CRM to refuse with a vaguer message.
// A field the adapter keeps for itself (idempotency key, ids, links) is refused the same way:
// the template would break retries or move the record. Free of browser APIs and vendor code.
import { CrmError } from './errors';

export type TemplateValue = string | number;
export type TemplateFields = Record<string, TemplateValue>;

/** The template mapping's name in both languages, for messages that tell the user where to look. */
const WHERE = { zh_CN: '字段映射', en: 'field mapping' };

/** A template value the field cannot take. `vendor` prefixes the technical message ("HubSpot"). */
export function conversionError(vendor: string, field: string, expected: string, detail?: string): CrmError {
  return new CrmError('validation', `${vendor}: template value for "${field}" is not a valid ${expected}${detail ? ` (${detail})` : ''}`, {
    vendorCode: 'TEMPLATE_VALUE',
    userMessage: {
      zh_CN: `${WHERE.zh_CN}中「${field}」的值不是有效的${expectedZh(expected)}${detail ? `（${detail}）` : ''}，请修改模板`,
      en: `The ${WHERE.en} gives "${field}" a value that is not a valid ${expected}${detail ? ` (${detail})` : ''}; change the template`,
    },
  });
}

function expectedZh(expected: string): string {
  const zh: Record<string, string> = { number: '数字', integer: '整数', date: '日期', datetime: '日期时间', boolean: '是/否', phone: '电话号码', option: '选项', person: '人员', url: '网址' };
  return zh[expected] ?? expected;
}

/** A template naming a field the adapter writes itself (key, id, link). */
export function reservedError(vendor: string, field: string, why: string): CrmError {
  return new CrmError('validation', `${vendor}: the template names "${field}", which Liaison keeps for itself (${why})`, {
    vendorCode: 'RESERVED_FIELD',
    userMessage: {
      zh_CN: `${WHERE.zh_CN}不能写入「${field}」：该字段由 Liaison 自己维护（${why}），请从映射中删除`,
      en: `The ${WHERE.en} cannot write "${field}": Liaison maintains it itself (${why}); remove it from the mapping`,
    },
  });
}

/** A field the CRM has but that no value can be written to (formula, created time, attachment…). */
export function notWritableError(vendor: string, field: string, type: string): CrmError {
  return new CrmError('validation', `${vendor}: "${field}" (${type}) cannot be written by a template`, {
    vendorCode: 'FIELD_NOT_WRITABLE',
    userMessage: {
      zh_CN: `${WHERE.zh_CN}中的「${field}」是 ${type} 类型，不能由模板写入，请从映射中删除`,
      en: `"${field}" is a ${type} field and cannot be written by the ${WHERE.en}; remove it from the mapping`,
    },
  });
}

/** Throws for the first templated field `reserved` names (it returns why, or undefined). */
export function refuseReserved(vendor: string, fields: TemplateFields | undefined, reserved: (name: string) => string | undefined): void {
  for (const name of Object.keys(fields ?? {})) {
    const why = reserved(name);
    if (why) throw reservedError(vendor, name, why);
  }
}

export const hasFields = (fields: TemplateFields | undefined): fields is TemplateFields => !!fields && Object.keys(fields).length > 0;

export function toText(v: TemplateValue): string {
  return typeof v === 'number' ? String(v) : v;
}

/** "12.5", " 1,000 ", 12.5 → the number; anything else → undefined. */
export function parseNumber(v: TemplateValue): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  const s = v.trim();
  const plain = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s) ? s.replace(/,/g, '') : s;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(plain)) return undefined;
  const n = Number(plain);
  return Number.isFinite(n) ? n : undefined;
}

export function toNumber(vendor: string, field: string, v: TemplateValue, opts: { integer?: boolean } = {}): number {
  const n = parseNumber(v);
  if (n === undefined) throw conversionError(vendor, field, 'number');
  if (opts.integer && !Number.isInteger(n)) throw conversionError(vendor, field, 'integer');
  return n;
}

const TRUE = new Set(['是', '对', '真', 'true', '1', 'yes', 'y', 'on', '√', '✓']);
const FALSE = new Set(['否', '不', '假', 'false', '0', 'no', 'n', 'off', '×', '✗']);

/** 是/true/1/yes → true, 否/false/0/no → false; anything else is refused. */
export function toBoolean(vendor: string, field: string, v: TemplateValue): boolean {
  const s = toText(v).trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  throw conversionError(vendor, field, 'boolean', 'use 是/否, true/false or 1/0');
}

const CN_DATE = /^(\d{4})[年/.-](\d{1,2})[月/.-](\d{1,2})日?(?:[\sT]*(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})秒?)?)?$/;

/**
 * An instant from a template value: epoch ms (a number or all digits), an ISO 8601 string (what
 * templates render times as), or a written date ("2026-03-05", "2026/3/5 14:30", "2026年3月5日").
 * A date or time without a zone is the user's local time (the background runs in their browser),
 * so "2026-03-05" is that day for them, not midnight UTC.
 */
export function parseInstant(v: TemplateValue): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined;
  const s = v.trim();
  if (/^\d{1,15}$/.test(s)) return Number(s);
  const cn = CN_DATE.exec(s);
  if (cn) {
    const [y, mo, d, h, mi, se] = cn.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as [number, number, number, number, number, number];
    const t = new Date(y, mo - 1, d, h, mi, se);
    // new Date rolls 2026-02-30 over to March: a date that does not exist is refused instead.
    return t.getFullYear() === y && t.getMonth() === mo - 1 && t.getDate() === d && h < 24 && mi < 60 && se < 60 ? t.getTime() : undefined;
  }
  // ISO with a time (and maybe a zone); Date.parse reads a zone-less one as local time, as wanted.
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s)) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

export function toInstant(vendor: string, field: string, v: TemplateValue, expected: 'date' | 'datetime' = 'datetime'): number {
  const t = parseInstant(v);
  if (t === undefined) throw conversionError(vendor, field, expected);
  return t;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** yyyy-mm-dd of an instant in the user's local calendar. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * A calendar day from a template value: "2026-03-05" stays that day whatever the zone (a date
 * field has none); an instant becomes the user's local day.
 */
export function toDay(vendor: string, field: string, v: TemplateValue): string {
  const s = toText(v).trim();
  const exact = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (exact) {
    const t = parseInstant(s);
    if (t === undefined) throw conversionError(vendor, field, 'date');
    return s;
  }
  return localDate(toInstant(vendor, field, v, 'date'));
}

/** "a, b；c、d" → ['a', 'b', 'c', 'd']: the separators people type between several options. */
export function splitList(v: TemplateValue): string[] {
  return toText(v)
    .split(/[,;、，；\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The first option matching `value` exactly, else case-insensitively (an API value or its label). */
export function matchOption<T>(options: readonly T[], value: string, keys: (o: T) => string[]): T | undefined {
  const exact = options.find((o) => keys(o).includes(value));
  if (exact) return exact;
  const lower = value.toLowerCase();
  return options.find((o) => keys(o).some((k) => k.toLowerCase() === lower));
}

export function optionError(vendor: string, field: string, value: string, allowed: string[]): CrmError {
  const list = allowed.slice(0, 20);
  const more = allowed.length > list.length ? ` …(+${allowed.length - list.length})` : '';
  return new CrmError('validation', `${vendor}: "${field}" has no option "${value.slice(0, 50)}"; allowed: ${list.join(', ') || '(none)'}${more}`, {
    vendorCode: 'TEMPLATE_OPTION',
    userMessage: {
      zh_CN: `${WHERE.zh_CN}给「${field}」的值「${value.slice(0, 50)}」不是它的选项，可选：${list.join('、') || '（无）'}${more}`,
      en: `The ${WHERE.en} gives "${field}" the value "${value.slice(0, 50)}", which is not one of its options: ${list.join(', ') || '(none)'}${more}`,
    },
  });
}
