// Liaison values ⇄ monday column values, per documented column type
// (api-reference/reference/column-types-reference, read 2026-12-06; the JSON each type takes in
// column_values and the `value` JSON / `text` it reads back with):
//   text        "抖音"                                        value "\"抖音\""            text 抖音
//   long_text   {"text": "…"}                                value {"text": "…"}
//   numbers     "1000000"                                    value "\"1000000\""         text 1000000
//   phone       {"phone": "+8613800138000", "countryShortName": "CN"}    value the same (+ changed_at)
//   email       {"email": "a@b.c", "text": "a@b.c"}          value the same
//   status      {"label": "跟进中"}                           value {"index": 1, …}       text 跟进中 (the label is read from text)
//   date        {"date": "2026-03-05", "time": "01:00:00"}   (UTC)                        value the same
//   dropdown    {"labels": ["老客户"]}                         value {"ids": [1]}          text "老客户, VIP" (labels read from text)
// Clearing: "" for text / numbers, {} for the others. The item name is the `name` key.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { INTENT_LEVELS, type Customer } from '../../model';
import type { CustomerPatch, MappableCustomerField, RemoteFieldValues } from '../port';
import { MAPPABLE_CUSTOMER_FIELDS } from '../spec';
import { conversionError, notWritableError, parseInstant, parseNumber, reservedError, splitList, toText, type TemplateValue } from '../template-values';
import { findColumn } from './boards';
import type { MondayConfig } from './config';
import type { Board, Column, ColumnValue } from './objects';
import { mondaySpec } from './spec';

export const WRITABLE_TYPES = ['name', 'text', 'long_text', 'numbers', 'phone', 'email', 'status', 'date', 'dropdown'] as const;
const writable = (c: Column) => (WRITABLE_TYPES as readonly string[]).includes(c.type);

export type CustomerColumns = Partial<Record<MappableCustomerField, Column>>;

/** The mapped customer fields that exist on the board as writable columns, and the mapped ones that do not. */
export function customerColumns(config: MondayConfig, b: Board): { columns: CustomerColumns; missing: string[] } {
  const names = { ...mondaySpec.defaultMapping.customer, ...config.mapping.customer } as Partial<Record<MappableCustomerField, string>>;
  const columns: CustomerColumns = {};
  const missing: string[] = [];
  for (const f of MAPPABLE_CUSTOMER_FIELDS) {
    const ref = names[f];
    if (!ref) continue;
    const c = ref === 'name' ? { id: 'name', title: 'Name', type: 'name' } : findColumn(b, ref);
    if (c && writable(c)) columns[f] = c;
    else missing.push(ref);
  }
  return { columns, missing };
}

const pad = (n: number) => String(n).padStart(2, '0');
export function dateValue(ms: number): { date: string; time: string } {
  const d = new Date(ms);
  return { date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`, time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` };
}

/** countryShortName for an E.164 number (monday requires an ISO-2 country with the phone). */
export function phoneValue(raw: string): { phone: string; countryShortName: string } | undefined {
  const p = parsePhoneNumberFromString(raw.trim(), 'CN');
  if (!p?.country) return undefined;
  return { phone: p.number, countryShortName: p.country };
}

/** A Liaison value encoded for a column, or undefined when the column cannot take it. `null` clears. */
export function encode(c: Column, v: unknown): unknown {
  const empty = v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
  if (empty) return c.type === 'text' || c.type === 'numbers' || c.type === 'name' ? '' : {};
  const list = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [String(v)];
  switch (c.type) {
    case 'name':
    case 'text':
      return list.join(', ');
    case 'long_text':
      return { text: list.join(', ') };
    case 'numbers': {
      const n = typeof v === 'number' ? v : Number(list[0]);
      return Number.isFinite(n) ? String(n) : undefined;
    }
    case 'phone':
      return phoneValue(list[0]!);
    case 'email':
      return { email: list[0], text: list[0] };
    case 'status':
      return { label: list[0] };
    case 'dropdown':
      return { labels: list };
    case 'date': {
      const ms = typeof v === 'number' ? v : parseInstant(list[0]!);
      return ms === undefined ? undefined : dateValue(ms);
    }
    default:
      return undefined;
  }
}

/** column_values for a customer (create) or a patch (update: only the keys present). */
export function customerValues(values: Partial<Customer> | CustomerPatch, columns: CustomerColumns, mode: 'create' | 'update'): { values: Record<string, unknown>; skipped: string[] } {
  const out: Record<string, unknown> = {};
  const skipped: string[] = [];
  for (const [f, c] of Object.entries(columns) as [MappableCustomerField, Column][]) {
    if (f === 'name' && mode === 'create') continue; // item_name
    if (!(f in values)) continue;
    const v = (values as Record<string, unknown>)[f];
    if (mode === 'create' && (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length))) continue;
    const enc = encode(c, v);
    if (enc === undefined) skipped.push(c.title);
    else out[c.id] = enc;
  }
  return { values: out, skipped };
}

