// Liaison records ↔ Bitable field values (多维表格记录数据结构): text/select as strings (text reads
// back as [{text,type}]), multi select as string[], numbers as numbers, dates as ms timestamps,
// phone as a string matching (\+)?\d* (we write E.164), links as record-id arrays, people as [{id}].
// Field names come from spec.defaultMapping (seed 000's Chinese names), overridden by the
// connection's mapping, minus the fields the user's tables lack (omit_fields).
import { queryMatches } from '../query-match';
import { resolveFieldNames, type FieldNames as SharedFieldNames } from '../field-names';
import type { Deal, FollowUp } from '../../model';
import { normalizePhone } from '../../phone';
import type { MAPPABLE_CUSTOMER_FIELDS, MAPPABLE_DEAL_FIELDS, MAPPABLE_FOLLOW_UP_FIELDS } from '../spec';
import type { CustomerPatch, CustomerQuery, RemoteCustomer } from '../port';
import type { FeishuConfig } from './config';
import { decodeCustomer } from './decode';
import { feishuBitableSpec } from './spec';

type CustomerKey = (typeof MAPPABLE_CUSTOMER_FIELDS)[number] | 'createdAt' | 'lastContactAt' | 'syncState';
type FollowUpKey = (typeof MAPPABLE_FOLLOW_UP_FIELDS)[number] | 'recordId' | 'customer';
type DealKey = (typeof MAPPABLE_DEAL_FIELDS)[number] | 'dealId' | 'customer';

/** Seed 000 fields outside the mappable set: written when the table has them. */
export const CUSTOMER_EXTRA_FIELDS = { createdAt: '创建时间', lastContactAt: '最后联系', syncState: '同步状态' } as const;
export const FOLLOW_UP_EXTRA_FIELDS = { recordId: '记录ID', customer: '客户ID' } as const;
export const DEAL_EXTRA_FIELDS = { dealId: '成交ID', customer: '客户ID' } as const;
/** 同步状态 after a successful write (seed 000). */
export const SYNCED = '已同步';

export type FieldNames = SharedFieldNames<CustomerKey, FollowUpKey, DealKey> & {
  /** Customer fields Bitable fills itself (客户ID as an auto number): read, never written. */
  computed: ReadonlySet<string>;
};

export function fieldNames(config: Pick<FeishuConfig, 'mapping' | 'omit_fields'> & { code_auto?: boolean }): FieldNames {
  const names = resolveFieldNames<CustomerKey, FollowUpKey, DealKey>(
    { customer: CUSTOMER_EXTRA_FIELDS, followUp: FOLLOW_UP_EXTRA_FIELDS, deal: DEAL_EXTRA_FIELDS },
    feishuBitableSpec.defaultMapping,
    config.mapping,
    config.omit_fields,
  );
  const code = names.customer.code;
  return { ...names, computed: new Set(config.code_auto && code ? [code] : []) };
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const ms = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined);
const list = (v: unknown) => (Array.isArray(v) && v.length ? v.filter((x): x is string => typeof x === 'string' && !!x.trim()) : undefined);
/** Bitable's phone type takes (\+)?\d*, so the E.164 form goes in unchanged; anything else is left out. */
const phone = (v: unknown) => {
  const first = Array.isArray(v) ? v.find((x) => typeof x === 'string') : undefined;
  return typeof first === 'string' && /^\+?\d{5,20}$/.test(first) ? first : undefined;
};

const CUSTOMER_ENCODERS: Record<CustomerKey, (v: unknown) => unknown> = {
  code: str, name: str, company: str, phones: phone, wechatId: str, email: str, source: str, product: str, amount: num,
  intentLevel: str, stage: str, grade: str, tags: list, owner: str, keyword: str, notes: str, nextFollowUpAt: ms,
  createdAt: ms, lastContactAt: ms, syncState: str,
};

/**
 * Fields for a create ('create': empty values left out) or an update ('patch': only keys present
 * in the patch; present-but-empty clears the cell with null).
 */
export function customerFields(c: CustomerPatch & { createdAt?: number }, names: FieldNames, mode: 'create' | 'patch'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(names.customer) as [CustomerKey, string][]) {
    if (key === 'syncState' || !(key in c) || names.computed.has(name)) continue;
    const v = CUSTOMER_ENCODERS[key]((c as Record<string, unknown>)[key]);
    if (v !== undefined) out[name] = v;
    else if (mode === 'patch') out[name] = null;
  }
  if (names.customer.syncState) out[names.customer.syncState] = SYNCED;
  return out;
}

