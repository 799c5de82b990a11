// Liaison records ↔ NocoDB row values. Column titles come from spec.defaultMapping (the Chinese
// titles of the recommended tables), overridden by the connection's mapping, minus omit_fields;
// values are encoded by the column's ACTUAL type read from the meta API (a user's own table may
// keep 意向金额 as Currency or 标签 as MultiSelect), and columns the table lacks are skipped.
// Select values are checked against the column's options BEFORE sending: NocoDB would refuse the
// whole request, and the user should learn which field and which values are allowed.
import { queryMatches } from '../query-match';
import { resolveFieldNames, type FieldNames as SharedFieldNames } from '../field-names';
import type { Deal, FollowUp } from '../../model';
import { normalizePhone } from '../../phone';
import { CrmError } from '../errors';
import type { MAPPABLE_CUSTOMER_FIELDS, MAPPABLE_DEAL_FIELDS, MAPPABLE_FOLLOW_UP_FIELDS } from '../spec';
import type { CustomerPatch, CustomerQuery, RemoteCustomer } from '../port';
import type { NocodbConfig } from './config';
import { selectOptions, type Column, type TableMeta } from './meta';
import { DATE_TYPES, NUMBER_TYPES } from './schema';
import { nocodbSpec } from './spec';

type CustomerKey = (typeof MAPPABLE_CUSTOMER_FIELDS)[number] | 'lastContactAt';
type FollowUpKey = (typeof MAPPABLE_FOLLOW_UP_FIELDS)[number] | 'recordId';
type DealKey = (typeof MAPPABLE_DEAL_FIELDS)[number] | 'dealId';

/** Columns of the recommended tables outside the mappable set: written when the table has them. */
export const CUSTOMER_EXTRA_FIELDS = { lastContactAt: '最后联系' } as const;
export const FOLLOW_UP_EXTRA_FIELDS = { recordId: '记录ID' } as const;
export const DEAL_EXTRA_FIELDS = { dealId: '成交ID' } as const;

export type FieldNames = SharedFieldNames<CustomerKey, FollowUpKey, DealKey>;

export function fieldNames(config: Pick<NocodbConfig, 'mapping' | 'omit_fields'>): FieldNames {
  return resolveFieldNames<CustomerKey, FollowUpKey, DealKey>(
    { customer: CUSTOMER_EXTRA_FIELDS, followUp: FOLLOW_UP_EXTRA_FIELDS, deal: DEAL_EXTRA_FIELDS },
    nocodbSpec.defaultMapping,
    config.mapping,
    config.omit_fields,
  );
}

/** NocoDB stores and returns times as "YYYY-MM-DD HH:mm:ss+00:00"; writing the same form avoids any parsing doubt. */
export function toNocoDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}
export function fromNocoDateTime(v: unknown): number | undefined {
  if (typeof v !== 'string' || !v.trim()) return undefined;
  const t = Date.parse(v.trim().replace(' ', 'T'));
  return Number.isNaN(t) ? undefined : t;
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && !v.trim()) || (Array.isArray(v) && v.length === 0);

/**
 * One Liaison value as the column's type takes it, or undefined when it cannot be written there
 * (a name into a number column): left out rather than refused, the setup report names such columns.
 */
export function encodeFor(col: Column, raw: unknown): unknown {
  if (blank(raw)) return undefined;
  if (NUMBER_TYPES.includes(col.uidt)) {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
    return Number.isFinite(n) ? n : undefined;
  }
  if (DATE_TYPES.includes(col.uidt)) {
    if (typeof raw !== 'number' || !Number.isFinite(raw)) return undefined;
    return col.uidt === 'Date' ? new Date(raw).toISOString().slice(0, 10) : toNocoDateTime(raw);
  }
  if (col.uidt === 'Checkbox') return undefined;
  if (Array.isArray(raw)) {
    const items = raw.filter((x): x is string => typeof x === 'string' && !!x.trim()).map((x) => x.trim());
    return items.length ? items.join(',') : undefined;
  }
  if (typeof raw === 'number') return String(raw);
  return typeof raw === 'string' ? raw : undefined;
}

