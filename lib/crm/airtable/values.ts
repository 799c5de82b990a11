// Liaison records ↔ Airtable cell values, both ways. Writes go with typecast: true (Airtable
// converts "2026-03-05T…" to a date, a new select option is created when the token may), so
// values are sent as text/ISO/numbers; reads convert back and name what cannot be read.
// Airtable leaves empty cells out of a record's `fields` entirely: absent = empty (null).
import { normalizePhone } from '../../phone';
import { customerSchema, DEAL_STATUSES, FOLLOW_UP_METHODS, FOLLOW_UP_RESULTS, type Customer, type Deal, type FollowUp } from '../../model';
import type { CustomerPatch, MappableCustomerField, RemoteCustomerRecord, RemoteDeal, RemoteFieldValues, RemoteFollowUp, TaskInput } from '../port';
import { MAPPABLE_CUSTOMER_FIELDS } from '../spec';
import type { AirtableConfig } from './config';
import { airtableSpec, CUSTOMER_LINK_FIELD, LIAISON_KEY_FIELD } from './spec';

export type Cells = Record<string, unknown>;

export function customerMapping(config: Pick<AirtableConfig, 'mapping'>): Partial<Record<MappableCustomerField, string>> {
  return { ...airtableSpec.defaultMapping.customer, ...(config.mapping.customer ?? {}) };
}
export function followUpMapping(config: Pick<AirtableConfig, 'mapping'>): Record<string, string> {
  return { ...airtableSpec.defaultMapping.followUp, ...(config.mapping.followUp ?? {}) } as Record<string, string>;
}
export function dealMapping(config: Pick<AirtableConfig, 'mapping'>): Record<string, string> {
  return { ...airtableSpec.defaultMapping.deal, ...(config.mapping.deal ?? {}) } as Record<string, string>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The customer's mapped cells; an update ('patch') carries only what the patch has, null clears. */
export function customerCells(c: CustomerPatch, config: Pick<AirtableConfig, 'mapping' | 'stageMap'>): Cells {
  const map = customerMapping(config);
  const out: Cells = {};
  const set = (k: MappableCustomerField, v: unknown) => {
    const f = map[k];
    if (f && v !== undefined) out[f] = v === '' ? null : v;
  };
  set('name', c.name);
  set('code', c.code);
  if (c.phones !== undefined) set('phones', c.phones.length ? c.phones.join(', ') : null);
  set('email', c.email);
  set('company', c.company);
  set('source', c.source);
  set('product', c.product);
  if (c.stage !== undefined) set('stage', config.stageMap[c.stage] ?? c.stage);
  if (c.nextFollowUpAt !== undefined) set('nextFollowUpAt', iso(c.nextFollowUpAt));
  set('notes', c.notes);
  set('wechatId', c.wechatId);
  set('intentLevel', c.intentLevel);
  set('grade', c.grade);
  set('owner', c.owner);
  set('keyword', c.keyword);
  if (c.amount !== undefined) set('amount', c.amount);
  if (c.tags !== undefined) set('tags', c.tags.length ? c.tags : null);
  return out;
}

export function followUpCells(customerId: string, f: FollowUp, config: Pick<AirtableConfig, 'mapping'>, key: string): Cells {
  const m = followUpMapping(config);
  const out: Cells = { [CUSTOMER_LINK_FIELD]: [customerId], [LIAISON_KEY_FIELD]: key };
  const content = [f.summary ? `摘要：${f.summary}` : '', f.content].filter(Boolean).join('\n');
  if (m.content) out[m.content] = content;
  if (m.method) out[m.method] = f.method;
  if (m.result && f.result) out[m.result] = f.result;
  if (m.nextAction && f.nextAction) out[m.nextAction] = f.nextAction;
  if (m.nextAt && f.nextAt) out[m.nextAt] = iso(f.nextAt);
  if (m.at) out[m.at] = iso(f.at);
  if (m.by && f.by) out[m.by] = f.by;
  return out;
}

export function dealCells(customerId: string, d: Deal, config: Pick<AirtableConfig, 'mapping'>, key: string): Cells {
  const m = dealMapping(config);
  const out: Cells = { [CUSTOMER_LINK_FIELD]: [customerId], [LIAISON_KEY_FIELD]: key };
  if (m.product) out[m.product] = d.product;
  if (m.institution && d.institution) out[m.institution] = d.institution;
  if (m.amount && d.amount !== undefined) out[m.amount] = d.amount;
  if (m.status) out[m.status] = d.status;
  if (m.closedAt && d.closedAt) out[m.closedAt] = iso(d.closedAt);
  return out;
}

export function taskCells(customerId: string, t: TaskInput, key: string): Cells {
  return { 任务: t.title, [CUSTOMER_LINK_FIELD]: [customerId], 截止时间: iso(t.dueAt), ...(t.note ? { 说明: t.note } : {}), [LIAISON_KEY_FIELD]: key };
}

// ---- reading back ----

const UNREADABLE = Symbol('unreadable');

function text(v: unknown): unknown {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  // A single select read back with cellFormat json is its name; a collaborator {id,email,name}.
  if (typeof v === 'object' && v && 'name' in v && typeof (v as { name: unknown }).name === 'string') return (v as { name: string }).name;
  return UNREADABLE;
}
function instant(v: unknown): unknown {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') return UNREADABLE;
  // A date field is yyyy-mm-dd (the local midnight it names); a dateTime an ISO instant.
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (day) return new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])).getTime();
  const t = /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? UNREADABLE : t;
}

