// batchCreateCustomers: ≤100 rows per POST (NocoDB's payload limit). Rows whose select values
// are not among the column options fail on their own (validation, naming field and options)
// instead of sinking the whole request. A request whose outcome is unknown is reconciled by
// lookup (see reconcile.ts) and only the missing rows are sent once more. An item whose template
// values cannot be typed fails alone, before anything is sent.
import type { Customer } from '../../model';
import { CrmError } from '../errors';
import type { BatchItemResult, OpOptions } from '../port';
import type { NocodbContext } from './client';
import { tableMeta } from './meta';
import { existingIds } from './reconcile';
import { insertRows, MAX_ROWS, type Row } from './records';
import { tableId } from './tables';
import type { TemplateFields } from '../template-values';
import { templateCellsOrError } from './template-cells';
import { customerRow, fieldNames, selectError, selectProblems } from './values';

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
  for (const [index, { customer, fields }] of items.entries()) {
    const t = await templateCellsOrError(ctx, table, meta, 'customer', names, fields, opts.signal);
    if (!t.ok) {
      results[index] = { ok: false, error: t.error };
      continue;
    }
    meta = t.meta;
    const row = { ...customerRow(customer, names, meta, 'create'), ...t.cells };
    const problems = selectProblems(meta, row);
    if (problems.length) results[index] = { ok: false, error: selectError(problems) };
    else pending.push({ index, row, phone: customer.phones[0], code: customer.code || undefined });
  }
  await insertReconciled(
    ctx,
    table,
    pending,
    {
      done: (index, id) => {
        const code = items[index]!.customer.code;
        results[index] = { ok: true, ref: { remoteId: id, remoteCode: code || id } };
      },
      failed: (index, error) => {
        results[index] = { ok: false, error };
      },
    },
    opts.signal,
  );
  return results;
}
