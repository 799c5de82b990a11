// batchCreateCustomers: records/batch_create, at most 500 records a call (1254104 beyond). A call
// is all or nothing, so a refusal is reported on every item of that call; the client_token is
// derived from the items' idempotency keys, so the outbox retrying the same batch (even after a
// lost reply) gets the same records back instead of duplicates. An item whose template values
// cannot be typed fails alone before the call, and the token is derived from the items sent.
import type { Customer } from '../../model';
import { CrmError } from '../errors';
import type { BatchItemResult, OpOptions } from '../port';
import type { TemplateFields } from '../template-values';
import type { FeishuContext } from './client';
import { batchCreateRecords } from './records';
import { tableId } from './tables';
import { templateCellsOrError } from './template-cells';
import { toUuidV4 } from './uuid';
import { customerFields, fieldNames } from './values';

export const BATCH_MAX = 500;

export interface BatchItem {
  customer: Customer;
  idempotencyKey: string;
  fields?: TemplateFields;
}

export async function batchCreateCustomers(ctx: FeishuContext, items: BatchItem[], opts: OpOptions = {}): Promise<BatchItemResult[]> {
  const names = fieldNames(ctx.config);
  const table = await tableId(ctx, 'customers', opts.signal);
  const results: BatchItemResult[] = [];
  for (let i = 0; i < items.length; i += BATCH_MAX) {
    const chunk = items.slice(i, i + BATCH_MAX);
    const out: (BatchItemResult | undefined)[] = new Array(chunk.length);
    const ready: { index: number; item: BatchItem; row: Record<string, unknown> }[] = [];
    for (const [j, item] of chunk.entries()) {
      const t = await templateCellsOrError(ctx, table, 'customer', names, item.fields, opts.signal);
      if (t.ok) ready.push({ index: j, item, row: { ...customerFields(item.customer, names, 'create'), ...t.cells } });
      else out[j] = { ok: false, error: t.error };
    }
    if (ready.length) {
      const token = await toUuidV4(`batch:${ready.map((r) => r.item.idempotencyKey).join('\n')}`);
      try {
        const records = await batchCreateRecords(ctx, table, ready.map((r) => r.row), token, opts.signal);
        ready.forEach((r, k) => (out[r.index] = { ok: true, ref: { remoteId: records[k]!.record_id, ...(r.item.customer.code ? { remoteCode: r.item.customer.code } : {}) } }));
      } catch (e) {
        if (!(e instanceof CrmError)) throw e;
        for (const r of ready) out[r.index] = { ok: false, error: e };
      }
    }
    results.push(...out.map((r): BatchItemResult => r ?? { ok: false, error: new CrmError('unknown-outcome', 'Feishu batch: no result for an item') }));
  }
  return results;
}
