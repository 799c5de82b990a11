// createCustomer: one row in 客户, after checking select values against the column options.
// NocoDB has neither upsert nor idempotency keys: the outbox searches before every create of this
// 'lookup' CRM (by phone, email and 客户编号 when Liaison writes it), and again after a lost reply,
// so this POST is only made when the customer is not there yet. Template values (opts.fields) go
// on top of the mapped columns, typed by the column types (template-cells.ts).
// When NocoDB allocates 客户编号 (a Formula on the row id, codes.ts) Liaison's own code is not
// written; the allocated one is read back and returned as remoteCode, with the row's marker.
import type { Customer } from '../../model';
import type { RemoteRef, WriteOptions } from '../port';
import type { NocodbContext } from './client';
import { readBackCodes } from './codes';
import { tableMeta } from './meta';
import { insertRow } from './records';
import { tableId } from './tables';
import { templateCells } from './template-cells';
import { allocatedCodeColumn, checkSelects, customerRow, fieldNames } from './values';

export async function createCustomer(ctx: NocodbContext, customer: Customer, opts: WriteOptions): Promise<RemoteRef> {
  const names = fieldNames(ctx.config);
  const table = await tableId(ctx, 'customers', opts.signal);
  const t = await templateCells(ctx, table, await tableMeta(ctx, table, opts.signal), 'customer', names, opts.fields, opts.signal);
  const meta = t.meta;
  const row = { ...customerRow(customer, names, meta, 'create'), ...t.cells };
  checkSelects(meta, row);
  const id = await insertRow(ctx, table, row, opts.signal);
  const allocated = allocatedCodeColumn(meta, names);
  if (allocated) {
    const back = (await readBackCodes(ctx, table, meta, allocated, [id], opts.signal)).get(id);
    return { remoteId: id, ...(back?.code ? { remoteCode: back.code } : {}), ...(back?.marker ? { marker: back.marker } : {}) };
  }
  const codeWritten = names.customer.code && typeof row[names.customer.code] === 'string' ? (row[names.customer.code] as string) : undefined;
  return { remoteId: id, remoteCode: codeWritten ?? id };
}
