// Finding customers (seed 000 dedupes by 电话 before creating; Liaison also matches 客户ID, email
// and name). One records/search with conjunction "or" over the query's keys; phones are matched
// in the forms they are stored (E.164 as Liaison writes, national digits as people type).
// Docs: 查询记录 POST …/records/search; 记录筛选参数填写说明 ('in' is documented as unsupported,
// so a set of phones is an OR of 'is' conditions).
import { normalizePhone } from '../../phone';
import type { CustomerQuery, RemoteCustomer } from '../port';
import type { FeishuContext } from './client';
import { searchAll, type FeishuRecord, type SearchBody } from './records';
import { tableId } from './tables';
import { CANDIDATE_FIELDS, fieldNames, normalizedPhoneOf, phoneVariants, toRemoteCustomer, type FieldNames } from './values';

/** Conditions per search. Bitable's own cap is not documented; 50 keeps filters modest. */
export const MAX_CONDITIONS = 50;

type Condition = NonNullable<SearchBody['filter']>['conditions'][number];

function lookupFields(names: FieldNames): string[] {
  const n = names.customer;
  return [...new Set([n.code, n.name, n.phones, n.email, n.company, ...CANDIDATE_FIELDS.map((k) => n[k])].filter((x): x is string => !!x))];
}

/**
 * The condition value for a code. An auto-numbered 客户ID is filtered by its sequence number only
 * (多维表格常见问题 § 6: "需将自定义的固定字符去除"): KH2026-0042 → "42", the trailing digits. The
 * matches are still checked against the whole code (queryMatches), so a number shared by another
 * prefix never counts as a match.
 */
function codeValue(code: string, auto: boolean): string | undefined {
  if (!auto) return code;
  const digits = /(\d+)\s*$/.exec(code)?.[1];
  return digits ? String(Number(digits)) : undefined;
}

export async function findCustomers(ctx: FeishuContext, query: CustomerQuery, signal?: AbortSignal): Promise<RemoteCustomer[]> {
  const names = fieldNames(ctx.config);
  const n = names.customer;
  const conditions: Condition[] = [];
  if (query.phone && n.phones) {
    const e164 = normalizePhone(query.phone);
    const forms = e164 ? phoneVariants(e164) : [query.phone.replace(/[^\d+]/g, '')].filter(Boolean);
    for (const v of forms) conditions.push({ field_name: n.phones, operator: 'is', value: [v] });
  }
  const codeCond = query.code && n.code ? codeValue(query.code.trim(), names.computed.has(n.code)) : undefined;
  if (codeCond && n.code) conditions.push({ field_name: n.code, operator: 'is', value: [codeCond] });
  if (query.email && n.email) conditions.push({ field_name: n.email, operator: 'is', value: [query.email.trim()] });
  if (query.name?.trim() && n.name) conditions.push({ field_name: n.name, operator: 'contains', value: [query.name.trim()] });
  if (!conditions.length) return [];
  const table = await tableId(ctx, 'customers', signal);
  const records = await searchAll(ctx, table, { field_names: lookupFields(names), filter: { conjunction: 'or', conditions } }, { pageSize: 100, maxPages: 5, signal });
  return records.map((r) => toRemoteCustomer(r.record_id, r.fields, names, query)).filter((c) => c.matchedBy.length > 0);
}

/**
 * Which of these E.164 phones the customers table already holds, `MAX_CONDITIONS` conditions per
 * search (each phone in its stored forms), every page followed. Returns phone → record id.
 */
export async function findPhones(ctx: FeishuContext, table: string, phones: string[], signal?: AbortSignal): Promise<Map<string, string>> {
  const names = fieldNames(ctx.config);
  const field = names.customer.phones;
  const found = new Map<string, string>();
  if (!field || !phones.length) return found;
  const groups: Condition[][] = [[]];
  for (const p of phones) {
    const conds = phoneVariants(p).map((v) => ({ field_name: field, operator: 'is', value: [v] }));
    if (groups.at(-1)!.length + conds.length > MAX_CONDITIONS) groups.push([]);
    groups.at(-1)!.push(...conds);
  }
  for (const conditions of groups) {
    const records = await searchAll(ctx, table, { field_names: [field], filter: { conjunction: 'or', conditions } }, { signal });
    collectPhones(records, names, found);
  }
  return found;
}

export function collectPhones(records: FeishuRecord[], names: FieldNames, into: Map<string, string>): void {
  for (const r of records) {
    const p = normalizedPhoneOf(r.fields, names);
    if (p && !into.has(p)) into.set(p, r.record_id);
  }
}
