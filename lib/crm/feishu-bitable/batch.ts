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
import { assignedCodes } from './create';
import { batchCreateRecords } from './records';
import { tableId } from './tables';
import { templateCellsOrError } from './template-cells';
import { toUuidV4 } from './uuid';
import { writeCustomer } from './code-field';
import { customerFields } from './values';

export const BATCH_MAX = 500;

export interface BatchItem {
  customer: Customer;
  idempotencyKey: string;
  fields?: TemplateFields;
}

type Ready = { index: number; item: BatchItem; row: Record<string, unknown> };

export async function batchCreateCustomers(ctx: FeishuContext, items: BatchItem[], opts: OpOptions = {}): Promise<BatchItemResult[]> {
  const table = await tableId(ctx, 'customers', opts.signal);
  const results: BatchItemResult[] = [];
  for (let i = 0; i < items.length; i += BATCH_MAX) {
    const chunk = items.slice(i, i + BATCH_MAX);
    let out: (BatchItemResult | undefined)[] = [];
    let ready: Ready[] = [];
    try {
      // The rows depend on the field names (an auto-numbered 客户ID is left out), so they are built
      // inside the write: writeCustomer may learn that 客户ID is an auto number and build them again.
      const { records, names } = await writeCustomer(ctx, table, async (names) => {
        out = new Array(chunk.length);
        ready = [];
        for (const [j, item] of chunk.entries()) {
          const t = await templateCellsOrError(ctx, table, 'customer', names, item.fields, opts.signal);
          if (t.ok) ready.push({ index: j, item, row: { ...customerFields(item.customer, names, 'create'), ...t.cells } });
          else out[j] = { ok: false, error: t.error };
        }
        if (!ready.length) return { records: [], names };
        const token = await toUuidV4(`batch:${ready.map((r) => r.item.idempotencyKey).join('\n')}`);
        return { records: await batchCreateRecords(ctx, table, ready.map((r) => r.row), token, opts.signal), names };
      }, opts.signal);
      const codeField = names.customer.code;
      // An auto-numbered 客户ID: the codes Bitable gave, read back (create.ts); else Liaison's own.
      const auto = records.length && codeField && names.computed.has(codeField) ? await assignedCodes(ctx, table, records.map((x) => x.record_id), codeField, opts.signal) : undefined;
      ready.forEach((r, k) => {
        const remoteId = records[k]!.record_id;
        const got = auto?.get(remoteId);
        const remoteCode = auto ? got?.code : r.item.customer.code || undefined;
        out[r.index] = { ok: true, ref: { remoteId, ...(remoteCode ? { remoteCode } : {}), ...(got?.marker ? { marker: got.marker } : {}) } };
      });
    } catch (e) {
      if (!(e instanceof CrmError)) throw e;
      for (const r of ready) out[r.index] = { ok: false, error: e };
    }
    results.push(...chunk.map((_, j): BatchItemResult => out[j] ?? { ok: false, error: new CrmError('unknown-outcome', 'Feishu batch: no result for an item') }));
  }
  return results;
}
