// The write side: customers, follow-ups, deals and tasks as records, each upserted on the
// Liaison Key = the outbox entry's idempotency key (records.ts), the template values typed by
// the table's fields on top; an update is a PATCH of the changed cells only.
import type { Customer, Deal, FollowUp } from '../../model';
import { CrmError } from '../errors';
import type { BatchItemResult, CustomerPatch, OpOptions, RemoteRef, TaskInput, WriteOptions } from '../port';
import type { TemplateFields } from '../template-values';
import type { AirtableContext } from './client';
import { isRecordId, patchRecord, upsert, WRITE_MAX } from './records';
import { tableFor } from './schema';
import { LIAISON_KEY_FIELD } from './spec';
import { templateCells, templateCellsOrError } from './template-cells';
import { customerCells, customerMapping, dealCells, followUpCells, taskCells, type AirtableRecord } from './values';

const refOf = (r: AirtableRecord, codeField?: string): RemoteRef => {
  const code = codeField ? r.fields[codeField] : undefined;
  return { remoteId: r.id, ...(typeof code === 'string' && code ? { remoteCode: code } : {}) };
};

function createCells(c: Customer, ctx: AirtableContext): Record<string, unknown> {
  const cells = customerCells(c, ctx.config);
  for (const [k, v] of Object.entries(cells)) if (v === null) delete cells[k];
  return cells;
}

export async function createCustomer(ctx: AirtableContext, c: Customer, opts: WriteOptions): Promise<RemoteRef> {
  const table = await tableFor(ctx, 'customer', opts.signal);
  const cells = { ...createCells(c, ctx), ...templateCells(table, opts.fields), [LIAISON_KEY_FIELD]: opts.idempotencyKey };
  const [r] = await upsert(ctx, table.id, [cells], opts.signal);
  return refOf(r!, customerMapping(ctx.config).code);
}

export async function updateCustomer(ctx: AirtableContext, remoteId: string, patch: CustomerPatch, opts: WriteOptions): Promise<RemoteRef> {
  if (!isRecordId(remoteId)) throw new CrmError('not-found', 'Airtable: the linked record id is malformed');
  const table = await tableFor(ctx, 'customer', opts.signal);
  const cells = { ...customerCells(patch, ctx.config), ...templateCells(table, opts.fields) };
  if (!Object.keys(cells).length) return { remoteId };
  await patchRecord(ctx, table.id, remoteId, cells, opts.signal);
  return { remoteId };
}

async function linked(ctx: AirtableContext, role: 'followUp' | 'deal' | 'task', remoteCustomerId: string, cells: Record<string, unknown>, fields: TemplateFields | undefined, signal?: AbortSignal): Promise<RemoteRef> {
  if (!isRecordId(remoteCustomerId)) throw new CrmError('not-found', 'Airtable: the linked record id is malformed');
  const table = await tableFor(ctx, role, signal);
  const [r] = await upsert(ctx, table.id, [{ ...templateCells(table, fields), ...cells }], signal);
  return refOf(r!);
}

export const addFollowUp = (ctx: AirtableContext, id: string, f: FollowUp, o: WriteOptions) => linked(ctx, 'followUp', id, followUpCells(id, f, ctx.config, o.idempotencyKey), o.fields, o.signal);
export const createDeal = (ctx: AirtableContext, id: string, d: Deal, o: WriteOptions) => linked(ctx, 'deal', id, dealCells(id, d, ctx.config, o.idempotencyKey), o.fields, o.signal);
export const createTask = (ctx: AirtableContext, id: string, t: TaskInput, o: WriteOptions) => linked(ctx, 'task', id, taskCells(id, t, o.idempotencyKey), undefined, o.signal);

export interface BatchItem {
  customer: Customer;
  idempotencyKey: string;
  fields?: TemplateFields;
}

/** ≤ 10 a request; an item whose template values cannot be typed fails alone, before sending. */
export async function batchCreateCustomers(ctx: AirtableContext, items: BatchItem[], opts: OpOptions = {}): Promise<BatchItemResult[]> {
  const table = await tableFor(ctx, 'customer', opts.signal);
  const results: BatchItemResult[] = [];
  for (let i = 0; i < items.length; i += WRITE_MAX) {
    const chunk = items.slice(i, i + WRITE_MAX);
    const out: (BatchItemResult | undefined)[] = new Array(chunk.length);
    const ready: { index: number; cells: Record<string, unknown> }[] = [];
    chunk.forEach((item, j) => {
      const t = templateCellsOrError(table, item.fields);
      if (!t.ok) out[j] = { ok: false, error: t.error };
      else ready.push({ index: j, cells: { ...createCells(item.customer, ctx), ...t.cells, [LIAISON_KEY_FIELD]: item.idempotencyKey } });
    });
    try {
      if (ready.length) {
        const done = await upsert(ctx, table.id, ready.map((r) => r.cells), opts.signal);
        ready.forEach((r, k) => (out[r.index] = { ok: true, ref: refOf(done[k]!, customerMapping(ctx.config).code) }));
      }
    } catch (e) {
      if (!(e instanceof CrmError)) throw e;
      for (let j = 0; j < chunk.length; j++) out[j] ??= { ok: false, error: e };
    }
    results.push(...out.map((r): BatchItemResult => r ?? { ok: false, error: new CrmError('unknown-outcome', 'Airtable batch: no result for an item') }));
  }
  return results;
}
