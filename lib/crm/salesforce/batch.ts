// batchCreateCustomers: sObject Collections, ≤ 200 records a call, allOrNone false so each
// record succeeds or fails alone (per-item results, in order). With the external ID field it is
// the upsert collection — PATCH composite/sobjects/{Object}/{Field} — so the outbox retrying a
// batch whose reply was lost updates the same records instead of duplicating them; without it,
// POST composite/sobjects (duplicate rules are then the only guard on a blind retry).
// An item whose template values cannot be typed fails alone, before anything is sent.
// Docs: resources_composite_sobjects_collections_create.htm / …_upsert.htm.
import { z } from 'zod';
import type { Customer } from '../../model';
import { CrmError } from '../errors';
import type { BatchItemResult, OpOptions } from '../port';
import { sfCall, type SalesforceContext } from './client';
import { SalesforceDuplicateError, salesforceError, sfErrorSchema } from './errors';
import { usesExternalId } from './records';
import { templateFieldsOrError } from './template-fields';
import { customerFields } from './values';
import type { TemplateFields } from '../template-values';

export interface BatchItem {
  customer: Customer;
  idempotencyKey: string;
  fields?: TemplateFields;
}

export const BATCH_MAX = 200;

const itemResult = z.object({ id: z.string().nullish(), success: z.boolean(), created: z.boolean().optional(), errors: z.array(sfErrorSchema).default([]) }).passthrough();
const collectionReply = z.array(itemResult);

export async function batchCreateCustomers(ctx: SalesforceContext, items: BatchItem[], opts: OpOptions = {}): Promise<BatchItemResult[]> {
  const results: BatchItemResult[] = [];
  for (let i = 0; i < items.length; i += BATCH_MAX) {
    const chunk = items.slice(i, i + BATCH_MAX);
    const out: (BatchItemResult | undefined)[] = new Array(chunk.length);
    try {
      const ready: { index: number; item: BatchItem; fields: Record<string, unknown> }[] = [];
      for (const [j, item] of chunk.entries()) {
        const t = await templateFieldsOrError(ctx, ctx.config.customerObject, item.fields, opts.signal);
        if (t.ok) ready.push({ index: j, item, fields: t.fields });
        else out[j] = { ok: false, error: t.error };
      }
      if (ready.length) {
        const replies = await sendChunk(ctx, ready, opts.signal);
        ready.forEach((r, k) => (out[r.index] = toResult(replies[k])));
      }
    } catch (e) {
      if (!(e instanceof CrmError)) throw e;
      for (let j = 0; j < chunk.length; j++) out[j] ??= { ok: false, error: e };
    }
    results.push(...out.map((r): BatchItemResult => r ?? { ok: false, error: new CrmError('unknown-outcome', 'Salesforce batch: no result for an item') }));
  }
  return results;
}

async function sendChunk(ctx: SalesforceContext, chunk: { item: BatchItem; fields: Record<string, unknown> }[], signal?: AbortSignal) {
  const object = ctx.config.customerObject;
  const keyed = usesExternalId(ctx, object);
  const records = chunk.map(({ item: x, fields }) => ({
    attributes: { type: object },
    ...customerFields(x.customer, object, ctx.config, 'create'),
    ...fields,
    ...(keyed ? { [ctx.config.externalIdField]: x.idempotencyKey } : {}),
  }));
  if (keyed) {
    try {
      return await sfCall(ctx, 'patch', `composite/sobjects/${object}/${ctx.config.externalIdField}`, { json: { allOrNone: false, records }, write: true, signal, schema: collectionReply });
    } catch (e) {
      if (!(e instanceof CrmError && e.kind === 'not-found' && /external ID field/i.test(e.message))) throw e;
      ctx.noExternalId.add(object);
      for (const r of records) delete (r as Record<string, unknown>)[ctx.config.externalIdField];
    }
  }
  return sfCall(ctx, 'post', 'composite/sobjects', { json: { allOrNone: false, records }, write: true, signal, schema: collectionReply });
}

function toResult(r: z.infer<typeof itemResult> | undefined): BatchItemResult {
  if (!r) return { ok: false, error: new CrmError('unknown-outcome', 'Salesforce returned fewer results than records') };
  if (r.success && r.id) return { ok: true, ref: { remoteId: r.id } };
  const first = r.errors[0];
  if (!first) return { ok: false, error: new CrmError('unknown-outcome', 'Salesforce reported a failure without errors') };
  const error = salesforceError(first, { kind: 'validation' });
  // A duplicate rule found the customer: link it, as a single create does.
  if (error instanceof SalesforceDuplicateError && error.matches[0]) return { ok: true, ref: { remoteId: error.matches[0] } };
  return { ok: false, error };
}
