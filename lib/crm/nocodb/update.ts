// updateCustomer: PATCH [{Id, …}] with the patched columns only (a present-but-empty value clears
// the cell). Setting the same values twice is harmless, so a replay after a lost reply is safe.
// A row deleted in NocoDB → not-found, and the outbox re-links the customer. Template values
// (opts.fields) go on top, typed by the column types. A 客户编号 NocoDB computes is never written.
import type { CustomerPatch, RemoteRef, WriteOptions } from '../port';
import type { NocodbContext } from './client';
import { tableMeta } from './meta';
import { updateRow } from './records';
import { tableId } from './tables';
import { templateCells } from './template-cells';
import { allocatedCodeColumn, checkSelects, customerRow, fieldNames } from './values';

export async function updateCustomer(ctx: NocodbContext, remoteId: string, patch: CustomerPatch, opts: WriteOptions): Promise<RemoteRef> {
  const names = fieldNames(ctx.config);
  const table = await tableId(ctx, 'customers', opts.signal);
  const t = await templateCells(ctx, table, await tableMeta(ctx, table, opts.signal), 'customer', names, opts.fields, opts.signal);
  const meta = t.meta;
  const row = { ...customerRow(patch, names, meta, 'patch'), ...t.cells };
  checkSelects(meta, row);
  await updateRow(ctx, table, remoteId, row, opts.signal);
  // An allocated 客户编号 (codes.ts) is never in the patch: no code to report, and the row Id is not one.
  if (allocatedCodeColumn(meta, names)) return { remoteId };
  const code = names.customer.code ? row[names.customer.code] : undefined;
  return { remoteId, remoteCode: typeof code === 'string' && code ? code : remoteId };
}
