// updateCustomer: PUT …/records/:record_id with the patched fields only (a present-but-empty key
// clears the cell with null) and 同步状态 = 已同步. A PUT of the same fields is naturally
// idempotent, so the key needs no client_token here. 1254043 (record gone) → not-found.
// Template values (opts.fields) go on top, typed by the table's fields. The reply carries no
// modification time (更新记录 leaves the automatic fields out), so no marker comes back.
import type { CustomerPatch, RemoteRef, WriteOptions } from '../port';
import type { FeishuContext } from './client';
import { updateRecord } from './records';
import { tableId } from './tables';
import { templateCells } from './template-cells';
import { writeCustomer } from './code-field';
import { customerFields } from './values';

export async function updateCustomer(ctx: FeishuContext, remoteId: string, patch: CustomerPatch, opts: WriteOptions): Promise<RemoteRef> {
  const table = await tableId(ctx, 'customers', opts.signal);
  const names = await writeCustomer(ctx, table, async (names) => {
    const fields = { ...customerFields(patch, names, 'patch'), ...(await templateCells(ctx, table, 'customer', names, opts.fields, opts.signal)) };
    await updateRecord(ctx, table, remoteId, fields, opts.signal);
    return names;
  }, opts.signal);
  // An auto-numbered 客户ID was not written (customerFields skips it): the patch's code is not the CRM's.
  const codeWritten = !!patch.code && !!names.customer.code && !names.computed.has(names.customer.code);
  return { remoteId, ...(codeWritten ? { remoteCode: patch.code } : {}) };
}
