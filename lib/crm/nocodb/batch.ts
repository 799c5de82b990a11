// batchCreateCustomers: ≤100 rows per POST (NocoDB's payload limit). Rows whose select values
// are not among the column options fail on their own (validation, naming field and options)
// instead of sinking the whole request. A request whose outcome is unknown is reconciled by
// lookup (see reconcile.ts) and only the missing rows are sent once more. An item whose template
// values cannot be typed fails alone, before anything is sent. Where NocoDB allocates 客户编号
// (codes.ts), the codes of the created rows are read back afterwards, ≤100 per request.
import type { Customer } from '../../model';
import { CrmError } from '../errors';
import type { BatchItemResult, OpOptions } from '../port';
import type { NocodbContext } from './client';
import { tableMeta } from './meta';
import { readBackCodes } from './codes';
import { existingIds } from './reconcile';
import { insertRows, MAX_ROWS, type Row } from './records';
import { tableId } from './tables';
import type { TemplateFields } from '../template-values';
import { templateCellsOrError } from './template-cells';
import { allocatedCodeColumn, customerRow, fieldNames, selectError, selectProblems } from './values';

export const BATCH_MAX = MAX_ROWS;

interface Pending {
  index: number;
  row: Row;
  phone?: string | undefined;
  code?: string | undefined;
}

/**
 * Inserts rows in requests of ≤100; after an unknown outcome, looks up which arrived and sends the
 * rest once more. Calls `done(index, id)` / `failed(index, error)` for every row.
 */
export async function insertReconciled(
  ctx: NocodbContext,
  table: string,
  rows: Pending[],
  on: { done(index: number, id: string, reconciled: boolean): void; failed(index: number, error: CrmError): void },
  signal?: AbortSignal,
): Promise<{ requests: number }> {
  let requests = 0;
  for (let i = 0; i < rows.length; i += MAX_ROWS) {
    let chunk = rows.slice(i, i + MAX_ROWS);
    for (let attempt = 1; chunk.length; attempt++) {
      try {
        requests++;
        const ids = await insertRows(ctx, table, chunk.map((p) => p.row), signal);
        chunk.forEach((p, j) => on.done(p.index, ids[j]!, false));
        break;
      } catch (e) {
        if (!(e instanceof CrmError)) throw e;
        const canReconcile = e.kind === 'unknown-outcome' && chunk.every((p) => p.phone || p.code);
        if (!e.retryable || attempt >= 2 || (e.kind === 'unknown-outcome' && !canReconcile)) {
          for (const p of chunk) on.failed(p.index, e);
          break;
        }
        if (e.kind === 'unknown-outcome') {
          const found = await existingIds(ctx, table, chunk, signal);
          const missing: Pending[] = [];
          chunk.forEach((p, j) => (found[j] ? on.done(p.index, found[j], true) : missing.push(p)));
          chunk = missing;
        }
      }
    }
  }
  return { requests };
}

export interface BatchItem {
  customer: Customer;
  idempotencyKey: string;
  fields?: TemplateFields;
}

export async function batchCreateCustomers(ctx: NocodbContext, items: BatchItem[], opts: OpOptions = {}): Promise<BatchItemResult[]> {
  const names = fieldNames(ctx.config);
  const table = await tableId(ctx, 'customers', opts.signal);
  let meta = await tableMeta(ctx, table, opts.signal);
  const results: BatchItemResult[] = new Array(items.length);
  const pending: Pending[] = [];
  const allocated = allocatedCodeColumn(meta, names);
  for (const [index, { customer, fields }] of items.entries()) {
    const t = await templateCellsOrError(ctx, table, meta, 'customer', names, fields, opts.signal);
    if (!t.ok) {
      results[index] = { ok: false, error: t.error };
      continue;
    }
    meta = t.meta;
    const row = { ...customerRow(customer, names, meta, 'create'), ...t.cells };
    const problems = selectProblems(meta, row);
    // Only a code that was written can find the row again after a lost reply.
    const code = names.customer.code && typeof row[names.customer.code] === 'string' ? (row[names.customer.code] as string) : undefined;
    if (problems.length) results[index] = { ok: false, error: selectError(problems) };
    else pending.push({ index, row, phone: customer.phones[0], code });
  }
  await insertReconciled(
    ctx,
    table,
    pending,
    {
      done: (index, id) => {
        const code = pending.find((p) => p.index === index)?.code;
        results[index] = { ok: true, ref: { remoteId: id, ...(allocated ? {} : { remoteCode: code || id }) } };
      },
      failed: (index, error) => {
        results[index] = { ok: false, error };
      },
    },
    opts.signal,
  );
  if (allocated) {
    // The codes NocoDB allocated, read back in one request per ≤100 rows.
    const created = results.flatMap((r, i) => (r?.ok ? [[i, r.ref.remoteId] as const] : []));
    const back = await readBackCodes(ctx, table, meta, allocated, created.map(([, id]) => id), opts.signal);
    for (const [i, id] of created) {
      const b = back.get(id);
      results[i] = { ok: true, ref: { remoteId: id, ...(b?.code ? { remoteCode: b.code } : {}), ...(b?.marker ? { marker: b.marker } : {}) } };
    }
  }
  return results;
}