export interface SelectProblem {
  field: string;
  value: string;
  allowed: string[];
}

/** Values outside a select column's options (for MultiSelect each comma-separated item). */
export function selectProblems(meta: TableMeta, row: Record<string, unknown>): SelectProblem[] {
  const out: SelectProblem[] = [];
  for (const [title, v] of Object.entries(row)) {
    if (typeof v !== 'string') continue;
    const col = meta.columns.find((c) => c.title === title);
    const allowed = col ? selectOptions(col) : undefined;
    if (!allowed) continue;
    const values = col!.uidt === 'MultiSelect' ? v.split(',').map((s) => s.trim()).filter(Boolean) : [v];
    for (const value of values) if (!allowed.includes(value)) out.push({ field: title, value, allowed });
  }
  return out;
}

export function selectError(problems: SelectProblem[]): CrmError {
  const first = problems[0]!;
  const list = (a: string[]) => (a.length ? a.join('、') : '（无）');
  return new CrmError('validation', `NocoDB: "${first.field}" does not offer that value; allowed: ${first.allowed.join(', ') || '(none)'}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`, {
    vendorCode: 'SELECT_OPTION',
    userMessage: {
      zh_CN: `NocoDB 的「${first.field}」没有「${first.value}」这个选项，可选：${list(first.allowed)}。请在 NocoDB 中添加该选项或修改客户资料。`,
      en: `NocoDB's "${first.field}" has no option "${first.value}"; allowed: ${first.allowed.join(', ') || '(none)'}. Add the option in NocoDB or change the customer.`,
    },
  });
}

/** Throws CrmError('validation') naming the field and the allowed values. */
export function checkSelects(meta: TableMeta, row: Record<string, unknown>): void {
  const problems = selectProblems(meta, row);
  if (problems.length) throw selectError(problems);
}

/**
 * Columns NocoDB fills itself. Never written: a Formula or link in an insert is refused (400
 * "Column … is virtual and cannot be updated", 0.301.3), and an AutoNumber would take any value
 * (on SQLite it is a plain integer column): a code NocoDB allocates is read, never set.
 */
export const COMPUTED_TYPES = new Set([
  'ID', 'Formula', 'AutoNumber', 'CreatedTime', 'LastModifiedTime', 'CreatedBy', 'LastModifiedBy', 'Order', 'Lookup', 'Rollup',
  'Links', 'LinkToAnotherRecord', 'ForeignKey', 'Count', 'Button', 'Barcode', 'QrCode',
]);
/** 客户编号 column types whose value NocoDB computes: the code is the CRM's (issue 15 item 6). */
export const CRM_CODE_TYPES = ['Formula', 'AutoNumber'];

/** The mapped 客户编号 column when NocoDB allocates its values (a Formula on the row id, an AutoNumber). */
export function allocatedCodeColumn(meta: TableMeta, names: FieldNames): string | undefined {
  const title = names.customer.code;
  const col = title ? meta.columns.find((c) => c.title === title) : undefined;
  return col && CRM_CODE_TYPES.includes(col.uidt) ? col.title : undefined;
}

/** Puts the encoded values of the columns the table has; in patch mode an empty value clears the cell. */
function build(meta: TableMeta, pairs: [string | undefined, unknown][], mode: 'create' | 'patch'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [title, raw] of pairs) {
    if (!title) continue;
    const col = meta.columns.find((c) => c.title === title);
    if (!col || COMPUTED_TYPES.has(col.uidt)) continue;
    const v = encodeFor(col, raw);
    if (v !== undefined) out[title] = v;
    else if (mode === 'patch' && blank(raw)) out[title] = null;
  }
  return out;
}

