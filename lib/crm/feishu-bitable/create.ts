// createCustomer: one record in 客户信息表 with 同步状态 = 已同步 and 创建时间 = the customer's
// createdAt (stable across retries, so a retried body is identical and client_token replays it).
// Template values (opts.fields) go on top, typed by the table's fields (template-cells.ts).
//
// When 客户ID is a Bitable 自动编号 (settings.code_auto), it is never written: Bitable numbers the
// record, and that number is the customer's code (remoteCode). The create reply echoes only the
// cells written (新增记录: the automatic fields "本接口不返回"), so the code is read back with one
// batch_get. If that read fails, the create still stands (the code arrives with the next pull):
// failing it would only make the outbox send the create again.
import type { Customer } from '../../model';
import { normalizePhone } from '../../phone';
import { CrmError } from '../errors';
import type { RemoteRef, WriteOptions } from '../port';
import type { FeishuContext } from './client';
import { textOf } from './decode';
import { writeCustomer } from './code-field';
import { createIdempotent } from './idempotent';
import { batchGetRecords, BATCH_GET_MAX } from './records';
import { tableId } from './tables';
import { templateCells } from './template-cells';
import { customerFields, type FieldNames } from './values';

/** What identifies the record a first attempt made, if a retry meets 1255006 (see idempotent.ts). */
function reconcileKey(customer: Customer, names: FieldNames): { field: string; value: string } | undefined {
  const code = names.customer.code;
  if (code && !names.computed.has(code) && customer.code) return { field: code, value: customer.code };
  // With an auto-numbered 客户ID, Liaison's code is not in the row: the phone is (E.164, as written).
  const phone = customer.phones.map((p) => normalizePhone(p)).find((p): p is string => !!p);
  return names.customer.phones && phone ? { field: names.customer.phones, value: phone } : undefined;
}

export async function createCustomer(ctx: FeishuContext, customer: Customer, opts: WriteOptions): Promise<RemoteRef> {
  const table = await tableId(ctx, 'customers', opts.signal);
  const { rec, names } = await writeCustomer(ctx, table, async (names) => {
    const fields = { ...customerFields(customer, names, 'create'), ...(await templateCells(ctx, table, 'customer', names, opts.fields, opts.signal)) };
    return { rec: await createIdempotent(ctx, table, fields, opts.idempotencyKey, reconcileKey(customer, names), opts.signal), names };
  }, opts.signal);
  const codeField = names.customer.code;
  if (!codeField || !names.computed.has(codeField)) return { remoteId: rec.record_id, ...(customer.code ? { remoteCode: customer.code } : {}) };
  const codes = await assignedCodes(ctx, table, [rec.record_id], codeField, opts.signal);
  const got = codes.get(rec.record_id);
  return { remoteId: rec.record_id, ...(got?.code ? { remoteCode: got.code } : {}), ...(got?.marker ? { marker: got.marker } : {}) };
}

/**
 * The auto-numbered codes (and markers) of records just created, read with batch_get (100 a call).
 * A failed read leaves those records out: the writes stand, their codes come with the next pull.
 */
export async function assignedCodes(ctx: FeishuContext, table: string, ids: string[], codeField: string, signal?: AbortSignal): Promise<Map<string, { code?: string; marker?: string }>> {
  const out = new Map<string, { code?: string; marker?: string }>();
  for (let i = 0; i < ids.length; i += BATCH_GET_MAX) {
    try {
      const got = await batchGetRecords(ctx, table, ids.slice(i, i + BATCH_GET_MAX), signal);
      for (const r of got.records) {
        const code = textOf(r.fields[codeField])?.trim();
        out.set(r.record_id, { ...(code ? { code } : {}), ...(r.last_modified_time !== undefined ? { marker: String(r.last_modified_time) } : {}) });
      }
    } catch (e) {
      if (!(e instanceof CrmError) || signal?.aborted) throw e;
    }
  }
  return out;
}
