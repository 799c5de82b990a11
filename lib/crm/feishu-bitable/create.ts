// createCustomer: one record in 客户信息表 with 同步状态 = 已同步 and 创建时间 = the customer's
// createdAt (stable across retries, so a retried body is identical and client_token replays it).
// Template values (opts.fields) go on top, typed by the table's fields (template-cells.ts).
import type { Customer } from '../../model';
import type { RemoteRef, WriteOptions } from '../port';
import type { FeishuContext } from './client';
import { createIdempotent } from './idempotent';
import { tableId } from './tables';
import { templateCells } from './template-cells';
import { customerFields, fieldNames } from './values';

export async function createCustomer(ctx: FeishuContext, customer: Customer, opts: WriteOptions): Promise<RemoteRef> {
  const names = fieldNames(ctx.config);
  const table = await tableId(ctx, 'customers', opts.signal);
  const fields = { ...customerFields(customer, names, 'create'), ...(await templateCells(ctx, table, 'customer', names, opts.fields, opts.signal)) };
  const codeField = names.customer.code;
  const rec = await createIdempotent(ctx, table, fields, opts.idempotencyKey, customer.code && codeField ? { field: codeField, value: customer.code } : undefined, opts.signal);
  return { remoteId: rec.record_id, ...(customer.code ? { remoteCode: customer.code } : {}) };
}