const CUSTOMER_KEYS: CustomerKey[] = [
  'code', 'name', 'company', 'phones', 'wechatId', 'email', 'source', 'product', 'amount', 'intentLevel', 'stage', 'grade',
  'tags', 'owner', 'keyword', 'notes', 'nextFollowUpAt', 'lastContactAt',
];

/** Row values for a create (empty values left out) or an update (only keys present in the patch). */
export function customerRow(c: CustomerPatch, names: FieldNames, meta: TableMeta, mode: 'create' | 'patch'): Record<string, unknown> {
  const pairs: [string | undefined, unknown][] = [];
  for (const key of CUSTOMER_KEYS) {
    if (!(key in c)) continue;
    let v = (c as Record<string, unknown>)[key];
    // One phone column: the first (primary) number, in E.164 as Liaison keeps it.
    if (key === 'phones') v = Array.isArray(v) ? v.find((x) => typeof x === 'string' && x.trim()) : undefined;
    pairs.push([names.customer[key], v]);
  }
  return build(meta, pairs, mode);
}

export function followUpRow(f: FollowUp, names: FieldNames, meta: TableMeta): Record<string, unknown> {
  const n = names.followUp;
  return build(
    meta,
    [
      [n.recordId, f.id],
      [n.method, f.method],
      // 跟进内容 carries the summary when the content is empty (auto-logged follow-ups keep summaries only).
      [n.content, f.content?.trim() ? f.content : f.summary],
      [n.summary && n.summary !== n.content ? n.summary : undefined, f.summary],
      [n.result, f.result],
      [n.nextAction, f.nextAction],
      [n.nextAt, f.nextAt],
      [n.at, f.at],
      [n.by, f.by],
    ],
    'create',
  );
}

export function dealRow(d: Deal, names: FieldNames, meta: TableMeta): Record<string, unknown> {
  const n = names.deal;
  return build(
    meta,
    [
      [n.dealId, d.id],
      [n.product, d.product],
      [n.institution, d.institution],
      [n.amount, d.amount],
      [n.rate, d.rate],
      [n.termMonths, d.termMonths],
      [n.commission, d.commission],
      [n.status, d.status],
      [n.closedAt, d.closedAt],
    ],
    'create',
  );
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/** The forms a stored phone may take: what Liaison writes (E.164) and what people type (national digits). */
export function phoneVariants(e164: string): string[] {
  const out = new Set([e164]);
  if (e164.startsWith('+86')) out.add(e164.slice(3));
  return [...out];
}

export function normalizedPhoneOf(row: Record<string, unknown>, names: FieldNames): string | undefined {
  const raw = names.customer.phones ? text(row[names.customer.phones]) : undefined;
  return raw ? (normalizePhone(raw) ?? undefined) : undefined;
}

/** NocoDB's primary key: "Id" on tables it created, sometimes "id" on imported ones. */
export function rowId(row: Record<string, unknown>): string | undefined {
  const v = row.Id ?? row.id;
  return typeof v === 'number' || (typeof v === 'string' && v) ? String(v) : undefined;
}

/** remoteCode: the 客户编号 column when filled, else NocoDB's own record Id. */
export function toRemoteCustomer(row: Record<string, unknown>, names: FieldNames, query: CustomerQuery): RemoteCustomer | undefined {
  const id = rowId(row);
  if (!id) return undefined;
  const n = names.customer;
  const get = (k: keyof typeof n) => (n[k] ? text(row[n[k]!]) : undefined);
  const phone = normalizedPhoneOf(row, names);
  const code = get('code');
  const name = get('name') ?? '';
  const email = get('email');
  const company = get('company');
  const matchedBy = queryMatches(query, { phones: phone ? [phone] : [], email, code, name });
  return {
    remoteId: id,
    remoteCode: code ?? id,
    name,
    phones: phone ? [phone] : [],
    ...(email ? { email } : {}),
    ...(company ? { company } : {}),
    matchedBy,
  };
}
