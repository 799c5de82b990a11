// batchCreateCustomers: records/batch_create, at most 500 records a call (1254104 beyond). A call
// is all or nothing, so a refusal is reported on every item of that call; the client_token is
// derived from the items' idempotency keys, so the outbox retrying the same batch (even after a
// lost reply) gets the same records back instead of duplicates.
import type { Customer } from '../../model';
import { CrmError } from '../errors';
import type { BatchItemResult, OpOptions } from '../port';
import type { FeishuContext } from './client';
import { batchCreateRecords } from './records';
import { tableId } from './tables';
import { toUuidV4 } from './uuid';
import { customerFields, fieldNames } from './values';

export const BATCH_MAX = 500;

export async function batchCreateCustomers(ctx: FeishuContext, items: { customer: Customer; idempotencyKey: string }[], opts: OpOptions = {}): Promise<BatchItemResult[]> {
  const names = fieldNames(ctx.config);
  const table = await tableId(ctx, 'customers', opts.signal);
  const results: BatchItemResult[] = [];
  for (let i = 0; i < items.length; i += BATCH_MAX) {
    const chunk = items.slice(i, i + BATCH_MAX);
    const token = await toUuidV4(`batch:${chunk.map((x) => x.idempotencyKey).join('\n')}`);
    try {
      const records = await batchCreateRecords(ctx, table, chunk.map((x) => customerFields(x.customer, names, 'create')), token, opts.signal);
      chunk.forEach((x, j) => results.push({ ok: true, ref: { remoteId: records[j]!.record_id, ...(x.customer.code ? { remoteCode: x.customer.code } : {}) } }));
    } catch (e) {
      if (!(e instanceof CrmError)) throw e;
      for (const _ of chunk) results.push({ ok: false, error: e });
    }
  }
  return results;
}
