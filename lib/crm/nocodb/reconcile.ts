// After a lost reply (killed fetch, timeout, 5xx on a write) NocoDB may or may not have stored a
// batch, and it has no idempotency key to replay. So before retrying, the rows that did arrive are
// found by their keys (电话, else 客户编号) and only the missing ones are sent again.
import type { NocodbContext } from './client';
import { findPhones } from './find';
import { listAll, whereOf } from './records';
import { fieldNames, rowId } from './values';

export interface RowKey {
  phone?: string | undefined;
  code?: string | undefined;
}

/** For each key, the Id of the row already holding it (undefined when absent or unknowable). */
export async function existingIds(ctx: NocodbContext, table: string, keys: RowKey[], signal?: AbortSignal): Promise<(string | undefined)[]> {
  const phones = keys.map((k) => k.phone).filter((p): p is string => !!p);
  const byPhone = phones.length ? await findPhones(ctx, table, phones, signal) : new Map<string, string>();
  const codeField = fieldNames(ctx.config).customer.code;
  const codes = keys.filter((k) => !k.phone && k.code).map((k) => k.code!);
  const byCode = new Map<string, string>();
  if (codeField && codes.length) {
    for (let i = 0; i < codes.length; i += 50) {
      const where = whereOf(codes.slice(i, i + 50).map((c) => ({ field: codeField, op: 'eq' as const, value: c })));
      if (!where) continue;
      for (const r of await listAll(ctx, table, { where, fields: ['Id', codeField], signal })) {
        const code = r[codeField];
        const id = rowId(r);
        if (typeof code === 'string' && id && !byCode.has(code)) byCode.set(code, id);
      }
    }
  }
  return keys.map((k) => (k.phone ? byPhone.get(k.phone) : k.code ? byCode.get(k.code) : undefined));
}
