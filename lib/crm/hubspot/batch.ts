// batchCreateCustomers: contacts/batch/upsert by liaison_id, ≤ 100 inputs a call. HubSpot answers
// 207 multi-status when some inputs fail: each item gets its own result (ok, linked to an
// existing contact on CONFLICT, or the item's validation reason). A call that fails as a whole
// reports its error on every item of that call; the outbox retrying the same items upserts.
import type { Customer } from '../../model';
import { CrmError } from '../errors';
import type { BatchItemResult, OpOptions } from '../port';
import type { HubspotContext } from './client';
import { BATCH_MAX } from './objects';
import { upsertItems } from './upsert';
import { contactProperties, withLiaisonId } from './values';

export async function batchCreateCustomers(ctx: HubspotContext, items: { customer: Customer; idempotencyKey: string }[], opts: OpOptions = {}): Promise<BatchItemResult[]> {
  const results: BatchItemResult[] = [];
  for (let i = 0; i < items.length; i += BATCH_MAX) {
    const chunk = items.slice(i, i + BATCH_MAX);
    try {
      const upserts = chunk.map(({ customer: c }) => ({
        liaisonId: c.id,
        properties: withLiaisonId(contactProperties(c, ctx.config, 'create'), c.id),
        ...(c.code ? { remoteCode: c.code } : {}),
      }));
      results.push(...(await upsertItems(ctx, 'contacts', upserts, opts.signal)));
    } catch (e) {
      if (!(e instanceof CrmError)) throw e;
      for (const _ of chunk) results.push({ ok: false, error: e });
    }
  }
  return results;
}
