// Finding customers precisely, because the outbox's search-before-create (idempotency 'lookup')
// is what keeps a retried create from duplicating: one list request with an ~or of exact (eq)
// conditions on 电话 (E.164 as Liaison writes it, national digits as people type) and 客户编号,
// a case-insensitive like on 邮箱; a name is a `like` match, only used when nothing else is known. Every hit is checked
// again locally (matchedBy), so a loose server-side match never passes as a customer.
import { normalizePhone } from '../../phone';
import type { CustomerQuery, RemoteCustomer } from '../port';
import type { NocodbContext } from './client';
import { candidateFields, CANDIDATE_KEYS } from './read-values';
import { listAll, whereOf, type Condition } from './records';
import { tableId } from './tables';
import { fieldNames, normalizedPhoneOf, phoneVariants, rowId, toRemoteCustomer, type FieldNames } from './values';

/** Phones per lookup request in an import: 2 forms each → 80 conditions, a URL well under 8 KB. */
export const PHONES_PER_LOOKUP = 40;

/** What a lookup asks for: the match keys, and what the candidate line beside the chat shows (stage, grade, owner…). */
function lookupFields(names: FieldNames): string[] {
  const n = names.customer;
  const shown = CANDIDATE_KEYS.map((k) => n[k]);
  return ['Id', ...new Set([n.code, n.name, n.phones, n.email, n.company, ...shown].filter((x): x is string => !!x && !/[(),~]/.test(x)))];
}

export async function findCustomers(ctx: NocodbContext, query: CustomerQuery, signal?: AbortSignal): Promise<RemoteCustomer[]> {
  const names = fieldNames(ctx.config);
  const n = names.customer;
  const conds: Condition[] = [];
  if (query.phone && n.phones) {
    const e164 = normalizePhone(query.phone);
    const forms = e164 ? phoneVariants(e164) : [query.phone.replace(/[^\d+]/g, '')].filter(Boolean);
    for (const v of forms) conds.push({ field: n.phones, op: 'eq', value: v });
  }
  if (query.code?.trim() && n.code) conds.push({ field: n.code, op: 'eq', value: query.code.trim() });
  // SQLite's eq is case-sensitive and people type emails in any case; like is not (the hit is re-checked exactly below).
  if (query.email?.trim() && n.email) conds.push({ field: n.email, op: 'like', value: query.email.trim() });
  if (query.name?.trim() && n.name) conds.push({ field: n.name, op: 'like', value: `%${query.name.trim()}%` });
  const where = whereOf(conds);
  if (!where) return [];
  const table = await tableId(ctx, 'customers', signal);
  const rows = await listAll(ctx, table, { where, fields: lookupFields(names), maxPages: 5, signal });
  return rows
    .map((r) => {
      const c = toRemoteCustomer(r, names, query);
      const fields = candidateFields(r, names);
      return c && Object.keys(fields ?? {}).length ? { ...c, fields } : c;
    })
    .filter((c): c is RemoteCustomer => !!c && c.matchedBy.length > 0);
}

/** Which of these E.164 phones the customers table already holds: phone → record Id. */
export async function findPhones(ctx: NocodbContext, table: string, phones: string[], signal?: AbortSignal): Promise<Map<string, string>> {
  const names = fieldNames(ctx.config);
  const field = names.customer.phones;
  const found = new Map<string, string>();
  if (!field) return found;
  for (let i = 0; i < phones.length; i += PHONES_PER_LOOKUP) {
    const chunk = phones.slice(i, i + PHONES_PER_LOOKUP);
    const where = whereOf(chunk.flatMap((p) => phoneVariants(p).map((v) => ({ field, op: 'eq' as const, value: v }))));
    if (!where) continue;
    const rows = await listAll(ctx, table, { where, fields: ['Id', field], signal });
    for (const r of rows) {
      const p = normalizedPhoneOf(r, names);
      const id = rowId(r);
      if (p && id && !found.has(p)) found.set(p, id);
    }
  }
  return found;
}
