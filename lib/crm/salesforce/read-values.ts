// Salesforce fields → Liaison terms, for the read side: the connection's customer mapping
// (values.ts) applied in reverse, values converted back. What cannot be read is named, never
// guessed:
// - name: FirstName + LastName when the mapping writes the split name (splitName's inverse);
// - company: the Lead's Company, except the placeholder a create writes for a person without one
//   (个人客户, or the person's own name — Salesforce's B2C convention, values.ts) which reads as empty;
// - phones: the mapped phone field, then the other of MobilePhone/Phone (as a write fills them),
//   as E.164 where lib/phone can read the number, else as typed;
// - stage: the Lead Status picklist value back through the stage map. Several stages share one
//   status by default (已联系…谈判中 → Working - Contacted): such a status cannot say which
//   stage, so it is unreadable (the pull keeps the local stage); 'Closed - Converted' reads as 成交
//   (a converted lead is a won customer, values.ts) unless the user's map says otherwise;
// - dates: a date field (yyyy-mm-dd) as the local midnight it names (sfDate's inverse), a
//   datetime (…T…+0000) as its instant; currency/number as numbers; multi-select picklists
//   (a;b) as tags; every value checked against the customer model (lengths, enums) and named in
//   `unreadable` when it does not fit.
import { z } from 'zod';
import { customerSchema } from '../../model';
import { normalizePhone } from '../../phone';
import { CrmError } from '../errors';
import type { MappableCustomerField, RemoteCustomerRecord, RemoteFieldValues } from '../port';
import { MAPPABLE_CUSTOMER_FIELDS } from '../spec';
import { parseSfDate, parseSfDateTime } from './client';
import type { CustomerObject, SalesforceConfig } from './config';
import { customerMapping, DEFAULT_STAGE_MAP, LEAD_ONLY, PERSONAL_COMPANY } from './values';

type Config = Pick<SalesforceConfig, 'mapping' | 'stageMap'>;

/** The Salesforce fields Liaison key → field on `object` (Lead-only fields dropped for a Contact). */
function readableMapping(object: CustomerObject, config: Config): Partial<Record<MappableCustomerField, string>> {
  const map = customerMapping(config);
  const out: Partial<Record<MappableCustomerField, string>> = {};
  for (const k of MAPPABLE_CUSTOMER_FIELDS) {
    const field = map[k];
    if (field && !(object !== 'Lead' && LEAD_ONLY.has(field))) out[k] = field;
  }
  return out;
}

const otherPhone = (field: string) => (field === 'MobilePhone' ? 'Phone' : field === 'Phone' ? 'MobilePhone' : undefined);

/** The fields to ask for: the record's id and stamps, then every mapped field (and what its reading needs). */
export function customerReadFields(object: CustomerObject, config: Config): string[] {
  const map = readableMapping(object, config);
  const fields = new Set(['Id', 'LastModifiedDate', 'SystemModstamp']);
  for (const [k, f] of Object.entries(map) as [MappableCustomerField, string][]) {
    if (k === 'name' && f === 'LastName') fields.add('FirstName');
    fields.add(f);
    if (k === 'phones' && otherPhone(f)) fields.add(otherPhone(f)!);
  }
  return [...fields];
}

/** Liaison stage(s) a Lead Status stands for. */
export function stagesForStatus(status: string, config: Pick<SalesforceConfig, 'stageMap'>): string[] {
  const map = { ...DEFAULT_STAGE_MAP, ...(config.stageMap ?? {}) };
  const stages = Object.entries(map).filter(([, s]) => s === status).map(([stage]) => stage);
  if (!stages.length && status === 'Closed - Converted') return ['成交'];
  return stages;
}

const UNREADABLE = Symbol('unreadable');
type Read = unknown | typeof UNREADABLE;

function text(v: unknown): Read {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return UNREADABLE;
}

