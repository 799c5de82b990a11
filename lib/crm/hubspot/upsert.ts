// batch/upsert keyed by liaison_id (contacts and deals): the retry-safe create. Results are
// matched to inputs by liaison_id (results carry it back) and errors by objectWriteTraceId (the
// input's index), falling back to context.ids. A CONFLICT item ("Contact already exists.
// Existing ID: n": the email belongs to a contact Liaison didn't make) links that contact
// instead of failing. When liaison_id doesn't exist yet, the properties are created once
// (prepare) and the call replayed.
import { CrmError } from '../errors';
import type { BatchItemResult } from '../port';
import type { HubspotContext } from './client';
import { existingIdOf, hubspotError, kindOfCategory } from './errors';
import { batchUpsert, type BatchError, type BatchReply, type UpsertInput } from './objects';
import { ensureProperties, missingLiaisonId } from './properties';
import { LIAISON_ID_PROPERTY } from './spec';

export interface UpsertItem {
  liaisonId: string;
  properties: Record<string, string>;
  remoteCode?: string;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

export async function upsertWithKey(ctx: HubspotContext, type: 'contacts' | 'deals' | 'tickets', inputs: UpsertInput[], signal?: AbortSignal): Promise<BatchReply> {
  try {
    return await batchUpsert(ctx, type, inputs, signal);
  } catch (e) {
    if (!missingLiaisonId(e)) throw e;
    await ensureProperties(ctx, signal).catch(() => {
      throw e; // can't create it (scope): the original refusal, which names the property
    });
    return batchUpsert(ctx, type, inputs, signal);
  }
}

function itemError(err: BatchError): CrmError {
  return hubspotError(kindOfCategory(err.category), { ...err, message: err.message ?? '' });
}

/** One result per item, in order. Items HubSpot said nothing about are unknown-outcome (retry upserts). */
export async function upsertItems(ctx: HubspotContext, type: 'contacts' | 'deals' | 'tickets', items: UpsertItem[], signal?: AbortSignal): Promise<BatchItemResult[]> {
  // The same liaison_id twice in one call is a 400 for the whole call; send each id once.
  const unique = [...new Map(items.map((it) => [it.liaisonId, it])).values()];
  const inputs: UpsertInput[] = unique.map((it, i) => ({ idProperty: LIAISON_ID_PROPERTY, id: it.liaisonId, properties: it.properties, objectWriteTraceId: String(i) }));
  const reply = await upsertWithKey(ctx, type, inputs, signal);
  const byId = new Map<string, BatchItemResult>();
  for (const r of reply.results) {
    const key = r.properties[LIAISON_ID_PROPERTY];
    if (key) byId.set(key, { ok: true, ref: { remoteId: r.id } });
  }
  if (reply.results.length === unique.length && !reply.errors.length && byId.size < unique.length) {
    // Results without the key property echoed back: HubSpot keeps input order.
    reply.results.forEach((r, i) => byId.set(unique[i]!.liaisonId, { ok: true, ref: { remoteId: r.id } }));
  }
  for (const err of reply.errors) {
    const indices = strings(err.context?.objectWriteTraceId).map(Number).filter((n) => Number.isInteger(n) && unique[n]);
    const ids = indices.length ? indices.map((n) => unique[n]!.liaisonId) : strings(err.context?.ids);
    const existing = err.category === 'CONFLICT' ? existingIdOf(err) : undefined;
    const result: BatchItemResult = existing ? { ok: true, ref: { remoteId: existing } } : { ok: false, error: itemError(err) };
    for (const id of ids) if (!byId.has(id)) byId.set(id, result);
  }
  return items.map((it): BatchItemResult => {
    const r = byId.get(it.liaisonId);
    if (!r) return { ok: false, error: new CrmError('unknown-outcome', 'HubSpot batch reply named neither a result nor an error for an input') };
    return r.ok && it.remoteCode ? { ok: true, ref: { ...r.ref, remoteCode: it.remoteCode } } : r;
  });
}
