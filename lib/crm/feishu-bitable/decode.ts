// Bitable cells read back into Liaison values (多维表格记录数据结构, 2025-04-01; 查询记录 and 批量获取记录
// reply examples): text comes as [{text,type}] segments (mentions and links are segments too; an
// email-typed text as a url segment), single select as a string, multi select as string[], person
// as [{id,name,en_name,email,avatar_url}] (name only with contact scopes), date/created/modified
// time as ms, phone as a string, auto number as a string, number as a number. An empty cell is
// left out of the reply. A value of another shape is not guessed at: the field is reported
// unreadable (RemoteCustomerRecord.unreadable) and left out.
import { customerSchema } from '../../model';
import { normalizePhone } from '../../phone';
import type { MappableCustomerField, RemoteFieldValues } from '../port';
import { MAPPABLE_CUSTOMER_FIELDS } from '../spec';
import type { FieldNames } from './values';

/** A cell's text: a string, null for an empty one, undefined for a shape that is not text. */
export function textOf(v: unknown): string | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v.trim() ? v : null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (Array.isArray(v)) {
    if (!v.length) return null;
    if (!v.every((x) => x && typeof x === 'object' && typeof (x as { text?: unknown }).text === 'string')) return undefined;
    const s = v.map((x) => (x as { text: string }).text).join('');
    return s.trim() ? s : null;
  }
  if (typeof v === 'object' && typeof (v as { text?: unknown }).text === 'string') {
    const s = (v as { text: string }).text;
    return s.trim() ? s : null;
  }
  return undefined;
}

interface Person {
  id: string;
  name?: string;
}
const isPerson = (x: unknown): x is Person => !!x && typeof x === 'object' && typeof (x as { id?: unknown }).id === 'string';

/** The people of a person cell ([{id,name…}], or one object as created_by comes), null when empty. */
export function peopleOf(v: unknown): Person[] | null | undefined {
  if (v === undefined || v === null) return null;
  if (isPerson(v)) return [v];
  if (!Array.isArray(v)) return undefined;
  if (!v.length) return null;
  return v.every(isPerson) ? v : undefined;
}

/** A person as Liaison shows an author or owner: their name, else their id. */
export const personName = (p: Person): string => (typeof p.name === 'string' && p.name.trim() ? p.name : p.id);

/** An epoch-ms cell (date, created/modified time), null when empty. */
export function msOf(v: unknown): number | null | undefined {
  if (v === undefined || v === null) return null;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

const SPLIT = /[,，、;；\n]+/;

type Decoded = { value: unknown } | { empty: true } | { unreadable: true };
const UNREADABLE: Decoded = { unreadable: true };
const EMPTY: Decoded = { empty: true };
const fromText = (t: string | null | undefined): Decoded => (t === undefined ? UNREADABLE : t === null ? EMPTY : { value: t.trim() });

function decodeField(key: MappableCustomerField, v: unknown): Decoded {
  switch (key) {
    case 'phones': {
      const raw = textOf(v);
      if (raw === undefined || raw === null) return fromText(raw);
      const parts = raw.split(/[,，;；/\n]+/).map((s) => s.trim()).filter(Boolean);
      const phones = parts.map((p) => normalizePhone(p));
      // Never guess: a number lib/phone cannot read makes the whole field unreadable.
      return phones.every((p): p is string => typeof p === 'string') ? { value: [...new Set(phones)] } : UNREADABLE;
    }
    case 'amount':
      if (v === undefined || v === null) return EMPTY;
      return typeof v === 'number' && Number.isFinite(v) ? { value: v } : UNREADABLE;
    case 'nextFollowUpAt': {
      const t = msOf(v);
      return t === undefined ? UNREADABLE : t === null ? EMPTY : { value: t };
    }
    case 'tags': {
      if (v === undefined || v === null) return EMPTY;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.length ? { value: v.map((x) => x.trim()).filter(Boolean) } : EMPTY;
      const t = textOf(v);
      return t === undefined || t === null ? fromText(t) : { value: t.split(SPLIT).map((x) => x.trim()).filter(Boolean) };
    }
    case 'owner': {
      const people = peopleOf(v);
      if (people === null) return EMPTY;
      if (people) return { value: personName(people[0]!) };
      return fromText(textOf(v));
    }
    default:
      return fromText(textOf(v));
  }
}

export interface DecodedCustomer {
  fields: RemoteFieldValues;
  unreadable: string[];
}

/**
 * The mapped customer fields of a record, in Liaison terms. `only` limits it to some fields (the
 * search reply of findCustomers carries a few). Each value is checked against Liaison's own
 * customer schema (enums, lengths), so what comes back can be stored as it is.
 */
export function decodeCustomer(cells: Record<string, unknown>, names: FieldNames, only?: readonly MappableCustomerField[]): DecodedCustomer {
  const fields: Record<string, unknown> = {};
  const unreadable: string[] = [];
  for (const key of only ?? MAPPABLE_CUSTOMER_FIELDS) {
    const name = names.customer[key];
    if (!name) continue; // not mapped: absent
    const d = decodeField(key, cells[name]);
    if ('empty' in d) fields[key] = null;
    else if ('unreadable' in d || !customerSchema.shape[key].safeParse(d.value).success) unreadable.push(key);
    else fields[key] = d.value;
  }
  return { fields: fields as RemoteFieldValues, unreadable };
}
