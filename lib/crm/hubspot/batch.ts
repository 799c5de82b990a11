// batchCreateCustomers: contacts/batch/upsert by liaison_id, ≤ 100 inputs a call. HubSpot answers
// 207 multi-status when some inputs fail: each item gets its own result (ok, linked to an
// existing contact on CONFLICT, or the item's validation reason). A call that fails as a whole
// reports its error on every item of that call; the outbox retrying the same items upserts.
// An item whose template values cannot be typed fails alone, before anything is sent.
import type { Customer } from '../../model';
import { CrmError } from '../errors';
import type { BatchItemResult, OpOptions } from '../port';
import type { TemplateFields } from '../template-values';
import type { HubspotContext } from './client';
import { BATCH_MAX } from './objects';
import { templatePropertiesOrError } from './template-properties';
import { upsertItems, type UpsertItem } from './upsert';
import { contactProperties, withLiaisonId } from './values';

export interface BatchItem {
  customer: Customer;
  idempotencyKey: string;
  fields?: TemplateFields;
}

export async function batchCreateCustomers(ctx: HubspotContext, items: BatchItem[], opts: OpOptions = {}): Promise<BatchItemResult[]> {
  const results: BatchItemResult[] = [];
  for (let i = 0; i < items.length; i += BATCH_MAX) {
    const chunk = items.slice(i, i + BATCH_MAX);
    const out: (BatchItemResult | undefined)[] = new Array(chunk.length);
    try {
      const upserts: { index: number; item: UpsertItem }[] = [];
      for (const [j, { customer: c, fields }] of chunk.entries()) {
        const t = await templatePropertiesOrError(ctx, 'contacts', fields, opts.signal);
        if (!t.ok) {
          out[j] = { ok: false, error: t.error };
          continue;
        }
        const properties = withLiaisonId({ ...contactProperties(c, ctx.config, 'create'), ...t.properties }, c.id);
        upserts.push({ index: j, item: { liaisonId: c.id, properties, ...(c.code ? { remoteCode: c.code } : {}) } });
      }
      if (upserts.length) {
        const done = await upsertItems(ctx, 'contacts', upserts.map((u) => u.item), opts.signal);
        upserts.forEach((u, k) => (out[u.index] = done[k]));
      }
    } catch (e) {
      if (!(e instanceof CrmError)) throw e;
      for (let j = 0; j < chunk.length; j++) out[j] ??= { ok: false, error: e };
    }
    results.push(...out.map((r): BatchItemResult => r ?? { ok: false, error: new CrmError('unknown-outcome', 'HubSpot batch: no result for an item') }));
  }
  return results;
}
