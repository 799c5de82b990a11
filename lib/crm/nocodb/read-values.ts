// NocoDB rows → Liaison terms, for the read side (read.ts). The reverse of values.ts: the
// connection's column titles mapped back to Liaison fields, values converted from the shapes
// NocoDB 0.301.3 returns (checked on the real server, 2026-12-06): select cells as the option's
// text, MultiSelect as "a,b", Number/Decimal/Currency as JSON numbers, PhoneNumber as typed,
// Date as "2026-12-01", DateTime and the system times as "2026-12-01 10:00:00+00:00" (UTC,
// to the second; UpdatedAt is null until a row is first edited), a user-added CreatedBy column
// as {id, email, display_name}. Every converted value is checked against Liaison's own model
// (lib/model customerSchema): what does not fit is left out and named in `unreadable`, never guessed.
import { ZodOptional, type ZodType } from 'zod';
import { customerSchema, DEAL_STATUSES, FOLLOW_UP_METHODS, FOLLOW_UP_RESULTS } from '../../model';
import { normalizePhone } from '../../phone';
import { CrmError } from '../errors';
import type { MappableCustomerField, RemoteCustomer, RemoteCustomerRecord, RemoteDeal, RemoteFieldValues, RemoteFollowUp } from '../port';
import { MAPPABLE_CUSTOMER_FIELDS } from '../spec';
import { isTrue, type Column, type TableMeta } from './meta';
import { rowId, type FieldNames } from './values';

type Row = Record<string, unknown>;
type Read<T> = { ok: true; value: T | null } | { ok: false };
const empty = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && !v.trim()) || (Array.isArray(v) && v.length === 0);

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An instant from a NocoDB cell. DateTime cells always carry their offset; a Date cell (no time)
 * is that day at 00:00 UTC, as values.ts writes Liaison's dates into Date columns. A time WITHOUT
 * an offset (typed into a text column) could be any zone: unreadable. A text column that Liaison
 * filled itself holds epoch ms (values.ts writes numbers as text there).
 */