function parsed(cv: ColumnValue): Record<string, unknown> | undefined {
  let v = cv.value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

const text = (cv: ColumnValue | undefined) => (cv?.text ?? '').trim();

/** A time from a date column: {date, time} in UTC. */
export function readDate(cv: ColumnValue | undefined): number | null | 'bad' {
  if (!cv) return null;
  const v = parsed(cv);
  if (!v || typeof v.date !== 'string' || !v.date) return text(cv) ? 'bad' : null;
  const t = Date.parse(`${v.date}T${typeof v.time === 'string' && v.time ? v.time : '00:00:00'}Z`);
  return Number.isFinite(t) ? t : 'bad';
}

/** The customer's fields from an item (port.ts RemoteFieldValues). */
export function customerFields(item: { name: string; column_values: ColumnValue[] }, columns: CustomerColumns): { fields: RemoteFieldValues; unreadable: string[] } {
  const fields: Record<string, unknown> = {};
  const unreadable: string[] = [];
  const byId = new Map(item.column_values.map((cv) => [cv.id, cv]));
  for (const [f, c] of Object.entries(columns) as [MappableCustomerField, Column][]) {
    if (f === 'name') {
      fields.name = item.name;
      continue;
    }
    const cv = byId.get(c.id);
    const t = text(cv);
    switch (f) {
      case 'phones': {
        const v = cv && c.type === 'phone' ? parsed(cv) : undefined;
        const raw = v && typeof v.phone === 'string' ? [v.phone] : t ? t.split(/[,;，；]\s*/) : [];
        const out = raw.map((p) => parsePhoneNumberFromString(p, (v?.countryShortName as never) ?? 'CN')?.number ?? p).filter(Boolean);
        fields.phones = out;
        break;
      }
      case 'email': {
        const v = cv && c.type === 'email' ? parsed(cv) : undefined;
        fields.email = (typeof v?.email === 'string' && v.email) || t || null;
        break;
      }
      case 'nextFollowUpAt': {
        const d = c.type === 'date' ? readDate(cv) : t ? parseInstant(t) ?? 'bad' : null;
        if (d === 'bad') unreadable.push(f);
        else fields.nextFollowUpAt = d;
        break;
      }
      case 'amount': {
        if (!t) fields.amount = null;
        else {
          const n = parseNumber(t);
          if (n === undefined || n < 0) unreadable.push(f);
          else fields.amount = n;
        }
        break;
      }
      case 'intentLevel':
        if (!t) fields.intentLevel = null;
        else if ((INTENT_LEVELS as readonly string[]).includes(t)) fields.intentLevel = t;
        else unreadable.push(f);
        break;
      case 'tags':
        fields.tags = t ? t.split(/,\s*/).filter(Boolean) : [];
        break;
      case 'notes': {
        const v = cv && c.type === 'long_text' ? parsed(cv) : undefined;
        fields.notes = (typeof v?.text === 'string' && v.text) || t || null;
        break;
      }
      default:
        fields[f] = t || null;
    }
  }
  return { fields: fields as RemoteFieldValues, unreadable };
}

/**
 * Template values (WriteOptions.fields) as column_values: the column is found by title or id
 * and the value converted to its type; a column the board lacks is sent under the given name for
 * monday to refuse by name (InvalidColumnIdException).
 */
export function templateValues(b: Board, fields: Record<string, TemplateValue> | undefined, reserved: (c: Column) => string | undefined, vendor = 'monday'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(fields ?? {})) {
    const c = findColumn(b, name);
    if (!c) {
      out[name] = toText(v);
      continue;
    }
    const why = reserved(c);
    if (why) throw reservedError(vendor, name, why);
    if (!writable(c) || c.type === 'name') {
      if (c.type === 'name') {
        out.name = toText(v);
        continue;
      }
      throw notWritableError(vendor, name, c.type);
    }
    const value = c.type === 'dropdown' ? splitList(v) : c.type === 'date' ? parseInstant(v) : v;
    const enc = value === undefined ? undefined : encode(c, value);
    if (enc === undefined || (c.type === 'numbers' && parseNumber(v) === undefined)) throw conversionError(vendor, name, c.type === 'numbers' ? 'number' : c.type === 'date' ? 'datetime' : c.type === 'phone' ? 'phone' : c.type);
    out[c.id] = enc;
  }
  return out;
}