export function followUpFields(remoteCustomerId: string, f: FollowUp, names: FieldNames): Record<string, unknown> {
  const n = names.followUp;
  const out: Record<string, unknown> = {};
  const put = (name: string | undefined, v: unknown) => {
    if (name && v !== undefined) out[name] = v;
  };
  put(n.recordId, str(f.id));
  put(n.customer, [remoteCustomerId]);
  put(n.method, str(f.method));
  // 跟进内容 carries the summary when the content is empty (auto-logged follow-ups keep summaries only).
  put(n.content, str(f.content) ?? str(f.summary));
  if (n.summary && n.summary !== n.content) put(n.summary, str(f.summary));
  put(n.result, str(f.result));
  put(n.nextAction, str(f.nextAction));
  put(n.nextAt, ms(f.nextAt));
  put(n.at, ms(f.at));
  // 跟进人 is a person field: only a Feishu open_id can go there; a display name cannot.
  put(n.by, f.by && /^ou_\w+$/.test(f.by) ? [{ id: f.by }] : undefined);
  return out;
}

export function dealFields(remoteCustomerId: string, d: Deal, names: FieldNames): Record<string, unknown> {
  const n = names.deal;
  const out: Record<string, unknown> = {};
  const put = (name: string | undefined, v: unknown) => {
    if (name && v !== undefined) out[name] = v;
  };
  put(n.dealId, str(d.id));
  put(n.customer, [remoteCustomerId]);
  put(n.product, str(d.product));
  put(n.institution, str(d.institution));
  put(n.amount, num(d.amount));
  put(n.rate, num(d.rate));
  put(n.termMonths, num(d.termMonths));
  put(n.commission, num(d.commission));
  put(n.closedAt, ms(d.closedAt));
  put(n.status, str(d.status));
  return out;
}

/** Text of a cell as search returns it: a string, [{text,type}] segments, a number, or {text,link}. */
export function readText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) {
    const s = v.map((x) => (typeof x === 'string' ? x : x && typeof x === 'object' && typeof (x as { text?: unknown }).text === 'string' ? (x as { text: string }).text : '')).join('');
    return s || undefined;
  }
  if (typeof v === 'object' && typeof (v as { text?: unknown }).text === 'string') return (v as { text: string }).text;
  return undefined;
}

/** The forms a stored phone may take: what Liaison writes (E.164) and what people type (national digits). */
export function phoneVariants(e164: string): string[] {
  const out = new Set([e164]);
  if (e164.startsWith('+86')) out.add(e164.slice(3));
  return [...out];
}

export function normalizedPhoneOf(fields: Record<string, unknown>, names: FieldNames): string | undefined {
  const raw = names.customer.phones ? readText(fields[names.customer.phones]) : undefined;
  return raw ? (normalizePhone(raw) ?? undefined) : undefined;
}

/** What the candidate line beside the chat shows besides name and phone ("KH2025001 张伟 · 重点客户"). */
export const CANDIDATE_FIELDS = ['code', 'stage', 'grade', 'owner', 'intentLevel'] as const;

export function toRemoteCustomer(recordId: string, fields: Record<string, unknown>, names: FieldNames, query: CustomerQuery): RemoteCustomer {
  const n = names.customer;
  const get = (k: keyof typeof n) => (n[k] ? readText(fields[n[k]!]) : undefined);
  const phoneNorm = normalizedPhoneOf(fields, names);
  const code = get('code');
  const name = get('name') ?? '';
  const email = get('email');
  const company = get('company');
  const matchedBy = queryMatches(query, { phones: phoneNorm ? [phoneNorm] : [], email, code, name });
  // Only what the search reply already carries; empty and unreadable values are simply not shown.
  const extra = Object.fromEntries(Object.entries(decodeCustomer(fields, names, CANDIDATE_FIELDS).fields).filter(([, v]) => v !== null && v !== undefined));
  return {
    remoteId: recordId,
    ...(code ? { remoteCode: code } : {}),
    name,
    phones: phoneNorm ? [phoneNorm] : [],
    ...(email ? { email } : {}),
    ...(company ? { company } : {}),
    matchedBy,
    ...(Object.keys(extra).length ? { fields: extra } : {}),
  };
}