function readField(k: MappableCustomerField, field: string, row: Record<string, unknown>, object: CustomerObject, config: Config, name: unknown): Read {
  const v = row[field];
  switch (k) {
    case 'name': {
      if (field !== 'LastName') return text(v);
      const parts = [row.FirstName, row.LastName].map(text);
      if (parts.includes(UNREADABLE)) return UNREADABLE;
      return parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(' ') || null;
    }
    case 'company': {
      const t = text(v);
      // The placeholder a Lead create fills in for a person without a company reads as none.
      return typeof t === 'string' && (t === PERSONAL_COMPANY || (object === 'Lead' && t === name)) ? null : t;
    }
    case 'phones': {
      const other = otherPhone(field);
      const raw = [v, ...(other ? [row[other]] : [])];
      if (raw.some((p) => p !== null && p !== undefined && typeof p !== 'string')) return UNREADABLE;
      return raw.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => normalizePhone(p) ?? p.trim());
    }
    case 'stage': {
      const t = text(v);
      if (typeof t !== 'string') return t;
      const stages = stagesForStatus(t, config);
      return stages.length === 1 ? stages[0] : UNREADABLE;
    }
    case 'amount': {
      if (v === null || v === undefined || v === '') return null;
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim());
      return UNREADABLE;
    }
    case 'tags': {
      if (v === null || v === undefined || v === '') return [];
      if (typeof v !== 'string') return UNREADABLE;
      return v.split(';').map((x) => x.trim()).filter(Boolean);
    }
    case 'nextFollowUpAt': {
      if (v === null || v === undefined || v === '') return null;
      return parseSfDateTime(v) ?? parseSfDate(v) ?? UNREADABLE;
    }
    default:
      return text(v);
  }
}

/** What a search reply may carry for the candidate line beside the chat ("KH2025001 张伟 · 重点客户"). */
const CANDIDATE_KEYS = ['code', 'stage', 'grade', 'owner'] as const satisfies readonly MappableCustomerField[];

/** The mapped candidate fields of `object` to add to a search (no extra request: the same query carries them). */
export function candidateReadFields(object: CustomerObject, config: Config): string[] {
  const map = readableMapping(object, config);
  return [...new Set(CANDIDATE_KEYS.flatMap((k) => (map[k] ? [map[k]] : [])))];
}

/** Those fields of a search row in Liaison terms; what cannot be read is simply left out (a search shows, never merges). */
export function candidateFields(row: Record<string, unknown>, object: CustomerObject, config: Config): RemoteFieldValues {
  const map = readableMapping(object, config);
  const out: Record<string, unknown> = {};
  for (const k of CANDIDATE_KEYS) {
    const field = map[k];
    if (!field || !(field in row)) continue;
    const v = readField(k, field, row, object, config, undefined);
    if (v !== UNREADABLE && (v === null || customerSchema.shape[k].safeParse(v).success)) out[k] = v;
  }
  return out as RemoteFieldValues;
}

const stampRow = z.object({ Id: z.string().min(1), LastModifiedDate: z.string(), SystemModstamp: z.string() }).loose();
export const customerRowSchema = stampRow;

/**
 * A Lead/Contact row as a RemoteCustomerRecord. The marker is LastModifiedDate: what
 * If-Unmodified-Since is compared with (update.ts), and it moves on a user's save only — not when
 * an automated process or a new Task touches the record. modifiedAt is SystemModstamp, the field
 * changesSince filters on, so a pull's cursor follows the same clock as the filter.
 */
export function toRemoteRecord(row: z.infer<typeof stampRow>, object: CustomerObject, config: Config): RemoteCustomerRecord {
  const lastModified = parseSfDateTime(row.LastModifiedDate);
  const systemModstamp = parseSfDateTime(row.SystemModstamp);
  if (lastModified === undefined || systemModstamp === undefined) {
    throw new CrmError('validation', `unexpected reply from Salesforce: ${object} ${lastModified === undefined ? 'LastModifiedDate' : 'SystemModstamp'} is not a datetime`);
  }
  const map = readableMapping(object, config);
  const fields: Record<string, unknown> = {};
  const unreadable: string[] = [];
  const name = map.name ? readField('name', map.name, row, object, config, undefined) : undefined;
  for (const [k, field] of Object.entries(map) as [MappableCustomerField, string][]) {
    const v = k === 'name' ? name : readField(k, field, row, object, config, name);
    // Within what the customer record holds (lengths, enums, non-negative amounts), or unreadable.
    if (v === UNREADABLE || (v !== null && !customerSchema.shape[k].safeParse(v).success)) unreadable.push(k);
    else fields[k] = v;
  }
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  return {
    remoteId: row.Id,
    ...(code ? { remoteCode: code } : {}),
    marker: String(lastModified),
    modifiedAt: systemModstamp,
    fields: fields as RemoteFieldValues,
    ...(unreadable.length ? { unreadable } : {}),
  };
}