export function readInstant(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (/^\d{12,13}$/.test(s)) return Number(s);
  const m = DATE_RE.exec(s);
  if (!m) return undefined;
  if (m[4] !== undefined && m[7] === undefined) return undefined;
  const iso = m[4] === undefined ? `${m[1]}-${m[2]}-${m[3]}T00:00:00Z` : `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${m[7] === 'Z' ? 'Z' : m[7]!.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

const asText = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() || undefined : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);

/** The model's schema for one customer field, without its optional wrapper. */
function fieldSchema(key: MappableCustomerField): ZodType {
  const s: ZodType = customerSchema.shape[key];
  return s instanceof ZodOptional ? (s.unwrap() as ZodType) : s;
}

/** One cell as the Liaison field `key`; `ok: false` when it cannot be read as one. */
export function readField(key: MappableCustomerField, raw: unknown): Read<unknown> {
  if (empty(raw)) return { ok: true, value: null };
  let v: unknown;
  switch (key) {
    case 'phones': {
      const p = asText(raw);
      const e164 = p ? normalizePhone(p) : null;
      if (!e164) return { ok: false };
      v = [e164];
      break;
    }
    case 'tags':
      v = (Array.isArray(raw) ? raw.map(asText) : (asText(raw) ?? '').split(',').map((s) => s.trim())).filter((s): s is string => !!s);
      break;
    case 'amount':
      v = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() && Number.isFinite(Number(raw)) ? Number(raw) : undefined;
      break;
    case 'nextFollowUpAt':
      v = readInstant(raw);
      break;
    default:
      v = asText(raw);
  }
  if (v === undefined) return { ok: false };
  const parsed = fieldSchema(key).safeParse(v);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
}

/** The customer fields a row carries, in Liaison terms; keys whose column the row lacks stay absent. */
export function readFields(row: Row, names: FieldNames, keys: readonly MappableCustomerField[] = MAPPABLE_CUSTOMER_FIELDS): { fields: RemoteFieldValues; unreadable: string[] } {
  const fields: Record<string, unknown> = {};
  const unreadable: string[] = [];
  for (const key of keys) {
    const title = names.customer[key];
    if (!title || !(title in row)) continue;
    const r = readField(key, row[title]);
    if (r.ok) fields[key] = r.value;
    else unreadable.push(key);
  }
  return { fields: fields as RemoteFieldValues, unreadable };
}

/** The modification marker: UpdatedAt, or CreatedAt for a row never edited (NocoDB leaves UpdatedAt null). */
export function modifiedAt(row: Row, times: { created?: string | undefined; updated?: string | undefined }): number | undefined {
  return (times.updated ? readInstant(row[times.updated]) : undefined) ?? (times.created ? readInstant(row[times.created]) : undefined);
}

/** The system time columns of a table by type (titled CreatedAt/UpdatedAt on tables NocoDB made). */
export function systemTimes(meta: TableMeta): { created?: string; updated?: string } {
  const pick = (uidt: string) => (meta.columns.find((c) => c.uidt === uidt && isTrue(c.system)) ?? meta.columns.find((c) => c.uidt === uidt))?.title;
  const created = pick('CreatedTime');
  const updated = pick('LastModifiedTime');
  return { ...(created ? { created } : {}), ...(updated ? { updated } : {}) };
}

function idOf(row: Row): string {
  const id = rowId(row);
  if (!id) throw new CrmError('validation', 'NocoDB: a row in the reply has no Id');
  return id;
}

export function toCustomerRecord(row: Row, names: FieldNames, times: { created?: string; updated?: string }): RemoteCustomerRecord {
  const remoteId = idOf(row);
  const { fields, unreadable } = readFields(row, names);
  const at = modifiedAt(row, times);
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  return {
    remoteId,
    remoteCode: code ?? remoteId,
    ...(at !== undefined ? { marker: String(at), modifiedAt: at } : {}),
    fields,
    ...(unreadable.length ? { unreadable } : {}),
  };
}

/** What a search reply already carries for the candidate line (no extra request). */
export const CANDIDATE_KEYS: readonly MappableCustomerField[] = ['code', 'stage', 'grade', 'owner', 'intentLevel'];
export function candidateFields(row: Row, names: FieldNames): RemoteCustomer['fields'] {
  const { fields } = readFields(row, names, CANDIDATE_KEYS);
  return fields;
}

/** The author a user-added CreatedBy column names (the system nc_created_by is never returned). */
function createdBy(row: Row, meta: TableMeta): string | undefined {
  for (const c of meta.columns) {
    if (c.uidt !== 'CreatedBy' || isTrue(c.system)) continue;
    const u = row[c.title];
    if (u && typeof u === 'object') {
      const o = u as Record<string, unknown>;
      return asText(o.display_name) ?? asText(o.email) ?? asText(o.id);
    }
  }
  return undefined;
}

export function createdByColumns(meta: TableMeta): Column[] {
  return meta.columns.filter((c) => c.uidt === 'CreatedBy' && !isTrue(c.system));
}

const oneOf = <T extends string>(list: readonly T[], v: unknown): T | undefined => (typeof v === 'string' && (list as readonly string[]).includes(v.trim()) ? (v.trim() as T) : undefined);

/** A follow-up row; undefined when it has no time at all (neither 跟进时间 nor CreatedAt). */
export function toFollowUp(row: Row, names: FieldNames, meta: TableMeta, times: { created?: string }): RemoteFollowUp | undefined {
  const n = names.followUp;
  const get = (title: string | undefined) => (title ? row[title] : undefined);
  const at = readInstant(get(n.at)) ?? (times.created ? readInstant(row[times.created]) : undefined);
  if (at === undefined) return undefined;
  const method = oneOf(FOLLOW_UP_METHODS, get(n.method));
  const result = oneOf(FOLLOW_UP_RESULTS, get(n.result));
  const nextAction = asText(get(n.nextAction));
  const nextAt = readInstant(get(n.nextAt));
  const by = asText(get(n.by)) ?? createdBy(row, meta);
  const key = asText(get(n.recordId));
  return {
    remoteId: idOf(row),
    at,
    content: asText(get(n.content)) ?? asText(get(n.summary)) ?? '',
    ...(method ? { method } : {}),
    ...(result ? { result } : {}),
    ...(nextAction ? { nextAction } : {}),
    ...(nextAt !== undefined ? { nextAt } : {}),
    ...(by ? { by } : {}),
    ...(key ? { liaisonKey: key } : {}),
  };
}

/**
 * A deal row. An empty 状态 reads as 进行中 (a deal nobody has closed or cancelled); a status
 * Liaison does not know makes the row unreadable (undefined): the port's RemoteDeal has no
 * place to say "unknown status", and a guess would put a cancelled deal among the live ones.
 */
export function toDeal(row: Row, names: FieldNames, meta: TableMeta, times: { created?: string }): RemoteDeal | undefined {
  const n = names.deal;
  const get = (title: string | undefined) => (title ? row[title] : undefined);
  const rawStatus = get(n.status);
  const status = empty(rawStatus) ? '进行中' : oneOf(DEAL_STATUSES, rawStatus);
  if (!status) return undefined;
  const amount = readField('amount', get(n.amount));
  const closedAt = readInstant(get(n.closedAt));
  const createdAt = times.created ? readInstant(row[times.created]) : undefined;
  const by = createdBy(row, meta);
  const key = asText(get(n.dealId));
  return {
    remoteId: idOf(row),
    product: asText(get(n.product)) ?? '',
    status,
    ...(amount.ok && typeof amount.value === 'number' ? { amount: amount.value } : {}),
    ...(closedAt !== undefined ? { closedAt } : {}),
    ...(createdAt !== undefined ? { createdAt } : {}),
    ...(by ? { by } : {}),
    ...(key ? { liaisonKey: key } : {}),
  };
}