function readCell(k: MappableCustomerField, v: unknown, config: Pick<AirtableConfig, 'stageMap'>): unknown {
  switch (k) {
    case 'phones': {
      if (v === undefined || v === null || v === '') return [];
      if (typeof v !== 'string') return UNREADABLE;
      return v.split(/[,;，；\n]/).map((p) => p.trim()).filter(Boolean).map((p) => normalizePhone(p) ?? p);
    }
    case 'tags': {
      if (v === undefined || v === null) return [];
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
      return typeof v === 'string' ? v.split(/[,，]/).map((x) => x.trim()).filter(Boolean) : UNREADABLE;
    }
    case 'amount':
      if (v === undefined || v === null || v === '') return null;
      return typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : UNREADABLE;
    case 'nextFollowUpAt':
      return instant(v);
    case 'stage': {
      const t = text(v);
      if (typeof t !== 'string') return t;
      const back = Object.entries(config.stageMap).filter(([, opt]) => opt === t).map(([stage]) => stage);
      return back.length === 1 ? back[0] : back.length ? UNREADABLE : t;
    }
    default:
      return text(v);
  }
}

/** A stable digest of a record's cells: the marker where the table has no lastModifiedTime field. */
export function cellsDigest(fields: Cells): string {
  const json = JSON.stringify(Object.keys(fields).sort().map((k) => [k, fields[k]]));
  // FNV-1a 64 as two 32-bit halves: equality only, no security purpose.
  let h1 = 0x811c9dc5, h2 = 0xcbf29ce4;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x01000193 ^ 0x5bd1e995) >>> 0;
  }
  return `d${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}

export interface AirtableRecord {
  id: string;
  createdTime: string;
  fields: Cells;
}

/** `modifiedField`: the table's lastModifiedTime field, when it has one (its value is the marker's time). */
export function toRemoteRecord(r: AirtableRecord, config: Pick<AirtableConfig, 'mapping' | 'stageMap'>, modifiedField?: string): RemoteCustomerRecord {
  const map = customerMapping(config);
  const fields: Record<string, unknown> = {};
  const unreadable: string[] = [];
  for (const k of MAPPABLE_CUSTOMER_FIELDS) {
    const f = map[k];
    if (!f) continue;
    const v = readCell(k, r.fields[f], config);
    if (v === UNREADABLE || (v !== null && !customerSchema.shape[k].safeParse(v).success)) unreadable.push(k);
    else fields[k] = v;
  }
  const modified = modifiedField ? instant(r.fields[modifiedField]) : undefined;
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  return {
    remoteId: r.id,
    ...(code ? { remoteCode: code } : {}),
    marker: typeof modified === 'number' ? String(modified) : cellsDigest(r.fields),
    ...(typeof modified === 'number' ? { modifiedAt: modified } : {}),
    fields: fields as RemoteFieldValues,
    ...(unreadable.length ? { unreadable } : {}),
  };
}

const oneOf = <T extends string>(values: readonly T[], v: unknown): T | undefined => {
  const t = text(v);
  return typeof t === 'string' && (values as readonly string[]).includes(t) ? (t as T) : undefined;
};

export function toRemoteFollowUp(r: AirtableRecord, config: Pick<AirtableConfig, 'mapping'>): RemoteFollowUp {
  const m = followUpMapping(config);
  const at = m.at ? instant(r.fields[m.at]) : undefined;
  const nextAt = m.nextAt ? instant(r.fields[m.nextAt]) : undefined;
  const content = typeof text(r.fields[m.content ?? '']) === 'string' ? (text(r.fields[m.content!]) as string) : '';
  const out: RemoteFollowUp = { remoteId: r.id, at: typeof at === 'number' ? at : Date.parse(r.createdTime), content: content.replace(/^摘要：.*\n/, '') };
  const method = m.method ? oneOf(FOLLOW_UP_METHODS, r.fields[m.method]) : undefined;
  if (method) out.method = method;
  const result = m.result ? oneOf(FOLLOW_UP_RESULTS, r.fields[m.result]) : undefined;
  if (result) out.result = result;
  const nextAction = m.nextAction ? text(r.fields[m.nextAction]) : undefined;
  if (typeof nextAction === 'string') out.nextAction = nextAction;
  if (typeof nextAt === 'number') out.nextAt = nextAt;
  const by = m.by ? text(r.fields[m.by]) : undefined;
  if (typeof by === 'string') out.by = by;
  const key = r.fields[LIAISON_KEY_FIELD];
  if (typeof key === 'string' && key) out.liaisonKey = key;
  return out;
}

export function toRemoteDeal(r: AirtableRecord, config: Pick<AirtableConfig, 'mapping'>): RemoteDeal {
  const m = dealMapping(config);
  const product = text(r.fields[m.product ?? '']);
  const amount = m.amount ? r.fields[m.amount] : undefined;
  const closedAt = m.closedAt ? instant(r.fields[m.closedAt]) : undefined;
  const out: RemoteDeal = {
    remoteId: r.id,
    product: typeof product === 'string' ? product : '',
    status: (m.status ? oneOf(DEAL_STATUSES, r.fields[m.status]) : undefined) ?? '进行中',
    createdAt: Date.parse(r.createdTime),
  };
  if (typeof amount === 'number') out.amount = amount;
  if (typeof closedAt === 'number') out.closedAt = closedAt;
  const key = r.fields[LIAISON_KEY_FIELD];
  if (typeof key === 'string' && key) out.liaisonKey = key;
  return out;
}

/** For findCustomers: name, phones, email, company of a customer row. */
export function personOf(r: AirtableRecord, config: Pick<AirtableConfig, 'mapping' | 'stageMap'>): { name: string; phones: string[]; email?: string; company?: string; code?: string } {
  const rec = toRemoteRecord(r, config);
  const f = rec.fields;
  return {
    name: typeof f.name === 'string' ? f.name : '',
    phones: Array.isArray(f.phones) ? f.phones : [],
    ...(typeof f.email === 'string' ? { email: f.email } : {}),
    ...(typeof f.company === 'string' ? { company: f.company } : {}),
    ...(typeof f.code === 'string' ? { code: f.code } : {}),
  };
}

export type { Customer };
